import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dateIn } from "../governance/boardDecision.js";
import { decideCloseDecision, decideOpenDecision, decideVote } from "../governance/boardDecisionRules.js";
import { decideRoleAdd, decideSettings, decideSetup, onProject } from "../governance/decisions.js";
import type { Actor } from "../governance/events.js";
import { type ChannelBinding, type ProjectState, projectIdForChannel } from "../governance/project.js";
import { blockersOf, type HighRiskRecordType, type LeadItemArea, type Rag } from "../governance/readiness.js";
import {
  decideAssuranceRecord,
  decideReadinessItem,
  decideSupportPlan,
  decideTrainingRecord,
} from "../governance/readinessDecisions.js";
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
  const step = async (
    key: string,
    decide: Parameters<GovernanceLog["change"]>[0]["decide"],
    actor: Actor = lead,
  ) => {
    const result = await log.change({ projectId, idempotencyKey: `demo:${key}`, actor, decide });
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
  await loadDemoReadinessAndDecision(step, binding.tenantId, now);
  return { projectId, entries: (await log.head(projectId))?.seq ?? 0 };
}

type DemoStep = (
  key: string,
  decide: Parameters<GovernanceLog["change"]>[0]["decide"],
  actor?: Actor,
) => Promise<void>;

/**
 * Readiness with two blockers left (Riverside's carers below 95% trained, risk assessments not fully validated)
 * and the board's conditional approval with a condition for each, closed by the chair.
 */
async function loadDemoReadinessAndDecision(step: DemoStep, tenantId: string, now: Date): Promise<void> {
  const as = (name: string): Actor => {
    const p = [DEMO_LEAD, ...DEMO_PEOPLE].find((x) => x.name === name);
    if (!p) throw new Error(`No demo person ${name}`);
    return { objectId: p.objectId, name: p.name, tenantId };
  };
  const person = (name: string) => {
    const { objectId } = as(name);
    return { objectId, name };
  };
  const [oak, riverside] = DEMO_SITES as [string, string];
  const training: Array<[string, string, string, number, number, number, string]> = [
    ["Grace Mensah", oak, "Carers", 50, 48, 44, "Two night carers unsure about PRN recording"],
    ["Grace Mensah", oak, "Nurses", 12, 12, 11, ""],
    ["Tom Okafor", riverside, "Carers", 40, 36, 30, "New starters in week 2 still to complete e-learning"],
    ["Tom Okafor", riverside, "Team leaders", 6, 6, 6, ""],
  ];
  for (const [by, site, staffRole, staff, completed, confident, gaps] of training) {
    await step(
      `training:${site}:${staffRole}`,
      onProject((s) =>
        decideTrainingRecord(s, as(by), { site, staffRole, staff, completed, confident, gaps }),
      ),
      as(by),
    );
  }
  const assurance: Array<[HighRiskRecordType, number, number, number, number, boolean, string]> = [
    ["medication", 30, 30, 2, 0, true, "Two MAR transcription errors corrected before sign-off"],
    ["safeguarding", 20, 20, 0, 0, true, ""],
    ["care-plans", 25, 25, 1, 0, true, "One missing next-of-kin field completed"],
    ["risk-assessments", 25, 20, 1, 0, false, "Five falls assessments still to check at Riverside"],
  ];
  for (const [recordType, sampleSize, checked, discrepancies, critical, signedOff, note] of assurance) {
    await step(
      `assurance:${recordType}`,
      onProject((s) =>
        decideAssuranceRecord(s, as("Aisha Rahman"), {
          recordType,
          sampleSize,
          checked,
          discrepancies,
          critical,
          signedOff,
          note,
        }),
      ),
      as("Aisha Rahman"),
    );
  }
  await step(
    "support-plan",
    onProject((s) =>
      decideSupportPlan(s, as("Ben Carter"), {
        escalationRoutes: "Floor staff → shift team leader → registered manager → on-call director (24/7)",
        supplierContact: "CareSys go-live desk, 0800 000 0000, golive@caresys.example",
        onSiteCover: "Two super-users per shift and a CareSys trainer on site for the first five days",
        responsibleLeads: [
          { site: oak, lead: "Grace Mensah" },
          { site: riverside, lead: "Tom Okafor" },
        ],
      }),
    ),
    as("Ben Carter"),
  );
  const items: Array<[LeadItemArea, Rag, string, string, string]> = [
    [
      "data-migration",
      "green",
      "Priya Shah",
      "Care plans and MAR charts migrated; reconciliation report signed 12 Nov",
      "",
    ],
    [
      "equipment",
      "amber",
      "Ben Carter",
      "42 of 44 sensor mats paired with the ECM alerts",
      "Two mats at Oak House awaiting replacement",
    ],
    ["access", "green", "IT lead", "All 143 staff have logged in on their own devices", ""],
    [
      "supplier-support",
      "green",
      "Nina Kowalski",
      "Go-live desk staffed 7am–10pm for the first fortnight",
      "",
    ],
  ];
  for (const [area, rag, owner, evidence, note] of items) {
    await step(
      `item:${area}`,
      onProject((s) => decideReadinessItem(s, lead(), { area, rag, owner, evidence, note })),
    );
  }

  // The board's decision: conditional approval with a condition for each blocker.
  const today = dateIn("Europe/London", now);
  const inDays = (days: number) =>
    new Date(now.getTime() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await step(
    "decision:open",
    onProject((s) => decideOpenDecision(s, lead())),
  );
  const conditionsFor = (state: ProjectState) =>
    blockersOf(state).map((b) =>
      b.area === "training"
        ? {
            blockerId: b.id,
            text: "All Riverside carers complete role-based training before their first live shift",
            owner: person("Tom Okafor"),
            due: inDays(14),
          }
        : {
            blockerId: b.id,
            text: "Remaining five falls risk assessments validated and signed off",
            owner: person("Aisha Rahman"),
            due: inDays(10),
          },
    );
  const votes: Array<[string, "conditional" | "delay", string]> = [
    [
      "Margaret Ellis",
      "conditional",
      "Evidence is strong at Oak House; Riverside's gaps are small and owned, with dates before go-live.",
    ],
    [
      "Priya Shah",
      "conditional",
      "The two gaps have named owners and will close before go-live; support cover is in place.",
    ],
    [
      "David Okoye",
      "conditional",
      "Content with conditions; I want the training figure confirmed at the daily review.",
    ],
    ["Sarah Lin", "delay", "I would rather wait until every carer has completed training."],
  ];
  for (const [voter, choice, rationale] of votes) {
    await step(
      `decision:vote:${voter}`,
      onProject((s) =>
        decideVote(s, as(voter), {
          decisionId: "D1",
          choice,
          rationale,
          today,
          ...(choice === "conditional" ? { conditions: conditionsFor(s) } : { newDate: inDays(35) }),
        }),
      ),
      as(voter),
    );
  }
  await step(
    "decision:close",
    onProject((s) => decideCloseDecision(s, as("Margaret Ellis"), { decisionId: "D1", today })),
    as("Margaret Ellis"),
  );

  function lead(): Actor {
    return as(DEMO_LEAD.name);
  }
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
