import { describe, expect, it } from "vitest";
import {
  applyEvents,
  type Decision,
  decideRoleAdd,
  decideSettings,
  decideSetup,
} from "../../governance/decisions.js";
import type { Actor } from "../../governance/events.js";
import type { ProjectState } from "../../governance/project.js";
import {
  type AssuranceRecord,
  AssuranceRecordSchema,
  areaStatus,
  type Blocker,
  EMPTY_READINESS,
  HIGH_RISK_RECORD_TYPES,
  type HighRiskRecordType,
  type LeadItemArea,
  type Rag,
  type ReadinessItem,
  readinessBlockers,
  type SupportPlan,
  type TrainingRecord,
  TrainingRecordSchema,
} from "../../governance/readiness.js";
import {
  decideAssuranceRecord,
  decideReadinessItem,
  decideReadinessThresholds,
  decideSupportPlan,
  decideTrainingRecord,
  readinessFormsFor,
} from "../../governance/readinessDecisions.js";
import type { Role } from "../../governance/roles.js";
import { actor, newChannel, PEOPLE, TENANT_ID } from "../support/fixtures.js";

const at = "2026-11-27T09:00:00.000Z";

/** Priya sets the project up (project lead); the others are given their roles by her. */
const priya = actor(PEOPLE.priya);
/** Registered manager for Oak House. */
const tom = actor(PEOPLE.tom);
/** Quality lead. */
const grace = actor(PEOPLE.grace);
/** Operations lead. */
const dev = actor(PEOPLE.dev);
/** Registered manager for Riverside. */
const ama: Actor = {
  objectId: "aa000000-0000-4000-8000-000000000005",
  name: "Ama Boateng",
  tenantId: TENANT_ID,
};
/** Team leader at Oak House. */
const lucy: Actor = {
  objectId: "aa000000-0000-4000-8000-000000000006",
  name: "Lucy Evans",
  tenantId: TENANT_ID,
};

const SITES = ["Oak House", "Riverside"];

/** Applies a decision the rules said to record, stamped as done by `by`. */
function record(state: ProjectState, decision: Decision, by: Actor = priya): ProjectState {
  expect(decision.outcome, decision.outcome === "record" ? "" : decision.message).toBe("record");
  if (decision.outcome !== "record") throw new Error("expected the decision to record");
  const next = applyEvents(state, decision.events, { at, actor: by });
  if (!next) throw new Error("no state after applying the events");
  return next;
}

function give(state: ProjectState, who: Actor, role: Role, site?: string): ProjectState {
  return record(
    state,
    decideRoleAdd(state, priya, {
      role,
      person: { objectId: who.objectId, name: who.name },
      ...(site ? { site } : {}),
    }),
  );
}

/** A two-site project with its people, and nothing on the readiness checklist yet. */
function twoSiteProject(): ProjectState {
  const setup = decideSetup(undefined, {
    name: "Oak House and Riverside go-live",
    binding: newChannel(),
    actor: priya,
  });
  if (setup.outcome !== "record") throw new Error("setup should record");
  let state = applyEvents(undefined, setup.events, { at, actor: priya });
  if (!state) throw new Error("no state");
  state = record(
    state,
    decideSettings(state, priya, { settings: { ...state.project.settings, sites: SITES }, assignments: [] }),
  );
  state = give(state, tom, "registered-manager", "Oak House");
  state = give(state, ama, "registered-manager", "Riverside");
  state = give(state, grace, "quality-lead");
  state = give(state, dev, "operations-lead");
  state = give(state, lucy, "team-leader");
  return state;
}

const trained = (site: string, staffRole: string, completed: number, staff: number): TrainingRecord => ({
  site,
  staffRole,
  staff,
  completed,
  confident: completed,
  gaps: "",
});

const validated = (
  recordType: HighRiskRecordType,
  changes: Partial<AssuranceRecord> = {},
): AssuranceRecord => ({
  recordType,
  sampleSize: 20,
  checked: 20,
  discrepancies: 1,
  critical: 0,
  signedOff: true,
  note: "",
  ...changes,
});

const item = (area: LeadItemArea, rag: Rag, changes: Partial<ReadinessItem> = {}): ReadinessItem => ({
  area,
  rag,
  owner: "Priya Shah",
  evidence: `${area} confirmed`,
  note: "",
  ...changes,
});

const PLAN: SupportPlan = {
  escalationRoutes: "Floor to team leader, then registered manager, then the CareSys service desk for P1/P2",
  supplierContact: "CareSys service desk 0800 000 000",
  onSiteCover: "Two CareSys trainers on site for the first three days",
  responsibleLeads: [
    { site: "Oak House", lead: "Tom Okafor" },
    { site: "Riverside", lead: "Ama Boateng" },
  ],
};

/** Every rule of the gate met: each site's roles at or above 95%, all four types validated, access green, a plan. */
function readyProject(): ProjectState {
  let state = twoSiteProject();
  state = record(state, decideTrainingRecord(state, tom, trained("Oak House", "Carers", 48, 50)), tom);
  state = record(state, decideTrainingRecord(state, tom, trained("Oak House", "Nurses", 19, 20)), tom);
  state = record(state, decideTrainingRecord(state, ama, trained("Riverside", "Carers", 40, 40)), ama);
  for (const type of HIGH_RISK_RECORD_TYPES) {
    state = record(state, decideAssuranceRecord(state, grace, validated(type)), grace);
  }
  state = record(state, decideReadinessItem(state, priya, item("access", "green")));
  state = record(state, decideSupportPlan(state, dev, PLAN), dev);
  return state;
}

const ids = (blockers: readonly Blocker[]) => blockers.map((b) => b.id);
const gate = (state: ProjectState, issues: ReadonlyArray<{ id: string; summary: string }> = []) =>
  readinessBlockers(state.project, state.readiness, issues);

describe("the gate: any of these is a blocker (domain page §1)", () => {
  it("blocks a two-site project with nothing recorded on training at each site, all four high-risk record types, access and the support plan", () => {
    const blockers = gate(twoSiteProject());
    expect(ids(blockers)).toEqual([
      "training-missing:oak house",
      "training-missing:riverside",
      "validation-missing:medication",
      "validation-missing:safeguarding",
      "validation-missing:care-plans",
      "validation-missing:risk-assessments",
      "access-unconfirmed",
      "plan-missing",
    ]);
    for (const b of blockers) {
      expect(b.reason.trim(), b.id).not.toBe("");
      expect(b.evidence.trim(), b.id).not.toBe("");
    }
    const reasons = blockers.map((b) => b.reason).join("\n");
    for (const words of [
      "Oak House",
      "Riverside",
      "Medication",
      "Safeguarding",
      "Care plans",
      "Risk assessments",
    ]) {
      expect(reasons).toContain(words);
    }
    expect(new Set(blockers.map((b) => b.area))).toEqual(
      new Set(["training", "high-risk-validation", "access", "live-support-plan"]),
    );
  });

  it("has no blockers for a fully ready project", () => {
    expect(gate(readyProject())).toEqual([]);
  });

  describe("training below threshold (default 95% per role, per site)", () => {
    it("blocks when 47 of 50 carers are trained (94%), naming the role, the site and the 95% threshold", () => {
      let state = readyProject();
      state = record(state, decideTrainingRecord(state, tom, trained("Oak House", "Carers", 47, 50)), tom);
      const blockers = gate(state);
      expect(blockers).toHaveLength(1);
      expect(blockers[0]).toMatchObject({ area: "training", id: "training-below:oak house:carers" });
      expect(blockers[0]?.reason).toContain("Carers");
      expect(blockers[0]?.reason).toContain("Oak House");
      expect(blockers[0]?.reason).toContain("94%");
      expect(blockers[0]?.reason).toContain("95%");
      expect(blockers[0]?.evidence).toContain("47 of 50");
      expect(blockers[0]?.evidence).toContain("Tom Okafor");
    });

    it("does not block at exactly 95%", () => {
      let state = readyProject();
      state = record(state, decideTrainingRecord(state, ama, trained("Riverside", "Carers", 95, 100)), ama);
      state = record(state, decideTrainingRecord(state, ama, trained("Riverside", "Nurses", 19, 20)), ama);
      expect(gate(state)).toEqual([]);
    });

    it("blocks a site with no training figures even when the other site is fully trained", () => {
      let state = twoSiteProject();
      state = record(state, decideTrainingRecord(state, tom, trained("Oak House", "Carers", 50, 50)), tom);
      expect(ids(gate(state).filter((b) => b.area === "training"))).toEqual(["training-missing:riverside"]);
    });

    it("lets the project lead lower the threshold to 90%, recorded with before and after, so 47 of 50 no longer blocks", () => {
      let state = readyProject();
      state = record(state, decideTrainingRecord(state, tom, trained("Oak House", "Carers", 47, 50)), tom);
      const change = decideReadinessThresholds(state, priya, { trainingCompletionPercent: 90 });
      expect(change).toEqual({
        outcome: "record",
        events: [
          {
            kind: "readiness.thresholds-changed",
            before: { trainingCompletionPercent: 95 },
            after: { trainingCompletionPercent: 90 },
          },
        ],
      });
      state = record(state, change);
      expect(state.readiness.thresholds).toEqual({ trainingCompletionPercent: 90 });
      expect(gate(state)).toEqual([]);
    });
  });

  describe("a critical discrepancy or missing high-risk validation", () => {
    it("blocks on one critical discrepancy in medication records, with the figures as evidence", () => {
      let state = readyProject();
      state = record(
        state,
        decideAssuranceRecord(state, grace, validated("medication", { discrepancies: 2, critical: 1 })),
        grace,
      );
      const blockers = gate(state);
      expect(ids(blockers)).toEqual(["validation-critical:medication"]);
      expect(blockers[0]?.reason).toBe("1 critical discrepancy in medication records.");
      expect(blockers[0]?.evidence).toContain("20 of 20 sampled records checked, 2 discrepancies");
      expect(blockers[0]?.evidence).toContain("Grace Mensah");
    });

    it("blocks while fewer records are checked than were sampled", () => {
      let state = readyProject();
      state = record(
        state,
        decideAssuranceRecord(state, grace, validated("safeguarding", { checked: 18 })),
        grace,
      );
      const blockers = gate(state);
      expect(ids(blockers)).toEqual(["validation-incomplete:safeguarding"]);
      expect(blockers[0]?.reason).toContain("18 of 20");
    });

    it("blocks a validation that is not signed off", () => {
      let state = readyProject();
      state = record(
        state,
        decideAssuranceRecord(state, grace, validated("care-plans", { signedOff: false })),
        grace,
      );
      const blockers = gate(state);
      expect(ids(blockers)).toEqual(["validation-incomplete:care-plans"]);
      expect(blockers[0]?.reason).toBe("Care plans validation not signed off.");
    });

    it("blocks the one record type the quality lead has not validated", () => {
      let state = twoSiteProject();
      for (const type of ["medication", "safeguarding", "care-plans"] as const) {
        state = record(state, decideAssuranceRecord(state, grace, validated(type)), grace);
      }
      expect(ids(gate(state).filter((b) => b.area === "high-risk-validation"))).toEqual([
        "validation-missing:risk-assessments",
      ]);
    });
  });

  describe("unresolved access problems", () => {
    it("blocks while access is amber, with the project lead's evidence", () => {
      let state = readyProject();
      state = record(
        state,
        decideReadinessItem(
          state,
          priya,
          item("access", "amber", { evidence: "6 night staff still without logins" }),
        ),
      );
      const blockers = gate(state);
      expect(ids(blockers)).toEqual(["access-unresolved"]);
      expect(blockers[0]?.reason).toContain("amber");
      expect(blockers[0]?.evidence).toContain("6 night staff still without logins");
    });
  });

  describe("a support plan without escalation route or responsible lead", () => {
    it("blocks a plan with no escalation route", () => {
      let state = readyProject();
      state = record(state, decideSupportPlan(state, dev, { ...PLAN, escalationRoutes: "" }), dev);
      expect(ids(gate(state))).toEqual(["plan-no-escalation"]);
    });

    it("blocks a plan with no responsible lead for Riverside, naming Riverside only", () => {
      let state = readyProject();
      const withoutRiverside = { ...PLAN, responsibleLeads: [{ site: "Oak House", lead: "Tom Okafor" }] };
      state = record(state, decideSupportPlan(state, dev, withoutRiverside), dev);
      const blockers = gate(state);
      expect(ids(blockers)).toEqual(["plan-no-lead:riverside"]);
      expect(blockers[0]?.reason).toContain("Riverside");
      expect(blockers[0]?.reason).not.toContain("Oak House");
    });

    it("blocks a site whose responsible lead is left blank", () => {
      let state = readyProject();
      const blank = {
        ...PLAN,
        responsibleLeads: [
          { site: "Oak House", lead: "Tom Okafor" },
          { site: "Riverside", lead: "  " },
        ],
      };
      state = record(state, decideSupportPlan(state, dev, blank), dev);
      expect(ids(gate(state))).toEqual(["plan-no-lead:riverside"]);
    });
  });

  describe("an unresolved high-risk issue", () => {
    it("blocks on each open P1/P2 or care-impacting issue passed in, naming it", () => {
      const blockers = gate(readyProject(), [{ id: "GL-12", summary: "MAR chart not showing PRN doses" }]);
      expect(ids(blockers)).toEqual(["issue:GL-12"]);
      expect(blockers[0]?.reason).toContain("GL-12");
      expect(blockers[0]?.reason).toContain("MAR chart not showing PRN doses");
      expect(blockers[0]?.evidence).not.toBe("");
    });
  });
});

describe("who records what on the readiness checklist", () => {
  describe("training and confidence: the registered manager, for their own site", () => {
    it("lets the registered manager for Oak House record Oak House training", () => {
      const state = twoSiteProject();
      const d = decideTrainingRecord(state, tom, trained("Oak House", "Carers", 48, 50));
      expect(d).toEqual({
        outcome: "record",
        events: [{ kind: "readiness.training-recorded", record: trained("Oak House", "Carers", 48, 50) }],
      });
      const next = record(state, d, tom);
      expect(next.readiness.training).toEqual([
        { ...trained("Oak House", "Carers", 48, 50), updated: { by: "Tom Okafor", at } },
      ]);
    });

    it("refuses the registered manager for Oak House at Riverside, naming their own site", () => {
      const d = decideTrainingRecord(twoSiteProject(), tom, trained("Riverside", "Carers", 40, 40));
      expect(d).toMatchObject({ outcome: "refused", neededRole: "registered-manager" });
      expect(d.outcome === "refused" && d.message).toContain("Oak House");
      expect(d.outcome === "refused" && d.message).toContain("Riverside");
    });

    it("lets a registered manager given no site record for every site", () => {
      let state = twoSiteProject();
      state = give(state, grace, "registered-manager");
      expect(decideTrainingRecord(state, grace, trained("Riverside", "Carers", 40, 40)).outcome).toBe(
        "record",
      );
      expect(decideTrainingRecord(state, grace, trained("Oak House", "Carers", 40, 40)).outcome).toBe(
        "record",
      );
    });

    it("recognises the registered manager whatever the case of their Entra object id", () => {
      // Roles are held by Entra object id, compared without regard to case (rolesOf lower-cases the id).
      let state = twoSiteProject();
      state = give(state, grace, "registered-manager");
      const graceUpperCase = { ...grace, objectId: grace.objectId.toUpperCase() };
      expect(
        decideTrainingRecord(state, graceUpperCase, trained("Riverside", "Carers", 40, 40)).outcome,
      ).toBe("record");
    });

    it("refuses a team leader, saying a registered manager is needed and who that is", () => {
      const d = decideTrainingRecord(twoSiteProject(), lucy, trained("Oak House", "Carers", 48, 50));
      expect(d).toMatchObject({ outcome: "refused", neededRole: "registered-manager" });
      expect(d.outcome === "refused" && d.message).toContain("registered manager");
      expect(d.outcome === "refused" && d.message).toContain("Tom Okafor");
    });
  });

  it("lets the quality lead record the assurance log, and refuses anyone else saying a quality lead is needed", () => {
    const state = twoSiteProject();
    expect(decideAssuranceRecord(state, grace, validated("medication"))).toEqual({
      outcome: "record",
      events: [{ kind: "readiness.assurance-recorded", record: validated("medication") }],
    });
    for (const someone of [priya, tom, dev, lucy]) {
      const d = decideAssuranceRecord(state, someone, validated("medication"));
      expect(d, someone.name).toMatchObject({ outcome: "refused", neededRole: "quality-lead" });
      expect(d.outcome === "refused" && d.message).toContain("quality lead");
    }
  });

  it("lets the operations lead record the go-live support plan, and refuses anyone else saying an operations lead is needed", () => {
    const state = twoSiteProject();
    expect(decideSupportPlan(state, dev, PLAN)).toEqual({
      outcome: "record",
      events: [{ kind: "readiness.support-plan-recorded", plan: PLAN }],
    });
    for (const someone of [priya, tom, grace, lucy]) {
      const d = decideSupportPlan(state, someone, PLAN);
      expect(d, someone.name).toMatchObject({ outcome: "refused", neededRole: "operations-lead" });
      expect(d.outcome === "refused" && d.message).toContain("operations lead");
    }
  });

  it("lets the project lead record migration, equipment, access and supplier support, and the thresholds; refuses anyone else", () => {
    const state = twoSiteProject();
    for (const area of ["data-migration", "equipment", "access", "supplier-support"] as const) {
      expect(decideReadinessItem(state, priya, item(area, "green")).outcome, area).toBe("record");
    }
    expect(decideReadinessThresholds(state, priya, { trainingCompletionPercent: 90 }).outcome).toBe("record");
    for (const someone of [tom, grace, dev, lucy]) {
      const items = decideReadinessItem(state, someone, item("access", "green"));
      expect(items, someone.name).toMatchObject({ outcome: "refused", neededRole: "project-lead" });
      expect(items.outcome === "refused" && items.message).toContain("project lead");
      const thresholds = decideReadinessThresholds(state, someone, { trainingCompletionPercent: 90 });
      expect(thresholds, someone.name).toMatchObject({ outcome: "refused", neededRole: "project-lead" });
    }
  });

  it("refuses a site that is not one of the project's, naming the project's sites", () => {
    let state = twoSiteProject();
    state = give(state, grace, "registered-manager");
    const training = decideTrainingRecord(state, grace, trained("Elm Court", "Carers", 10, 10));
    expect(training.outcome).toBe("refused");
    expect(training.outcome === "refused" && training.message).toContain("Elm Court");
    expect(training.outcome === "refused" && training.message).toContain("Oak House, Riverside");
    const plan = decideSupportPlan(state, dev, {
      ...PLAN,
      responsibleLeads: [...PLAN.responsibleLeads, { site: "Elm Court", lead: "Sam" }],
    });
    expect(plan.outcome).toBe("refused");
    expect(plan.outcome === "refused" && plan.message).toContain("Oak House, Riverside");
  });

  it("spells a site as the project does ('oak house' is recorded as Oak House)", () => {
    const state = twoSiteProject();
    const d = decideTrainingRecord(state, tom, trained("oak house", "Carers", 48, 50));
    expect(d.outcome === "record" && d.events).toEqual([
      { kind: "readiness.training-recorded", record: trained("Oak House", "Carers", 48, 50) },
    ]);
    const plan = decideSupportPlan(state, dev, {
      ...PLAN,
      responsibleLeads: [
        { site: "OAK HOUSE", lead: "Tom Okafor" },
        { site: "riverside", lead: "Ama Boateng" },
      ],
    });
    expect(plan.outcome === "record" && plan.events).toEqual([
      { kind: "readiness.support-plan-recorded", plan: PLAN },
    ]);
  });

  it("says 'unchanged' when the same figures are recorded again", () => {
    const state = readyProject();
    expect(decideTrainingRecord(state, tom, trained("Oak House", "Carers", 48, 50)).outcome).toBe(
      "unchanged",
    );
    expect(decideTrainingRecord(state, tom, trained("oak house", "Carers", 48, 50)).outcome).toBe(
      "unchanged",
    );
    expect(decideAssuranceRecord(state, grace, validated("medication")).outcome).toBe("unchanged");
    expect(decideSupportPlan(state, dev, PLAN).outcome).toBe("unchanged");
    expect(decideReadinessItem(state, priya, item("access", "green")).outcome).toBe("unchanged");
    expect(decideReadinessThresholds(state, priya, { trainingCompletionPercent: 95 }).outcome).toBe(
      "unchanged",
    );
  });

  it("records a change with the figures as they were before, and keeps one record per role and site", () => {
    let state = readyProject();
    const training = decideTrainingRecord(state, tom, trained("Oak House", "Carers", 50, 50));
    expect(training).toEqual({
      outcome: "record",
      events: [
        {
          kind: "readiness.training-recorded",
          record: trained("Oak House", "Carers", 50, 50),
          before: trained("Oak House", "Carers", 48, 50),
        },
      ],
    });
    state = record(state, training, tom);
    expect(
      state.readiness.training.filter((t) => t.site === "Oak House" && t.staffRole === "Carers"),
    ).toEqual([{ ...trained("Oak House", "Carers", 50, 50), updated: { by: "Tom Okafor", at } }]);

    const assurance = decideAssuranceRecord(state, grace, validated("medication", { discrepancies: 0 }));
    expect(assurance.outcome === "record" && assurance.events).toEqual([
      {
        kind: "readiness.assurance-recorded",
        record: validated("medication", { discrepancies: 0 }),
        before: validated("medication"),
      },
    ]);
    const access = decideReadinessItem(state, priya, item("access", "amber"));
    expect(access.outcome === "record" && access.events).toEqual([
      { kind: "readiness.item-recorded", item: item("access", "amber"), before: item("access", "green") },
    ]);
    const plan = decideSupportPlan(state, dev, { ...PLAN, onSiteCover: "One trainer for a week" });
    expect(plan.outcome === "record" && plan.events).toEqual([
      {
        kind: "readiness.support-plan-recorded",
        plan: { ...PLAN, onSiteCover: "One trainer for a week" },
        before: PLAN,
      },
    ]);
  });

  it("leaves the empty checklist every new project starts from untouched", () => {
    readyProject();
    expect(EMPTY_READINESS).toEqual({
      training: [],
      assurance: [],
      items: [],
      thresholds: { trainingCompletionPercent: 95 },
    });
  });
});

describe("figures that cannot be true are refused", () => {
  const problems = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
    result.success ? [] : (result.error?.issues.map((i) => i.message) ?? []);

  it("refuses more staff trained, or confident, than there are in the role", () => {
    expect(TrainingRecordSchema.safeParse(trained("Oak House", "Carers", 48, 50)).success).toBe(true);
    expect(problems(TrainingRecordSchema.safeParse(trained("Oak House", "Carers", 51, 50)))).toContain(
      "more staff trained than there are",
    );
    expect(
      problems(TrainingRecordSchema.safeParse({ ...trained("Oak House", "Carers", 48, 50), confident: 60 })),
    ).toContain("more staff confident than there are");
  });

  it("refuses more records checked than sampled, and more critical discrepancies than discrepancies", () => {
    expect(AssuranceRecordSchema.safeParse(validated("medication")).success).toBe(true);
    expect(problems(AssuranceRecordSchema.safeParse(validated("medication", { checked: 21 })))).toContain(
      "more records checked than sampled",
    );
    expect(
      problems(AssuranceRecordSchema.safeParse(validated("medication", { discrepancies: 1, critical: 2 }))),
    ).toContain("more critical discrepancies than discrepancies");
  });
});

describe("each area's RAG on the checklist", () => {
  it("is red where a blocker stands, with the recorded figures as evidence", () => {
    let state = readyProject();
    state = record(
      state,
      decideTrainingRecord(state, tom, {
        ...trained("Oak House", "Carers", 47, 50),
        confident: 45,
        gaps: "MAR",
      }),
      tom,
    );
    const status = areaStatus("training", state.readiness, gate(state));
    expect(status.rag).toBe("red");
    expect(status.owner).toBe("Registered managers");
    expect(status.evidence).toContain("Carers at Oak House: 47/50 trained, 45 confident — gaps: MAR");
    expect(status.evidence).toContain("Carers at Riverside: 40/40 trained");
  });

  it("is amber where nothing is recorded", () => {
    const state = twoSiteProject();
    for (const area of ["data-migration", "equipment", "supplier-support"] as const) {
      expect(areaStatus(area, state.readiness, gate(state)), area).toEqual({
        rag: "amber",
        owner: "Project lead",
        evidence: "Nothing recorded yet.",
      });
    }
    expect(areaStatus("training", state.readiness, []).rag).toBe("amber");
    expect(areaStatus("training", state.readiness, []).evidence).toBe("Nothing recorded yet.");
  });

  it("is green where recorded with no blocker, the assurance figures and support plan spelled out", () => {
    const state = readyProject();
    const blockers = gate(state);
    const validation = areaStatus("high-risk-validation", state.readiness, blockers);
    expect(validation.rag).toBe("green");
    expect(validation.evidence).toContain(
      "Medication: 20/20 checked, 1 discrepancies (0 critical), signed off",
    );
    const plan = areaStatus("live-support-plan", state.readiness, blockers);
    expect(plan.rag).toBe("green");
    expect(plan.evidence).toContain("Oak House: Tom Okafor");
    expect(plan.evidence).toContain("Riverside: Ama Boateng");
    expect(plan.evidence).toContain("CareSys service desk 0800 000 000");
  });

  it("shows a project lead's item as recorded, with its owner, evidence and note", () => {
    let state = readyProject();
    state = record(
      state,
      decideReadinessItem(
        state,
        priya,
        item("equipment", "amber", {
          owner: "Estates",
          evidence: "Sensor mats linked in 18 of 20 rooms",
          note: "Rooms 4 and 9 next week",
        }),
      ),
    );
    expect(areaStatus("equipment", state.readiness, gate(state))).toEqual({
      rag: "amber",
      owner: "Estates",
      evidence: "Sensor mats linked in 18 of 20 rooms — Rooms 4 and 9 next week",
    });
  });
});

describe("the readiness forms a person may fill in follow their roles", () => {
  it("offers each lead their own form, and a team leader none", () => {
    let state = twoSiteProject();
    expect(readinessFormsFor(state, tom)).toEqual(["training"]);
    expect(readinessFormsFor(state, grace)).toEqual(["assurance"]);
    expect(readinessFormsFor(state, dev)).toEqual(["plan"]);
    expect(readinessFormsFor(state, priya)).toEqual(["item", "thresholds"]);
    expect(readinessFormsFor(state, lucy)).toEqual([]);
    state = give(state, grace, "registered-manager");
    expect(readinessFormsFor(state, grace)).toEqual(["training", "assurance"]);
  });
});
