import { afterAll, beforeAll, expect, it } from "vitest";
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

it("tells the person nothing was recorded when storage stops mid-request, and leaves no partial state", async () => {
  const where: Where = { serviceUrl: h.connector.url, channel: newChannel() };
  const projectId = projectIdForChannel(where.channel.channelId);
  await h.post(channelMessage(where, PEOPLE.priya, "setup Riverside go-live"));
  // A direct view of storage, not through the proxy, to see exactly what was kept.
  const direct = governanceLog(azurite);
  const before = await direct.readState(projectId);
  expect(before?.project.name).toBe("Riverside go-live");

  // Storage goes away at the moment the bot sends the transaction that records the change.
  proxy.armOn("$batch");
  h.connector.clear();
  const response = await h.post(
    channelMessage(where, PEOPLE.priya, "role add board @Tom Okafor", { mentions: [PEOPLE.tom] }),
  );
  expect(response.status).toBe(200);
  const said = h.connector.texts().join("\n");
  expect(said).toContain("Nothing was recorded");
  expect(said).toContain("try again");
  expect(said).not.toMatch(/Error|at .*\.(js|ts)/);

  expect(await direct.verify(projectId)).toMatchObject({ ok: true, length: 1 });
  expect(await direct.readState(projectId)).toEqual(before);

  // Storage back: the same request now goes through, once.
  proxy.restore();
  h.connector.clear();
  await h.post(channelMessage(where, PEOPLE.priya, "role add board @Tom Okafor", { mentions: [PEOPLE.tom] }));
  expect(h.connector.texts().join()).toContain("Tom Okafor is now project board member");
  expect(await direct.verify(projectId)).toMatchObject({ ok: true, length: 2 });
});

it("answers plainly when storage is down before anything is read", async () => {
  const where: Where = { serviceUrl: h.connector.url, channel: newChannel() };
  proxy.cutNow();
  h.connector.clear();
  await h.post(channelMessage(where, PEOPLE.priya, "setup Elm Court go-live"));
  proxy.restore();
  expect(h.connector.texts().join()).toContain(
    "Nothing was recorded: the governance log could not be reached",
  );
  expect(
    await governanceLog(azurite).readState(projectIdForChannel(where.channel.channelId)),
  ).toBeUndefined();
});
