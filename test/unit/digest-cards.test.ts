import { describe, expect, it } from "vitest";
import { DIGEST_VERBS, digestCard } from "../../adaptive-cards/digestCards.js";
import {
  type Breakdown,
  type Digest,
  SUPPORT_CHOICES,
  SUPPORT_TITLES,
  type SupportDecision,
  TRIGGER_TITLES,
  type Trigger,
  type TriggerKind,
} from "../../governance/digestTypes.js";
import { TEAMS_MAX_CARD_BYTES, validateCard } from "../support/cardValidation.js";

// ---------------------------------------------------------------------------------------------------
// Fixtures: digests built by hand
// ---------------------------------------------------------------------------------------------------

const PROJECT_ID = "p-123";
const PROJECT_NAME = "Oak House and Riverside Home Care — ECM go-live";
const TIME_ZONE = "Europe/London";
const PERIOD = "2026-11-27"; // a Friday
const GENERATED_AT = "2026-11-27T08:00:00.000Z"; // 08:00 in London (GMT)
const TREND_DATES = [
  "2026-11-21",
  "2026-11-22",
  "2026-11-23",
  "2026-11-24",
  "2026-11-25",
  "2026-11-26",
  PERIOD,
];
const DAY_LABELS = ["Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"];
const KINDS = Object.keys(TRIGGER_TITLES) as TriggerKind[];

/** Long text as people type it, with multi-byte characters (so bytes outnumber characters). */
function long(n: number, seed = ""): string {
  const words = `${seed} Night staff at Oak House — 12 of 40 — can’t see the eMAR on the tablets; paper MAR in use. `;
  return words.repeat(Math.ceil(n / words.length)).slice(0, n);
}

const breakdown = (overrides: Partial<Breakdown> = {}): Breakdown => ({
  priority: [],
  type: [],
  site: [],
  theme: [],
  ...overrides,
});

function trigger(kind: TriggerKind, items: number, extra: Partial<Trigger> = {}): Trigger {
  return {
    kind,
    title: plural(items, kind === "condition-overdue" ? "condition" : "issue"),
    items: Array.from({ length: items }, (_, i) => ({
      id: kind === "condition-overdue" ? `C-${i + 1}` : `GL-${100 + i}`,
      text: `eMAR not loading at Oak House (${kind} ${i + 1})`,
      ...(kind === "condition-overdue" ? {} : { priority: i % 2 === 0 ? ("P1" as const) : ("P2" as const) }),
    })),
    ...extra,
  };
}
const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/** One trigger of each kind, as a busy morning gives them. */
const everyTrigger: Trigger[] = KINDS.map((kind) =>
  kind === "repeated-theme"
    ? trigger(kind, 4, { title: "medication rounds", detail: "Matching words: MAR, medication, round" })
    : kind === "breached-target"
      ? trigger(kind, 2, { detail: "Resolution target breached" })
      : trigger(kind, 2),
);

const decision = (n: number, extra: Partial<SupportDecision> = {}): SupportDecision => ({
  by: `Board member ${n}`,
  choice: "continue",
  rationale: `Rationale ${n}: the care-impacting issues are under control.`,
  at: `2026-11-27T0${n}:30:00.000Z`,
  ...extra,
});

/** A realistic digest: 12 new, 47 open, 9 resolved, 3 awaiting verification, a trigger of every kind. */
function makeDigest(overrides: Partial<Digest> = {}): Digest {
  return {
    projectId: PROJECT_ID,
    projectName: PROJECT_NAME,
    period: PERIOD,
    generatedAt: GENERATED_AT,
    timeZone: TIME_ZONE,
    counts: { new: 12, open: 47, resolved: 9, awaitingVerification: 3 },
    breakdown: {
      new: breakdown({
        priority: [
          ["P3", 6],
          ["P1", 2],
          ["P2", 4],
        ],
        type: [
          ["system", 7],
          ["request", 5],
        ],
        site: [
          ["Oak House", 8],
          ["Riverside", 4],
        ],
        theme: [["medication rounds", 4]],
      }),
      open: breakdown({
        priority: [
          ["P3", 20],
          ["P4", 15],
          ["P2", 9],
          ["P1", 3],
        ],
        type: [
          ["system", 20],
          ["request", 10],
          ["workflow", 7],
          ["access", 5],
          ["coaching", 3],
          ["risk", 2],
        ],
        site: [
          ["Oak House", 30],
          ["Riverside", 12],
          ["", 5],
        ],
        theme: [
          ["medication rounds", 9],
          ["rota", 6],
        ],
      }),
      resolved: breakdown(),
    },
    trend: TREND_DATES.map((date, i) => ({
      date,
      raised: [5, 0, 14, 20, 9, 11, 3][i] ?? 0,
      resolved: i * 2,
    })),
    triggers: everyTrigger,
    recommendation: {
      choice: "increase",
      rule: "Increase: 2 care-impacting issues are unresolved and 1 has no temporary control.",
    },
    decisions: [],
    ...overrides,
  };
}

/** The digest of a project with 5,000 open issues and 300 themes, every text at its longest. */
function hugeDigest(): Digest {
  const many = (prefix: string, n: number): Array<[string, number]> =>
    Array.from({ length: n }, (_, i) => [`${long(60, `${prefix} ${i}`)} ${i}`, 300 - i]);
  const big = breakdown({
    priority: [
      ["P1", 400],
      ["P2", 1_100],
      ["P3", 2_000],
      ["P4", 1_500],
    ],
    type: [
      ["system", 2_000],
      ["request", 1_000],
      ["workflow", 800],
      ["access", 600],
      ["coaching", 400],
      ["risk", 200],
    ],
    site: many("Site", 300),
    theme: many("Theme", 300),
  });
  const themeTriggers = Array.from({ length: 200 }, (_, t) => ({
    kind: "repeated-theme" as const,
    title: long(60, `Theme ${t}`),
    detail: long(300, `Matching words ${t}`),
    items: Array.from({ length: 25 }, (_, i) => ({
      id: `GL-${t * 25 + i + 1}`,
      text: long(300, `Issue ${t * 25 + i + 1}.`),
      priority: "P2" as const,
    })),
  }));
  const others = KINDS.filter((k) => k !== "repeated-theme").map((kind) =>
    trigger(kind, 500, { title: "500 issues", detail: long(300, "Why") }),
  );
  return makeDigest({
    projectName: long(200, "Project"),
    counts: { new: 1_234, open: 5_000, resolved: 987, awaitingVerification: 2_345 },
    breakdown: { new: big, open: big, resolved: big },
    trend: TREND_DATES.map((date, i) => ({ date, raised: 1_000 + i * 350, resolved: 4_000 - i * 300 })),
    triggers: [...themeTriggers, ...others],
    recommendation: { choice: "increase", rule: long(2_000, "Rule.") },
    decisions: Array.from({ length: 30 }, (_, i) =>
      decision(1, { by: long(200, `Member ${i}`), rationale: long(2_000, `Rationale ${i}.`) }),
    ),
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
const executes = (card: unknown) => nodes(card).filter((n) => n.type === "Action.Execute");
/** Every FactSet's facts as [title, value] pairs, in card order. */
const facts = (card: unknown) =>
  nodes(card)
    .filter((n) => n.type === "FactSet")
    .flatMap((n) => (n.facts as Node[]).map((f) => [f.title, f.value]));
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), "utf8");
const body = (card: unknown) => (card as { body: Node[] }).body;
/** The ShowCard with the decision form. */
const decisionForm = (card: unknown) => {
  const actions = (card as { actions?: Node[] }).actions ?? [];
  expect(actions).toHaveLength(1);
  const show = actions[0] as Node;
  expect(show).toMatchObject({ type: "Action.ShowCard", title: "Record the board's decision" });
  return show.card as Node;
};
/** The trend chart: the ColumnSet whose columns hold bars. */
const chart = (card: unknown) =>
  body(card).find(
    (n) => n.type === "ColumnSet" && nodes(n).some((c) => c.type === "Container" && "minHeight" in c),
  ) as Node;

function expectValid(card: unknown) {
  expect(validateCard(card)).toEqual([]);
  expect(bytes(card)).toBeLessThan(TEAMS_MAX_CARD_BYTES);
  const ids = inputs(card).map((i) => String(i.id));
  expect(new Set(ids).size).toBe(ids.length);
  for (const input of inputs(card)) expect(String(input.label ?? "")).not.toBe("");
}

// ---------------------------------------------------------------------------------------------------

describe("the daily digest card", () => {
  it("is valid and leads with the project, the day and the headline counts", () => {
    const card = digestCard(makeDigest());
    expectValid(card);
    expect(texts(card).slice(0, 2)).toEqual([
      `Daily digest — ${PROJECT_NAME} — Fri 27 Nov`,
      "As at Fri 27 Nov 08:00 (Europe/London time).",
    ]);
    const headline = body(card).find((n) => n.type === "ColumnSet") as Node;
    expect((headline.columns as Node[]).map((c) => texts(c))).toEqual([
      ["12", "New yesterday"],
      ["47", "Open"],
      ["9", "Resolved yesterday"],
      ["3", "Awaiting verification"],
    ]);
  });

  it("breaks new, open and resolved down by priority, type, site and theme: top 5 and how many more", () => {
    const card = digestCard(makeDigest());
    const all = texts(card);
    expect(all).toContain("New yesterday: 12");
    expect(all).toContain("Open: 47");
    expect(all).toContain("Resolved yesterday: 9");
    const open = all.indexOf("Open: 47");
    // Nothing resolved in the breakdown: it says so rather than showing empty facts.
    expect(all[all.indexOf("Resolved yesterday: 9") + 1]).toBe("None.");
    expect(open).toBeGreaterThan(0);
    expect(facts(card).slice(0, 8)).toEqual([
      ["Priority", "P1: 2 · P2: 4 · P3: 6"],
      ["Type", "System issue: 7 · Support request: 5"],
      ["Site", "Oak House: 8 · Riverside: 4"],
      ["Theme", "medication rounds: 4"],
      ["Priority", "P1: 3 · P2: 9 · P3: 20 · P4: 15"],
      [
        "Type",
        "System issue: 20 · Support request: 10 · Workflow concern: 7 · Access problem: 5 · Coaching need: 3 · +1 more (2 issues)",
      ],
      ["Site", "Oak House: 30 · Riverside: 12 · No site: 5"],
      ["Theme", "medication rounds: 9 · rota: 6"],
    ]);
  });

  it("draws the last 7 days as a column chart: a day per column, red raised and green resolved bars to scale", () => {
    const digest = makeDigest();
    const card = digestCard(digest);
    const columns = chart(card).columns as Node[];
    expect(columns).toHaveLength(7);
    expect(columns.map((c) => texts(c))).toEqual(
      digest.trend.map((d, i) => [DAY_LABELS[i], String(d.raised), String(d.resolved)]),
    );
    const bars = columns.map((c) =>
      nodes(c)
        .filter((n) => n.type === "Container")
        .map((n) => [n.style, n.minHeight]),
    );
    // The tallest is 20 raised on Tue (80px); a day with none raised has no red bar.
    expect(bars[3]).toEqual([
      ["attention", "80px"],
      ["good", "24px"],
    ]);
    expect(bars[1]).toEqual([["good", "8px"]]);
    expect(bars[0]).toEqual([["attention", "20px"]]);
    expect(
      textBlock(card, "Red: issues raised that day. Green: issues resolved that day. Fri is up to 08:00."),
    ).toBeDefined();
  });

  it("lists each trigger with the issues behind it", () => {
    const card = digestCard(makeDigest());
    const all = texts(card);
    expect(all).toContain("Triggers for action: 7");
    for (const t of everyTrigger) expect(all).toContain(`${TRIGGER_TITLES[t.kind]}: ${t.title}`);
    expect(all).toContain("Repeated themes: medication rounds");
    expect(all).toContain("Matching words: MAR, medication, round");
    expect(textBlock(card, "Care-impacting issues unresolved: 2 issues")).toMatchObject({
      color: "Attention",
    });
    expect(facts(card)).toContainEqual(["GL-100 · P1", "eMAR not loading at Oak House (care-unresolved 1)"]);
    expect(facts(card)).toContainEqual(["C-1", "eMAR not loading at Oak House (condition-overdue 1)"]);
    expect(all).not.toContain("No triggers today.");
  });

  it("shows at most 10 issues per trigger and says where the rest are", () => {
    const card = digestCard(
      makeDigest({
        triggers: [
          trigger("care-unresolved", 14),
          trigger("breached-target", 11),
          trigger("condition-overdue", 12),
        ],
      }),
    );
    expectValid(card);
    const ids = facts(card)
      .map(([title]) => String(title))
      .filter((t) => /^(GL|C)-/.test(t));
    expect(ids).toHaveLength(30);
    expect(texts(card)).toContain("+4 more — type issues care");
    expect(texts(card)).toContain("+1 more — type issues overdue");
    expect(texts(card)).toContain("+2 more — type conditions");
  });

  it("says when there are no triggers", () => {
    const card = digestCard(makeDigest({ triggers: [] }));
    expectValid(card);
    expect(texts(card)).toContain("No triggers today.");
    expect(texts(card)).toContain("Triggers for action");
  });

  it("gives the recommendation prominently, with the rule that produced it", () => {
    const card = digestCard(makeDigest());
    expect(textBlock(card, SUPPORT_TITLES.increase)).toMatchObject({ size: "Large", weight: "Bolder" });
    expect(texts(card)).toContain(
      "Why: Increase: 2 care-impacting issues are unresolved and 1 has no temporary control.",
    );
  });

  it("offers board members the decision: a choice defaulting to the recommendation and a required rationale", () => {
    const card = digestCard(makeDigest());
    expect(texts(card)).toContain("No decision recorded yet.");
    const form = decisionForm(card);
    expect(texts(form)[0]).toMatch(/^Board members only\./);
    const [choice, rationale] = inputs(form);
    expect(choice).toMatchObject({
      type: "Input.ChoiceSet",
      id: "choice",
      value: "increase",
      isRequired: true,
    });
    expect(((choice?.choices ?? []) as Node[]).map((c) => [c.title, c.value])).toEqual(
      SUPPORT_CHOICES.map((c) => [SUPPORT_TITLES[c], c]),
    );
    expect(rationale).toMatchObject({
      type: "Input.Text",
      id: "rationale",
      isMultiline: true,
      maxLength: 2000,
      isRequired: true,
      label: "Rationale (required)",
    });
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      [DIGEST_VERBS.decide, { projectId: PROJECT_ID, period: PERIOD, version: "0" }],
    ]);
  });

  it("lists the decisions recorded so far, and a newer card carries a newer version", () => {
    const decisions = [
      decision(8),
      decision(9, { by: "Jo Evans", choice: "reduce", rationale: "Calls have dropped for three days." }),
    ];
    const card = digestCard(makeDigest({ decisions }));
    expectValid(card);
    const all = texts(card);
    expect(all).not.toContain("No decision recorded yet.");
    const i = all.indexOf(SUPPORT_TITLES.reduce);
    expect(all.slice(i - 3, i + 3)).toEqual([
      SUPPORT_TITLES.continue,
      "Board member 8 · Fri 27 Nov 08:30",
      "Rationale 8: the care-impacting issues are under control.",
      SUPPORT_TITLES.reduce,
      "Jo Evans · Fri 27 Nov 09:30",
      "Calls have dropped for three days.",
    ]);
    expect(executes(card)[0]?.data).toEqual({ projectId: PROJECT_ID, period: PERIOD, version: "2" });
  });

  it("shows the notice on top", () => {
    const card = digestCard(makeDigest(), { notice: "The board's decision was recorded (entry 42)." });
    expectValid(card);
    expect(texts(card)[0]).toBe("The board's decision was recorded (entry 42).");
  });

  it("stays valid and under 28 KB for 5,000 open issues and 200 repeated themes, keeping what matters", () => {
    const digest = hugeDigest();
    const card = digestCard(digest, { notice: long(500, "Notice") });
    expectValid(card);
    const all = texts(card);
    expect(all).toContain(SUPPORT_TITLES.increase);
    expect(all.some((t) => t.startsWith("Why: Rule."))).toBe(true);
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      [DIGEST_VERBS.decide, { projectId: PROJECT_ID, period: PERIOD, version: "30" }],
    ]);
    expect(inputs(decisionForm(card)).map((i) => i.id)).toEqual(["choice", "rationale"]);
    expect(all).toContain("Triggers for action: 206");
    // The flood of themes does not push the other kinds off the card.
    for (const kind of KINDS) expect(all.some((t) => t.startsWith(`${TRIGGER_TITLES[kind]}: `))).toBe(true);
    const more = all.find((t) => t.startsWith("+") && t.includes("more triggers:"));
    expect(more).toMatch(/^\+[\d,]+ more triggers: .*Repeated themes [\d,]+/);
    expect(all).toContain("New yesterday");
    expect(all).toContain("5,000");
    expect((chart(card).columns as Node[]).map((c) => texts(c)[0])).toEqual(DAY_LABELS);
    expect(facts(card)).toContainEqual(["Priority", "P1: 400 · P2: 1,100 · P3: 2,000 · P4: 1,500"]);
    expect(
      facts(card).some(
        ([title, value]) => title === "Site" && /\+\d+ more \([\d,]+ issues\)$/.test(String(value)),
      ),
    ).toBe(true);
    // The newest decisions stay; the earlier ones are counted.
    expect(all.some((t) => /^\d+ earlier decisions are in the governance log\.$/.test(t))).toBe(true);
    expect(all.some((t) => t.startsWith("Member 29 "))).toBe(true);
    expect(texts(body(card)).at(-1)).toMatch(/^Texts ending in … are shortened/);
  });

  it("shows text people typed as typed", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text must survive templating
    const typed = "Rota ${projectId} {x} ${$root.verb}";
    const card = digestCard(
      makeDigest({
        projectName: typed,
        breakdown: {
          new: breakdown({ site: [[typed, 2]], theme: [[typed, 1]] }),
          open: breakdown(),
          resolved: breakdown(),
        },
        triggers: [
          {
            kind: "repeated-theme",
            title: typed,
            detail: typed,
            items: [{ id: "GL-1", text: typed }],
          },
        ],
        recommendation: { choice: "continue", rule: typed },
        decisions: [decision(8, { by: typed, rationale: typed })],
      }),
      { notice: typed },
    );
    expectValid(card);
    const all = texts(card);
    expect(all[0]).toBe(typed);
    expect(all).toContain(`Daily digest — ${typed} — Fri 27 Nov`);
    expect(all).toContain(`Repeated themes: ${typed}`);
    expect(all).toContain(typed);
    expect(all).toContain(`Why: ${typed}`);
    expect(all).toContain(`${typed} · Fri 27 Nov 08:30`);
    expect(facts(card)).toContainEqual(["Site", `${typed}: 2`]);
    expect(facts(card)).toContainEqual(["GL-1", typed]);
    expect(executes(card)[0]?.data).toEqual({ projectId: PROJECT_ID, period: PERIOD, version: "1" });
  });
});
