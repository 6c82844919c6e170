import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../functions/config.js";
import { createMessagesHandler } from "../../functions/messagesHandler.js";
import { productionRuntime } from "../../functions/productionRuntime.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { newChannel, PEOPLE } from "../support/fixtures.js";
import { invocation, messagesRequest } from "../support/functionsHost.js";
import { channelMessage } from "../support/teams.js";

let h: BotHarness;
beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("the Azure Functions /api/messages handler", () => {
  it("runs a Teams message through the bot and its reply reaches Teams", async () => {
    const handler = createMessagesHandler(async () => h.runtime);
    const where = { serviceUrl: h.connector.url, channel: newChannel() };
    h.connector.clear();
    const response = await handler(
      messagesRequest(channelMessage(where, PEOPLE.priya, "help")),
      invocation().context,
    );
    expect(response.status).toBe(200);
    expect(h.connector.texts().join()).toContain("Commands you can use");
  });

  it("answers malformed JSON with 400", async () => {
    const handler = createMessagesHandler(async () => h.runtime);
    const response = await handler(messagesRequest("{not json"), invocation().context);
    expect(response.status).toBe(400);
  });

  it("does not start when the Function App lacks its settings, and lists every missing one at once", () => {
    let problems: string[] = [];
    try {
      productionRuntime({ env: { MicrosoftAppType: "UserAssignedMSI", EVIDENCE_LINK_MINUTES: "0" } });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      problems = (error as ConfigurationError).problems;
    }
    const text = problems.join("\n");
    for (const name of ["MicrosoftAppId", "STORAGE_TABLE_ENDPOINT", "ANONYMITY_KEY", "EVIDENCE_LINK_MINUTES"])
      expect(text).toContain(name);
  });

  it("lists the managed identity's settings when storage is given by endpoint", () => {
    expect(() =>
      productionRuntime({
        env: {
          MicrosoftAppId: "11111111-2222-4333-8444-555555555555",
          MicrosoftAppType: "UserAssignedMSI",
          STORAGE_TABLE_ENDPOINT: "https://example.table.core.windows.net/",
          ANONYMITY_KEY: "a-key-of-at-least-thirty-two-characters-for-tests",
        },
      }),
    ).toThrow(/STORAGE_BLOB_ENDPOINT[\s\S]*AZURE_CLIENT_ID[\s\S]*MicrosoftAppTenantId/);
  });

  it("answers 503 and says why in the host's log when storage cannot be reached, and works once it can", async () => {
    let reachable = false;
    const getRuntime = async () => {
      if (!reachable) throw new Error("connect ECONNREFUSED 10.0.0.4:443");
      return h.runtime;
    };
    const handler = createMessagesHandler(getRuntime);
    const where = { serviceUrl: h.connector.url, channel: newChannel() };
    const { context, logged } = invocation();
    const refused = await handler(messagesRequest(channelMessage(where, PEOPLE.priya, "help")), context);
    expect(refused.status).toBe(503);
    expect(JSON.stringify(refused.jsonBody)).not.toContain("ECONNREFUSED");
    expect(logged.join()).toContain("ECONNREFUSED");
    reachable = true;
    expect(
      (await handler(messagesRequest(channelMessage(where, PEOPLE.priya, "help")), invocation().context))
        .status,
    ).toBe(200);
  });

  it("with bot credentials configured, answers an activity without a token with 401 and processes nothing", async () => {
    const env = {
      MicrosoftAppId: "11111111-2222-4333-8444-555555555555",
      MicrosoftAppType: "SingleTenant",
      MicrosoftAppTenantId: "7a1c2f4e-0000-4000-8000-00000000c4e1",
      MicrosoftAppPassword: "not-a-real-secret",
      STORAGE_CONNECTION_STRING: h.azurite.connectionString,
      ANONYMITY_KEY: "a-key-of-at-least-thirty-two-characters-for-tests",
    };
    const handler = createMessagesHandler(productionRuntime({ env }));
    const where = { serviceUrl: h.connector.url, channel: newChannel() };
    h.connector.clear();
    const response = await handler(
      messagesRequest(channelMessage(where, PEOPLE.priya, "setup Unauthenticated")),
      invocation().context,
    );
    expect(response.status).toBe(401);
    expect(h.connector.sent).toHaveLength(0);
  });
});
