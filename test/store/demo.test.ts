import type { Activity } from "botbuilder";
import { afterAll, beforeAll, expect, it } from "vitest";
import { digestCard } from "../../adaptive-cards/digestCards.js";
import { consoleLogger } from "../../bot/logger.js";
import { digestFor, runDailyDigest, SCHEDULER } from "../../bot/reviews.js";
import { DemoClock, loadDemo } from "../../functions/demo.js";
import {
  DEMO_BINDING,
  DEMO_LEAD,
  DEMO_PEOPLE,
  DEMO_PROJECT_NAME,
  DEMO_SITES,
  DEMO_SUPPORT_DECISIONS,
  DEMO_TENANT_ID,
} from "../../functions/demoData.js";
import type { LogEntry } from "../../governance/chain.js";
import { ISSUE_TYPES, type Issue, issueIdOf, PRIORITIES } from "../../governance/commandLog.js";
import { TRIGGER_TITLES } from "../../governance/digestTypes.js";
import { overdueClocks } from "../../governance/issueClocks.js";
import { firstFieldWithNhsNumber } from "../../governance/personalData.js";
import { readinessBlockers } from "../../governance/readiness.js";
import { reviewToRun } from "../../governance/reviewRuns.js";
import { ROLES, rolesOf } from "../../governance/roles.js";
import { addDays, dueDigestPeriod } from "../../governance/schedule.js";
import { decideSlt } from "../../governance/stabilisationDecisions.js";
import { auditShortfalls, confidenceOf, exitCriteria } from "../../governance/stabilisationRules.js";
import type { RunningAzurite } from "../../store/azurite.js";
import { validateCard } from "../support/cardValidation.js";
import { azuriteForTests, governanceLog } from "../support/storage.js";

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await azuriteForTests();
});
afterAll(async () => {
  await azurite?.close();
});

const NOW = new Date("2026-11-27T09:00:00Z");
const HOUR = 3600 * 1000;

it("loads a care home and a home-care branch with people in every role and a fortnight live, once however often it runs", async () => {
  const clock = new DemoClock();
  const log = governanceLog(azurite, { clock: clock.now });
  const first = await loadDemo(log, DEMO_BINDING, NOW, clock);
  const secondClock = new DemoClock();
  const again = await loadDemo(
    governanceLog(azurite, { clock: secondClock.now }),
    DEMO_BINDING,
    new Date("2026-11-28T09:00:00Z"),
    secondClock,
  );
  expect(again).toEqual(first);
  expect((await log.head(first.projectId))?.seq).toBe(first.entries);
  expect(await log.verify(first.projectId)).toMatchObject({
    ok: true,
    length: first.entries,
    stateChecked: true,
  });

  const state = await governanceLog(azurite).readState(first.projectId);
  if (!state) throw new Error("the demo project should exist");
  expect(state.project.name).toBe(DEMO_PROJECT_NAME);
  expect(state.project.settings.sites).toEqual(DEMO_SITES);
  // Live for a fortnight: go-live was 14 days before the load; in stabilisation since the first audit.
  expect(state.project.settings.goLiveDate).toBe("2026-11-13");
  expect(state.project.phase).toBe("stabilisation");
  expect(new Set(state.roles.map((r) => r.role))).toEqual(new Set(ROLES));
  expect(
    state.roles
      .filter((r) => r.role === "registered-manager")
      .map((r) => r.site)
      .sort(),
  ).toEqual([...DEMO_SITES].sort());

  // Readiness with blockers, and the board's conditional approval closed with a condition for each.
  const blockers = readinessBlockers(state.project, state.readiness).map((b) => b.reason);
  expect(blockers).toEqual([
    "Carers at Riverside home care: 90% trained, below the 95% threshold.",
    "Risk assessments validation incomplete: 20 of 25 sampled records checked.",
  ]);
  const decision = state.decisions[0];
  expect(decision?.state).toBe("closed");
  expect(decision?.minutes?.outcome).toBe("conditional");
  expect(decision?.minutes?.tally).toEqual({ proceed: 0, delay: 1, conditional: 3 });
  expect(state.conditions.map((c) => [c.id, c.owner.name, c.state, c.due])).toEqual([
    ["C1", "Tom Okafor", "open", "2026-11-06"],
    ["C2", "Aisha Rahman", "open", "2026-11-02"],
  ]);

  // A true log in time order, ending before the load, with no NHS number anywhere.
  const entries = [];
  for await (const e of log.entries(first.projectId)) {
    if ("unreadable" in e) throw new Error(`entry ${e.seq} is unreadable`);
    entries.push(e);
  }
  const times = entries.map((e) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  // Set up five weeks before go-live at 09:00 UK time (British Summer Time then).
  expect(entries[0]?.at).toBe("2026-10-09T08:00:00.000Z");
  expect(Math.max(...times)).toBeLessThan(NOW.getTime());
  expect(entries.map((e) => firstFieldWithNhsNumber(e.events)).filter(Boolean)).toEqual([]);
  const decisionClosed = entries.find((e) => e.events.some((v) => v.kind === "decision.closed"));
  const firstIssue = entries.find((e) => e.events.some((v) => v.kind === "issue.raised"));
  expect(Date.parse(firstIssue?.at ?? "")).toBeGreaterThan(Date.parse(decisionClosed?.at ?? "x"));
  expect(firstIssue?.at.slice(0, 10)).toBe("2026-11-13");

  // The fortnight's issues: every type and priority, both sites, raised by day and by night.
  expect(first.issues).toBeGreaterThanOrEqual(40);
  expect(first.issues).toBeLessThanOrEqual(60);
  const issues = (
    await Promise.all(
      Array.from({ length: first.issues }, (_, i) => log.readIssue(first.projectId, issueIdOf(i + 1))),
    )
  ).filter((i): i is Issue => i !== undefined);
  expect(issues).toHaveLength(first.issues);
  expect(new Set(issues.map((i) => i.type))).toEqual(new Set(ISSUE_TYPES));
  expect(new Set(issues.map((i) => i.priority))).toEqual(new Set(PRIORITIES));
  expect(new Set(issues.map((i) => i.site).filter(Boolean))).toEqual(new Set(DEMO_SITES));
  const hours = issues.map((i) => new Date(i.raisedAt).getUTCHours());
  expect(hours.some((h) => h >= 20 || h < 7)).toBe(true);
  expect(new Set(issues.map((i) => i.raisedAt.slice(0, 10))).size).toBe(14);
  expect(issues.filter((i) => i.workaroundUnsafe === true).length).toBeGreaterThanOrEqual(3);
  expect(issues.filter((i) => i.reopenedCount > 0)).toHaveLength(1);
  expect(issues.some((i) => i.careImpacting && i.controls.some((c) => c.by.name === "Grace Mensah"))).toBe(
    true,
  );
  expect(issues.some((i) => i.careImpacting && i.controls.some((c) => c.by.name === "Tom Okafor"))).toBe(
    true,
  );
  const supplierOwned = issues.filter((i) => i.owner?.person.name === "Nina Kowalski (CareSys support)");
  expect(supplierOwned.length).toBeGreaterThan(10);
  expect(supplierOwned.every((i) => i.owner?.dueBy !== undefined)).toBe(true);
  expect(supplierOwned.some((i) => i.updateCount > 0)).toBe(true);

  // Closed with verified closure evidence, resolved awaiting verification, and open at the end.
  const closed = issues.filter((i) => i.status === "closed");
  expect(closed.length).toBeGreaterThan(30);
  const verified = await log.readIssue(first.projectId, closed[0]?.id ?? "GL-0");
  expect(verified?.resolution?.evidence).toBeTruthy();
  expect(verified?.verification?.by.objectId).not.toBe(verified?.resolution?.by.objectId);
  expect((await log.listIssues(first.projectId, "resolved")).length).toBeGreaterThan(0);
  const open = await log.listIssues(first.projectId, "open");
  expect(open.length).toBeGreaterThan(0);
  const uncontrolled = open.filter((i) => i.careImpacting && i.controlCount === 0);
  expect(uncontrolled).toHaveLength(1);
  const targets = state.commandLog.targets;
  expect(overdueClocks(uncontrolled[0] as Issue, targets, NOW)).toContain("temporary-control");
  expect(open.some((i) => overdueClocks(i, targets, NOW).includes("timescale"))).toBe(true);
  expect(state.commandLog.highRisk.map((h) => h.id)).toContain(uncontrolled[0]?.id);

  // Themes repeat: 3 or more on one theme within 48 hours, early (eMAR sync) and at the end (handover notes).
  for (const theme of ["eMAR sync", "Agency logins", "Visit scheduling", "Handover notes"]) {
    const raised = issues.filter((i) => i.theme === theme).map((i) => Date.parse(i.raisedAt));
    const burst = raised.some((t) => raised.filter((u) => u >= t && u - t <= 48 * HOUR).length >= 3);
    expect(burst, theme).toBe(true);
  }
}, 60_000);

it("adds stabilisation to the fortnight: weekly audits, an anonymous pulse, the risk log and the SLT's extension", async () => {
  const clock = new DemoClock();
  const log = governanceLog(azurite, { clock: clock.now });
  const { projectId, entries: length } = await loadDemo(log, DEMO_BINDING, NOW, clock);
  expect(await log.verify(projectId)).toMatchObject({ ok: true, length, stateChecked: true });
  const state = await log.readState(projectId);
  if (!state) throw new Error("the demo project should exist");
  const entries: LogEntry[] = [];
  for await (const e of log.entries(projectId)) {
    if ("unreadable" in e) throw new Error(`entry ${e.seq} is unreadable`);
    entries.push(e);
  }
  const stab = entries.filter((e) => e.idempotencyKey.startsWith("demo:stab:"));
  expect(stab.length).toBe(4 + 1 + 12 + 5 + 1);
  // Among the fortnight's issues at their times (week 1's audits between day 6's issues), the SLT's decision last.
  const at = (key: string) => entries.find((e) => e.idempotencyKey === key)?.at ?? "";
  expect(at("demo:stab:audit:week-1:Oak House care home") > at("demo:issue:32:raise")).toBe(true);
  expect(at("demo:stab:audit:week-1:Oak House care home") < at("demo:issue:33:raise")).toBe(true);
  expect(entries.at(-1)?.idempotencyKey).toBe("demo:stab:slt:extend");
  expect(stab.every((e) => Date.parse(e.at) < NOW.getTime())).toBe(true);

  // Two audits per site by the quality lead, at the end of weeks 1 and 2; the first moved the project on.
  const { audits, thresholds } = state.stabilisation;
  const bySite = (site: string) => audits.filter((a) => a.site === site && a.kind === "stabilisation");
  for (const site of DEMO_SITES) {
    expect(bySite(site).map((a) => a.at.slice(0, 10))).toEqual(["2026-11-19", "2026-11-26"]);
    expect(bySite(site).every((a) => a.by === "Aisha Rahman" && a.notes.length > 0)).toBe(true);
  }
  const measured = audits.flatMap((a) => Object.values(a.measures));
  expect(measured.every((m) => m.checked >= 20 && m.checked <= 60)).toBe(true);
  const short = (site: string, week: number) => {
    const audit = bySite(site)[week - 1];
    if (!audit) throw new Error(`no week ${week} audit at ${site}`);
    return auditShortfalls(audit, thresholds).map((m) => [m.measure, m.percent]);
  };
  expect(short("Oak House care home", 1)).toEqual([]);
  expect(short("Riverside home care", 1)).toEqual([["care-plan-access", 92]]);
  expect(short("Oak House care home", 2)).toEqual([]);
  expect(short("Riverside home care", 2)).toEqual([]);
  const firstAudit = entries.find((e) => e.events.some((v) => v.kind === "audit.recorded"));
  expect(firstAudit?.events.map((v) => v.kind)).toEqual(["audit.recorded", "project.phase-changed"]);
  expect(entries.map((e) => firstFieldWithNhsNumber(e.events)).filter(Boolean)).toEqual([]);

  // An anonymous pulse opened by the project lead in week 2: nobody's name or id in its answers or their entries.
  const pulse = state.stabilisation.pulses.at(-1);
  expect(pulse).toMatchObject({ id: "P1", anonymous: true, openedBy: "Priya Shah" });
  expect(pulse?.openedAt.slice(0, 10)).toBe("2026-11-23");
  expect(confidenceOf(pulse)).toEqual({ percent: 75, answers: 12 });
  expect(new Set(pulse?.answers.map((a) => a.slot)).size).toBe(12);
  expect(new Set(pulse?.answers.map((a) => a.role))).toEqual(
    new Set(["Team leader", "Staff (no project role)"]),
  );
  expect(new Set(pulse?.answers.map((a) => a.site))).toEqual(new Set(DEMO_SITES));
  const answered = entries.filter((e) => e.events.some((v) => v.kind === "pulse.answered"));
  expect(answered).toHaveLength(12);
  expect(answered.every((e) => e.events.length === 1)).toBe(true);
  expect(answered.map((e) => e.actor)).toEqual(
    answered.map(() => ({ objectId: "anonymous", name: "Anonymous respondent" })),
  );
  const stored = JSON.stringify([pulse?.answers, answered]).toLowerCase();
  for (const p of [DEMO_LEAD, ...DEMO_PEOPLE]) {
    for (const word of [p.objectId, p.name, ...p.name.split(/[ (]/).filter((w) => w.length > 3)]) {
      expect(stored, p.name).not.toContain(word.toLowerCase());
    }
  }
  expect(stored).not.toContain(DEMO_TENANT_ID);
  expect(pulse?.answers.some((a) => "name" in a)).toBe(false);

  // Two risks owned by role holders: one closed with its evidence, one open to a review date.
  const risks = state.stabilisation.risks;
  expect(risks.map((r) => [r.id, r.state, r.owner.name])).toEqual([
    ["R1", "closed", "Tom Okafor"],
    ["R2", "open", "Owen Davies (IT systems lead)"],
  ]);
  expect(risks.every((r) => rolesOf(state.roles, r.owner.objectId).size > 0)).toBe(true);
  expect(risks[0]?.evidence).toMatch(/23 agency shifts/);
  expect(risks[1]).toMatchObject({ reviewDate: "2026-12-03", likelihood: 4, impact: 4 });

  // The SLT extends at the end of week 2, naming what is not yet met, and reviews a week later.
  expect(state.stabilisation.decisions).toHaveLength(1);
  const decision = state.stabilisation.decisions[0];
  expect(decision).toMatchObject({ choice: "extend", by: "Helen Price", reviewDate: "2026-12-03" });
  expect(decision?.at.slice(0, 10)).toBe("2026-11-26");
  expect(decision?.rationale).toMatch(/staff confidence is 75% .* against the 80% threshold/);
  expect(decision?.rationale).toMatch(/care-impacting issue GL-53 \(P1\) is still open, as is GL-48 \(P2\)/);
  expect(state.stabilisation.reviewDate).toBe("2026-12-03");
  const decided = entries.find((e) => e.events.some((v) => v.kind === "slt.decided"));
  const recorded = decided?.events.find((v) => v.kind === "slt.decided");
  expect(recorded?.kind === "slt.decided" && recorded.exitCriteria.filter((c) => !c.met)).toHaveLength(3);

  // Close by the SLT member would be refused now, naming each failing exit criterion.
  const helen = DEMO_PEOPLE.find((p) => p.name === "Helen Price");
  if (!helen) throw new Error("the demo needs an SLT member");
  expect(rolesOf(state.roles, helen.objectId).has("slt")).toBe(true);
  const close = decideSlt(
    state,
    { objectId: helen.objectId, name: helen.name, tenantId: DEMO_TENANT_ID },
    { choice: "close", rationale: "Audits meet their thresholds this week.", today: "2026-11-27" },
  );
  expect(close.outcome).toBe("refused");
  const message = close.outcome === "refused" ? close.message : "";
  const failing = exitCriteria({
    sites: state.project.settings.sites,
    stabilisation: state.stabilisation,
    highRiskIssues: state.commandLog.highRisk,
  }).filter((c) => !c.met);
  expect(failing.map((c) => c.criterion.slice(0, 20))).toEqual([
    "Riverside home care:",
    "Open care-impacting,",
    "Staff confidence 75%",
  ]);
  for (const c of failing) expect(message).toContain(c.criterion);
  expect(message).toContain("Care plan access 92%");
}, 60_000);

it("without the demo's clock loads only the readiness story, decided now with go-live three weeks ahead", async () => {
  const binding = { ...DEMO_BINDING, channelId: "19:demo-without-clock@thread.tacv2" };
  const log = governanceLog(azurite);
  const loaded = await loadDemo(log, binding, NOW);
  expect(loaded.issues).toBe(0);
  const state = await log.readState(loaded.projectId);
  expect(state?.project.settings.goLiveDate).toBe("2026-12-18");
  expect(state?.project.phase).toBe("live");
  expect(state?.conditions.map((c) => c.due)).toEqual(["2026-12-11", "2026-12-07"]);
  expect(await log.verify(loaded.projectId)).toMatchObject({ ok: true, length: loaded.entries });
});

it("gives the Playground's channel a morning digest with every trigger, and replays an earlier morning as it was", async () => {
  const binding = { ...DEMO_BINDING, channelId: "19:demo-digest@thread.tacv2" };
  const clock = new DemoClock();
  const log = governanceLog(azurite, { clock: clock.now });
  const { projectId } = await loadDemo(log, binding, NOW, clock);
  const state = await log.readState(projectId);
  if (!state) throw new Error("no demo project");
  const period = dueDigestPeriod(state.project, NOW);
  expect(period).toBe("2026-11-27");
  const digest = await digestFor(log, projectId, state, period ?? "", NOW);
  expect(new Set(digest.triggers.map((t) => t.kind))).toEqual(new Set(Object.keys(TRIGGER_TITLES)));
  expect(digest.recommendation.choice).toBe("increase");
  expect(validateCard(digestCard(digest))).toEqual([]);

  // The third morning live, replayed from the log: fewer issues then, and none of the later ones.
  const third = new Date(Date.parse(`${state.project.liveFrom}T09:00:00Z`) + 2 * 24 * HOUR);
  const replayed = await digestFor(
    log,
    projectId,
    state,
    dueDigestPeriod(state.project, third) ?? "",
    third,
    {
      asOf: true,
    },
  );
  const later = digest.counts.open + digest.counts.awaitingVerification;
  expect(replayed.period < digest.period).toBe(true);
  expect(replayed.triggers.flatMap((t) => t.items.map((i) => i.id))).not.toContain("GL-53");
  expect(replayed.counts.open + replayed.counts.awaitingVerification).not.toBe(later);
});

it("records the fortnight's daily review: each morning's digest as the scheduler posts it, and the board's decisions", async () => {
  const binding = { ...DEMO_BINDING, channelId: "19:demo-daily-review@thread.tacv2" };
  const clock = new DemoClock();
  const log = governanceLog(azurite, { clock: clock.now });
  const { projectId, entries: length } = await loadDemo(log, binding, NOW, clock);
  expect(await log.verify(projectId)).toMatchObject({ ok: true, length, stateChecked: true });
  const state = await log.readState(projectId);
  if (!state) throw new Error("no demo project");
  const entries: LogEntry[] = [];
  for await (const e of log.entries(projectId)) {
    if ("unreadable" in e) throw new Error(`entry ${e.seq} is unreadable`);
    entries.push(e);
  }
  const times = entries.map((e) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));

  // One digest each morning from the day after go-live to the last day of the story, at 08:00 UK time (GMT in
  // November), claimed and posted by the scheduler; today's is left for npm start to post.
  const mornings = Array.from({ length: 13 }, (_, k) => addDays("2026-11-14", k));
  const posted = entries.flatMap((e) =>
    e.events.flatMap((v) =>
      v.kind === "review.posted" && v.review === "daily-digest" ? [{ entry: e, event: v }] : [],
    ),
  );
  expect(posted.map((p) => p.event.period)).toEqual(mornings);
  const claimed = entries.filter((e) =>
    e.events.some((v) => v.kind === "review.claimed" && v.review === "daily-digest"),
  );
  expect(claimed).toHaveLength(13);
  expect(entries.some((e) => e.events.some((v) => v.kind === "review.failed"))).toBe(false);
  for (const { entry, event } of posted) {
    expect(entry.at).toBe(`${event.period}T08:00:00.000Z`);
    expect(entry.actor).toEqual(SCHEDULER);
    expect(entry.idempotencyKey).toBe(`review-posted:daily-digest:${event.period}`);
    expect(event.activityId).toBe(`demo-digest-${event.period}`);
    expect(event.conversationId).toBe(binding.channelId);
    // What the real digest says when that morning is replayed from the log: counts, triggers, recommendation.
    const replayed = await digestFor(log, projectId, state, event.period, new Date(entry.at), { asOf: true });
    expect(event.counts, event.period).toEqual(replayed.counts);
    expect(event.triggers, event.period).toEqual(
      replayed.triggers.map((t) => ({ kind: t.kind, items: t.items.length })),
    );
    expect(event.recommendation, event.period).toEqual(replayed.recommendation);
  }
  const recommended = new Map(posted.map((p) => [p.event.period, p.event.recommendation?.choice]));
  expect(new Set(recommended.values())).toEqual(new Set(["increase", "continue"]));

  // The board's decisions on most mornings, by board members, on that morning's digest (after it was posted and
  // before the next), each answering the recommendation; at least one departs from it and says why.
  const decided = entries.flatMap((e) =>
    e.events.flatMap((v) => (v.kind === "support.decided" ? [{ entry: e, event: v }] : [])),
  );
  expect(decided).toHaveLength(DEMO_SUPPORT_DECISIONS.length);
  expect(decided.length).toBeGreaterThanOrEqual(8);
  expect(decided.length).toBeLessThanOrEqual(10);
  for (const { entry, event } of decided) {
    expect(rolesOf(state.roles, entry.actor.objectId).has("board-member"), entry.actor.name).toBe(true);
    expect(entry.idempotencyKey).toBe(`demo:support:${event.period}`);
    expect(event.recommended).toBe(recommended.get(event.period));
    expect(entry.at > `${event.period}T08:00:00.000Z`).toBe(true);
    expect(entry.at < `${addDays(event.period, 1)}T08:00:00.000Z`).toBe(true);
    expect(event.rationale.toLowerCase().startsWith(event.choice)).toBe(true);
    expect(firstFieldWithNhsNumber([event])).toBeUndefined();
  }
  expect(new Set(decided.map((d) => d.event.period)).size).toBe(decided.length);
  expect(new Set(decided.map((d) => d.entry.actor.name)).size).toBeGreaterThanOrEqual(3);
  const against = decided.filter((d) => d.event.choice !== d.event.recommended);
  expect(against.map((d) => [d.event.period, d.event.recommended, d.event.choice])).toEqual([
    ["2026-11-21", "increase", "continue"],
    ["2026-11-24", "continue", "reduce"],
  ]);
  expect(against[0]?.event.rationale).toMatch(/^Continue, not increase: .*GL-34/);
  expect(decided.filter((d) => d.event.recommended === "increase").length).toBeGreaterThan(4);
  // The last morning's decisions stay on the digest's run, as the card shows them.
  const run = state.reviews.find((r) => r.review === "daily-digest");
  expect(run).toMatchObject({ period: "2026-11-26", state: "posted", activityId: "demo-digest-2026-11-26" });
  expect(run?.decisions.map((d) => [d.by, d.choice])).toEqual([["Priya Shah", "increase"]]);

  // This morning's digest is not recorded by the demo: the scheduler (npm start) still posts it, once.
  expect(reviewToRun(state.reviews, "daily-digest", "2026-11-27", NOW)).toBe("run");
  const delivered: Array<Partial<Activity>> = [];
  const deps = {
    log: governanceLog(azurite),
    references: { save: async () => {}, get: async () => undefined, async *list() {} },
    poster: {
      postToChannel: async (_channel: string, activity: Partial<Activity>) => {
        delivered.push(activity);
        return "activity-today";
      },
    },
    logger: consoleLogger("error"),
  };
  expect(await runDailyDigest(deps, binding.channelId, NOW)).toEqual({
    outcome: "posted",
    period: "2026-11-27",
    activityId: "activity-today",
  });
  expect(delivered).toHaveLength(1);
  expect(await runDailyDigest(deps, binding.channelId, NOW)).toEqual({
    outcome: "skipped",
    reason: "posted",
  });
  expect(await deps.log.verify(projectId)).toMatchObject({ ok: true, length: length + 2 });
}, 60_000);
