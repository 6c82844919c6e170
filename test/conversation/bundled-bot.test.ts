import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, parse, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISSUE_VERBS } from "../../adaptive-cards/issueCards.js";
import { functionAppEsbuildOptions, LEFT_OUT } from "../../functions/build/bundle.js";
import { projectIdForChannel } from "../../governance/project.js";
import { type BotApp, type BotHarness, startBotHarness } from "../support/botHarness.js";
import { validateCard } from "../support/cardValidation.js";
import { buttonAnywhere, TeamsChannel } from "../support/channel.js";
import { PEOPLE } from "../support/fixtures.js";
import { cardText } from "../support/stubConnector.js";

/**
 * The bot as the Function App runs it: its code bundled by esbuild with the Function App's options (so with the
 * packages it leaves out replaced by stand-ins that throw when used), imported by Node itself from a folder with
 * no node_modules, and driven over HTTP as Teams would, with Azurite and the stub Teams service. The Function
 * App's handlers (functions/index.ts) only wrap these same functions in the Functions host's request and timer.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY = join(ROOT, "test", "support", "bundleEntry.ts");

/**
 * Node's own import(), not the test runner's (which would transform the bundle and resolve its requires itself):
 * made in a CommonJS file that Node's require loads. (`new Function("u", "return import(u)")` does not work
 * here: vitest runs a test file's code in a vm context that has no dynamic import of its own.)
 */
function nativeImport(url: string, helperDir: string): Promise<unknown> {
  const helper = join(helperDir, "native-import.cjs");
  writeFileSync(helper, "module.exports = (url) => import(url);\n");
  const load = createRequire(import.meta.url)(helper) as (url: string) => Promise<unknown>;
  return load(url);
}

const { priya, tom, grace, dev } = PEOPLE;

let dir: string;
let inputs: string[];
let h: BotHarness;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bundled-bot-"));
  const outfile = join(dir, "bot.mjs");
  const result = await build(functionAppEsbuildOptions(ENTRY, outfile));
  const bundle = result.outputFiles.find((f) => f.path === outfile);
  if (!bundle) throw new Error(`esbuild wrote no ${outfile}`);
  writeFileSync(outfile, bundle.contents);
  inputs = Object.keys(result.metafile.inputs);
  const bundled = (await nativeImport(pathToFileURL(outfile).href, dir)) as BotApp;
  h = await startBotHarness({ app: bundled });
}, 120_000);

afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the bundled bot (the Function App's esbuild options, left-out packages and all)", () => {
  it("is built from the packages' stand-ins, not their code, and runs where no node_modules can be found", () => {
    for (const { name } of LEFT_OUT) {
      expect(inputs, name).toContain(`left-out:${name}`);
      expect(inputs.filter((i) => i.includes(`node_modules/${name}/`))).toEqual([]);
    }
    for (let at = dir; at !== parse(at).root; at = dirname(at)) {
      expect(existsSync(join(at, "node_modules")), `${at}/node_modules`).toBe(false);
    }
  });

  it("holds a conversation: help, a project set up through its card, an issue raised, triaged and listed, the log verified", async () => {
    const channel = new TeamsChannel(h);

    const help = await channel.say(priya, "help");
    expect(help).toContain("Commands you can use");
    expect(help).toContain("setup {project name}");

    await channel.say(priya, "setup Oak House bundled go-live");
    const setup = channel.lastCardWith("project.settings");
    expect(validateCard(setup)).toEqual([]);
    const saved = await channel.press(priya, "project.settings", {
      ...channel.buttonData(setup, "project.settings"),
      sites: "Oak House, Riverside",
      timeZone: "Europe/London",
      digestTime: "08:00",
    });
    expect(saved.status).toBe(200);
    // The card comes back in the invoke's HTTP response, saved and showing what was saved.
    expect(saved.card, saved.message).toBeDefined();
    expect(validateCard(saved.card ?? {})).toEqual([]);
    expect(cardText(saved.card)).toContain("Go-live project: Oak House bundled go-live");
    expect(cardText(saved.card)).toContain("Project settings saved");
    expect(cardText(saved.card)).toContain("Oak House, Riverside");
    expect(
      await channel.say(priya, "role add registered manager @Grace Mensah site: Oak House", [grace]),
    ).toContain("Grace Mensah is now registered manager for Oak House");
    expect(await channel.say(priya, "role add team leader @Tom Okafor", [tom])).toContain(
      "Tom Okafor is now",
    );
    expect(await channel.say(priya, "role add supplier @Dev Patel", [dev])).toContain("Dev Patel is now");

    const raisedText = await channel.say(
      tom,
      "raise P2 system site: Oak House; eMAR not loading on the night tablets",
    );
    expect(raisedText).toContain("GL-1");
    const raised = channel.lastCardWith(ISSUE_VERBS.triage);
    expect(validateCard(raised)).toEqual([]);
    expect(cardText(raised)).toContain("eMAR not loading on the night tablets");
    expect(cardText(raised)).toContain("P2");
    expect(cardText(raised)).toContain("Oak House");

    // The triage button: an Action.Execute invoke, answered with the updated card in the HTTP response.
    const triaged = await channel.press(priya, ISSUE_VERBS.triage, {
      ...buttonAnywhere(raised, ISSUE_VERBS.triage),
      priority: "P3",
      type: "system",
      site: "Oak House",
      theme: "eMAR sync",
      careImpacting: "false",
    });
    expect(triaged.status).toBe(200);
    expect(triaged.card, triaged.message).toBeDefined();
    expect(validateCard(triaged.card ?? {})).toEqual([]);
    expect(cardText(triaged.card)).toContain("priority P2 → P3");
    expect(cardText(triaged.card)).toContain("eMAR sync");

    const open = await channel.say(priya, "issues");
    expect(open).toContain("GL-1");
    expect(open).toContain("eMAR not loading on the night tablets");
    expect(open).toMatch(/of 1\b/);

    const verified = await channel.say(priya, "log verify");
    expect(verified).toContain("Intact");
    const head = await h.runtime.log.head(projectIdForChannel(channel.where.channel.channelId));
    expect(head?.hash).toBeDefined();
    expect(verified).toContain(head?.hash);
  });
});
