import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, parse, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUNDLE_NAME,
  buildFunctionApp,
  type FunctionAppBuild,
  functionAppEsbuildOptions,
  LEFT_OUT,
  LEFT_OUT_MESSAGE,
  LEGAL_NAME,
} from "../../functions/build/bundle.js";
import { FAKE_AZURE_SETTINGS } from "../support/functionsHost.js";
import { readZip } from "../support/zip.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Stands in for the Functions Node.js worker: it answers `require("@azure/functions-core")` the way the worker
 * does (by wrapping Module.prototype.require), records the registrations and prints them as the process exits.
 */
const FAKE_HOST = `
const Module = require("node:module");
const registered = [];
const core = {
  version: "3.10.1",
  hostVersion: "4.1036.0",
  setProgrammingModel() {},
  registerFunction(metadata) {
    registered.push({ name: metadata.name, types: Object.values(metadata.bindings).map((b) => b.type) });
    return { dispose() {} };
  },
  registerHook() { return { dispose() {} }; },
  log() {},
};
const original = Module.prototype.require;
Module.prototype.require = new Proxy(original, {
  apply(target, self, args) {
    return args[0] === "@azure/functions-core" ? core : Reflect.apply(target, self, args);
  },
});
process.on("exit", () => process.stdout.write("registered " + JSON.stringify(registered) + "\\n"));
`;

/** Runs node in `cwd` with only PATH and `env`: no NODE_PATH, no NODE_OPTIONS from the test runner. */
function node(args: string[], cwd: string, env: Record<string, string>) {
  const run = spawnSync(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, error: run.error };
}

/** stderr without the minified source line Node quotes above an uncaught error (one line of the bundle). */
const readable = (stderr: string) =>
  stderr
    .split("\n")
    .filter((line) => line.length <= 500)
    .join("\n");

const importScript = (file: string) => `await import(${JSON.stringify(pathToFileURL(file).href)});`;

/**
 * Code each left-out package would put in the bundle: names and text from its files (gpt-tokenizer's cl100k_base
 * encoding, the recognisers' classes, openai's endpoint, yaml's and axios's classes), none of them in our code.
 */
const LEFT_OUT_CODE: Record<string, readonly string[]> = {
  "gpt-tokenizer": ["Cl100KBase", "bytePairRankDecoder", "<|endoftext|>"],
  "@microsoft/recognizers-text-suite": ["ChoiceRecognizer"],
  "@microsoft/recognizers-text-date-time": ["DateTimeRecognizer", "BaseDateTimeExtractor"],
  "@microsoft/recognizers-text-number": ["NumberRecognizer"],
  "@microsoft/recognizers-text-choice": ["BooleanExtractor"],
  openai: ["https://api.openai.com/v1"],
  yaml: ["YAMLMap"],
  axios: ["AxiosError"],
};

/**
 * Stands in for code of @microsoft/teams-ai (a file under node_modules/@microsoft/teams-ai/, so the build lets it
 * require gpt-tokenizer) that reads a left-out package's members as it loads, then uses them: what each use gave
 * is its exports.
 */
const PROBE = `"use strict";
const tokenizer = require("gpt-tokenizer");
const said = (f) => { try { f(); return "no error"; } catch (e) { return e.message; } };
// What code does as it loads: read members, keep them, extend a class.
const { encode } = tokenizer;
class Tokenizer extends tokenizer.Base {}
module.exports = {
  readsAreFunctions: typeof encode === "function" && typeof tokenizer.a.b.c === "function",
  readsAreStable: tokenizer.a.b === tokenizer.a.b && encode === tokenizer.encode,
  notAPromise: tokenizer.then === undefined,
  called: said(() => encode("hello")),
  constructed: said(() => new tokenizer.Encoder()),
  subclassConstructed: said(() => new Tokenizer()),
  madeAString: said(() => \`\${tokenizer.version}\`),
};
`;

describe("the Function App bundle (npm run build:function-app)", () => {
  let outDir: string;
  let outside: string;
  let built: FunctionAppBuild;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "function-app-build-"));
    outside = mkdtempSync(join(tmpdir(), "function-app-cwd-"));
    built = await buildFunctionApp({ outDir });
  }, 120_000);

  afterAll(() => {
    for (const dir of [outDir, outside]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("zips exactly the bundle, its package.json, host.json and the licence notices", () => {
    const files = readZip(readFileSync(built.zipPath));
    expect(files.map((f) => f.name)).toEqual([BUNDLE_NAME, "package.json", "host.json", LEGAL_NAME]);
    expect(built.zipEntries).toEqual(files.map((f) => f.name));

    const manifest = JSON.parse(files.find((f) => f.name === "package.json")?.data.toString("utf8") ?? "{}");
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(manifest).toEqual({ name: root.name, version: root.version, type: "module", main: BUNDLE_NAME });
    expect(manifest).not.toHaveProperty("dependencies");

    // Buffers compared with equals(): a failing toEqual would print megabytes of bundle.
    const host = files.find((f) => f.name === "host.json")?.data;
    expect(host?.equals(readFileSync(join(ROOT, "host.json")))).toBe(true);
    const bundle = files.find((f) => f.name === BUNDLE_NAME)?.data;
    expect(bundle?.equals(readFileSync(built.bundlePath))).toBe(true);
    expect(built.bundleBytes).toBe(bundle?.length);
    // The source map stays out of the zip, and the bundle does not point at one.
    expect(existsSync(built.sourceMapPath)).toBe(true);
    const lastLine = bundle?.toString("utf8").trimEnd().split("\n").pop() ?? "";
    expect(lastLine.startsWith("//# sourceMappingURL=")).toBe(false);
  });

  it("is reproducible: a second build elsewhere gives the same bytes, with no path of this machine in them", async () => {
    const again = mkdtempSync(join(tmpdir(), "function-app-again-"));
    try {
      const second = await buildFunctionApp({ outDir: again });
      expect(readFileSync(second.zipPath).equals(readFileSync(built.zipPath))).toBe(true);
      expect(readFileSync(second.sourceMapPath).equals(readFileSync(built.sourceMapPath))).toBe(true);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
    const bundle = readFileSync(built.bundlePath, "utf8");
    expect(bundle.includes(ROOT), `the bundle names ${ROOT}`).toBe(false);
    expect(bundle.includes(outDir), `the bundle names ${outDir}`).toBe(false);
  });

  it("imports with nothing installed: outside the repo, no node_modules to find", () => {
    // Neither the bundle nor the working directory has a node_modules anywhere above it.
    for (const start of [built.appDir, outside]) {
      for (let dir = start; dir !== parse(dir).root; dir = dirname(dir)) {
        expect(existsSync(join(dir, "node_modules")), `${dir}/node_modules`).toBe(false);
      }
    }
    const run = node(
      ["--input-type=module", "-e", importScript(built.bundlePath)],
      outside,
      FAKE_AZURE_SETTINGS,
    );
    expect(run.error).toBeUndefined();
    expect(run.status, readable(run.stderr)).toBe(0);
  });

  it("registers both functions with the Functions worker's @azure/functions-core (left out of the bundle)", () => {
    const host = join(outside, "fake-functions-host.cjs");
    writeFileSync(host, FAKE_HOST);
    const run = node(
      ["--require", host, "--input-type=module", "-e", importScript(built.bundlePath)],
      outside,
      FAKE_AZURE_SETTINGS,
    );
    expect(run.status, readable(run.stderr)).toBe(0);
    expect(run.stderr).not.toContain("test mode");
    const line = run.stdout.split("\n").find((l) => l.startsWith("registered "));
    expect(JSON.parse(line?.slice("registered ".length) ?? "[]")).toEqual([
      { name: "messages", types: ["httpTrigger", "http"] },
      { name: "reviews", types: ["timerTrigger"] },
    ]);
  });

  it("leaves out the packages of LEFT_OUT: none of their code is in the bundle, only their stand-ins", () => {
    // Each is still required, and only by the packages whose requires LEFT_OUT accounts for.
    expect(built.leftOut.map((p) => p.name)).toEqual(LEFT_OUT.map((p) => p.name));
    for (const { name, requiredBy } of built.leftOut) {
      expect(requiredBy.length, `${name} is required by nothing: take it off LEFT_OUT`).toBeGreaterThan(0);
      for (const by of requiredBy) expect(LEFT_OUT.find((p) => p.name === name)?.requiredBy).toContain(by);
    }
    const metafile = JSON.parse(readFileSync(built.metafilePath, "utf8")) as Metafile;
    const inputs = Object.keys(metafile.inputs);
    const bundle = readFileSync(built.bundlePath, "utf8");
    expect(Object.keys(LEFT_OUT_CODE)).toEqual(LEFT_OUT.map((p) => p.name));
    for (const { name } of LEFT_OUT) {
      expect(inputs).toContain(`left-out:${name}`);
      expect(inputs.filter((input) => input.includes(`node_modules/${name}/`))).toEqual([]);
      for (const code of LEFT_OUT_CODE[name] ?? []) {
        expect(bundle.includes(code), `${name}'s "${code}" is in the bundle`).toBe(false);
      }
    }
    // Kept: the card templates' expression language needs the timex data types, numberPrompt.js calls globalize.
    expect(
      inputs.some((i) => i.includes("node_modules/@microsoft/recognizers-text-data-types-timex-expression/")),
    ).toBe(true);
    expect(inputs.some((i) => i.includes("node_modules/globalize/"))).toBe(true);
  });

  it("gives a left-out package a stand-in that can be read as code loads, and throws, naming it, when used", async () => {
    const work = mkdtempSync(join(tmpdir(), "function-app-stand-in-"));
    try {
      const teamsAi = join(work, "node_modules", "@microsoft", "teams-ai");
      mkdirSync(teamsAi, { recursive: true });
      writeFileSync(join(teamsAi, "probe.cjs"), PROBE);
      const outfile = join(work, "probe.mjs");
      const result = await build(functionAppEsbuildOptions(join(teamsAi, "probe.cjs"), outfile));
      writeFileSync(outfile, result.outputFiles.find((f) => f.path === outfile)?.contents ?? "");
      const run = node(
        [
          "--input-type=module",
          "-e",
          `const probe = await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(JSON.stringify(probe.default));`,
        ],
        outside,
        {},
      );
      expect(run.status, readable(run.stderr)).toBe(0);
      const said = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(said).toMatchObject({ readsAreFunctions: true, readsAreStable: true, notAPromise: true });
      const leftOut = `gpt-tokenizer ${LEFT_OUT_MESSAGE}`;
      expect(said.called).toBe(
        `require("gpt-tokenizer").encode was called, but ${leftOut}: the code that uses it was not expected to run in this app`,
      );
      expect(said.constructed).toContain(`require("gpt-tokenizer").Encoder was constructed, but ${leftOut}`);
      expect(said.subclassConstructed).toContain(
        `require("gpt-tokenizer").Base was constructed, but ${leftOut}`,
      );
      expect(said.madeAString).toContain(
        `require("gpt-tokenizer").version[Symbol.toPrimitive] was called, but ${leftOut}`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("stops the build when a left-out package is required from code LEFT_OUT does not account for, or imported", async () => {
    const work = mkdtempSync(join(tmpdir(), "function-app-left-out-"));
    try {
      const ours = join(work, "ours.cjs");
      writeFileSync(ours, 'module.exports = require("yaml").stringify({ a: 1 });\n');
      await expect(build(functionAppEsbuildOptions(ours, join(work, "ours.mjs")))).rejects.toThrow(
        /requires yaml; yaml is left out of the Function App bundle .*only @microsoft\/teams-ai require it/,
      );
      const teamsAi = join(work, "node_modules", "@microsoft", "teams-ai");
      mkdirSync(teamsAi, { recursive: true });
      writeFileSync(
        join(teamsAi, "esm.mjs"),
        'import { stringify } from "yaml";\nexport const text = stringify({ a: 1 });\n',
      );
      await expect(
        build(functionAppEsbuildOptions(join(teamsAi, "esm.mjs"), join(work, "esm.out.mjs"))),
      ).rejects.toThrow(
        /loads yaml by import-statement; yaml is left out of the Function App bundle .*only serves require\(\)/,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("stops the import when settings are missing, naming each one", () => {
    const { ANONYMITY_KEY: _key, STORAGE_TABLE_ENDPOINT: _table, ...partial } = FAKE_AZURE_SETTINGS;
    const run = node(["--input-type=module", "-e", importScript(built.bundlePath)], outside, partial);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("ANONYMITY_KEY");
    expect(run.stderr).toContain("STORAGE_TABLE_ENDPOINT");
  });
});
