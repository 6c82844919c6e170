import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { functionsLogger } from "../../functions/functionsLogger.js";
import { createMessagesHandler } from "../../functions/messagesHandler.js";
import { createRuntime, type Runtime } from "../../functions/runtime.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { newChannel, PEOPLE } from "../support/fixtures.js";
import { invocation, messagesRequest } from "../support/functionsHost.js";
import { channelMessage } from "../support/teams.js";

// What Application Insights receives from the Function App: every line the bot logs during an invocation goes
// through the invocation (so the host files it under that operation), carries the activity id, and never
// holds the words a person typed.
let h: BotHarness;
let runtime: Runtime;
beforeAll(async () => {
  h = await startBotHarness();
  runtime = await createRuntime({
    storage: { kind: "connection-string", connectionString: h.azurite.connectionString },
    logger: functionsLogger("info"),
  });
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  h.connector.failSendsWith = undefined;
  vi.restoreAllMocks();
});

describe("the Function App's logs", () => {
  it("carry the activity id as correlation id on every line, and no words of the issue", async () => {
    const words = "Mrs Zebrowska's MAR chart shows 7731 twice";
    const console = [vi.spyOn(globalThis.console, "log"), vi.spyOn(globalThis.console, "error")];
    // Teams refuses every reply, so the bot has failures to log while the words are in its hands.
    h.connector.failSendsWith = 400;
    const activity = channelMessage(
      { serviceUrl: h.connector.url, channel: newChannel() },
      PEOPLE.priya,
      `raise P1 care: ${words}`,
    );
    const { context, logged } = invocation("invocation-1");
    await createMessagesHandler(async () => runtime)(messagesRequest(activity), context);

    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) {
      expect(JSON.parse(line)).toMatchObject({ correlationId: activity.id });
      expect(line).not.toContain("Zebrowska");
      expect(line).not.toContain("7731");
    }
    const printed = console.flatMap((spy) => spy.mock.calls.map((call) => call.map(String).join(" ")));
    expect(printed.join("\n")).not.toContain("Zebrowska");
  });

  it("use the invocation id when the request is not an activity", async () => {
    const { context, logged } = invocation("invocation-1");
    const getRuntime = async () => {
      functionsLogger("info").warn("probe", { kind: "test" });
      return runtime;
    };
    const response = await createMessagesHandler(getRuntime)(messagesRequest("not an activity"), context);
    expect(response.status).toBe(400);
    expect(logged.map((line) => JSON.parse(line))).toEqual([
      { level: "warn", message: "probe", correlationId: "invocation-1", kind: "test" },
    ]);
  });
});
