import type { AddressInfo } from "node:net";
import { createServer, type Server, Socket } from "node:net";

/**
 * A TCP proxy in front of Azurite that can stop storage at a chosen moment, as when the storage service goes
 * away: every open connection is dropped and new ones are refused (the listener closes) until `restore()`.
 * `stopOn(text)` stops it when a request containing `text` (e.g. `$batch`, an entity-group transaction) is
 * sent: either before that request reaches storage, or after storage applied it but before the answer returns.
 */
export class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private trigger: { text: string; deliverFirst: boolean } | undefined;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<this> {
    await this.listen(0);
    return this;
  }

  private async listen(port: number): Promise<void> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server?.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private pipe(client: Socket): void {
    const upstream = new Socket();
    this.sockets.add(client).add(upstream);
    upstream.connect(this.targetPort, "127.0.0.1");
    let swallowAnswer = false;
    client.on("data", (chunk: Buffer) => {
      const trigger = this.trigger;
      if (trigger && chunk.toString("latin1").includes(trigger.text)) {
        this.trigger = undefined;
        if (!trigger.deliverFirst) return this.stopNow();
        swallowAnswer = true; // storage gets the request and applies it; its answer never comes back
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (swallowAnswer) this.stopNow();
      else client.write(chunk);
    });
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  }

  stopOn(text: string, options: { deliverFirst?: boolean } = {}): void {
    this.trigger = { text, deliverFirst: options.deliverFirst ?? false };
  }

  /** Storage goes away now: open connections drop, new ones are refused. */
  stopNow(): void {
    this.server?.close();
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Storage is back, on the same port. */
  async restore(): Promise<void> {
    this.trigger = undefined;
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    this.stopNow();
  }
}
