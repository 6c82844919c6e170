/**
 * Builds the Function App's deployment artefact (`npm run build:function-app`):
 *   1. bundles `functions/index.ts` and everything it imports (botbuilder, @microsoft/teams-ai, @azure/*, zod…)
 *      with esbuild into ONE minified ES module, `dist/function-app/index.mjs`: nothing to install on the server,
 *      and one file to read and compile at a cold start instead of thousands under node_modules/;
 *   2. writes `dist/function-app/package.json` (type module, main index.mjs, no dependencies) and copies
 *      `host.json`; the licence comments esbuild finds go to `index.mjs.LEGAL.txt` beside the bundle;
 *   3. zips that folder's contents into `dist/function-app.zip` (the app package's deterministic zip writer),
 *      the file to deploy (zip deploy / run from package);
 *   4. writes what is NOT deployed to `dist/function-app-debug/`: the source map `index.mjs.map` and esbuild's
 *      metafile `meta.json` (every input and its bytes in the bundle; esbuild's analyzeMetafile reads it).
 *
 * The source map is not shipped: Node only uses it with --enable-source-maps, which would read and parse a map
 * several times the bundle's size at start-up, the cost a bundle is meant to save. The build is reproducible (the
 * same checkout and node_modules give the same bytes, wherever `outDir` is), so the map of any deployed commit can
 * be rebuilt to decode a stack trace from Application Insights.
 *
 * Prints the bundle's and the zip's sizes; exits 1 with a plain message when the build fails.
 */

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Message, type Metafile } from "esbuild";
import { createZip } from "../../appPackage/build.js";
import { runWhenStarted } from "../cli.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY = join(ROOT, "functions", "index.ts");

/** Names inside outDir. */
export const APP_DIR = "function-app";
export const ZIP_NAME = "function-app.zip";
export const DEBUG_DIR = "function-app-debug";
export const BUNDLE_NAME = "index.mjs";
export const LEGAL_NAME = "index.mjs.LEGAL.txt";

/**
 * Not bundled, each for a reason it cannot be:
 *   @azure/functions-core  is no npm package: the Functions Node.js worker answers `require("@azure/functions-core")`
 *                          itself (it wraps Module.prototype.require), and @azure/functions requires it lazily,
 *                          inside a try, falling back to "test mode" when it is absent (outside the host). The
 *                          banner's `require` (createRequire) goes through Module.prototype.require, so the worker
 *                          still answers it from inside the bundle.
 * Also left to run time, by esbuild itself (a require inside a try that does not resolve), and absent on the
 * server as they are here: ws's optional native add-ons `bufferutil` and `utf-8-validate`, and node-fetch's
 * optional `encoding`. Each is caught and a built-in fallback used. Node's built-in modules are never bundled.
 */
export const EXTERNALS = ["@azure/functions-core"] as const;

/**
 * CommonJS packages inside an ES module: esbuild leaves their `require("node:…")` (and the optional requires above)
 * as calls of a `require`, which an ES module does not have; the banner defines it. The name cannot clash: esbuild
 * keeps `require` free in the bundle (its own helper calls it), renaming any module's own variable of that name.
 */
const BANNER = [
  'import { createRequire as __bundleCreateRequire } from "node:module";',
  "const require = __bundleCreateRequire(import.meta.url);",
].join("\n");

/**
 * CommonJS code reading `__filename` / `__dirname` gets the bundle's own. None does today, but one that did would
 * fail only when that code ran. Done by substitution, not in the banner: ES modules in the bundle declare their
 * own `__dirname` at top level (open, @azure/storage-common), which a banner `const __dirname` would collide with.
 * import.meta.dirname needs Node 20.11 or later (package.json's engines ask for 20.18).
 */
const DEFINE = { __filename: "import.meta.filename", __dirname: "import.meta.dirname" };

export interface FunctionAppBuildOptions {
  /** Where function-app/, function-app.zip and function-app-debug/ are written; defaults to dist/ at the root. */
  outDir?: string;
}

export interface FunctionAppBuild {
  appDir: string;
  bundlePath: string;
  zipPath: string;
  sourceMapPath: string;
  metafilePath: string;
  bundleBytes: number;
  zipBytes: number;
  /** The zip's entries, in order. */
  zipEntries: string[];
  /** esbuild's warnings, formatted. */
  warnings: string[];
  /** The inputs that put the most bytes into the bundle, largest first. */
  largestInputs: Array<{ path: string; bytes: number }>;
  /** Bytes in the bundle per package (node_modules/…/name), and "(this repo)" for our own code, largest first. */
  packages: Array<{ name: string; bytes: number }>;
}

export class FunctionAppBuildError extends Error {
  override readonly name = "FunctionAppBuildError";
  constructor(readonly problems: readonly string[]) {
    super(`the Function App could not be bundled:\n  ${problems.join("\n  ")}`);
  }
}

function formatted(message: Message): string {
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column}: `
    : "";
  const notes = message.notes.map((n) => ` (${n.text})`).join("");
  return `${where}${message.text}${notes}`;
}

/** The package a metafile input belongs to: node_modules/@scope/name or node_modules/name, innermost. */
function packageOf(input: string): string {
  const parts = input.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return "(this repo)";
  const first = parts[at + 1] ?? "";
  return first.startsWith("@") ? `${first}/${parts[at + 2] ?? ""}` : first;
}

function bytesInBundle(metafile: Metafile): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      bytes.set(input, (bytes.get(input) ?? 0) + bytesInOutput);
    }
  }
  return bytes;
}

/** Bundles, writes and zips the Function App. Throws FunctionAppBuildError with esbuild's errors if it fails. */
export async function buildFunctionApp(options: FunctionAppBuildOptions = {}): Promise<FunctionAppBuild> {
  const outDir = resolve(options.outDir ?? join(ROOT, "dist"));
  const appDir = join(outDir, APP_DIR);
  const debugDir = join(outDir, DEBUG_DIR);

  // Always laid out as if written to the repo's dist/function-app/, and written where asked afterwards: the
  // source map's paths (relative to the bundle) are then the same wherever outDir is, and so are the bytes.
  const virtualBundle = join(ROOT, "dist", APP_DIR, BUNDLE_NAME);
  let result: Awaited<ReturnType<typeof build<{ write: false; metafile: true }>>>;
  try {
    result = await build({
      absWorkingDir: ROOT,
      entryPoints: [ENTRY],
      outfile: virtualBundle,
      write: false,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      // Minified, but identifiers are not renamed: measured (bench cold-start), renaming them too (`minify: true`)
      // makes the zip 0.2 MB smaller but the import 100-150 ms (15-20%) slower. Names kept also keep stack traces
      // readable without the source map.
      minifyWhitespace: true,
      minifySyntax: true,
      minifyIdentifiers: false,
      // Scope hoisting renames a top-level class or function that clashes with another module's; this keeps its
      // `.name`, which some dependencies read (botbuilder keys turn state by `constructor.name`; node-fetch and
      // @azure/storage-blob recognise objects by it).
      keepNames: true,
      sourcemap: "external",
      legalComments: "external",
      charset: "utf8",
      metafile: true,
      banner: { js: BANNER },
      define: DEFINE,
      external: [...EXTERNALS],
      logLevel: "silent",
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    throw new FunctionAppBuildError(
      errors && errors.length > 0
        ? errors.map(formatted)
        : [error instanceof Error ? error.message : String(error)],
    );
  }

  const output = (suffix: string) => result.outputFiles.find((f) => f.path === `${virtualBundle}${suffix}`);
  const bundle = output("");
  const map = output(".map");
  const legal = output(".LEGAL.txt");
  if (!bundle || !map) {
    throw new FunctionAppBuildError([
      `esbuild wrote ${result.outputFiles.map((f) => relative(ROOT, f.path)).join(", ")}, not ${BUNDLE_NAME} and its map`,
    ]);
  }

  const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  // Nothing to install on the server: everything is in index.mjs.
  const manifest = { name: root.name, version: root.version, type: "module", main: BUNDLE_NAME };
  const files: Array<{ name: string; data: Uint8Array }> = [
    { name: BUNDLE_NAME, data: bundle.contents },
    { name: "package.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8") },
    { name: "host.json", data: readFileSync(join(ROOT, "host.json")) },
  ];
  if (legal && legal.contents.length > 0) files.push({ name: LEGAL_NAME, data: legal.contents });

  // The folder holds exactly what the zip holds: a stale file from an earlier build must not linger.
  rmSync(appDir, { recursive: true, force: true });
  rmSync(debugDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  mkdirSync(debugDir, { recursive: true });
  for (const file of files) writeFileSync(join(appDir, file.name), file.data);
  const sourceMapPath = join(debugDir, `${BUNDLE_NAME}.map`);
  writeFileSync(sourceMapPath, map.contents);
  const metafilePath = join(debugDir, "meta.json");
  writeFileSync(metafilePath, `${JSON.stringify(result.metafile)}\n`);
  const zip = createZip(files);
  const zipPath = join(outDir, ZIP_NAME);
  writeFileSync(zipPath, zip);

  const inputs = bytesInBundle(result.metafile);
  const byPackage = new Map<string, number>();
  for (const [input, bytes] of inputs) {
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytes);
  }
  const largestFirst = <T extends { bytes: number }>(a: T, b: T) => b.bytes - a.bytes;
  return {
    appDir,
    bundlePath: join(appDir, BUNDLE_NAME),
    zipPath,
    sourceMapPath,
    metafilePath,
    bundleBytes: bundle.contents.length,
    zipBytes: zip.length,
    zipEntries: files.map((f) => f.name),
    warnings: result.warnings.map(formatted),
    largestInputs: [...inputs].map(([path, bytes]) => ({ path, bytes })).sort(largestFirst),
    packages: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort(largestFirst),
  };
}

export const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;

async function main(): Promise<number> {
  let built: FunctionAppBuild;
  try {
    built = await buildFunctionApp();
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  for (const warning of built.warnings) console.warn(`warning: ${warning}`);
  const shown = (path: string) => relative(process.cwd(), path);
  console.log(
    `wrote ${shown(built.bundlePath)}: ${built.bundleBytes} bytes (${megabytes(built.bundleBytes)})`,
  );
  console.log(
    `wrote ${shown(built.zipPath)}: ${built.zipBytes} bytes (${megabytes(built.zipBytes)}), holding ${built.zipEntries.join(", ")}`,
  );
  console.log(`not deployed: ${shown(built.sourceMapPath)}, ${shown(built.metafilePath)}`);
  console.log("largest packages in the bundle:");
  for (const p of built.packages.slice(0, 10)) console.log(`  ${megabytes(p.bytes).padStart(9)}  ${p.name}`);
  return 0;
}

runWhenStarted(import.meta.url, main, "The Function App could not be bundled");
