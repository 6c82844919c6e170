import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  arrayElements,
  type BicepResource,
  bicepFiles,
  bicepOutputs,
  bicepOutputValues,
  bicepParamDetails,
  bicepParams,
  bicepResources,
  bicepVariables,
  calledFunctions,
  describeProblem,
  firstSyntaxProblem,
  functionAppSettings,
  INFRA_DIR,
  identifiersIn,
  MAIN_BICEP,
  onlyResourceOfType,
  PARAMETERS_FILE,
  propertyAt,
  resolveVariable,
  resourcesOfType,
  roleAssignments,
  stringValue,
} from "../support/bicep.js";

/**
 * infra/ cannot be compiled here (no Bicep compiler installs offline), so: every file must parse, and what
 * matters for security and for the app is read from the syntax tree and checked.
 */

const ROLE = {
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
};

const scratch = mkdtempSync(join(tmpdir(), "infra-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchBicep(name: string, source: string): string {
  const file = join(scratch, name);
  writeFileSync(file, source);
  return file;
}

function text(resource: BicepResource, path: readonly string[]): string | undefined {
  return propertyAt(resource.body, path)?.text;
}

function only(type: string): BicepResource {
  return onlyResourceOfType(type);
}

describe("infra/ Bicep syntax (tree-sitter-bicep)", () => {
  const files = bicepFiles();

  it("has the main template", () => {
    expect(files).toContain(MAIN_BICEP);
  });

  it.each(files.map((file) => [relative(INFRA_DIR, file), file]))("%s parses with no error", (_, file) => {
    const problem = firstSyntaxProblem(readFileSync(file, "utf8"));
    expect(problem, describeProblem(relative(join(INFRA_DIR, ".."), file), problem)).toBeUndefined();
  });

  it("catches a broken template and says where (negative controls)", () => {
    const strayComma = [
      "resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {",
      "  name: 'x'",
      "  properties: {",
      "    allowSharedKeyAccess: false,,",
      "  }",
      "}",
    ].join("\n");
    expect(firstSyntaxProblem(strayComma)).toMatchObject({ kind: "ERROR", line: 4, column: 33, text: "," });
    expect(describeProblem("main.bicep", firstSyntaxProblem(strayComma))).toBe(
      'main.bicep:4:33: unexpected ","',
    );

    const unclosedArray = "var a = {\n  b: 1\n  c: [\n}\n";
    expect(firstSyntaxProblem(unclosedArray)).toMatchObject({
      kind: "MISSING",
      line: 3,
      column: 7,
      text: "]",
    });

    const unterminatedString = "param location string = 'uksouth\n";
    expect(firstSyntaxProblem(unterminatedString)).toBeDefined();

    const noDefaultValue = "param x string =\n";
    expect(firstSyntaxProblem(noDefaultValue)).toMatchObject({ kind: "ERROR", line: 1 });

    // …and the same checker passes the valid version of the first one.
    expect(firstSyntaxProblem(strayComma.replace(",,", ""))).toBeUndefined();
  });
});

describe("reading the templates from the syntax tree", () => {
  it("lists the main template's params", () => {
    expect(bicepParams()).toEqual([
      "resourceBaseName",
      "location",
      "anonymityKeyMode",
      "newAnonymityKey",
      "evidenceLinkMinutes",
      "evidenceRetentionDays",
      "logRetentionDays",
      "storageSku",
      "botDisplayName",
      "botSku",
      "maximumInstanceCount",
      "instanceMemoryMB",
      "logLevel",
      "lockStorageAccount",
    ]);
    const defaults = new Map(bicepParamDetails().map((param) => [param.name, param.defaultText]));
    expect(defaults.get("resourceBaseName")).toBeUndefined();
    // Made only when asked (the first deployment): a later one must not replace the key in Key Vault.
    expect(defaults.get("anonymityKeyMode")).toBe("'keep'");
    expect(defaults.get("newAnonymityKey")).toBe(`'\${newGuid()}\${newGuid()}'`);
    expect(defaults.get("evidenceLinkMinutes")).toBe("60");
    expect(defaults.get("evidenceRetentionDays")).toBe("30");
    expect(defaults.get("logRetentionDays")).toBe("90");
    // GZRS needs availability zones, which UK West does not have.
    expect(defaults.get("storageSku")).toBe("location == 'ukwest' ? 'Standard_GRS' : 'Standard_GZRS'");
    expect(defaults.get("botSku")).toBe("'F0'");
    expect(defaults.get("maximumInstanceCount")).toBe("40");
    expect(defaults.get("instanceMemoryMB")).toBe("2048");
    expect(defaults.get("logLevel")).toBe("'info'");
  });

  it("lists the outputs the Toolkit writes into its env file", () => {
    expect(bicepOutputs()).toEqual(
      expect.arrayContaining([
        "BOT_ID",
        "BOT_TENANT_ID",
        "BOT_DOMAIN",
        "BOT_ENDPOINT",
        "AZURE_FUNCTION_APP_NAME",
        "AZURE_FUNCTION_APP_RESOURCE_ID",
        "AZURE_STORAGE_ACCOUNT_NAME",
        "AZURE_KEY_VAULT_NAME",
        "APPLICATIONINSIGHTS_NAME",
      ]),
    );
    for (const name of bicepOutputs()) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
    const outputs = bicepOutputValues();
    expect(outputs.get("BOT_ID")?.text).toBe("identity.properties.clientId");
    expect(outputs.get("BOT_DOMAIN")?.text).toBe("functionApp.properties.defaultHostName");
  });

  // Which names: test/unit/deployment-settings.test.ts compares them with the configuration module.
  it("reads the Function App's app settings and their values as written", () => {
    const settings = functionAppSettings();
    expect(settings.get("MicrosoftAppId")).toBe("identity.properties.clientId");
    expect(settings.get("AZURE_CLIENT_ID")).toBe("identity.properties.clientId");
    expect(settings.get("AzureWebJobsStorage__clientId")).toBe("identity.properties.clientId");
    expect(settings.get("MicrosoftAppType")).toBe("'UserAssignedMSI'");
    expect(settings.get("MicrosoftAppTenantId")).toBe("tenant().tenantId");
    expect(settings.get("AzureWebJobsStorage__accountName")).toBe("storage.name");
    expect(settings.get("AzureWebJobsStorage__credential")).toBe("'managedidentity'");
    expect(settings.get("STORAGE_TABLE_ENDPOINT")).toBe("storage.properties.primaryEndpoints.table");
    expect(settings.get("STORAGE_BLOB_ENDPOINT")).toBe("storage.properties.primaryEndpoints.blob");
    expect(settings.get("EVIDENCE_LINK_MINUTES")).toBe("string(evidenceLinkMinutes)");
    expect(settings.get("LOG_LEVEL")).toBe("logLevel");
    expect(settings.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Bicep interpolation, not a JS template
      "'ClientId=${identity.properties.clientId};Authorization=AAD'",
    );
  });

  it("is not fooled by comments or strings that look like declarations", () => {
    const file = scratchBicep(
      "decoy.bicep",
      [
        "// param commentedOut string",
        "param real string",
        "var note = 'output fake string = 1'",
        "/* output alsoFake string = '' */",
        "output REAL string = real",
      ].join("\n"),
    );
    expect(bicepParams(file)).toEqual(["real"]);
    expect(bicepOutputs(file)).toEqual(["REAL"]);
  });

  it("keeps the parameters file and the template's params in step", () => {
    const parametersFile = JSON.parse(readFileSync(PARAMETERS_FILE, "utf8")) as {
      $schema: string;
      parameters: Record<string, { value: unknown }>;
    };
    expect(parametersFile.$schema).toMatch(/deploymentParameters\.json#$/);
    const given = Object.keys(parametersFile.parameters);
    const declared = bicepParams();
    for (const name of given) expect(declared, `${name} in the parameters file`).toContain(name);
    const required = bicepParamDetails()
      .filter((param) => param.defaultText === undefined)
      .map((param) => param.name);
    for (const name of required) expect(given, `${name} has no default`).toContain(name);

    // Values come from the Toolkit's env files: a secret is never written into the file itself.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Toolkit env placeholder, not a JS template
    expect(parametersFile.parameters.anonymityKeyMode?.value).toBe("${{ANONYMITY_KEY_MODE}}");
    // The key is made in Azure: no deployment passes one in.
    expect(parametersFile.parameters.newAnonymityKey).toBeUndefined();
    for (const [name, { value }] of Object.entries(parametersFile.parameters)) {
      expect(value, name).toMatch(/\$\{\{[A-Z0-9_]+\}\}/);
    }
    expect(parametersFile.parameters.resourceBaseName?.value).toMatch(
      /^[a-z][a-z0-9-]*\$\{\{RESOURCE_SUFFIX\}\}$/,
    );
  });
});

describe("security-relevant settings", () => {
  it("keeps every region default and choice in the UK", () => {
    const location = bicepParamDetails().find((param) => param.name === "location");
    expect(stringValue(location?.defaultValue)).toBe("uksouth");
    const allowed = arrayElements(location?.decorators.get("allowed")?.[0]).map((node) => stringValue(node));
    expect(allowed.length).toBeGreaterThan(0);
    for (const region of allowed) expect(["uksouth", "ukwest"]).toContain(region);
    // Every regional resource uses it (the bot is global by design: it has no regional data).
    for (const resource of bicepResources()) {
      const where = text(resource, ["location"]);
      if (where !== undefined) expect(["location", "'global'"], resource.symbol).toContain(where);
    }
  });

  it("storage: Entra ID only, no public blobs, TLS 1.2, HTTPS only", () => {
    const storage = only("Microsoft.Storage/storageAccounts");
    expect(text(storage, ["properties", "allowSharedKeyAccess"])).toBe("false");
    expect(text(storage, ["properties", "allowBlobPublicAccess"])).toBe("false");
    expect(stringValue(propertyAt(storage.body, ["properties", "minimumTlsVersion"]))).toBe("TLS1_2");
    expect(text(storage, ["properties", "supportsHttpsTrafficOnly"])).toBe("true");
    expect(text(storage, ["kind"])).toBe("'StorageV2'");
    for (const container of resourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers")) {
      expect(stringValue(propertyAt(container.body, ["properties", "publicAccess"])), container.symbol).toBe(
        "None",
      );
    }
    const containers = resourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers").map((c) =>
      stringValue(resolveVariable(propertyAt(c.body, ["name"]))),
    );
    expect(containers).toEqual(expect.arrayContaining(["app-package", "evidence-packs"]));
  });

  it("storage: blob soft delete, and evidence packs deleted after the retention period", () => {
    const blobService = only("Microsoft.Storage/storageAccounts/blobServices");
    expect(text(blobService, ["properties", "deleteRetentionPolicy", "enabled"])).toBe("true");
    expect(Number(text(blobService, ["properties", "deleteRetentionPolicy", "days"]))).toBeGreaterThan(0);

    const policy = only("Microsoft.Storage/storageAccounts/managementPolicies");
    const rules = arrayElements(propertyAt(policy.body, ["properties", "policy", "rules"]));
    expect(rules).toHaveLength(1);
    const definition = propertyAt(rules[0], ["definition"]);
    const prefixes = arrayElements(propertyAt(definition, ["filters", "prefixMatch"])).map(
      (node) => node.text,
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Bicep interpolation, not a JS template
    expect(prefixes).toEqual(["'${evidenceContainerName}/'"]);
    expect(stringValue(bicepVariables().get("evidenceContainerName"))).toBe("evidence-packs");
    expect(
      propertyAt(definition, ["actions", "baseBlob", "delete", "daysAfterModificationGreaterThan"])?.text,
    ).toBe("evidenceRetentionDays");
  });

  it("storage: blob and table access is logged to the workspace", () => {
    const settings = resourcesOfType("Microsoft.Insights/diagnosticSettings");
    const scopes = settings.map((setting) => text(setting, ["scope"]));
    expect(scopes).toEqual(expect.arrayContaining(["blobService", "tableService"]));
    for (const setting of settings) {
      expect(text(setting, ["properties", "workspaceId"])).toBe("workspace.id");
      const logs = arrayElements(resolveVariable(propertyAt(setting.body, ["properties", "logs"])));
      const enabled = logs
        .filter((log) => propertyAt(log, ["enabled"])?.text === "true")
        .map((log) => stringValue(propertyAt(log, ["category"])));
      expect(enabled).toEqual(expect.arrayContaining(["StorageRead", "StorageWrite", "StorageDelete"]));
    }
  });

  it("no account key anywhere: not in app settings, no listKeys or other list* call", () => {
    for (const [name, value] of functionAppSettings()) {
      expect(value, name).not.toMatch(/AccountKey/i);
      expect(value, name).not.toContain("listKeys(");
      expect(value, name).not.toMatch(/InstrumentationKey=/i);
    }
    const calls = calledFunctions();
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).not.toMatch(/(^|\.)list[A-Za-z]*$/);
    const settings = functionAppSettings();
    for (const forbidden of ["AzureWebJobsStorage", "MicrosoftAppPassword", "STORAGE_CONNECTION_STRING"]) {
      expect(settings.has(forbidden), forbidden).toBe(false);
    }
  });

  it("the Function App: HTTPS only, Node 22 on Flex Consumption, the identity for deployment storage", () => {
    const site = only("Microsoft.Web/sites");
    expect(text(site, ["properties", "httpsOnly"])).toBe("true");
    expect(text(site, ["kind"])).toBe("'functionapp,linux'");
    expect(text(site, ["identity", "type"])).toBe("'UserAssigned'");
    expect(stringValue(propertyAt(site.body, ["properties", "siteConfig", "minTlsVersion"]))).toBe("1.2");
    const config = propertyAt(site.body, ["properties", "functionAppConfig"]);
    expect(propertyAt(config, ["runtime", "name"])?.text).toBe("'node'");
    expect(propertyAt(config, ["runtime", "version"])?.text).toBe("'22'");
    expect(propertyAt(config, ["deployment", "storage", "type"])?.text).toBe("'blobContainer'");
    expect(propertyAt(config, ["deployment", "storage", "authentication", "type"])?.text).toBe(
      "'UserAssignedIdentity'",
    );
    expect(
      propertyAt(config, ["deployment", "storage", "authentication", "userAssignedIdentityResourceId"])?.text,
    ).toBe("identity.id");
    const plan = only("Microsoft.Web/serverfarms");
    expect(text(plan, ["sku", "name"])).toBe("'FC1'");
    expect(text(plan, ["sku", "tier"])).toBe("'FlexConsumption'");
    expect(text(plan, ["properties", "reserved"])).toBe("true");

    // Flex Consumption rejects these (deployment fails) or sets them itself.
    const siteConfig = propertyAt(site.body, ["properties", "siteConfig"]);
    for (const rejected of ["ftpsState", "linuxFxVersion", "alwaysOn", "use32BitWorkerProcess"]) {
      expect(propertyAt(siteConfig, [rejected]), rejected).toBeUndefined();
    }
    const settings = functionAppSettings();
    for (const moved of [
      "FUNCTIONS_WORKER_RUNTIME",
      "FUNCTIONS_EXTENSION_VERSION",
      "WEBSITE_RUN_FROM_PACKAGE",
    ]) {
      expect(settings.has(moved), moved).toBe(false);
    }
  });

  it("the anonymity key: made in Azure, kept in Key Vault (RBAC, purge protection), read by reference", () => {
    const param = bicepParamDetails().find((p) => p.name === "newAnonymityKey");
    expect(param?.decorators.has("secure")).toBe(true);

    const vault = only("Microsoft.KeyVault/vaults");
    expect(text(vault, ["properties", "enableRbacAuthorization"])).toBe("true");
    expect(text(vault, ["properties", "enableSoftDelete"])).toBe("true");
    expect(text(vault, ["properties", "enablePurgeProtection"])).toBe("true");
    // How infra/anonymity-key.mjs tells this deployment's vault from others in the group.
    expect(text(vault, ["tags", "goLiveGovernance"])).toBe("resourceBaseName");
    expect(readFileSync(join(INFRA_DIR, "anonymity-key.mjs"), "utf8")).toContain(
      'const VAULT_TAG = "goLiveGovernance";',
    );
    const secret = only("Microsoft.KeyVault/vaults/secrets");
    expect(text(secret, ["properties", "value"])).toBe("newAnonymityKey");

    // Written only by the deployment told to make it (the first), never replaced by a later one.
    expect(secret.condition).toContain("anonymityKeyMode == 'create'");
    expect(functionAppSettings().get("ANONYMITY_KEY")).toBe(
      `'@Microsoft.KeyVault(SecretUri=\${keyVault.properties.vaultUri}secrets/\${anonymitySecretName})'`,
    );
    expect(text(secret, ["name"])).toBe("anonymitySecretName");
    expect(stringValue(bicepVariables().get("anonymitySecretName"))).toBe("anonymity-key");
    expect(text(only("Microsoft.Web/sites"), ["properties", "keyVaultReferenceIdentity"])).toBe(
      "identity.id",
    );
    // Used nowhere else: not in an app setting in clear, not in an output.
    for (const [name, value] of bicepOutputValues()) {
      expect(identifiersIn(value), name).not.toContain("newAnonymityKey");
      expect(identifiersIn(value), name).not.toContain(secret.symbol);
    }
  });

  it("the identity gets only data roles: tables and blobs on storage, secrets, metrics", () => {
    const assignments = roleAssignments();
    const on = (guid: string) => assignments.filter((assignment) => assignment.roleDefinitionGuid === guid);
    for (const [role, scope] of [
      [ROLE.storageTableDataContributor, "storage"],
      [ROLE.storageBlobDataContributor, "storage"],
      [ROLE.keyVaultSecretsUser, "keyVault"],
      [ROLE.monitoringMetricsPublisher, "appInsights"],
    ] as const) {
      const found = on(role);
      expect(found, role).toHaveLength(1);
      expect(found[0]).toMatchObject({
        scope,
        principalId: "identity.properties.principalId",
        principalType: "ServicePrincipal",
      });
    }
    // Nothing broader (Owner, Contributor, Storage Account Contributor…) is granted.
    for (const assignment of assignments) {
      expect(Object.values(ROLE), assignment.symbol).toContain(assignment.roleDefinitionGuid);
    }
    const storageScope = assignments.filter((a) => a.scope === "storage").map((a) => a.roleDefinitionGuid);
    expect(storageScope).toEqual(
      expect.arrayContaining([ROLE.storageTableDataContributor, ROLE.storageBlobDataContributor]),
    );
  });

  it("Application Insights takes Entra-authenticated telemetry only, into the workspace", () => {
    const appInsights = only("Microsoft.Insights/components");
    expect(text(appInsights, ["properties", "DisableLocalAuth"])).toBe("true");
    expect(text(appInsights, ["properties", "WorkspaceResourceId"])).toBe("workspace.id");
    expect(functionAppSettings().get("APPLICATIONINSIGHTS_CONNECTION_STRING")).toBe(
      "appInsights.properties.ConnectionString",
    );
  });

  it("the Azure Bot signs in as the managed identity and talks to Teams at /api/messages", () => {
    const bot = only("Microsoft.BotService/botServices");
    expect(text(bot, ["location"])).toBe("'global'");
    expect(text(bot, ["kind"])).toBe("'azurebot'");
    expect(text(bot, ["properties", "msaAppType"])).toBe("'UserAssignedMSI'");
    expect(text(bot, ["properties", "msaAppId"])).toBe("identity.properties.clientId");
    expect(text(bot, ["properties", "msaAppTenantId"])).toBe("tenant().tenantId");
    expect(text(bot, ["properties", "msaAppMSIResourceId"])).toBe("identity.id");
    expect(text(bot, ["properties", "endpoint"])).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Bicep interpolation, not a JS template
      "'https://${functionApp.properties.defaultHostName}/api/messages'",
    );
    const channel = only("Microsoft.BotService/botServices/channels");
    expect(stringValue(propertyAt(channel.body, ["name"]))).toBe("MsTeamsChannel");
    expect(stringValue(propertyAt(channel.body, ["properties", "channelName"]))).toBe("MsTeamsChannel");
    expect(text(channel, ["properties", "properties", "isEnabled"])).toBe("true");
    expect(text(channel, ["parent"])).toBe(bot.symbol);
  });
});
