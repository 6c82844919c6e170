import { describe, expect, it } from "vitest";
import {
  conditionsCard,
  DECISION_VERBS,
  type DecisionView,
  decisionCard,
  minutesCard,
} from "../../adaptive-cards/decisionCards.js";
import {
  type BoardDecision,
  BoardDecisionSchema,
  type Condition,
  ConditionSchema,
  outcomeOf,
  tallyOf,
  type Vote,
} from "../../governance/boardDecision.js";
import { type Blocker, READINESS_AREAS } from "../../governance/readiness.js";
import type { Person } from "../../governance/roles.js";
import { TEAMS_MAX_CARD_BYTES, validateCard } from "../support/cardValidation.js";

// ---------------------------------------------------------------------------------------------------
// Fixtures: decisions built by hand, each parsed with the governance schemas
// ---------------------------------------------------------------------------------------------------

const objectId = (n: number) => `bd000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const SURNAMES = ["Okonkwo", "Shah", "Williams", "Nowak", "O'Brien", "Fernández", "Chen", "Mensah", "Evans"];
const person = (n: number): Person => ({
  objectId: objectId(n),
  name: `${["Priya", "Tom", "Aisha", "Gareth", "Zofia", "Siobhan"][n % 6]} ${SURNAMES[n % SURNAMES.length]} ${n}`,
});

/** Long text as people type it, with multi-byte characters (so bytes outnumber characters). */
function long(n: number, seed = ""): string {
  const words = `${seed} Night staff at Oak House — 12 of 40 — still need eMAR training; the supplier’s fix for medication rounds is due next week. `;
  return words.repeat(Math.ceil(n / words.length)).slice(0, n);
}

const CHAIR = person(0);
const LEAD = person(99);
const DUE_PAST = "2027-01-04";
const DUE_FUTURE = "2027-02-01";
const TODAY = "2027-01-10";

function blockers(count: number, size: "short" | "long"): Blocker[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `training-below:site ${i}:carers`,
    area: READINESS_AREAS[i % READINESS_AREAS.length] ?? "training",
    reason:
      size === "long"
        ? long(1_000, `Blocker ${i}.`)
        : `Carers at Site ${i}: 80% trained, below the 95% threshold.`,
    evidence:
      size === "long"
        ? long(1_000, `Evidence ${i}.`)
        : "32 of 40 staff trained; recorded by Priya Shah on 2027-01-05.",
  }));
}

function vote(voter: Person, choice: Vote["choice"], rationale: string, standing: readonly Blocker[]): Vote {
  return {
    voter,
    choice,
    rationale,
    at: "2027-01-08T10:15:00.000Z",
    ...(choice === "delay" ? { newDate: "2027-02-15" } : {}),
    ...(choice === "conditional"
      ? {
          conditions: standing.map((b, i) => ({
            blockerId: b.id,
            text: long(1_000, `Condition ${i} from ${voter.name}.`),
            owner: person(i + 1),
            due: DUE_FUTURE,
          })),
        }
      : {}),
  };
}

/** 36 conditional, 12 delay, 12 proceed among 60 voters. */
const CHOICE_CYCLE: Vote["choice"][] = ["conditional", "conditional", "conditional", "delay", "proceed"];

function openDecision(votes: Vote[]): BoardDecision {
  return BoardDecisionSchema.parse({
    id: "d-7",
    openedBy: LEAD,
    openedAt: "2027-01-08T09:00:00.000Z",
    card: { activityId: "activity-1", conversationId: "19:channel@thread.tacv2" },
    votes,
    state: "open",
  });
}

function closedDecision(members: Person[], votes: Vote[], standing: Blocker[]): BoardDecision {
  const conditional = votes.find((v) => v.choice === "conditional");
  const outcome = outcomeOf(votes);
  return BoardDecisionSchema.parse({
    id: "d-7",
    openedBy: LEAD,
    openedAt: "2027-01-08T09:00:00.000Z",
    votes,
    state: "closed",
    minutes: {
      closedBy: CHAIR,
      closedAt: "2027-01-09T16:30:00.000Z",
      outcome,
      tally: tallyOf(votes),
      boardMembers: members,
      attendees: votes.map((v) => v.voter),
      votes,
      blockers: standing.map((b) => ({ id: b.id, area: b.area, reason: b.reason, evidence: b.evidence })),
      conditions: outcome === "conditional" ? (conditional?.conditions ?? []) : [],
      ...(outcome === "delay" ? { newDate: "2027-02-15" } : {}),
      goLiveDate: "2027-01-11",
      readinessEvidence: READINESS_AREAS.map((area, i) => ({
        area,
        rag: (["red", "amber", "green"] as const)[i % 3],
        evidence: long(2_000, `Area ${area}.`),
      })),
    },
  });
}

function view(decision: BoardDecision, members: Person[], standing: Blocker[], note?: string): DecisionView {
  return {
    projectName: "Oak House and Riverside Home Care — ECM go-live (wave 1)",
    projectId: "p-123",
    decision,
    boardMembers: members,
    blockers: standing,
    goLiveDate: "2027-01-11",
    basis: 42,
    chairName: CHAIR.name,
    ...(note ? { note } : {}),
  };
}

function condition(n: number, state: Condition["state"], due: string, size: "short" | "long"): Condition {
  return ConditionSchema.parse({
    id: `C${n}`,
    decisionId: "d-7",
    blockerId: `training-below:site ${n}:carers`,
    blockerReason: size === "long" ? long(1_000, `Blocker ${n}.`) : `Carers at Site ${n}: 80% trained.`,
    text: size === "long" ? long(1_000, `Condition ${n}.`) : `Train the remaining carers at Site ${n}.`,
    owner: person(n),
    due,
    state,
    ...(state === "met"
      ? { evidence: size === "long" ? long(2_000) : "Training log shows 40 of 40.", closedBy: "Priya Shah" }
      : {}),
    ...(state === "waived"
      ? { reason: size === "long" ? long(2_000) : "Site closes before go-live.", closedBy: "Tom Evans" }
      : {}),
    ...(state !== "open" ? { closedAt: "2027-01-09T12:00:00.000Z" } : {}),
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
    for (const child of Object.values(value)) nodes(child, found);
  }
  return found;
}

const texts = (card: unknown) =>
  nodes(card)
    .filter((n) => n.type === "TextBlock")
    .map((n) => String(n.text));
const inputs = (card: unknown) => nodes(card).filter((n) => String(n.type).startsWith("Input."));
const actions = (card: unknown) => (card as { actions?: Node[] }).actions ?? [];
const action = (card: unknown, verb: string) => actions(card).find((a) => a.verb === verb);
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), "utf8");

// ---------------------------------------------------------------------------------------------------

const members60 = Array.from({ length: 60 }, (_, i) => person(i));
const longBlockers = blockers(25, "long");
const bigVotes = members60.map((m, i) =>
  vote(m, CHOICE_CYCLE[i % 5] ?? "delay", long(2_000, `Vote ${i}.`), longBlockers),
);
const members5 = members60.slice(0, 5);
const fewBlockers = blockers(2, "short");

const cards = {
  "open, no votes, no blockers": decisionCard(view(openDecision([]), members5, [])),
  "open, two blockers, two votes": decisionCard(
    view(
      openDecision([
        vote(members5[1] as Person, "delay", "Training is not there yet.", fewBlockers),
        vote(members5[2] as Person, "conditional", "Fine if the training is finished.", fewBlockers),
      ]),
      members5,
      fewBlockers,
      "Your vote was recorded.",
    ),
  ),
  "open, 60 members all voted with 2,000-character rationales, 25 long blockers": decisionCard(
    view(openDecision(bigVotes), members60, longBlockers),
  ),
  "open, 60 members none voted, 30 long blockers": decisionCard(
    view(openDecision([]), members60, blockers(30, "long")),
  ),
  "closed minutes, 60 voters, 25 long blockers, 25 long conditions": decisionCard(
    view(closedDecision(members60, bigVotes, longBlockers), members60, longBlockers),
  ),
  "closed minutes, small": minutesCard(
    view(
      closedDecision(
        members5,
        [
          vote(members5[0] as Person, "proceed", "All green.", []),
          vote(members5[1] as Person, "proceed", "Yes.", []),
        ],
        [],
      ),
      members5,
      [],
    ),
  ),
  "minutes of a decision still open": minutesCard(view(openDecision([]), members5, [])),
  "conditions, 25 long ones incl. overdue, met and waived": conditionsCard(
    "Oak House",
    Array.from({ length: 25 }, (_, i) =>
      condition(
        i + 1,
        (["open", "met", "waived", "open"] as const)[i % 4] ?? "open",
        i % 2 ? DUE_PAST : DUE_FUTURE,
        "long",
      ),
    ),
    TODAY,
  ),
  "conditions, none": conditionsCard("Oak House", [], TODAY),
};

describe("decision cards: schema, validator and size", () => {
  for (const [name, card] of Object.entries(cards)) {
    it(`${name}: passes the 1.5 schema, the adaptivecards validator and the 28 KB limit`, () => {
      expect(validateCard(card)).toEqual([]);
      expect(bytes(card)).toBeLessThan(TEAMS_MAX_CARD_BYTES);
    });
  }
});

describe("the open decision card", () => {
  const withBlockers = cards["open, two blockers, two votes"];
  const big = cards["open, 60 members all voted with 2,000-character rationales, 25 long blockers"];

  it("disables Proceed while a blocker stands and enables it when none does", () => {
    expect(action(withBlockers, DECISION_VERBS.proceed)?.isEnabled).toBe(false);
    expect(action(big, DECISION_VERBS.proceed)?.isEnabled).toBe(false);
    expect(action(cards["open, no votes, no blockers"], DECISION_VERBS.proceed)?.isEnabled).toBe(true);
  });

  it("has the four buttons, each with its verb and the project, decision, basis and blockers shown", () => {
    for (const card of [withBlockers, big, cards["open, no votes, no blockers"]]) {
      expect(actions(card).map((a) => [a.type, a.verb])).toEqual(
        Object.values(DECISION_VERBS).map((verb) => ["Action.Execute", verb]),
      );
      for (const a of actions(card)) {
        expect(a.data).toMatchObject({ projectId: "p-123", decisionId: "d-7", basis: 42 });
        // The blockers the card shows travel with the vote, so a vote on changed blockers is sent back.
        expect(String((a.data as { blockers?: unknown }).blockers)).toMatch(/^[0-9a-f]{16}$/);
      }
    }
    expect(action(withBlockers, DECISION_VERBS.close)?.title).toBe("Close the vote");
    // Closing needs no rationale, so the chair's button does not send (or require) the vote inputs.
    expect(action(withBlockers, DECISION_VERBS.close)?.associatedInputs).toBe("none");
  });

  it("shows the title, the note, the go-live date and the blockers", () => {
    const all = texts(withBlockers);
    expect(all[0]).toBe("Go-live decision: Oak House and Riverside Home Care — ECM go-live (wave 1)");
    expect(all[1]).toBe("Your vote was recorded.");
    expect(all.join("\n")).toContain("Planned go-live: 2027-01-11.");
    expect(all).toContain(`• ${fewBlockers[0]?.reason}`);
    expect(all).toContain(fewBlockers[0]?.evidence);
    expect(texts(cards["open, no votes, no blockers"])).toContain("No blockers: the board may proceed.");
  });

  it("shows the tally, the quorum and who has not voted", () => {
    const all = texts(withBlockers);
    expect(all).toContain("Proceed 0 · Delay 1 · Conditional 1");
    expect(all).toContain("Votes needed before the chair can close: 3");
    expect(all).toContain(
      `Not voted yet: ${[members5[0], members5[3], members5[4]].map((p) => p?.name).join(", ")}`,
    );
    expect(all).toContain(`${members5[1]?.name} — Delay (new date 2027-02-15): Training is not there yet.`);
    expect(all).toContain(
      `${members5[2]?.name} — Conditional (2 conditions): Fine if the training is finished.`,
    );

    const bigTexts = texts(big);
    expect(bigTexts).toContain("Proceed 12 · Delay 12 · Conditional 36");
    expect(bigTexts).toContain("Votes needed before the chair can close: 31");
    expect(bigTexts).toContain("Everyone has voted.");
    expect(texts(cards["open, no votes, no blockers"])).toContain(
      `Not voted yet: ${members5.map((p) => p.name).join(", ")}`,
    );
  });

  it("asks for a rationale, a new date and, per blocker, a condition with its owner and due date", () => {
    const byId = new Map(inputs(withBlockers).map((i) => [String(i.id), i]));
    expect(byId.get("rationale")).toMatchObject({
      type: "Input.Text",
      isMultiline: true,
      label: "Your rationale (required)",
      maxLength: 2000,
    });
    expect(byId.get("newDate")).toMatchObject({
      type: "Input.Date",
      label: "New target or review date (for Delay)",
    });
    fewBlockers.forEach((b, i) => {
      expect(byId.get(`condition:${i}:text`)).toMatchObject({
        type: "Input.Text",
        label: `Condition for: ${b.reason}`,
        maxLength: 1000,
      });
      expect(byId.get(`condition:${i}:owner`)).toEqual({
        type: "Input.ChoiceSet",
        id: `condition:${i}:owner`,
        label: "Owner",
        choices: [],
        "choices.data": { type: "Data.Query", dataset: "graph.microsoft.com/users" },
      });
      expect(byId.get(`condition:${i}:due`)).toMatchObject({ type: "Input.Date", label: "Due" });
    });
    expect([...byId.keys()]).toHaveLength(2 + 3 * fewBlockers.length);
    expect(texts(withBlockers)).toContain(
      "Conditional needs a condition, owner and due date for each blocker; Delay needs a new date.",
    );
    expect(inputs(cards["open, no votes, no blockers"]).map((i) => i.id)).toEqual(["rationale", "newDate"]);
  });

  it("caps the blockers with condition inputs at 25", () => {
    const card = cards["open, 60 members none voted, 30 long blockers"];
    const ids = inputs(card).map((i) => String(i.id));
    expect(ids.filter((id) => id.endsWith(":text"))).toHaveLength(25);
    expect(ids).toContain("condition:24:owner");
    expect(ids).not.toContain("condition:25:text");
    expect(texts(card).join("\n")).toContain("…and 5 more");
  });

  it("shortens long texts to stay under 28 KB, and says so; short texts stay whole", () => {
    expect(bytes(big)).toBeLessThan(TEAMS_MAX_CARD_BYTES);
    const all = texts(big);
    for (const m of members60) expect(all.some((t) => t.startsWith(`${m.name} — `))).toBe(true);
    expect(all).toContain("Texts ending in … are shortened; the full text is in the governance log.");
    expect(inputs(big).filter((i) => String(i.id).endsWith(":due"))).toHaveLength(25);
    expect(JSON.stringify(withBlockers)).not.toContain("shortened");
  });

  it("marks a cut text where it is cut when the card has room", () => {
    const rationale = long(500, "Quite long.");
    const card = decisionCard(
      view(openDecision([vote(members5[0] as Person, "proceed", rationale, [])]), members5, []),
    );
    const line = texts(card).find((t) => t.startsWith(`${members5[0]?.name} — Proceed: `));
    expect(line).toMatch(/… \(shortened; full text in the governance log\)$/);
    expect(line?.length).toBeLessThan(rationale.length);
    expect(texts(card)).not.toContain(
      "Texts ending in … are shortened; the full text is in the governance log.",
    );
  });

  it("shows text people typed as typed, never as a template expression", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text must survive templating
    const typed = "I vote ${decisionId} {not a template}";
    const card = decisionCard(
      view(openDecision([vote(members5[0] as Person, "proceed", typed, [])]), members5, []),
    );
    expect(texts(card)).toContain(`${members5[0]?.name} — Proceed: ${typed}`);
  });
});

describe("the minutes card", () => {
  const big = cards["closed minutes, 60 voters, 25 long blockers, 25 long conditions"];
  const decision = closedDecision(members60, bigVotes, longBlockers);

  it("is what a closed decision shows, with no buttons", () => {
    expect(big).toEqual(minutesCard(view(decision, members60, longBlockers)));
    expect(actions(big)).toEqual([]);
    expect(inputs(big)).toEqual([]);
  });

  it("shows the outcome in bold, who closed it, the tally and the adopted conditions", () => {
    const outcome = nodes(big).find((n) => n.text === "Outcome: Conditional approval");
    expect(outcome?.weight).toBe("Bolder");
    const all = texts(big);
    expect(all[0]).toBe(
      "Governance minutes: go-live decision for Oak House and Riverside Home Care — ECM go-live (wave 1)",
    );
    expect(all.join("\n")).toContain(`Closed by ${CHAIR.name} on 2027-01-09 16:30 UTC.`);
    expect(all).toContain("Votes: Proceed 12 · Delay 12 · Conditional 36");
    expect(all).toContain("Planned go-live: 2027-01-11.");
    const adopted = decision.minutes?.conditions ?? [];
    expect(adopted).toHaveLength(25);
    for (const [i, c] of adopted.entries()) {
      const start = `• ${c.owner.name}, due ${c.due}: Condition ${i} from ${members60[0]?.name}.`;
      expect(all.some((t) => t.startsWith(start))).toBe(true);
    }
    expect(all.filter((t) => t.startsWith("• Blocker "))).toHaveLength(25);
  });

  it("gives a delay's new date", () => {
    const votes = [
      vote(members5[0] as Person, "delay", "Training first.", fewBlockers),
      vote(members5[1] as Person, "delay", "Agreed.", fewBlockers),
      vote(members5[2] as Person, "conditional", "Could go with conditions.", fewBlockers),
    ];
    const card = minutesCard(view(closedDecision(members5, votes, fewBlockers), members5, fewBlockers));
    expect(validateCard(card)).toEqual([]);
    const all = texts(card);
    expect(all).toContain("Outcome: Delay");
    expect(all).toContain("Planned go-live: 2027-01-11. New target or review date: 2027-02-15.");
    expect(all).toContain("None.");
  });

  it("names every voter and the members who did not vote", () => {
    const all = texts(big);
    const attendees = all.find((t) => t.startsWith("Attendees (voted): ")) ?? "";
    for (const m of members60) {
      expect(attendees).toContain(m.name);
      expect(all.some((t) => t.startsWith(`${m.name} — `))).toBe(true);
    }
    expect(all).toContain("Board members who did not vote: none");

    const small = texts(cards["closed minutes, small"]);
    expect(small).toContain(
      `Board members who did not vote: ${members5
        .slice(2)
        .map((p) => p.name)
        .join(", ")}`,
    );
    expect(small).toContain("Outcome: Proceed");
    expect(small).toContain(`${members5[0]?.name} — Proceed: All green.`);
    expect(small).toContain("No blockers.");
    expect(small).toContain("None.");
  });

  it("lists the adopted conditions with owner and due date, and the readiness evidence", () => {
    const votes = [
      vote(members5[0] as Person, "conditional", "Only with the training finished.", fewBlockers),
      vote(members5[1] as Person, "conditional", "Agreed.", fewBlockers),
      vote(members5[2] as Person, "delay", "Not yet.", fewBlockers),
    ];
    const card = minutesCard(view(closedDecision(members5, votes, fewBlockers), members5, fewBlockers));
    expect(validateCard(card)).toEqual([]);
    const all = texts(card);
    expect(all).toContain("Outcome: Conditional approval");
    const adopted = votes[0]?.conditions ?? [];
    for (const c of adopted) {
      expect(all.some((t) => t.startsWith(`• ${c.owner.name}, due ${c.due}: ${c.text.slice(0, 300)}`))).toBe(
        true,
      );
    }
    expect(all).toContain(`• ${fewBlockers[1]?.reason} Evidence: ${fewBlockers[1]?.evidence}`);
    expect(all).toContain("RED · Training");
    expect(all).toContain("GREEN · Equipment and assistive technology");
    expect(all.filter((t) => / due \d{4}-\d{2}-\d{2}: /.test(t))).toHaveLength(adopted.length);
  });
});

describe("the conditions card", () => {
  it("shows OVERDUE in attention colour only while a condition past its due date is open", () => {
    const conditions = [
      condition(1, "open", DUE_PAST, "short"),
      condition(2, "open", DUE_FUTURE, "short"),
      condition(3, "met", DUE_PAST, "short"),
      condition(4, "waived", DUE_PAST, "short"),
      condition(5, "open", TODAY, "short"),
    ];
    const card = conditionsCard("Oak House", conditions, TODAY);
    expect(validateCard(card)).toEqual([]);
    const states = nodes(card).filter(
      (n) => n.type === "TextBlock" && /^(Open|Met|Waived)( — OVERDUE)?$/.test(String(n.text)),
    );
    expect(states.map((n) => [n.text, n.color])).toEqual([
      ["Open — OVERDUE", "Attention"],
      ["Open", "Default"],
      ["Met", "Good"],
      ["Waived", "Warning"],
      ["Open", "Default"],
    ]);
    const all = texts(card);
    expect(all[0]).toBe("Conditions: Oak House");
    expect(all).toContain("C1: Train the remaining carers at Site 1.");
    expect(all).toContain("Answers: Carers at Site 1: 80% trained.");
    expect(all).toContain(`Owner: ${person(1).name} · Due: ${DUE_PAST}`);
    expect(all).toContain("Evidence: Training log shows 40 of 40. (by Priya Shah on 2027-01-09 12:00 UTC)");
    expect(all).toContain(
      "Waived because: Site closes before go-live. (by Tom Evans on 2027-01-09 12:00 UTC)",
    );
    expect(all.at(-1)).toBe(
      "The owner marks a condition met with: condition met {id} {evidence}. The project lead can waive one with: condition waive {id} {reason}.",
    );
  });

  it("says when there are none", () => {
    expect(texts(cards["conditions, none"])).toContain("No conditions.");
  });

  it("keeps 25 long conditions under 28 KB, every one listed", () => {
    const card = cards["conditions, 25 long ones incl. overdue, met and waived"];
    const all = texts(card);
    for (let n = 1; n <= 25; n++) expect(all.some((t) => t.startsWith(`C${n}: `))).toBe(true);
    expect(all.filter((t) => t === "Open — OVERDUE")).toHaveLength(6);
  });
});
