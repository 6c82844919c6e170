import { InvocationContext, type Timer } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIGEST_VERBS } from "../../adaptive-cards/digestCards.js";
import { runScheduledReviews, SCHEDULER } from "../../bot/reviews.js";
import { createReviewsTimerHandler } from "../../functions/reviewsTimer.js";
import { projectIdForChannel } from "../../governance/project.js";
import { addDays, localNow } from "../../governance/schedule.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { validateCard } from "../support/cardValidation.js";
import { TeamsChannel } from "../support/channel.js";
import { PEOPLE } from "../support/fixtures.js";
import { cardText } from "../support/stubConnector.js";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});

// Project lead; team leader; registered manager of Oak House; board member.
const { priya, tom, grace, dev } = PEOPLE;

/** A project live since yesterday, with a few issues raised today through Teams. */
async function liveProject(name: string) {
  const channel = new TeamsChannel(h);
  const projectId = projectIdForChannel(channel.where.channel.channelId);
  await channel.say(priya, `setup ${name}`);
  await channel.press(priya, "project.settings", {
    ...channel.buttonData(channel.lastCardWith("project.settings"), "project.settings"),
    sites: "Oak House, Riverside",
    timeZone: "Europe/London",
    digestTime: "08:00",
  });
  await channel.say(priya, "role add registered manager @Grace Mensah site: Oak House", [grace]);
  await channel.say(priya, "role add team leader @Tom Okafor", [tom]);
  await channel.say(priya, "role add board @Dev Patel", [dev]);
  const today = localNow(new Date(), "Europe/London").date;
  // Went live yesterday: the board's decision is another test's subject; here the phase is recorded directly.
  await h.runtime.log.change({
    projectId,
    idempotencyKey: `test:live:${projectId}`,
    actor: SCHEDULER,
    decide: (state) =>
      state
        ? {
            outcome: "record",
            events: [
              {
                kind: "project.phase-changed",
                from: state.project.phase,
                to: "live",
                effectiveFrom: addDays(today, -1),
                reason: "test",
              },
            ],
          }
        : { outcome: "unchanged", message: "no project" },
  });
  for (const text of [
    "raise system care site: Oak House; eMAR not syncing on the night tablets",
    "raise system care site: Oak House; MAR chart didn't sync after the round",
    "raise system site: Oak House; medication record not updating on the iPad",
    "raise P1 care workaround site: Oak House; sensor mat alerts not reaching the handset",
  ]) {
    await channel.say(tom, text);
  }
  return { channel, projectId };
}

function tick(at: Date) {
  const logged: string[] = [];
  const context = new InvocationContext({
    functionName: "reviews",
    invocationId: `tick-${at.toISOString()}`,
    logHandler: (_level, ...args) => logged.push(args.map(String).join(" ")),
  });
  const timer: Timer = {
    schedule: { adjustForDST: true },
    isPastDue: false,
    scheduleStatus: { last: "", next: "", lastUpdated: "" },
  };
  const handler = createReviewsTimerHandler(
    () => Promise.resolve(h.runtime),
    () => at,
  );
  return { run: () => handler(timer, context), logged };
}

/** Tomorrow at a London wall-clock time, as an instant (tomorrow, so the issues raised now are "yesterday"). */
function tomorrowAt(time: string): Date {
  const tomorrow = addDays(localNow(new Date(), "Europe/London").date, 1);
  // Find the instant whose London time is `time` on that date (DST-safe: try both offsets).
  for (const offset of [0, -1]) {
    const guess = new Date(`${tomorrow}T${time}:00.000Z`);
    guess.setUTCHours(guess.getUTCHours() + offset);
    const local = localNow(guess, "Europe/London");
    if (local.date === tomorrow && local.time === time) return guess;
  }
  throw new Error("no such London time");
}

const digestsPosted = (channelId: string) =>
  h.connector.sent.filter(
    (s) => s.conversationId === channelId && JSON.stringify(s.activity).includes("Daily digest"),
  );

describe("the daily digest, from the Functions timer", () => {
  it("posts one digest per morning however often the timer fires, and catches up a missed tick", async () => {
    const { channel, projectId } = await liveProject("Digest go-live");
    const channelId = channel.where.channel.channelId;
    h.connector.clear();

    // Tomorrow 07:45: today's digest never went out (no tick ran), so it is caught up now — once.
    await tick(tomorrowAt("07:45")).run();
    await tick(tomorrowAt("07:50")).run();
    expect(digestsPosted(channelId)).toHaveLength(1);
    // Tomorrow's 08:00 tick is missed; 08:15 posts tomorrow's digest; 08:30 and a repeat of 08:15 post nothing.
    const first = tick(tomorrowAt("08:15"));
    await first.run();
    expect(first.logged.join("\n")).toMatch(/1 digests/);
    await tick(tomorrowAt("08:30")).run();
    await tick(tomorrowAt("08:15")).run();
    const posted = digestsPosted(channelId);
    expect(posted).toHaveLength(2);

    // The digest: yesterday's issues, the repeated eMAR theme, the unsafe-workaround question's P1, advice.
    const card = posted[1]?.activity.attachments?.[0]?.content ?? {};
    expect(validateCard(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain("Digest go-live");
    expect(text).toMatch(/Repeated themes/);
    expect(text).toContain("GL-4");
    expect(text).toMatch(/Increase go-live support/);

    // The run is in the governance log, with what the digest said; the chain still verifies.
    const state = await h.runtime.log.readState(projectId);
    expect(state?.reviews[0]).toMatchObject({ review: "daily-digest", state: "posted" });
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true, stateChecked: true });
  });

  it("lets board members record continue / increase / reduce on the digest, and no one else", async () => {
    const { channel, projectId } = await liveProject("Decision go-live");
    h.connector.clear();
    await tick(tomorrowAt("08:05")).run();
    const card =
      digestsPosted(channel.where.channel.channelId).at(-1)?.activity.attachments?.[0]?.content ?? {};
    const decide = JSON.stringify(card).match(/"verb":"digest\.decide","data":(\{[^}]*\})/);
    expect(decide).not.toBeNull();
    const data = JSON.parse(decide?.[1] ?? "{}") as Record<string, unknown>;

    const refused = await channel.press(tom, DIGEST_VERBS.decide, {
      ...data,
      choice: "reduce",
      rationale: "Quiet on the floor",
    });
    expect(refused.message).toContain("Only project board members");
    const recorded = await channel.press(dev, DIGEST_VERBS.decide, {
      ...data,
      choice: "increase",
      rationale: "Second supplier engineer on site until the eMAR sync is fixed",
    });
    expect(cardText(recorded.card)).toContain("Second supplier engineer on site");
    const state = await h.runtime.log.readState(projectId);
    expect(state?.reviews[0]?.decisions).toMatchObject([{ by: "Dev Patel", choice: "increase" }]);
  });

  it("reminds once per state: a quiet P1 an hour on", async () => {
    const { channel } = await liveProject("Reminder go-live");
    const channelId = channel.where.channel.channelId;
    h.connector.clear();
    const later = new Date(Date.now() + 61 * 60_000);
    await tick(later).run();
    await tick(new Date(later.getTime() + 15 * 60_000)).run();
    const reminders = h.connector.sent.filter(
      (s) =>
        s.conversationId === channelId && String(s.activity.text ?? "").includes("no update for an hour"),
    );
    expect(reminders).toHaveLength(1);
    const mentioned = ((reminders[0]?.activity.entities ?? []) as Array<{ mentioned: { id: string } }>).map(
      (e) => e.mentioned.id,
    );
    expect(mentioned).toContain(grace.objectId);
  });

  it("records a channel that removed the app (403) in its project's log, and does not retry it", async () => {
    const { channel, projectId } = await liveProject("Removed go-live");
    h.connector.clear();
    h.connector.respondNext({
      status: 403,
      body: { error: { code: "MessageWritesBlocked", message: "Thread is blocked" } },
    });
    // Only this project's channel: another test project's post must not take the scripted 403.
    const only = { channels: [channel.where.channel.channelId] };
    const totals = await runScheduledReviews(h.runtime.reviews, tomorrowAt("08:10"), only);
    expect(totals.failures).toBeGreaterThanOrEqual(1);
    const entries = [];
    for await (const e of h.runtime.log.entries(projectId)) entries.push(JSON.stringify(e));
    expect(entries.join("\n")).toContain("channel.blocked");
    expect(entries.join("\n")).toContain("review.failed");
    // The reference is marked: the next tick does not try the channel again.
    const stored = await h.runtime.reviews.references.get(channel.where.channel.channelId);
    expect(stored?.installed).toBe(false);
    const attempts = h.connector.arrivals.length;
    await runScheduledReviews(h.runtime.reviews, tomorrowAt("08:25"), only);
    expect(h.connector.arrivals.length).toBe(attempts);
  });
});
