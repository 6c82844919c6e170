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

export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  constructor(readonly problems: string[]) {
    super(`The configuration is not usable:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  // Empty strings count as unset: app settings are often present but blank.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvironmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigurationError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  return parsed.data;
}

export function credentialsFrom(env: Environment): BotCredentials | undefined {
  if (!env.MicrosoftAppId) return undefined;
  const problems: string[] = [];
  const appType = env.MicrosoftAppType ?? "SingleTenant";
  if (appType !== "MultiTenant" && !env.MicrosoftAppTenantId) {
    problems.push("MicrosoftAppTenantId: required for a single-tenant or managed-identity bot");
  }
  if (appType !== "UserAssignedMSI" && !env.MicrosoftAppPassword) {
    problems.push("MicrosoftAppPassword: required unless the bot uses a user-assigned managed identity");
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    appId: env.MicrosoftAppId,
    appType,
    ...(env.MicrosoftAppTenantId ? { tenantId: env.MicrosoftAppTenantId } : {}),
    ...(env.MicrosoftAppPassword ? { password: env.MicrosoftAppPassword } : {}),
  };
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
