import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningAzurite } from "../../store/azurite.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { newChannel, PEOPLE, type Someone } from "../support/fixtures.js";
import { azuriteForTests } from "../support/storage.js";
import { channelMessage, type Where } from "../support/teams.js";

// Two Function App instances on one storage account: each remembers what it last saw.
let azurite: RunningAzurite;
let first: BotHarness;
let second: BotHarness;
beforeAll(async () => {
  azurite = await azuriteForTests();
  first = await startBotHarness({ azurite });
  second = await startBotHarness({ azurite });
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await azurite?.close();
});

async function say(
  instance: BotHarness,
  where: Where,
  from: Someone,
  text: string,
  mentions: Someone[] = [],
) {
  instance.connector.clear();
  await instance.post(
    channelMessage({ ...where, serviceUrl: instance.connector.url }, from, text, { mentions }),
  );
  return instance.connector.texts().join("\n");
}

it("honours a role given on another instance at once, though this instance saw the project moments before", async () => {
  const where: Where = { serviceUrl: first.connector.url, channel: newChannel() };
  await say(first, where, PEOPLE.priya, "setup Birch House go-live");
  expect(await say(first, where, PEOPLE.tom, "log verify")).toContain(
    "Only the project lead can run log verify",
  );
  expect(await say(second, where, PEOPLE.priya, "role add lead @Tom Okafor", [PEOPLE.tom])).toContain(
    "Tom Okafor is now project lead",
  );
  expect(await say(first, where, PEOPLE.tom, "log verify")).toContain("Intact");
  expect(await say(first, where, PEOPLE.tom, "role add slt @Dev Patel", [PEOPLE.dev])).toContain(
    "Dev Patel is now senior leadership team",
  );
  expect(await say(second, where, PEOPLE.grace, "roles")).toContain("Dev Patel");
});
