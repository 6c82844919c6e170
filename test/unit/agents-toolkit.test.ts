import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildAppPackage } from "../../appPackage/build.js";
import { bicepOutputs, bicepParams } from "../support/bicep.js";

// The Agents Toolkit cannot run here (it signs in to Azure and Microsoft 365), so these tests check what would
// make `atk provision / deploy / publish` fail part-way: a value used before any step or the env file gives it,
// a file or npm script that does not exist, the deploy step uploading something the build does not write.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;

interface Step {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface Project {
  version: string;
  environmentFolderPath: string;
  provision: Step[];
  deploy: Step[];
  publish: Step[];
}

const project = parse(readFileSync(join(ROOT, "m365agents.yml"), "utf8")) as Project;
const packageScripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: object })
  .scripts;

function templatesOf(step: Step | undefined): { path: string; parameters: string }[] {
  return (step?.with?.templates ?? []) as { path: string; parameters: string }[];
}

function placeholders(value: unknown): string[] {
  return [...JSON.stringify(value ?? null).matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/**
 * Names the env file gives a value. The Toolkit treats an empty value as missing (and stops at the step that
 * uses it). The subscription and resource group are the exception: empty in the committed file, each provider
 * fills them in first (README), and the anonymity-key step stops, saying so, while they are empty.
 */
function envFileValues(file: string): string[] {
  const given = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .filter((line) => line.slice(line.indexOf("=") + 1).trim() !== "")
    .map((line) => line.slice(0, line.indexOf("=")));
  return [...given, "AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP_NAME"];
}

/** What a step adds to the environment for the steps after it. */
function written(step: Step): string[] {
  const names = Object.values(step.writeToEnvironmentFile ?? {});
  if (step.uses === "arm/deploy") {
    for (const template of templatesOf(step)) names.push(...bicepOutputs(join(ROOT, template.path)));
  }
  if (step.uses === "script") {
    const script = String(step.with?.run).match(/^node (\S+\.mjs)$/)?.[1];
    if (script) {
      const source = readFileSync(join(ROOT, script), "utf8");
      names.push(...[...source.matchAll(/::set-teamsfx-env ([A-Z0-9_]+)=/g)].map((m) => m[1] as string));
    }
  }
  return names;
}

describe("the Microsoft 365 Agents Toolkit project (m365agents.yml)", () => {
  const envFile = join(ROOT, project.environmentFolderPath, ".env.dev");

  it("has the three lifecycle stages and an environment file", () => {
    expect(project.version).toBe("v1.9");
    for (const stage of [project.provision, project.deploy, project.publish])
      expect(stage.length).toBeGreaterThan(0);
    expect(existsSync(envFile)).toBe(true);
  });

  it("uses no value before the env file or an earlier step provides it", () => {
    const known = new Set(envFileValues(envFile));
    const missing: string[] = [];
    for (const stage of ["provision", "deploy", "publish"] as const) {
      for (const step of project[stage]) {
        const used = placeholders(step.with);
        if (step.uses === "arm/deploy") {
          for (const template of templatesOf(step))
            used.push(...placeholders(readFileSync(join(ROOT, template.parameters), "utf8")));
        }
        if (step.uses === "cli/runNpmCommand" && step.with?.args === "run package") {
          // BOT_ID, TEAMS_APP_ID and BOT_DOMAIN must be real by then, or the package is local-only.
          used.push("BOT_ID", "TEAMS_APP_ID", "BOT_DOMAIN");
        }
        for (const name of used)
          if (!known.has(name)) missing.push(`${stage} › ${step.name ?? step.uses}: ${name}`);
        for (const name of written(step)) known.add(name);
      }
    }
    expect(missing).toEqual([]);
  });

  it("fills every parameter of infra/azure.bicep that has no default, and nothing it does not declare", () => {
    const arm = project.provision.find((step) => step.uses === "arm/deploy");
    const template = templatesOf(arm)[0];
    expect(template).toBeDefined();
    const given = Object.keys(
      (JSON.parse(readFileSync(join(ROOT, template?.parameters ?? ""), "utf8")) as { parameters: object })
        .parameters,
    );
    const declared = bicepParams(join(ROOT, template?.path ?? ""));
    for (const name of given) expect(declared).toContain(name);
    expect(given).toEqual(expect.arrayContaining(["resourceBaseName", "anonymityKeyMode"]));
  });

  it("runs only npm scripts that exist, and ships the bundle and the app package the builds write", () => {
    const steps = [...project.provision, ...project.deploy, ...project.publish];
    for (const step of steps.filter((s) => s.uses === "cli/runNpmCommand")) {
      const script = String(step.with?.args).match(/^run ([\w:-]+)/)?.[1];
      if (script) expect(Object.keys(packageScripts)).toContain(script);
    }
    const deploy = project.deploy.find((step) => step.uses === "script");
    expect(String(deploy?.with?.run)).toContain("--src dist/function-app.zip");
    expect(placeholders(deploy?.with)).toContain("AZURE_FUNCTION_APP_NAME");

    const packagePaths = new Set(
      steps
        .map((step) => step.with?.appPackagePath)
        .filter((path): path is string => typeof path === "string"),
    );
    // `npm run package` writes to appPackage/build/ (its default); built here elsewhere to leave that alone.
    const outDir = mkdtempSync(join(tmpdir(), "app-package-"));
    const built = buildAppPackage({ env: {}, outDir });
    rmSync(outDir, { recursive: true, force: true });
    expect(built.ok && built.zipPath).toBe(join(outDir, "appPackage.zip"));
    expect([...packagePaths]).toEqual(["./appPackage/build/appPackage.zip"]);
  });

  describe("the anonymity key: made in Azure once per deployment, never again, whoever provisions", () => {
    // A stand-in for the Azure CLI answering from a described subscription, as `az` would: vaults carry tags,
    // a missing resource exits 3, a failure (throttling, no access) exits 1.
    const fakeAz = join(mkdtempSync(join(tmpdir(), "fake-az-")), "az.mjs");
    writeFileSync(
      fakeAz,
      [
        "#!/usr/bin/env node",
        "const azure = JSON.parse(process.env.FAKE_AZURE);",
        "const argv = process.argv.slice(2);",
        "const args = argv.join(' ');",
        "const fail = (status, message) => { console.error(message); process.exit(status); };",
        "if (azure.signedOut) fail(1, 'Please run az login to setup account.');",
        "if (args.startsWith('group exists')) console.log(String(azure.groupExists));",
        "else if (args.startsWith('keyvault list')) {",
        "  if (azure.listFails) fail(1, '(AuthorizationFailed) The client does not have authorization.');",
        "  const [, tag, value] = argv[argv.indexOf('--query') + 1].match(/tags\\.(\\w+)=='([^']*)'/);",
        "  console.log(azure.vaults.filter((v) => v.tags[tag] === value).map((v) => v.id).join('\\n'));",
        "} else if (args.startsWith('resource show')) {",
        "  const id = argv[argv.indexOf('--ids') + 1];",
        "  if (azure.showFails) fail(1, '(TooManyRequests) Rate limit exceeded.');",
        "  if (azure.secrets.includes(id)) console.log(JSON.stringify(id));",
        "  else fail(3, '(ResourceNotFound) The Resource ' + id + ' was not found.');",
        "} else fail(2, 'unexpected: ' + args);",
      ].join("\n"),
      { mode: 0o755 },
    );
    const vaultId =
      "/subscriptions/s/resourceGroups/rg-golive/providers/Microsoft.KeyVault/vaults/kvgolivedev";
    const otherVaultId =
      "/subscriptions/s/resourceGroups/rg-golive/providers/Microsoft.KeyVault/vaults/kvgolivetest";
    // RESOURCE_SUFFIX "dev" makes the parameters file's resourceBaseName "golivedev".
    const ours = { id: vaultId, tags: { goLiveGovernance: "golivedev" } };
    const another = { id: otherVaultId, tags: { goLiveGovernance: "golivetest" } };
    const key = (vault: string) => `${vault}/secrets/anonymity-key`;
    const decide = (azure: object, env: Record<string, string> = {}) => {
      try {
        const out = execFileSync(process.execPath, [join(ROOT, "infra/anonymity-key.mjs")], {
          env: {
            PATH: process.env.PATH ?? "",
            AZ: fakeAz,
            FAKE_AZURE: JSON.stringify(azure),
            AZURE_SUBSCRIPTION_ID: "s",
            AZURE_RESOURCE_GROUP_NAME: "rg-golive",
            RESOURCE_SUFFIX: "dev",
            ...env,
          },
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        });
        return { code: 0, out: out.trim(), err: "" };
      } catch (error) {
        const e = error as { status: number; stdout: string; stderr: string };
        return { code: e.status, out: e.stdout.trim(), err: e.stderr };
      }
    };
    const creates = "::set-teamsfx-env ANONYMITY_KEY_MODE=create";
    const keeps = "::set-teamsfx-env ANONYMITY_KEY_MODE=keep";
    const stops = (result: ReturnType<typeof decide>, why: RegExp) => {
      expect(result.code).toBe(1);
      expect(result.out).toBe("");
      expect(result.err).toMatch(why);
    };

    it("makes it for a new resource group, or a deployment whose vault holds no key yet", () => {
      expect(decide({ groupExists: false, vaults: [], secrets: [] }).out).toBe(creates);
      expect(decide({ groupExists: true, vaults: [], secrets: [] }).out).toBe(creates);
      expect(decide({ groupExists: true, vaults: [ours], secrets: [] }).out).toBe(creates);
    });

    it("keeps the key already in this deployment's Key Vault, and only that vault counts", () => {
      expect(decide({ groupExists: true, vaults: [ours, another], secrets: [key(vaultId)] }).out).toBe(keeps);
      // Another deployment's key in the same group is not this one's.
      expect(decide({ groupExists: true, vaults: [ours, another], secrets: [key(otherVaultId)] }).out).toBe(
        creates,
      );
    });

    it("stops, saying why, rather than guess: signed out, a listing or a check that fails, nothing to go on", () => {
      stops(decide({ signedOut: true }), /az login/);
      stops(decide({ groupExists: true, listFails: true, vaults: [], secrets: [] }), /AuthorizationFailed/);
      stops(decide({ groupExists: true, showFails: true, vaults: [ours], secrets: [] }), /Rate limit/);
      stops(
        decide({ groupExists: true, vaults: [], secrets: [] }, { AZURE_RESOURCE_GROUP_NAME: "" }),
        /AZURE_RESOURCE_GROUP_NAME/,
      );
      stops(
        decide({ groupExists: true, vaults: [], secrets: [] }, { RESOURCE_SUFFIX: "" }),
        /RESOURCE_SUFFIX/,
      );
    });
  });
});
