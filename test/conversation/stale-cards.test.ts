import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECISION_VERBS } from "../../adaptive-cards/decisionCards.js";
import { READINESS_VERBS } from "../../adaptive-cards/readinessCards.js";
import { projectIdForChannel } from "../../governance/project.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { TeamsChannel } from "../support/channel.js";
import { PEOPLE } from "../support/fixtures.js";
import { cardText } from "../support/stubConnector.js";

// Cards stay in a channel for days: a button on an older card must never record something the person did not see.
let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});

const { priya, tom, grace } = PEOPLE;

async function projectWithBoard() {
  const channel = new TeamsChannel(h);
  await channel.say(priya, "setup Elm Court go-live");
  await channel.say(priya, "role add chair @Tom Okafor", [tom]);
  await channel.say(priya, "role add board @Grace Mensah", [grace]);
  return { channel, projectId: projectIdForChannel(channel.where.channel.channelId) };
}

async function recordAccess(channel: TeamsChannel, rag: "red" | "amber" | "green") {
  await channel.say(priya, "readiness");
  const checklist = channel.lastCardWith(READINESS_VERBS.form);
  const form = await channel.press(
    priya,
    READINESS_VERBS.form,
    channel.buttonData(checklist, READINESS_VERBS.form, { form: "item" }),
  );
  const data = channel.buttonData(form.card ?? {}, READINESS_VERBS.item);
  return channel.press(priya, READINESS_VERBS.item, {
    ...data,
    area: "access",
    rag,
    owner: "IT lead",
    evidence: `Access ${rag}`,
    note: "",
  });
}

describe("buttons on cards that are out of date", () => {
  it("records a lead putting an item back to an earlier status (amber, green, amber again)", async () => {
    const { channel, projectId } = await projectWithBoard();
    for (const rag of ["amber", "green", "amber"] as const) await recordAccess(channel, rag);
    const state = await h.runtime.log.readState(projectId);
    expect(state?.readiness.items.find((i) => i.area === "access")?.rag).toBe("amber");
    expect(await channel.say(tom, "readiness")).toContain("Access problems unresolved (amber).");
  });

  it("sends a vote back when the blockers changed since the card was shown, and records nothing", async () => {
    const { channel, projectId } = await projectWithBoard();
    await channel.say(priya, "decision");
    const card = channel.lastCardWith(DECISION_VERBS.delay);
    const data = channel.buttonData(card, DECISION_VERBS.delay);
    // The access blocker clears after the card was posted.
    await recordAccess(channel, "green");
    const votesBefore = (await h.runtime.log.readState(projectId))?.decisions[0]?.votes.length;
    const sentBack = await channel.press(grace, DECISION_VERBS.delay, {
      ...data,
      rationale: "Not ready",
      newDate: "2099-01-01",
    });
    expect(cardText(sentBack.card)).toContain("The readiness blockers changed since this card was shown");
    expect((await h.runtime.log.readState(projectId))?.decisions[0]?.votes.length).toBe(votesBefore);
    // On the card it was sent back with, the same vote goes through.
    const fresh = channel.buttonData(sentBack.card ?? {}, DECISION_VERBS.delay);
    const voted = await channel.press(grace, DECISION_VERBS.delay, {
      ...fresh,
      rationale: "Not ready",
      newDate: "2099-01-01",
    });
    expect(cardText(voted.card)).toContain("Grace Mensah voted delay");
  });

  it("retires the older decision card when the decision is posted again, so only one tally is live", async () => {
    const { channel } = await projectWithBoard();
    await channel.say(priya, "decision");
    await channel.say(priya, "decision");
    const retired = h.connector.sent.find(
      (s) => s.method === "PUT" && (s.activity.text ?? "").includes("was replaced by a newer one"),
    );
    expect(retired?.activityId).toMatch(/^stub-/);
    expect(h.connector.cards().some((c) => cardText(c).includes("Go-live decision"))).toBe(true);
  });
});
