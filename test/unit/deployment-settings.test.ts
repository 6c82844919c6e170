import { describe, expect, it } from "vitest";
import {
  ALL_SETTINGS,
  AZURE_SETTINGS,
  FUNCTIONS_HOST_SETTINGS,
  LOCAL_SETTINGS,
  SECRET_ALTERNATIVES,
} from "../../functions/config.js";
import { readProductionSettings } from "../../functions/productionSettings.js";
import { functionAppSettings } from "../support/bicep.js";

const sorted = (names: Iterable<string>) => [...names].sort();

/** What infra/'s Bicep expressions resolve to in Azure (they become values only there). */
const RESOLVED: Record<string, string> = {
  MicrosoftAppId: "0f6c54f0-4b5d-4c8e-9a41-2a1d3c7e9b10",
  MicrosoftAppType: "UserAssignedMSI",
  MicrosoftAppTenantId: "7a1c2f4e-0000-4000-8000-00000000c4e1",
  AZURE_CLIENT_ID: "0f6c54f0-4b5d-4c8e-9a41-2a1d3c7e9b10",
  STORAGE_TABLE_ENDPOINT: "https://stgolive.table.core.windows.net/",
  STORAGE_BLOB_ENDPOINT: "https://stgolive.blob.core.windows.net/",
  ANONYMITY_KEY: "k".repeat(64),
  EVIDENCE_LINK_MINUTES: "60",
  LOG_LEVEL: "info",
};

// What infra/ sets on the Function App and what the code reads must be the same list: a setting the code reads
// but infra/ forgets stops the app at start in Azure; one infra/ sets but nothing reads is a typo or a leftover.
describe("the Function App's settings: infra/ and the configuration module agree", () => {
  it("infra/ sets exactly what the code reads in Azure, plus the Functions host's own settings", () => {
    expect(sorted(functionAppSettings().keys())).toEqual(
      sorted([...AZURE_SETTINGS, ...FUNCTIONS_HOST_SETTINGS]),
    );
  });

  it("every setting the code knows is read in Azure, a secret alternative infra/ never sets, or local only", () => {
    const listed = [...AZURE_SETTINGS, ...SECRET_ALTERNATIVES, ...LOCAL_SETTINGS];
    expect(new Set(listed).size).toBe(listed.length);
    expect(sorted(listed)).toEqual(sorted(ALL_SETTINGS));
  });

  it("sets no secret: no password, no storage key, the anonymity key only as a Key Vault reference", () => {
    const settings = functionAppSettings();
    for (const secret of SECRET_ALTERNATIVES) expect(settings.has(secret)).toBe(false);
    expect(settings.get("ANONYMITY_KEY")).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=\$\{.+\}\)'$/);
    expect(settings.get("MicrosoftAppType")).toBe("'UserAssignedMSI'");
  });

  it("refuses to start on a Key Vault reference Azure could not resolve, or a password beside a managed identity", () => {
    const start = (changes: Record<string, string>) => () =>
      readProductionSettings({ ...RESOLVED, ...changes }, () => ({ getToken: async () => null }));
    expect(
      start({
        ANONYMITY_KEY:
          "@Microsoft.KeyVault(SecretUri=https://kvgolive.vault.azure.net/secrets/anonymity-key)",
      }),
    ).toThrow(/ANONYMITY_KEY: its Key Vault reference was not resolved/);
    expect(start({ MicrosoftAppPassword: "left-over-secret" })).toThrow(
      /MicrosoftAppPassword: must not be set for a bot that uses a managed identity/,
    );
    expect(start({})).not.toThrow();
  });

  it("the values infra/ gives are accepted by the configuration module as the Function App starts", () => {
    const resolved = RESOLVED;
    expect(sorted(Object.keys(resolved))).toEqual(sorted(AZURE_SETTINGS));
    const clientIds: (string | undefined)[] = [];
    const settings = readProductionSettings(resolved, (clientId) => {
      clientIds.push(clientId);
      return { getToken: async () => null };
    });
    expect(settings.storage).toMatchObject({ kind: "endpoint", endpoint: resolved.STORAGE_TABLE_ENDPOINT });
    expect(settings.blobs).toMatchObject({ kind: "endpoint", endpoint: resolved.STORAGE_BLOB_ENDPOINT });
    expect(settings.credentials).toEqual({
      appId: resolved.MicrosoftAppId,
      appType: "UserAssignedMSI",
      tenantId: resolved.MicrosoftAppTenantId,
    });
    expect(clientIds).toEqual([resolved.AZURE_CLIENT_ID]);
    expect(settings.linkLifetimeMs).toBe(3_600_000);
  });
});
