import { describe, expect, it } from "vitest";
import {
  auditFormCard,
  auditResultCard,
  type OwnerChoice,
  pulseCard,
  pulseResultsCard,
  riskCard,
  risksCard,
  STABILISATION_VERBS,
  stabilisationReportCard,
} from "../../adaptive-cards/stabilisationCards.js";
import {
  AUDIT_MEASURES,
  type Audit,
  DEFAULT_STABILISATION_THRESHOLDS,
  MEASURE_TITLES,
  type Pulse,
  type Risk,
  SLT_CHOICES,
  SLT_TITLES,
  type SltDecision,
} from "../../governance/stabilisation.js";
import type { StabilisationReport } from "../../governance/stabilisationReport.js";
import { TEAMS_MAX_CARD_BYTES, validateCard } from "../support/cardValidation.js";

// ---------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------

const PROJECT_ID = "p-123";
const PROJECT_NAME = "Oak House and Riverside Home Care — ECM go-live";
const TIME_ZONE = "Europe/London";
const THRESHOLDS = DEFAULT_STABILISATION_THRESHOLDS;
const SITES = ["Oak House", "Riverside"];
const JO = { objectId: "11111111-1111-1111-1111-111111111111", name: "Jo Evans" };
const SAM = { objectId: "22222222-2222-2222-2222-222222222222", name: "Sam Patel" };
const OWNERS: OwnerChoice[] = [
  { ...JO, roles: "Registered manager" },
  { ...SAM, roles: "Quality lead, Operations lead" },
];
// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text must survive templating
const TYPED = "Rota ${projectId} {x} ${$root.verb}";

/** Long text as people type it, with multi-byte characters (so bytes outnumber characters). */
function long(n: number, seed = ""): string {
  const words = `${seed} Night staff at Oak House — 12 of 40 — can’t see the eMAR on the tablets; paper MAR in use. `;
  return words.repeat(Math.ceil(n / words.length)).slice(0, n);
}

/** An audit where every measure passes `passed` of 100, except those in `below` (90 of 100). */
function audit(overrides: Partial<Audit> = {}, below: readonly string[] = []): Audit {
  const measures = Object.fromEntries(
    AUDIT_MEASURES.map((m) => [m, { checked: 100, passed: below.includes(m) ? 90 : 99 }]),
  ) as Audit["measures"];
  return {
    id: "A-7",
    site: "Oak House",
    kind: "stabilisation",
    measures,
    notes: "Two care plans were not signed off.",
    by: "Jo Evans",
    at: "2026-11-27T10:15:00.000Z",
    ...overrides,
  };
}

function answer(i: number, extra: Partial<Pulse["answers"][number]> = {}): Pulse["answers"][number] {
  return { slot: `slot-${i}`, role: "team-leader", site: "Oak House", score: 4, ...extra };
}

function pulse(overrides: Partial<Pulse> = {}): Pulse {
  return {
    id: "P-3",
    anonymous: true,
    question: "Can you complete a care record on your own?",
    openedBy: "Jo Evans",
    openedAt: "2026-11-27T09:00:00.000Z",
    answers: [],
    ...overrides,
  };
}

function risk(overrides: Partial<Risk> = {}): Risk {
  return {
    id: "R-3",
    text: "Night staff may not record medication on time while tablets are shared.",
    owner: JO,
    likelihood: 4,
    impact: 5,
    reviewDate: "2026-12-04",
    state: "open",
    raisedBy: "Sam Patel",
    raisedAt: "2026-11-20T14:00:00.000Z",
    ...overrides,
  };
}

function measuresOf(
  percents: Record<string, number> = {},
): StabilisationReport["audits"][number]["measures"] {
  return AUDIT_MEASURES.map((measure) => {
    const threshold = THRESHOLDS.measures[measure];
    const percent = percents[measure] ?? 99;
    return { measure, percent, threshold, met: percent >= threshold };
  });
}

function reportAudit(n: number, site: string, percents: Record<string, number> = {}) {
  return {
    id: `A-${n}`,
    site,
    kind: "stabilisation" as const,
    at: `2026-11-${String(n).padStart(2, "0")}T10:00:00.000Z`,
    measures: measuresOf(percents),
  };
}

function makeReport(overrides: Partial<StabilisationReport> = {}): StabilisationReport {
  return {
    projectId: PROJECT_ID,
    projectName: PROJECT_NAME,
    generatedAt: "2026-11-27T08:00:00.000Z",
    timeZone: TIME_ZONE,
    atGoLive: {
      label: "First fortnight live (from 2026-10-01)",
      raised: 84,
      careImpacting: 9,
      medianMinutesToControl: 45,
      medianMinutesToClosure: 3_120,
      repeatedThemes: ["medication rounds", "rota"],
    },
    recently: {
      label: "Last 14 days (from 2026-11-13)",
      raised: 12,
      careImpacting: 1,
      medianMinutesToControl: 200,
      repeatedThemes: [],
    },
    openIssues: 5,
    audits: [
      reportAudit(1, "Oak House", { "record-quality": 90 }),
      reportAudit(2, "Riverside"),
      reportAudit(8, "Oak House"),
      reportAudit(9, "Riverside", { "care-plan-access": 97 }),
    ],
    confidence: { pulseId: "P-3", percent: 72, answers: 25, threshold: 80, anonymous: true },
    risks: [
      {
        id: "R-3",
        text: "Tablets shared on nights.",
        score: 20,
        owner: "Jo Evans",
        reviewDate: "2026-11-20",
      },
      {
        id: "R-1",
        text: "Agency staff without logins.",
        score: 6,
        owner: "Sam Patel",
        reviewDate: "2026-12-10",
      },
      { id: "GL-12", text: "Care-impacting issue: eMAR down at Oak House", score: 0, owner: "nobody yet" },
    ],
    criteria: [
      { criterion: "Oak House: the last two audits (A-1, A-8) meet every threshold.", met: true },
      {
        criterion:
          "Riverside: below threshold in the last two audits — Care plan access 97% (audit A-9, threshold 98%).",
        met: false,
      },
      { criterion: "No open care-impacting, P1 or P2 issue.", met: true },
      {
        criterion: "Staff confidence 72% (4 or 5 of 5, 25 answers in P-3); the threshold is 80%.",
        met: false,
      },
    ],
    decisions: [],
    followUps: [],
    thresholds: THRESHOLDS,
    ...overrides,
  };
}

const decision = (n: number, extra: Partial<SltDecision> = {}): SltDecision => ({
  choice: "extend",
  rationale: `Rationale ${n}: Riverside's care plan access is still short.`,
  by: `SLT member ${n}`,
  at: "2026-11-20T09:30:00.000Z",
  reviewDate: "2026-12-18",
  ...extra,
});

/** 100 audits over 5 sites, 60 long risks, 20 decisions with 2,000-character rationales, 20 criteria. */
function hugeReport(): StabilisationReport {
  const sites = Array.from({ length: 5 }, (_, i) => long(80, `Site ${i}`));
  return makeReport({
    projectName: long(100, "Project"),
    atGoLive: {
      label: long(100, "Then"),
      raised: 12_345,
      careImpacting: 1_234,
      medianMinutesToControl: 61,
      medianMinutesToClosure: 10_000,
      repeatedThemes: Array.from({ length: 10 }, (_, i) => long(60, `Theme ${i}`)),
    },
    recently: {
      label: long(100, "Now"),
      raised: 2_345,
      careImpacting: 234,
      repeatedThemes: Array.from({ length: 10 }, (_, i) => long(60, `Theme ${i}`)),
    },
    audits: Array.from({ length: 100 }, (_, i) => ({
      ...reportAudit(
        1,
        sites[i % 5] ?? "",
        i % 3 === 0 ? { "record-quality": 80, "alerts-actioned": 90 } : {},
      ),
      id: `A-${i + 1}`,
      at: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
    })),
    risks: Array.from({ length: 60 }, (_, i) => ({
      id: `R-${i + 1}`,
      text: long(1_000, `Risk ${i + 1}.`),
      score: 25 - Math.floor(i / 3),
      owner: long(200, `Owner ${i}`),
      reviewDate: "2026-12-01",
    })),
    criteria: Array.from({ length: 20 }, (_, i) => ({
      criterion: long(300, `Criterion ${i + 1}.`),
      met: i % 4 !== 0,
    })),
    decisions: Array.from({ length: 20 }, (_, i) =>
      decision(i + 1, {
        by: long(200, `Member ${i + 1}`),
        rationale: long(2_000, `Rationale ${i + 1}.`),
        owner: { objectId: JO.objectId, name: long(200, "Owner") },
      }),
    ),
    followUps: [1, 3, 6].map((months) => ({ due: "2027-01-27", months })),
  });
}

// ---------------------------------------------------------------------------------------------------
// Card helpers
// ---------------------------------------------------------------------------------------------------

type Node = Record<string, unknown>;

function nodes(value: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const item of value) nodes(item, found);
  else if (typeof value === "object" && value !== null) {
    found.push(value as Node);
    for (const [key, child] of Object.entries(value)) if (key !== "data") nodes(child, found);
  }
  return found;
}

const texts = (card: unknown) =>
  nodes(card)
    .filter((n) => n.type === "TextBlock")
    .map((n) => String(n.text));
const textBlock = (card: unknown, text: string) =>
  nodes(card).find((n) => n.type === "TextBlock" && n.text === text);
const inputs = (card: unknown) => nodes(card).filter((n) => String(n.type).startsWith("Input."));
const input = (card: unknown, id: string) => {
  const found = inputs(card).filter((n) => n.id === id);
  expect(found).toHaveLength(1);
  return found[0] as Node;
};
const choices = (node: Node) => ((node.choices ?? []) as Node[]).map((c) => [c.title, c.value]);
const executes = (card: unknown) => nodes(card).filter((n) => n.type === "Action.Execute");
const facts = (card: unknown) =>
  nodes(card)
    .filter((n) => n.type === "FactSet")
    .flatMap((n) => (n.facts as Node[]).map((f) => [f.title, f.value]));
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), "utf8");
const showCards = (card: unknown) => ((card as { actions?: Node[] }).actions ?? []).map((a) => a.title);
const showCard = (card: unknown, title: string) => {
  const action = ((card as { actions?: Node[] }).actions ?? []).find((a) => a.title === title);
  expect(action).toMatchObject({ type: "Action.ShowCard" });
  return (action as Node).card as Node;
};

function expectValid(card: unknown) {
  expect(validateCard(card)).toEqual([]);
  expect(bytes(card)).toBeLessThan(TEAMS_MAX_CARD_BYTES);
  const ids = inputs(card).map((i) => String(i.id));
  expect(new Set(ids).size).toBe(ids.length);
  for (const i of inputs(card)) expect(String(i.label ?? "")).not.toBe("");
  // Every template expression was filled.
  expect(JSON.stringify(card).split(TYPED).join("")).not.toContain("${");
}

// ---------------------------------------------------------------------------------------------------
// Audits
// ---------------------------------------------------------------------------------------------------

describe("the audit form", () => {
  const view = { projectId: PROJECT_ID, projectName: PROJECT_NAME, sites: SITES, thresholds: THRESHOLDS };

  it("asks for the site, the kind and each measure's counts, with notes and the follow-up question", () => {
    const card = auditFormCard(view);
    expectValid(card);
    expect(texts(card)).toContain(`Record an audit — ${PROJECT_NAME}`);
    expect(texts(card)).toContain(
      "Count the records you checked and how many passed; the percentage is worked out for you.",
    );
    expect(inputs(card).map((i) => i.id)).toEqual([
      "site",
      "kind",
      ...AUDIT_MEASURES.flatMap((m) => [`${m}:checked`, `${m}:passed`]),
      "notes",
      "embedded",
    ]);
    const site = input(card, "site");
    expect(site).toMatchObject({ type: "Input.ChoiceSet", isRequired: true });
    expect(choices(site)).toEqual(SITES.map((s) => [s, s]));
    const kind = input(card, "kind");
    expect(kind).toMatchObject({ type: "Input.ChoiceSet", value: "stabilisation", isRequired: true });
    expect(choices(kind)).toEqual([
      ["Stabilisation audit (weekly, then monthly)", "stabilisation"],
      ["Follow-up audit after close or transfer", "follow-up"],
    ]);
    for (const m of AUDIT_MEASURES) {
      expect(input(card, `${m}:checked`)).toMatchObject({ type: "Input.Number", label: "Checked", min: 0 });
      expect(input(card, `${m}:passed`)).toMatchObject({ type: "Input.Number", label: "Passed", min: 0 });
      expect(texts(card)).toContain(`${MEASURE_TITLES[m]} — threshold ${THRESHOLDS.measures[m]}%`);
    }
    expect(texts(card)).toContain("Care plan access — threshold 98%");
    expect(input(card, "notes")).toMatchObject({ type: "Input.Text", isMultiline: true, maxLength: 2000 });
    expect(input(card, "embedded")).toMatchObject({
      type: "Input.Toggle",
      valueOn: "true",
      valueOff: "false",
      title: "Follow-up: is system use still accurate, consistent and embedded?",
    });
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      [STABILISATION_VERBS.audit, { projectId: PROJECT_ID }],
    ]);
  });

  it("asks for the site as text when the project has no sites, and defaults to follow-up when one is due", () => {
    const card = auditFormCard({ ...view, sites: [], followUpDue: "2026-12-27", notice: "Refused: ..." });
    expectValid(card);
    expect(texts(card)[0]).toBe("Refused: ...");
    expect(input(card, "site")).toMatchObject({ type: "Input.Text", isRequired: true });
    expect(input(card, "kind")).toMatchObject({ value: "follow-up" });
    expect(texts(card).some((t) => t.includes("Sun 27 Dec 2026"))).toBe(true);
  });
});

describe("the audit result", () => {
  it("shows each measure's counts, percentage and whether it meets its threshold", () => {
    const card = auditResultCard({
      projectName: PROJECT_NAME,
      audit: audit({}, ["record-quality"]),
      thresholds: THRESHOLDS,
      timeZone: TIME_ZONE,
    });
    expectValid(card);
    const all = texts(card);
    expect(all[0]).toBe("Audit A-7 — Oak House");
    expect(all).toContain("1 measure below threshold: Record quality.");
    expect(textBlock(card, "90% · below 95%")).toMatchObject({ color: "Attention", weight: "Bolder" });
    expect(all).toContain("90 of 100 passed");
    // 99 of 100 meets 95% but not care plan access's 98%? It does: 99 ≥ 98.
    expect(textBlock(card, "99% · meets 98%")).toMatchObject({ color: "Good" });
    expect(all.filter((t) => t === "99% · meets 95%")).toHaveLength(3);
    expect(all).toContain("Two care plans were not signed off.");
    expect(all).toContain("Recorded by Jo Evans · Fri 27 Nov 10:15");
  });

  it("rounds down (94.9% is not 95%) and shows the follow-up answer", () => {
    const measures = { ...audit().measures, "task-completion": { checked: 1000, passed: 949 } };
    const card = auditResultCard({
      projectName: PROJECT_NAME,
      audit: audit({ measures, kind: "follow-up", embedded: false, notes: "" }),
      thresholds: THRESHOLDS,
      timeZone: TIME_ZONE,
    });
    expectValid(card);
    expect(textBlock(card, "94% · below 95%")).toMatchObject({ color: "Attention" });
    expect(textBlock(card, "System use is NOT still accurate, consistent and embedded.")).toMatchObject({
      color: "Attention",
    });
    expect(texts(card)).toContain("No notes.");
    expect(texts(card).some((t) => t.startsWith("Follow-up audit after close or transfer"))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// Pulses
// ---------------------------------------------------------------------------------------------------

describe("the pulse", () => {
  it("asks the question with a 1 to 5 choice and an optional comment, and shows no answers", () => {
    const answered = pulse({
      answers: [answer(1, { score: 1, comment: "SECRET COMMENT" }), answer(2, { score: 5 })],
    });
    const card = pulseCard({ projectId: PROJECT_ID, projectName: PROJECT_NAME, pulse: answered });
    expectValid(card);
    const all = texts(card);
    expect(all).toContain(answered.question);
    expect(all).toContain("Anonymous: only your role, site and answer are kept — never who answered what.");
    expect(all).toContain("You can change your answer: answer again.");
    expect(JSON.stringify(card)).not.toContain("SECRET COMMENT");
    expect(all.some((t) => /answer(s|ed)\b.*\d|\d+ answer/.test(t))).toBe(false);
    const score = input(card, "score");
    expect(score).toMatchObject({ type: "Input.ChoiceSet", style: "expanded", isRequired: true });
    expect(score.value).toBeUndefined();
    expect(choices(score)).toEqual([
      ["1 — Not without support", "1"],
      ["2", "2"],
      ["3", "3"],
      ["4", "4"],
      ["5 — Yes, easily on my own", "5"],
    ]);
    expect(input(card, "comment")).toMatchObject({
      type: "Input.Text",
      maxLength: 500,
      label: "Anything to add (optional)",
    });
    expect(input(card, "comment").isRequired).toBeUndefined();
    const data = { projectId: PROJECT_ID, pulseId: "P-3" };
    expect(executes(card).map((a) => [a.title, a.verb, a.data])).toEqual([
      ["Send my answer", STABILISATION_VERBS.pulseAnswer, data],
      ["Show results (project lead and registered managers)", STABILISATION_VERBS.pulseResults, data],
    ]);
    // Asking for the results does not need an answer first.
    expect(executes(card)[1]).toMatchObject({ associatedInputs: "none" });
  });

  it("says when a pulse is not anonymous", () => {
    const card = pulseCard({
      projectId: PROJECT_ID,
      projectName: PROJECT_NAME,
      pulse: pulse({ anonymous: false }),
    });
    expectValid(card);
    expect(texts(card)).toContain("Not anonymous: your name is kept with your answer.");
    expect(texts(card).some((t) => t.startsWith("Anonymous:"))).toBe(false);
  });
});

describe("the pulse results", () => {
  const answers = [
    answer(1, { score: 5, role: "registered-manager", site: "Oak House" }),
    answer(2, { score: 4, site: "Oak House" }),
    answer(3, { score: 2, site: "Oak House", comment: "Still slow at handover." }),
    answer(4, { score: 3, site: "Riverside" }),
    answer(5, { score: 4, site: "Riverside", comment: "Better since the refresher." }),
  ];

  it("counts the answers per score and by role and site, with the threshold", () => {
    const card = pulseResultsCard({
      projectName: PROJECT_NAME,
      pulse: pulse({ anonymous: false, answers: answers.map((a, i) => ({ ...a, name: `Person ${i}` })) }),
      threshold: 80,
    });
    expectValid(card);
    const all = texts(card);
    expect(all).toContain("5 answers in total");
    expect(textBlock(card, "Confident (4 or 5 out of 5): 60% — below the 80% threshold.")).toMatchObject({
      color: "Attention",
    });
    const columns = nodes(card).find((n) => n.type === "ColumnSet") as Node;
    expect((columns.columns as Node[]).map((c) => texts(c))).toEqual([
      ["0", "Score 1"],
      ["1", "Score 2"],
      ["1", "Score 3"],
      ["2", "Score 4"],
      ["1", "Score 5"],
    ]);
    const rows = nodes(card)
      .filter((n) => n.type === "ColumnSet")
      .map((n) => texts(n))
      .filter((t) => t.length === 4);
    expect(rows).toEqual([
      ["Role", "Answers", "Confident (4 or 5)", "Average"],
      ["Team leader", "4", "50%", "3.3"],
      ["Registered manager", "1", "100%", "5.0"],
      ["Site", "Answers", "Confident (4 or 5)", "Average"],
      ["Oak House", "3", "66%", "3.7"],
      ["Riverside", "2", "50%", "3.5"],
    ]);
    // Named pulse: the comments say who, newest first.
    const i = all.indexOf("Better since the refresher.");
    expect(all[i - 1]).toBe("Person 4 · Team leader · Riverside · score 4");
    expect(all.indexOf("Still slow at handover.")).toBeGreaterThan(i);
  });

  it("never shows names when anonymous, nor the scores of a role or site with fewer than 3 answers", () => {
    // Names slipped in by mistake stay off the card.
    const card = pulseResultsCard({
      projectName: PROJECT_NAME,
      pulse: pulse({ anonymous: true, answers: answers.map((a, i) => ({ ...a, name: `Person ${i}` })) }),
      threshold: 80,
    });
    expectValid(card);
    expect(JSON.stringify(card)).not.toContain("Person");
    const all = texts(card);
    expect(all).toContain("Still slow at handover.");
    expect(all[all.indexOf("Still slow at handover.") - 1]).toBe("Score 2");
    const rows = nodes(card)
      .filter((n) => n.type === "ColumnSet")
      .map((n) => texts(n))
      .filter((t) => t.length === 4);
    expect(rows).toContainEqual(["Registered manager", "1", "—", "—"]);
    expect(rows).toContainEqual(["Riverside", "2", "—", "—"]);
    expect(rows).toContainEqual(["Oak House", "3", "66%", "3.7"]);
    expect(all.some((t) => t.startsWith("A dash (—) means fewer than 3 answers"))).toBe(true);
  });

  it("says when nobody has answered", () => {
    const card = pulseResultsCard({ projectName: PROJECT_NAME, pulse: pulse(), threshold: 80 });
    expectValid(card);
    expect(texts(card)).toContain("No answers yet.");
  });

  it("shows the newest 20 comments, shortened, and stays under 28 KB for 2,000 answers", () => {
    const many = Array.from({ length: 2_000 }, (_, i) =>
      answer(i, {
        score: (i % 5) + 1,
        role: long(40, `Role ${i % 40}`),
        site: long(80, `Site ${i % 30}`),
        comment: long(500, `Comment ${i}.`),
        name: long(200, `Name ${i}`),
      }),
    );
    const card = pulseResultsCard({ projectName: long(100), pulse: pulse({ answers: many }), threshold: 80 });
    expectValid(card);
    const all = texts(card);
    expect(all).toContain("2,000 answers in total");
    expect(all.some((t) => t.startsWith("Comment 1999."))).toBe(true);
    expect(all.some((t) => t.startsWith("Comment 1979."))).toBe(false);
    expect(all.filter((t) => t.startsWith("Comment ")).length).toBeLessThanOrEqual(20);
    expect(JSON.stringify(card)).not.toContain("Name ");
  });
});

// ---------------------------------------------------------------------------------------------------
// Risks
// ---------------------------------------------------------------------------------------------------

describe("a risk", () => {
  const view = {
    projectId: PROJECT_ID,
    projectName: PROJECT_NAME,
    owners: OWNERS,
    timeZone: TIME_ZONE,
    today: "2026-11-27",
  };

  it("shows the score, owner and review date, with Update and Close forms while open", () => {
    const card = riskCard({ ...view, risk: risk() });
    expectValid(card);
    expect(texts(card)[0]).toBe("Risk R-3 · Open");
    expect(facts(card)).toEqual([
      ["Owner", "Jo Evans"],
      ["Likelihood × impact", "4 × 5 = 20 (high)"],
      ["Likelihood", "4 — likely"],
      ["Impact", "5 — catastrophic"],
    ]);
    expect(textBlock(card, "Review by Fri 4 Dec 2026")).toMatchObject({ color: "Default" });
    expect(showCards(card)).toEqual(["Update", "Close with evidence"]);
    const update = showCard(card, "Update");
    expect(inputs(update).map((i) => i.id)).toEqual(["owner", "likelihood", "impact", "reviewDate"]);
    expect(input(update, "owner")).toMatchObject({ type: "Input.ChoiceSet", value: JO.objectId });
    expect(choices(input(update, "owner"))).toEqual([
      ["Jo Evans — Registered manager", JO.objectId],
      ["Sam Patel — Quality lead, Operations lead", SAM.objectId],
    ]);
    expect(input(update, "likelihood")).toMatchObject({ value: "4" });
    expect(choices(input(update, "likelihood"))).toEqual([
      ["1 — rare", "1"],
      ["2 — unlikely", "2"],
      ["3 — possible", "3"],
      ["4 — likely", "4"],
      ["5 — almost certain", "5"],
    ]);
    expect(choices(input(update, "impact"))).toEqual([
      ["1 — negligible", "1"],
      ["2 — minor", "2"],
      ["3 — moderate", "3"],
      ["4 — major", "4"],
      ["5 — catastrophic", "5"],
    ]);
    expect(input(update, "reviewDate")).toMatchObject({ type: "Input.Date", value: "2026-12-04" });
    const close = showCard(card, "Close with evidence");
    expect(input(close, "evidence")).toMatchObject({
      type: "Input.Text",
      isMultiline: true,
      isRequired: true,
      maxLength: 2000,
    });
    const data = { projectId: PROJECT_ID, riskId: "R-3" };
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      [STABILISATION_VERBS.riskUpdate, data],
      [STABILISATION_VERBS.riskClose, data],
    ]);
  });

  it("bands the score: 15 and over high, 8 to 14 medium, below 8 low", () => {
    const line = (likelihood: number, impact: number) =>
      facts(riskCard({ ...view, risk: risk({ likelihood, impact }) }))[1]?.[1];
    expect(line(3, 5)).toBe("3 × 5 = 15 (high)");
    expect(line(2, 4)).toBe("2 × 4 = 8 (medium)");
    expect(line(3, 4)).toBe("3 × 4 = 12 (medium)");
    expect(line(2, 3)).toBe("2 × 3 = 6 (low)");
    expect(line(1, 1)).toBe("1 × 1 = 1 (low)");
  });

  it("marks an overdue review, and offers the current owner even without a role", () => {
    const card = riskCard({
      ...view,
      risk: risk({ reviewDate: "2026-11-26" }),
      owners: [OWNERS[1] as OwnerChoice],
    });
    expectValid(card);
    expect(textBlock(card, "Review overdue: it was due by Thu 26 Nov 2026.")).toMatchObject({
      color: "Attention",
    });
    expect(choices(input(showCard(card, "Update"), "owner"))[0]).toEqual([
      "Jo Evans — current owner",
      JO.objectId,
    ]);
    // Due today is not overdue.
    const today = riskCard({ ...view, risk: risk({ reviewDate: "2026-11-27" }) });
    expect(textBlock(today, "Review by Fri 27 Nov 2026")).toBeDefined();
  });

  it("works out today in the project's time zone when not given", () => {
    const { today: _today, ...rest } = view;
    const card = riskCard({ ...rest, risk: risk({ reviewDate: "2000-01-01" }) });
    expect(textBlock(card, "Review overdue: it was due by Sat 1 Jan 2000.")).toBeDefined();
  });

  it("shows a closed risk's evidence, and no forms", () => {
    const card = riskCard({
      ...view,
      risk: risk({
        state: "closed",
        evidence: "Tablets for every night worker.",
        closedAt: "2026-11-26T16:00:00Z",
      }),
    });
    expectValid(card);
    expect(texts(card)[0]).toBe("Risk R-3 · Closed");
    expect(texts(card)).toContain("Closed · Thu 26 Nov 16:00 — evidence");
    expect(texts(card)).toContain("Tablets for every night worker.");
    expect(showCards(card)).toEqual([]);
    expect(executes(card)).toEqual([]);
  });

  it("stays under 28 KB with long texts and 200 owners", () => {
    const owners = Array.from({ length: 200 }, (_, i) => ({
      objectId: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
      name: long(200, `Person ${i}`),
      roles: long(200, "Roles"),
    }));
    const card = riskCard({
      ...view,
      owners,
      notice: long(500),
      risk: risk({ text: long(1_000), evidence: long(2_000), raisedBy: long(200) }),
    });
    expectValid(card);
    expect(texts(card).some((t) => /more people hold a role/.test(t))).toBe(true);
  });
});

describe("the risk log", () => {
  it("lists open risks highest score first, counts the closed, then the open care-impacting issues", () => {
    const card = risksCard({
      projectName: PROJECT_NAME,
      risks: [
        risk({ id: "R-1", likelihood: 2, impact: 3 }),
        risk({ id: "R-2", likelihood: 3, impact: 3 }),
        risk({ id: "R-3" }),
        risk({ id: "R-4", state: "closed" }),
      ],
      careIssues: [{ id: "GL-12", text: "eMAR not loading at Oak House" }],
      today: "2026-12-05",
    });
    expectValid(card);
    const all = texts(card);
    expect(all).toContain("3 open risks, highest score first · 1 closed.");
    const headings = all.filter((t) => /^R-\d/.test(t));
    expect(headings).toEqual([
      "R-3 · 4 × 5 = 20 (high)",
      "R-2 · 3 × 3 = 9 (medium)",
      "R-1 · 2 × 3 = 6 (low)",
    ]);
    expect(textBlock(card, "R-3 · 4 × 5 = 20 (high)")).toMatchObject({ color: "Attention" });
    expect(all).toContain("Owner: Jo Evans · review by Fri 4 Dec 2026");
    expect(all.filter((t) => t === "Review overdue")).toHaveLength(3);
    expect(all.indexOf("Open care-impacting issues count as risks")).toBeGreaterThan(
      all.indexOf("R-1 · 2 × 3 = 6 (low)"),
    );
    expect(facts(card)).toEqual([["GL-12", "eMAR not loading at Oak House"]]);
  });

  it("shows 25 and says how many more, within 28 KB", () => {
    const card = risksCard({
      projectName: PROJECT_NAME,
      risks: Array.from({ length: 60 }, (_, i) =>
        risk({ id: `R-${i + 1}`, text: long(1_000, `Risk ${i + 1}.`), owner: { ...JO, name: long(200) } }),
      ),
      careIssues: Array.from({ length: 30 }, (_, i) => ({ id: `GL-${i}`, text: long(300) })),
    });
    expectValid(card);
    expect(texts(card).filter((t) => /^R-\d+ · /.test(t)).length).toBeLessThanOrEqual(25);
    expect(texts(card).some((t) => /^\+\d+ more open risks/.test(t))).toBe(true);
    expect(texts(card).some((t) => /^\+\d+ more open care-impacting issues/.test(t))).toBe(true);
  });

  it("says when there is nothing open", () => {
    const card = risksCard({ projectName: PROJECT_NAME, risks: [], careIssues: [] });
    expectValid(card);
    expect(texts(card)).toContain("No open risks · 0 closed.");
    expect(texts(card)).toContain("None open.");
  });
});

// ---------------------------------------------------------------------------------------------------
// The stabilisation report
// ---------------------------------------------------------------------------------------------------

describe("the stabilisation report", () => {
  it("compares the go-live issues then and now", () => {
    const card = stabilisationReportCard(makeReport());
    expectValid(card);
    const all = texts(card);
    expect(all[0]).toBe(`Stabilisation report — ${PROJECT_NAME}`);
    expect(all).toContain("Go-live issues then and now");
    const rows = nodes(card)
      .filter((n) => n.type === "ColumnSet")
      .map((n) => texts(n))
      .slice(0, 6);
    expect(rows).toEqual([
      ["", "First fortnight live (from 2026-10-01)", "Last 14 days (from 2026-11-13)"],
      ["Raised", "84", "12"],
      ["Care-impacting", "9", "1"],
      ["Median time to a temporary control", "45 min", "3 h 20 min"],
      ["Median time to closure", "2 days 4 h", "—"],
      ["Repeated themes", "medication rounds, rota", "None"],
    ]);
    expect(all).toContain("Open issues now: 5");
  });

  it("shows each site's audits as columns, below threshold in red", () => {
    const card = stabilisationReportCard(makeReport());
    const oak = nodes(card).find(
      (n) => n.type === "Container" && texts(n)[0] === "Oak House — 2 audits",
    ) as Node;
    const columns = (nodes(oak).find((n) => n.type === "ColumnSet") as Node).columns as Node[];
    expect(columns.map((c) => texts(c))).toEqual([
      [
        "Date",
        "Audit",
        "Record quality (95%)",
        "Task completion (95%)",
        "Alerts actioned (95%)",
        "Care plan access (98%)",
        "Incident recording (95%)",
      ],
      ["1 Nov", "A-1", "90% ✗", "99%", "99%", "99%", "99%"],
      ["8 Nov", "A-8", "99%", "99%", "99%", "99%", "99%"],
    ]);
    expect(nodes(columns[1]).find((n) => n.text === "90% ✗")).toMatchObject({ color: "Attention" });
    expect(nodes(columns[2]).find((n) => n.text === "99%")).toMatchObject({ color: "Default" });
  });

  it("shows the last 6 audits of a site, oldest to newest", () => {
    const audits = Array.from({ length: 9 }, (_, i) => reportAudit(i + 1, "Oak House"));
    const card = stabilisationReportCard(makeReport({ audits }));
    expectValid(card);
    expect(texts(card)).toContain("Oak House — the newest 6 of 9 audits");
    expect(texts(card).filter((t) => /^A-\d$/.test(t))).toEqual(["A-4", "A-5", "A-6", "A-7", "A-8", "A-9"]);
  });

  it("gives staff confidence and the risks", () => {
    const card = stabilisationReportCard(makeReport());
    expect(
      textBlock(
        card,
        "72% confident (4 or 5 out of 5) from 25 answers to pulse P-3; the threshold is 80%. Anonymous pulse.",
      ),
    ).toMatchObject({ color: "Attention" });
    const all = texts(card);
    expect(all).toContain("Risks: 3 open (care-impacting issues count as risks)");
    expect(
      textBlock(card, "R-3 · score 20 (high) · owner Jo Evans · review overdue since Fri 20 Nov 2026"),
    ).toMatchObject({
      color: "Attention",
    });
    expect(all).toContain("R-1 · score 6 (low) · owner Sam Patel · review by Thu 10 Dec 2026");
    expect(all).toContain("GL-12 · care-impacting issue · owner nobody yet");
  });

  it("marks each exit criterion and says close is refused while any fails", () => {
    const card = stabilisationReportCard(makeReport());
    expect(textBlock(card, "Close is refused while 2 criteria fail")).toMatchObject({
      color: "Attention",
      weight: "Bolder",
    });
    const marks = texts(card).filter((t) => /^[✓✗] /.test(t));
    expect(marks).toEqual([
      "✓ Met: Oak House: the last two audits (A-1, A-8) meet every threshold.",
      "✗ Not met: Riverside: below threshold in the last two audits — Care plan access 97% (audit A-9, threshold 98%).",
      "✓ Met: No open care-impacting, P1 or P2 issue.",
      "✗ Not met: Staff confidence 72% (4 or 5 of 5, 25 answers in P-3); the threshold is 80%.",
    ]);
    expect(textBlock(card, marks[1] as string)).toMatchObject({ color: "Attention" });
    expect(textBlock(card, marks[0] as string)).toMatchObject({ color: "Good" });

    const one = stabilisationReportCard(
      makeReport({ criteria: [{ criterion: "No staff confidence pulse has been answered.", met: false }] }),
    );
    expect(texts(one)).toContain("Close is refused while 1 criterion fails");
    const met = stabilisationReportCard(makeReport({ criteria: [{ criterion: "All good.", met: true }] }));
    expect(textBlock(met, "Close is possible")).toMatchObject({ color: "Good" });
  });

  it("lists the SLT's decisions and the follow-up audits", () => {
    const card = stabilisationReportCard(
      makeReport({
        decisions: [
          decision(1),
          decision(2, { choice: "transfer", owner: SAM, reviewDate: undefined, at: "2026-11-27T07:00:00Z" }),
        ],
        followUps: [
          { due: "2026-11-20", months: 1, auditId: "A-20" },
          { due: "2026-11-26", months: 3 },
          { due: "2027-05-27", months: 6 },
        ],
      }),
    );
    expectValid(card);
    const all = texts(card);
    const i = all.indexOf(SLT_TITLES.extend);
    expect(all.slice(i, i + 8)).toEqual([
      SLT_TITLES.extend,
      "SLT member 1 · Fri 20 Nov 09:30",
      "New review date: Fri 18 Dec 2026",
      "Rationale 1: Riverside's care plan access is still short.",
      SLT_TITLES.transfer,
      "SLT member 2 · Fri 27 Nov 07:00",
      "Routine governance owned by Sam Patel",
      "Rationale 2: Riverside's care plan access is still short.",
    ]);
    expect(textBlock(card, "After 1 month: due Fri 20 Nov 2026 — done (audit A-20)")).toMatchObject({
      color: "Good",
    });
    expect(textBlock(card, "After 3 months: due Thu 26 Nov 2026 — overdue")).toMatchObject({
      color: "Attention",
    });
    expect(textBlock(card, "After 6 months: due Thu 27 May 2027 — planned")).toBeDefined();
    expect(executes(card)[0]?.data).toEqual({ projectId: PROJECT_ID, version: "2" });
  });

  it("offers the SLT the decision: close, extend or transfer, a rationale, a review date and an owner", () => {
    const card = stabilisationReportCard(makeReport(), { owners: OWNERS });
    expectValid(card);
    expect(texts(card)).toContain("No decision recorded yet.");
    expect(showCards(card)).toEqual(["Record the SLT's decision"]);
    const form = showCard(card, "Record the SLT's decision");
    expect(texts(form)[0]).toBe(
      "Senior leadership team only. Close is refused while an exit criterion fails.",
    );
    expect(inputs(form).map((i) => i.id)).toEqual(["choice", "rationale", "reviewDate", "owner"]);
    const choice = input(form, "choice");
    expect(choice).toMatchObject({ type: "Input.ChoiceSet", isRequired: true });
    expect(choice.value).toBeUndefined();
    expect(choices(choice)).toEqual(SLT_CHOICES.map((c) => [SLT_TITLES[c], c]));
    expect(input(form, "rationale")).toMatchObject({
      type: "Input.Text",
      isMultiline: true,
      isRequired: true,
      maxLength: 2000,
      label: "Rationale (required)",
    });
    expect(input(form, "reviewDate")).toMatchObject({
      type: "Input.Date",
      label: "New review date (for extend)",
    });
    const owner = input(form, "owner");
    expect(owner).toMatchObject({
      type: "Input.ChoiceSet",
      label: "Who owns routine governance (for transfer)",
    });
    expect(choices(owner)).toEqual([
      ["Jo Evans — Registered manager", JO.objectId],
      ["Sam Patel — Quality lead, Operations lead", SAM.objectId],
    ]);
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      [STABILISATION_VERBS.decide, { projectId: PROJECT_ID, version: "0" }],
    ]);
  });

  it("leaves out the owner choice when nobody can own routine governance", () => {
    const card = stabilisationReportCard(makeReport(), { notice: "Close refused." });
    expectValid(card);
    expect(texts(card)[0]).toBe("Close refused.");
    expect(inputs(showCard(card, "Record the SLT's decision")).map((i) => i.id)).toEqual([
      "choice",
      "rationale",
      "reviewDate",
    ]);
  });

  it("says what is missing when nothing has been recorded", () => {
    const card = stabilisationReportCard(
      makeReport({
        audits: [],
        risks: [],
        confidence: undefined,
        criteria: [{ criterion: "No stabilisation audit has been recorded.", met: false }],
      }),
    );
    expectValid(card);
    const all = texts(card);
    expect(all).toContain("No audit recorded yet.");
    expect(all).toContain("No open risks.");
    expect(all).toContain("No pulse has been answered yet; the threshold is 80% answering 4 or 5.");
    expect(all.some((t) => t.startsWith("None scheduled"))).toBe(true);
  });

  it("stays valid and under 28 KB for 100 audits over 5 sites, 60 risks and 20 long decisions", () => {
    const report = hugeReport();
    const owners = Array.from({ length: 100 }, (_, i) => ({
      objectId: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
      name: long(200, `Person ${i}`),
      roles: long(200, "Roles"),
    }));
    const card = stabilisationReportCard(report, { notice: long(500, "Notice"), owners });
    expectValid(card);
    const all = texts(card);
    expect(all).toContain("Close is refused while 5 criteria fail");
    // Criteria that fail are kept before those met.
    expect(all.filter((t) => t.startsWith("✗ Not met: ")).length).toBeGreaterThan(0);
    const form = showCard(card, "Record the SLT's decision");
    expect(inputs(form).map((i) => i.id)).toEqual(["choice", "rationale", "reviewDate", "owner"]);
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      [STABILISATION_VERBS.decide, { projectId: PROJECT_ID, version: "20" }],
    ]);
    // Every site keeps at least its last two audits.
    expect(all.filter((t) => /— the newest \d of 20 audits$/.test(t))).toHaveLength(5);
    expect(all).toContain("A-100");
    expect(all.some((t) => /^\+\d+ more, lower scores\.$/.test(t))).toBe(true);
    expect(all.some((t) => /^\d+ earlier decisions are in the governance log\.$/.test(t))).toBe(true);
    expect(texts(card.body).at(-1)).toMatch(/^Texts ending in … are shortened/);
  });

  it("stays under 28 KB for 30 sites and 20 criteria, keeping the failing ones", () => {
    const sites = Array.from({ length: 30 }, (_, i) => long(80, `Site ${i}`));
    const report = makeReport({
      audits: Array.from({ length: 120 }, (_, i) => ({
        ...reportAudit(1, sites[i % 30] ?? "", i % 7 === 0 ? { "incident-recording": 50 } : {}),
        id: `A-${i + 1}`,
      })),
      criteria: Array.from({ length: 20 }, (_, i) => ({ criterion: long(2_000, `C${i}`), met: i !== 17 })),
    });
    const card = stabilisationReportCard(report);
    expectValid(card);
    const all = texts(card);
    expect(all).toContain("Close is refused while 1 criterion fails");
    expect(all.some((t) => t.startsWith("✗ Not met: C17"))).toBe(true);
    expect(all.some((t) => /^\d+ more sites not shown for space: /.test(t))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// Text people typed
// ---------------------------------------------------------------------------------------------------

describe("text people typed", () => {
  it("shows as typed on every card", () => {
    const form = auditFormCard({
      projectId: PROJECT_ID,
      projectName: TYPED,
      sites: [TYPED],
      thresholds: THRESHOLDS,
      notice: TYPED,
    });
    expectValid(form);
    expect(texts(form)).toContain(`Record an audit — ${TYPED}`);
    expect(choices(input(form, "site"))).toEqual([[TYPED, TYPED]]);

    const result = auditResultCard({
      projectName: TYPED,
      audit: audit({ site: TYPED, notes: TYPED, by: TYPED }),
      thresholds: THRESHOLDS,
      timeZone: TIME_ZONE,
    });
    expectValid(result);
    expect(texts(result)).toContain(`Audit A-7 — ${TYPED}`);
    expect(texts(result)).toContain(TYPED);

    const p = pulse({
      anonymous: false,
      question: TYPED,
      openedBy: TYPED,
      answers: [answer(1, { name: TYPED, role: TYPED, site: TYPED, comment: TYPED })],
    });
    const asked = pulseCard({ projectId: PROJECT_ID, projectName: TYPED, pulse: p });
    expectValid(asked);
    expect(texts(asked)).toContain(TYPED);
    const results = pulseResultsCard({ projectName: TYPED, pulse: p, threshold: 80 });
    expectValid(results);
    expect(texts(results)).toContain(TYPED);
    expect(texts(results)).toContain(`${TYPED} · ${TYPED} · ${TYPED} · score 4`);

    const r = risk({ text: TYPED, owner: { ...JO, name: TYPED }, raisedBy: TYPED });
    const one = riskCard({
      projectId: PROJECT_ID,
      projectName: TYPED,
      risk: r,
      owners: [{ objectId: SAM.objectId, name: TYPED, roles: TYPED }],
      timeZone: TIME_ZONE,
      today: "2026-11-27",
    });
    expectValid(one);
    expect(texts(one)).toContain(TYPED);
    expect(facts(one)).toContainEqual(["Owner", TYPED]);

    const log = risksCard({ projectName: TYPED, risks: [r], careIssues: [{ id: "GL-1", text: TYPED }] });
    expectValid(log);
    expect(texts(log)).toContain(TYPED);
    expect(facts(log)).toContainEqual(["GL-1", TYPED]);

    const report = stabilisationReportCard(
      makeReport({
        projectName: TYPED,
        audits: [reportAudit(1, TYPED)],
        risks: [{ id: "R-1", text: TYPED, score: 4, owner: TYPED }],
        criteria: [{ criterion: TYPED, met: false }],
        decisions: [decision(1, { by: TYPED, rationale: TYPED })],
      }),
      { notice: TYPED, owners: [{ objectId: SAM.objectId, name: TYPED, roles: TYPED }] },
    );
    expectValid(report);
    const all = texts(report);
    expect(all[0]).toBe(TYPED);
    expect(all).toContain(`Stabilisation report — ${TYPED}`);
    expect(all).toContain(`${TYPED} — 1 audit`);
    expect(all).toContain(`✗ Not met: ${TYPED}`);
    expect(all).toContain(`${TYPED} · Fri 20 Nov 09:30`);
    expect(executes(report)[0]?.data).toEqual({ projectId: PROJECT_ID, version: "1" });
  });
});
