import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECISION_VERBS } from "../../adaptive-cards/decisionCards.js";
import { READINESS_VERBS } from "../../adaptive-cards/readinessCards.js";
import type { GovernanceEvent } from "../../governance/events.js";
import { type ProjectState, projectIdForChannel } from "../../governance/project.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { validateCard } from "../support/cardValidation.js";
import { TeamsChannel } from "../support/channel.js";
import { PEOPLE, type Someone } from "../support/fixtures.js";
import { cardText, type SentActivity } from "../support/stubConnector.js";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});

const { priya, tom, grace, dev } = PEOPLE; // project lead; operations lead; registered manager; quality lead

// ---------------------------------------------------------------------------------------------------
// People, dates and what the bot sent

let nextPersonNumber = 1;

/** Someone new in the team: the stub Teams service resolves their Teams id to their Entra object id. */
function teamMember(name: string): Someone {
  const n = nextPersonNumber++;
  const person = {
    objectId: `bb000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    name,
    teamsId: `29:board-${n}`,
  };
  h.connector.addMembers({ id: person.teamsId, name: person.name, aadObjectId: person.objectId });
  return person as Someone;
}

/** A date `days` from today, as YYYY-MM-DD (the bot's clock is the real one). */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
const GO_LIVE = inDays(30);

function cardsIn(sent: readonly SentActivity[]): Array<Record<string, unknown>> {
  return sent.flatMap(
    (s) =>
      s.activity.attachments
        ?.filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive")
        .map((a) => a.content) ?? [],
  );
}

// ---------------------------------------------------------------------------------------------------
// A project with a board, seen through its channel

interface Board {
  channel: TeamsChannel;
  projectId: string;
  chair: Someone;
  /** Board members other than the chair. */
  members: Someone[];
  /** Every card the bot sent or returned in this project's channel. */
  cards: Array<Record<string, unknown>>;
  /** The posted decision card, once `decision` was typed. */
  decisionCard?: Record<string, unknown>;
  /** The id of the posted decision card's message. */
  cardMessageId?: string;
}

/** Says something in the board's channel; keeps the cards the bot sent. */
async function say(board: Board, from: Someone, text: string, mentions: Someone[] = []): Promise<string> {
  const reply = await board.channel.say(from, text, mentions);
  board.cards.push(...cardsIn(h.connector.sent));
  return reply;
}

/** Presses a button in the board's channel; keeps the card returned and any card the bot sent meanwhile. */
async function press(board: Board, from: Someone, verb: string, data: Record<string, unknown>) {
  const before = h.connector.sent.length;
  const result = await board.channel.press(from, verb, data, {
    ...(board.cardMessageId ? { replyToId: board.cardMessageId } : {}),
  });
  board.cards.push(...cardsIn(h.connector.sent.slice(before)));
  if (result.card) board.cards.push(result.card);
  return result;
}

/** Fails with the bot's message when a card action was not recorded. */
function expectCard(result: { card?: Record<string, unknown>; message?: string }): Record<string, unknown> {
  expect(result.message, "the bot answered with a message instead of a card").toBeUndefined();
  expect(result.card).toBeDefined();
  return result.card ?? {};
}

async function state(projectId: string): Promise<ProjectState> {
  const s = await h.runtime.log.readState(projectId);
  if (!s) throw new Error(`no project ${projectId}`);
  return s;
}

type EventOf<K extends GovernanceEvent["kind"]> = Extract<GovernanceEvent, { kind: K }>;

/** The events of one kind in the project's governance log, oldest first, each with who did it. */
async function entriesOf<K extends GovernanceEvent["kind"]>(
  projectId: string,
  kind: K,
): Promise<Array<EventOf<K> & { by: string }>> {
  const found: Array<EventOf<K> & { by: string }> = [];
  for await (const entry of h.runtime.log.entries(projectId)) {
    if ("unreadable" in entry) throw new Error(`log entry ${entry.seq} unreadable: ${entry.unreadable}`);
    for (const e of entry.events)
      if (e.kind === kind) found.push({ ...(e as EventOf<K>), by: entry.actor.name });
  }
  return found;
}

/** Updates of the posted decision card (PUTs to its message) the bot sent since `since`. */
function cardUpdates(board: Board, since = 0): SentActivity[] {
  return h.connector.sent
    .slice(since)
    .filter((s) => s.method === "PUT" && s.activityId !== undefined && s.activityId === board.cardMessageId);
}

/** The readiness the leads record: with two blockers (Riverside carers' training, access), or ready. */
async function recordReadiness(board: Board, readiness: "with blockers" | "ready"): Promise<void> {
  const { projectId } = board;
  const training = (site: string, completed: number) =>
    press(board, grace, READINESS_VERBS.training, {
      projectId,
      site,
      staffRole: "Carers",
      staff: "20",
      completed: String(completed),
      confident: "18",
      gaps: "",
    });
  expectCard(await training("Oak House", 20));
  expectCard(await training("Riverside", readiness === "ready" ? 20 : 16));
  for (const recordType of ["medication", "safeguarding", "care-plans", "risk-assessments"]) {
    expectCard(
      await press(board, dev, READINESS_VERBS.assurance, {
        projectId,
        recordType,
        sampleSize: "20",
        checked: "20",
        discrepancies: "0",
        critical: "0",
        signedOff: "true",
        note: "",
      }),
    );
  }
  expectCard(
    await press(board, tom, READINESS_VERBS.plan, {
      projectId,
      escalationRoutes: "Floor -> team leader -> registered manager -> on-call director",
      supplierContact: "CareSys go-live desk, 0800 000 000",
      onSiteCover: "Two super-users per shift for the first 5 days",
      "lead:0": "Grace Mensah",
      "lead:1": "Tom Okafor",
    }),
  );
  expectCard(
    await press(board, priya, READINESS_VERBS.item, {
      projectId,
      area: "access",
      rag: readiness === "ready" ? "green" : "amber",
      owner: "IT lead",
      evidence: readiness === "ready" ? "All staff logged in on test devices" : "12 night staff locked out",
      note: "",
    }),
  );
}

/**
 * A project with two sites, its leads, a board (the chair and `memberNames`) and its readiness recorded. The
 * extra board members are people the stub Teams service knows, given their role by the project lead.
 */
async function projectWithBoard(
  memberNames: string[],
  readiness: "with blockers" | "ready",
  chairName = "Ruth Adeyemi",
): Promise<Board> {
  const channel = new TeamsChannel(h);
  const board: Board = {
    channel,
    projectId: projectIdForChannel(channel.where.channel.channelId),
    chair: teamMember(chairName),
    members: memberNames.map(teamMember),
    cards: [],
  };
  await say(board, priya, "setup Oak House & Riverside go-live");
  const setup = channel.lastCardWith("project.settings");
  expectCard(
    await press(board, priya, "project.settings", {
      ...channel.buttonData(setup, "project.settings"),
      goLiveDate: GO_LIVE,
      sites: "Oak House, Riverside",
      timeZone: "Europe/London",
      digestTime: "08:00",
    }),
  );
  await say(board, priya, "role add registered manager @Grace Mensah", [grace]);
  await say(board, priya, "role add quality lead @Dev Patel", [dev]);
  await say(board, priya, "role add operations lead @Tom Okafor", [tom]);
  expect(await say(board, priya, `role add chair @${board.chair.name}`, [board.chair])).toContain(
    `${board.chair.name} is now project board chair`,
  );
  for (let i = 0; i < board.members.length; i += 10) {
    const some = board.members.slice(i, i + 10);
    const added = await say(board, priya, `role add board ${some.map((m) => `@${m.name}`).join(" ")}`, some);
    for (const m of some) expect(added).toContain(`${m.name} is now project board member`);
  }
  await recordReadiness(board, readiness);
  return board;
}

/** `decision` by the project lead: posts the board's decision card and remembers it. */
async function openDecision(board: Board): Promise<string> {
  const posted = await say(board, priya, "decision");
  board.decisionCard = board.channel.lastCardWith(DECISION_VERBS.proceed);
  const decision = (await state(board.projectId)).decisions.at(-1);
  expect(decision?.state).toBe("open");
  board.cardMessageId = decision?.card?.activityId;
  expect(board.cardMessageId).toBeDefined();
  return posted;
}

interface ConditionTyped {
  text: string;
  owner: Someone;
  due: string;
}
type Ballot =
  | { choice: "proceed" }
  | { choice: "delay"; newDate: string }
  | { choice: "conditional"; conditions: ConditionTyped[] };

/** What a member types on the decision card for a ballot, with the button's own data. */
function ballotData(board: Board, ballot: Ballot, rationale: string): Record<string, unknown> {
  const buttons = board.decisionCard;
  if (!buttons) throw new Error("no decision card posted");
  return {
    ...board.channel.buttonData(buttons, DECISION_VERBS[ballot.choice]),
    rationale,
    newDate: ballot.choice === "delay" ? ballot.newDate : "",
    ...(ballot.choice === "conditional"
      ? Object.fromEntries(
          ballot.conditions.flatMap((c, i) => [
            [`condition:${i}:text`, c.text],
            [`condition:${i}:owner`, c.owner.objectId],
            [`condition:${i}:due`, c.due],
          ]),
        )
      : {}),
  };
}

/** A board member (or anyone) presses Proceed / Delay / Conditional on the posted card. */
function vote(board: Board, who: Someone, ballot: Ballot, rationale: string) {
  return press(board, who, DECISION_VERBS[ballot.choice], ballotData(board, ballot, rationale));
}

/** Someone presses "Close the vote" (which sends no inputs). */
function closeVote(board: Board, who: Someone) {
  if (!board.decisionCard) throw new Error("no decision card posted");
  return press(
    board,
    who,
    DECISION_VERBS.close,
    board.channel.buttonData(board.decisionCard, DECISION_VERBS.close),
  );
}

function button(card: Record<string, unknown>, verb: string): Record<string, unknown> | undefined {
  return (card.actions as Array<Record<string, unknown>>).find((a) => a.verb === verb);
}

// ---------------------------------------------------------------------------------------------------

describe("the board's go-live decision, through Teams", () => {
  it("refuses proceed while blockers stand, takes a conditional decision to minutes, and tracks its conditions", async () => {
    const board = await projectWithBoard(["Sam Whitfield", "Nadia Hussain", "Owen Price"], "with blockers");
    const { projectId, chair } = board;
    const [sam, nadia, owen] = board.members as [Someone, Someone, Someone];

    // The project lead puts it to the board: the card lists the blockers and Proceed cannot be pressed.
    const posted = await openDecision(board);
    expect(posted).toContain("Go-live decision: Oak House & Riverside go-live");
    expect(posted).toContain("2 blockers: proceed is not possible while any stands.");
    expect(posted).toContain("Carers at Riverside: 80% trained, below the 95% threshold.");
    expect(posted).toContain("Access problems unresolved (amber).");
    expect(posted).toContain("Not voted yet: Nadia Hussain, Owen Price, Ruth Adeyemi, Sam Whitfield");
    expect(posted).toContain(`Planned go-live: ${GO_LIVE}.`);
    const card = board.decisionCard ?? {};
    expect(button(card, DECISION_VERBS.proceed)?.isEnabled).toBe(false);
    expect(button(card, DECISION_VERBS.conditional)?.isEnabled).not.toBe(false);
    const cardMessageId = board.cardMessageId;

    // A board member's Proceed is refused, privately, naming the blockers; nothing changes, the card stays.
    let before = await state(projectId);
    let sent = h.connector.sent.length;
    const proceed = await vote(board, sam, { choice: "proceed" }, "The timetable will not move.");
    expect(proceed.message).toContain("Proceed is not possible while 2 blockers stand");
    expect(proceed.message).toContain("Carers at Riverside: 80% trained, below the 95% threshold.");
    expect(proceed.message).toContain("Access problems unresolved (amber).");
    expect(proceed.message).toContain("Nothing was changed.");
    expect(await state(projectId)).toEqual(before);
    expect(h.connector.sent.slice(sent)).toEqual([]);

    // Conditions answering the two blockers, in the order the card shows them.
    const conditions: ConditionTyped[] = [
      {
        text: "Riverside carers reach 95% training before the first night shift",
        owner: grace,
        due: inDays(14),
      },
      { text: "Every night carer logs in on the new devices", owner: tom, due: inDays(7) },
    ];

    // Someone who is not on the board is refused, naming the role; nothing changes, the card stays.
    sent = h.connector.sent.length;
    const outsider = await vote(board, tom, { choice: "conditional", conditions }, "I run operations.");
    expect(outsider.message).toContain("Only the project board member can vote on the go-live decision.");
    expect(outsider.message).toContain("Nothing was changed.");
    expect(await state(projectId)).toEqual(before);
    expect(h.connector.sent.slice(sent)).toEqual([]);

    // Members vote; after each vote the posted card shows everyone the tally and who has not voted.
    const castAndSeen = async (
      who: Someone,
      ballot: Ballot,
      rationale: string,
      tally: string,
      notVoted: string,
    ) => {
      const since = h.connector.sent.length;
      const returned = expectCard(await vote(board, who, ballot, rationale));
      expect(cardText(returned)).toContain(tally);
      const updates = cardUpdates(board, since);
      expect(updates.length).toBeGreaterThan(0);
      const shown = cardText(updates.at(-1)?.activity);
      expect(shown).toContain(tally);
      expect(shown).toContain(notVoted);
      expect(shown).toContain(rationale);
    };
    await castAndSeen(
      sam,
      { choice: "conditional", conditions },
      "Go live, but only with both gaps closed within the fortnight.",
      "Proceed 0 · Delay 0 · Conditional 1",
      "Not voted yet: Nadia Hussain, Owen Price, Ruth Adeyemi",
    );
    await castAndSeen(
      nadia,
      { choice: "delay", newDate: inDays(45) },
      "Night staff cannot log in: wait until they can.",
      "Proceed 0 · Delay 1 · Conditional 1",
      "Not voted yet: Owen Price, Ruth Adeyemi",
    );
    await castAndSeen(
      nadia,
      { choice: "conditional", conditions },
      "Having heard the IT plan, conditional is safe.",
      "Proceed 0 · Delay 0 · Conditional 2",
      "Not voted yet: Owen Price, Ruth Adeyemi",
    );
    await castAndSeen(
      owen,
      { choice: "conditional", conditions },
      "The conditions cover the risks.",
      "Proceed 0 · Delay 0 · Conditional 3",
      "Not voted yet: Ruth Adeyemi",
    );
    // The change of vote is kept: both of Nadia's votes are in the log, the second naming the first.
    const nadiasVotes = (await entriesOf(projectId, "decision.vote-cast")).filter(
      (e) => e.vote.voter.objectId === nadia.objectId,
    );
    expect(nadiasVotes.map((e) => e.vote.choice)).toEqual(["delay", "conditional"]);
    expect(nadiasVotes[1]?.previous?.choice).toBe("delay");
    expect(nadiasVotes[1]?.previous?.rationale).toBe("Night staff cannot log in: wait until they can.");

    // Only the chair closes the vote.
    before = await state(projectId);
    sent = h.connector.sent.length;
    const notChair = await closeVote(board, owen);
    expect(notChair.message).toContain("Only the project board chair can close the vote.");
    expect(await state(projectId)).toEqual(before);
    expect(cardUpdates(board, sent)).toEqual([]);

    sent = h.connector.sent.length;
    const closed = cardText(expectCard(await closeVote(board, chair)));
    expect(closed).toContain("Outcome: Conditional approval");
    expect(cardText(cardUpdates(board, sent).at(-1)?.activity)).toContain("Outcome: Conditional approval");

    // The minutes: outcome, every voter and why, the blockers and the conditions.
    const minutes = await say(board, tom, "minutes");
    expect(minutes).toContain("Governance minutes: go-live decision for Oak House & Riverside go-live");
    expect(minutes).toContain("Outcome: Conditional approval");
    expect(minutes).toContain("Votes: Proceed 0 · Delay 0 · Conditional 3");
    expect(minutes).toContain("Closed by Ruth Adeyemi");
    expect(minutes).toContain("Board members who did not vote: Ruth Adeyemi");
    for (const [who, rationale] of [
      [sam, "Go live, but only with both gaps closed within the fortnight."],
      [nadia, "Having heard the IT plan, conditional is safe."],
      [owen, "The conditions cover the risks."],
    ] as const) {
      expect(minutes).toContain(`${who.name} — Conditional (2 conditions): ${rationale}`);
    }
    expect(minutes).toContain("Carers at Riverside: 80% trained, below the 95% threshold.");
    expect(minutes).toContain(`Grace Mensah, due ${inDays(14)}: ${conditions[0]?.text}`);
    expect(minutes).toContain(`Tom Okafor, due ${inDays(7)}: ${conditions[1]?.text}`);

    // The conditions, with owner and due date.
    const listed = await say(board, priya, "conditions");
    expect(listed).toContain("2 conditions: 2 open");
    expect(listed).toContain(`C1: ${conditions[0]?.text}`);
    expect(listed).toContain(`Owner: Grace Mensah · Due: ${inDays(14)}`);
    expect(listed).toContain(`C2: ${conditions[1]?.text}`);
    expect(listed).toContain(`Owner: Tom Okafor · Due: ${inDays(7)}`);

    // Only the owner marks a condition met; the project lead waives one with a reason.
    expect(await say(board, tom, "condition met C1 I checked the figures")).toContain(
      "Only Grace Mensah, who owns C1, can mark it met.",
    );
    expect(await say(board, grace, "condition met C1 19 of 20 Riverside carers trained, 95%")).toContain(
      "Condition C1 met.",
    );
    expect(await say(board, tom, "condition waive C2 Not needed")).toContain(
      "Only the project lead can waive a condition.",
    );
    expect(
      await say(board, priya, "condition waive C2 Night staff use the paper fallback until IT fixes log-in"),
    ).toContain("Condition C2 waived.");
    const after = await say(board, priya, "conditions");
    expect(after).toContain("Evidence: 19 of 20 Riverside carers trained, 95%");
    expect(after).toContain("Waived because: Night staff use the paper fallback until IT fixes log-in");

    // The project is live from its go-live date, and the log is intact.
    const final = await state(projectId);
    expect(final.project.phase).toBe("live");
    expect(final.project.liveFrom).toBe(GO_LIVE);
    expect(final.conditions.map((c) => [c.id, c.state, c.owner.objectId])).toEqual([
      ["C1", "met", grace.objectId],
      ["C2", "waived", tom.objectId],
    ]);
    expect((await entriesOf(projectId, "access.refused")).map((e) => [e.by, e.attempted])).toEqual([
      [sam.name, DECISION_VERBS.proceed],
      [tom.name, DECISION_VERBS.conditional],
      [owen.name, DECISION_VERBS.close],
      // The typed condition commands refused above are logged too.
      [tom.name, "condition.met"],
      [tom.name, "condition.waive"],
    ]);
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true });
    expect(cardMessageId).toBe(board.cardMessageId);

    // Every card the bot sent is valid for Teams.
    expect(board.cards.length).toBeGreaterThan(10);
    for (const c of board.cards) expect(validateCard(c)).toEqual([]);
  }, 90_000);

  it("counts ten board members voting at the same moment, each clicking twice, exactly", async () => {
    const names = ["Ada", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gita", "Hugo", "Iris"].map(
      (n) => `${n} Board`,
    );
    const board = await projectWithBoard(names, "ready", "Zoe Chair");
    const { projectId } = board;
    await openDecision(board);
    const everyone = [board.chair, ...board.members];
    expect(everyone).toHaveLength(10);
    const ballotOf = (i: number): Ballot =>
      i % 2 === 0 ? { choice: "proceed" } : { choice: "delay", newDate: inDays(40 + i) };
    const rationaleOf = (i: number) => `Member ${i}'s own reasons`;

    const since = h.connector.sent.length;
    const results = await Promise.all(
      everyone.flatMap((who, i) => [0, 1].map(() => vote(board, who, ballotOf(i), rationaleOf(i)))),
    );
    for (const r of results) expectCard(r);

    // The tally is each member's own vote, once.
    const decision = (await state(projectId)).decisions[0];
    expect(decision?.votes).toHaveLength(10);
    everyone.forEach((who, i) => {
      const own = decision?.votes.filter((v) => v.voter.objectId === who.objectId) ?? [];
      expect(own).toHaveLength(1);
      const ballot = ballotOf(i);
      expect(own[0]).toMatchObject({
        choice: ballot.choice,
        rationale: rationaleOf(i),
        ...(ballot.choice === "delay" ? { newDate: ballot.newDate } : {}),
      });
    });
    const cast = await entriesOf(projectId, "decision.vote-cast");
    for (const who of everyone) {
      expect(cast.filter((e) => e.vote.voter.objectId === who.objectId)).toHaveLength(1);
    }

    // Everyone sees the full tally on the posted card.
    const last = cardText(cardUpdates(board, since).at(-1)?.activity);
    expect(last).toContain("Proceed 5 · Delay 5 · Conditional 0");
    expect(last).toContain("Everyone has voted.");
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true });
  }, 90_000);

  it("refuses crafted invokes with a clear message, changes nothing and logs each refusal", async () => {
    const board = await projectWithBoard(["Sam Whitfield", "Nadia Hussain"], "with blockers");
    const { projectId, chair } = board;
    const [sam, nadia] = board.members as [Someone, Someone];
    const elsewhere = new TeamsChannel(h);
    await elsewhere.say(priya, "setup Elm Court go-live");
    const elsewhereId = projectIdForChannel(elsewhere.where.channel.channelId);
    const elsewhereBefore = await state(elsewhereId);
    await openDecision(board);

    /** A crafted press: refused with `message`, nothing changed, the card not updated. */
    const refusedWith = async (crafted: Promise<{ message?: string }>, message: string) => {
      const before = await state(projectId);
      const sent = h.connector.sent.length;
      const result = await crafted;
      expect(result.message).toContain(message);
      expect(result.message).toContain("Nothing was changed.");
      expect(await state(projectId)).toEqual(before);
      expect(cardUpdates(board, sent)).toEqual([]);
    };
    const delay = ballotData(board, { choice: "delay", newDate: inDays(60) }, "Not ready.");

    // Proceed with blockers, although the card's button is disabled.
    await refusedWith(
      press(board, sam, DECISION_VERBS.proceed, ballotData(board, { choice: "proceed" }, "Go.")),
      "Proceed is not possible while 2 blockers stand",
    );
    // A verb no card has.
    await refusedWith(press(board, sam, "decision.veto", delay), "This card's button is not one I know.");
    // The card of another channel's project.
    await refusedWith(
      press(board, sam, DECISION_VERBS.delay, { ...delay, projectId: elsewhereId }),
      "This card belongs to another project's channel.",
    );
    expect(await state(elsewhereId)).toEqual(elsewhereBefore);
    // Someone who is not on the board.
    await refusedWith(
      press(board, grace, DECISION_VERBS.delay, delay),
      "Only the project board member can vote on the go-live decision.",
    );

    // After the chair closes the vote, no vote counts.
    expectCard(await vote(board, sam, { choice: "delay", newDate: inDays(60) }, "Not ready."));
    expectCard(await vote(board, nadia, { choice: "delay", newDate: inDays(60) }, "Not ready either."));
    expect(cardText(expectCard(await closeVote(board, chair)))).toContain("Outcome: Delay");
    await refusedWith(
      press(board, nadia, DECISION_VERBS.delay, { ...delay, rationale: "Changed my mind" }),
      "The vote on D1 is closed; votes can no longer change.",
    );

    expect((await entriesOf(projectId, "access.refused")).map((e) => [e.by, e.attempted])).toEqual([
      [sam.name, DECISION_VERBS.proceed],
      [sam.name, "unknown card action decision.veto"],
      [sam.name, DECISION_VERBS.delay],
      [grace.name, DECISION_VERBS.delay],
      [nadia.name, DECISION_VERBS.delay],
    ]);
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true });
  }, 90_000);

  it("refuses a crafted date that is not a real calendar date with a clear message", async () => {
    const board = await projectWithBoard(["Sam Whitfield", "Nadia Hussain"], "with blockers");
    const [sam] = board.members as [Someone];
    await openDecision(board);
    const before = await state(board.projectId);

    // Shaped like a date, but there is no 30 February: for Delay's new date, and for a condition's due date.
    const delay = await vote(board, sam, { choice: "delay", newDate: "2099-02-30" }, "Not ready.");
    const conditional = await vote(
      board,
      sam,
      {
        choice: "conditional",
        conditions: [
          { text: "Riverside carers trained", owner: grace, due: "2099-02-30" },
          { text: "Night staff can log in", owner: tom, due: inDays(7) },
        ],
      },
      "Go with conditions.",
    );
    for (const answer of [delay, conditional]) {
      expect(answer.message).not.toContain("Something went wrong");
      expect(answer.message).toContain("Nothing was changed.");
    }
    expect(await state(board.projectId)).toEqual(before);
  }, 90_000);

  it("closes a tie between proceed and delay as a delay, back to preparing with the new date, once quorum is reached", async () => {
    const board = await projectWithBoard(["Sam Whitfield", "Nadia Hussain", "Owen Price"], "ready");
    const { projectId, chair } = board;
    const [sam, nadia, owen] = board.members as [Someone, Someone, Someone];
    const posted = await openDecision(board);
    expect(posted).toContain("No blockers: the board may proceed.");
    expect(button(board.decisionCard ?? {}, DECISION_VERBS.proceed)?.isEnabled).not.toBe(false);
    expect(posted).toContain("Votes needed before the chair can close: 3");
    const newDate = inDays(60);

    expectCard(await vote(board, sam, { choice: "proceed" }, "Every area is green."));
    expectCard(await vote(board, nadia, { choice: "delay", newDate }, "Staff are tired after winter."));

    // Two of four have voted: the chair cannot close yet.
    const before = await state(projectId);
    const early = await closeVote(board, chair);
    expect(early.message).toContain("Quorum is 3 of 4 board members; 2 have voted.");
    expect(await state(projectId)).toEqual(before);

    expectCard(await vote(board, owen, { choice: "proceed" }, "The evidence is complete."));
    expectCard(await vote(board, chair, { choice: "delay", newDate }, "Better a calm start in spring."));

    const sent = h.connector.sent.length;
    const closed = cardText(expectCard(await closeVote(board, chair)));
    expect(closed).toContain("Outcome: Delay");
    expect(closed).toContain("Votes: Proceed 2 · Delay 2 · Conditional 0");
    expect(closed).toContain(`New target or review date: ${newDate}.`);
    expect(cardText(cardUpdates(board, sent).at(-1)?.activity)).toContain("Outcome: Delay");

    const minutes = await say(board, sam, "minutes");
    expect(minutes).toContain("Outcome: Delay");
    expect(minutes).toContain("No blockers.");

    const final = await state(projectId);
    expect(final.project.phase).toBe("preparing");
    expect(final.project.settings.goLiveDate).toBe(newDate);
    expect(final.project.liveFrom).toBeUndefined();
    expect(final.decisions[0]?.state).toBe("closed");
    expect((await entriesOf(projectId, "access.refused")).map((e) => [e.by, e.attempted])).toEqual([
      [chair.name, DECISION_VERBS.close],
    ]);
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true });
    for (const c of board.cards) expect(validateCard(c)).toEqual([]);
  }, 90_000);
});
