import { resolve } from "node:path";
import { consoleLogger } from "../bot/logger.js";
import { projectChannels, runScheduledReviews } from "../bot/reviews.js";
import { projectIdForChannel } from "../governance/project.js";
import { runWhenStarted } from "./cli.js";
import { readEnvironment } from "./config.js";
import { openLocalStorage } from "./localStorage.js";
import { createRuntime } from "./runtime.js";

/**
 * `npm run review -- daily|reminders [--project <id>] [--now <ISO time>]`: the scheduled reviews, run once now
 * against the local store — the same code as the 15-minute timer. With --now a fortnight can be replayed
 * morning by morning. Posts go where each channel's stored reference points (the Playground, while npm start
 * runs); a post that cannot be delivered is recorded as failed and tried again on the next run.
 */
export function parseReviewArguments(
  args: readonly string[],
):
  | { ok: true; jobs: Array<"daily" | "reminders">; project?: string; now: Date }
  | { ok: false; problem: string } {
  const usage = "Use: npm run review -- daily|reminders [--project <id>] [--now <ISO time>]";
  const jobs: Array<"daily" | "reminders"> = [];
  let project: string | undefined;
  let now = new Date();
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    if (arg === "daily" || arg === "reminders") jobs.push(arg);
    else if (arg === "--project" && args[k + 1]) project = args[++k];
    else if (arg === "--now" && args[k + 1]) {
      now = new Date(String(args[++k]));
      if (Number.isNaN(now.getTime()))
        return { ok: false, problem: `--now needs a time such as 2026-11-27T08:00:00Z. ${usage}` };
    } else return { ok: false, problem: `I don't know "${String(arg).slice(0, 40)}". ${usage}` };
  }
  if (jobs.length === 0) return { ok: false, problem: `Say which review to run. ${usage}` };
  // A future time would post tomorrow's digest today and use up its reminders: refused.
  if (now.getTime() > Date.now() + 60_000) {
    return { ok: false, problem: `--now cannot be in the future (it replays the past). ${usage}` };
  }
  return { ok: true, jobs, ...(project ? { project } : {}), now };
}

async function main(): Promise<number> {
  const parsed = parseReviewArguments(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(parsed.problem);
    return 2;
  }
  const env = readEnvironment();
  const storage = await openLocalStorage({
    dataDir: resolve(env.DATA_DIR, "azurite"),
    port: env.AZURITE_TABLE_PORT,
  });
  try {
    const runtime = await createRuntime({
      storage: { kind: "connection-string", connectionString: storage.connectionString },
      logger: consoleLogger("warn"),
    });
    let channels = await projectChannels(runtime.reviews.references);
    if (parsed.project) {
      channels = channels.filter((c) => projectIdForChannel(c) === parsed.project);
      if (channels.length === 0) {
        console.error(`No project ${parsed.project} in a channel the app is installed in.`);
        return 2;
      }
    }
    // A time in the past replays: each project as its log stood then.
    const asOf = parsed.now.getTime() < Date.now() - 60_000;
    const totals = await runScheduledReviews(runtime.reviews, parsed.now, {
      jobs: parsed.jobs,
      channels,
      asOf,
    });
    const notes = [
      asOf && parsed.jobs.includes("reminders")
        ? "Reminders are not replayed (they call people about issues as they are now)."
        : "",
      asOf && totals.digests < totals.projects
        ? "A project that already posted a later morning's digest skips earlier ones: replay mornings in order."
        : "",
    ].join(" ");
    console.log(
      `At ${parsed.now.toISOString()}: ${totals.projects} projects, ${totals.digests} digests posted, ${totals.reminders} reminders posted, ${totals.failures} failures. ${notes}`.trim(),
    );
    return totals.failures > 0 ? 1 : 0;
  } finally {
    await storage.close();
  }
}

runWhenStarted(import.meta.url, main, "The review could not run");
