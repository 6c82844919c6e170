import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GovernanceBot } from "../bot/app.js";
import { MAX_REQUEST_BYTES, processBotRequest } from "../bot/http.js";
import type { Logger } from "../bot/logger.js";

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The local host's web server: `/api/messages` for the bot, `/healthz` for a quick check. */
export async function listenForBot(
  bot: GovernanceBot,
  options: { host: string; port: number; logger: Logger },
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  let closing = false;
  const server = createServer(async (req, res) => {
    // Once closing, every answer ends its connection, so keep-alive clients do not hold the close open.
    if (closing) res.setHeader("connection", "close");
    try {
      if (req.url === "/healthz") {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        return;
      }
      if (req.url?.split("?")[0] !== "/api/messages") {
        res
          .writeHead(404, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "Not found." }));
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        res
          .writeHead(413, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "Request too large." }));
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]),
      );
      const response = await processBotRequest(bot, { method: req.method ?? "GET", headers, body });
      res.writeHead(response.status, response.headers).end(response.body);
    } catch (error) {
      options.logger.error("request failed", { error: error instanceof Error ? error.name : String(error) });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "The bot could not process this request." }));
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  /** Stops taking requests, lets those in progress finish (up to 5 s) so their writes complete, then closes. */
  const close = () =>
    new Promise<void>((done) => {
      closing = true;
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      server.close(() => {
        clearTimeout(force);
        done();
      });
      server.closeIdleConnections();
    });
  return { server, url: `http://${host}:${port}/api/messages`, close };
}
