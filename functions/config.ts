import { z } from "zod";
import type { BotCredentials } from "../bot/app.js";

/**
 * Every setting the hosts read, validated once at start. All problems are listed together, so an IT lead fixes
 * them in one go. The README lists the same variables; `infra/` sets them in Azure.
 */
const EnvironmentSchema = z.object({
  MicrosoftAppId: z.string().uuid("must be the bot's Microsoft App ID (a GUID)").optional(),
  MicrosoftAppType: z.enum(["UserAssignedMSI", "SingleTenant", "MultiTenant"]).optional(),
  MicrosoftAppTenantId: z.string().uuid("must be your Entra tenant id (a GUID)").optional(),
  MicrosoftAppPassword: z.string().min(1).optional(),
  STORAGE_CONNECTION_STRING: z.string().min(1).optional(),
  /** In Azure: the storage account's Table endpoint, reached with the managed identity (no key anywhere). */
  STORAGE_TABLE_ENDPOINT: z
    .string()
    .url("must be the storage account's Table endpoint (https://…)")
    .optional(),
  /** In Azure: the same account's Blob endpoint, for evidence packs. */
  STORAGE_BLOB_ENDPOINT: z.string().url("must be the storage account's Blob endpoint (https://…)").optional(),
  /** In Azure: the client id of the user-assigned managed identity the code signs in to storage with. */
  AZURE_CLIENT_ID: z.string().uuid("must be the managed identity's client id (a GUID)").optional(),
  BOT_HOST: z.string().min(1).default("127.0.0.1"),
  BOT_PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
  /** `off` starts the local host without the Agents Playground (e.g. to use your own client). */
  PLAYGROUND: z.enum(["on", "off"]).default("on"),
  AZURITE_TABLE_PORT: z.coerce.number().int().min(0).max(65535).default(10002),
  AZURITE_BLOB_PORT: z.coerce.number().int().min(0).max(65535).default(10000),
  /** How long an evidence pack's private link works, in minutes (default 60, at most 7 days). */
  EVIDENCE_LINK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  DATA_DIR: z.string().min(1).default(".data"),
  LOG_LEVEL: z.enum(["info", "warn", "error"]).default("info"),
  /** Key for anonymous pulse answers (at least 32 characters, e.g. a Key Vault secret); kept out of storage. */
  ANONYMITY_KEY: z.string().min(32, "must be at least 32 characters").optional(),
});
export type Environment = z.infer<typeof EnvironmentSchema>;
export type SettingName = keyof Environment;

/** What the Function App reads in Azure; `infra/` sets every one of them (tested). */
export const AZURE_SETTINGS = [
  "MicrosoftAppId",
  "MicrosoftAppType",
  "MicrosoftAppTenantId",
  "AZURE_CLIENT_ID",
  "STORAGE_TABLE_ENDPOINT",
  "STORAGE_BLOB_ENDPOINT",
  "ANONYMITY_KEY",
  "EVIDENCE_LINK_MINUTES",
  "LOG_LEVEL",
] as const satisfies readonly SettingName[];

/**
 * Also read in Azure, but never set by `infra/`: each is a secret that the managed identity makes unnecessary
 * (a bot password; a storage key). They remain for hosting without a managed identity.
 */
export const SECRET_ALTERNATIVES = [
  "MicrosoftAppPassword",
  "STORAGE_CONNECTION_STRING",
] as const satisfies readonly SettingName[];

/** Read only by the local host (`npm start`). */
export const LOCAL_SETTINGS = [
  "BOT_HOST",
  "BOT_PORT",
  "PLAYGROUND_PORT",
  "PLAYGROUND",
  "AZURITE_TABLE_PORT",
  "AZURITE_BLOB_PORT",
  "DATA_DIR",
] as const satisfies readonly SettingName[];

/** Read by the Azure Functions host itself (its own storage, Application Insights), not by this code. */
export const FUNCTIONS_HOST_SETTINGS = [
  "AzureWebJobsStorage__accountName",
  "AzureWebJobsStorage__credential",
  "AzureWebJobsStorage__clientId",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
] as const;

/** Every setting the schema knows, to check the lists above cover it exactly. */
export const ALL_SETTINGS = Object.keys(EnvironmentSchema.shape) as SettingName[];

export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  constructor(readonly problems: string[]) {
    super(`The configuration is not usable:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const { environment, problems } = parseEnvironment(env);
  if (!environment) throw new ConfigurationError(problems);
  return environment;
}

/** The settings, or every problem with them (never both), for callers that add problems of their own. */
export function parseEnvironment(env: NodeJS.ProcessEnv): { environment?: Environment; problems: string[] } {
  // Empty strings count as unset: app settings are often present but blank.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvironmentSchema.safeParse(present);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  }
  return { environment: parsed.data, problems: [] };
}

export function credentialsFrom(env: Environment): BotCredentials | undefined {
  const problems = credentialProblems(env);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return botCredentials(env);
}

/** The bot's identity as the settings give it (checked by `credentialProblems`); undefined without an app id. */
export function botCredentials(env: Environment): BotCredentials | undefined {
  if (!env.MicrosoftAppId) return undefined;
  const appType = env.MicrosoftAppType ?? "SingleTenant";
  return {
    appId: env.MicrosoftAppId,
    appType,
    ...(env.MicrosoftAppTenantId ? { tenantId: env.MicrosoftAppTenantId } : {}),
    ...(env.MicrosoftAppPassword ? { password: env.MicrosoftAppPassword } : {}),
  };
}

/** What is missing for the bot's own identity, if it has one; nothing when MicrosoftAppId is unset. */
export function credentialProblems(env: Environment): string[] {
  if (!env.MicrosoftAppId) return [];
  const problems: string[] = [];
  const appType = env.MicrosoftAppType ?? "SingleTenant";
  if (appType !== "MultiTenant" && !env.MicrosoftAppTenantId) {
    problems.push("MicrosoftAppTenantId: required for a single-tenant or managed-identity bot");
  }
  if (appType !== "UserAssignedMSI" && !env.MicrosoftAppPassword) {
    problems.push("MicrosoftAppPassword: required unless the bot uses a user-assigned managed identity");
  }
  if (appType === "UserAssignedMSI" && env.MicrosoftAppPassword) {
    // botbuilder refuses the pair only when the bot is first built, so every request would fail: say it now.
    problems.push("MicrosoftAppPassword: must not be set for a bot that uses a managed identity (remove it)");
  }
  return problems;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Without bot credentials the adapter accepts unauthenticated activities: safe only when nobody but this machine
 * can reach the bot. So, without credentials, anything but a loopback address is refused.
 */
export function assertSafeToListen(host: string, credentials: BotCredentials | undefined): void {
  if (!credentials && !isLoopback(host)) {
    throw new ConfigurationError([
      `BOT_HOST: refusing to listen on ${host} without bot credentials. Without MicrosoftAppId the bot cannot check who is calling, so it only listens on 127.0.0.1. Set MicrosoftAppId (and its tenant and password or managed identity) to listen on other addresses.`,
    ]);
  }
}
