import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium. Playwright's own browser downloads do not work here, so we never use them. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where end-to-end tests leave screenshots and PDFs (git-ignored). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, "../../test-artifacts");

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Only loopback may be reached: pages like the Playground ask for web fonts from a CDN, which must not leave the machine. */
const NOT_LOOPBACK = /^(?:https?|wss?):\/\/(?!(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?\/)/i;

export interface HeadlessBrowser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-viewport PNG under test-artifacts/ and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
}

/**
 * Headless Debian Chromium with a fresh profile that is removed on close. Fails with the install command when
 * Chromium is missing rather than skipping: an end-to-end test that silently does nothing proves nothing.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<HeadlessBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package: ` +
        "`apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH).",
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "golive-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1400, height: 1000 },
      locale: "en-US",
      timezoneId: "UTC",
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  await context.route(NOT_LOOPBACK, (route) => route.abort("blockedbyclient"));
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async screenshot(name: string) {
      const path = join(ARTIFACTS_DIR, name.endsWith(".png") ? name : `${name}.png`);
      await mkdir(dirname(path), { recursive: true });
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
