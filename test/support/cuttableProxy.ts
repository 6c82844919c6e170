import type { AddressInfo } from "node:net";
import { createServer, type Server, Socket } from "node:net";

/**
 * A TCP proxy in front of Azurite that can "stop storage" at a chosen moment: when armed, the first request
 * whose bytes match the trigger (e.g. an entity-group transaction, `$batch`) is never forwarded, every open
 * connection is dropped and further connections are refused — as when the storage service goes away mid-request.
 */
export class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private trigger: string | undefined;
  cut = false;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<this> {
    this.server = createServer((client) => {
      if (this.cut) return client.destroy();
      const upstream = new Socket();
      this.sockets.add(client).add(upstream);
      upstream.connect(this.targetPort, "127.0.0.1");
      client.on("data", (chunk: Buffer) => {
        if (this.trigger && chunk.toString("latin1").includes(this.trigger)) {
          this.cutNow();
          return;
        }
        upstream.write(chunk);
      });
      upstream.on("data", (chunk: Buffer) => client.write(chunk));
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stop storage as soon as a request containing `text` is sent. */
  armOn(text: string): void {
    this.trigger = text;
  }

  cutNow(): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.cut = false;
    this.trigger = undefined;
  }

  async stop(): Promise<void> {
    this.cutNow();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
