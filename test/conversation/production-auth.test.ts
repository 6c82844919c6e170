import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { consoleLogger } from "../../bot/logger.js";
import { startLocalHost } from "../../functions/localHost.js";
import { createMessagesHandler } from "../../functions/messagesHandler.js";
import { productionRuntime } from "../../functions/productionRuntime.js";
import { projectIdForChannel } from "../../governance/project.js";
import { hasOpenssl, managedIdentityLike, startAzuriteWithOAuth } from "../support/azuriteOAuth.js";
import {
  BOT_FRAMEWORK_ISSUER,
  type BotFrameworkKeyServer,
  channelTokenClaims,
  newSigningKey,
  type SigningKey,
  signToken,
  startBotFrameworkKeyServer,
} from "../support/botFrameworkTokens.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { newChannel, PEOPLE } from "../support/fixtures.js";
import { invocation, messagesRequest } from "../support/functionsHost.js";
import { channelMessage, installationUpdate, type Where } from "../support/teams.js";

/**
 * Production mode: with the bot's credentials configured, every request must carry a Bot Framework token that
 * botbuilder accepts — signed by a published key endorsed for Teams, issued by the Bot Framework, for this bot,
 * for the activity's serviceUrl, and in date. Anything else is answered 401 and nothing is processed: nothing
 * stored, nothing sent to Teams. The Bot Framework's keys are served locally (there is no internet here).
 */

const APP_ID = "11111111-2222-4333-8444-555555555555";
const OTHER_APP_ID = "99999999-8888-4777-8666-555555555555";

let h: BotHarness;
let keyServer: BotFrameworkKeyServer;
/** Published, endorsed for Teams: what the Bot Framework signs Teams' tokens with. */
let teamsKey: SigningKey;
/** Published, but endorsed only for Web Chat. */
let webChatKey: SigningKey;
/** Never published. */
let strangerKey: SigningKey;

type Identity = "single tenant with a secret" | "user-assigned managed identity (as infra/ deploys)";
const IDENTITIES: Identity[] = [
  "single tenant with a secret",
  "user-assigned managed identity (as infra/ deploys)",
];
const handlers = new Map<Identity, ReturnType<typeof createMessagesHandler>>();

function productionEnv(identity: Identity) {
  const common = {
    MicrosoftAppId: APP_ID,
    MicrosoftAppTenantId: "7a1c2f4e-0000-4000-8000-00000000c4e1",
    STORAGE_CONNECTION_STRING: h.azurite.connectionString,
    ANONYMITY_KEY: "a-key-of-at-least-thirty-two-characters-for-tests",
  };
  return identity === "single tenant with a secret"
    ? { ...common, MicrosoftAppType: "SingleTenant", MicrosoftAppPassword: "not-a-real-secret" }
    : { ...common, MicrosoftAppType: "UserAssignedMSI", AZURE_CLIENT_ID: APP_ID };
}

beforeAll(async () => {
  h = await startBotHarness();
  teamsKey = newSigningKey();
  webChatKey = newSigningKey();
  strangerKey = newSigningKey();
  keyServer = await startBotFrameworkKeyServer([
    { key: teamsKey, endorsements: ["msteams", "skype"] },
    { key: webChatKey, endorsements: ["webchat"] },
  ]);
  for (const identity of IDENTITIES)
    handlers.set(
      identity,
      createMessagesHandler(
        productionRuntime({
          env: productionEnv(identity),
          channelAuthentication: {
            openIdMetadataUrl: keyServer.openIdMetadataUrl,
            tokenIssuer: BOT_FRAMEWORK_ISSUER,
          },
        }),
      ),
    );
});
afterAll(async () => {
  await keyServer?.close();
  await h?.close();
});

async function post(
  activity: unknown,
  authorization: string | undefined,
  identity: Identity = "single tenant with a secret",
) {
  const handler = handlers.get(identity);
  if (!handler) throw new Error(`no handler for ${identity}`);
  const response = await handler(
    messagesRequest(activity, authorization === undefined ? {} : { authorization }),
    invocation().context,
  );
  return { status: response.status, body: String(response.body ?? "") };
}

/**
 * A conversationUpdate in a team channel (a member added), as Teams sends it. The bot answers it without
 * calling Teams, but stores the channel's conversation reference: proof that it was processed.
 */
function conversationUpdate(where: Where) {
  const { action: _action, ...install } = installationUpdate(where, PEOPLE.priya);
  return {
    ...install,
    type: "conversationUpdate",
    membersAdded: [{ id: PEOPLE.tom.teamsId, aadObjectId: PEOPLE.tom.objectId }],
    channelData: { ...install.channelData, eventType: "teamMemberAdded" },
  };
}

const bearer = (token: string) => `Bearer ${token}`;
const HOUR = 3600;

/** The claims of a token Teams would send for this channel, with some of them changed. */
function claims(where: Where, changes: Record<string, unknown> = {}) {
  return { ...channelTokenClaims({ appId: APP_ID, serviceUrl: where.serviceUrl }), ...changes };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Requests that must be refused, each with the Authorization header it carries (undefined: none). */
const REFUSED: Array<[string, (where: Where) => string | undefined]> = [
  ["no token", () => undefined],
  ["an empty Authorization header", () => ""],
  ["a token that is not a JWT", () => bearer("not-a-token")],
  ["a token under another scheme than Bearer", (w) => `Basic ${signToken(claims(w), { key: teamsKey })}`],
  [
    // Well past botbuilder's five-minute clock tolerance.
    "an expired token",
    (w) =>
      bearer(
        signToken(claims(w, { nbf: nowSeconds() - 2 * HOUR, exp: nowSeconds() - HOUR }), { key: teamsKey }),
      ),
  ],
  [
    "a token not valid for another hour",
    (w) =>
      bearer(
        signToken(claims(w, { nbf: nowSeconds() + HOUR, exp: nowSeconds() + 2 * HOUR }), { key: teamsKey }),
      ),
  ],
  [
    "a token for another bot (audience)",
    (w) => bearer(signToken(claims(w, { aud: OTHER_APP_ID }), { key: teamsKey })),
  ],
  ["a token without an audience", (w) => bearer(signToken(claims(w, { aud: undefined }), { key: teamsKey }))],
  [
    "a token from another issuer",
    (w) => bearer(signToken(claims(w, { iss: "https://tokens.example.org" }), { key: teamsKey })),
  ],
  [
    "a token for another serviceUrl",
    (w) => bearer(signToken(claims(w, { serviceurl: "https://smba.example.org/emea/" }), { key: teamsKey })),
  ],
  [
    "a token signed by a key that is not published",
    (w) => bearer(signToken(claims(w), { key: strangerKey })),
  ],
  [
    "a token naming a published key but signed by another",
    (w) => bearer(signToken(claims(w), { key: strangerKey, kid: teamsKey.kid })),
  ],
  [
    "a token whose claims were changed after signing",
    (w) => {
      const [header, , signature] = signToken(claims(w, { aud: OTHER_APP_ID }), { key: teamsKey }).split(".");
      const payload = Buffer.from(JSON.stringify(claims(w))).toString("base64url");
      return bearer(`${header}.${payload}.${signature}`);
    },
  ],
  [
    "a token signed by a published key not endorsed for Teams",
    (w) => bearer(signToken(claims(w), { key: webChatKey })),
  ],
  ["an unsigned token (alg none)", (w) => bearer(signToken(claims(w), { key: teamsKey, alg: "none" }))],
];

describe.each(IDENTITIES)(
  "production mode, a bot with a %s: the Functions handler checks the Bot Framework token on every request",
  (identity) => {
    it.each(REFUSED)("refuses %s with 401, and processes nothing", async (_name, authorization) => {
      const where = { serviceUrl: h.connector.url, channel: newChannel() };
      h.connector.clear();

      const setup = await post(
        channelMessage(where, PEOPLE.priya, "setup Refused Project"),
        authorization(where),
        identity,
      );
      const update = await post(conversationUpdate(where), authorization(where), identity);

      for (const response of [setup, update]) {
        expect(response.status).toBe(401);
        // The caller learns it was refused, and nothing about why.
        expect(JSON.parse(response.body)).toEqual({ error: "Unauthorized." });
      }
      expect(h.connector.sent).toHaveLength(0);
      expect(h.connector.arrivals).toHaveLength(0);
      expect(h.connector.created).toHaveLength(0);
      expect(await h.runtime.log.readState(projectIdForChannel(where.channel.channelId))).toBeUndefined();
      expect(await h.runtime.reviews.references.get(where.channel.channelId)).toBeUndefined();
    });

    it("refuses a request with no token before botbuilder sees it: nothing printed to the host's log", async () => {
      const printed = vi.spyOn(console, "error").mockImplementation(() => undefined);
      try {
        const where = { serviceUrl: h.connector.url, channel: newChannel() };
        const response = await post(channelMessage(where, PEOPLE.priya, "help"), undefined, identity);
        expect(response.status).toBe(401);
        expect(printed).not.toHaveBeenCalled();
      } finally {
        printed.mockRestore();
      }
    });

    it("accepts a token Teams would send (signed by a published Teams key, for this bot, in date) and runs the bot", async () => {
      const where = { serviceUrl: h.connector.url, channel: newChannel() };
      h.connector.clear();
      const response = await post(
        conversationUpdate(where),
        bearer(signToken(claims(where), { key: teamsKey })),
        identity,
      );
      expect(response.status).toBe(200);
      // The keys came from the locally served Bot Framework metadata, not from anywhere else.
      expect(keyServer.fetches.metadata).toBeGreaterThan(0);
      expect(keyServer.fetches.keys).toBeGreaterThan(0);
      // Processed: the channel's conversation reference was stored.
      const stored = await h.runtime.reviews.references.get(where.channel.channelId);
      expect(stored?.reference).toMatchObject({
        serviceUrl: where.serviceUrl,
        conversation: { id: where.channel.channelId },
      });
      expect(h.connector.sent).toHaveLength(0);
    });
  },
);

describe("production mode: the local host with credentials", () => {
  it("answers a request without a token with 401 over HTTP, and accepts one with a valid token", async () => {
    const host = await startLocalHost({
      dataDir: mkdtempSync(join(tmpdir(), "golive-auth-")),
      botPort: 0,
      azuritePort: 0,
      startPlayground: false,
      reviewIntervalMs: 0,
      logger: consoleLogger("error"),
      credentials: {
        appId: APP_ID,
        appType: "SingleTenant",
        tenantId: "7a1c2f4e-0000-4000-8000-00000000c4e1",
        password: "not-a-real-secret",
        channelAuthentication: {
          openIdMetadataUrl: keyServer.openIdMetadataUrl,
          tokenIssuer: BOT_FRAMEWORK_ISSUER,
        },
      },
    });
    try {
      const where = { serviceUrl: h.connector.url, channel: newChannel() };
      h.connector.clear();
      const send = (activity: unknown, authorization?: string) =>
        fetch(host.botEndpoint, {
          method: "POST",
          headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
          body: JSON.stringify(activity),
        });

      const refused = await send(channelMessage(where, PEOPLE.priya, "setup Refused Project"));
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ error: "Unauthorized." });
      expect(await host.log.readState(projectIdForChannel(where.channel.channelId))).toBeUndefined();
      expect(h.connector.sent).toHaveLength(0);

      const accepted = await send(
        conversationUpdate(where),
        bearer(signToken(claims(where), { key: teamsKey })),
      );
      expect(accepted.status).toBe(200);
    } finally {
      await host.close();
    }
  });
});

describe.skipIf(!hasOpenssl)(
  "production mode: storage reached as infra/ sets it up (endpoints, a managed identity's token)",
  () => {
    it("keeps what the bot records in the tables of STORAGE_TABLE_ENDPOINT, signed in with AZURE_CLIENT_ID's token", async () => {
      // Azurite over https with OAuth: it accepts bearer tokens only, as a storage account without keys does.
      const azurite = await startAzuriteWithOAuth();
      try {
        const token = managedIdentityLike();
        const clientIds: (string | undefined)[] = [];
        const getRuntime = productionRuntime({
          env: {
            MicrosoftAppId: APP_ID,
            MicrosoftAppType: "UserAssignedMSI",
            MicrosoftAppTenantId: "7a1c2f4e-0000-4000-8000-00000000c4e1",
            AZURE_CLIENT_ID: APP_ID,
            STORAGE_TABLE_ENDPOINT: azurite.tableEndpoint,
            STORAGE_BLOB_ENDPOINT: azurite.blobEndpoint,
            ANONYMITY_KEY: "a-key-of-at-least-thirty-two-characters-for-tests",
          },
          makeCredential: (clientId) => {
            clientIds.push(clientId);
            return token;
          },
          channelAuthentication: {
            openIdMetadataUrl: keyServer.openIdMetadataUrl,
            tokenIssuer: BOT_FRAMEWORK_ISSUER,
          },
        });
        const where = { serviceUrl: h.connector.url, channel: newChannel() };
        const response = await createMessagesHandler(getRuntime)(
          messagesRequest(conversationUpdate(where), {
            authorization: bearer(signToken(claims(where), { key: teamsKey })),
          }),
          invocation().context,
        );
        expect(response.status).toBe(200);
        expect(clientIds).toEqual([APP_ID]);
        expect(token.scopes).toContain("https://storage.azure.com/.default");
        // Recorded in the token-reached tables, and nowhere else.
        const runtime = await getRuntime();
        expect((await runtime.reviews.references.get(where.channel.channelId))?.reference).toMatchObject({
          conversation: { id: where.channel.channelId },
        });
        expect(await h.runtime.reviews.references.get(where.channel.channelId)).toBeUndefined();
      } finally {
        await azurite.close();
      }
    });
  },
);
