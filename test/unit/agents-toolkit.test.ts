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
 * uses it), except APP_NAME_SUFFIX; the subscription and resource group it asks for when they are empty.
 */
function envFileValues(file: string): string[] {
  const given = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .filter((line) => line.slice(line.indexOf("=") + 1).trim() !== "" || line.startsWith("APP_NAME_SUFFIX="))
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

/** Environment values the app package build reads (documented at the top of appPackage/build.ts). */
function packageBuildReads(): string[] {
  const header = readFileSync(join(ROOT, "appPackage/build.ts"), "utf8").split("*/")[0] ?? "";
  return [...header.matchAll(/^ \* {3}([A-Z][A-Z0-9_]+) /gm)].map((m) => m[1] as string);
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
          used.push(
            ...packageBuildReads().filter((name) => ["BOT_ID", "TEAMS_APP_ID", "BOT_DOMAIN"].includes(name)),
          );
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

  describe("the anonymity key: made in Azure once per resource group, never again, whoever provisions", () => {
    // A stand-in for the Azure CLI answering from a described subscription, as `az` would.
    const fakeAz = join(mkdtempSync(join(tmpdir(), "fake-az-")), "az.mjs");
    writeFileSync(
      fakeAz,
      [
        "#!/usr/bin/env node",
        "const azure = JSON.parse(process.env.FAKE_AZURE);",
        "const args = process.argv.slice(2).join(' ');",
        "if (azure.signedOut) { console.error('Please run az login to setup account.'); process.exit(1); }",
        "if (args.startsWith('group exists')) console.log(String(azure.groupExists));",
        "else if (args.startsWith('keyvault list')) console.log(azure.vaults.join('\\n'));",
        "else if (args.startsWith('resource show')) {",
        "  const id = process.argv[process.argv.indexOf('--ids') + 1];",
        "  if (azure.secrets.includes(id)) console.log(JSON.stringify(id));",
        "  else { console.error('(ResourceNotFound) The Resource ' + id + ' was not found.'); process.exit(3); }",
        "} else { console.error('unexpected: ' + args); process.exit(2); }",
      ].join("\n"),
      { mode: 0o755 },
    );
    const vault = "/subscriptions/s/resourceGroups/rg-golive/providers/Microsoft.KeyVault/vaults/kvgolive";
    const decide = (azure: object, env: Record<string, string> = {}) => {
      try {
        const out = execFileSync(process.execPath, [join(ROOT, "infra/anonymity-key.mjs")], {
          env: {
            PATH: process.env.PATH ?? "",
            AZ: fakeAz,
            FAKE_AZURE: JSON.stringify(azure),
            AZURE_SUBSCRIPTION_ID: "s",
            AZURE_RESOURCE_GROUP_NAME: "rg-golive",
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

    it("makes it for a new resource group, or one whose vaults hold no key yet", () => {
      expect(decide({ groupExists: false, vaults: [], secrets: [] }).out).toBe(creates);
      expect(decide({ groupExists: true, vaults: [], secrets: [] }).out).toBe(creates);
      expect(decide({ groupExists: true, vaults: [vault], secrets: [] }).out).toBe(creates);
    });

    it("keeps the key already in the group's Key Vault", () => {
      expect(
        decide({ groupExists: true, vaults: [vault], secrets: [`${vault}/secrets/anonymity-key`] }).out,
      ).toBe(keeps);
    });

    it("stops, saying why, when it cannot ask Azure or does not know where to look", () => {
      const signedOut = decide({ signedOut: true });
      expect(signedOut.code).toBe(1);
      expect(signedOut.out).toBe("");
      expect(signedOut.err).toMatch(/az login/);
      const nowhere = decide(
        { groupExists: true, vaults: [], secrets: [] },
        { AZURE_RESOURCE_GROUP_NAME: "" },
      );
      expect(nowhere.code).toBe(1);
      expect(nowhere.err).toContain("AZURE_RESOURCE_GROUP_NAME");
    });
  });
});
