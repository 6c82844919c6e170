import { consoleLogger } from "../bot/logger.js";
import { ConfigurationError, credentialsFrom, readEnvironment } from "./config.js";
import { createRuntime, type Runtime } from "./runtime.js";

let runtime: Promise<Runtime> | undefined;

/**
 * The runtime of the Function App, built once per instance from its app settings. In Azure the bot always
 * checks the Bot Framework token: without credentials nothing is processed.
 */
export function productionRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  runtime ??= (async () => {
    const settings = readEnvironment(env);
    const problems: string[] = [];
    if (!settings.MicrosoftAppId)
      problems.push("MicrosoftAppId: required in Azure (the bot's Microsoft App ID)");
    if (!settings.STORAGE_CONNECTION_STRING)
      problems.push("STORAGE_CONNECTION_STRING: required (where the governance log is kept)");
    // Several instances must agree on the key, or a changed anonymous answer would count twice.
    if (!settings.ANONYMITY_KEY)
      problems.push("ANONYMITY_KEY: required in Azure (at least 32 characters, e.g. a Key Vault secret)");
    if (problems.length > 0) throw new ConfigurationError(problems);
    const credentials = credentialsFrom(settings);
    return createRuntime({
      storage: { kind: "connection-string", connectionString: settings.STORAGE_CONNECTION_STRING as string },
      logger: consoleLogger(settings.LOG_LEVEL),
      ...(credentials ? { credentials } : {}),
      ...(settings.ANONYMITY_KEY ? { anonymityKey: settings.ANONYMITY_KEY } : {}),
      // Packs go to the same storage account's Blob service (a private container), signed with its key.
      evidence: {
        blobs: { kind: "connection-string", connectionString: settings.STORAGE_CONNECTION_STRING as string },
        linkLifetimeMs: settings.EVIDENCE_LINK_MINUTES * 60_000,
      },
    });
  })().catch((error: unknown) => {
    runtime = undefined; // try again on the next request, e.g. after the settings are fixed
    throw error;
  });
  return runtime;
}
