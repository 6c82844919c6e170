/**
 * Builds the Function App's deployment artefact (`npm run build:function-app`):
 *   1. bundles `functions/index.ts` and everything it imports (botbuilder, @microsoft/teams-ai, @azure/*, zod…)
 *      with esbuild into ONE minified ES module, `dist/function-app/index.mjs`: nothing to install on the server,
 *      and one file to read and compile at a cold start instead of thousands under node_modules/. Packages our
 *      code never runs (teams-ai's AI, botbuilder-dialogs' prompts: LEFT_OUT below) are left out, each replaced
 *      by a stand-in that throws, naming it, if anything ever uses it;
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
 * Prints the bundle's and the zip's sizes, the packages left out and the largest kept; exits 1 with a plain
 * message when the build fails.
 */

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type Message, type Metafile, type Plugin } from "esbuild";
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
 * A package left out of the bundle: every `require()` of it (or of a file inside it) gets a small stand-in
 * instead of its code. Only for code our bot never runs, which nevertheless loads, because the packages that hold
 * it require everything from their index: `@microsoft/teams-ai` (bot/app.ts uses its `Application` and
 * `TeamsAdapter` only, with no `ai`, `authentication` or `fileDownloaders` option) and, through teams-ai's
 * authentication, `botbuilder-dialogs` (we run no dialog or prompt).
 */
export interface LeftOutPackage {
  /** The package's name; its subpaths (`name/…`) are left out with it. */
  name: string;
  /**
   * The packages whose code is allowed to require it: those whose requires are accounted for below. A require
   * from anywhere else stops the build, for that code has not been shown never to run.
   */
  requiredBy: readonly string[];
}

/**
 * Left out of the bundle: 5.5 MB of its 12.3 MB, and the time to compile and run them at every cold start. Where
 * each is required (node_modules/…/lib/, as installed), and why that code never runs in this app:
 *
 *   gpt-tokenizer (1.4 MB, the GPT tokenizers' encodings): @microsoft/teams-ai's tokenizers/GPTTokenizer.js:11 and
 *     tokenizers/GPT3Tokenizer.js:11 (`gpt-tokenizer/cjs/model/text-davinci-003`) use it only inside their
 *     encode() and decode(). A tokenizer is only made by planners/LLMClient.js:92, which planners/ActionPlanner.js
 *     :165 makes, part of the AI that Application.js:69-70 creates only when given an `ai` option.
 *   @microsoft/recognizers-text-suite, -date-time, -number and -choice (3.3 MB with the recognizers they require,
 *     the prompts' number, date and yes/no recognisers): botbuilder-dialogs' prompts/datetimePrompt.js:43,
 *     confirmPrompt.js:43, numberPrompt.js:45 and choices/recognizeChoices.js:34 call them only while such a
 *     prompt recognises an answer (datetimePrompt.js:105, confirmPrompt.js:136, numberPrompt.js:111,
 *     recognizeChoices.js:110-115); prompts/promptCultureModels.js:4 reads `Culture.<language>` as it loads (the
 *     stand-in answers reads), used only when a choice or confirm prompt is made. teams-ai requires
 *     botbuilder-dialogs only in authentication/ (BotAuthenticationBase.js:10, OAuthBotAuthentication.js:6,
 *     TeamsSsoBotAuthentication.js:7, TeamsBotSsoPrompt.js:6), uses none of those prompts, and makes its own
 *     dialogs only when given an `authentication` option (Application.js:73-75); nothing else requires
 *     botbuilder-dialogs. Kept: @microsoft/recognizers-text-data-types-timex-expression, which adaptive-expressions
 *     (the card templates' expression language) requires, and globalize, which numberPrompt.js:50 calls as it
 *     loads.
 *   openai (0.3 MB with the fetch and form-data polyfills only it requires): teams-ai's models/OpenAIModel.js:15
 *     and planners/AssistantsPlanner.js:34 use it only in a model's constructor and error handling (:81, :96,
 *     :463) and AssistantsPlanner's client (:378, :382), both parts of the AI (`ai` option).
 *   yaml (0.2 MB): teams-ai's Utilities.js:11, only in Utilities.toString (:38), which only the prompts and
 *     planners call, and augmentations/ActionAugmentationSection.js:11, in its constructor (:43): the AI again.
 *   axios (0.35 MB with form-data, mime-db and the rest only it requires): teams-ai's TeamsAttachmentDownloader.js
 *     :14 (in its constructor, :28; the app downloads files only when given `fileDownloaders`, Application.js
 *     :458), internals/OpenAIClient.js:15, models/LlamaModel.js:7 and embeddings/OpenAIEmbeddings.js:14 (in
 *     their constructors, :37, :15, :53: the AI). botframework-connector's auth/botFrameworkClientImpl.js:59,
 *     in the fetch (:66) that a BotFrameworkClientImpl's constructor makes (:100), and only
 *     createBotFrameworkClient() makes one (auth/parameterizedBotFrameworkAuthentication.js:166): the client for
 *     calling other bots (skills), which nothing in botbuilder, botbuilder-core or teams-ai calls, nor do we.
 *     botbuilder's botFrameworkHttpClient.js:23, in postActivity (:114) of BotFrameworkHttpClient and its
 *     SkillHttpClient (skills/skillHttpClient.js:26), deprecated skills clients nothing makes.
 * Measured on 2 CPUs: the bundle is 6.7 MB rather than 12.3 MB (the zip 1.4 rather than 2.8 MB), and imports in
 * 292 ms (npm run bench -- cold-start: median of 15 fresh processes, 273-397) rather than 547 ms (523-605, timed
 * the same way); leaving out only gpt-tokenizer and the recognisers gave 336 ms, openai and yaml then saved 16 ms
 * more, axios 30 ms more (mime-db's table, among others, is no longer parsed).
 * Not left out, as not worth it (under 5 ms each) or not shown unused: jsonschema (teams-ai's JSON validator,
 * AI only, 42 kB), `open` (@azure/identity's interactive browser sign-in, 15 kB, loaded by import() so the
 * stand-in cannot serve it), @azure/msal-node (managed identity and the Bot Framework's credentials use it).
 */
export const LEFT_OUT: readonly LeftOutPackage[] = [
  { name: "gpt-tokenizer", requiredBy: ["@microsoft/teams-ai"] },
  { name: "@microsoft/recognizers-text-suite", requiredBy: ["botbuilder-dialogs"] },
  { name: "@microsoft/recognizers-text-date-time", requiredBy: ["botbuilder-dialogs"] },
  { name: "@microsoft/recognizers-text-number", requiredBy: ["botbuilder-dialogs"] },
  { name: "@microsoft/recognizers-text-choice", requiredBy: ["botbuilder-dialogs"] },
  { name: "openai", requiredBy: ["@microsoft/teams-ai"] },
  { name: "yaml", requiredBy: ["@microsoft/teams-ai"] },
  { name: "axios", requiredBy: ["@microsoft/teams-ai", "botbuilder", "botframework-connector"] },
];

/** The namespace of the stand-ins in esbuild (and in the metafile's input names: `left-out:gpt-tokenizer`). */
const LEFT_OUT_NAMESPACE = "left-out";
/** The one module every stand-in uses; its name cannot be a package's. */
const STAND_IN = "(stand-in)";
/** Said by every stand-in's error, so a failure in production leads here. */
export const LEFT_OUT_MESSAGE =
  "is left out of the Function App bundle (see LEFT_OUT in functions/build/bundle.ts)";

/**
 * The stand-in of a left-out package: what `require()` of it returns. Reading anything from it works, at any
 * depth, and gives another stand-in (the same one each time for the same path), so code that reads members as it
 * loads (`Culture.English`, `class X extends pkg.Base`) loads as before. Calling or constructing any of them
 * throws, naming what was used and the package, as does anything that does so in its turn (turning one into a
 * string or a number, `instanceof` one, iterating one). `then` reads as undefined: a stand-in is not a promise.
 * `__esModule` reads as a stand-in, so TypeScript's `__importStar` / `__importDefault` pass it through unchanged.
 */
const STAND_IN_SOURCE = `"use strict";
module.exports = function standIn(specifier, name) {
  const members = new Map();
  const member = (path) => {
    let proxy = members.get(path);
    if (proxy === undefined) {
      const fail = (what) => {
        throw new Error("require(" + JSON.stringify(specifier) + ")" + path + " was " + what + ", but " + name + " ${LEFT_OUT_MESSAGE}: the code that uses it was not expected to run in this app");
      };
      proxy = new Proxy(function leftOutPackage() {}, {
        get: (_target, key) =>
          key === "then" ? undefined : member(path + (typeof key === "symbol" ? "[" + key.description + "]" : "." + key)),
        apply: () => fail("called"),
        construct: () => fail("constructed"),
      });
      members.set(path, proxy);
    }
    return proxy;
  };
  return member("");
};
`;

/** `@scope/name` or `name`, from a bare specifier such as `@scope/name/sub/path`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Gives each left-out package's requires the stand-in, checking each require is one accounted for. */
function leaveOut(packages: readonly LeftOutPackage[]): Plugin {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const filter = new RegExp(`^(?:${packages.map((p) => escapeRegExp(p.name)).join("|")})(?:/|$)`);
  return {
    name: "leave-out-unused-packages",
    setup(esbuild) {
      esbuild.onResolve({ filter }, (args) => {
        const name = packageNameOf(args.path);
        const leftOut = byName.get(name);
        if (!leftOut) return undefined;
        const importer = packageOf(args.importer.split(/[\\/]/).join("/"));
        const from = relative(ROOT, args.importer);
        if (args.kind !== "require-call") {
          return {
            errors: [
              {
                text: `${from} loads ${args.path} by ${args.kind}; ${name} ${LEFT_OUT_MESSAGE}, and its stand-in only serves require()`,
              },
            ],
          };
        }
        if (!leftOut.requiredBy.includes(importer)) {
          return {
            errors: [
              {
                text: `${from} requires ${args.path}; ${name} ${LEFT_OUT_MESSAGE} as only ${leftOut.requiredBy.join(", ")} require it, in code this app never runs. Check whether ${importer}'s use of it can run here, then add ${importer} to its requiredBy or keep ${name} in the bundle`,
              },
            ],
          };
        }
        return { path: args.path, namespace: LEFT_OUT_NAMESPACE };
      });
      esbuild.onResolve({ filter: /^\(stand-in\)$/, namespace: LEFT_OUT_NAMESPACE }, (args) => ({
        path: args.path,
        namespace: LEFT_OUT_NAMESPACE,
      }));
      esbuild.onLoad({ filter: /.*/, namespace: LEFT_OUT_NAMESPACE }, (args) => ({
        contents:
          args.path === STAND_IN
            ? STAND_IN_SOURCE
            : `module.exports = require(${JSON.stringify(STAND_IN)})(${JSON.stringify(args.path)}, ${JSON.stringify(packageNameOf(args.path))});\n`,
        loader: "js",
      }));
    },
  };
}

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

/**
 * esbuild's options for the Function App's bundle of `entry`, written (in memory: `write: false`) as if to
 * `outfile`. One place for them: the build below uses them, and so does the test that bundles its own entry point
 * to run a conversation through the bundled bot (test/conversation/bundled-bot.test.ts), so the two cannot drift.
 */
export function functionAppEsbuildOptions(entry: string, outfile: string) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    write: false,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Minified, but identifiers are not renamed: measured (bench cold-start), renaming them too (`minify: true`)
    // makes the zip 0.15 MB smaller but the import about 45 ms (15%) slower. Names kept also keep stack traces
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
    // Packages whose code never runs here, each replaced by a stand-in that fails loudly if it is used.
    plugins: [leaveOut(LEFT_OUT)],
    logLevel: "silent",
  } satisfies BuildOptions;
}

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
  /**
   * The packages of LEFT_OUT, in its order, each with the packages that required it in this build (so got its
   * stand-in): none when nothing requires it any more (an upgrade dropped it), and it can come off the list.
   */
  leftOut: Array<{ name: string; requiredBy: string[] }>;
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

/**
 * The package a metafile input (or a module's path) belongs to: node_modules/@scope/name or node_modules/name,
 * innermost; the stand-ins of left-out packages count as one.
 */
function packageOf(input: string): string {
  if (input.startsWith(`${LEFT_OUT_NAMESPACE}:`)) return "(stand-ins of left-out packages)";
  const parts = input.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return "(this repo)";
  const first = parts[at + 1] ?? "";
  return first.startsWith("@") ? `${first}/${parts[at + 2] ?? ""}` : first;
}

/** Which packages required each left-out package, as the metafile records it. */
function leftOutIn(metafile: Metafile): Array<{ name: string; requiredBy: string[] }> {
  const requiredBy = new Map<string, Set<string>>(LEFT_OUT.map((p) => [p.name, new Set()]));
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    for (const imported of imports) {
      if (!imported.path.startsWith(`${LEFT_OUT_NAMESPACE}:`) || input.startsWith(`${LEFT_OUT_NAMESPACE}:`)) {
        continue;
      }
      requiredBy
        .get(packageNameOf(imported.path.slice(LEFT_OUT_NAMESPACE.length + 1)))
        ?.add(packageOf(input));
    }
  }
  return [...requiredBy].map(([name, by]) => ({ name, requiredBy: [...by].sort() }));
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
  let result: Awaited<ReturnType<typeof build<ReturnType<typeof functionAppEsbuildOptions>>>>;
  try {
    result = await build(functionAppEsbuildOptions(ENTRY, virtualBundle));
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
    leftOut: leftOutIn(result.metafile),
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
  console.log("left out of the bundle, each replaced by a stand-in that throws if used (LEFT_OUT):");
  for (const p of built.leftOut) {
    console.log(
      `  ${p.name}: ${p.requiredBy.length > 0 ? `required by ${p.requiredBy.join(", ")}` : "required by nothing now: it can come off the list"}`,
    );
  }
  console.log("largest packages in the bundle:");
  for (const p of built.packages.slice(0, 10)) console.log(`  ${megabytes(p.bytes).padStart(9)}  ${p.name}`);
  return 0;
}

runWhenStarted(import.meta.url, main, "The Function App could not be bundled");
