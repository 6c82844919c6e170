import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dateIn } from "../governance/boardDecision.js";
import { decideCloseDecision, decideOpenDecision, decideVote } from "../governance/boardDecisionRules.js";
import { decideRoleAdd, decideSettings, decideSetup, onProject } from "../governance/decisions.js";
import type { Actor } from "../governance/events.js";
import { decideIssueChange, decideRaise, type IssueChange } from "../governance/issueRules.js";
import { type ChannelBinding, type ProjectState, projectIdForChannel } from "../governance/project.js";
import { blockersOf, type HighRiskRecordType, type LeadItemArea, type Rag } from "../governance/readiness.js";
import {
  decideAssuranceRecord,
  decideReadinessItem,
  decideSupportPlan,
  decideTrainingRecord,
} from "../governance/readinessDecisions.js";
import { TableConversationReferences } from "../store/conversationReferences.js";
import {
  type ChangeRequest,
  type ChangeResult,
  type GovernanceLog,
  openGovernanceLog,
} from "../store/governanceLog.js";
import { ensureTables, type StorageTarget, TABLE_NAMES, tableClient } from "../store/tables.js";
import { readEnvironment } from "./config.js";
import {
  DEMO_BINDING,
  DEMO_ISSUES,
  DEMO_LEAD,
  DEMO_PEOPLE,
  DEMO_PROJECT_NAME,
  DEMO_SITES,
  type DemoIssueChange,
} from "./demoData.js";
import { openLocalStorage } from "./localStorage.js";
import { PLAYGROUND_BOT } from "./playgroundConfig.js";

const LONDON = "Europe/London";
const DAY_MS = 24 * 3600 * 1000;
/** How long the demo project has been live when it is loaded with a clock. */
const FORTNIGHT_DAYS = 14;

/**
 * The clock the demo's governance log runs on, so that each change carries the time it happened in the story:
 * open the log with `{ clock: clock.now }` and pass the clock to loadDemo. Outside a load it reads the real time.
 */
export class DemoClock {
  private at: Date | undefined;
  readonly now = (): Date => new Date(this.at?.getTime() ?? Date.now());
  set(at: Date | undefined): void {
    this.at = at;
  }
}

/**
 * Loads the demo project through the same rules and log as real use (every step a governance log entry).
 * Idempotent: each step has a fixed idempotency key, so running it again changes nothing.
 *
 * With the clock the log runs on, the story is told in the past and in order: set up five weeks before go-live,
 * readiness evidence, the board's conditional approval three weeks before go-live, then the first fortnight live
 * (go-live was 14 days before `now`) with its command log issues. Without one, every entry gets the log's own
 * time, so only the readiness story is loaded, decided `now` with go-live three weeks ahead.
 */
export async function loadDemo(
  log: GovernanceLog,
  binding: ChannelBinding = DEMO_BINDING,
  now = new Date(),
  clock?: DemoClock,
): Promise<{ projectId: string; entries: number; issues: number }> {
  const projectId = projectIdForChannel(binding.channelId);
  const lead = { objectId: DEMO_LEAD.objectId, name: DEMO_LEAD.name, tenantId: binding.tenantId };
  const step: DemoStep = async (key, decide, actor = lead, options = {}) => {
    if (clock && options.at) clock.set(options.at);
    const result = await log.change({
      projectId,
      idempotencyKey: `demo:${key}`,
      actor,
      decide,
      ...(options.issueIds ? { issueIds: options.issueIds } : {}),
    });
    if (result.status === "refused") throw new Error(`Demo step ${key} was refused: ${result.message}`);
    return result;
  };
  try {
    const planned = clock
      ? addDays(dateIn(LONDON, now), -FORTNIGHT_DAYS)
      : new Date(now.getTime() + 21 * DAY_MS).toISOString().slice(0, 10);
    const before = timeline(planned, clock);
    await step(
      "setup",
      (state) => decideSetup(state, { name: DEMO_PROJECT_NAME, binding, actor: lead }),
      lead,
      { at: before(-35, "09:00") },
    );
    const settings = await step(
      "settings",
      (state) =>
        state
          ? decideSettings(state, lead, {
              settings: { goLiveDate: planned, sites: DEMO_SITES, timeZone: LONDON, digestTime: "08:00" },
              assignments: [],
            })
          : { outcome: "refused", message: "no project" },
      lead,
      { at: before(-35, "09:05") },
    );
    // A demo loaded before keeps its go-live date: the rest of the story is timed from the one recorded.
    const goLive = settings.state?.project.settings.goLiveDate ?? planned;
    const when = timeline(goLive, clock);
    let minute = 0;
    for (const person of [DEMO_LEAD, ...DEMO_PEOPLE]) {
      for (const { role, site } of person.roles) {
        await step(
          `role:${role}:${person.objectId}:${site ?? ""}`,
          (state) =>
            state
              ? decideRoleAdd(state, lead, {
                  role,
                  person: { objectId: person.objectId, name: person.name },
                  ...(site ? { site } : {}),
                })
              : { outcome: "refused", message: "no project" },
          lead,
          { at: later(when(-35, "09:10"), minute++) },
        );
      }
    }
    await loadDemoReadinessAndDecision(step, binding.tenantId, when, now);
    // The fortnight is told only when it is over by now (a demo loaded earlier without a clock goes live later).
    if (clock && addDays(goLive, FORTNIGHT_DAYS) <= dateIn(LONDON, now)) {
      await loadDemoFortnight(step, binding.tenantId, when);
    }
  } finally {
    clock?.set(undefined);
  }
  const { state, seq } = await log.readStateAt(projectId);
  return { projectId, entries: seq, issues: state?.commandLog.raised ?? 0 };
}

type DemoStep = (
  key: string,
  decide: ChangeRequest["decide"],
  actor?: Actor,
  options?: { at?: Date | undefined; issueIds?: string[] },
) => Promise<ChangeResult>;

/** When, in the story, a day relative to go-live at a UK time: undefined without a clock (the log's own time). */
type When = (day: number, time: string) => Date | undefined;

function timeline(goLive: string, clock: DemoClock | undefined): When {
  return (day, time) => (clock ? ukTime(addDays(goLive, day), time) : undefined);
}

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const later = (at: Date | undefined, minutes: number): Date | undefined =>
  at && new Date(at.getTime() + minutes * 60_000);

/** A UK wall-clock time on a date, as the instant it was (GMT or BST). */
function ukTime(date: string, time: string): Date {
  const asUtc = new Date(`${date}T${time}:00Z`);
  const ukHour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: LONDON, hour: "2-digit", hourCycle: "h23" }).format(asUtc),
  );
  const offsetHours = (ukHour - asUtc.getUTCHours() + 24) % 24;
  return new Date(asUtc.getTime() - offsetHours * 3_600_000);
}

/** The demo person of that name, as the actor of a change. */
function demoActor(tenantId: string): (name: string) => Actor {
  return (name) => {
    const p = [DEMO_LEAD, ...DEMO_PEOPLE].find((x) => x.name === name);
    if (!p) throw new Error(`No demo person ${name}`);
    return { objectId: p.objectId, name: p.name, tenantId };
  };
}

/**
 * Readiness with two blockers left (Riverside's carers below 95% trained, risk assessments not fully validated)
 * and the board's conditional approval with a condition for each, closed by the chair.
 */
async function loadDemoReadinessAndDecision(
  step: DemoStep,
  tenantId: string,
  when: When,
  now: Date,
): Promise<void> {
  const as = demoActor(tenantId);
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
  for (const [i, [by, site, staffRole, staff, completed, confident, gaps]] of training.entries()) {
    await step(
      `training:${site}:${staffRole}`,
      onProject((s) =>
        decideTrainingRecord(s, as(by), { site, staffRole, staff, completed, confident, gaps }),
      ),
      as(by),
      { at: later(when(-24, "10:00"), 20 * i) },
    );
  }
  const assurance: Array<[HighRiskRecordType, number, number, number, number, boolean, string]> = [
    ["medication", 30, 30, 2, 0, true, "Two MAR transcription errors corrected before sign-off"],
    ["safeguarding", 20, 20, 0, 0, true, ""],
    ["care-plans", 25, 25, 1, 0, true, "One missing next-of-kin field completed"],
    ["risk-assessments", 25, 20, 1, 0, false, "Five falls assessments still to check at Riverside"],
  ];
  for (const [
    i,
    [recordType, sampleSize, checked, discrepancies, critical, signedOff, note],
  ] of assurance.entries()) {
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
      { at: later(when(-23, "11:00"), 30 * i) },
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
    { at: when(-22, "10:30") },
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
  for (const [i, [area, rag, owner, evidence, note]] of items.entries()) {
    await step(
      `item:${area}`,
      onProject((s) => decideReadinessItem(s, lead(), { area, rag, owner, evidence, note })),
      lead(),
      { at: later(when(-22, "14:00"), 15 * i) },
    );
  }

  // The board's decision, three weeks before go-live: conditional approval with a condition for each blocker.
  const decidedAt = when(-21, "10:00") ?? now;
  const today = dateIn(LONDON, decidedAt);
  const inDays = (days: number) => new Date(decidedAt.getTime() + days * DAY_MS).toISOString().slice(0, 10);
  await step(
    "decision:open",
    onProject((s) => decideOpenDecision(s, lead())),
    lead(),
    { at: decidedAt },
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
  const votes: Array<[string, string, "conditional" | "delay", string]> = [
    [
      "Margaret Ellis",
      "10:40",
      "conditional",
      "Evidence is strong at Oak House; Riverside's gaps are small and owned, with dates before go-live.",
    ],
    [
      "Priya Shah",
      "11:15",
      "conditional",
      "The two gaps have named owners and will close before go-live; support cover is in place.",
    ],
    [
      "David Okoye",
      "12:30",
      "conditional",
      "Content with conditions; I want the training figure confirmed at the daily review.",
    ],
    ["Sarah Lin", "14:05", "delay", "I would rather wait until every carer has completed training."],
  ];
  for (const [voter, time, choice, rationale] of votes) {
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
      { at: when(-21, time) },
    );
  }
  await step(
    "decision:close",
    onProject((s) => decideCloseDecision(s, as("Margaret Ellis"), { decisionId: "D1", today })),
    as("Margaret Ellis"),
    { at: when(-21, "16:30") },
  );

  function lead(): Actor {
    return as(DEMO_LEAD.name);
  }
}

/**
 * The first fortnight live: every issue of DEMO_ISSUES raised and changed through the command log's own rules, by
 * the person the story names, each change at its time in the story (all changes of all issues in time order).
 */
async function loadDemoFortnight(step: DemoStep, tenantId: string, when: When): Promise<void> {
  const as = demoActor(tenantId);
  const end = when(FORTNIGHT_DAYS, "00:00");
  if (!end) throw new Error("The live fortnight needs the demo's clock.");
  const planned: Array<{ at: Date; n: number; k: number }> = [];
  for (const [i, issue] of DEMO_ISSUES.entries()) {
    const raisedAt = when(issue.day, issue.time);
    if (!raisedAt) throw new Error("The live fortnight needs the demo's clock.");
    planned.push({ at: raisedAt, n: i + 1, k: 0 });
    for (const [j, s] of issue.steps.entries()) {
      if (s.after <= 0) throw new Error(`Demo issue ${i + 1} changes before it is raised.`);
      planned.push({ at: new Date(raisedAt.getTime() + s.after * 60_000), n: i + 1, k: j + 1 });
    }
  }
  const late = planned.find((p) => p.at >= end);
  if (late) throw new Error(`Demo issue ${late.n} runs past the end of the fortnight.`);
  planned.sort((a, b) => a.at.getTime() - b.at.getTime() || a.n - b.n || a.k - b.k);

  const ids = new Map<number, { id: string; raisedAt: Date }>();
  for (const { at, n, k } of planned) {
    const issue = DEMO_ISSUES[n - 1];
    if (!issue) continue;
    if (k === 0) {
      const raiser = as(issue.by);
      const result = await step(
        `issue:${n}:raise`,
        onProject((s) =>
          decideRaise(s, raiser, {
            type: issue.type,
            careImpacting: issue.careImpacting ?? false,
            workaround: issue.workaround ?? false,
            description: issue.description,
            ...(issue.priority ? { priority: issue.priority } : {}),
            ...(issue.site ? { site: issue.site } : {}),
          }),
        ),
        raiser,
        { at },
      );
      const entry = result.status === "recorded" || result.status === "duplicate" ? result.entry : undefined;
      const raised = entry?.events.find((e) => e.kind === "issue.raised");
      if (raised?.kind !== "issue.raised") throw new Error(`Demo issue ${n} was not raised.`);
      ids.set(n, { id: raised.issueId, raisedAt: at });
      continue;
    }
    const s = issue.steps[k - 1];
    const raised = ids.get(n);
    if (!s || !raised) throw new Error(`Demo issue ${n} step ${k} has no issue.`);
    const actor = as(s.by);
    const change = issueChangeOf(s.change, raised.raisedAt, as);
    const result = await step(
      `issue:${n}:${k}:${s.change.kind}`,
      (state, issues) =>
        state
          ? decideIssueChange(state, issues.get(raised.id), actor, change, raised.id)
          : { outcome: "refused", message: "no project" },
      actor,
      { at, issueIds: [raised.id] },
    );
    if (result.status === "unchanged") throw new Error(`Demo issue ${n} step ${k} changed nothing.`);
  }
}

/** The command log's change for a demo step: the owner by name becomes a person, the timescale a time. */
function issueChangeOf(change: DemoIssueChange, raisedAt: Date, as: (name: string) => Actor): IssueChange {
  if (change.kind !== "assign") return change;
  const { objectId, name } = as(change.owner);
  return {
    kind: "assign",
    owner: { objectId, name },
    ...(change.dueAfter !== undefined
      ? { dueBy: new Date(raisedAt.getTime() + change.dueAfter * 60_000).toISOString() }
      : {}),
  };
}

/**
 * The Playground's channel as the bot would have stored it from a first message there, so that `npm start` can post
 * this morning's digest into it at once (the Playground keeps posts made before its page is opened). A reference
 * stored from a real activity is kept as it is.
 */
async function rememberPlaygroundChannel(target: StorageTarget, playgroundPort: number): Promise<void> {
  const references = new TableConversationReferences(tableClient(target, TABLE_NAMES.conversations));
  if (await references.get(DEMO_BINDING.channelId)) return;
  await references.save({
    conversationKey: DEMO_BINDING.channelId,
    tenantId: DEMO_BINDING.tenantId,
    installed: true,
    updatedAt: new Date().toISOString(),
    reference: {
      channelId: "msteams",
      serviceUrl: `http://localhost:${playgroundPort}/_connector`,
      conversation: {
        id: DEMO_BINDING.channelId,
        conversationType: "channel",
        isGroup: true,
        tenantId: DEMO_BINDING.tenantId,
      },
      bot: PLAYGROUND_BOT,
      user: {
        id: DEMO_LEAD.teamsId ?? DEMO_LEAD.objectId,
        name: DEMO_LEAD.name,
        aadObjectId: DEMO_LEAD.objectId,
      },
    },
  });
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
    const clock = new DemoClock();
    const log = openGovernanceLog(target, { clock: clock.now });
    const { projectId, entries, issues } = await loadDemo(log, DEMO_BINDING, new Date(), clock);
    await rememberPlaygroundChannel(target, env.PLAYGROUND_PORT);
    const verification = await log.verify(projectId);
    console.log(`Demo project "${DEMO_PROJECT_NAME}" is ready (${entries} governance log entries, chain ${verification.ok ? "intact" : "BROKEN"}).
Sites: ${DEMO_SITES.join(" and ")}; people in every role; ${issues} issues in the command log from the first fortnight live.
Start the local host with npm start and open the Agents Playground: this morning's digest is posted in the team channel
within a minute (type digest to see it again), and help lists everything else.`);
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
