import type { TokenCredential } from "@azure/core-auth";
import type { BotCredentials } from "../bot/app.js";
import { functionsLogger } from "./functionsLogger.js";
import { type CredentialFactory, readProductionSettings } from "./productionSettings.js";
import { createRuntime, type Runtime } from "./runtime.js";

export interface ProductionRuntimeOptions {
  /** The app settings; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** How storage is signed in to; defaults to `DefaultAzureCredential` (the managed identity in Azure). */
  makeCredential?: CredentialFactory;
  /** Tests only: where the Bot Framework's signing keys are published and which issuer its tokens carry. */
  channelAuthentication?: BotCredentials["channelAuthentication"];
}

/**
 * The Function App's runtime. The settings are read and checked now, at start (a `ConfigurationError` lists
 * every problem at once and the host does not start); storage is reached on the first request and the runtime
 * shared by later ones on the same instance. In Azure the bot always checks the Bot Framework token.
 */
export function productionRuntime(options: ProductionRuntimeOptions = {}): () => Promise<Runtime> {
  const settings = readProductionSettings(
    options.env ?? process.env,
    options.makeCredential ?? azureCredential,
  );
  const credentials: BotCredentials = {
    ...settings.credentials,
    ...(options.channelAuthentication ? { channelAuthentication: options.channelAuthentication } : {}),
  };
  let runtime: Promise<Runtime> | undefined;
  return () => {
    runtime ??= createRuntime({
      storage: settings.storage,
      logger: functionsLogger(settings.logLevel),
      credentials,
      anonymityKey: settings.anonymityKey,
      evidence: { blobs: settings.blobs, linkLifetimeMs: settings.linkLifetimeMs },
    }).catch((error: unknown) => {
      runtime = undefined; // storage unreachable: try again on the next request
      throw error;
    });
    return runtime;
  };
}

/**
 * `DefaultAzureCredential` for the given managed identity, loaded on first use: @azure/identity is large, and
 * the first token is only needed once storage is reached, not while the instance starts.
 */
function azureCredential(managedIdentityClientId: string | undefined): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import("@azure/identity").then(
        ({ DefaultAzureCredential }) =>
          new DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : {}),
      );
      return (await credential).getToken(scopes, options);
    },
  };
}
