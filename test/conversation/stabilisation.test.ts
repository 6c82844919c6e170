import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STABILISATION_VERBS } from "../../adaptive-cards/stabilisationCards.js";
import { runScheduledReviews, SCHEDULER } from "../../bot/reviews.js";
import { projectIdForChannel } from "../../governance/project.js";
import { AUDIT_MEASURES } from "../../governance/stabilisation.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { validateCard } from "../support/cardValidation.js";
import { buttonAnywhere, TeamsChannel } from "../support/channel.js";
import { PEOPLE, type Someone } from "../support/fixtures.js";
import { cardText } from "../support/stubConnector.js";

/** Simulated time: weeks pass between steps. Monday 5 January 2026, 09:00 in London (GMT). */
let now = new Date("2026-01-05T09:00:00Z");
const DAY = 24 * 3_600_000;
const advance = (days: number) => {
  now = new Date(now.getTime() + days * DAY);
};

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness({ clock: () => now });
});
afterAll(async () => {
  await h?.close();
});

// Project lead; team leader; registered manager of both sites; quality lead; and a member of the SLT.
const { priya, tom, grace, dev } = PEOPLE;
const ada: Someone = {
  objectId: "aa000000-0000-4000-8000-00000000000b",
  name: "Ada Whitfield",
  teamsId: "29:ada",
};

const action = buttonAnywhere;

/** An audit where every measure passes `passed` of 100 records. */
function audit(site: string, passed: number) {
  const inputs: Record<string, unknown> = {
    site,
    kind: "stabilisation",
    notes: "Sampled 100 records per measure.",
  };
  for (const m of AUDIT_MEASURES) {
    inputs[`${m}:checked`] = "100";
    inputs[`${m}:passed`] = String(m === "care-plan-access" ? Math.max(passed, 98) : passed);
  }
  return inputs;
}

describe("stabilisation, across simulated weeks", () => {
  it("audits, an anonymous pulse, the risk log, the weekly review and the SLT's decision on the evidence", async () => {
    h.connector.addMembers({ id: ada.teamsId, name: ada.name, aadObjectId: ada.objectId });
    const channel = new TeamsChannel(h);
    const projectId = projectIdForChannel(channel.where.channel.channelId);
    await channel.say(priya, "setup Oak House & Riverside go-live");
    await channel.press(priya, "project.settings", {
      ...channel.buttonData(channel.lastCardWith("project.settings"), "project.settings"),
      sites: "Oak House, Riverside",
      timeZone: "Europe/London",
      digestTime: "08:00",
    });
    await channel.say(priya, "role add registered manager @Grace Mensah", [grace]);
    await channel.say(priya, "role add team leader @Tom Okafor", [tom]);
    await channel.say(priya, "role add quality lead @Dev Patel", [dev]);
    await channel.say(priya, "role add slt @Ada Whitfield", [ada]);
    await h.runtime.log.change({
      projectId,
      idempotencyKey: "test:live",
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
                  effectiveFrom: "2026-01-05",
                  reason: "test",
                },
              ],
            }
          : { outcome: "unchanged", message: "no project" },
    });

    // Week 1: the quality lead's audits; a team leader may not record one.
    advance(7);
    expect(await channel.say(tom, "audit")).toContain("Only the quality lead");
    await channel.say(dev, "audit");
    const form = channel.lastCardWith(STABILISATION_VERBS.audit);
    expect(validateCard(form)).toEqual([]);
    const ids = action(form, STABILISATION_VERBS.audit);
    const first = await channel.press(dev, STABILISATION_VERBS.audit, { ...ids, ...audit("Oak House", 96) });
    expect(cardText(first.card)).toContain("Oak House");
    await channel.press(dev, STABILISATION_VERBS.audit, { ...ids, ...audit("Riverside", 94) });
    expect((await h.runtime.log.readState(projectId))?.project.phase).toBe("stabilisation");

    // An anonymous pulse: five people answer, one changes their answer; nobody is written down.
    await channel.say(priya, "pulse anonymous");
    const pulse = action(
      channel.lastCardWith(STABILISATION_VERBS.pulseAnswer),
      STABILISATION_VERBS.pulseAnswer,
    );
    for (const [who, score] of [
      [priya, 5],
      [tom, 2],
      [grace, 4],
      [dev, 5],
      [ada, 4],
    ] as Array<[Someone, number]>) {
      const answered = await channel.press(who, STABILISATION_VERBS.pulseAnswer, {
        ...pulse,
        score: String(score),
      });
      expect(answered.message).toContain("recorded anonymously");
    }
    await channel.press(tom, STABILISATION_VERBS.pulseAnswer, {
      ...pulse,
      score: "4",
      comment: "Better after coaching",
    });
    const state = await h.runtime.log.readState(projectId);
    const answers = state?.stabilisation.pulses.at(-1)?.answers ?? [];
    expect(answers).toHaveLength(5);
    expect(answers.map((a) => a.score).sort()).toEqual([4, 4, 4, 5, 5]);
    const everything: string[] = [];
    for await (const e of h.runtime.log.entries(projectId)) everything.push(JSON.stringify(e));
    const pulseEntries = everything.filter((e) => e.includes("pulse.answered"));
    expect(pulseEntries).toHaveLength(6);
    for (const entry of pulseEntries) {
      for (const person of [priya, tom, grace, dev, ada]) {
        expect(entry).not.toContain(person.objectId);
        expect(entry).not.toContain(person.name);
        expect(entry).not.toContain(person.teamsId);
      }
    }
    expect(JSON.stringify(state?.stabilisation.pulses)).not.toContain(tom.objectId);
    // Results: to the project lead, not to a team leader.
    expect(await channel.say(tom, "pulse results")).toContain(
      "Only the project lead and the registered managers",
    );
    // In chat the results are not posted to the channel; the card's button shows them to the requester alone.
    expect(await channel.say(priya, "pulse results")).toContain("shown to you alone");
    const results = await channel.press(priya, STABILISATION_VERBS.pulseResults, pulse);
    expect(cardText(results.card)).toMatch(/5 answers/);
    // One team leader among managers: no breakdown that would single Tom out.
    expect(cardText(results.card)).toContain("hidden while a group has fewer than three answers");
    expect(cardText(results.card)).not.toContain("Team leader");

    // A risk, then closed with evidence by its owner.
    await channel.say(tom, "risk Night staff still unsure how to record PRN medication");
    const riskCard = channel.lastCardWith(STABILISATION_VERBS.riskClose);
    const closed = await channel.press(tom, STABILISATION_VERBS.riskClose, {
      ...action(riskCard, STABILISATION_VERBS.riskClose),
      evidence: "PRN coaching done on all night shifts; spot check of 20 PRN records correct",
    });
    expect(cardText(closed.card)).toMatch(/closed/i);

    // The weekly stabilisation review is posted by the dispatcher; the SLT may not close yet.
    h.connector.clear();
    const tick = await runScheduledReviews(h.runtime.reviews, now, {
      channels: [channel.where.channel.channelId],
    });
    expect(tick.stabilisationReviews).toBe(1);
    const report = h.connector.cards().find((c) => JSON.stringify(c).includes("Stabilisation report"));
    expect(report).toBeDefined();
    expect(validateCard(report)).toEqual([]);
    const decide = action(report, STABILISATION_VERBS.decide);
    const notSlt = await channel.press(priya, STABILISATION_VERBS.decide, {
      ...decide,
      choice: "close",
      rationale: "Stable",
    });
    expect(notSlt.message).toContain("Only the senior leadership team");
    const tooSoon = await channel.press(ada, STABILISATION_VERBS.decide, {
      ...decide,
      choice: "close",
      rationale: "Stable",
    });
    expect(tooSoon.message).toContain("Close is refused while the exit criteria fail");
    expect(tooSoon.message).toContain("only one stabilisation audit");

    // Week 2: both sites meet every threshold; the SLT closes; follow-up audits are scheduled.
    advance(7);
    await channel.press(dev, STABILISATION_VERBS.audit, { ...ids, ...audit("Oak House", 97) });
    await channel.press(dev, STABILISATION_VERBS.audit, { ...ids, ...audit("Riverside", 95) });
    const stillBelow = await channel.press(ada, STABILISATION_VERBS.decide, {
      ...decide,
      choice: "close",
      rationale: "Stable",
    });
    expect(stillBelow.message).toContain("Riverside");
    // A re-audit the same day is not a second weekly audit: week 3's audits are needed.
    await channel.press(dev, STABILISATION_VERBS.audit, { ...ids, ...audit("Riverside", 96) });
    const sameWeek = await channel.press(ada, STABILISATION_VERBS.decide, {
      ...decide,
      choice: "close",
      rationale: "Stable",
    });
    expect(sameWeek.message).toContain("not a week apart");
    advance(7);
    await channel.press(dev, STABILISATION_VERBS.audit, { ...ids, ...audit("Oak House", 98) });
    await channel.press(dev, STABILISATION_VERBS.audit, { ...ids, ...audit("Riverside", 97) });
    const closedControls = await channel.press(ada, STABILISATION_VERBS.decide, {
      ...decide,
      choice: "close",
      rationale: "Two weeks of audits at threshold, staff confident, no open high-risk issue",
    });
    expect(cardText(closedControls.card)).toContain("Two weeks of audits at threshold");
    const after = await h.runtime.log.readState(projectId);
    expect(after?.project.phase).toBe("routine-governance");
    expect(after?.stabilisation.followUps.map((f) => f.months)).toEqual([1, 3, 6]);

    // A month on, the follow-up audit is reminded to the quality lead, once.
    advance(31);
    h.connector.clear();
    await runScheduledReviews(h.runtime.reviews, now, { channels: [channel.where.channel.channelId] });
    await runScheduledReviews(h.runtime.reviews, now, { channels: [channel.where.channel.channelId] });
    const reminders = h.connector.sent.filter((s) =>
      String(s.activity.text ?? "").includes("follow-up audit"),
    );
    expect(reminders).toHaveLength(1);
    expect(JSON.stringify(reminders[0]?.activity.entities)).toContain(dev.objectId);
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true, stateChecked: true });
  });

  it("refuses crafted invokes and other people's changes, logging each, and lets the quality lead set thresholds", async () => {
    const channel = new TeamsChannel(h);
    const projectId = projectIdForChannel(channel.where.channel.channelId);
    await channel.say(priya, "setup Crafted go-live");
    await channel.say(priya, "role add team leader @Tom Okafor", [tom]);
    await channel.say(priya, "role add quality lead @Dev Patel", [dev]);
    const head = async () => (await h.runtime.log.head(projectId))?.seq ?? 0;

    // A team leader presses the quality lead's Save on a crafted card: refused, nothing recorded, refusal logged.
    const before = await head();
    const crafted = await channel.press(tom, STABILISATION_VERBS.audit, {
      projectId,
      ...audit("Anywhere", 99),
    });
    expect(crafted.message).toContain("Only the quality lead");
    expect(await head()).toBe(before + 1);
    const entries: string[] = [];
    for await (const e of h.runtime.log.entries(projectId)) entries.push(JSON.stringify(e));
    expect(entries.at(-1)).toContain("access.refused");
    expect((await h.runtime.log.readState(projectId))?.stabilisation.audits).toEqual([]);

    // An SLT decision from a card of another project's channel: refused.
    const elsewhere = await channel.press(ada, STABILISATION_VERBS.decide, {
      projectId: "p-someone-elses",
      choice: "close",
      rationale: "x",
    });
    expect(elsewhere.message).toContain("another project");

    // Thresholds: shown to anyone, changed by the quality lead (not by a team leader), before and after logged.
    expect(await channel.say(tom, "audit thresholds")).toContain("Care plan access 98%");
    expect(await channel.say(tom, "audit threshold care-plan-access 97")).toContain(
      "Only the quality lead or the project lead",
    );
    expect(await channel.say(dev, "audit threshold care-plan-access 97")).toContain("Care plan access 97%");
    expect(await channel.say(dev, "audit threshold confidence 150")).toContain("whole numbers from 1 to 100");
    expect(
      (await h.runtime.log.readState(projectId))?.stabilisation.thresholds.measures["care-plan-access"],
    ).toBe(97);
  });
});
