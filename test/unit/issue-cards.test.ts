import { describe, expect, it } from "vitest";
import {
  chooseProjectCard,
  formatDuration,
  formatWhen,
  ISSUE_VERBS,
  type IssueCardView,
  type IssueListView,
  issueCard,
  issueListCard,
  issueTargetsCard,
  parseDuration,
} from "../../adaptive-cards/issueCards.js";
import {
  CONTROL_KINDS,
  DEFAULT_ISSUE_TARGETS,
  ISSUE_TYPES,
  type Issue,
  IssueSchema,
  type IssueTargets,
  PRIORITIES,
  summaryOf,
} from "../../governance/commandLog.js";
import { type ClockName, issueClocks, overdueClocks } from "../../governance/issueClocks.js";
import type { Person } from "../../governance/roles.js";
import { TEAMS_MAX_CARD_BYTES, validateCard } from "../support/cardValidation.js";

// ---------------------------------------------------------------------------------------------------
// Fixtures: issues built by hand, each parsed with the governance schema
// ---------------------------------------------------------------------------------------------------

const objectId = (n: number) => `1e000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const person = (n: number, name = `Priya Shah ${n}`): Person => ({ objectId: objectId(n), name });

/** Long text as people type it, with multi-byte characters (so bytes outnumber characters). */
function long(n: number, seed = ""): string {
  const words = `${seed} Night staff at Oak House — 12 of 40 — can’t see the eMAR on the tablets; paper MAR in use. `;
  return words.repeat(Math.ceil(n / words.length)).slice(0, n);
}

const RAISED_AT = "2026-11-27T10:15:00.000Z"; // Fri 27 Nov, 10:15 in London (GMT)
const PROJECT_ID = "p-123";
const PROJECT_NAME = "Oak House and Riverside Home Care — ECM go-live";
const TIME_ZONE = "Europe/London";
const minutesAfter = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** A whole issue: a new, open P4 support request unless `overrides` say otherwise. */
function makeIssue(overrides: Partial<Issue> = {}): Issue {
  return IssueSchema.parse({
    id: "GL-42",
    number: 42,
    type: "request",
    priority: "P4",
    priorityProposed: false,
    careImpacting: false,
    workaround: false,
    description: "The rota screen shows yesterday's visits.",
    raisedBy: person(1, "Priya Shah"),
    raisedAt: RAISED_AT,
    status: "open",
    controls: [],
    controlCount: 0,
    reopenedCount: 0,
    updateCount: 0,
    history: [{ at: RAISED_AT, by: "Priya Shah", what: "Raised as P4" }],
    historyCount: 1,
    updatedAt: RAISED_AT,
    ...overrides,
  });
}

function view(issue: Issue, now: Date, extra: Partial<IssueCardView> = {}): IssueCardView {
  return {
    projectId: PROJECT_ID,
    projectName: PROJECT_NAME,
    issue,
    clocks: issueClocks(issue, DEFAULT_ISSUE_TARGETS, now),
    timeZone: TIME_ZONE,
    sites: ["Oak House", "Riverside"],
    owners: [
      { objectId: objectId(50), name: "Sam Lee", roles: "Supplier contact" },
      { objectId: objectId(51), name: "Jo Evans", roles: "Registered manager, Super user" },
    ],
    ...extra,
  };
}

/** A care-impacting system issue just raised, priority proposed, staff on a workaround nobody has judged. */
const newCareIssue = makeIssue({
  type: "system",
  priority: "P1",
  priorityProposed: true,
  careImpacting: true,
  careMarkedAt: RAISED_AT,
  workaround: true,
  site: "Oak House",
  description: "eMAR will not load on the tablets at Oak House; medication round due at 12:00.",
  history: [{ at: RAISED_AT, by: "Priya Shah", what: "Raised as P1 (proposed)" }],
});

const longSites = Array.from({ length: 30 }, (_, i) => `${long(70, `Site ${i}`)} ${i}`.slice(0, 80));
const manyOwners = Array.from({ length: 60 }, (_, i) => ({
  objectId: objectId(100 + i),
  name: long(200, `Owner ${i}`),
  roles: "Supplier contact, Super user, Registered manager, Digital lead, Project lead",
}));

/** 200 updates after raising: the record keeps 20 entries of 400 characters and 10 long controls. */
function busyIssue(status: Issue["status"]): Issue {
  const history = Array.from({ length: 20 }, (_, i) => ({
    at: minutesAfter(RAISED_AT, 30 * (181 + i)),
    by: long(200, `Person ${181 + i}`),
    what: `Update ${181 + i}`,
    text: long(400, `Entry ${181 + i}.`),
  }));
  return makeIssue({
    type: "system",
    priority: "P2",
    careImpacting: true,
    careMarkedAt: RAISED_AT,
    workaround: true,
    workaroundUnsafe: true,
    site: longSites[3],
    theme: long(60, "Theme"),
    description: long(1_000, "Description."),
    raisedBy: person(1, long(200, "Raiser")),
    firstResponse: { by: "Sam Lee", at: minutesAfter(RAISED_AT, 20) },
    owner: {
      person: person(60, long(200, "Owner")),
      assignedAt: minutesAfter(RAISED_AT, 30),
      dueBy: minutesAfter(RAISED_AT, 600),
      respondedAt: minutesAfter(RAISED_AT, 40),
    },
    controls: Array.from({ length: 10 }, (_, i) => ({
      kind: CONTROL_KINDS[i % CONTROL_KINDS.length] ?? "other",
      text: long(1_000, `Control ${i + 3}.`),
      by: person(70 + i, long(200, `Manager ${i}`)),
      at: minutesAfter(RAISED_AT, 60 + i),
    })),
    controlCount: 12,
    firstControlAt: minutesAfter(RAISED_AT, 45),
    updateCount: 200,
    history,
    historyCount: 201,
    status,
    ...(status !== "open"
      ? {
          resolution: {
            evidence: long(2_000, "Evidence."),
            by: person(60, long(200, "Owner")),
            at: minutesAfter(RAISED_AT, 6_000),
          },
        }
      : {}),
    ...(status === "closed"
      ? {
          verification: {
            note: long(1_000, "Verified."),
            by: person(2, long(200, "Verifier")),
            at: minutesAfter(RAISED_AT, 6_100),
          },
        }
      : {}),
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
const inputIds = (card: unknown) => inputs(card).map((i) => String(i.id));
const actions = (card: unknown) => (card as { actions?: Node[] }).actions ?? [];
const executes = (card: unknown) => nodes(card).filter((n) => n.type === "Action.Execute");
/** The issue card's facts as [title, value] pairs. */
const facts = (card: unknown) =>
  ((nodes(card).find((n) => n.type === "FactSet")?.facts ?? []) as Node[]).map((f) => [f.title, f.value]);
const choicesOf = (input: Node | undefined) =>
  ((input?.choices ?? []) as Node[]).map((c) => [c.title, c.value]);
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), "utf8");
/** The ShowCard sections: title, the verb of their one Execute button, and their input ids. */
const sections = (card: unknown) =>
  actions(card).map((a) => {
    expect(a.type).toBe("Action.ShowCard");
    const sub = a.card as Node;
    const buttons = executes(sub);
    return { title: a.title, verbs: buttons.map((b) => b.verb), inputs: inputIds(sub), buttons };
  });

function expectValid(card: unknown) {
  expect(validateCard(card)).toEqual([]);
  expect(bytes(card)).toBeLessThan(TEAMS_MAX_CARD_BYTES);
  const ids = inputIds(card);
  expect(new Set(ids).size).toBe(ids.length);
  for (const input of inputs(card)) expect(String(input.label ?? "")).not.toBe("");
}

// ---------------------------------------------------------------------------------------------------

describe("formatWhen", () => {
  it("gives the day, date and 24-hour time in the project's time zone", () => {
    expect(formatWhen(RAISED_AT, TIME_ZONE)).toBe("Fri 27 Nov 10:15");
    expect(formatWhen("2026-07-03T09:05:00.000Z", TIME_ZONE)).toBe("Fri 3 Jul 10:05");
    expect(formatWhen("2026-09-30T23:30:00.000Z", TIME_ZONE)).toBe("Thu 1 Oct 00:30");
    expect(formatWhen("2026-09-14T13:00:00.000Z", "Asia/Kolkata")).toBe("Mon 14 Sep 18:30");
  });

  it("says UTC for an unknown time zone and leaves a non-date as it is", () => {
    expect(formatWhen(RAISED_AT, "Not/AZone")).toBe("Fri 27 Nov 10:15 UTC");
    expect(formatWhen("not a date", TIME_ZONE)).toBe("not a date");
  });
});

describe("the issue card", () => {
  it("asks about a new issue's workaround and says its priority is only proposed", () => {
    const card = issueCard(view(newCareIssue, new Date(minutesAfter(RAISED_AT, 5))));
    expectValid(card);
    const all = texts(card);
    expect(all[0]).toBe("GL-42 · P1 (proposed — set it below)");
    expect(textBlock(card, "Care-impacting")).toMatchObject({ color: "Attention", weight: "Bolder" });
    expect(all).toContain("Staff are using a workaround. Is it unsafe?");
    const question = nodes(card).find((n) => n.type === "ActionSet") as Node;
    expect((question.actions as Node[]).map((a) => [a.title, a.verb, a.data])).toEqual([
      [
        "Yes, it is unsafe",
        ISSUE_VERBS.workaround,
        { projectId: PROJECT_ID, issueId: "GL-42", version: "1", unsafe: true },
      ],
      [
        "No, it is safe",
        ISSUE_VERBS.workaround,
        { projectId: PROJECT_ID, issueId: "GL-42", version: "1", unsafe: false },
      ],
    ]);
    expect(all).toContain(newCareIssue.description);
    expect(all).toContain("Raised by Priya Shah · Fri 27 Nov 10:15");
    expect(all).toContain("Owner: nobody yet — assign one below.");
    expect(all).toContain("Fri 27 Nov 10:15 · Priya Shah · Raised as P1 (proposed)");
    expect(facts(card)).toEqual([
      ["Type", "System issue"],
      ["Status", "Open"],
      ["Site", "Oak House"],
      ["Project", PROJECT_NAME],
    ]);
  });

  it("gives an open issue Triage, Assign, Update, Temporary control and Resolve, with the inputs the bot reads", () => {
    const card = issueCard(view(newCareIssue, new Date(minutesAfter(RAISED_AT, 5))));
    expect(sections(card).map((s) => [s.title, s.verbs, s.inputs])).toEqual([
      ["Triage", [ISSUE_VERBS.triage], ["priority", "type", "site", "theme", "careImpacting"]],
      ["Assign", [ISSUE_VERBS.assign], ["owner", "dueDate", "dueTime"]],
      ["Update", [ISSUE_VERBS.update], ["updateKind", "updateText"]],
      ["Temporary control", [ISSUE_VERBS.control], ["controlKind", "controlText"]],
      ["Resolve", [ISSUE_VERBS.resolve], ["evidence"]],
    ]);
    for (const s of sections(card)) {
      for (const b of s.buttons)
        expect(b.data).toEqual({
          projectId: PROJECT_ID,
          issueId: "GL-42",
          version: String(newCareIssue.historyCount),
        });
    }
    const byId = new Map(inputs(card).map((i) => [String(i.id), i]));
    const choices = (id: string) => choicesOf(byId.get(id));
    expect(byId.get("priority")).toMatchObject({ type: "Input.ChoiceSet", value: "P1" });
    expect(choices("priority")).toEqual(PRIORITIES.map((p) => [p, p]));
    expect(byId.get("type")).toMatchObject({ type: "Input.ChoiceSet", value: "system" });
    expect(choices("type").map(([, value]) => value)).toEqual([...ISSUE_TYPES]);
    expect(choices("type")[1]).toEqual(["System issue", "system"]);
    // "No site" is the choice left empty: an Adaptive Card choice cannot have an empty value.
    expect(byId.get("site")).toMatchObject({
      type: "Input.ChoiceSet",
      value: "Oak House",
      placeholder: "No site",
    });
    expect(byId.get("site")?.isRequired).toBeUndefined();
    expect(choices("site")).toEqual([
      ["Oak House", "Oak House"],
      ["Riverside", "Riverside"],
    ]);
    expect(byId.get("theme")).toMatchObject({ type: "Input.Text", maxLength: 60, value: "" });
    expect(byId.get("careImpacting")).toMatchObject({
      type: "Input.Toggle",
      valueOn: "true",
      valueOff: "false",
      value: "true",
    });
    expect(choices("owner")).toEqual([
      ["Sam Lee — Supplier contact", objectId(50)],
      ["Jo Evans — Registered manager, Super user", objectId(51)],
    ]);
    expect(byId.get("dueDate")?.type).toBe("Input.Date");
    expect(byId.get("dueTime")?.type).toBe("Input.Time");
    expect(choices("updateKind")).toEqual([
      ["Update", "update"],
      ["Action taken", "action"],
    ]);
    expect(byId.get("updateText")).toMatchObject({ isMultiline: true, maxLength: 1000, isRequired: true });
    expect(choices("controlKind").map(([, value]) => value)).toEqual([...CONTROL_KINDS]);
    expect(String(byId.get("controlText")?.label)).toContain("registered manager only");
    expect(byId.get("controlText")).toMatchObject({ isMultiline: true, maxLength: 1000 });
    expect(byId.get("evidence")).toMatchObject({
      label: "Closure evidence (required)",
      isMultiline: true,
      isRequired: true,
      maxLength: 2000,
    });
  });

  it("leaves out the site choice when the project has no sites", () => {
    const card = issueCard(view(makeIssue(), new Date(RAISED_AT), { sites: [] }));
    expectValid(card);
    expect(inputIds(card)).not.toContain("site");
    expect(texts(card)[0]).toBe("GL-42 · P4");
  });

  it("shows a judged workaround, UNSAFE in attention colour, and lets the judgement be revised", () => {
    const unsafe = issueCard(
      view(makeIssue({ workaround: true, workaroundUnsafe: true }), new Date(RAISED_AT)),
    );
    expectValid(unsafe);
    expect(textBlock(unsafe, "UNSAFE workaround in use")).toMatchObject({ color: "Attention" });
    expect(JSON.stringify(unsafe)).not.toContain("Is it unsafe?");
    expect(cardButtons(unsafe)).toEqual(["It is safe now"]);
    const safe = issueCard(
      view(makeIssue({ workaround: true, workaroundUnsafe: false }), new Date(RAISED_AT)),
    );
    expect(texts(safe)).toContain("Staff are using a workaround, judged safe.");
    expect(JSON.stringify(safe)).not.toContain("UNSAFE");
    expect(cardButtons(safe)).toEqual(["It is unsafe after all"]);
    const none = issueCard(view(makeIssue(), new Date(RAISED_AT)));
    expect(JSON.stringify(none)).not.toContain("workaround");
  });

  it("shows each clock: met, late, running and OVERDUE in attention colour", () => {
    const issue = makeIssue({
      priority: "P2",
      careImpacting: true,
      careMarkedAt: RAISED_AT,
      firstResponse: { by: "Sam Lee", at: minutesAfter(RAISED_AT, 30) },
      owner: { person: person(50, "Sam Lee"), assignedAt: minutesAfter(RAISED_AT, 30) },
    });
    const card = issueCard(view(issue, new Date(minutesAfter(RAISED_AT, 200))));
    expectValid(card);
    const clockLines = nodes(card).filter(
      (n) =>
        n.type === "TextBlock" &&
        /^(First response|Resolution|Temporary control|Owner's [a-z]+): /.test(String(n.text)),
    );
    expect(clockLines.map((n) => [n.text, n.color])).toEqual([
      ["First response: met · due Fri 27 Nov 11:15 · done Fri 27 Nov 10:45", "Good"],
      ["Resolution: running · due Fri 27 Nov 18:15", "Default"],
      ["Temporary control: OVERDUE · was due Fri 27 Nov 12:15", "Attention"],
      ["Owner's response: OVERDUE · was due Fri 27 Nov 11:45", "Attention"],
    ]);
    const late = issueCard(
      view(
        makeIssue({ priority: "P1", firstResponse: { by: "Sam Lee", at: minutesAfter(RAISED_AT, 20) } }),
        new Date(minutesAfter(RAISED_AT, 20)),
      ),
    );
    expect(
      textBlock(late, "First response: late · due Fri 27 Nov 10:30 · done Fri 27 Nov 10:35"),
    ).toMatchObject({
      color: "Warning",
    });
  });

  it("keeps an issue with 200 updates, 10 long controls and long evidence under 28 KB", () => {
    for (const status of ["open", "resolved", "closed"] as const) {
      const issue = busyIssue(status);
      const card = issueCard(
        view(issue, new Date(minutesAfter(RAISED_AT, 7_000)), {
          sites: longSites,
          owners: manyOwners,
          notice: long(300, "Notice."),
        }),
      );
      expectValid(card);
      const all = texts(card);
      expect(all).toContain("191 earlier entries are in the governance log.");
      expect(all).toContain("2 earlier controls are in the governance log.");
      expect(all).toContain("Texts ending in … are shortened; the full text is in the governance log.");
      // Newest first: entry 200 (the 20th kept) leads, and 10 are shown.
      const entries = all.filter((t) => / · Update \d+$/.test(t));
      expect(entries).toHaveLength(10);
      expect(entries[0]).toMatch(/ · Update 200$/);
      expect(entries[9]).toMatch(/ · Update 191$/);
      expect(textBlock(card, "UNSAFE workaround in use")).toBeDefined();
      if (status !== "open") expect(all.some((t) => t.startsWith("Closure evidence · "))).toBe(true);
      if (status === "closed") expect(all.some((t) => t.startsWith("Closure verified · "))).toBe(true);
    }
  });

  it("shows controls, resolution and verification, newest control first", () => {
    const issue = makeIssue({
      careImpacting: true,
      careMarkedAt: RAISED_AT,
      status: "closed",
      controls: [
        {
          kind: "paper-backup",
          text: "Paper MAR charts on every floor.",
          by: person(5, "Jo Evans"),
          at: RAISED_AT,
        },
        {
          kind: "senior-oversight",
          text: "Nurse in charge checks every round.",
          by: person(5, "Jo Evans"),
          at: minutesAfter(RAISED_AT, 60),
        },
      ],
      controlCount: 2,
      firstControlAt: RAISED_AT,
      resolution: {
        evidence: "Supplier patch 4.2 installed.",
        by: person(50, "Sam Lee"),
        at: minutesAfter(RAISED_AT, 120),
      },
      verification: {
        note: "Checked on the evening round.",
        by: person(5, "Jo Evans"),
        at: minutesAfter(RAISED_AT, 300),
      },
    });
    const card = issueCard(view(issue, new Date(minutesAfter(RAISED_AT, 400))));
    expectValid(card);
    const all = texts(card);
    const i = all.indexOf("Senior oversight · Jo Evans · Fri 27 Nov 11:15");
    expect(i).toBeGreaterThan(0);
    expect(all[i + 1]).toBe("Nurse in charge checks every round.");
    expect(all.indexOf("Paper back-up · Jo Evans · Fri 27 Nov 10:15")).toBeGreaterThan(i);
    expect(all).toContain("Closure evidence · Sam Lee · Fri 27 Nov 12:15");
    expect(all).toContain("Supplier patch 4.2 installed.");
    expect(all).toContain("Closure verified · Jo Evans · Fri 27 Nov 15:15");
    expect(all).toContain("Checked on the evening round.");
    expect(all).not.toContain("Texts ending in … are shortened; the full text is in the governance log.");
  });

  it("gives a resolved issue Update, Verify closure and Reopen; a closed one only Reopen", () => {
    const resolved = issueCard(view(busyIssue("resolved"), new Date(minutesAfter(RAISED_AT, 7_000))));
    expectValid(resolved);
    expect(sections(resolved).map((s) => [s.title, s.verbs, s.inputs])).toEqual([
      ["Update", [ISSUE_VERBS.update], ["updateKind", "updateText"]],
      ["Verify closure", [ISSUE_VERBS.verify], ["note"]],
      ["Reopen", [ISSUE_VERBS.reopen], ["reason"]],
    ]);
    const byId = new Map(inputs(resolved).map((i) => [String(i.id), i]));
    expect(byId.get("note")?.isRequired).toBeUndefined();
    expect(byId.get("reason")).toMatchObject({ isMultiline: true, isRequired: true });
    expect(facts(resolved)[1]).toEqual(["Status", "Resolved — awaiting verification"]);
    // Clocks still running when it was resolved stop: nothing is overdue on a resolved issue.
    expect(texts(resolved).some((t) => t.includes("OVERDUE"))).toBe(false);

    const closed = issueCard(view(busyIssue("closed"), new Date(minutesAfter(RAISED_AT, 7_000))));
    expectValid(closed);
    expect(sections(closed).map((s) => [s.title, s.verbs, s.inputs])).toEqual([
      ["Reopen", [ISSUE_VERBS.reopen], ["reason"]],
    ]);
    expect(facts(closed)[1]).toEqual(["Status", "Closed (verified)"]);
    for (const card of [resolved, closed]) {
      for (const b of executes(card))
        expect(b.data).toMatchObject({
          projectId: PROJECT_ID,
          issueId: "GL-42",
          version: expect.any(String),
        });
    }
  });

  it("prefills triage and assignment with the issue's current values", () => {
    const issue = makeIssue({
      type: "access",
      priority: "P3",
      site: "Riverside",
      theme: "Log-ins",
      owner: { person: person(51, "Jo Evans"), assignedAt: RAISED_AT, dueBy: "2026-07-03T16:00:00.000Z" },
    });
    const card = issueCard(view(issue, new Date(RAISED_AT)));
    expectValid(card);
    const byId = new Map(inputs(card).map((i) => [String(i.id), i]));
    expect(byId.get("priority")?.value).toBe("P3");
    expect(byId.get("type")?.value).toBe("access");
    expect(byId.get("site")?.value).toBe("Riverside");
    expect(byId.get("theme")?.value).toBe("Log-ins");
    expect(byId.get("careImpacting")?.value).toBe("false");
    expect(byId.get("owner")?.value).toBe(objectId(51));
    expect(byId.get("dueDate")?.value).toBe("2026-07-03");
    expect(byId.get("dueTime")?.value).toBe("17:00");
    expect(texts(card)).toContain("Owner: Jo Evans · timescale Fri 3 Jul 17:00 · assigned Fri 27 Nov 10:15");
  });

  it("shows the notice on top", () => {
    const card = issueCard(
      view(makeIssue(), new Date(RAISED_AT), { notice: "Recorded in the governance log (entry 42)." }),
    );
    expectValid(card);
    expect(texts(card)[0]).toBe("Recorded in the governance log (entry 42).");
  });

  it("shows text people typed as typed, never as a template expression", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text must survive templating
    const typed = "Broken ${issueId} {not a template} ${$root.projectId}";
    const issue = makeIssue({
      description: typed,
      theme: typed.slice(0, 60),
      site: typed,
      raisedBy: person(1, typed),
      controls: [{ kind: "other", text: typed, by: person(5, typed), at: RAISED_AT }],
      controlCount: 1,
      history: [{ at: RAISED_AT, by: typed, what: "Update", text: typed }],
    });
    const card = issueCard(
      view(issue, new Date(RAISED_AT), {
        projectName: typed,
        notice: typed,
        sites: [typed],
        owners: [{ objectId: objectId(9), name: typed, roles: typed }],
      }),
    );
    expectValid(card);
    const all = texts(card);
    expect(all[0]).toBe(typed);
    expect(all).toContain(`Raised by ${typed} · Fri 27 Nov 10:15`);
    expect(all).toContain(`Fri 27 Nov 10:15 · ${typed} · Update`);
    expect(all.filter((t) => t === typed).length).toBeGreaterThanOrEqual(4); // notice, description, control, history
    const byId = new Map(inputs(card).map((i) => [String(i.id), i]));
    expect(byId.get("site")?.value).toBe(typed);
    expect(byId.get("theme")?.value).toBe(typed.slice(0, 60));
    expect(choicesOf(byId.get("owner"))[0]).toEqual([`${typed} — ${typed}`, objectId(9)]);
  });
});

// ---------------------------------------------------------------------------------------------------

describe("the issue list card", () => {
  const TOTAL = 5_000;
  const PAGE_SIZE = 20;
  const NOW = new Date(minutesAfter(RAISED_AT, 60 * 24 * 30));

  /** Open issue n of 5,000, every text at its longest. */
  function summaryNumber(n: number) {
    const issue = makeIssue({
      id: `GL-${n}`,
      number: n,
      type: ISSUE_TYPES[n % ISSUE_TYPES.length] ?? "request",
      priority: PRIORITIES[n % 4] ?? "P4",
      careImpacting: n % 2 === 0,
      ...(n % 2 === 0 ? { careMarkedAt: RAISED_AT } : {}),
      workaround: n % 3 === 0,
      ...(n % 3 === 0 ? { workaroundUnsafe: true } : {}),
      site: longSites[n % longSites.length],
      theme: long(60, "Theme"),
      description: long(1_000, `Issue ${n}.`),
      owner: { person: person(n, long(200, `Owner ${n}`)), assignedAt: RAISED_AT },
    });
    return summaryOf(issue);
  }

  function page(p: number, extra: Partial<IssueListView> = {}): IssueListView {
    const first = (p - 1) * PAGE_SIZE + 1;
    const rows = Array.from({ length: Math.max(0, Math.min(PAGE_SIZE, TOTAL - first + 1)) }, (_, i) => {
      const summary = summaryNumber(first + i);
      return { summary, overdue: overdueClocks(summary, DEFAULT_ISSUE_TARGETS, NOW) };
    });
    return {
      projectId: PROJECT_ID,
      projectName: PROJECT_NAME,
      title: "Open issues",
      filter: "open|site=Oak House",
      rows,
      total: TOTAL,
      page: p,
      pageSize: PAGE_SIZE,
      timeZone: TIME_ZONE,
      footnote: "3 resolved issues await verification: type issues resolved.",
      ...extra,
    };
  }

  const pageButtons = (card: unknown) => actions(card).map((a) => [a.title, a.verb, a.data]);
  const pageData = (p: number) => ({ projectId: PROJECT_ID, filter: "open|site=Oak House", page: p });

  it("stays valid and under 28 KB on the first, a middle and the last page, with paging only where it goes", () => {
    const first = issueListCard(page(1));
    const middle = issueListCard(page(125));
    const last = issueListCard(page(250));
    for (const card of [first, middle, last]) expectValid(card);

    expect(texts(first).slice(0, 2)).toEqual([`Open issues: ${PROJECT_NAME}`, "Showing 1–20 of 5,000"]);
    expect(pageButtons(first)).toEqual([["Next", ISSUE_VERBS.page, pageData(2)]]);
    expect(texts(middle)).toContain("Showing 2,481–2,500 of 5,000");
    expect(pageButtons(middle)).toEqual([
      ["Previous", ISSUE_VERBS.page, pageData(124)],
      ["Next", ISSUE_VERBS.page, pageData(126)],
    ]);
    expect(texts(last)).toContain("Showing 4,981–5,000 of 5,000");
    expect(pageButtons(last)).toEqual([["Previous", ISSUE_VERBS.page, pageData(249)]]);
    expect(texts(last).at(-1)).toBe("3 resolved issues await verification: type issues resolved.");
  });

  it("shows one plain row per issue: id, priority, flags, site, status, description, owner", () => {
    const card = issueListCard(page(1));
    const all = texts(card);
    const summary = summaryNumber(6);
    const heading = `GL-6 · P3 · Support request · Open · ${summary.site}`;
    const i = all.indexOf(heading);
    expect(i).toBeGreaterThan(0);
    expect(all[i + 1]).toBe("Care-impacting · UNSAFE workaround");
    expect(textBlock(card, all[i + 1] as string)).toMatchObject({ color: "Attention" });
    expect(all[i + 2]).toBe(
      "OVERDUE: no first response; past its resolution target; care-impacting without a temporary control; no response from the owner",
    );
    expect(textBlock(card, all[i + 2] as string)).toMatchObject({ color: "Attention" });
    expect(all[i + 3]).toBe(`${summary.description.slice(0, 99).trimEnd()}…`);
    expect(all[i + 4]?.startsWith("Owner: Owner 6 Night staff")).toBe(true);
    expect(all.filter((t) => /^GL-\d+ · /.test(t))).toHaveLength(20);
    // Rows carry no action: the bot opens an issue with "issue GL-42".
    expect(nodes(card).some((n) => "selectAction" in n)).toBe(false);
    expect(all).toContain("To open one, type issue and its number, e.g. issue GL-42.");
  });

  it("names the overdue clocks in the words of the triggers", () => {
    const summary = summaryNumber(1);
    const overdue: ClockName[] = ["owner-response", "timescale"];
    const card = issueListCard(page(1, { rows: [{ summary, overdue }], total: 1 }));
    expectValid(card);
    expect(texts(card)).toContain("OVERDUE: no response from the owner; past the owner's timescale");
    expect(texts(card)).toContain("Showing 1–1 of 1");
    expect(actions(card)).toEqual([]);
  });

  it("says when there is nothing to show", () => {
    const card = issueListCard(
      page(1, { rows: [], total: 0, footnote: undefined, title: "Your open issues" }),
    );
    expectValid(card);
    expect(texts(card)).toEqual([`Your open issues: ${PROJECT_NAME}`, "None."]);
    expect(actions(card)).toEqual([]);
  });

  it("shows text people typed as typed", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text must survive templating
    const typed = "Rota ${filter} {x} ${$root.projectId}";
    const summary = summaryOf(makeIssue({ description: typed, site: typed }));
    const card = issueListCard(
      page(1, { rows: [{ summary, overdue: [] }], total: 30, title: typed, filter: typed, footnote: typed }),
    );
    expectValid(card);
    expect(texts(card)).toContain(`${typed}: ${PROJECT_NAME}`);
    expect(texts(card)).toContain(typed);
    expect(texts(card)).toContain(`GL-42 · P4 · Support request · Open · ${typed}`);
    expect(actions(card)[0]?.data).toEqual({ projectId: PROJECT_ID, filter: typed, page: 2 });
  });
});

// ---------------------------------------------------------------------------------------------------

describe("durations", () => {
  it("formats minutes in the largest whole unit", () => {
    expect([15, 60, 90, 240, 1440, 4320, 2880 + 60].map(formatDuration)).toEqual([
      "15m",
      "1h",
      "90m",
      "4h",
      "1d",
      "3d",
      "49h",
    ]);
  });

  it("reads what people write, in minutes", () => {
    const cases: Array<[string, number | undefined]> = [
      ["15m", 15],
      ["15 min", 15],
      ["15 MINS", 15],
      ["4h", 240],
      ["4 hours", 240],
      ["1 hour", 60],
      ["1.5h", 90],
      ["2 hrs", 120],
      ["3d", 4320],
      ["3 Days", 4320],
      [" 90 ", 90],
      ["0.1h", 6],
      ["", undefined],
      ["0", undefined],
      ["0m", undefined],
      ["1.5m", undefined],
      ["-5m", undefined],
      ["4 weeks", undefined],
      ["four hours", undefined],
      ["4h30m", undefined],
    ];
    for (const [text, minutes] of cases) expect([text, parseDuration(text)]).toEqual([text, minutes]);
  });

  it("reads back every duration it formats", () => {
    for (const minutes of [1, 15, 45, 60, 90, 240, 1440, 4320, 60 * 24 * 90, 12_345]) {
      expect(parseDuration(formatDuration(minutes))).toBe(minutes);
    }
  });
});

describe("the targets card", () => {
  const targets: IssueTargets = {
    ...DEFAULT_ISSUE_TARGETS,
    P4: { firstResponseMinutes: 90, resolutionMinutes: 3 * 1440 },
  };

  it("has a time input per priority and the control target, each reading back to the targets", () => {
    const card = issueTargetsCard({ projectId: PROJECT_ID, projectName: PROJECT_NAME, targets });
    expectValid(card);
    const byId = new Map(inputs(card).map((i) => [String(i.id), String(i.value)]));
    expect([...byId.keys()]).toEqual([
      ...PRIORITIES.flatMap((p) => [`${p}:firstResponse`, `${p}:resolution`]),
      "control",
    ]);
    expect(byId.get("P1:firstResponse")).toBe("15m");
    expect(byId.get("P1:resolution")).toBe("4h");
    expect(byId.get("P4:firstResponse")).toBe("90m");
    expect(byId.get("P4:resolution")).toBe("3d");
    expect(byId.get("control")).toBe("2h");
    const readBack = {
      ...Object.fromEntries(
        PRIORITIES.map((p) => [
          p,
          {
            firstResponseMinutes: parseDuration(byId.get(`${p}:firstResponse`) ?? ""),
            resolutionMinutes: parseDuration(byId.get(`${p}:resolution`) ?? ""),
          },
        ]),
      ),
      controlMinutes: parseDuration(byId.get("control") ?? ""),
    };
    expect(readBack).toEqual(targets);
    expect(executes(card).map((a) => [a.title, a.verb, a.data])).toEqual([
      ["Save targets", ISSUE_VERBS.targets, { projectId: PROJECT_ID }],
    ]);
    expect(texts(card).join("\n")).toContain(
      "First response and resolution times per priority, counted from when an issue is raised; a care-impacting issue needs a temporary control within 2h.",
    );
  });

  it("shows the notice on top", () => {
    const card = issueTargetsCard({
      projectId: PROJECT_ID,
      projectName: PROJECT_NAME,
      targets,
      notice: "Only the project lead can change the targets.",
    });
    expectValid(card);
    expect(texts(card)[0]).toBe("Only the project lead can change the targets.");
  });
});

describe("the choose-project card", () => {
  const projects = Array.from({ length: 3 }, (_, i) => ({ projectId: `p-${i}`, name: `Project ${i}` }));
  const raiseText = "raise system P2 care site: Oak House; eMAR not loading on the tablets";

  it("asks which project, with one button per project carrying the typed text", () => {
    const card = chooseProjectCard({ projects, raiseText });
    expectValid(card);
    expect(texts(card)[0]).toBe("You belong to several go-live projects. Which one is this issue for?");
    expect(texts(card)).toContain(`Your issue: ${raiseText}`);
    // One button per project, stacked in the body (a card has at most 5 actions of its own).
    expect(executes(card).map((a) => [a.title, a.verb, a.data])).toEqual(
      projects.map((p) => [p.name, ISSUE_VERBS.raiseIn, { projectId: p.projectId, raiseText }]),
    );
    expect(inputs(card)).toEqual([]);
  });

  it("offers at most 20 projects and says so", () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      projectId: `p-${i}`,
      name: long(100, `Project ${i}`),
    }));
    const card = chooseProjectCard({ projects: many, raiseText });
    expectValid(card);
    expect(executes(card)).toHaveLength(20);
    expect(texts(card).join("\n")).toContain("You belong to 25 projects; the first 20 are shown.");
  });

  it("keeps a long text once, with the projects as a choice, when 20 buttons would pass 28 KB", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ projectId: `p-${i}`, name: `Project ${i}` }));
    const longText = `raise ${long(1_990, "Text.")}`;
    const card = chooseProjectCard({ projects: many, raiseText: longText });
    expectValid(card);
    const choice = inputs(card)[0] as Node;
    expect(choice).toMatchObject({ id: "projectId", type: "Input.ChoiceSet", isRequired: true });
    expect((choice.choices as Node[]).map((c) => c.value)).toEqual(many.map((p) => p.projectId));
    expect(executes(card).map((a) => [a.verb, a.data])).toEqual([
      [ISSUE_VERBS.raiseIn, { raiseText: longText }],
    ]);
  });

  it("carries typed text as typed", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text must survive templating
    const typed = "raise ${projectId} {x} ${$root.raiseText}";
    const card = chooseProjectCard({ projects: [{ projectId: "p-1", name: typed }], raiseText: typed });
    expectValid(card);
    expect(executes(card)[0]).toMatchObject({ title: typed, data: { projectId: "p-1", raiseText: typed } });
  });
});

/** The titles of the workaround buttons on a card. */
function cardButtons(card: unknown): string[] {
  const titles: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "Action.Execute" && o.verb === ISSUE_VERBS.workaround) titles.push(String(o.title));
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return titles;
}
