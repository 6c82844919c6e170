import { describe, expect, it } from "vitest";
import { type Issue, summaryOf } from "../../governance/commandLog.js";
import {
  applyEvents,
  type Decision,
  decideRoleAdd,
  decideSettings,
  decideSetup,
  replayProject,
} from "../../governance/decisions.js";
import { documentsOf, documentsTouchedBy, stateFromDocuments } from "../../governance/documents.js";
import { type Actor, type GovernanceEvent, GovernanceEventSchema } from "../../governance/events.js";
import {
  decideIssueChange,
  decideRaise,
  type IssueChange,
  type RaiseRequest,
} from "../../governance/issueRules.js";
import type { ProjectState } from "../../governance/project.js";
import type { Role } from "../../governance/roles.js";
import {
  type Audit,
  type AuditMeasure,
  DEFAULT_STABILISATION_THRESHOLDS,
  EMPTY_STABILISATION,
  type Pulse,
  type StabilisationState,
} from "../../governance/stabilisation.js";
import { buildStabilisationReport } from "../../governance/stabilisationReport.js";
import {
  auditShortfalls,
  checkSltDecision,
  confidenceOf,
  type ExitCriterion,
  exitCriteria,
  followUpSchedule,
  percentOf,
  stabilisationReviewDue,
} from "../../governance/stabilisationRules.js";
import { CARE_TEAM, newChannel, someone } from "../support/fixtures.js";

/**
 * Stabilisation (domain page §4): the quality lead's audits, staff confidence, the risk log, the exit criteria
 * the SLT's decision rests on, the review's cadence, follow-up audits and the project lead's report.
 */

/** The shared care team (test/support/fixtures.ts); the roles each holds are given below. */
const { priya, tom, grace, dev, ama, lucy, sam } = CARE_TEAM;
/** Senior leadership team: closes, extends or transfers the go-live controls. */
const olu = someone(9, "Olu Adeyemi");

const SITES = ["Oak House", "Riverside"];
const ROLES: Array<[Actor, Role, string?]> = [
  [tom, "registered-manager", "Oak House"],
  [ama, "registered-manager", "Riverside"],
  [grace, "quality-lead"],
  [dev, "operations-lead"],
  [lucy, "team-leader"],
  [sam, "supplier"],
  [olu, "slt"],
];

/** Live from 08:00 UTC on Monday 11 January 2027; times are minutes after it. */
const LIVE_FROM = "2027-01-11";
const GO_LIVE = `${LIVE_FROM}T08:00:00.000Z`;
const at = (minutes: number) => new Date(Date.parse(GO_LIVE) + minutes * 60_000).toISOString();
const HOUR = 60;
const DAY = 24 * HOUR;
const person = (a: Actor) => ({ objectId: a.objectId, name: a.name });

// ---------------------------------------------------------------------------------------------------------------
// Audits, pulses and stabilisation states, as plain data for the pure rules.

/**
 * Every measure exactly at its default threshold, with different sample sizes: 95 of 100, 19 of 20 (95%) and
 * 49 of 50 for care plan access (98%).
 */
const AT_THRESHOLD: Audit["measures"] = {
  "record-quality": { checked: 100, passed: 95 },
  "task-completion": { checked: 100, passed: 95 },
  "alerts-actioned": { checked: 100, passed: 95 },
  "care-plan-access": { checked: 50, passed: 49 },
  "incident-recording": { checked: 20, passed: 19 },
};

/** The measures at threshold, but one of them with one passed record less. */
function oneLess(measure: AuditMeasure): Audit["measures"] {
  const m = AT_THRESHOLD[measure];
  return { ...AT_THRESHOLD, [measure]: { checked: m.checked, passed: m.passed - 1 } };
}

/** An audit by the quality lead on the morning of go-live day + `day`. */
function audit(
  id: string,
  site: string,
  day: number,
  measures: Audit["measures"] = AT_THRESHOLD,
  kind: Audit["kind"] = "stabilisation",
): Audit {
  return { id, site, kind, measures, notes: "", by: grace.name, at: at(day * DAY) };
}

/** A pulse whose answers have these scores (1–5), alternating between the two sites. */
function pulse(id: string, scores: number[]): Pulse {
  return {
    id,
    anonymous: true,
    question: "Can you complete your core workflows without additional support?",
    openedBy: priya.name,
    openedAt: at(13 * DAY),
    answers: scores.map((score, n) => ({
      slot: `h-${n}`,
      role: "carer",
      site: SITES[n % 2] ?? "Oak House",
      score,
    })),
  };
}

/** 4 of 5 staff answer 4 or 5: exactly the default 80%. */
const CONFIDENT = () => pulse("P1", [5, 4, 4, 4, 3]);

const stabilisation = (parts: Partial<StabilisationState>): StabilisationState => ({
  ...EMPTY_STABILISATION,
  ...parts,
});

/** Two weekly audits of each site at exactly the thresholds, and a confident pulse. */
function stable(parts: Partial<StabilisationState> = {}): StabilisationState {
  return stabilisation({
    audits: [
      audit("A1", "Oak House", 7),
      audit("A2", "Riverside", 7),
      audit("A3", "Oak House", 14),
      audit("A4", "Riverside", 14),
    ],
    pulses: [CONFIDENT()],
    ...parts,
  });
}

const NO_HIGH_RISK: Array<{ id: string; summary: string }> = [];
const criteriaOf = (
  s: StabilisationState,
  highRiskIssues = NO_HIGH_RISK,
  sites: readonly string[] = SITES,
): ExitCriterion[] => exitCriteria({ sites, stabilisation: s, highRiskIssues });
const failing = (criteria: readonly ExitCriterion[]) =>
  criteria.filter((c) => !c.met).map((c) => c.criterion);

const ALL_MET: ExitCriterion[] = [
  { criterion: "Oak House: the last two audits (A3, A1) meet every threshold.", met: true },
  { criterion: "Riverside: the last two audits (A4, A2) meet every threshold.", met: true },
  { criterion: "No open care-impacting, P1 or P2 issue.", met: true },
  { criterion: "Staff confidence 80% (4 or 5 of 5, 5 answers in P1); the threshold is 80%.", met: true },
];

// ---------------------------------------------------------------------------------------------------------------
// A live project, as the store keeps it (copied from the command log's tests).

interface Project {
  state: ProjectState;
  issues: Map<string, Issue>;
  entries: Array<{ at: string; actor: Actor; events: GovernanceEvent[] }>;
}

function expectRecorded(decision: Decision): void {
  expect(decision.outcome, decision.outcome === "record" ? "" : decision.message).toBe("record");
}

/** Records events as done by `by` at `when`: each parsed as the store parses it before committing. */
function record(project: Project, by: Actor, when: string, events: readonly unknown[]): Project {
  const parsed = events.map((e) => GovernanceEventSchema.parse(e));
  const issues = new Map(project.issues);
  const state = applyEvents(project.state, parsed, { at: when, actor: by }, issues);
  if (!state) throw new Error("no state after applying the events");
  return { state, issues, entries: [...project.entries, { at: when, actor: by, events: parsed }] };
}

function applied(project: Project, by: Actor, when: string, decision: Decision): Project {
  expectRecorded(decision);
  return decision.outcome === "record" ? record(project, by, when, decision.events) : project;
}

/** Oak House and Riverside, with their people (an SLT member among them); live from 11 January. */
function liveProject(): Project {
  const setupAt = at(-7 * DAY);
  const setup = decideSetup(undefined, {
    name: "Oak House and Riverside go-live",
    binding: newChannel(),
    actor: priya,
  });
  if (setup.outcome !== "record") throw new Error("setup should record");
  const state = applyEvents(undefined, setup.events, { at: setupAt, actor: priya });
  if (!state) throw new Error("no state");
  let project: Project = {
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
  for (const [who, role, site] of ROLES) {
    const decision = decideRoleAdd(project.state, priya, {
      role,
      person: person(who),
      ...(site ? { site } : {}),
    });
    project = applied(project, priya, setupAt, decision);
  }
  return record(project, priya, GO_LIVE, [
    { kind: "project.phase-changed", from: "preparing", to: "live", effectiveFrom: LIVE_FROM, reason: "Go" },
  ]);
}

const PLAIN: RaiseRequest = {
  type: "request",
  careImpacting: false,
  workaround: false,
  description: "Rota not showing the night shifts",
};

function raise(project: Project, by: Actor, minutes: number, request: Partial<RaiseRequest> = {}): Project {
  return applied(project, by, at(minutes), decideRaise(project.state, by, { ...PLAIN, ...request }));
}

function change(project: Project, by: Actor, minutes: number, id: string, c: IssueChange): Project {
  return applied(
    project,
    by,
    at(minutes),
    decideIssueChange(project.state, project.issues.get(id), by, c, id),
  );
}

const control = (): IssueChange => ({
  kind: "control",
  control: { kind: "additional-checks", text: "Second carer checks every entry" },
});
const resolve = (): IssueChange => ({
  kind: "resolve",
  evidence: "Supplier fix deployed; checked on the floor",
});

/** The quality lead records an audit `minutes` after go-live. */
function recordAudit(
  project: Project,
  minutes: number,
  id: string,
  site: string,
  measures: Audit["measures"] = AT_THRESHOLD,
  kind: Audit["kind"] = "stabilisation",
): Project {
  return record(project, grace, at(minutes), [
    {
      kind: "audit.recorded",
      audit: {
        id,
        site,
        kind,
        measures,
        notes: `${site}: ${kind} audit`,
        ...(kind === "follow-up" ? { embedded: true } : {}),
      },
    },
  ]);
}

function openPulse(project: Project, minutes: number, pulseId: string, anonymous: boolean): Project {
  return record(project, priya, at(minutes), [
    {
      kind: "pulse.opened",
      pulseId,
      anonymous,
      question: "Can you complete your core workflows without additional support?",
    },
  ]);
}

function answer(
  project: Project,
  minutes: number,
  pulseId: string,
  slot: string,
  score: number,
  extra: { name?: string; comment?: string; site?: string } = {},
): Project {
  return record(project, lucy, at(minutes), [
    { kind: "pulse.answered", pulseId, slot, role: "carer", site: "Oak House", score, ...extra },
  ]);
}

function addRisk(
  project: Project,
  minutes: number,
  id: string,
  owner: Actor,
  likelihood: number,
  impact: number,
): Project {
  return record(project, priya, at(minutes), [
    {
      kind: "risk.added",
      risk: { id, text: `Risk ${id}`, owner: person(owner), likelihood, impact, reviewDate: "2027-02-01" },
    },
  ]);
}

// ===============================================================================================================

describe("an audit measure against its threshold", () => {
  it("is a whole percentage rounded down: 94.9% is not 95%", () => {
    expect(percentOf({ checked: 1000, passed: 949 })).toBe(94);
    expect(percentOf({ checked: 1000, passed: 950 })).toBe(95);
    expect(percentOf({ checked: 20, passed: 19 })).toBe(95);
    expect(percentOf({ checked: 50, passed: 49 })).toBe(98);
    expect(percentOf({ checked: 3, passed: 2 })).toBe(66);
    expect(percentOf({ checked: 7, passed: 7 })).toBe(100);
    expect(percentOf({ checked: 7, passed: 0 })).toBe(0);
  });

  it("starts from the defaults: 95% for each measure but care plan access (98%), 80% confident, 1, 3, 6 months", () => {
    expect(DEFAULT_STABILISATION_THRESHOLDS).toEqual({
      measures: {
        "record-quality": 95,
        "task-completion": 95,
        "alerts-actioned": 95,
        "care-plan-access": 98,
        "incident-recording": 95,
      },
      confidencePercent: 80,
      followUpMonths: [1, 3, 6],
    });
  });

  it("meets every threshold when each measure is exactly at it", () => {
    expect(auditShortfalls(audit("A1", "Oak House", 7), DEFAULT_STABILISATION_THRESHOLDS)).toEqual([]);
  });

  it.each([
    { measure: "record-quality", percent: 94, threshold: 95 },
    { measure: "task-completion", percent: 94, threshold: 95 },
    { measure: "alerts-actioned", percent: 94, threshold: 95 },
    { measure: "care-plan-access", percent: 96, threshold: 98 },
    { measure: "incident-recording", percent: 90, threshold: 95 },
  ] as const)(
    "falls short with one passed record less in $measure, naming it",
    ({ measure, percent, threshold }) => {
      expect(
        auditShortfalls(audit("A1", "Oak House", 7, oneLess(measure)), DEFAULT_STABILISATION_THRESHOLDS),
      ).toEqual([{ measure, percent, threshold }]);
    },
  );

  it("falls short at 94.9% of a 95% threshold", () => {
    const measures = { ...AT_THRESHOLD, "record-quality": { checked: 1000, passed: 949 } };
    expect(auditShortfalls(audit("A1", "Oak House", 7, measures), DEFAULT_STABILISATION_THRESHOLDS)).toEqual([
      { measure: "record-quality", percent: 94, threshold: 95 },
    ]);
  });

  it("measures against the project's own thresholds when it changed them", () => {
    const thresholds = {
      ...DEFAULT_STABILISATION_THRESHOLDS,
      measures: { ...DEFAULT_STABILISATION_THRESHOLDS.measures, "care-plan-access": 99 },
    };
    expect(auditShortfalls(audit("A1", "Oak House", 7), thresholds)).toEqual([
      { measure: "care-plan-access", percent: 98, threshold: 99 },
    ]);
  });
});

describe("staff confidence from the latest pulse", () => {
  it("is the share answering 4 or 5 out of 5, rounded down", () => {
    expect(confidenceOf(CONFIDENT())).toEqual({ percent: 80, answers: 5 });
    // 19 of 24 is 79.2%.
    expect(confidenceOf(pulse("P1", [...Array(19).fill(4), ...Array(5).fill(3)]))).toEqual({
      percent: 79,
      answers: 24,
    });
  });

  it("is unknown until someone answers", () => {
    expect(confidenceOf(undefined)).toBeUndefined();
    expect(confidenceOf(pulse("P1", []))).toBeUndefined();
  });
});

describe("the exit criteria", () => {
  it("all hold when each site's last two audits are exactly at the thresholds, nothing high-risk is open and 80% are confident", () => {
    expect(criteriaOf(stable())).toEqual(ALL_MET);
  });

  it("fail for a site with only one stabilisation audit", () => {
    const s = stable();
    const criteria = criteriaOf({ ...s, audits: s.audits.filter((a) => a.id !== "A1") });
    expect(failing(criteria)).toEqual([
      "Oak House: only one stabilisation audit; the last two must meet every threshold.",
    ]);
    expect(criteria).toHaveLength(4);
  });

  it("fail for a site with no audit at all", () => {
    const s = stable();
    expect(failing(criteriaOf({ ...s, audits: s.audits.filter((a) => a.site !== "Riverside") }))).toEqual([
      "Riverside: no stabilisation audit yet; the last two must meet every threshold.",
    ]);
  });

  it("fail when the older of the last two audits is below a threshold, naming the measure, its percentage and the audit", () => {
    const s = stable();
    const audits = s.audits.map((a) => (a.id === "A1" ? { ...a, measures: oneLess("task-completion") } : a));
    expect(failing(criteriaOf({ ...s, audits }))).toEqual([
      "Oak House: below threshold in the last two audits — Task completion 94% (audit A1, threshold 95%).",
    ]);
  });

  it("name every shortfall of both audits", () => {
    const s = stable();
    const audits = s.audits.map((a) =>
      a.id === "A2"
        ? { ...a, measures: oneLess("care-plan-access") }
        : a.id === "A4"
          ? {
              ...a,
              measures: { ...oneLess("alerts-actioned"), "incident-recording": { checked: 20, passed: 18 } },
            }
          : a,
    );
    expect(failing(criteriaOf({ ...s, audits }))).toEqual([
      "Riverside: below threshold in the last two audits — Alerts actioned 94% (audit A4, threshold 95%); " +
        "Incident recording 90% (audit A4, threshold 95%); Care plan access 96% (audit A2, threshold 98%).",
    ]);
  });

  it("ignore a third, older audit below threshold", () => {
    const s = stable();
    const older = audit("A0", "Oak House", 3, oneLess("record-quality"));
    expect(criteriaOf({ ...s, audits: [older, ...s.audits] })).toEqual(ALL_MET);
  });

  it("read the last two by when they were recorded, not by the order they are held in", () => {
    const s = stable();
    const recentBelow = audit("A5", "Oak House", 21, oneLess("record-quality"));
    expect(failing(criteriaOf({ ...s, audits: [recentBelow, ...s.audits] }))).toEqual([
      "Oak House: below threshold in the last two audits — Record quality 94% (audit A5, threshold 95%).",
    ]);
  });

  it("fail while one P2 issue is open, naming it", () => {
    const criteria = criteriaOf(stable(), [{ id: "GL-7", summary: "P2: eMAR not loading on the tablets" }]);
    expect(failing(criteria)).toEqual(["Open care-impacting, P1 or P2 issues: GL-7."]);
  });

  it("name every open high-risk issue", () => {
    const criteria = criteriaOf(stable(), [
      { id: "GL-3", summary: "P1, care-impacting: Sensor mats not alerting" },
      { id: "GL-9", summary: "P4, care-impacting: Body maps missing" },
    ]);
    expect(failing(criteria)).toEqual(["Open care-impacting, P1 or P2 issues: GL-3, GL-9."]);
  });

  it("fail at 79% confidence", () => {
    const criteria = criteriaOf(
      stable({ pulses: [pulse("P2", [...Array(19).fill(5), ...Array(5).fill(2)])] }),
    );
    expect(failing(criteria)).toEqual([
      "Staff confidence 79% (4 or 5 of 5, 24 answers in P2); the threshold is 80%.",
    ]);
  });

  it("read only the latest pulse: an earlier confident one does not count", () => {
    const criteria = criteriaOf(stable({ pulses: [CONFIDENT(), pulse("P2", [5, 3, 3, 2, 4])] }));
    expect(failing(criteria)).toEqual([
      "Staff confidence 40% (4 or 5 of 5, 5 answers in P2); the threshold is 80%.",
    ]);
  });

  it("need at least five answers before confidence can count", () => {
    const criteria = criteriaOf(stable({ pulses: [pulse("P2", [5, 5, 5, 5])] }));
    expect(failing(criteria)).toEqual(["Staff confidence: only 4 answers in P2; at least 5 are needed."]);
  });

  it("fail when no pulse has been answered, or none opened", () => {
    expect(failing(criteriaOf(stable({ pulses: [pulse("P1", [])] })))).toEqual([
      "No staff confidence pulse has been answered.",
    ]);
    expect(failing(criteriaOf(stable({ pulses: [] })))).toEqual([
      "No staff confidence pulse has been answered.",
    ]);
  });

  it("do not count follow-up audits as stabilisation audits", () => {
    const s = stable();
    const audits = [
      ...s.audits.filter((a) => a.id !== "A1"),
      audit("A5", "Oak House", 21, AT_THRESHOLD, "follow-up"),
    ];
    expect(failing(criteriaOf({ ...s, audits }))).toEqual([
      "Oak House: only one stabilisation audit; the last two must meet every threshold.",
    ]);
  });

  it("match a project's site to its audits whatever the case", () => {
    const s = stable();
    const audits = s.audits.map((a) => (a.site === "Oak House" ? { ...a, site: "OAK HOUSE" } : a));
    expect(criteriaOf({ ...s, audits })).toEqual(ALL_MET);
  });

  it("use the sites audited when the project names none", () => {
    expect(criteriaOf(stable(), NO_HIGH_RISK, [])).toEqual(ALL_MET);
    const s = stable();
    expect(failing(criteriaOf({ ...s, audits: s.audits.slice(0, 3) }, NO_HIGH_RISK, []))).toEqual([
      "Riverside: only one stabilisation audit; the last two must meet every threshold.",
    ]);
  });

  it("fail when the project names no site and nothing has been audited", () => {
    expect(failing(criteriaOf(stable({ audits: [] }), NO_HIGH_RISK, []))).toEqual([
      "No stabilisation audit has been recorded.",
    ]);
  });

  // BUG: sites are one site whatever the case (decisions.ts: "Oak House" and "oak house" are one site), and the
  // criteria for a named site already match audits that way; but with no sites named, the audited sites are
  // collected case-sensitively, so the same site is listed (and judged) twice.
  it("list a site once when the project names none and its audits spell it differently", () => {
    const s = stable();
    const audits = s.audits.map((a) => (a.id === "A3" ? { ...a, site: "oak house" } : a));
    expect(
      criteriaOf({ ...s, audits }, NO_HIGH_RISK, []).filter((c) => /oak house/i.test(c.criterion)),
    ).toHaveLength(1);
  });
});

describe("the SLT's decision", () => {
  const decide = (request: Partial<Parameters<typeof checkSltDecision>[0]> = {}) =>
    checkSltDecision({
      isSlt: true,
      choice: "close",
      rationale: "Two clean audits at both sites; staff confident.",
      today: "2027-03-01",
      criteria: ALL_MET,
      ...request,
    });
  const failingCriteria = criteriaOf({ ...stable(), audits: stable().audits.filter((a) => a.id !== "A1") }, [
    { id: "GL-7", summary: "P2: eMAR not loading on the tablets" },
  ]);

  it.each(["close", "extend", "transfer"] as const)(
    "refuses to %s for someone outside the SLT, naming the role",
    (choice) => {
      expect(decide({ isSlt: false, choice, reviewDate: "2027-03-15", ownerName: "Priya Shah" })).toEqual({
        outcome: "refused",
        neededRole: "slt",
        message: "Only the senior leadership team closes, extends or transfers the go-live controls.",
      });
    },
  );

  it("refuses without a rationale", () => {
    for (const rationale of ["", "   "]) {
      expect(decide({ rationale })).toEqual({
        outcome: "refused",
        message: "Give the rationale: it is kept with the decision.",
      });
    }
  });

  it("refuses to close while any exit criterion fails, listing each failing criterion and only those", () => {
    const refusal = decide({ criteria: failingCriteria });
    expect(refusal).toEqual({
      outcome: "refused",
      message:
        "Close is refused while the exit criteria fail: " +
        "Oak House: only one stabilisation audit; the last two must meet every threshold. " +
        "Open care-impacting, P1 or P2 issues: GL-7. " +
        "Extend stabilisation, or transfer the controls to routine governance, instead.",
    });
    expect(refusal?.message).not.toContain("Riverside");
    expect(refusal?.message).not.toContain("Staff confidence");
  });

  it("lets the SLT close when every criterion is met", () => {
    expect(decide()).toBeUndefined();
  });

  it("lets the SLT extend or transfer while criteria fail", () => {
    expect(decide({ choice: "extend", reviewDate: "2027-03-15", criteria: failingCriteria })).toBeUndefined();
    expect(
      decide({ choice: "transfer", ownerName: "Priya Shah", criteria: failingCriteria }),
    ).toBeUndefined();
  });

  it("needs a review date after today to extend: today itself is refused", () => {
    const refused = { outcome: "refused", message: "Extending needs a new review date after today." };
    expect(decide({ choice: "extend" })).toEqual(refused);
    expect(decide({ choice: "extend", reviewDate: "2027-02-28" })).toEqual(refused);
    expect(decide({ choice: "extend", reviewDate: "2027-03-01" })).toEqual(refused);
    expect(decide({ choice: "extend", reviewDate: "2027-03-02" })).toBeUndefined();
  });

  it("needs the person who will own routine governance to transfer", () => {
    expect(decide({ choice: "transfer" })).toEqual({
      outcome: "refused",
      message: "Transferring needs the person who will own routine governance.",
    });
    expect(decide({ choice: "transfer", ownerName: "" })).toMatchObject({ outcome: "refused" });
    expect(decide({ choice: "transfer", ownerName: "Priya Shah" })).toBeUndefined();
  });
});

describe("when the stabilisation review is due", () => {
  /** Monday 11 January 2027: reviews fall on Mondays. */
  const due = (
    today: string,
    s: StabilisationState = stabilisation({ audits: [audit("A1", "Oak House", 7)] }),
    lastReviewed?: string,
  ) =>
    stabilisationReviewDue({
      liveFrom: LIVE_FROM,
      today,
      sites: SITES,
      stabilisation: s,
      ...(lastReviewed !== undefined ? { lastReviewed } : {}),
    });
  const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

  it("is never due before the project goes live", () => {
    const s = stable();
    expect(
      stabilisationReviewDue({ liveFrom: undefined, today: "2027-03-01", sites: SITES, stabilisation: s }),
    ).toBeUndefined();
  });

  it("is first due a week after go-live, on the same weekday", () => {
    expect(due("2027-01-11")).toBeUndefined();
    expect(due("2027-01-17")).toBeUndefined();
    expect(due("2027-01-18")).toBe("2027-01-18");
    expect(weekday("2027-01-18")).toBe(weekday(LIVE_FROM));
  });

  it("is due weekly while the audits do not yet meet the thresholds", () => {
    expect(due("2027-01-25")).toBe("2027-01-25");
    expect(due("2027-02-01")).toBe("2027-02-01");
    // Days between: still the last Monday's review, until it is done.
    expect(due("2027-01-27")).toBe("2027-01-25");
    expect(due("2027-01-27", undefined, "2027-01-25")).toBeUndefined();
  });

  it("is not due once reviewed on or after the due date", () => {
    expect(due("2027-01-20", undefined, "2027-01-18")).toBeUndefined();
    expect(due("2027-01-20", undefined, "2027-01-19")).toBeUndefined();
    expect(due("2027-01-20", undefined, "2027-01-17")).toBe("2027-01-18");
  });

  it("is due monthly (every 28 days) once every site's last two audits meet the thresholds", () => {
    // Confidence and open issues do not slow the cadence: only the audits.
    const s = stable({ pulses: [] });
    expect(due("2027-01-18", s)).toBe("2027-01-18");
    expect(due("2027-02-08", s, "2027-01-18")).toBeUndefined();
    expect(due("2027-02-14", s, "2027-01-18")).toBeUndefined();
    expect(due("2027-02-15", s, "2027-01-18")).toBe("2027-02-15");
    expect(due("2027-03-14", s, "2027-02-15")).toBeUndefined();
    expect(due("2027-03-15", s, "2027-02-15")).toBe("2027-03-15");
    expect(weekday("2027-03-15")).toBe(weekday(LIVE_FROM));
    // One site's audit below threshold again: back to weekly.
    const below = { ...s, audits: [...s.audits, audit("A5", "Riverside", 60, oneLess("alerts-actioned"))] };
    expect(due("2027-03-22", below, "2027-03-15")).toBe("2027-03-22");
  });

  it.each(["close", "transfer"] as const)("is never due after the SLT decides to %s", (choice) => {
    const s = stable({
      decisions: [{ choice, rationale: "Stable", by: olu.name, at: at(49 * DAY), owner: person(priya) }],
    });
    expect(due("2027-03-15", s, "2027-02-15")).toBeUndefined();
    expect(due("2027-06-14", s, "2027-02-15")).toBeUndefined();
  });

  it("is not due before the review date an extension set, and is due again on it", () => {
    const s = stabilisation({
      audits: [audit("A1", "Oak House", 7)],
      decisions: [
        {
          choice: "extend",
          rationale: "Riverside not audited",
          by: olu.name,
          at: at(21 * DAY),
          reviewDate: "2027-02-10",
        },
      ],
      reviewDate: "2027-02-10",
    });
    expect(due("2027-02-08", s, "2027-02-01")).toBeUndefined();
    expect(due("2027-02-09", s, "2027-02-01")).toBeUndefined();
    expect(due("2027-02-10", s, "2027-02-01")).toBeDefined();
  });

  // BUG: an "extend" "sets the next review date" (stabilisationRules.ts, StabilisationState.reviewDate), but the
  // review is not due on it when that day is not on the weekly cadence and the last cadence day was reviewed:
  // extended on Monday 8 Feb after that day's review, with a review date of Wednesday 10 Feb, nothing is due on
  // 10 Feb (the next review comes on 15 Feb); and where something is due on 10 Feb, it is for 8 Feb, not 10 Feb.
  it("is due on the review date an extension set, for that date", () => {
    const s = stabilisation({
      audits: [audit("A1", "Oak House", 7)],
      decisions: [
        {
          choice: "extend",
          rationale: "Riverside not audited",
          by: olu.name,
          at: at(28 * DAY),
          reviewDate: "2027-02-10",
        },
      ],
      reviewDate: "2027-02-10",
    });
    expect(due("2027-02-10", s, "2027-02-08")).toBe("2027-02-10");
  });
});

describe("follow-up audits after close or transfer", () => {
  it("fall due 1, 3 and 6 months on, on the same day or the month's last day", () => {
    expect(followUpSchedule("2026-01-31", [1, 3, 6])).toEqual([
      { due: "2026-02-28", months: 1 },
      { due: "2026-04-30", months: 3 },
      { due: "2026-07-31", months: 6 },
    ]);
  });

  it("are listed soonest first whatever order the months are configured in", () => {
    expect(followUpSchedule("2026-01-31", [6, 1, 3])).toEqual(followUpSchedule("2026-01-31", [1, 3, 6]));
  });

  it("clamp to 29 February in a leap year and roll into the next year", () => {
    expect(followUpSchedule("2028-01-30", [1])).toEqual([{ due: "2028-02-29", months: 1 }]);
    expect(followUpSchedule("2026-11-30", [3, 12])).toEqual([
      { due: "2027-02-28", months: 3 },
      { due: "2027-11-30", months: 12 },
    ]);
    expect(followUpSchedule("2027-03-01", [1, 3, 6])).toEqual([
      { due: "2027-04-01", months: 1 },
      { due: "2027-06-01", months: 3 },
      { due: "2027-09-01", months: 6 },
    ]);
  });
});

describe("stabilisation events in the governance log", () => {
  it("records an audit with who recorded it and when, from the log entry", () => {
    const project = recordAudit(liveProject(), 7 * DAY, "A1", "Oak House");
    expect(project.state.stabilisation.audits).toEqual([
      {
        id: "A1",
        site: "Oak House",
        kind: "stabilisation",
        measures: AT_THRESHOLD,
        notes: "Oak House: stabilisation audit",
        by: "Grace Mensah",
        at: at(7 * DAY),
      },
    ]);
  });

  it("refuses, as the log's vocabulary, a measure with more passed than checked", () => {
    const event = {
      kind: "audit.recorded",
      audit: {
        id: "A1",
        site: "Oak House",
        kind: "stabilisation",
        measures: { ...AT_THRESHOLD, "record-quality": { checked: 10, passed: 11 } },
        notes: "",
      },
    };
    expect(GovernanceEventSchema.safeParse(event).success).toBe(false);
  });

  it("keeps a risk through added, updated and closed with evidence", () => {
    let project = addRisk(liveProject(), 8 * DAY, "R1", dev, 3, 4);
    expect(project.state.stabilisation.risks).toEqual([
      {
        id: "R1",
        text: "Risk R1",
        owner: person(dev),
        likelihood: 3,
        impact: 4,
        reviewDate: "2027-02-01",
        state: "open",
        raisedBy: "Priya Shah",
        raisedAt: at(8 * DAY),
      },
    ]);
    const before = { owner: person(dev), likelihood: 3, impact: 4, reviewDate: "2027-02-01" };
    const after = { owner: person(tom), likelihood: 2, impact: 4, reviewDate: "2027-02-15" };
    project = record(project, priya, at(9 * DAY), [{ kind: "risk.updated", riskId: "R1", before, after }]);
    expect(project.state.stabilisation.risks[0]).toMatchObject({
      ...after,
      state: "open",
      raisedAt: at(8 * DAY),
    });
    expect(
      GovernanceEventSchema.safeParse({ kind: "risk.closed", riskId: "R1", evidence: "   " }).success,
      "closing needs evidence",
    ).toBe(false);
    project = record(project, tom, at(20 * DAY), [
      { kind: "risk.closed", riskId: "R1", evidence: "Second handset in every unit since 25 Jan" },
    ]);
    expect(project.state.stabilisation.risks[0]).toEqual({
      id: "R1",
      text: "Risk R1",
      ...after,
      state: "closed",
      evidence: "Second handset in every unit since 25 Jan",
      raisedBy: "Priya Shah",
      raisedAt: at(8 * DAY),
      closedAt: at(20 * DAY),
    });
  });

  it("keeps one answer per respondent in a pulse: a second replaces the first", () => {
    let project = openPulse(liveProject(), 13 * DAY, "P1", false);
    expect(project.state.stabilisation.pulses).toEqual([
      {
        id: "P1",
        anonymous: false,
        question: "Can you complete your core workflows without additional support?",
        openedBy: "Priya Shah",
        openedAt: at(13 * DAY),
        answers: [],
      },
    ]);
    project = answer(project, 13 * DAY + 5, "P1", lucy.objectId, 2, { name: lucy.name });
    project = answer(project, 13 * DAY + 50, "P1", lucy.objectId, 4, {
      name: lucy.name,
      comment: "Easier now",
    });
    expect(project.state.stabilisation.pulses[0]?.answers).toEqual([
      {
        slot: lucy.objectId,
        name: "Lucy Evans",
        role: "carer",
        site: "Oak House",
        score: 4,
        comment: "Easier now",
      },
    ]);
    project = answer(project, 13 * DAY + 60, "P1", tom.objectId, 5, { name: tom.name, site: "Riverside" });
    expect(project.state.stabilisation.pulses[0]?.answers.map((a) => [a.slot, a.score])).toEqual([
      [lucy.objectId, 4],
      [tom.objectId, 5],
    ]);
  });

  /** Two clean weekly audits of each site, a confident pulse, a risk closed; closed by the SLT on 1 March. */
  function closedProject(): Project {
    let project = liveProject();
    project = record(project, grace, at(DAY), [
      {
        kind: "stabilisation.thresholds-changed",
        before: DEFAULT_STABILISATION_THRESHOLDS,
        after: { ...DEFAULT_STABILISATION_THRESHOLDS, followUpMonths: [1, 3, 6, 12] },
      },
    ]);
    project = recordAudit(project, 7 * DAY, "A1", "Oak House");
    project = recordAudit(project, 7 * DAY + HOUR, "A2", "Riverside");
    project = addRisk(project, 8 * DAY, "R1", dev, 3, 4);
    project = recordAudit(project, 14 * DAY, "A3", "Oak House");
    project = recordAudit(project, 14 * DAY + HOUR, "A4", "Riverside");
    project = openPulse(project, 14 * DAY, "P1", true);
    [5, 4, 4, 4, 3].forEach((score, n) => {
      project = answer(project, 14 * DAY + n + 1, "P1", `h-${n}`, score, {
        site: SITES[n % 2] ?? "Oak House",
      });
    });
    project = record(project, tom, at(20 * DAY), [
      { kind: "risk.closed", riskId: "R1", evidence: "Second handset in every unit" },
    ]);
    const s = project.state.stabilisation;
    const criteria = criteriaOf(s, project.state.commandLog.highRisk);
    const rationale = "Two clean audits at both sites; 80% of staff confident; no open high-risk issue.";
    expect(
      checkSltDecision({ isSlt: true, choice: "close", rationale, today: "2027-03-01", criteria }),
    ).toBeUndefined();
    return record(project, olu, at(49 * DAY), [
      {
        kind: "slt.decided",
        choice: "close",
        rationale,
        followUps: followUpSchedule("2027-03-01", s.thresholds.followUpMonths),
        exitCriteria: criteria,
      },
    ]);
  }

  it("keeps the SLT's close with the follow-up audits it scheduled", () => {
    const { stabilisation: s } = closedProject().state;
    expect(s.decisions).toEqual([
      {
        choice: "close",
        rationale: "Two clean audits at both sites; 80% of staff confident; no open high-risk issue.",
        by: "Olu Adeyemi",
        at: at(49 * DAY),
      },
    ]);
    expect(s.followUps).toEqual([
      { due: "2027-04-01", months: 1 },
      { due: "2027-06-01", months: 3 },
      { due: "2027-09-01", months: 6 },
      { due: "2028-03-01", months: 12 },
    ]);
    expect(s.reviewDate).toBeUndefined();
    expect(
      stabilisationReviewDue({ liveFrom: LIVE_FROM, today: "2027-03-15", sites: SITES, stabilisation: s }),
    ).toBe(undefined);
  });

  it("keeps an extension's review date and its decision", () => {
    const project = record(liveProject(), olu, at(21 * DAY), [
      {
        kind: "slt.decided",
        choice: "extend",
        rationale: "Riverside audits below threshold",
        reviewDate: "2027-02-15",
        followUps: [],
        exitCriteria: [],
      },
    ]);
    expect(project.state.stabilisation).toMatchObject({
      reviewDate: "2027-02-15",
      followUps: [],
      decisions: [{ choice: "extend", reviewDate: "2027-02-15", by: "Olu Adeyemi", at: at(21 * DAY) }],
    });
  });

  it("links each follow-up audit to the first follow-up not yet done; a stabilisation audit links to none", () => {
    let project = closedProject();
    project = recordAudit(project, 80 * DAY, "A5", "Oak House", AT_THRESHOLD, "follow-up");
    expect(project.state.stabilisation.followUps.map((f) => f.auditId)).toEqual([
      "A5",
      undefined,
      undefined,
      undefined,
    ]);
    project = recordAudit(project, 90 * DAY, "A6", "Riverside");
    expect(project.state.stabilisation.followUps.map((f) => f.auditId)).toEqual([
      "A5",
      undefined,
      undefined,
      undefined,
    ]);
    project = recordAudit(project, 140 * DAY, "A7", "Riverside", AT_THRESHOLD, "follow-up");
    expect(project.state.stabilisation.followUps).toEqual([
      { due: "2027-04-01", months: 1, auditId: "A5" },
      { due: "2027-06-01", months: 3, auditId: "A7" },
      { due: "2027-09-01", months: 6 },
      { due: "2028-03-01", months: 12 },
    ]);
    expect(project.state.stabilisation.audits.at(-1)).toMatchObject({
      id: "A7",
      kind: "follow-up",
      embedded: true,
    });
  });

  it("reads back the same from its stored documents", () => {
    let project = closedProject();
    project = recordAudit(project, 80 * DAY, "A5", "Oak House", AT_THRESHOLD, "follow-up");
    project = addRisk(project, 81 * DAY, "R2", priya, 2, 3);
    const read = stateFromDocuments(documentsOf(project.state));
    expect(read.stabilisation).toEqual(project.state.stabilisation);
    expect(read.stabilisation.thresholds.followUpMonths).toEqual([1, 3, 6, 12]);

    const extended = record(liveProject(), olu, at(21 * DAY), [
      {
        kind: "slt.decided",
        choice: "extend",
        rationale: "Not yet",
        reviewDate: "2027-02-15",
        followUps: [],
        exitCriteria: [],
      },
    ]);
    expect(stateFromDocuments(documentsOf(extended.state)).stabilisation).toEqual(
      extended.state.stabilisation,
    );
    // A project that never used stabilisation keeps no rows for it.
    const fresh = liveProject().state;
    expect(stateFromDocuments(documentsOf(fresh)).stabilisation).toEqual(fresh.stabilisation);
  });

  it("replays from the log's entries to the state built step by step", () => {
    let project = closedProject();
    project = recordAudit(project, 80 * DAY, "A5", "Oak House", AT_THRESHOLD, "follow-up");
    const replayed = replayProject(project.entries);
    expect(replayed.state).toEqual(project.state);
    expect(replayed.state?.stabilisation.audits.map((a) => a.id)).toEqual(["A1", "A2", "A3", "A4", "A5"]);
  });

  it("says which stored documents every stabilisation event changes", () => {
    let project = closedProject();
    project = recordAudit(project, 80 * DAY, "A5", "Oak House", AT_THRESHOLD, "follow-up");
    for (let n = 1; n < project.entries.length; n++) {
      const before = replayProject(project.entries.slice(0, n)).state;
      const after = replayProject(project.entries.slice(0, n + 1)).state;
      if (!before || !after) throw new Error("no state");
      const entry = project.entries[n];
      const touched = new Set(
        entry?.events.flatMap((e) => documentsTouchedBy(e).map((d) => `${d.collection}/${d.id}`)),
      );
      const docs = (s: ProjectState) =>
        new Map(documentsOf(s).map((d) => [`${d.collection}/${d.id}`, JSON.stringify(d.data)]));
      const was = docs(before);
      const is = docs(after);
      for (const key of new Set([...was.keys(), ...is.keys()])) {
        if (was.get(key) !== is.get(key))
          expect(touched, `${entry?.events[0]?.kind} changed ${key}`).toContain(key);
      }
    }
  });

  // BUG: the state keeps only the newest 20 pulses (and 120 audits), but the event that drops the oldest does not
  // say its document changes: documentsTouchedBy("pulse.opened" P21) is only pulse/P21. The store writes only the
  // touched rows, so pulse/P1's row is never deleted and the stored state holds 21 pulses while the log replays
  // to 20 (log verification would then report a mismatch). The same holds for the 121st audit and audit/A1.
  it("keeps every pulse, so no stored document is left behind by a newer one", () => {
    let project = liveProject();
    for (let n = 1; n <= 20; n++) project = openPulse(project, 14 * DAY + n, `P${n}`, true);
    const before = new Set(documentsOf(project.state).map((d) => `${d.collection}/${d.id}`));
    const event: GovernanceEvent = {
      kind: "pulse.opened",
      pulseId: "P21",
      anonymous: true,
      question: "Can you complete your core workflows without additional support?",
    };
    project = record(project, priya, at(30 * DAY), [event]);
    const after = new Set(documentsOf(project.state).map((d) => `${d.collection}/${d.id}`));
    // Every pulse stays on the state (and its stored row), so stored state and a replay agree.
    const dropped = [...before].filter((key) => !after.has(key));
    expect(dropped).toEqual([]);
    expect(after.has("pulse/P21")).toBe(true);
    expect(documentsTouchedBy(event).map((d) => `${d.collection}/${d.id}`)).toEqual(["pulse/P21"]);
  });
});

describe("the stabilisation report", () => {
  const TODAY = "2027-02-22";
  const NOW = new Date("2027-02-22T10:00:00.000Z");

  /**
   * Go-live fortnight: two care-impacting issues controlled in 30 and 90 minutes and resolved in 3 and 5 hours,
   * a request resolved in an hour. Between: a workflow concern still open. Last fortnight: a care-impacting issue
   * controlled in 45 minutes and still open, a request resolved in 2 hours. Audits, a pulse and four risks.
   */
  function reportedProject(): Project {
    let p = liveProject();
    p = raise(p, lucy, 0, {
      type: "system",
      careImpacting: true,
      site: "Oak House",
      description: "eMAR not loading on the tablets",
    });
    p = raise(p, lucy, 60, {
      type: "workflow",
      careImpacting: true,
      site: "Riverside",
      description: "Handover notes missing at shift change",
    });
    p = raise(p, lucy, 120, { description: "Printer not set up" });
    p = change(p, tom, 30, "GL-1", control());
    p = change(p, ama, 150, "GL-2", control());
    p = change(p, priya, 180, "GL-1", resolve());
    p = change(p, priya, 180, "GL-3", resolve());
    p = change(p, priya, 360, "GL-2", resolve());
    p = raise(p, lucy, 20 * DAY, {
      type: "workflow",
      description: "Care plan review reminders arrive twice",
    });
    p = raise(p, lucy, 35 * DAY, {
      type: "system",
      careImpacting: true,
      site: "Oak House",
      description: "Sensor mat alerts not reaching the handsets",
    });
    p = change(p, tom, 35 * DAY + 45, "GL-5", control());
    p = raise(p, lucy, 36 * DAY, { description: "Body map template missing" });
    p = change(p, priya, 36 * DAY + 120, "GL-6", resolve());

    p = recordAudit(p, 7 * DAY, "A1", "Oak House");
    p = recordAudit(p, 7 * DAY + HOUR, "A2", "Riverside", oneLess("alerts-actioned"));
    p = recordAudit(p, 14 * DAY, "A3", "Oak House");
    p = recordAudit(p, 14 * DAY + HOUR, "A4", "Riverside");
    p = openPulse(p, 14 * DAY, "P1", true);
    [5, 4, 4, 4, 3].forEach((score, n) => {
      p = answer(p, 14 * DAY + n + 1, "P1", `h-${n}`, score);
    });
    p = addRisk(p, 8 * DAY, "R1", dev, 3, 4);
    p = addRisk(p, 8 * DAY, "R2", tom, 5, 4);
    p = addRisk(p, 8 * DAY, "R3", ama, 5, 5);
    p = addRisk(p, 8 * DAY, "R4", ama, 4, 3);
    p = record(p, ama, at(10 * DAY), [
      { kind: "risk.closed", riskId: "R3", evidence: "Agency logins issued" },
    ]);
    return p;
  }

  const report = (p: Project, issues = [...p.issues.values()].map(summaryOf)) =>
    buildStabilisationReport({
      projectId: p.state.project.id,
      state: p.state,
      issues,
      now: NOW,
      today: TODAY,
    });

  it("compares the go-live fortnight with the last fortnight", () => {
    const r = report(reportedProject());
    expect(r.atGoLive).toEqual({
      label: "First fortnight live (from 2027-01-11)",
      raised: 3,
      careImpacting: 2,
      medianMinutesToControl: 60,
      medianMinutesToClosure: 180,
      repeatedThemes: [],
    });
    expect(r.recently).toEqual({
      label: "Last 14 days (from 2027-02-09)",
      raised: 2,
      careImpacting: 1,
      medianMinutesToControl: 45,
      medianMinutesToClosure: 120,
      repeatedThemes: [],
    });
    expect(r.openIssues).toBe(2);
    expect(r).toMatchObject({
      projectName: "Oak House and Riverside go-live",
      generatedAt: NOW.toISOString(),
      timeZone: "Europe/London",
    });
  });

  it("leaves the medians out when nothing was care-impacting or resolved", () => {
    let p = liveProject();
    p = raise(p, lucy, 35 * DAY, { description: "Rota not showing the night shifts" });
    const r = report(p);
    expect(r.recently).toEqual({
      label: "Last 14 days (from 2027-02-09)",
      raised: 1,
      careImpacting: 0,
      repeatedThemes: [],
    });
    expect(r.atGoLive).toMatchObject({ raised: 0, careImpacting: 0 });
  });

  it("lists the audits oldest first with each measure's percentage and whether it met its threshold", () => {
    const r = report(reportedProject());
    expect(r.audits.map((a) => [a.id, a.site, a.kind, a.at])).toEqual([
      ["A1", "Oak House", "stabilisation", at(7 * DAY)],
      ["A2", "Riverside", "stabilisation", at(7 * DAY + HOUR)],
      ["A3", "Oak House", "stabilisation", at(14 * DAY)],
      ["A4", "Riverside", "stabilisation", at(14 * DAY + HOUR)],
    ]);
    expect(r.audits[0]?.measures).toEqual([
      { measure: "record-quality", percent: 95, threshold: 95, met: true },
      { measure: "task-completion", percent: 95, threshold: 95, met: true },
      { measure: "alerts-actioned", percent: 95, threshold: 95, met: true },
      { measure: "care-plan-access", percent: 98, threshold: 98, met: true },
      { measure: "incident-recording", percent: 95, threshold: 95, met: true },
    ]);
    expect(r.audits[1]?.measures.filter((m) => !m.met)).toEqual([
      { measure: "alerts-actioned", percent: 94, threshold: 95, met: false },
    ]);
  });

  it("gives staff confidence from the latest pulse", () => {
    expect(report(reportedProject()).confidence).toEqual({
      pulseId: "P1",
      percent: 80,
      answers: 5,
      threshold: 80,
      anonymous: true,
    });
    expect(report(liveProject()).confidence).toBeUndefined();
  });

  it("lists open risks by likelihood × impact, then the open care-impacting issues", () => {
    expect(report(reportedProject()).risks).toEqual([
      { id: "R2", text: "Risk R2", score: 20, owner: "Tom Okafor", reviewDate: "2027-02-01" },
      { id: "R1", text: "Risk R1", score: 12, owner: "Dev Patel", reviewDate: "2027-02-01" },
      { id: "R4", text: "Risk R4", score: 12, owner: "Ama Boateng", reviewDate: "2027-02-01" },
      {
        id: "GL-5",
        text: "Care-impacting issue: Sensor mat alerts not reaching the handsets",
        score: 0,
        owner: "nobody yet",
      },
    ]);
  });

  it("gives the exit criteria as the SLT's decision reads them", () => {
    const p = reportedProject();
    const r = report(p);
    expect(r.criteria).toEqual(
      exitCriteria({
        sites: SITES,
        stabilisation: p.state.stabilisation,
        highRiskIssues: p.state.commandLog.highRisk,
      }),
    );
    expect(failing(r.criteria)).toEqual([
      "Riverside: below threshold in the last two audits — Alerts actioned 94% (audit A2, threshold 95%).",
      "Open care-impacting, P1 or P2 issues: GL-5.",
    ]);
    expect(r).toMatchObject({ decisions: [], followUps: [], thresholds: DEFAULT_STABILISATION_THRESHOLDS });
  });

  it("finds a theme repeated in the go-live fortnight", () => {
    let p = liveProject();
    p = raise(p, lucy, 0, { type: "system", description: "eMAR not loading" });
    p = raise(p, lucy, 3 * DAY, { type: "system", description: "eMAR slow to save" });
    p = raise(p, lucy, 6 * DAY, { type: "system", description: "eMAR crashed on the tablet" });
    expect(report(p).atGoLive.repeatedThemes).toHaveLength(1);
  });

  // BUG: the theme window of each figure starts at issues[0].raisedAt, so it depends on the order the issues are
  // passed in ("every issue of the command log", no order stated): newest first, the window starts at the newest
  // issue and the fortnight's repeated eMAR theme disappears.
  it("reads the same whatever order the issues come in", () => {
    let p = liveProject();
    p = raise(p, lucy, 0, { type: "system", description: "eMAR not loading" });
    p = raise(p, lucy, 3 * DAY, { type: "system", description: "eMAR slow to save" });
    p = raise(p, lucy, 6 * DAY, { type: "system", description: "eMAR crashed on the tablet" });
    const newestFirst = [...p.issues.values()].map(summaryOf).reverse();
    expect(report(p, newestFirst).atGoLive).toEqual(report(p).atGoLive);
  });

  // BUG: the morning digest ignores the project's site names as themes (repeatedThemes(..., { ignore: sites }),
  // "a site's name is not a theme"), but the report calls repeatedThemes without `ignore`: three unrelated issues
  // that each name Riverside make a repeated theme "riverside" in the go-live figures.
  it("never makes a site's name a repeated theme", () => {
    let p = liveProject();
    p = raise(p, lucy, 0, { description: "Riverside rota gaps" });
    p = raise(p, lucy, DAY, { description: "Riverside printer jammed" });
    p = raise(p, lucy, 2 * DAY, { description: "Riverside handover notes missing" });
    expect(report(p).atGoLive.repeatedThemes).toEqual([]);
  });

  // BUG: "Last 14 days" runs from today − 14 to today inclusive, which is 15 days: the interface's own example
  // is "Last 14 days (14–27 Nov)" for a report on 27 Nov, but on 22 Feb an issue raised on 8 Feb is counted.
  it("counts the last 14 days, today included, as recent", () => {
    let p = liveProject();
    p = raise(p, lucy, 28 * DAY, { description: "Rota not showing the night shifts" });
    expect(at(28 * DAY).slice(0, 10)).toBe("2027-02-08");
    const r = report(p);
    expect(r.recently.raised).toBe(0);
    expect(r.recently.label).toBe("Last 14 days (from 2027-02-09)");
  });
});
