import { createHmac } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { consoleLogger } from "../bot/logger.js";
import type { ChannelPoster } from "../bot/outbound.js";
import { type DigestOutcome, type ReviewDependencies, runDailyDigest } from "../bot/reviews.js";
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
import { decideSupport } from "../governance/reviewRuns.js";
import {
  decideAudit,
  decideOpenPulse,
  decidePulseAnswer,
  decideRiskAdd,
  decideRiskChange,
  decideSlt,
} from "../governance/stabilisationDecisions.js";
import { confidenceOf } from "../governance/stabilisationRules.js";
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
  DEMO_AUDITS,
  DEMO_BINDING,
  DEMO_DIGEST_TIME,
  DEMO_ISSUES,
  DEMO_LEAD,
  DEMO_PEOPLE,
  DEMO_PROJECT_NAME,
  DEMO_PULSE_ANSWERS,
  DEMO_PULSE_OPENED,
  DEMO_QUALITY_LEAD,
  DEMO_RISKS,
  DEMO_SITES,
  DEMO_SLT_DECISION,
  DEMO_SUPPORT_DECISIONS,
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
 * (go-live was 14 days before `now`) with its command log issues and, among them at their times, stabilisation:
 * weekly audits of both sites, an anonymous staff confidence pulse, the risk log and the SLT's decision to extend;
 * and the daily review: each morning's digest at the digest time, as the scheduler records it, with the board's
 * decision on most of them (this morning's digest is left for the scheduler, so `npm start` posts it). Without
 * one, every entry gets the log's own time, so only the readiness story is loaded, decided `now` with go-live three
 * weeks ahead.
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
              settings: {
                goLiveDate: planned,
                sites: DEMO_SITES,
                timeZone: LONDON,
                digestTime: DEMO_DIGEST_TIME,
              },
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
      const reviews = demoReviews(
        log,
        projectId,
        binding.channelId,
        clock,
        await lastEntryAt(log, projectId),
      );
      await loadDemoFortnight(step, binding.tenantId, when, reviews);
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

/** A change of the live fortnight: when it happened in the story, and how it is made. */
interface Planned {
  at: Date;
  what: string;
  run: () => Promise<void>;
}

/**
 * The first fortnight live: every issue of DEMO_ISSUES raised and changed through the command log's own rules, by
 * the person the story names, stabilisation alongside them, and each morning's digest with the board's decision;
 * each change at its time in the story (all changes in time order, so the log reads as it happened).
 */
async function loadDemoFortnight(
  step: DemoStep,
  tenantId: string,
  when: When,
  reviews: DemoReviews,
): Promise<void> {
  const end = when(FORTNIGHT_DAYS, "00:00");
  if (!end) throw new Error("The live fortnight needs the demo's clock.");
  const planned = [
    ...issuesPlan(step, tenantId, when),
    ...stabilisationPlan(step, tenantId, when),
    ...dailyReviewPlan(step, tenantId, when, reviews),
  ];
  const late = planned.find((p) => p.at >= end);
  if (late) throw new Error(`Demo ${late.what} runs past the end of the fortnight.`);
  // A stable sort: at the same minute, issues (in their order), then stabilisation, then the daily review — so a
  // digest sees what is stamped with its own time, as a replay of that morning (and the card redrawn on the board's
  // decision) does.
  planned.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const { run } of planned) await run();
}

/** Each issue of DEMO_ISSUES raised, then changed by its steps; a change finds its issue's id from the raise. */
function issuesPlan(step: DemoStep, tenantId: string, when: When): Planned[] {
  const as = demoActor(tenantId);
  const ids = new Map<number, { id: string; raisedAt: Date }>();
  const planned: Planned[] = [];
  for (const [i, issue] of DEMO_ISSUES.entries()) {
    const n = i + 1;
    const raisedAt = storyTime(when, issue.day, issue.time);
    planned.push({
      at: raisedAt,
      what: `issue ${n}`,
      run: async () => {
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
          { at: raisedAt },
        );
        const raised = entryOf(result)?.events.find((e) => e.kind === "issue.raised");
        if (raised?.kind !== "issue.raised") throw new Error(`Demo issue ${n} was not raised.`);
        ids.set(n, { id: raised.issueId, raisedAt });
      },
    });
    for (const [j, s] of issue.steps.entries()) {
      const k = j + 1;
      if (s.after <= 0) throw new Error(`Demo issue ${n} changes before it is raised.`);
      const changedAt = new Date(raisedAt.getTime() + s.after * 60_000);
      planned.push({
        at: changedAt,
        what: `issue ${n}`,
        run: async () => {
          const raised = ids.get(n);
          if (!raised) throw new Error(`Demo issue ${n} step ${k} has no issue.`);
          const actor = as(s.by);
          const change = issueChangeOf(s.change, raised.raisedAt, as);
          const result = await step(
            `issue:${n}:${k}:${s.change.kind}`,
            (state, issues) =>
              state
                ? decideIssueChange(state, issues.get(raised.id), actor, change, raised.id)
                : { outcome: "refused", message: "no project" },
            actor,
            { at: changedAt, issueIds: [raised.id] },
          );
          if (result.status === "unchanged") throw new Error(`Demo issue ${n} step ${k} changed nothing.`);
        },
      });
    }
  }
  return planned;
}

/**
 * The daily review as the scheduler runs it, for the demo: each morning's digest, and whether a morning's digest is
 * in the log (so the board can decide on it).
 */
interface DemoReviews {
  /**
   * The morning's digest, run at `at` (the digest time) by the scheduler's own code; undefined when the log already
   * runs past that morning (a demo loaded before digests were recorded), so the log stays in time order.
   */
  digest(at: Date): Promise<DigestOutcome | undefined>;
  /** Whether the digest of that period is recorded as posted. */
  posted(period: string): Promise<boolean>;
}

function demoReviews(
  log: GovernanceLog,
  projectId: string,
  channelId: string,
  clock: DemoClock,
  loadedUpTo: number,
): DemoReviews {
  const nowhere = {
    save: async () => {},
    get: async () => undefined,
    async *list() {},
  };
  return {
    digest: async (at) => {
      if (at.getTime() <= loadedUpTo) return undefined;
      const period = dateIn(LONDON, at);
      // During the demo there is no Teams to post to: the digest card is built as usual and delivered nowhere, with
      // an activity id of its own (fixed by its period, so a load is deterministic). What the log records is what
      // the scheduled review records after a real post: the claim, then the counts, triggers and recommendation.
      const poster: ChannelPoster = { postToChannel: async () => `demo-digest-${period}` };
      const deps: ReviewDependencies = {
        log,
        // The demo names the project's channel itself: no stored conversation reference is read.
        references: nowhere,
        poster,
        logger: consoleLogger("error"),
      };
      clock.set(at);
      // The scheduler's daily job for one project (as runScheduledReviews runs it at the digest time): due period,
      // claim, build from the log as it stands (only what was known that morning: the log is filled in time order),
      // post, record. Not replayed with asOf: this is the morning itself, not a look back at it.
      const outcome = await runDailyDigest(deps, channelId, at);
      if (outcome.outcome === "skipped" && outcome.reason !== "posted") {
        throw new Error(`The demo's digest for ${period} was not posted: ${outcome.reason}.`);
      }
      if (outcome.outcome === "posted" && outcome.period !== period) {
        throw new Error(`The demo's digest at ${at.toISOString()} was for ${outcome.period}, not ${period}.`);
      }
      return outcome;
    },
    posted: (period) => log.hasRecorded(projectId, `review-posted:daily-digest:${period}`),
  };
}

/** When the log's last entry was made (0 for an empty log): the demo only appends after it. */
async function lastEntryAt(log: GovernanceLog, projectId: string): Promise<number> {
  let last = 0;
  for await (const entry of log.entries(projectId)) {
    if (!("unreadable" in entry)) last = Math.max(last, Date.parse(entry.at));
  }
  return last;
}

/**
 * The daily review of the fortnight (domain page §3): the digest each morning from the day after go-live to the
 * last day of the story, at the project's digest time, and the board's recorded decision on most of them, each
 * through the same rule as the digest card's continue / increase / reduce action. A decision is recorded only on
 * the recommendation the story expects, so its rationale (which names that morning's triggers) stays true.
 */
function dailyReviewPlan(step: DemoStep, tenantId: string, when: When, reviews: DemoReviews): Planned[] {
  const as = demoActor(tenantId);
  const planned: Planned[] = [];
  for (let day = 1; day < FORTNIGHT_DAYS; day++) {
    const at = storyTime(when, day, DEMO_DIGEST_TIME);
    planned.push({
      at,
      what: `digest of day ${day}`,
      run: async () => {
        await reviews.digest(at);
      },
    });
  }
  const days = new Set<number>();
  for (const decision of DEMO_SUPPORT_DECISIONS) {
    const { day, time, by, recommended, choice, rationale } = decision;
    if (day < 1 || day >= FORTNIGHT_DAYS || days.has(day) || time <= DEMO_DIGEST_TIME)
      throw new Error(`The demo's support decision on day ${day} is not after a digest of its own.`);
    days.add(day);
    const at = storyTime(when, day, time);
    const period = dateIn(LONDON, at);
    planned.push({
      at,
      what: `support decision of day ${day}`,
      run: async () => {
        // Only on a digest the log holds (not when the demo was loaded before digests were recorded).
        if (!(await reviews.posted(period))) return;
        const member = as(by);
        await step(
          `support:${period}`,
          onProject((s) => {
            const run = s.reviews.find((r) => r.review === "daily-digest" && r.period === period);
            // A rationale written for another recommendation would not be true of this digest: left out.
            if (run?.recommendation && run.recommendation.choice !== recommended) {
              return {
                outcome: "unchanged",
                message: `The digest of ${period} recommended ${run.recommendation.choice}, not ${recommended}.`,
              };
            }
            return decideSupport(s, member, { period, choice, rationale });
          }),
          member,
          { at },
        );
      },
    });
  }
  return planned;
}

/** A demo-only key for the anonymous pulse's slots (the bot keeps its own key outside storage). */
const DEMO_ANONYMITY_KEY = "demo-only: Oak House & Riverside staff pulse";

/**
 * Stabilisation alongside the fortnight's issues: the quality lead's audits of both sites at the end of weeks 1
 * and 2 (the first moves the project into stabilisation), the project lead's anonymous staff confidence pulse in
 * week 2 with its answers recorded as the bot records them (actor "Anonymous respondent", an opaque slot), two risks
 * (one closed with evidence, one open to a review date), and the SLT's decision to extend: close would be refused
 * while the exit criteria fail.
 */
function stabilisationPlan(step: DemoStep, tenantId: string, when: When): Planned[] {
  const as = demoActor(tenantId);
  const person = (name: string) => {
    const { objectId } = as(name);
    return { objectId, name };
  };
  const planned: Planned[] = [];
  const plan = (day: number, time: string, what: string, run: (at: Date) => Promise<void>) => {
    const happened = storyTime(when, day, time);
    planned.push({ at: happened, what, run: () => run(happened) });
  };
  const goLive = storyTime(when, 0, "00:00");
  const dayOf = (day: number) => addDays(dateIn(LONDON, goLive), day);

  for (const [i, audit] of DEMO_AUDITS.entries()) {
    const week = audit.day < 7 ? 1 : 2;
    plan(audit.day, audit.time, `audit ${i + 1}`, async (at) => {
      const quality = as(DEMO_QUALITY_LEAD);
      await step(
        `stab:audit:week-${week}:${audit.site}`,
        onProject((s) =>
          decideAudit(s, quality, {
            site: audit.site,
            kind: "stabilisation",
            measures: audit.measures,
            notes: audit.notes,
          }),
        ),
        quality,
        { at },
      );
    });
  }

  let pulseId: string | undefined;
  const opener = DEMO_PULSE_OPENED;
  plan(opener.day, opener.time, "pulse", async (at) => {
    const result = await step(
      "stab:pulse:open",
      onProject((s) => decideOpenPulse(s, as(opener.by), true)),
      as(opener.by),
      { at },
    );
    const opened = entryOf(result)?.events.find((e) => e.kind === "pulse.opened");
    if (opened?.kind !== "pulse.opened") throw new Error("The demo pulse was not opened.");
    pulseId = opened.pulseId;
  });
  for (const [i, answer] of DEMO_PULSE_ANSWERS.entries()) {
    if (answer.day < opener.day || (answer.day === opener.day && answer.time <= opener.time))
      throw new Error(`Demo pulse answer ${i + 1} comes before the pulse.`);
    plan(answer.day, answer.time, `pulse answer ${i + 1}`, async (at) => {
      if (!pulseId) throw new Error("The demo pulse has not been opened.");
      const id = pulseId;
      // As the bot answers an anonymous pulse: a keyed hash for the respondent, nobody's id or name anywhere.
      const slot = createHmac("sha256", DEMO_ANONYMITY_KEY)
        .update(`${id}|respondent-${i + 1}`)
        .digest("hex")
        .slice(0, 40);
      await step(
        `stab:pulse:answer:${i + 1}`,
        onProject((s) =>
          decidePulseAnswer(s, {
            pulseId: id,
            slot,
            role: answer.role,
            site: answer.site,
            score: answer.score,
            ...(answer.comment ? { comment: answer.comment } : {}),
          }),
        ),
        { objectId: "anonymous", name: "Anonymous respondent" },
        { at },
      );
    });
  }

  for (const [i, risk] of DEMO_RISKS.entries()) {
    const n = i + 1;
    let riskId: string | undefined;
    const { raised, reviewed, closed } = risk;
    plan(raised.day, raised.time, `risk ${n}`, async (at) => {
      const result = await step(
        `stab:risk:${n}:add`,
        onProject((s) => decideRiskAdd(s, as(raised.by), raised.text, dateIn(LONDON, at))),
        as(raised.by),
        { at },
      );
      const added = entryOf(result)?.events.find((e) => e.kind === "risk.added");
      if (added?.kind !== "risk.added") throw new Error(`Demo risk ${n} was not added.`);
      riskId = added.risk.id;
    });
    const idOf = () => {
      if (!riskId) throw new Error(`Demo risk ${n} has not been added.`);
      return riskId;
    };
    if (reviewed) {
      plan(reviewed.day, reviewed.time, `risk ${n}`, async (at) => {
        const id = idOf();
        await step(
          `stab:risk:${n}:review`,
          onProject((s) =>
            decideRiskChange(s, as(reviewed.by), {
              kind: "update",
              riskId: id,
              owner: person(reviewed.owner),
              likelihood: reviewed.likelihood,
              impact: reviewed.impact,
              reviewDate: dayOf(reviewed.reviewDay),
            }),
          ),
          as(reviewed.by),
          { at },
        );
      });
    }
    if (closed) {
      plan(closed.day, closed.time, `risk ${n}`, async (at) => {
        const id = idOf();
        await step(
          `stab:risk:${n}:close`,
          onProject((s) =>
            decideRiskChange(s, as(closed.by), { kind: "close", riskId: id, evidence: closed.evidence }),
          ),
          as(closed.by),
          { at },
        );
      });
    }
  }

  const slt = DEMO_SLT_DECISION;
  plan(slt.day, slt.time, "SLT decision", async (at) => {
    const member = as(slt.by);
    const today = dateIn(LONDON, at);
    const reviewDate = addDays(today, slt.reviewAfterDays);
    await step(
      "stab:slt:extend",
      onProject((s) =>
        decideSlt(s, member, {
          choice: "extend",
          rationale: extendRationale(s, reviewDate),
          today,
          reviewDate,
        }),
      ),
      member,
      { at },
    );
  });
  return planned;
}

/**
 * The SLT member's rationale for extending, in words, naming what is not yet met as the state shows it (the story's
 * point: confidence below its threshold, care-impacting issues still open, Riverside's week 1 audit below threshold).
 */
function extendRationale(state: ProjectState, reviewDate: string): string {
  const { stabilisation: s } = state;
  const confidence = confidenceOf(s.pulses.at(-1));
  const threshold = s.thresholds.confidencePercent;
  if (!confidence || confidence.percent >= threshold)
    throw new Error("The demo's pulse should leave staff confidence below its threshold.");
  // The command log's high-risk summaries begin with their flags, e.g. "P1, care-impacting: ...".
  const flagged = state.commandLog.highRisk.map((h) => {
    const flags = h.summary.split(":")[0] ?? "";
    return { id: h.id, care: flags.includes("care-impacting"), named: `${h.id} (${flags.split(",")[0]})` };
  });
  const care = flagged.filter((h) => h.care).map((h) => h.named);
  const other = flagged.filter((h) => !h.care).map((h) => h.named);
  if (care.length === 0)
    throw new Error("The demo should have open care-impacting issues at the SLT's decision.");
  const still =
    `care-impacting ${care.length === 1 ? "issue" : "issues"} ${care.join(", ")} ${care.length === 1 ? "is" : "are"} still open` +
    (other.length > 0 ? `, as ${other.length === 1 ? "is" : "are"} ${other.join(", ")}` : "");
  const review = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(`${reviewDate}T00:00:00Z`),
  );
  return [
    "Extend stabilisation by a week; close is not yet justified.",
    `Not yet met: staff confidence is ${confidence.percent}% (4 or 5 of 5, ${confidence.answers} answers) against the ${threshold}% threshold, lowest on nights and the rural rounds;`,
    `${still};`,
    "and Riverside's care plan access was below 98% in its week 1 audit, so its last two audits do not both meet every threshold.",
    `Review on ${review} with the week 3 audits, a second pulse and those issues closed or controlled.`,
  ].join(" ");
}

/** The log entry a step recorded, or found already recorded under its key. */
function entryOf(result: ChangeResult) {
  return result.status === "recorded" || result.status === "duplicate" ? result.entry : undefined;
}

/** When something happened in the live fortnight (which needs the demo's clock). */
function storyTime(when: When, day: number, time: string): Date {
  const happened = when(day, time);
  if (!happened) throw new Error("The live fortnight needs the demo's clock.");
  return happened;
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

/** The daily digests in the log (their periods, in order) and the board's decisions on them. */
async function dailyReviewIn(
  log: GovernanceLog,
  projectId: string,
): Promise<{ digests: string[]; decided: number; against: number }> {
  const digests = new Set<string>();
  const decided = new Set<string>();
  let against = 0;
  for await (const entry of log.entries(projectId)) {
    if ("unreadable" in entry) continue;
    for (const event of entry.events) {
      if (event.kind === "review.posted" && event.review === "daily-digest") digests.add(event.period);
      if (event.kind === "support.decided" && event.review === "daily-digest") {
        decided.add(event.period);
        if (event.choice !== event.recommended) against++;
      }
    }
  }
  return { digests: [...digests].sort(), decided: decided.size, against };
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
    const stabilisation = (await log.readState(projectId))?.stabilisation;
    const confidence = confidenceOf(stabilisation?.pulses.at(-1));
    const decided = stabilisation?.decisions.at(-1);
    const stabilised =
      stabilisation && confidence && decided
        ? `\nStabilisation: ${stabilisation.audits.length} weekly audits, a staff pulse (${confidence.answers} answers, ${confidence.percent}% confident), ${stabilisation.risks.length} risks, and the SLT's decision to ${decided.choice}${decided.reviewDate ? ` (review on ${decided.reviewDate})` : ""}.`
        : "";
    const review = await dailyReviewIn(log, projectId);
    const reviewed =
      review.digests.length > 0
        ? `\nDaily review: ${review.digests.length} morning digests (${review.digests[0]} to ${review.digests.at(-1)}), each recorded with its counts, triggers and recommendation, and the board's decision with its rationale on ${review.decided} of them (${review.against} against the recommendation, saying why).`
        : issues > 0
          ? "\nDaily review: no morning digests in the log. The demo in this store was loaded before it recorded them, and a log is only appended to, so they are not added after the fortnight."
          : "";
    console.log(`Demo project "${DEMO_PROJECT_NAME}" is ready (${entries} governance log entries, chain ${verification.ok ? "intact" : "BROKEN"}).
Sites: ${DEMO_SITES.join(" and ")}; people in every role; ${issues} issues in the command log from the first fortnight live.${stabilised}${reviewed}
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
