import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in for the Bot Framework's token signing, for tests that run the bot with credentials and no
 * internet: RSA keys, a server publishing them the way the Bot Framework does (an OpenID configuration document
 * whose `jwks_uri` lists the keys, each with the channels that endorse it), and tokens signed like the ones
 * Teams sends with every activity.
 */

/** The issuer of the tokens the Bot Framework's channels (Teams among them) send to bots. */
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";

/** An RSA signing key, named by the `kid` that tokens carry in their header. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** One key as published: its public half, and the channels (`msteams`, `webchat`, ...) that endorse it. */
export interface PublishedKey {
  key: SigningKey;
  endorsements?: string[];
}

export interface BotFrameworkKeyServer {
  /** Where the OpenID configuration is served: the adapter's `ToBotFromChannelOpenIdMetadataUrl`. */
  openIdMetadataUrl: string;
  /** How many times the configuration and the key set were fetched. */
  readonly fetches: { metadata: number; keys: number };
  close(): Promise<void>;
}

/**
 * Serves `/v1/.well-known/openidconfiguration` and the key set it points to, in the shape the Bot Framework
 * publishes (botframework-connector's OpenIdMetadata reads `jwks_uri`, then each key's `kid`, `n`, `e` and
 * `endorsements`). The set is fixed: botbuilder caches it per URL for the whole process, so a test that needs
 * other keys starts another server (another port, another URL).
 */
export async function startBotFrameworkKeyServer(keys: PublishedKey[]): Promise<BotFrameworkKeyServer> {
  const fetches = { metadata: 0, keys: 0 };
  const jwks = {
    keys: keys.map(({ key, endorsements }) => {
      const jwk = key.publicKey.export({ format: "jwk" });
      return {
        kty: jwk.kty,
        use: "sig",
        kid: key.kid,
        n: jwk.n,
        e: jwk.e,
        ...(endorsements ? { endorsements } : {}),
      };
    }),
  };
  let base = "";
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    const reply = (status: number, value: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (req.method === "GET" && path === "/v1/.well-known/openidconfiguration") {
      fetches.metadata++;
      return reply(200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${base}/v1/.well-known/authorize`,
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["private_key_jwt"],
      });
    }
    if (req.method === "GET" && path === "/v1/.well-known/keys") {
      fetches.keys++;
      return reply(200, jwks);
    }
    reply(404, { error: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    openIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/**
 * A JWT signed with `key` (RS256 unless told), its header naming `kid` (the key's own unless told: a test may
 * sign with one key and name another). `alg: "none"` gives an unsigned token.
 */
export function signToken(
  claims: Record<string, unknown>,
  options: { key: SigningKey; kid?: string; alg?: "RS256" | "RS384" | "RS512" | "none" },
): string {
  const alg = options.alg ?? "RS256";
  const header = {
    alg,
    typ: "JWT",
    kid: options.kid ?? options.key.kid,
    x5t: options.kid ?? options.key.kid,
  };
  const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  if (alg === "none") return `${signed}.`;
  const signature = createSign(`RSA-SHA${alg.slice(2)}`)
    .update(signed)
    .sign(options.key.privateKey);
  return `${signed}.${base64url(signature)}`;
}

/**
 * The claims of a token Teams sends with an activity: issued by the Bot Framework, for the bot's app id, for
 * the activity's serviceUrl, valid from five minutes ago for an hour (as the Bot Framework's are).
 */
export function channelTokenClaims(options: {
  appId: string;
  serviceUrl: string;
  now?: Date;
}): Record<string, unknown> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return {
    serviceurl: options.serviceUrl,
    nbf: now - 300,
    iat: now - 300,
    exp: now + 3600,
    iss: BOT_FRAMEWORK_ISSUER,
    aud: options.appId,
  };
}
