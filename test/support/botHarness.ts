import { consoleLogger } from "../../bot/logger.js";
import { listenForBot } from "../../functions/httpServer.js";
import { createRuntime, type Runtime } from "../../functions/runtime.js";
import type { RunningAzurite } from "../../store/azurite.js";
import { PEOPLE } from "./fixtures.js";
import { azuriteForTests } from "./storage.js";
import { StubConnector } from "./stubConnector.js";

export interface BotHarness {
  azurite: RunningAzurite;
  connector: StubConnector;
  runtime: Runtime;
  endpoint: string;
  /** POSTs an activity (or any body) to the bot's real HTTP endpoint. */
  post(activity: unknown): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** What the harness runs: the runtime's wiring and the bot's web server. */
export interface BotApp {
  createRuntime: typeof createRuntime;
  listenForBot: typeof listenForBot;
}

/**
 * The real path: Azurite, the runtime, the bot's HTTP server on loopback, and a stub Teams service that records
 * what the bot sends. The same wiring as `npm start`, minus the Playground.
 */
export async function startBotHarness(
  options: {
    azurite?: RunningAzurite;
    connectionString?: string;
    /** The time the bot and its log see (weeks can be simulated); real time by default. */
    clock?: () => Date;
    /** How long evidence pack links work (Azurite's Blob service keeps the packs); default an hour. */
    evidenceLinkLifetimeMs?: number;
    /**
     * The runtime and web server to run, if not functions/runtime.ts's and functions/httpServer.ts's as imported
     * here: e.g. the same functions from the Function App's bundle (test/conversation/bundled-bot.test.ts).
     */
    app?: BotApp;
  } = {},
): Promise<BotHarness> {
  const azurite = options.azurite ?? (await azuriteForTests());
  const connector = await new StubConnector().start();
  connector.addMembers(
    ...Object.values(PEOPLE).map((p) => ({ id: p.teamsId, name: p.name, aadObjectId: p.objectId })),
  );
  const app = options.app ?? { createRuntime, listenForBot };
  const runtime = await app.createRuntime({
    storage: {
      kind: "connection-string",
      connectionString: options.connectionString ?? azurite.connectionString,
    },
    logger: consoleLogger("error"),
    ...(options.clock ? { clock: options.clock } : {}),
    evidence: {
      // Always the real Azurite: a test's cuttable proxy stands in front of the tables only.
      blobs: { kind: "connection-string", connectionString: azurite.connectionString },
      linkLifetimeMs: options.evidenceLinkLifetimeMs ?? 3_600_000,
    },
  });
  const { close: closeServer, url } = await app.listenForBot(runtime.bot, {
    host: "127.0.0.1",
    port: 0,
    logger: consoleLogger("error"),
  });
  return {
    azurite,
    connector,
    runtime,
    endpoint: url,
    async post(activity) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof activity === "string" ? activity : JSON.stringify(activity),
      });
      return { status: response.status, body: await response.text() };
    },
    async close() {
      await closeServer();
      await connector.stop();
      if (!options.azurite) await azurite.close();
    },
  };
}
