import { consoleLogger } from "../bot/logger.js";
import { ConfigurationError, credentialsFrom, readEnvironment } from "./config.js";
import { startLocalHost } from "./localHost.js";

/** `npm start`: the local host, until Ctrl-C or SIGTERM, then a clean close so no write is lost. */
async function main(): Promise<void> {
  const env = readEnvironment();
  const logger = consoleLogger(env.LOG_LEVEL);
  const credentials = credentialsFrom(env);
  const local = await startLocalHost({
    dataDir: env.DATA_DIR,
    host: env.BOT_HOST,
    botPort: env.BOT_PORT,
    playgroundPort: env.PLAYGROUND_PORT,
    startPlayground: env.PLAYGROUND === "on",
    azuritePort: env.AZURITE_TABLE_PORT,
    azuriteBlobPort: env.AZURITE_BLOB_PORT,
    evidenceLinkMinutes: env.EVIDENCE_LINK_MINUTES,
    ...(credentials ? { credentials } : {}),
    ...(env.ANONYMITY_KEY ? { anonymityKey: env.ANONYMITY_KEY } : {}),
    logger,
  });
  console.log(`
Go-Live Governance is running locally.
  Bot endpoint:      ${local.botEndpoint}
  Agents Playground: ${local.playgroundUrl ? `${local.playgroundUrl}   <- open this in your browser` : "off"}
  Data kept in:      ${env.DATA_DIR}/azurite
Press Ctrl-C to stop.`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing the bot, the Playground and the store...`);
    await local.close();
    console.log("Stopped. Everything recorded is kept.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("Ctrl-C"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) console.error(error.message);
  else if ((error as { code?: string }).code === "EADDRINUSE") {
    console.error(
      `A port is already in use (${(error as Error).message}). Is the local host already running?`,
    );
  } else console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
