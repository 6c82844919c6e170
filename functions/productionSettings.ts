import type { TokenCredential } from "@azure/core-auth";
import type { BotCredentials } from "../bot/app.js";
import type { BlobTarget } from "../store/evidenceBlobs.js";
import type { StorageTarget } from "../store/tables.js";
import {
  AZURE_SETTINGS,
  botCredentials,
  ConfigurationError,
  credentialProblems,
  type Environment,
  parseEnvironment,
  SECRET_ALTERNATIVES,
} from "./config.js";

/** Everything the Function App runs with, read from its app settings once at start. */
export interface ProductionSettings {
  credentials: BotCredentials;
  storage: StorageTarget;
  blobs: BlobTarget;
  anonymityKey: string;
  linkLifetimeMs: number;
  logLevel: Environment["LOG_LEVEL"];
}

/** Makes the token credential storage is reached with (the managed identity, in Azure). */
export type CredentialFactory = (managedIdentityClientId: string | undefined) => TokenCredential;

/**
 * Reads the Function App's settings and lists every problem at once, so an IT lead fixes them in one go. In
 * Azure the bot always checks the Bot Framework token (MicrosoftAppId is required) and storage is reached with
 * the managed identity by endpoint; a connection string is the alternative for hosting without one.
 */
export function readProductionSettings(
  env: NodeJS.ProcessEnv,
  makeCredential: CredentialFactory,
): ProductionSettings {
  const { environment: settings, problems } = parseEnvironment(env);
  // Azure leaves a Key Vault reference it cannot resolve (the role not granted yet, the vault unreachable) as
  // its own text, which would pass for a value: a key made of it would quietly change once it resolves.
  for (const name of [...AZURE_SETTINGS, ...SECRET_ALTERNATIVES]) {
    if (env[name]?.startsWith("@Microsoft.KeyVault("))
      problems.push(
        `${name}: its Key Vault reference was not resolved; check that the Function App's identity has the Key Vault Secrets User role on the vault and that the secret exists`,
      );
  }
  const given = (name: keyof Environment) => {
    const value = env[name];
    return value !== undefined && value !== "";
  };
  if (!given("MicrosoftAppId"))
    problems.push("MicrosoftAppId: required in Azure (the bot's Microsoft App ID; infra/ sets it)");
  const byEndpoint = given("STORAGE_TABLE_ENDPOINT") || given("STORAGE_BLOB_ENDPOINT");
  if (byEndpoint && given("STORAGE_CONNECTION_STRING")) {
    problems.push(
      "STORAGE_CONNECTION_STRING: set either the storage endpoints (with the managed identity) or a connection string, not both",
    );
  } else if (byEndpoint) {
    if (!given("STORAGE_TABLE_ENDPOINT"))
      problems.push(
        "STORAGE_TABLE_ENDPOINT: required with STORAGE_BLOB_ENDPOINT (the account's Table endpoint)",
      );
    if (!given("STORAGE_BLOB_ENDPOINT"))
      problems.push(
        "STORAGE_BLOB_ENDPOINT: required with STORAGE_TABLE_ENDPOINT (the account's Blob endpoint)",
      );
    if (!given("AZURE_CLIENT_ID"))
      problems.push(
        "AZURE_CLIENT_ID: required with the storage endpoints (the client id of the managed identity allowed to use the storage account)",
      );
  } else if (!given("STORAGE_CONNECTION_STRING")) {
    problems.push(
      "STORAGE_TABLE_ENDPOINT and STORAGE_BLOB_ENDPOINT: required (where the governance log and evidence packs are kept; or STORAGE_CONNECTION_STRING)",
    );
  }
  // Several instances must agree on the key, or a changed anonymous answer would count twice.
  if (!given("ANONYMITY_KEY"))
    problems.push("ANONYMITY_KEY: required in Azure (at least 32 characters; infra/ keeps it in Key Vault)");
  if (settings) problems.push(...credentialProblems(settings));
  if (problems.length > 0 || !settings) throw new ConfigurationError([...new Set(problems)]);

  let storage: StorageTarget;
  let blobs: BlobTarget;
  if (settings.STORAGE_CONNECTION_STRING) {
    storage = { kind: "connection-string", connectionString: settings.STORAGE_CONNECTION_STRING };
    blobs = storage;
  } else {
    const credential = makeCredential(settings.AZURE_CLIENT_ID);
    storage = { kind: "endpoint", endpoint: settings.STORAGE_TABLE_ENDPOINT as string, credential };
    blobs = { kind: "endpoint", endpoint: settings.STORAGE_BLOB_ENDPOINT as string, credential };
  }
  return {
    // MicrosoftAppId is required above, so there are always credentials here.
    credentials: botCredentials(settings) as BotCredentials,
    storage,
    blobs,
    anonymityKey: settings.ANONYMITY_KEY as string,
    linkLifetimeMs: settings.EVIDENCE_LINK_MINUTES * 60_000,
    logLevel: settings.LOG_LEVEL,
  };
}
