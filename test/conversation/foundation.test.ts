import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { projectIdForChannel } from "../../governance/project.js";
import { TableConversationReferences } from "../../store/conversationReferences.js";
import { TABLE_NAMES, tableClient } from "../../store/tables.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { validateCard } from "../support/cardValidation.js";
import { newChannel, OTHER_TENANT_ID, PEOPLE } from "../support/fixtures.js";
import {
  cardAction,
  channelMessage,
  installationUpdate,
  personalMessage,
  type Where,
} from "../support/teams.js";

let h: BotHarness;
let where: Where;
const cardsSeen: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  where = { serviceUrl: h.connector.url, channel: newChannel() };
  h.connector.clear();
});
afterEach(() => {
  cardsSeen.push(...h.connector.cards());
});

async function say(
  from: (typeof PEOPLE)[keyof typeof PEOPLE],
  text: string,
  mentions: Array<(typeof PEOPLE)[keyof typeof PEOPLE]> = [],
) {
  h.connector.clear();
  const response = await h.post(channelMessage(where, from, text, { mentions }));
  expect(response.status).toBe(200);
  return h.connector.texts().join("\n");
}

async function setUpProject() {
  const reply = await say(PEOPLE.priya, "setup Oak House ECM go-live");
  expect(reply).toContain("Go-live project: Oak House ECM go-live");
  return projectIdForChannel(where.channel.channelId);
}

/** What Teams sends when Save is pressed on the last setup card the bot posted: its data plus the inputs. */
function saveOnSetupCard(inputs: Record<string, string>): Record<string, unknown> {
  const card = [...h.connector.cards()]
    .reverse()
    .find((c) => JSON.stringify(c).includes('"verb":"project.settings"'));
  const action = (
    card?.actions as Array<{ verb?: string; data?: Record<string, unknown> }> | undefined
  )?.find((a) => a.verb === "project.settings");
  if (!action?.data) throw new Error("no setup card was posted");
  return { ...action.data, ...inputs };
}

async function logLength(projectId: string) {
  return (await h.runtime.log.head(projectId))?.seq ?? 0;
}

async function countRows(): Promise<number> {
  let n = 0;
  for (const name of Object.values(TABLE_NAMES)) {
    for await (const _ of tableClient(
      { kind: "connection-string", connectionString: h.azurite.connectionString },
      name,
    ).listEntities())
      n++;
  }
  return n;
}

describe("a team channel with the bot installed", () => {
  it("stores the conversation reference on install and says hello", async () => {
    const response = await h.post(installationUpdate(where, PEOPLE.priya));
    expect(response.status).toBe(200);
    expect(h.connector.texts().join()).toContain("setup {project name}");
    const references = new TableConversationReferences(
      tableClient(
        { kind: "connection-string", connectionString: h.azurite.connectionString },
        TABLE_NAMES.conversations,
      ),
    );
    const stored = await references.get(where.channel.channelId);
    expect(stored?.installed).toBe(true);
    expect(stored?.reference).toMatchObject({
      serviceUrl: h.connector.url,
      conversation: { id: where.channel.channelId },
    });
  });

  it("refreshes the stored reference when Teams moves the conversation to a new serviceUrl", async () => {
    await say(PEOPLE.priya, "help");
    const moved = { ...where, serviceUrl: `${h.connector.url}moved/` };
    await h.post(channelMessage(moved, PEOPLE.priya, "help"));
    const references = new TableConversationReferences(
      tableClient(
        { kind: "connection-string", connectionString: h.azurite.connectionString },
        TABLE_NAMES.conversations,
      ),
    );
    expect((await references.get(where.channel.channelId))?.reference).toMatchObject({
      serviceUrl: moved.serviceUrl,
    });
  });

  it("answers help, typed after the bot's <at> mention, with the commands a channel without a project allows", async () => {
    const reply = await say(PEOPLE.priya, "help");
    expect(reply).toContain("Commands you can use");
    expect(reply).toContain("setup {project name}");
    expect(reply).not.toContain("log verify");
  });

  it("understands commands with a leading / and in any case", async () => {
    expect(await say(PEOPLE.tom, "/HELP")).toContain("Commands you can use");
    expect(await say(PEOPLE.tom, "  Help  ")).toContain("Commands you can use");
  });

  it("answers an unknown command with a hint and help", async () => {
    const reply = await say(PEOPLE.tom, "launch the rocket");
    expect(reply).toContain('I don\'t know the command "launch"');
    expect(reply).toContain("Commands you can use");
  });

  it("refuses a message over the limit, naming the limit, and records nothing", async () => {
    const projectId = await setUpProject();
    const before = await logLength(projectId);
    const reply = await say(PEOPLE.priya, `role add board ${"x".repeat(2_100)}`);
    expect(reply).toContain("at most 2,000");
    expect(reply).toContain("Nothing was recorded");
    expect(await logLength(projectId)).toBe(before);
  });

  it("sets up a project: the person who ran setup becomes project lead and gets the setup card", async () => {
    const projectId = await setUpProject();
    const card = h.connector.cards()[0];
    expect(JSON.stringify(card)).toContain('"verb":"project.settings"');
    expect(JSON.stringify(card)).toContain("graph.microsoft.com/users");
    const roles = await say(PEOPLE.tom, "roles");
    expect(roles).toMatch(/Project lead\nPriya Shah/);
    const help = await say(PEOPLE.priya, "help");
    expect(help).toContain("log verify");
    expect(help).toContain("Project lead");
    expect(await logLength(projectId)).toBe(1);
    expect(await say(PEOPLE.tom, "setup Another project")).toContain(
      'already runs the project "Oak House ECM go-live"',
    );
  });

  it("lets the project lead give and take roles by @mention, resolved to Entra object ids", async () => {
    const projectId = await setUpProject();
    expect(await say(PEOPLE.priya, "role add board @Tom Okafor", [PEOPLE.tom])).toContain(
      "Tom Okafor is now project board member",
    );
    expect(
      await say(PEOPLE.priya, "role add registered-manager @Grace Mensah site: Oak House", [PEOPLE.grace]),
    ).toContain("Grace Mensah is now registered manager for Oak House");
    const state = await h.runtime.log.readState(projectId);
    expect(state?.roles).toContainEqual({
      role: "board-member",
      person: { objectId: PEOPLE.tom.objectId, name: "Tom Okafor" },
    });
    expect(await say(PEOPLE.priya, "role remove board @Tom Okafor", [PEOPLE.tom])).toContain(
      "Tom Okafor is no longer project board member",
    );
    expect(await say(PEOPLE.tom, "roles")).toMatch(/Project board member\nnobody yet/);
    expect(await logLength(projectId)).toBe(4);
  });

  it("refuses role changes by anyone but the project lead, naming the role needed, and changes nothing", async () => {
    const projectId = await setUpProject();
    const reply = await say(PEOPLE.tom, "role add board @Tom Okafor", [PEOPLE.tom]);
    expect(reply).toContain("Only the project lead can give roles");
    expect(reply).toContain("Ask Priya Shah");
    expect(await logLength(projectId)).toBe(1);
  });

  it("explains a mistyped role and a missing mention", async () => {
    await setUpProject();
    expect(await say(PEOPLE.priya, "role add wizard @Tom Okafor", [PEOPLE.tom])).toContain(
      '"wizard" is not a role',
    );
    expect(await say(PEOPLE.priya, "role add board")).toContain("@mention the person");
  });

  it("saves the setup card through an adaptiveCard/action invoke and shows the saved card to everyone", async () => {
    const projectId = await setUpProject();
    const data = saveOnSetupCard({
      goLiveDate: "2027-01-11",
      sites: "Oak House, Riverside Home Care",
      timeZone: "Europe/London",
      digestTime: "07:30",
      "role:board-member": `${PEOPLE.tom.objectId},${PEOPLE.dev.objectId}`,
      "role:quality-lead": PEOPLE.grace.objectId,
    });
    h.connector.clear();
    const response = await h.post(cardAction(where, PEOPLE.priya, "project.settings", data, "stub-card-1"));
    expect(response.status).toBe(200);
    const invokeResponse = JSON.parse(response.body);
    expect(invokeResponse.statusCode).toBe(200);
    expect(invokeResponse.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(invokeResponse.value)).toContain("Saved by Priya Shah");
    expect(validateCard(invokeResponse.value)).toEqual([]);
    const update = h.connector.sent.find((s) => s.method === "PUT");
    expect(update?.activityId).toBe("stub-card-1");
    const state = await h.runtime.log.readState(projectId);
    expect(state?.project.settings).toEqual({
      goLiveDate: "2027-01-11",
      sites: ["Oak House", "Riverside Home Care"],
      timeZone: "Europe/London",
      digestTime: "07:30",
    });
    expect(
      state?.roles
        .filter((r) => r.role === "board-member")
        .map((r) => r.person.name)
        .sort(),
    ).toEqual(["Dev Patel", "Tom Okafor"]);
    // A double click sends the same data again: nothing more is recorded.
    const length = await logLength(projectId);
    await h.post(cardAction(where, PEOPLE.priya, "project.settings", data, "stub-card-1"));
    expect(await logLength(projectId)).toBe(length);
  });

  it("refuses a setup card with a bad date, saying what to fix, and changes nothing", async () => {
    const projectId = await setUpProject();
    const data = saveOnSetupCard({
      goLiveDate: "2027-02-30",
      sites: "",
      timeZone: "Mars/Olympus",
      digestTime: "08:00",
    });
    const response = await h.post(cardAction(where, PEOPLE.priya, "project.settings", data, "stub-card-2"));
    const body = JSON.parse(response.body);
    expect(body.type).toBe("application/vnd.microsoft.activity.message");
    expect(body.value).toContain("a real calendar date");
    expect(body.value).toContain("a time zone such as Europe/London");
    expect(body.value).toContain("Nothing was changed");
    expect(await logLength(projectId)).toBe(1);
  });

  it("refuses the setup card from someone who is not the project lead", async () => {
    const projectId = await setUpProject();
    const data = saveOnSetupCard({ timeZone: "Europe/London", digestTime: "09:00" });
    const response = await h.post(cardAction(where, PEOPLE.tom, "project.settings", data, "c"));
    expect(JSON.parse(response.body).value).toContain(
      "Only the project lead can change the project's settings",
    );
    expect(await logLength(projectId)).toBe(1);
  });

  it("records a save on a refreshed setup card even when it puts back earlier values", async () => {
    const projectId = await setUpProject();
    let data = saveOnSetupCard({ timeZone: "Europe/London", digestTime: "07:30" });
    for (const digestTime of ["07:30", "09:00", "07:30"]) {
      const response = await h.post(
        cardAction(where, PEOPLE.priya, "project.settings", { ...data, digestTime }, "card-1"),
      );
      const refreshed = JSON.parse(response.body).value as {
        actions: Array<{ data: Record<string, unknown> }>;
      };
      data = { ...(refreshed.actions[0]?.data ?? {}), timeZone: "Europe/London" };
    }
    expect((await h.runtime.log.readState(projectId))?.project.settings.digestTime).toBe("07:30");
    expect(await logLength(projectId)).toBe(4);
  });

  it("gives a role to several people at once, saying who already had it", async () => {
    await setUpProject();
    await say(PEOPLE.priya, "role add board @Tom Okafor", [PEOPLE.tom]);
    const reply = await say(PEOPLE.priya, "role add board @Tom Okafor @Dev Patel", [PEOPLE.tom, PEOPLE.dev]);
    expect(reply).toContain("Dev Patel is now project board member");
    expect(reply).toContain("Tom Okafor is already project board member");
  });

  it("never lets one command remove every project lead", async () => {
    const projectId = await setUpProject();
    await say(PEOPLE.priya, "role add lead @Tom Okafor", [PEOPLE.tom]);
    const reply = await say(PEOPLE.priya, "role remove lead @Tom Okafor @Priya Shah", [
      PEOPLE.tom,
      PEOPLE.priya,
    ]);
    expect(reply).toContain("A project always needs a project lead");
    const leads = (await h.runtime.log.readState(projectId))?.roles.filter((r) => r.role === "project-lead");
    expect(leads?.map((r) => r.person.name).sort()).toEqual(["Priya Shah", "Tom Okafor"]);
  });

  it("refuses a setup card saved from another tenant, and logs the attempt", async () => {
    const projectId = await setUpProject();
    const data = saveOnSetupCard({ timeZone: "Europe/London", digestTime: "06:00" });
    const response = await h.post(
      cardAction({ ...where, tenantId: OTHER_TENANT_ID }, PEOPLE.dev, "project.settings", data, "card-x"),
    );
    expect(JSON.parse(response.body).value).toContain(
      "belongs to another organisation's Microsoft 365 tenant",
    );
    const state = await h.runtime.log.readState(projectId);
    expect(state?.project.settings.digestTime).toBe("08:00");
    const kinds: string[] = [];
    for await (const e of h.runtime.log.entries(projectId))
      if (!("unreadable" in e)) kinds.push(...e.events.map((x) => x.kind));
    expect(kinds.at(-1)).toBe("access.refused");
  });

  it("reports the chain's length, head hash and result on log verify, for the project lead only", async () => {
    const projectId = await setUpProject();
    await say(PEOPLE.priya, "role add board @Tom Okafor", [PEOPLE.tom]);
    const reply = await say(PEOPLE.priya, "log verify");
    expect(reply).toContain("Intact");
    expect(reply).toMatch(/Entries\n2/);
    expect(reply).toContain((await h.runtime.log.head(projectId))?.hash);
    expect(await say(PEOPLE.tom, "log verify")).toContain("Only the project lead can run log verify");
  });

  it("changes state once when Teams delivers the same activity twice", async () => {
    const projectId = await setUpProject();
    const activity = channelMessage(where, PEOPLE.priya, "role add slt @Dev Patel", {
      mentions: [PEOPLE.dev],
    });
    await h.post(activity);
    await h.post(activity);
    expect(await logLength(projectId)).toBe(2);
    const state = await h.runtime.log.readState(projectId);
    expect(state?.roles.filter((r) => r.role === "slt")).toHaveLength(1);
  });

  it("answers malformed JSON with 400 and stores nothing", async () => {
    const before = await countRows();
    const response = await h.post('{"type":"message","text":"help"');
    expect(response.status).toBe(400);
    expect(response.body).not.toMatch(/at .*\.js/);
    expect((await h.post({ hello: "world" })).status).toBe(400);
    expect(await countRows()).toBe(before);
    expect(h.connector.sent).toHaveLength(0);
  });

  it("refuses an activity from another tenant in the project's channel, and logs the refusal", async () => {
    const projectId = await setUpProject();
    const intruder = { ...where, tenantId: OTHER_TENANT_ID, serviceUrl: `${h.connector.url}elsewhere/` };
    h.connector.clear();
    await h.post(
      channelMessage(intruder, PEOPLE.dev, "role add board @Dev Patel", { mentions: [PEOPLE.dev] }),
    );
    expect(h.connector.texts().join()).toContain("belongs to another organisation's Microsoft 365 tenant");
    const state = await h.runtime.log.readState(projectId);
    expect(state?.roles.some((r) => r.person.objectId === PEOPLE.dev.objectId)).toBe(false);
    const kinds: string[] = [];
    for await (const e of h.runtime.log.entries(projectId))
      if (!("unreadable" in e)) kinds.push(...e.events.map((x) => x.kind));
    expect(kinds).toEqual(["project.created", "role.assigned", "access.refused"]);
    // Proactive posts keep going to the project's own tenant's conversation.
    const references = new TableConversationReferences(
      tableClient(
        { kind: "connection-string", connectionString: h.azurite.connectionString },
        TABLE_NAMES.conversations,
      ),
    );
    const stored = await references.get(where.channel.channelId);
    expect(stored?.tenantId).toBe(where.channel.tenantId);
    expect(stored?.reference).toMatchObject({ serviceUrl: where.serviceUrl });
  });

  it("in personal chat, explains that projects live in team channels", async () => {
    h.connector.clear();
    await h.post(personalMessage(h.connector.url, PEOPLE.tom, "roles"));
    expect(h.connector.texts().join()).toContain("Go-live projects live in a team channel");
    h.connector.clear();
    await h.post(personalMessage(h.connector.url, PEOPLE.tom, "help"));
    expect(h.connector.texts().join()).toContain("Commands you can use");
  });
});

describe("every card the bot sent", () => {
  it("passes the Adaptive Cards 1.5 schema and the adaptivecards 3.0.6 validator", () => {
    expect(cardsSeen.length).toBeGreaterThan(10);
    for (const card of cardsSeen) expect(validateCard(card)).toEqual([]);
  });
});
