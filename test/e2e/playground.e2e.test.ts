import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../bot/logger.js";
import { loadDemo } from "../../functions/demo.js";
import { DEMO_BINDING, DEMO_PEOPLE, DEMO_PROJECT_NAME } from "../../functions/demoData.js";
import { type LocalHost, startLocalHost } from "../../functions/localHost.js";
import { projectIdForChannel } from "../../governance/project.js";
import { type HeadlessBrowser, launchChromium } from "./browser.js";

/** A port nobody holds right now, so the test runs beside an `npm start` on the default ports. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Keeps the bot's log for the failure message instead of printing it over the test output. */
function collectingLogger(lines: string[]): Logger {
  const add = (level: string) => (message: string, properties?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...properties }));
  };
  return { info: add("info"), warn: add("warn"), error: add("error") };
}

describe("the Agents Playground, as a person uses it", () => {
  let dataDir: string;
  let local: LocalHost | undefined;
  let browser: HeadlessBrowser | undefined;
  const botLog: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "golive-e2e-"));
    local = await startLocalHost({
      dataDir,
      botPort: 0,
      azuritePort: 0,
      playgroundPort: await freePort(),
      logger: collectingLogger(botLog),
    });
  });

  afterAll(async () => {
    await browser?.close();
    await local?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("answers `help` in a team channel with the command list", async () => {
    if (!local?.playgroundUrl) throw new Error("The local host did not start the Playground.");
    // Launched here, not in beforeAll, so a missing Chromium fails this test with the install command.
    browser = await launchChromium();
    const { page } = browser;
    await page.goto(local.playgroundUrl, { waitUntil: "domcontentloaded" });

    // The team's General channel, from the "Teams Channel" tree (its item reads "<team name> - General").
    const general = page
      .getByRole("tree", { name: "Teams Channel" })
      .getByRole("treeitem", { name: / - General$/ });
    await general.click();

    // Nothing on the page lists the commands yet (the bot's welcome post does not), so what appears next is the answer.
    const commands = page.getByText("Commands you can use");
    expect(await commands.count()).toBe(0);

    // In a channel, Teams (and the Playground) only hand the bot a post that @mentions it.
    const newPost = page.getByRole("textbox").first();
    await newPost.click();
    await page.keyboard.type("@");
    // The typeahead lists the bot first, then the team's people.
    const mention = page.getByRole("listbox", { name: "Typeahead menu" }).getByRole("menuitem").first();
    await mention.click();
    await page.keyboard.type(" help");
    await page.getByRole("button", { name: "Post", exact: true }).click();

    // The answer is a reply in the thread our post started: the thread (a group) holds both.
    const answer = page
      .getByRole("group")
      .filter({ has: page.getByText(/ help$/) })
      .getByText("Commands you can use")
      .first();
    try {
      await answer.waitFor({ state: "visible", timeout: 30_000 });
    } catch (error) {
      await browser.screenshot("e2e-help-failed.png");
      throw new Error(`No help answer in the channel thread. Bot log:\n${botLog.slice(-20).join("\n")}`, {
        cause: error,
      });
    }
    expect(await answer.isVisible()).toBe(true);
    await browser.screenshot("e2e-help.png");
  });

  it("shows the demo project's roles, gives a role by @mention, and shows its readiness and minutes", async () => {
    if (!local || !browser) throw new Error("The first test did not start the Playground.");
    await loadDemo(local.log);
    const { page } = browser;

    async function post(command: string, mentionName?: string) {
      const newPost = page.getByRole("textbox").first();
      await newPost.click();
      await page.keyboard.type("@");
      // The bot by name: the typeahead puts recently mentioned people first.
      await page
        .getByRole("listbox", { name: "Typeahead menu" })
        .getByRole("menuitem", { name: /Go-Live Governance/ })
        .first()
        .click();
      await page.keyboard.type(` ${command}`);
      if (mentionName) {
        await page.keyboard.type(" @");
        await page
          .getByRole("listbox", { name: "Typeahead menu" })
          .getByRole("menuitem", { name: mentionName })
          .click();
      }
      await page.getByRole("button", { name: "Post", exact: true }).click();
    }

    await post("roles");
    const chair = page.getByText("Margaret Ellis").first();
    await chair.waitFor({ state: "visible", timeout: 30_000 });
    expect(await page.getByText(DEMO_PROJECT_NAME).first().isVisible()).toBe(true);

    await post("role add operations lead", "Lucy Evans");
    const confirmation = page.getByText(/Lucy Evans is now operations lead/).first();
    try {
      await confirmation.waitFor({ state: "visible", timeout: 30_000 });
    } catch (error) {
      await browser.screenshot("e2e-roles-failed.png");
      throw new Error(`No confirmation of the role. Bot log:\n${botLog.slice(-20).join("\n")}`, {
        cause: error,
      });
    }
    await browser.screenshot("e2e-roles.png");
    const state = await local.log.readState(projectIdForChannel(DEMO_BINDING.channelId));
    const lucy = DEMO_PEOPLE.find((p) => p.name === "Lucy Evans");
    expect(state?.roles).toContainEqual({
      role: "operations-lead",
      person: { objectId: lucy?.objectId, name: "Lucy Evans" },
    });

    // The readiness checklist and the board's minutes render as cards a person can read.
    await post("readiness");
    await page
      .getByText("2 blockers: proceed is not possible while any stands.")
      .first()
      .waitFor({ timeout: 30_000 });
    await post("minutes");
    await page.getByText("Outcome: Conditional approval").first().waitFor({ timeout: 30_000 });
    await browser.screenshot("e2e-minutes.png");

    // The go-live command log: an issue raised from the channel comes back as its triage card, then in the list.
    await post("raise P3 printer for the paper MAR back-up is offline");
    await page.getByText("printer for the paper MAR back-up is offline").first().waitFor({ timeout: 30_000 });
    await page
      .getByText(/GL-1\b/)
      .first()
      .waitFor({ timeout: 30_000 });
    await browser.screenshot("e2e-triage-card.png");
    await post("issues");
    try {
      await page.getByText("Showing 1–1 of 1").first().waitFor({ timeout: 30_000 });
    } catch (error) {
      await browser.screenshot("e2e-issues-failed.png");
      throw new Error(`No list of issues. Bot log:\n${botLog.slice(-20).join("\n")}`, { cause: error });
    }
    // The daily digest on demand: the card renders in the thread, with the board's decision form.
    await post("digest");
    await page
      .getByText(/^Daily digest — /)
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByText("Record the board's decision").first().waitFor({ timeout: 30_000 });
    await browser.screenshot("e2e-digest.png");

    // The evidence pack: the channel is told it went to a private chat; the link itself is never posted there.
    await post("evidence");
    try {
      await page
        .getByText(/I've sent you the evidence pack .* in a private chat/)
        .first()
        .waitFor({ timeout: 60_000 });
    } catch (error) {
      await browser.screenshot("e2e-evidence-failed.png");
      throw new Error(`No evidence pack answer. Bot log:\n${botLog.slice(-20).join("\n")}`, { cause: error });
    }
    expect(await page.getByText(/sig=/).count()).toBe(0);
    await browser.screenshot("e2e-evidence.png");
    // In the person's own chat with the bot: the card with the pack's links.
    await page.getByText("Personal Chat", { exact: true }).first().click();
    await page.getByText("Download the pack (zip)").first().waitFor({ timeout: 30_000 });
    await page.getByText("Open the report").first().waitFor({ timeout: 30_000 });
    await browser.screenshot("e2e-evidence-private.png");
    const issue = await local.log.readIssue(projectIdForChannel(DEMO_BINDING.channelId), "GL-1");
    expect(issue).toMatchObject({ priority: "P3", status: "open", raisedBy: { name: "Priya Shah" } });
  });
});
