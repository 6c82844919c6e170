import { resolve } from "node:path";
import type { BotCredentials } from "../bot/app.js";
import { consoleLogger, errorProperties, type Logger } from "../bot/logger.js";
import { runScheduledReviews } from "../bot/reviews.js";
import type { GovernanceLog } from "../store/governanceLog.js";
import { assertSafeToListen } from "./config.js";
import { listenForBot } from "./httpServer.js";
import { openLocalStorage } from "./localStorage.js";
import { startPlayground } from "./playground.js";
import { createRuntime, type Runtime } from "./runtime.js";

export interface LocalHostOptions {
  /** Where Azurite keeps its data. */
  dataDir: string;
  /** Default 3978; 0 picks a free port. */
  botPort?: number;
  /** Default 56150. */
  playgroundPort?: number;
  /** Default true. */
  startPlayground?: boolean;
  /** Default 127.0.0.1; without credentials only loopback is allowed. */
  host?: string;
  /** Default 10002; 0 picks a free port. */
  azuritePort?: number;
  /** Azurite's Blob service (evidence packs): default 10000, or a free port when azuritePort is 0. */
  azuriteBlobPort?: number;
  /** Bot Framework credentials: with them every request must carry a valid token, and any address may be used. */
  credentials?: BotCredentials;
  logger?: Logger;
  /** How often the scheduled reviews run (as the Function App's timer does); 0 turns them off. Default 15 min. */
  reviewIntervalMs?: number;
  /** Key for anonymous pulse answers (ANONYMITY_KEY). */
  anonymityKey?: string;
  /** How long an evidence pack's link works (EVIDENCE_LINK_MINUTES); default 60. */
  evidenceLinkMinutes?: number;
}

export interface LocalHost {
  botEndpoint: string;
  /** The governance log the bot writes to (for the demo loader and tests). */
  log: GovernanceLog;
  playgroundUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * Everything a person needs to try the bot on one machine, with no Azure account: Azurite with its data in a
 * folder, the bot on 127.0.0.1 without authentication, and the Agents Playground pointed at it.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const host = options.host ?? "127.0.0.1";
  assertSafeToListen(host, options.credentials);
  const logger = options.logger ?? consoleLogger();
  const azurite = await openLocalStorage({
    dataDir: resolve(options.dataDir, "azurite"),
    port: options.azuritePort ?? 10002,
    ...(options.azuriteBlobPort !== undefined ? { blobPort: options.azuriteBlobPort } : {}),
  });
  const closers: Array<() => Promise<void>> = [() => azurite.close()];
  const close = async () => {
    // Reverse order: stop taking requests before the store goes, then close the store cleanly so nothing is lost.
    for (const closeOne of closers.reverse()) await closeOne().catch(() => undefined);
  };
  try {
    const runtime = await createRuntime({
      storage: { kind: "connection-string", connectionString: azurite.connectionString },
      logger,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.anonymityKey ? { anonymityKey: options.anonymityKey } : {}),
      evidence: {
        blobs: { kind: "connection-string", connectionString: azurite.connectionString },
        linkLifetimeMs: (options.evidenceLinkMinutes ?? 60) * 60_000,
      },
    });
    const { url, close: closeServer } = await listenForBot(runtime.bot, {
      host,
      port: options.botPort ?? 3978,
      logger,
    });
    closers.push(closeServer);
    let playgroundUrl: string | undefined;
    if (options.startPlayground ?? true) {
      const playground = await startPlayground({
        botEndpoint: url,
        port: options.playgroundPort ?? 56150,
        dataDir: resolve(options.dataDir, "playground"),
      });
      closers.push(() => playground.close());
      playgroundUrl = playground.url;
    }
    const intervalMs = options.reviewIntervalMs ?? 15 * 60_000;
    if (intervalMs > 0) closers.push(scheduleReviews(runtime, intervalMs, logger));
    return { botEndpoint: url, log: runtime.log, playgroundUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The local stand-in for the Function App's 15-minute timer: the same reviews, in this process. Ticks never
 * overlap, and closing waits for a running tick so nothing is cut off half-recorded.
 */
function scheduleReviews(runtime: Runtime, intervalMs: number, logger: Logger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    running = runScheduledReviews(runtime.reviews, new Date())
      .then((totals) => {
        if (totals.digests + totals.reminders + totals.failures > 0) logger.info("scheduled reviews", totals);
      })
      .catch((error: unknown) => logger.error("scheduled reviews failed", errorProperties(error)))
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  // A first look soon after starting, so a digest due this morning shows without waiting a quarter of an hour.
  const first = setTimeout(tick, Math.min(intervalMs, 30_000));
  first.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
