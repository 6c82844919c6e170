import { describe, expect, it } from "vitest";
import { TEAMS_MAX_CARD_BYTES, validateCard } from "../support/cardValidation.js";

type Card = Record<string, unknown> & { body: Record<string, unknown>[] };

function goodCard(): Card {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body: [
      { type: "TextBlock", text: "Go-live readiness", weight: "Bolder", size: "Medium", wrap: true },
      {
        type: "FactSet",
        facts: [
          { title: "Workstream", value: "Data migration" },
          { title: "Status", value: "Ready" },
        ],
      },
      { type: "Input.Text", id: "comment", label: "Comment", isMultiline: true },
      {
        type: "Input.ChoiceSet",
        id: "approver",
        label: "Approver",
        choices: [],
        "choices.data": { type: "Data.Query", dataset: "graph.microsoft.com/users" },
      },
      {
        type: "ActionSet",
        actions: [
          {
            type: "Action.Execute",
            title: "Approve",
            verb: "readiness.approve",
            data: { decisionId: "d-1", type: "approve" },
          },
        ],
      },
    ],
  };
}

function element(card: Card, index: number): Record<string, unknown> {
  const found = card.body[index];
  if (!found) throw new Error(`no body element ${index}`);
  return found;
}

function executeAction(card: Card): Record<string, unknown> {
  const actions = element(card, 4).actions as Record<string, unknown>[];
  const found = actions[0];
  if (!found) throw new Error("no Action.Execute");
  return found;
}

function messagesFrom(source: string, errors: string[]): string[] {
  return errors.filter((m) => m.startsWith(`[${source}]`));
}

describe("validateCard", () => {
  it("accepts a good 1.5 card with a Teams people picker", () => {
    expect(validateCard(goodCard())).toEqual([]);
  });

  it("does not modify the card it validates", () => {
    const card = goodCard();
    const before = JSON.stringify(card);
    validateCard(card);
    expect(JSON.stringify(card)).toBe(before);
  });

  it("rejects an unknown element type in both validators", () => {
    const card = goodCard();
    card.body.push({ type: "Bogus", text: "?" });
    const errors = validateCard(card);
    const schema = messagesFrom("schema", errors);
    const library = messagesFrom("adaptivecards", errors);
    expect(schema.some((m) => m.includes("/body/5") && m.includes('"Bogus"'))).toBe(true);
    expect(library.some((m) => m.includes("/body/5") && m.includes('Unknown element type "Bogus"'))).toBe(
      true,
    );
  });

  it("rejects an unknown property and names its path", () => {
    const card = goodCard();
    element(card, 0).colour = "red";
    const errors = validateCard(card);
    expect(errors).toContain(
      '[schema] /body/0 (TextBlock): unknown property "colour" (not allowed by the 1.5 schema)',
    );
    // Only the TextBlock branch is reported, not the other element types of the anyOf.
    expect(errors.some((m) => m.includes('"text"'))).toBe(false);
  });

  it("rejects an Input.Text without id", () => {
    const card = goodCard();
    delete element(card, 2).id;
    const errors = validateCard(card);
    expect(errors).toContain('[schema] /body/2 (Input.Text): missing required property "id"');
    expect(
      messagesFrom("adaptivecards", errors).some(
        (m) => m.includes("/body/2 (Input.Text)") && m.includes("must have a unique Id"),
      ),
    ).toBe(true);
  });

  it("rejects an Action.Execute without verb", () => {
    const card = goodCard();
    delete executeAction(card).verb;
    const errors = validateCard(card);
    expect(errors.some((m) => m.includes("/body/4/actions/0 (Action.Execute)") && m.includes('"verb"'))).toBe(
      true,
    );
  });

  it("rejects an Action.Execute with a blank verb", () => {
    const card = goodCard();
    executeAction(card).verb = "  ";
    expect(validateCard(card).some((m) => m.includes("/body/4/actions/0") && m.includes('"verb"'))).toBe(
      true,
    );
  });

  it("rejects version 1.6", () => {
    const card = goodCard();
    card.version = "1.6";
    const errors = validateCard(card);
    expect(errors.some((m) => m.startsWith("[teams] /version") && m.includes('"1.6" is too new'))).toBe(true);
    expect(
      messagesFrom("adaptivecards", errors).some((m) => m.includes("card version (1.6) is not supported")),
    ).toBe(true);
  });

  it("rejects a card without a top-level version", () => {
    const card = goodCard();
    delete card.version;
    expect(
      validateCard(card).some((m) => m.startsWith("[teams] /version") && m.includes('no "version"')),
    ).toBe(true);
  });

  it("rejects a card over 28 KB", () => {
    const card = goodCard();
    card.body.push({ type: "TextBlock", text: "x".repeat(TEAMS_MAX_CARD_BYTES), wrap: true });
    const errors = validateCard(card);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/serialized card is \d+ bytes; it must be under 28672 bytes/);
  });

  it("counts bytes, not characters, for the size limit", () => {
    const card = goodCard();
    // 10,000 three-byte characters: 30,000 bytes but only 10,000 UTF-16 units.
    card.body.push({ type: "TextBlock", text: "€".repeat(10_000), wrap: true });
    expect(validateCard(card).some((m) => m.includes("must be under 28672 bytes"))).toBe(true);
  });

  it("rejects choices.data whose dataset is not a string", () => {
    const card = goodCard();
    element(card, 3)["choices.data"] = { type: "Data.Query", dataset: 42 };
    const errors = validateCard(card);
    expect(
      errors.some((m) => m.startsWith("[teams] /body/3/choices.data") && m.includes('"dataset":42')),
    ).toBe(true);
    expect(errors).toContain(
      '[schema] /body/3 (Input.ChoiceSet): unknown property "choices.data" (not allowed by the 1.5 schema)',
    );
  });

  it("only allows choices.data on Input.ChoiceSet", () => {
    const card = goodCard();
    element(card, 2)["choices.data"] = { type: "Data.Query", dataset: "graph.microsoft.com/users" };
    expect(validateCard(card)).toContain(
      '[schema] /body/2 (Input.Text): unknown property "choices.data" (not allowed by the 1.5 schema)',
    );
  });

  it("still rejects other unknown properties on a people picker", () => {
    const card = goodCard();
    element(card, 3).dataset = "graph.microsoft.com/users";
    expect(validateCard(card)).toContain(
      '[schema] /body/3 (Input.ChoiceSet): unknown property "dataset" (not allowed by the 1.5 schema)',
    );
  });

  it("rejects an unknown action type in both validators", () => {
    const card = goodCard();
    card.actions = [{ type: "Action.Nope", title: "?" }];
    const errors = validateCard(card);
    expect(
      messagesFrom("schema", errors).some((m) => m.includes("/actions/0") && m.includes('"Action.Nope"')),
    ).toBe(true);
    expect(
      messagesFrom("adaptivecards", errors).some(
        (m) => m.includes("/actions/0") && m.includes('Unknown action type "Action.Nope"'),
      ),
    ).toBe(true);
  });

  it("rejects a value that is not an object", () => {
    expect(validateCard("card")).toEqual(["[teams] /: card must be a JSON object, got string"]);
  });
});
