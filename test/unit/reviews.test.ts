import { describe, expect, it } from "vitest";
import { remindersDue, SCHEDULER } from "../../bot/reviews.js";
import type { Condition } from "../../governance/boardDecision.js";
import {
  applyIssueEvent,
  type Issue,
  type IssueEvent,
  type IssueSummary,
  type Priority,
  summaryOf,
} from "../../governance/commandLog.js";
import {
  applyEvents,
  type Decision,
  decideRoleAdd,
  decideSettings,
  decideSetup,
  replayProject,
} from "../../governance/decisions.js";
import { buildDigest, recommend } from "../../governance/digest.js";
import type { Trigger, TriggerKind } from "../../governance/digestTypes.js";
import { type Actor, type GovernanceEvent, GovernanceEventSchema } from "../../governance/events.js";
import { zonedTimeToIso } from "../../governance/issueClocks.js";
import {
  decideIssueChange,
  decideRaise,
  type IssueChange,
  type RaiseRequest,
} from "../../governance/issueRules.js";
import type { Project, ProjectSettings, ProjectState } from "../../governance/project.js";
import {
  applyReviewEvent,
  CLAIM_EXPIRES_MS,
  decideSupport,
  type ReviewEvent,
  type ReviewRun,
  reviewToRun,
} from "../../governance/reviewRuns.js";
import type { Role } from "../../governance/roles.js";
import { addDays, dueDigestPeriod, localNow } from "../../governance/schedule.js";
import { actor, CARE_TEAM, newChannel, PEOPLE, someone, TENANT_ID } from "../support/fixtures.js";

// ---------------------------------------------------------------------------------------------------
// People and projects (the approach of command-log.test.ts)
// ---------------------------------------------------------------------------------------------------

/** The shared care team (test/support/fixtures.ts); the roles each holds are given below. */
const { priya, tom, grace, dev, ama, lucy, sam } = CARE_TEAM;
/** Chair of the project board. */
const bea = someone(9, "Bea Clarke");
/** Project board member. */
const ben = someone(10, "Ben Ashworth");

const ZONE = "Europe/London";
const SITES = ["Oak House", "Riverside"];
const ROLES: Array<[Actor, Role, string?]> = [
  [tom, "registered-manager", "Oak House"],
  [ama, "registered-manager", "Riverside"],
  [grace, "quality-lead"],
  [dev, "operations-lead"],
  [lucy, "team-leader"],
  [sam, "supplier"],
  [bea, "board-chair"],
  [ben, "board-member"],
];

const person = (a: Actor) => ({ objectId: a.objectId, name: a.name });
const names = (people: ReadonlyArray<{ name: string }>) => people.map((p) => p.name).sort();

/** A wall-clock time in London as an instant (BST or GMT as the date has it). */
function local(date: string, time: string): string {
  const iso = zonedTimeToIso(date, time, ZONE);
  if (!iso) throw new Error(`not a time: ${date} ${time}`);
  return iso;
}

/** A project as the store keeps it: its state, its command log's issues, and the governance log's entries. */
interface LiveProject {
  state: ProjectState;
  issues: Map<string, Issue>;
  entries: Array<{ at: string; actor: Actor; events: GovernanceEvent[] }>;
}

function applied(project: LiveProject, by: Actor, when: string, decision: Decision): LiveProject {
  if (decision.outcome !== "record") throw new Error(`expected a record: ${decision.message}`);
  // Every recorded event must be a word of the governance log: the store parses them before committing.
  for (const event of decision.events) GovernanceEventSchema.parse(event);
  const issues = new Map(project.issues);
  const state = applyEvents(project.state, decision.events, { at: when, actor: by }, issues);
  if (!state) throw new Error("no state after applying the events");
  return { state, issues, entries: [...project.entries, { at: when, actor: by, events: decision.events }] };
}

const record = (...events: GovernanceEvent[]): Decision => ({ outcome: "record", events });

/** Oak House and Riverside with their people and board, live from `liveFrom` (London time). */
function liveProject(liveFrom = "2026-06-01"): LiveProject {
  const setupAt = local(addDays(liveFrom, -14), "09:00");
  const setup = decideSetup(undefined, {
    name: "Oak House and Riverside go-live",
    binding: newChannel(),
    actor: priya,
  });
  if (setup.outcome !== "record") throw new Error("setup should record");
  const state = applyEvents(undefined, setup.events, { at: setupAt, actor: priya });
  if (!state) throw new Error("no state");
  let project: LiveProject = {
    state,
    issues: new Map(),
    entries: [{ at: setupAt, actor: priya, events: setup.events }],
  };
  project = applied(
    project,
    priya,
    setupAt,
    decideSettings(state, priya, { settings: { ...state.project.settings, sites: SITES }, assignments: [] }),
  );
  for (const [who, role, site] of ROLES) project = give(project, who, role, site);
  return applied(
    project,
    priya,
    local(liveFrom, "07:00"),
    record({
      kind: "project.phase-changed",
      from: "preparing",
      to: "live",
      effectiveFrom: liveFrom,
      reason: "Board approved go-live",
    }),
  );
}

function give(project: LiveProject, who: Actor, role: Role, site?: string): LiveProject {
  const decision = decideRoleAdd(project.state, priya, {
    role,
    person: person(who),
    ...(site ? { site } : {}),
  });
  return applied(project, priya, project.state.project.createdAt, decision);
}

const PLAIN: RaiseRequest = {
  type: "request",
  careImpacting: false,
  workaround: false,
  description: "Rota not showing the night shifts",
};

/** Someone raises an issue at `when`; the project after it and the new issue's id. */
function raise(
  project: LiveProject,
  by: Actor,
  when: string,
  request: Partial<RaiseRequest> = {},
): [LiveProject, string] {
  const next = applied(project, by, when, decideRaise(project.state, by, { ...PLAIN, ...request }));
  return [next, `GL-${next.state.commandLog.raised}`];
}

function change(project: LiveProject, by: Actor, when: string, id: string, c: IssueChange): LiveProject {
  return applied(project, by, when, decideIssueChange(project.state, project.issues.get(id), by, c, id));
}

const update = (text = "Supplier looking at it now"): IssueChange => ({
  kind: "update",
  update: "update",
  text,
});
const control = (text = "Second carer checks every entry until fixed"): IssueChange => ({
  kind: "control",
  control: { kind: "additional-checks", text },
});
const resolve = (evidence = "Fixed by the supplier; checked on the floor"): IssueChange => ({
  kind: "resolve",
  evidence,
});
const assign = (owner: Actor): IssueChange => ({ kind: "assign", owner: person(owner) });

const summaries = (project: LiveProject, status?: Issue["status"]): IssueSummary[] =>
  [...project.issues.values()]
    .filter((i) => status === undefined || i.status === status)
    .sort((a, b) => a.number - b.number)
    .map(summaryOf);

function condition(id: string, due: string, state: Condition["state"] = "open"): Condition {
  return {
    id,
    decisionId: "D-1",
    blockerId: "training:Riverside:nurses",
    blockerReason: "Riverside nurses' training at 88%, below 95%",
    text: "Riverside nurses complete the eMAR refresher",
    owner: person(grace),
    due,
    state,
  };
}

const withConditions = (project: LiveProject, conditions: Condition[]): LiveProject => ({
  ...project,
  state: { ...project.state, conditions },
});

// ---------------------------------------------------------------------------------------------------
// 1. When the daily digest is due (clock changes included)
// ---------------------------------------------------------------------------------------------------

function scheduledProject(settings: Partial<ProjectSettings> = {}, extra: Partial<Project> = {}): Project {
  return {
    id: "p-digest",
    name: "Oak House and Riverside go-live",
    binding: { tenantId: TENANT_ID, channelId: "19:digest@thread.tacv2" },
    phase: "live",
    settings: { sites: SITES, timeZone: ZONE, digestTime: "08:00", ...settings },
    createdAt: "2026-01-05T09:00:00.000Z",
    createdBy: priya.objectId,
    liveFrom: "2026-01-19",
    ...extra,
  };
}

const TICK_MS = 15 * 60_000;
const runnerMeta = (now: Date) => ({ at: now.toISOString(), actor: { name: SCHEDULER.name } });

function postedEvent(period: string): ReviewEvent {
  return {
    kind: "review.posted",
    review: "daily-digest",
    period,
    activityId: `activity-${period}`,
    conversationId: "19:digest@thread.tacv2",
    counts: { new: 0, open: 0, resolved: 0, awaitingVerification: 0 },
    triggers: [],
    recommendation: { choice: "continue", rule: "Continue: new issues not yet falling to half the usual." },
  };
}

/** The runs after `period`'s digest was claimed and posted at `at`. */
function postedRun(period: string, at: string, runs: readonly ReviewRun[] = []): ReviewRun[] {
  const meta = runnerMeta(new Date(at));
  const claimed = applyReviewEvent(runs, { kind: "review.claimed", review: "daily-digest", period }, meta);
  return applyReviewEvent(claimed, postedEvent(period), meta);
}

/**
 * The dispatcher ticking every 15 minutes from `from` (inclusive) to `to` (exclusive), as the runner does:
 * ask which period is due, ask whether it should run, then claim and post it. Ticks `missed` skips.
 */
function dispatch(
  project: Project,
  from: string,
  to: string,
  options: { runs?: ReviewRun[]; missed?: (now: Date) => boolean } = {},
): { posted: Array<{ period: string; at: string }>; runs: ReviewRun[] } {
  let runs = options.runs ?? [];
  const posted: Array<{ period: string; at: string }> = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += TICK_MS) {
    const now = new Date(t);
    if (options.missed?.(now)) continue;
    const period = dueDigestPeriod(project, now);
    if (period === undefined || reviewToRun(runs, "daily-digest", period, now) !== "run") continue;
    runs = applyReviewEvent(
      runs,
      { kind: "review.claimed", review: "daily-digest", period },
      runnerMeta(now),
    );
    runs = applyReviewEvent(runs, postedEvent(period), runnerMeta(now));
    posted.push({ period, at: now.toISOString() });
  }
  return { posted, runs };
}

/** The weekends around the last Sundays of March and October 2026; Friday's digest already posted. */
const WEEKENDS = {
  spring: { friday: "2026-03-27", from: "2026-03-28T00:00:00.000Z", to: "2026-03-31T00:00:00.000Z" },
  autumn: { friday: "2026-10-23", from: "2026-10-24T00:00:00.000Z", to: "2026-10-27T00:00:00.000Z" },
};
const fridayPosted = (friday: string) => postedRun(friday, local(friday, "08:00"));

/** Each post is at the first tick at or after the digest time on its own local date. */
function expectFirstTickAtDigestTime(
  posted: Array<{ period: string; at: string }>,
  digestTime: string,
): void {
  for (const { period, at } of posted) {
    const here = localNow(new Date(at), ZONE);
    expect(here.date).toBe(period);
    expect(here.time >= digestTime).toBe(true);
    const before = localNow(new Date(Date.parse(at) - TICK_MS), ZONE);
    expect(before.date < period || before.time < digestTime, `tick before ${at}`).toBe(true);
  }
}

describe("when the daily digest is due, in the project's own time zone", () => {
  it("reads the local date and time in London on both sides of the clock changes", () => {
    expect(localNow(new Date("2026-03-29T00:59:00Z"), ZONE)).toEqual({ date: "2026-03-29", time: "00:59" });
    expect(localNow(new Date("2026-03-29T01:00:00Z"), ZONE)).toEqual({ date: "2026-03-29", time: "02:00" });
    expect(localNow(new Date("2026-10-25T00:30:00Z"), ZONE)).toEqual({ date: "2026-10-25", time: "01:30" });
    expect(localNow(new Date("2026-10-25T01:30:00Z"), ZONE)).toEqual({ date: "2026-10-25", time: "01:30" });
    // Midnight is 00:00, never 24:00 (which would compare as past any digest time).
    expect(localNow(new Date("2026-10-26T00:00:00Z"), ZONE)).toEqual({ date: "2026-10-26", time: "00:00" });
    expect(localNow(new Date("2026-06-11T23:30:00Z"), ZONE)).toEqual({ date: "2026-06-12", time: "00:30" });
  });

  it("counts calendar dates across month and year ends", () => {
    expect(addDays("2026-03-31", 1)).toBe("2026-04-01");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-06-12", -7)).toBe("2026-06-05");
  });

  it("posts one digest per local date over the spring change, at 08:00 GMT then 08:00 BST (07:00 UTC)", () => {
    const { friday, from, to } = WEEKENDS.spring;
    const { posted } = dispatch(scheduledProject(), from, to, { runs: fridayPosted(friday) });
    expect(posted).toEqual([
      { period: "2026-03-28", at: "2026-03-28T08:00:00.000Z" },
      { period: "2026-03-29", at: "2026-03-29T07:00:00.000Z" },
      { period: "2026-03-30", at: "2026-03-30T07:00:00.000Z" },
    ]);
    expectFirstTickAtDigestTime(posted, "08:00");
  });

  it("posts one digest per local date over the autumn change, at 08:00 BST (07:00 UTC) then 08:00 GMT", () => {
    const { friday, from, to } = WEEKENDS.autumn;
    const { posted } = dispatch(scheduledProject(), from, to, { runs: fridayPosted(friday) });
    expect(posted).toEqual([
      { period: "2026-10-24", at: "2026-10-24T07:00:00.000Z" },
      { period: "2026-10-25", at: "2026-10-25T08:00:00.000Z" },
      { period: "2026-10-26", at: "2026-10-26T08:00:00.000Z" },
    ]);
    expectFirstTickAtDigestTime(posted, "08:00");
  });

  it("with a 01:30 digest, posts once on 29 March although 01:30 never happens that night", () => {
    const { friday, from, to } = WEEKENDS.spring;
    const { posted } = dispatch(scheduledProject({ digestTime: "01:30" }), from, to, {
      runs: postedRun(friday, local(friday, "01:30")),
    });
    expect(posted).toEqual([
      { period: "2026-03-28", at: "2026-03-28T01:30:00.000Z" },
      // 00:45 GMT, then 02:00 BST: the first tick past 01:30 local.
      { period: "2026-03-29", at: "2026-03-29T01:00:00.000Z" },
      { period: "2026-03-30", at: "2026-03-30T00:30:00.000Z" },
    ]);
    expectFirstTickAtDigestTime(posted, "01:30");
  });

  it("with a 01:30 digest, posts once on 25 October although 01:30 happens twice that night", () => {
    const { friday, from, to } = WEEKENDS.autumn;
    const project = scheduledProject({ digestTime: "01:30" });
    const { posted, runs } = dispatch(project, from, to, { runs: postedRun(friday, local(friday, "01:30")) });
    expect(posted).toEqual([
      { period: "2026-10-24", at: "2026-10-24T00:30:00.000Z" },
      { period: "2026-10-25", at: "2026-10-25T00:30:00.000Z" },
      { period: "2026-10-26", at: "2026-10-26T01:30:00.000Z" },
    ]);
    // The second 01:30 (GMT) finds the morning already posted; the hour between reads as the day before: older.
    const afterFirst = postedRun("2026-10-25", "2026-10-25T00:30:00.000Z");
    const second = new Date("2026-10-25T01:30:00.000Z");
    expect(dueDigestPeriod(project, second)).toBe("2026-10-25");
    expect(reviewToRun(afterFirst, "daily-digest", "2026-10-25", second)).toBe("posted");
    const between = new Date("2026-10-25T01:00:00.000Z");
    expect(dueDigestPeriod(project, between)).toBe("2026-10-24");
    expect(reviewToRun(afterFirst, "daily-digest", "2026-10-24", between)).toBe("older");
    expect(runs).toHaveLength(1);
  });

  it("catches a missed 08:00 tick up at 08:15", () => {
    const { friday, from, to } = WEEKENDS.spring;
    const missed = (now: Date) => now.toISOString() === "2026-03-28T08:00:00.000Z";
    const { posted } = dispatch(scheduledProject(), from, to, { runs: fridayPosted(friday), missed });
    expect(posted[0]).toEqual({ period: "2026-03-28", at: "2026-03-28T08:15:00.000Z" });
    expect(posted.map((p) => p.period)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
  });

  it("after a whole day without ticks, posts yesterday's at the next day's first tick, then today's at 08:00", () => {
    const { friday, from, to } = WEEKENDS.spring;
    // Down from after Saturday's digest until Monday 00:00 BST (Sunday 23:00 UTC): Sunday had no tick at all.
    const missed = (now: Date) =>
      now >= new Date("2026-03-28T08:15:00Z") && now < new Date("2026-03-29T23:00:00Z");
    const { posted } = dispatch(scheduledProject(), from, to, { runs: fridayPosted(friday), missed });
    expect(posted).toEqual([
      { period: "2026-03-28", at: "2026-03-28T08:00:00.000Z" },
      { period: "2026-03-29", at: "2026-03-29T23:00:00.000Z" },
      { period: "2026-03-30", at: "2026-03-30T07:00:00.000Z" },
    ]);
  });

  it("after a longer outage posts only the latest morning, never a pile of older ones", () => {
    const { friday, from, to } = WEEKENDS.spring;
    // No tick from Saturday 00:00 UTC until Monday 00:00 BST: Saturday's digest is never posted.
    const missed = (now: Date) => now < new Date("2026-03-29T23:00:00Z");
    const { posted, runs } = dispatch(scheduledProject(), from, to, { runs: fridayPosted(friday), missed });
    expect(posted).toEqual([
      { period: "2026-03-29", at: "2026-03-29T23:00:00.000Z" },
      { period: "2026-03-30", at: "2026-03-30T07:00:00.000Z" },
    ]);
    expect(reviewToRun(runs, "daily-digest", "2026-03-28", new Date(to))).toBe("older");
    // Back at 09:00 on Monday: Monday's digest only; Sunday's is gone for good.
    const late = dispatch(scheduledProject(), "2026-03-30T08:00:00.000Z", to, { runs: fridayPosted(friday) });
    expect(late.posted).toEqual([{ period: "2026-03-30", at: "2026-03-30T08:00:00.000Z" }]);
  });

  it.each(["preparing", "readiness-review", "board-decision", "routine-governance"] as const)(
    "posts nothing for a project in %s",
    (phase) => {
      const { from, to } = WEEKENDS.spring;
      expect(dispatch(scheduledProject({}, { phase }), from, to).posted).toEqual([]);
      expect(
        dueDigestPeriod(scheduledProject({}, { phase }), new Date("2026-03-28T12:00:00Z")),
      ).toBeUndefined();
    },
  );

  it("runs in stabilisation as in live support", () => {
    const { from, to, friday } = WEEKENDS.autumn;
    const { posted } = dispatch(scheduledProject({}, { phase: "stabilisation" }), from, to, {
      runs: fridayPosted(friday),
    });
    expect(posted.map((p) => p.period)).toEqual(["2026-10-24", "2026-10-25", "2026-10-26"]);
  });

  it("posts nothing for a morning before the project went live", () => {
    const { from, to } = WEEKENDS.spring;
    const project = scheduledProject({}, { liveFrom: "2026-03-30" });
    // Monday 00:00 BST would be Sunday's period: before go-live, so not due.
    expect(dueDigestPeriod(project, new Date("2026-03-29T23:00:00Z"))).toBeUndefined();
    expect(dueDigestPeriod(project, new Date("2026-03-30T06:45:00Z"))).toBeUndefined();
    expect(dueDigestPeriod(project, new Date("2026-03-30T07:00:00Z"))).toBe("2026-03-30");
    expect(dispatch(project, from, to).posted).toEqual([
      { period: "2026-03-30", at: "2026-03-30T07:00:00.000Z" },
    ]);
  });

  it("follows the project's own time zone and digest time", () => {
    const project = scheduledProject({ timeZone: "America/New_York", digestTime: "07:30" });
    // 11:00 UTC is 07:00 EDT on 1 June: before the digest time, so the day before is due.
    expect(dueDigestPeriod(project, new Date("2026-06-01T11:00:00Z"))).toBe("2026-05-31");
    expect(dueDigestPeriod(project, new Date("2026-06-01T11:30:00Z"))).toBe("2026-06-01");
  });
});

describe("whether a digest run should run now (claimed → posted or failed)", () => {
  const period = "2026-06-12";
  const claimedAt = "2026-06-12T07:00:00.000Z";
  const claimed = applyReviewEvent(
    [],
    { kind: "review.claimed", review: "daily-digest", period },
    runnerMeta(new Date(claimedAt)),
  );
  const later = (ms: number) => new Date(Date.parse(claimedAt) + ms);

  it("runs when nothing has run yet, or only an older morning", () => {
    expect(reviewToRun([], "daily-digest", period, later(0))).toBe("run");
    expect(
      reviewToRun(postedRun("2026-06-11", "2026-06-11T07:00:00.000Z"), "daily-digest", period, later(0)),
    ).toBe("run");
  });

  it("is in progress while a claim is younger than CLAIM_EXPIRES_MS, and runs again once it is older", () => {
    expect(CLAIM_EXPIRES_MS).toBe(10 * 60_000);
    expect(claimed).toEqual([
      { review: "daily-digest", period, state: "claimed", claimedAt, failures: 0, decisions: [] },
    ]);
    expect(reviewToRun(claimed, "daily-digest", period, later(0))).toBe("in-progress");
    expect(reviewToRun(claimed, "daily-digest", period, later(CLAIM_EXPIRES_MS - 1))).toBe("in-progress");
    expect(reviewToRun(claimed, "daily-digest", period, later(CLAIM_EXPIRES_MS))).toBe("run");
  });

  it("runs a failed run again, keeping count of the failures across the new claim", () => {
    const failed = applyReviewEvent(
      claimed,
      { kind: "review.failed", review: "daily-digest", period, reason: "RestError" },
      runnerMeta(later(60_000)),
    );
    expect(failed[0]).toMatchObject({ state: "failed", failures: 1 });
    expect(reviewToRun(failed, "daily-digest", period, later(2 * 60_000))).toBe("run");
    const again = applyReviewEvent(
      failed,
      { kind: "review.claimed", review: "daily-digest", period },
      runnerMeta(later(15 * 60_000)),
    );
    expect(again[0]).toMatchObject({
      state: "claimed",
      failures: 1,
      claimedAt: later(15 * 60_000).toISOString(),
    });
    expect(reviewToRun(again, "daily-digest", period, later(16 * 60_000))).toBe("in-progress");
  });

  it("is posted once posted, and an older period is older", () => {
    const posted = applyReviewEvent(claimed, postedEvent(period), runnerMeta(later(30_000)));
    expect(posted[0]).toMatchObject({
      state: "posted",
      claimedAt,
      postedAt: later(30_000).toISOString(),
      activityId: `activity-${period}`,
      recommendation: { choice: "continue" },
    });
    expect(reviewToRun(posted, "daily-digest", period, later(CLAIM_EXPIRES_MS * 10))).toBe("posted");
    expect(reviewToRun(posted, "daily-digest", "2026-06-11", later(0))).toBe("older");
  });

  it("a stalled claim (the process stopped) is taken over by the next tick, which posts", () => {
    const { friday, from, to } = WEEKENDS.autumn;
    // Saturday 08:00 BST: claimed, then nothing (the process stopped).
    const stalled = applyReviewEvent(
      fridayPosted(friday),
      { kind: "review.claimed", review: "daily-digest", period: "2026-10-24" },
      runnerMeta(new Date("2026-10-24T07:00:00.000Z")),
    );
    const { posted } = dispatch(scheduledProject(), from, to, {
      runs: stalled,
      missed: (now) => now <= new Date("2026-10-24T07:00:00Z"),
    });
    expect(posted[0]).toEqual({ period: "2026-10-24", at: "2026-10-24T07:15:00.000Z" });
    expect(posted.map((p) => p.period)).toEqual(["2026-10-24", "2026-10-25", "2026-10-26"]);
  });
});

// ---------------------------------------------------------------------------------------------------
// 2. Building the digest
// ---------------------------------------------------------------------------------------------------

/** Friday 12 June 2026 (BST): the digest's morning. Yesterday is Thursday 11 June, local time. */
const PERIOD = "2026-06-12";
const YESTERDAY = "2026-06-11";
const DIGEST_AT = new Date(local(PERIOD, "08:00"));

/** A week of ordinary go-live: two coaching requests each morning before 08:00, resolved and verified by 07:15. */
function ordinaryWeek(from = "2026-06-04", to = "2026-06-10"): LiveProject {
  let project = liveProject();
  for (let date = from; date <= to; date = addDays(date, 1)) {
    for (const [time, description] of [
      ["06:00", `Show the night staff where the handover notes are (${date})`],
      ["06:30", `Coaching wanted on recording fluids (${date})`],
    ] as const) {
      let id: string;
      [project, id] = raise(project, lucy, local(date, time), { type: "coaching", description });
      project = change(project, dev, local(date, "07:00"), id, resolve("Shown on shift by the floor walker"));
      project = change(project, lucy, local(date, "07:15"), id, { kind: "verify", note: "Staff confident" });
    }
  }
  return project;
}

function digestOf(project: LiveProject, now = DIGEST_AT, period = PERIOD) {
  return buildDigest({
    projectId: project.state.project.id,
    state: project.state,
    open: summaries(project, "open"),
    awaiting: summaries(project, "resolved"),
    recent: summaries(project).filter((i) => i.raisedAt >= local(addDays(period, -7), "00:00")),
    period,
    now,
  });
}

/**
 * A realistic busy Thursday on top of the ordinary week: three people write the eMAR sync problem three ways
 * (one late on Wednesday, one just after midnight), a care-impacting P1 with a control, a care-impacting P2 with
 * none, an unsafe paper workaround, a supplier who has not answered, two resolved, and one raised this morning.
 */
function busyDay() {
  let project = ordinaryWeek();
  const id: Record<string, string> = {};
  let n: string;
  [project, n] = raise(project, lucy, local("2026-06-10", "22:15"), {
    type: "system",
    site: "Oak House",
    description: "eMAR not syncing on the tablet",
  });
  id.emarTablet = n;
  // 00:30 BST on Thursday is still Wednesday in UTC: it is one of Thursday's new issues.
  [project, n] = raise(project, lucy, local(YESTERDAY, "00:30"), {
    type: "system",
    site: "Oak House",
    description: "MAR chart didn't sync after the round",
  });
  id.marChart = n;
  project = change(project, priya, local(YESTERDAY, "09:00"), n, assign(sam));
  [project, n] = raise(project, lucy, local(YESTERDAY, "09:20"), {
    type: "system",
    site: "Oak House",
    careImpacting: true,
    workaround: true,
    description: "Sensor mat alerts not reaching night staff in the east wing",
  });
  id.sensorMats = n;
  project = change(project, priya, local(YESTERDAY, "09:30"), n, {
    kind: "triage",
    triage: { priority: "P1", theme: "Alerts" },
  });
  project = change(
    project,
    tom,
    local(YESTERDAY, "10:00"),
    n,
    control("Hourly night checks in the east wing"),
  );
  [project, n] = raise(project, lucy, local(YESTERDAY, "11:40"), {
    type: "workflow",
    site: "Riverside",
    careImpacting: true,
    description: "Fluid intake totals wrong for two residents",
  });
  id.fluids = n;
  [project, n] = raise(project, lucy, local(YESTERDAY, "14:05"), {
    type: "system",
    site: "Riverside",
    description: "medication record not updating on the iPad",
  });
  id.medRecord = n;
  project = change(project, dev, local(YESTERDAY, "16:00"), n, resolve("iPad re-enrolled; records update"));
  [project, n] = raise(project, lucy, local(YESTERDAY, "15:30"), {
    type: "workflow",
    workaround: true,
    description: "Handover notes written on paper then typed up at end of shift",
  });
  id.paper = n;
  project = change(project, tom, local(YESTERDAY, "15:45"), n, { kind: "workaround", unsafe: true });
  [project, n] = raise(project, lucy, local(YESTERDAY, "19:00"), {
    type: "access",
    site: "Riverside",
    description: "Agency nurse has no account for the night shift",
  });
  id.agency = n;
  project = change(project, dev, local(YESTERDAY, "21:00"), n, resolve("Account created and tested"));
  // This morning, before the digest: not one of yesterday's.
  [project, n] = raise(project, lucy, local(PERIOD, "06:30"), {
    description: "Printer in the office jammed",
  });
  id.printer = n;
  project = withConditions(project, [
    condition("C-1", YESTERDAY),
    condition("C-2", PERIOD),
    { ...condition("C-3", "2026-06-08", "met"), evidence: "Training records attached" },
  ]);
  return { project, id };
}

const kinds = (triggers: readonly Trigger[]) => triggers.map((t) => t.kind);
const itemIds = (triggers: readonly Trigger[], kind: TriggerKind) =>
  triggers.filter((t) => t.kind === kind).flatMap((t) => t.items.map((i) => i.id));

describe("the daily digest of a busy day", () => {
  const { project, id } = busyDay();
  const digest = digestOf(project);

  it("counts yesterday's new issues by the local day, what is open, resolved and awaiting verification", () => {
    expect(digest).toMatchObject({
      projectId: project.state.project.id,
      projectName: "Oak House and Riverside go-live",
      period: PERIOD,
      generatedAt: DIGEST_AT.toISOString(),
      timeZone: ZONE,
    });
    expect(digest.counts).toEqual({ new: 6, open: 6, resolved: 2, awaitingVerification: 2 });
    expect(digest.breakdown.open.priority).toEqual([
      ["P3", 2],
      ["P4", 2],
      ["P1", 1],
      ["P2", 1],
    ]);
  });

  it("breaks yesterday's new issues down by priority, type, site and theme", () => {
    expect(digest.breakdown.new).toEqual({
      priority: [
        ["P3", 3],
        ["P1", 1],
        ["P2", 1],
        ["P4", 1],
      ],
      type: [
        ["System issue", 3],
        ["Workflow concern", 2],
        ["Access problem", 1],
      ],
      site: [
        ["Riverside", 3],
        ["Oak House", 2],
        ["No site", 1],
      ],
      theme: [
        ["No theme", 5],
        ["Alerts", 1],
      ],
    });
  });

  it("breaks yesterday's resolved issues down from the day counts", () => {
    expect(digest.breakdown.resolved).toEqual({
      priority: [["P3", 2]],
      type: [
        ["Access problem", 1],
        ["System issue", 1],
      ],
      site: [["Riverside", 2]],
      theme: [["No theme", 2]],
    });
  });

  it("shows a 7-day trend, oldest first, the digest's own morning last", () => {
    expect(digest.trend).toEqual([
      { date: "2026-06-06", raised: 2, resolved: 2 },
      { date: "2026-06-07", raised: 2, resolved: 2 },
      { date: "2026-06-08", raised: 2, resolved: 2 },
      { date: "2026-06-09", raised: 2, resolved: 2 },
      { date: "2026-06-10", raised: 3, resolved: 2 },
      { date: YESTERDAY, raised: 6, resolved: 2 },
      { date: PERIOD, raised: 1, resolved: 0 },
    ]);
  });

  it("lists every trigger for action with the issues behind it", () => {
    expect(kinds(digest.triggers)).toEqual([
      "care-unresolved",
      "care-no-control",
      "repeated-theme",
      "unsafe-workaround",
      "supplier-response",
      "breached-target",
      "condition-overdue",
    ]);
    expect(itemIds(digest.triggers, "care-unresolved")).toEqual([id.sensorMats, id.fluids]);
    expect(itemIds(digest.triggers, "unsafe-workaround")).toEqual([id.paper]);
    expect(itemIds(digest.triggers, "supplier-response")).toEqual([id.marChart]);
    expect(digest.triggers.find((t) => t.kind === "supplier-response")?.detail).toBe(
      "assigned, and the owner has not responded within the response target",
    );
    // P3 with no first response; P3 past 24 h; P1 past 4 h; P2 with no first response.
    expect(itemIds(digest.triggers, "breached-target")).toEqual([
      id.emarTablet,
      id.marChart,
      id.sensorMats,
      id.fluids,
    ]);
    expect(digest.triggers.find((t) => t.kind === "care-unresolved")?.items[0]).toEqual({
      id: id.sensorMats,
      text: "Sensor mat alerts not reaching night staff in the east wing",
      priority: "P1",
    });
  });

  it("flags the care-impacting issue without a control, saying it is past the time for one", () => {
    expect(digest.triggers.find((t) => t.kind === "care-no-control")).toMatchObject({
      title: "1 issue",
      detail: "1 issue past the time for a control",
      items: [{ id: id.fluids, priority: "P2" }],
    });
  });

  it("finds the eMAR sync problem worded three ways in 48 hours, even with one already resolved", () => {
    const theme = digest.triggers.find((t) => t.kind === "repeated-theme");
    expect(theme?.title).toBe("medication records + syncing and saving");
    expect(theme?.detail).toMatch(/^3 issues in 48 hours: the words /);
    expect(theme?.detail).toContain('"mar chart"');
    expect(theme?.items.map((i) => i.id)).toEqual([id.emarTablet, id.marChart, id.medRecord]);
  });

  it("lists the conditions of the approval past their due date, with owner and date", () => {
    expect(digest.triggers.find((t) => t.kind === "condition-overdue")).toEqual({
      kind: "condition-overdue",
      title: "1 condition",
      items: [
        {
          id: "C-1",
          text: `Riverside nurses complete the eMAR refresher (owner Grace Mensah, due ${YESTERDAY})`,
        },
      ],
    });
  });

  it("recommends more support, naming every reason", () => {
    expect(digest.recommendation).toEqual({
      choice: "increase",
      rule:
        "Increase, because of 1 open P1; care-impacting issues past the time for a temporary control; " +
        "unsafe workarounds in use; repeated themes (medication records + syncing and saving); " +
        "lack of supplier response; 6 new issues yesterday against a usual 2.2 a day.",
    });
    expect(digest.decisions).toEqual([]);
  });

  it("is the same digest when the state is replayed from the governance log", () => {
    const { state, issues } = replayProject(project.entries);
    if (!state) throw new Error("no state replayed");
    const replayed: LiveProject = {
      state: { ...state, conditions: project.state.conditions },
      issues,
      entries: [],
    };
    expect(digestOf(replayed)).toEqual(digest);
  });
});

describe("the daily digest of quieter days", () => {
  it("recommends reducing support on a quiet day, even with a condition overdue", () => {
    let [project, n] = raise(ordinaryWeek("2026-06-05", "2026-06-10"), lucy, local(YESTERDAY, "10:00"), {
      type: "coaching",
      description: "Refresher wanted on body maps",
    });
    project = change(project, grace, local(YESTERDAY, "10:30"), n, update("Floor walker booked for Friday"));
    project = withConditions(project, [condition("C-1", "2026-06-09")]);
    const digest = digestOf(project);
    expect(digest.counts).toEqual({ new: 1, open: 1, resolved: 0, awaitingVerification: 0 });
    expect(kinds(digest.triggers)).toEqual(["condition-overdue"]);
    expect(digest.recommendation).toEqual({
      choice: "reduce",
      rule: "Reduce: no trigger for action, no open P1 or P2, and 1 new issue yesterday against a usual 2.0 a day.",
    });
  });

  it("recommends continuing while a P2 is open, and does not count this morning's issue as yesterday's", () => {
    let project = ordinaryWeek("2026-06-05", "2026-06-10");
    let n: string;
    [project, n] = raise(project, lucy, local(YESTERDAY, "10:00"), {
      type: "coaching",
      description: "Body maps",
    });
    project = change(project, grace, local(YESTERDAY, "10:30"), n, update("Floor walker booked"));
    [project, n] = raise(project, lucy, local(PERIOD, "06:00"), {
      type: "risk",
      description: "Fire door sensor offline on the first floor",
    });
    project = change(project, dev, local(PERIOD, "06:20"), n, update("Maintenance called"));
    const digest = digestOf(project);
    expect(digest.counts.new).toBe(1);
    expect(digest.triggers).toEqual([]);
    expect(digest.recommendation).toEqual({
      choice: "continue",
      rule: "Continue: 1 open P2 still to resolve.",
    });
  });

  it("shows a trend of empty days in the first week of go-live", () => {
    const digest = digestOf(liveProject("2026-06-10"));
    expect(digest.trend.map((d) => d.date)).toEqual([
      "2026-06-06",
      "2026-06-07",
      "2026-06-08",
      "2026-06-09",
      "2026-06-10",
      "2026-06-11",
      "2026-06-12",
    ]);
    expect(digest.trend.every((d) => d.raised === 0 && d.resolved === 0)).toBe(true);
    expect(digest.counts).toEqual({ new: 0, open: 0, resolved: 0, awaitingVerification: 0 });
  });

  it("shows a care-impacting issue with a control as unresolved but not as lacking a control", () => {
    let [project, n] = raise(ordinaryWeek("2026-06-05", "2026-06-10"), lucy, local(PERIOD, "07:00"), {
      type: "workflow",
      site: "Riverside",
      careImpacting: true,
      description: "Repositioning reminders arrive late",
    });
    // Not yet past the two hours for a control: listed without the "past the time" detail.
    let digest = digestOf(project);
    expect(digest.triggers.find((t) => t.kind === "care-no-control")).toEqual({
      kind: "care-no-control",
      title: "1 issue",
      items: [{ id: n, text: "Repositioning reminders arrive late", priority: "P2" }],
    });
    project = change(project, ama, local(PERIOD, "07:30"), n, control("Paper turning charts for now"));
    digest = digestOf(project);
    expect(kinds(digest.triggers)).toEqual(["care-unresolved"]);
    expect(digest.recommendation.choice).toBe("continue");
  });
});

describe("the recommendation and the rule behind it", () => {
  /** An open issue of a priority, as the open list summarises it. */
  function openIssue(n: number, priority: Priority): IssueSummary {
    const event: IssueEvent = {
      kind: "issue.raised",
      issueId: `GL-${n}`,
      type: "system",
      priority,
      priorityProposed: false,
      careImpacting: false,
      workaround: false,
      description: `Issue ${n}`,
    };
    return summaryOf(applyIssueEvent(undefined, event, { at: DIGEST_AT.toISOString(), actor: lucy }));
  }
  const t = (kind: TriggerKind, detail?: string): Trigger => ({
    kind,
    title: kind === "repeated-theme" ? "logins and access" : "1 issue",
    ...(detail ? { detail } : {}),
    items: [{ id: "GL-1", text: "Issue 1" }],
  });
  const quiet = { open: [] as IssueSummary[], triggers: [] as Trigger[] };

  it("increases at 3 new against a usual 2 (1.5 times and at least 3)", () => {
    expect(recommend({ ...quiet, yesterday: 3, usual: 2 })).toEqual({
      choice: "increase",
      rule: "Increase, because of 3 new issues yesterday against a usual 2.0 a day.",
    });
  });

  it("does not call 2 new against a usual 1 rising: fewer than 3", () => {
    expect(recommend({ ...quiet, yesterday: 2, usual: 1 })).toEqual({
      choice: "continue",
      rule: "Continue: new issues not yet falling to half the usual.",
    });
  });

  it.each([
    { yesterday: 4, usual: 3, choice: "continue" },
    { yesterday: 5, usual: 3, choice: "increase" },
    { yesterday: 3, usual: 2.1, choice: "continue" },
    { yesterday: 3, usual: 0, choice: "increase" },
    { yesterday: 1, usual: 2, choice: "reduce" },
    { yesterday: 2, usual: 3, choice: "continue" },
    { yesterday: 0, usual: 0, choice: "reduce" },
  ] as const)("$yesterday new against a usual $usual → $choice", ({ yesterday, usual, choice }) => {
    expect(recommend({ ...quiet, yesterday, usual }).choice).toBe(choice);
  });

  it("increases for an open P1, counting them", () => {
    expect(recommend({ ...quiet, open: [openIssue(1, "P1")], yesterday: 0, usual: 2 }).rule).toBe(
      "Increase, because of 1 open P1.",
    );
    expect(
      recommend({ ...quiet, open: [openIssue(1, "P1"), openIssue(2, "P1")], yesterday: 0, usual: 2 }).rule,
    ).toBe("Increase, because of 2 open P1s.");
  });

  it.each([
    [
      "care-no-control",
      "1 issue past the time for a control",
      "care-impacting issues past the time for a temporary control",
    ],
    ["unsafe-workaround", undefined, "unsafe workarounds in use"],
    ["repeated-theme", undefined, "repeated themes (logins and access)"],
    ["supplier-response", undefined, "lack of supplier response"],
  ] as const)("increases for %s", (kind, detail, reason) => {
    expect(recommend({ ...quiet, triggers: [t(kind, detail)], yesterday: 0, usual: 2 })).toEqual({
      choice: "increase",
      rule: `Increase, because of ${reason}.`,
    });
  });

  it.each([
    ["care-unresolved", "care unresolved"],
    ["care-no-control", "care no control"],
    ["breached-target", "breached target"],
  ] as const)("continues, watching, for %s alone", (kind, words) => {
    expect(recommend({ ...quiet, triggers: [t(kind)], yesterday: 0, usual: 2 })).toEqual({
      choice: "continue",
      rule: `Continue: triggers to watch (${words}) but none that calls for more support.`,
    });
  });

  it("continues while a P2 is open, and reduces despite an overdue condition", () => {
    expect(
      recommend({ ...quiet, open: [openIssue(1, "P2"), openIssue(2, "P4")], yesterday: 0, usual: 2 }),
    ).toEqual({ choice: "continue", rule: "Continue: 1 open P2 still to resolve." });
    expect(recommend({ ...quiet, open: [openIssue(1, "P3")], yesterday: 1, usual: 2 }).choice).toBe("reduce");
    expect(recommend({ ...quiet, triggers: [t("condition-overdue")], yesterday: 1, usual: 2 }).choice).toBe(
      "reduce",
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// 3. The board's decision on the digest
// ---------------------------------------------------------------------------------------------------

describe("the board's decision on go-live support", () => {
  /** The project after this morning's digest was claimed and posted, recommending more support. */
  function afterDigest(period = PERIOD): LiveProject {
    const project = liveProject();
    const posted: ReviewEvent = {
      ...postedEvent(period),
      recommendation: { choice: "increase", rule: "Increase, because of 1 open P1." },
    } as ReviewEvent;
    const claimed = applied(project, SCHEDULER, local(period, "08:00"), {
      outcome: "record",
      events: [{ kind: "review.claimed", review: "daily-digest", period }],
    });
    return applied(claimed, SCHEDULER, local(period, "08:01"), { outcome: "record", events: [posted] });
  }
  const request = {
    period: PERIOD,
    choice: "continue" as const,
    rationale: "  Supplier engineer already on site until Monday  ",
  };

  it("records the decision of a board member with the recommended choice, the rationale trimmed", () => {
    const project = afterDigest();
    const decision = decideSupport(project.state, ben, request);
    expect(decision).toEqual({
      outcome: "record",
      events: [
        {
          kind: "support.decided",
          review: "daily-digest",
          period: PERIOD,
          choice: "continue",
          rationale: "Supplier engineer already on site until Monday",
          recommended: "increase",
        },
      ],
    });
  });

  it("adds the decisions to the run, oldest first, and the digest shows them", () => {
    let project = afterDigest();
    project = applied(project, ben, local(PERIOD, "09:00"), decideSupport(project.state, ben, request));
    project = applied(
      project,
      bea,
      local(PERIOD, "09:10"),
      decideSupport(project.state, bea, {
        period: PERIOD,
        choice: "increase",
        rationale: "Second engineer until the eMAR sync is fixed",
      }),
    );
    const decisions = [
      {
        by: "Ben Ashworth",
        choice: "continue",
        rationale: "Supplier engineer already on site until Monday",
        at: local(PERIOD, "09:00"),
      },
      {
        by: "Bea Clarke",
        choice: "increase",
        rationale: "Second engineer until the eMAR sync is fixed",
        at: local(PERIOD, "09:10"),
      },
    ];
    expect(project.state.reviews).toMatchObject([{ period: PERIOD, state: "posted", decisions }]);
    expect(digestOf(project, new Date(local(PERIOD, "09:15"))).decisions).toEqual(decisions);
    // The next morning's claim starts the new digest with no decisions.
    const tomorrow = addDays(PERIOD, 1);
    project = applied(project, SCHEDULER, local(tomorrow, "08:00"), {
      outcome: "record",
      events: [{ kind: "review.claimed", review: "daily-digest", period: tomorrow }],
    });
    expect(project.state.reviews).toMatchObject([{ period: tomorrow, state: "claimed", decisions: [] }]);
  });

  it("accepts the chair and a board member whatever the case of their object id", () => {
    const { state } = afterDigest();
    expect(decideSupport(state, bea, request).outcome).toBe("record");
    expect(decideSupport(state, { ...ben, objectId: ben.objectId.toUpperCase() }, request).outcome).toBe(
      "record",
    );
  });

  it.each([
    ["the project lead", priya],
    ["a registered manager", tom],
    ["a team leader", lucy],
    ["the supplier", sam],
    ["someone with no role", someone(8, "Nia Hughes")],
  ])("refuses %s, naming the board", (_who, by) => {
    expect(decideSupport(afterDigest().state, by, request)).toEqual({
      outcome: "refused",
      neededRole: "board-member",
      message: "Only project board members record the board's decision on go-live support.",
    });
  });

  it("refuses a decision on any digest but the latest posted one", () => {
    const notLatest = {
      outcome: "refused",
      message: "This is not the latest posted digest: record the decision on the newest one (type digest).",
    };
    const project = afterDigest();
    expect(decideSupport(project.state, ben, { ...request, period: YESTERDAY })).toEqual(notLatest);
    expect(decideSupport(liveProject().state, ben, request)).toEqual(notLatest);
    // Tomorrow's digest claimed but not posted: neither today's nor tomorrow's can be decided.
    const tomorrow = addDays(PERIOD, 1);
    const claimed = applied(project, SCHEDULER, local(tomorrow, "08:00"), {
      outcome: "record",
      events: [{ kind: "review.claimed", review: "daily-digest", period: tomorrow }],
    });
    expect(decideSupport(claimed.state, ben, request)).toEqual(notLatest);
    expect(decideSupport(claimed.state, ben, { ...request, period: tomorrow })).toEqual(notLatest);
  });

  it("refuses a decision without a rationale, or with one too long", () => {
    const { state } = afterDigest();
    const noRationale = {
      outcome: "refused",
      message: "Give the rationale (at most 2,000 characters): it is kept with the decision.",
    };
    expect(decideSupport(state, ben, { ...request, rationale: "" })).toEqual(noRationale);
    expect(decideSupport(state, ben, { ...request, rationale: "  \n " })).toEqual(noRationale);
    expect(decideSupport(state, ben, { ...request, rationale: "x".repeat(2_001) })).toEqual(noRationale);
    expect(decideSupport(state, ben, { ...request, rationale: "x".repeat(2_000) }).outcome).toBe("record");
  });
});

// ---------------------------------------------------------------------------------------------------
// 4. Reminders
// ---------------------------------------------------------------------------------------------------

/** Thursday 11 June 2026, 10:00 BST: minutes from then. */
const T0 = local(YESTERDAY, "10:00");
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const when = (minutes: number) => new Date(at(minutes));
/** The command log's and the conditions' reminders (stabilisation's audit reminders are tested with stabilisation). */
const due = (project: LiveProject, minutes: number) =>
  remindersDue(project.state, summaries(project, "open"), when(minutes)).filter(
    (r) => r.kind !== "audit-missing" && r.kind !== "follow-up-due" && r.kind !== "risk-review",
  );

describe("reminders", () => {
  it("reminds about a P1 with no update for an hour, once per state, to the site's managers and the lead", () => {
    let [project, id] = raise(liveProject(), lucy, at(0), {
      type: "system",
      priority: "P1",
      site: "Oak House",
      description: "Medication round cannot be signed off on any device",
    });
    expect(due(project, 59)).toEqual([]);
    const reminders = due(project, 60);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ kind: "p1-quiet", subject: id, key: `reminder:p1-quiet:${id}:1` });
    expect(reminders[0]?.text).toBe(
      `${id} is P1 and has had no update for an hour: Medication round cannot be signed off on any device`,
    );
    // Oak House's registered manager and the project lead; not Riverside's manager.
    expect(names(reminders[0]?.to ?? [])).toEqual(["Priya Shah", "Tom Okafor"]);
    // Later ticks give the same key: the log sends it once.
    expect(due(project, 75).map((r) => r.key)).toEqual([`reminder:p1-quiet:${id}:1`]);
    // An update starts the hour again, and a new hour of quiet is a new reminder.
    project = change(project, tom, at(80), id, update("Paper MAR in use, supplier called"));
    expect(due(project, 139)).toEqual([]);
    expect(due(project, 140).map((r) => r.key)).toEqual([`reminder:p1-quiet:${id}:2`]);
  });

  it("reminds the owner of a quiet P1 (and of not responding), not the managers", () => {
    let [project, id] = raise(liveProject(), lucy, at(0), {
      type: "system",
      priority: "P1",
      site: "Riverside",
    });
    project = change(project, priya, at(5), id, assign(sam));
    expect(due(project, 64).map((r) => r.kind)).toEqual(["owner-silent"]);
    const reminders = due(project, 65);
    expect(reminders.map((r) => [r.kind, names(r.to)])).toEqual([
      ["p1-quiet", ["Sam Reid"]],
      ["owner-silent", ["Sam Reid"]],
    ]);
    expect(reminders[1]?.key).toBe(`reminder:owner-silent:${id}:${at(5)}`);
  });

  it("reminds all managers and the lead about a quiet P1 with no site", () => {
    const [project] = raise(liveProject(), lucy, at(0), { type: "system", priority: "P1" });
    expect(names(due(project, 60)[0]?.to ?? [])).toEqual(["Ama Boateng", "Priya Shah", "Tom Okafor"]);
  });

  it("reminds the site's registered managers of a care-impacting issue past the time for a control", () => {
    let [project, id] = raise(liveProject(), lucy, at(0), {
      type: "workflow",
      site: "Riverside",
      careImpacting: true,
      description: "Repositioning reminders arrive late",
    });
    expect(due(project, 120)).toEqual([]);
    const reminders = due(project, 121);
    expect(reminders).toEqual([
      {
        key: `reminder:no-control:${id}:${at(0)}`,
        kind: "no-control",
        subject: id,
        text: `${id} affects care and still has no temporary control: Repositioning reminders arrive late`,
        to: [person(ama)],
      },
    ]);
    project = change(project, ama, at(130), id, control("Two-hourly turning on paper charts"));
    expect(due(project, 140)).toEqual([]);
  });

  it("reminds every registered manager of a care-impacting issue with no site", () => {
    const [project] = raise(liveProject(), lucy, at(0), { type: "workflow", careImpacting: true });
    expect(names(due(project, 121)[0]?.to ?? [])).toEqual(["Ama Boateng", "Tom Okafor"]);
  });

  // The site's registered managers, whatever other roles they hold (a project lead who is also the manager).
  it("reminds a registered manager who is also the project lead", () => {
    let project = liveProject();
    project = withoutRole(project, ama, "registered-manager");
    project = give(project, priya, "registered-manager", "Riverside");
    let id: string;
    [project, id] = raise(project, lucy, at(0), { type: "workflow", site: "Riverside", careImpacting: true });
    const reminder = due(project, 121).find((r) => r.subject === id && r.kind === "no-control");
    expect(reminder?.to).toEqual([person(priya)]);
  });

  it("reminds an owner who has not responded within the response target, once per assignment", () => {
    let [project, id] = raise(liveProject(), lucy, at(0), {
      type: "system",
      site: "Oak House",
      description: "Body map photos not uploading",
    });
    project = change(project, priya, at(10), id, assign(sam));
    // P3: four hours to respond.
    expect(due(project, 250)).toEqual([]);
    expect(due(project, 251)).toEqual([
      {
        key: `reminder:owner-silent:${id}:${at(10)}`,
        kind: "owner-silent",
        subject: id,
        text: `${id} was assigned to Sam Reid, who has not responded within the response target.`,
        to: [person(sam)],
      },
    ]);
    const answered = change(project, sam, at(260), id, update("Known fault, patch tonight"));
    expect(due(answered, 270)).toEqual([]);
    // A new owner starts afresh: a new key.
    project = change(project, priya, at(300), id, assign(dev));
    expect(due(project, 300 + 241).map((r) => [r.key, names(r.to)])).toEqual([
      [`reminder:owner-silent:${id}:${at(300)}`, ["Dev Patel"]],
    ]);
  });

  it("reminds a condition's owner the day before it is due and once it is overdue, by the local date", () => {
    const project = withConditions(liveProject(), [
      condition("C-1", "2026-06-13"),
      condition("C-2", "2026-06-12"),
      condition("C-3", "2026-06-11"),
      { ...condition("C-4", "2026-06-10", "waived"), reason: "Superseded by the wave 2 plan" },
      condition("C-5", "2026-06-14"),
    ]);
    // 23:30 UTC on 11 June is 00:30 BST on 12 June: today is the 12th in London.
    const reminders = remindersDue(project.state, [], new Date("2026-06-11T23:30:00.000Z")).filter(
      (r) => r.kind !== "audit-missing",
    );
    expect(reminders).toEqual([
      {
        key: "reminder:condition-due:C-1:2026-06-13",
        kind: "condition-due",
        subject: "C-1",
        text: "Condition C-1 of the go-live approval is due tomorrow: Riverside nurses complete the eMAR refresher. Close it with condition met C-1 {evidence}.",
        to: [person(grace)],
      },
      {
        key: "reminder:condition-overdue:C-3:2026-06-11",
        kind: "condition-overdue",
        subject: "C-3",
        text: "Condition C-3 of the go-live approval is overdue (due 2026-06-11): Riverside nurses complete the eMAR refresher. Close it with condition met C-3 {evidence}.",
        to: [person(grace)],
      },
    ]);
  });

  it("reminds nothing about resolved issues", () => {
    let [project, id] = raise(liveProject(), lucy, at(0), {
      type: "system",
      priority: "P1",
      site: "Oak House",
      careImpacting: true,
    });
    project = change(project, priya, at(5), id, assign(sam));
    project = change(project, sam, at(30), id, resolve("Hotfix applied and checked"));
    expect(summaries(project, "open")).toEqual([]);
    expect(due(project, 600)).toEqual([]);
    // Even handed the resolved issue, its clocks are stopped: no control or owner reminder. (The P1-quiet check
    // reads no status, so it relies on the caller passing the open list only.)
    const resolved = remindersDue(project.state, summaries(project), when(600))
      .map((r) => r.kind)
      .filter((k) => k !== "audit-missing");
    expect(resolved.filter((k) => k !== "p1-quiet")).toEqual([]);
  });
});

function withoutRole(project: LiveProject, who: Actor, role: Role): LiveProject {
  return {
    ...project,
    state: {
      ...project.state,
      roles: project.state.roles.filter((a) => !(a.role === role && a.person.objectId === who.objectId)),
    },
  };
}

describe("the recommendation as it is recorded", () => {
  it("keeps its rule within the 1,000 characters the log records, however many themes repeat", () => {
    const triggers = Array.from({ length: 30 }, (_, i) => ({
      kind: "repeated-theme" as const,
      title: `A long theme name about the medication round number ${i} and its tablets`,
      items: [],
    }));
    const advice = recommend({ open: [], triggers, yesterday: 0, usual: 0 });
    expect(advice.choice).toBe("increase");
    expect(advice.rule.length).toBeLessThanOrEqual(1_000);
  });
});

describe("reminders of the risk log", () => {
  it("reminds an open risk's owner on its review date, once per date, and not once it is closed", () => {
    const project = liveProject();
    const owner = { objectId: PEOPLE.tom.objectId, name: PEOPLE.tom.name };
    const withRisk = applyEvents(
      project.state,
      [
        {
          kind: "risk.added",
          risk: {
            id: "R1",
            text: "Agency carers start without a login",
            owner,
            likelihood: 4,
            impact: 4,
            reviewDate: "2026-06-10",
          },
        },
      ],
      { at: "2026-06-03T10:00:00.000Z", actor: actor(PEOPLE.priya) },
    );
    if (!withRisk) throw new Error("no state");
    const risks = (at: string, state = withRisk) =>
      remindersDue(state, [], new Date(at)).filter((r) => r.kind === "risk-review");
    expect(risks("2026-06-09T12:00:00Z")).toEqual([]);
    const due = risks("2026-06-10T08:00:00Z");
    expect(due).toMatchObject([{ key: "reminder:risk-review:R1:2026-06-10", to: [owner] }]);
    const closed = applyEvents(
      withRisk,
      [{ kind: "risk.closed", riskId: "R1", evidence: "Logins issued before every agency shift for a week" }],
      { at: "2026-06-10T09:00:00.000Z", actor: actor(PEOPLE.tom) },
    );
    expect(risks("2026-06-11T08:00:00Z", closed ?? withRisk)).toEqual([]);
  });
});
