import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISSUE_VERBS } from "../../adaptive-cards/issueCards.js";
import { projectIdForChannel } from "../../governance/project.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { validateCard } from "../support/cardValidation.js";
import { TeamsChannel } from "../support/channel.js";
import { PEOPLE, type Someone, TENANT_ID } from "../support/fixtures.js";
import { cardText } from "../support/stubConnector.js";
import { personalMessage } from "../support/teams.js";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});

// Project lead; team leader; registered manager of Oak House; supplier / system lead.
const { priya, tom, grace, dev } = PEOPLE;
/** Someone with no role in the project. */
const sam: Someone = {
  objectId: "aa000000-0000-4000-8000-000000000009",
  name: "Sam Visitor",
  teamsId: "29:sam",
};

async function liveProject(name = "Oak House & Riverside go-live"): Promise<TeamsChannel> {
  const channel = new TeamsChannel(h);
  await channel.say(priya, `setup ${name}`);
  const setup = channel.lastCardWith("project.settings");
  await channel.press(priya, "project.settings", {
    ...channel.buttonData(setup, "project.settings"),
    sites: "Oak House, Riverside",
    timeZone: "Europe/London",
    digestTime: "08:00",
  });
  await channel.say(priya, "role add registered manager @Grace Mensah site: Oak House", [grace]);
  await channel.say(priya, "role add team leader @Tom Okafor", [tom]);
  await channel.say(priya, "role add supplier @Dev Patel", [dev]);
  return channel;
}

/** The data of the button with this verb anywhere on a card (buttons sit inside the card's sections). */
function action(card: unknown, verb: string, match: Record<string, unknown> = {}): Record<string, unknown> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "Action.Execute" && o.verb === verb)
        found.push((o.data ?? {}) as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  const data = found.find((d) => Object.entries(match).every(([k, v]) => d[k] === v));
  if (!data) throw new Error(`no ${verb} button on the card`);
  return data;
}

async function verified(channel: TeamsChannel) {
  const result = await h.runtime.log.verify(projectIdForChannel(channel.where.channel.channelId));
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true, stateChecked: true });
}

describe("the go-live command log, through Teams", () => {
  it("takes an issue from raising to verified closure, with log and state agreeing at every step", async () => {
    const channel = await liveProject();
    const projectId = projectIdForChannel(channel.where.channel.channelId);

    // Raised from the floor: care-impacting with a workaround, no priority given → the bot proposes P1.
    h.connector.clear();
    await channel.say(
      tom,
      "RAISE  system care workaround site: oak house; eMAR not loading on the night tablets",
    );
    const raisedCard = channel.lastCardWith(ISSUE_VERBS.triage);
    expect(validateCard(raisedCard)).toEqual([]);
    const raised = cardText(raisedCard);
    expect(raised).toContain("GL-1");
    expect(raised).toContain("P1");
    expect(raised).toMatch(/proposed/i);
    expect(raised).toContain("Oak House");
    expect(raised).toMatch(/is it unsafe/i);
    // P1 → Oak House's registered manager and the project lead are @mentioned at once, in the same thread.
    const alert = h.connector.sent.find((s) => (s.activity.entities as unknown[] | undefined)?.length);
    const mentioned = ((alert?.activity.entities ?? []) as Array<{ mentioned: { id: string } }>).map(
      (e) => e.mentioned.id,
    );
    expect(mentioned.sort()).toEqual([grace.objectId, priya.objectId].sort());
    expect(alert?.activity.text).toContain("P1 raised: GL-1");
    await verified(channel);
    const ids = action(raisedCard, ISSUE_VERBS.triage);

    // Triage by the project lead: P2, theme; the proposal is settled.
    let card = (
      await channel.press(priya, ISSUE_VERBS.triage, {
        ...ids,
        priority: "P2",
        type: "system",
        site: "Oak House",
        theme: "eMAR sync",
        careImpacting: "true",
      })
    ).card;
    expect(cardText(card)).toContain("priority P1 → P2");
    expect(cardText(card)).not.toMatch(/proposed — set it/i);
    await verified(channel);

    // Assigned to the supplier lead with a timescale.
    card = (
      await channel.press(priya, ISSUE_VERBS.assign, {
        ...ids,
        owner: dev.objectId,
        dueDate: "2030-01-15",
        dueTime: "17:00",
      })
    ).card;
    expect(cardText(card)).toContain("Assigned to Dev Patel");

    // The team leader cannot record a temporary control; the registered manager can.
    const refused = await channel.press(tom, ISSUE_VERBS.control, {
      ...ids,
      controlKind: "additional-checks",
      controlText: "Paper MAR double-signed",
    });
    expect(refused.message).toContain(
      "Only a registered manager for Oak House can record a temporary control",
    );
    expect(refused.message).toContain("Grace Mensah");
    card = (
      await channel.press(grace, ISSUE_VERBS.control, {
        ...ids,
        controlKind: "additional-checks",
        controlText: "Night medication rounds on paper MAR, second signature by the senior carer",
      })
    ).card;
    expect(cardText(card)).toContain("Night medication rounds on paper MAR");

    // The owner's update; then resolving needs closure evidence.
    card = (
      await channel.press(dev, ISSUE_VERBS.update, {
        ...ids,
        updateKind: "action",
        updateText: "Tablet sync service restarted; watching overnight",
      })
    ).card;
    expect(cardText(card)).toContain("Tablet sync service restarted");
    const noEvidence = await channel.press(dev, ISSUE_VERBS.resolve, { ...ids, evidence: "  " });
    expect(noEvidence.message).toContain("Closure evidence is required");
    card = (
      await channel.press(dev, ISSUE_VERBS.resolve, {
        ...ids,
        evidence: "Sync fixed in release 4.2.1; three nights of rounds recorded on the tablets",
      })
    ).card;
    expect(cardText(card)).toMatch(/Resolved/);
    await verified(channel);

    // Not fixed after all: reopened, resolved again, then verified by someone other than the resolver.
    card = (
      await channel.press(tom, ISSUE_VERBS.reopen, {
        ...ids,
        reason: "Room 3's tablet still shows yesterday",
      })
    ).card;
    expect(cardText(card)).toContain("Reopened");
    await channel.press(dev, ISSUE_VERBS.resolve, { ...ids, evidence: "Room 3 tablet re-enrolled; synced" });
    const selfVerify = await channel.press(dev, ISSUE_VERBS.verify, { ...ids, note: "" });
    expect(selfVerify.message).toContain("someone else must verify");
    card = (await channel.press(tom, ISSUE_VERBS.verify, { ...ids, note: "Checked on the floor" })).card;
    expect(cardText(card)).toMatch(/Closed/);
    expect(validateCard(card ?? {})).toEqual([]);
    await verified(channel);

    // The record keeps every step, in order; the log has one entry per change.
    const issue = await h.runtime.log.readIssue(projectId, "GL-1");
    expect(issue?.status).toBe("closed");
    expect(issue?.history.map((e) => e.what.split(/[:(]/)[0]?.trim())).toEqual([
      "Raised as P1",
      "Triaged",
      "Assigned to Dev Patel",
      "Temporary control",
      "Action",
      "Resolved with closure evidence",
      "Reopened",
      "Resolved with closure evidence",
      "Closure verified",
    ]);
    // Closed issues are off the open list.
    expect(await h.runtime.log.listIssues(projectId, "open")).toEqual([]);
    expect(await channel.say(priya, "issue GL-1")).toContain("Closure verified");
  });

  it("refuses people without a role, and logs the refusal", async () => {
    const channel = await liveProject("Refusals go-live");
    const projectId = projectIdForChannel(channel.where.channel.channelId);
    expect(await channel.say(sam, "raise eMAR slow")).toContain(
      "Only people with a role in this go-live project",
    );
    await channel.say(tom, "raise P3 printer for paper MAR back-up is offline");
    const card = channel.lastCardWith(ISSUE_VERBS.update);
    const before = await h.runtime.log.head(projectId);
    const refused = await channel.press(sam, ISSUE_VERBS.update, {
      ...action(card, ISSUE_VERBS.update),
      updateText: "I fixed it",
    });
    expect(refused.message).toContain("Only people with a role");
    const issue = await h.runtime.log.readIssue(projectId, "GL-1");
    expect(issue?.updateCount).toBe(0);
    // One entry: the refusal itself.
    const entries = [];
    for await (const e of h.runtime.log.entries(projectId)) entries.push(e);
    const last = entries.at(-1) as { events: Array<{ kind: string }>; seq: number };
    expect(last.seq).toBe((before?.seq ?? 0) + 1);
    expect(last.events[0]?.kind).toBe("access.refused");
  });

  it("keeps both changes, in order, when two people change one issue at once", async () => {
    const channel = await liveProject("Concurrent go-live");
    const projectId = projectIdForChannel(channel.where.channel.channelId);
    await channel.say(tom, "raise workflow P3 handover notes not showing for the late shift");
    const ids = action(channel.lastCardWith(ISSUE_VERBS.update), ISSUE_VERBS.update);
    const [a, b] = await Promise.all([
      channel.press(tom, ISSUE_VERBS.update, {
        ...ids,
        updateText: "Late shift used the paper handover sheet",
      }),
      channel.press(priya, ISSUE_VERBS.update, { ...ids, updateText: "Supplier says a fix ships tonight" }),
    ]);
    expect(a.card).toBeDefined();
    expect(b.card).toBeDefined();
    const issue = await h.runtime.log.readIssue(projectId, "GL-1");
    expect(issue?.updateCount).toBe(2);
    const texts = issue?.history.slice(1).map((e) => e.text);
    expect(texts).toHaveLength(2);
    expect(new Set(texts)).toEqual(
      new Set(["Late shift used the paper handover sheet", "Supplier says a fix ships tonight"]),
    );
    // The log's order is the record's order.
    const updates: string[] = [];
    for await (const e of h.runtime.log.entries(projectId)) {
      if ("events" in e) for (const ev of e.events) if (ev.kind === "issue.updated") updates.push(ev.text);
    }
    expect(updates).toEqual(texts);
    await verified(channel);
  });

  it("counts a double click once, but the same change made again on the newer card twice", async () => {
    const channel = await liveProject("Repeats go-live");
    const projectId = projectIdForChannel(channel.where.channel.channelId);
    await channel.say(tom, "raise P3 rota not showing the late visits");
    const first = channel.lastCardWith(ISSUE_VERBS.update);
    const chase = { ...action(first, ISSUE_VERBS.update), updateText: "Chased the supplier" };
    const [a, b] = await Promise.all([
      channel.press(priya, ISSUE_VERBS.update, chase),
      channel.press(priya, ISSUE_VERBS.update, chase),
    ]);
    expect(cardText(b.card)).toContain("Chased the supplier");
    expect((await h.runtime.log.readIssue(projectId, "GL-1"))?.updateCount).toBe(1);
    // The next day, from the card the first click returned, the same words again: a new update.
    const newer = a.card ?? {};
    await channel.press(priya, ISSUE_VERBS.update, {
      ...action(newer, ISSUE_VERBS.update),
      updateText: "Chased the supplier",
    });
    expect((await h.runtime.log.readIssue(projectId, "GL-1"))?.updateCount).toBe(2);
  });

  it("refuses text holding an NHS number and stores none of it, not even in the log", async () => {
    const channel = await liveProject("Personal data go-live");
    const projectId = projectIdForChannel(channel.where.channel.channelId);
    const said = await channel.say(tom, "raise P2 care resident 943 476 5919 missed her 8pm medication");
    expect(said).toContain("NHS number");
    expect(said).toContain("ECM record id");
    expect(await h.runtime.log.readIssue(projectId, "GL-1")).toBeUndefined();

    await channel.say(tom, "raise P3 care plan for ECM record 40213 missing the falls risk assessment");
    const ids = action(channel.lastCardWith(ISSUE_VERBS.update), ISSUE_VERBS.update);
    const refused = await channel.press(tom, ISSUE_VERBS.update, {
      ...ids,
      updateText: "NHS no 943-476-5919",
    });
    expect(refused.message).toContain("NHS number");
    expect((await h.runtime.log.readIssue(projectId, "GL-1"))?.updateCount).toBe(0);

    const everything: string[] = [];
    for await (const e of h.runtime.log.entries(projectId)) everything.push(JSON.stringify(e));
    const log = everything.join("\n");
    expect(log).not.toMatch(/943.?476.?5919/);
    expect(log).toContain("personal-data.refused");
    await verified(channel);
  });

  it("lists open issues by filter, with pages that stay valid cards", async () => {
    const channel = await liveProject("Lists go-live");
    for (let i = 1; i <= 23; i++) {
      const site = i % 2 ? "Oak House" : "Riverside";
      await channel.say(
        tom,
        `raise ${i % 5 === 0 ? "care " : ""}P${(i % 4) + 1} site: ${site}; Body map ${i} not saving`,
      );
    }
    await channel.say(priya, "raise P1 nurse call alerts not reaching the handsets");
    const open = await channel.say(priya, "issues");
    expect(open).toMatch(/of 24/);
    const first = channel.lastCardWith(ISSUE_VERBS.page);
    expect(validateCard(first)).toEqual([]);
    const next = await channel.press(priya, ISSUE_VERBS.page, action(first, ISSUE_VERBS.page));
    expect(cardText(next.card)).toMatch(/21.24 of 24/);
    expect(validateCard(next.card ?? {})).toEqual([]);

    expect(await channel.say(priya, "issues care")).toMatch(/care-impacting/i);
    const p1 = await channel.say(priya, "issues P1");
    expect(p1).toContain("nurse call alerts");
    expect(p1).not.toContain("Body map 1 ");
    const riverside = await channel.say(priya, "issues site: Riverside");
    expect(riverside).toContain("Body map 2");
    expect(riverside).not.toContain("Body map 1 ");
    expect(await channel.say(priya, "issues mine")).toContain("nurse call");
    expect(await channel.say(priya, "issues banana")).toContain('I don\'t know "banana"');
  });

  it("accepts a raise in personal chat for someone in one project, and asks which when in several", async () => {
    const lee: Someone = {
      objectId: "aa000000-0000-4000-8000-00000000000a",
      name: "Lee Carter",
      teamsId: "29:lee",
    };
    h.connector.addMembers({ id: lee.teamsId, name: lee.name, aadObjectId: lee.objectId });
    const first = await liveProject("Riverside home care go-live");
    await first.say(priya, "role add team leader @Lee Carter", [lee]);

    h.connector.clear();
    const response = await h.post(
      personalMessage(h.connector.url, lee, "raise access agency carer has no ECM login"),
    );
    expect(response.status).toBe(200);
    expect(h.connector.texts().join("\n")).toContain("GL-1 is raised in Riverside home care go-live");
    // The triage card went to the project's channel, as a new post.
    const posted = h.connector.sent.find((s) => s.conversationId === first.where.channel.channelId);
    expect(JSON.stringify(posted?.activity)).toContain("agency carer has no ECM login");

    const second = await liveProject("Oak House wave 2 go-live");
    await second.say(priya, "role add team leader @Lee Carter", [lee]);
    h.connector.clear();
    await h.post(personalMessage(h.connector.url, lee, "raise rota not showing visits"));
    const choose = h.connector.cards().at(-1);
    expect(cardText(choose)).toContain("Oak House wave 2 go-live");
    expect(cardText(choose)).toContain("Riverside home care go-live");
    // Picking one raises it there; the answer replaces the card, so no second project can be picked.
    const pick = action(choose, ISSUE_VERBS.raiseIn, {
      projectId: projectIdForChannel(second.where.channel.channelId),
    });
    const picked = await h.post({
      type: "invoke",
      name: "adaptiveCard/action",
      id: "f:pick-1",
      from: { id: lee.teamsId, name: lee.name, aadObjectId: lee.objectId },
      channelId: "msteams",
      serviceUrl: h.connector.url,
      conversation: { conversationType: "personal", tenantId: TENANT_ID, id: `a:personal-${lee.objectId}` },
      recipient: { id: "28:go-live-governance-bot", name: "Go-Live Governance" },
      channelData: { tenant: { id: TENANT_ID } },
      replyToId: "chooser-1",
      value: { action: { type: "Action.Execute", verb: ISSUE_VERBS.raiseIn, data: pick }, trigger: "manual" },
    });
    const answer = JSON.parse(picked.body) as { type: string; value: unknown };
    expect(answer.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(answer.value)).toContain("GL-1 is raised in Oak House wave 2 go-live");
    expect(JSON.stringify(answer.value)).not.toContain(ISSUE_VERBS.raiseIn);
  });
});
