import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { decideRoleAdd, decideSettings, decideSetup } from "../governance/decisions.js";
import { type ChannelBinding, projectIdForChannel } from "../governance/project.js";
import { type GovernanceLog, openGovernanceLog } from "../store/governanceLog.js";
import { ensureTables } from "../store/tables.js";
import { readEnvironment } from "./config.js";
import { DEMO_BINDING, DEMO_LEAD, DEMO_PEOPLE, DEMO_PROJECT_NAME, DEMO_SITES } from "./demoData.js";
import { openLocalStorage } from "./localStorage.js";

/**
 * Loads the demo project through the same rules and log as real use (every step a governance log entry).
 * Idempotent: each step has a fixed idempotency key, so running it again changes nothing.
 */
export async function loadDemo(
  log: GovernanceLog,
  binding: ChannelBinding = DEMO_BINDING,
  now = new Date(),
): Promise<{ projectId: string; entries: number }> {
  const projectId = projectIdForChannel(binding.channelId);
  const lead = { objectId: DEMO_LEAD.objectId, name: DEMO_LEAD.name, tenantId: binding.tenantId };
  const step = async (key: string, decide: Parameters<GovernanceLog["change"]>[0]["decide"]) => {
    const result = await log.change({ projectId, idempotencyKey: `demo:${key}`, actor: lead, decide });
    if (result.status === "refused") throw new Error(`Demo step ${key} was refused: ${result.message}`);
  };
  await step("setup", (state) => decideSetup(state, { name: DEMO_PROJECT_NAME, binding, actor: lead }));
  const goLive = new Date(now.getTime() + 21 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await step("settings", (state) =>
    state
      ? decideSettings(state, lead, {
          settings: { goLiveDate: goLive, sites: DEMO_SITES, timeZone: "Europe/London", digestTime: "08:00" },
          assignments: [],
        })
      : { outcome: "refused", message: "no project" },
  );
  for (const person of [DEMO_LEAD, ...DEMO_PEOPLE]) {
    for (const { role, site } of person.roles) {
      await step(`role:${role}:${person.objectId}:${site ?? ""}`, (state) =>
        state
          ? decideRoleAdd(state, lead, {
              role,
              person: { objectId: person.objectId, name: person.name },
              ...(site ? { site } : {}),
            })
          : { outcome: "refused", message: "no project" },
      );
    }
  }
  return { projectId, entries: (await log.head(projectId))?.seq ?? 0 };
}

async function main(): Promise<void> {
  const env = readEnvironment();
  const storage = await openLocalStorage({
    dataDir: resolve(env.DATA_DIR, "azurite"),
    port: env.AZURITE_TABLE_PORT,
  });
  try {
    const target = { kind: "connection-string", connectionString: storage.connectionString } as const;
    await ensureTables(target);
    const log = openGovernanceLog(target);
    const { projectId, entries } = await loadDemo(log);
    const verification = await log.verify(projectId);
    console.log(`Demo project "${DEMO_PROJECT_NAME}" is ready (${entries} governance log entries, chain ${verification.ok ? "intact" : "BROKEN"}).
Sites: ${DEMO_SITES.join(" and ")}; people in every role.
Start the local host with npm start, open the Agents Playground, go to the team channel and type help or roles.`);
  } finally {
    await storage.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`The demo could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
