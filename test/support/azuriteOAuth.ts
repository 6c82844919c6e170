import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { type RunningAzuriteWithBlobs, startAzurite } from "../../store/azurite.js";

/**
 * Azurite as Azure is reached with a managed identity: over https (a throwaway self-signed certificate) with
 * bearer tokens (Azurite's "basic" OAuth checks their shape, audience and expiry, not a signature).
 */
export const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

export async function startAzuriteWithOAuth(): Promise<RunningAzuriteWithBlobs> {
  const certs = await mkdtemp(join(tmpdir(), "azurite-tls-"));
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1"],
      ...["-keyout", join(certs, "key.pem"), "-out", join(certs, "cert.pem")],
    ],
    { stdio: "ignore" },
  );
  // The emulator's throwaway self-signed certificate, on loopback, in this test process only.
  const previousTlsSetting = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  const azurite = await startAzurite({
    https: { cert: join(certs, "cert.pem"), key: join(certs, "key.pem") },
    oauth: "basic",
  });
  return {
    ...azurite,
    async close() {
      await azurite.close();
      if (previousTlsSetting === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousTlsSetting;
      await rm(certs, { recursive: true, force: true });
    },
  };
}

/** An unsigned token shaped like one Entra ID gives a managed identity for Storage; records what was asked. */
export function managedIdentityLike(): TokenCredential & { calls: number; scopes: string[] } {
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const credential = {
    calls: 0,
    scopes: [] as string[],
    async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
      credential.calls += 1;
      credential.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
      const now = Math.floor(Date.now() / 1000);
      const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
      const claims = {
        aud: "https://storage.azure.com",
        iss: `https://sts.windows.net/${tenant}/`,
        iat: now - 60,
        nbf: now - 60,
        exp: now + 3_600,
        oid: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
        tid: tenant,
      };
      return {
        token: `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims)}.`,
        expiresOnTimestamp: (now + 3_600) * 1000,
      };
    },
  };
  return credential;
}
