import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { projectIdForChannel } from "../../governance/project.js";
import type { RunningAzurite } from "../../store/azurite.js";
import { developmentConnectionString } from "../../store/azurite.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { CuttableProxy } from "../support/cuttableProxy.js";
import { newChannel, PEOPLE } from "../support/fixtures.js";
import { azuriteForTests, governanceLog } from "../support/storage.js";
import { channelMessage, type Where } from "../support/teams.js";

let azurite: RunningAzurite;
let proxy: CuttableProxy;
let h: BotHarness;
let where: Where;
let projectId: string;

beforeAll(async () => {
  azurite = await azuriteForTests();
  proxy = await new CuttableProxy(azurite.port).start();
  h = await startBotHarness({
    azurite,
    connectionString: developmentConnectionString(`http://127.0.0.1:${proxy.port}/devstoreaccount1`),
  });
});
afterAll(async () => {
  await h?.close();
  await proxy?.stop();
  await azurite?.close();
});
beforeEach(async () => {
  await proxy.restore();
  h.connector.onMemberLookup = undefined;
  where = { serviceUrl: h.connector.url, channel: newChannel() };
  projectId = projectIdForChannel(where.channel.channelId);
  await h.post(channelMessage(where, PEOPLE.priya, "setup Riverside go-live"));
});

/** Storage as it really is, read past the proxy. */
const direct = () => governanceLog(azurite);

async function addTom(): Promise<string> {
  h.connector.clear();
  const response = await h.post(
    channelMessage(where, PEOPLE.priya, "role add board @Tom Okafor", { mentions: [PEOPLE.tom] }),
  );
  expect(response.status).toBe(200);
  const said = h.connector.texts().join("\n");
  expect(said).not.toMatch(/Error|at .*\.(js|ts)/);
  return said;
}

it("says nothing was recorded when storage stops mid-request, and leaves no partial state", async () => {
  const before = await direct().readState(projectId);
  // Storage goes away while the bot is asking Teams who was mentioned: after reading, before recording.
  h.connector.onMemberLookup = async () => {
    proxy.stopNow();
    await new Promise((resolve) => setTimeout(resolve, 50)); // Teams takes a moment to answer
  };
  const said = await addTom();
  expect(said).toContain("Nothing was recorded");
  expect(said).toContain("try again");
  expect(await direct().verify(projectId)).toMatchObject({ ok: true, length: 1 });
  expect(await direct().readState(projectId)).toEqual(before);

  // Storage back: the same request now goes through, once.
  h.connector.onMemberLookup = undefined;
  await proxy.restore();
  expect(await addTom()).toContain("Tom Okafor is now project board member");
  expect(await direct().verify(projectId)).toMatchObject({ ok: true, length: 2 });
});

it("does not claim either way when storage stops as the change is sent, and nothing is half-written", async () => {
  proxy.stopOn("$batch");
  const said = await addTom();
  expect(said).toContain("cannot confirm it was recorded");
  expect(await direct().verify(projectId)).toMatchObject({ ok: true, length: 1 });
});

it("does not say 'nothing was recorded' when storage applied the change but its answer was lost", async () => {
  proxy.stopOn("$batch", { deliverFirst: true });
  const said = await addTom();
  expect(said).not.toContain("Nothing was recorded");
  expect(said).toContain("cannot confirm it was recorded");
  // The change is whole: entry, head and rows together.
  expect(await direct().verify(projectId)).toMatchObject({ ok: true, length: 2 });
  const state = await direct().readState(projectId);
  expect(
    state?.roles.some((r) => r.role === "board-member" && r.person.objectId === PEOPLE.tom.objectId),
  ).toBe(true);
});

it("answers plainly when storage is down before anything is read", async () => {
  const elsewhere: Where = { serviceUrl: h.connector.url, channel: newChannel() };
  proxy.stopNow();
  h.connector.clear();
  await h.post(channelMessage(elsewhere, PEOPLE.priya, "setup Elm Court go-live"));
  await proxy.restore();
  expect(h.connector.texts().join()).toContain(
    "Nothing was recorded: the governance log could not be reached",
  );
  expect(await direct().readState(projectIdForChannel(elsewhere.channel.channelId))).toBeUndefined();
});
