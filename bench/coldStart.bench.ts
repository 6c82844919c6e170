/**
 * Cold start of the Function App: how long a fresh Node process takes to import the entry point, bundled
 * (`npm run build:function-app`: one index.mjs, nothing installed) and, for comparison, unbundled (`npm run build`:
 * tsc's dist/functions/index.js, loading its packages from node_modules/ file by file).
 *
 * Each variant is run BENCH_COLD_START_RUNS times (15 unless set), a new `node` process each time, after one
 * unmeasured run (so the files are in the OS cache for both: the figures compare loading and compiling, not the
 * disk), the variants taking turns so drift on the machine falls on all of them alike. The child times
 * `await import(url)` itself (performance.now() around it) and prints it as JSON; the parent times the whole
 * process, start to exit. A third variant imports an empty module: Node's own start-up, for reference.
 *
 * The bundle is built into a temporary folder and run from another one, both outside the repo, with only the
 * Function App's (fake) settings in the environment, as in test/unit/function-app-bundle.test.ts; the unbundled
 * entry runs from the repo, which it needs for node_modules/. Outside the Functions host @azure/functions is in
 * "test mode": it skips the registrations, the only part of the start-up not measured here.
 * Called from messages.bench.ts (`npm run bench -- cold-start`).
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Metafile } from "esbuild";
import { buildFunctionApp, megabytes } from "../functions/build/bundle.js";
import { FAKE_AZURE_SETTINGS } from "../test/support/functionsHost.js";
import { count, ms, printTable } from "./measure.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 15);

/** The child: imports the module named on its command line and prints how long that took. */
const PROBE = `import { performance } from "node:perf_hooks";
const began = performance.now();
await import(process.argv[2]);
const ended = performance.now();
console.log(JSON.stringify({ importMs: ended - began, sinceStartMs: ended }));
`;

interface Variant {
  label: string;
  url: string;
  cwd: string;
  importMs: number[];
  wallMs: number[];
}

interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(mid)] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** stderr without the minified source line Node quotes above an uncaught error (one line of the bundle). */
const readable = (stderr: string) =>
  stderr
    .split("\n")
    .filter((line) => line.length <= 500)
    .join("\n")
    .trim();

/** One fresh node process importing the variant's module: the import time it reports, and its whole life. */
function runOnce(probe: string, variant: Variant): { importMs: number; wallMs: number } {
  const began = performance.now();
  const run = spawnSync(process.execPath, [probe, variant.url], {
    cwd: variant.cwd,
    env: { PATH: process.env.PATH ?? "", ...FAKE_AZURE_SETTINGS },
    encoding: "utf8",
    timeout: 120_000,
  });
  const wallMs = performance.now() - began;
  if (run.error) throw new Error(`cold start, ${variant.label}: ${run.error.message}`);
  if (run.status !== 0) {
    throw new Error(`cold start, ${variant.label}: exit code ${run.status}\n${readable(run.stderr)}`);
  }
  const line = run.stdout
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  if (!line) throw new Error(`cold start, ${variant.label}: no timing printed\n${run.stdout}`);
  const { importMs } = JSON.parse(line) as { importMs: number };
  return { importMs, wallMs };
}

/** `npm run build` (tsc to dist/): the unbundled entry point, or why it could not be built. */
function buildUnbundled(): { entry: string; seconds: number } | { problem: string } {
  const began = performance.now();
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    { cwd: ROOT, encoding: "utf8", timeout: 300_000 },
  );
  const seconds = (performance.now() - began) / 1000;
  if (tsc.error || tsc.status !== 0) {
    const said = `${tsc.stdout ?? ""}${tsc.stderr ?? ""}`.trim().split("\n").slice(0, 5).join("\n  ");
    return {
      problem: `npm run build failed (${tsc.error?.message ?? `exit code ${tsc.status}`}):\n  ${said}`,
    };
  }
  return { entry: join(ROOT, "dist", "functions", "index.js"), seconds };
}

export async function benchColdStart(): Promise<void> {
  console.log(
    `\ncold start: import of the Function App's entry point in a fresh node process, ${RUNS} runs per variant after 1 unmeasured, the variants taking turns`,
  );
  const work = mkdtempSync(join(tmpdir(), "cold-start-"));
  try {
    const buildBegan = performance.now();
    const built = await buildFunctionApp({ outDir: join(work, "build") });
    const buildSeconds = (performance.now() - buildBegan) / 1000;
    const metafile = JSON.parse(readFileSync(built.metafilePath, "utf8")) as Metafile;
    console.log(
      `bundle: index.mjs ${count(built.bundleBytes)} bytes (${megabytes(built.bundleBytes)}) from ${count(Object.keys(metafile.inputs).length)} input files, built in ${buildSeconds.toFixed(1)} s`,
    );
    console.log(
      `zip: function-app.zip ${count(built.zipBytes)} bytes (${megabytes(built.zipBytes)}), holding ${built.zipEntries.join(", ")}`,
    );
    for (const warning of built.warnings) console.log(`esbuild warning: ${warning}`);

    const cwd = join(work, "cwd");
    mkdirSync(cwd);
    const probe = join(work, "probe.mjs");
    writeFileSync(probe, PROBE);
    const empty = join(work, "empty.mjs");
    writeFileSync(empty, "export {};\n");

    const variant = (label: string, file: string, where: string): Variant => ({
      label,
      url: pathToFileURL(file).href,
      cwd: where,
      importMs: [],
      wallMs: [],
    });
    const variants: Variant[] = [variant("bundled, outside the repo", built.bundlePath, cwd)];
    const unbundled = buildUnbundled();
    if ("entry" in unbundled) {
      console.log(`unbundled: npm run build (tsc) took ${unbundled.seconds.toFixed(1)} s`);
      variants.push(variant("unbundled, dist/ in the repo", unbundled.entry, ROOT));
    } else {
      console.log(`unbundled: skipped, ${unbundled.problem}`);
    }
    variants.push(variant("empty module (node itself)", empty, cwd));

    for (const v of variants) runOnce(probe, v); // unmeasured: the files into the OS cache
    for (let k = 0; k < RUNS; k++) {
      for (const v of variants) {
        const { importMs, wallMs } = runOnce(probe, v);
        v.importMs.push(importMs);
        v.wallMs.push(wallMs);
      }
    }

    const header = ["variant", "import ms median", "min", "max", "process ms median", "min", "max"];
    const rows = variants.map((v) => {
      const i = spread(v.importMs);
      const w = spread(v.wallMs);
      return [v.label, ms(i.median), ms(i.min), ms(i.max), ms(w.median), ms(w.min), ms(w.max)];
    });
    printTable(header, rows);
    console.log(
      "import ms: `await import(entry)` timed inside the child. process ms: spawn to exit, timed by this process (node's start-up and exit included).",
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
