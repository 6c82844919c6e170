import { rename, rm, rmdir } from "node:fs/promises";
import { userInfo } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { consoleLogger } from "../bot/logger.js";
import { projectChannels } from "../bot/reviews.js";
import { resolveEvidenceRange } from "../governance/evidencePack.js";
import { decideEvidenceExport, parseEvidenceDate } from "../governance/evidenceRules.js";
import { projectIdForChannel } from "../governance/project.js";
import { preparePackFolder } from "../store/evidenceFiles.js";
import { exportEvidencePack } from "../store/evidencePack.js";
import { runWhenStarted } from "./cli.js";
import { readEnvironment } from "./config.js";
import { openLocalStorage } from "./localStorage.js";
import { createRuntime } from "./runtime.js";

/**
 * `npm run evidence -- [--project <id>] [--from <date>] [--to <date>] [--out <folder>]`: a project's evidence
 * pack written to a folder from the local store, for whoever runs the provider's storage. Like every export, it
 * is recorded in the project's governance log (by the person at the keyboard, from the command line).
 */
export interface EvidenceArguments {
  project?: string;
  from?: string;
  to?: string;
  out?: string;
  by?: string;
}

const USAGE =
  "Use: npm run evidence -- [--project <id>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out <folder>] [--by <your name>]";

export function parseEvidenceArguments(
  args: readonly string[],
): { ok: true; options: EvidenceArguments } | { ok: false; problem: string } {
  const options: EvidenceArguments = {};
  for (let k = 0; k < args.length; k++) {
    const arg = String(args[k]);
    const value = args[k + 1];
    const flag = /^--(project|from|to|out|by)$/.exec(arg)?.[1] as keyof EvidenceArguments | undefined;
    if (!flag || value === undefined || value.startsWith("--")) {
      return {
        ok: false,
        problem: flag ? `--${flag} needs a value. ${USAGE}` : `I don't know "${arg.slice(0, 40)}". ${USAGE}`,
      };
    }
    k++;
    if (flag === "from" || flag === "to") {
      const date = parseEvidenceDate(value);
      if (!date)
        return { ok: false, problem: `--${flag} needs a date such as 2026-11-27 or 27/11/2026. ${USAGE}` };
      options[flag] = date;
    } else options[flag] = value;
  }
  return { ok: true, options };
}

async function main(): Promise<number> {
  const parsed = parseEvidenceArguments(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(parsed.problem);
    return 2;
  }
  const { options } = parsed;
  const env = readEnvironment();
  const storage = await openLocalStorage({
    dataDir: resolve(env.DATA_DIR, "azurite"),
    port: env.AZURITE_TABLE_PORT,
    blobPort: env.AZURITE_BLOB_PORT,
  });
  try {
    const runtime = await createRuntime({
      storage: { kind: "connection-string", connectionString: storage.connectionString },
      logger: consoleLogger("warn"),
    });
    const projects = (await projectChannels(runtime.reviews.references)).map(projectIdForChannel);
    const projectId = options.project ?? (projects.length === 1 ? projects[0] : undefined);
    if (!projectId) {
      console.error(
        projects.length === 0
          ? "No project is installed in a channel in the local store. Run npm run demo first, or give --project."
          : `Several projects: give one with --project (${projects.join(", ")}).`,
      );
      return 2;
    }
    const state = await runtime.log.readState(projectId);
    if (!state) {
      console.error(`No project ${projectId} in the local store.`);
      return 2;
    }
    const now = new Date();
    const resolved = resolveEvidenceRange(state.project, options, now);
    if ("problem" in resolved) {
      console.error(resolved.problem);
      return 2;
    }
    const { range } = resolved;
    const name = options.by ?? userInfo().username;
    const producedBy = { objectId: "command-line", name: `${name} (command line)` };
    const folder = resolve(options.out ?? `evidence-pack-${projectId}-${range.from}-to-${range.to}`);
    await preparePackFolder(folder);
    // Built beside the folder and moved into it only once the export is logged: no unlogged pack is left.
    const building = join(dirname(folder), `.${basename(folder)}.building-${process.pid}`);
    const pack = await exportEvidencePack(runtime.log, {
      folder: building,
      request: { projectId, range, producedAt: now.toISOString(), producedBy },
    }).catch(async (error: unknown) => {
      await rm(building, { recursive: true, force: true });
      throw error;
    });
    const result = await runtime.log
      .change({
        projectId,
        idempotencyKey: `evidence:cli:${pack.manifestSha256}`,
        actor: producedBy,
        decide: decideEvidenceExport(
          producedBy,
          undefined,
          {
            from: range.from,
            to: range.to,
            headSeq: pack.manifest.chain.headSeq,
            headHash: pack.manifest.chain.headHash,
            manifestSha256: pack.manifestSha256,
            files: pack.manifest.files.length + 1,
            bytes: pack.bytes,
            destination: "folder",
          },
          { checkRoles: false },
        ),
      })
      .catch(async (error: unknown) => {
        await rm(building, { recursive: true, force: true });
        throw error;
      });
    const logged =
      result.status === "recorded" || result.status === "duplicate" ? result.entry.seq : undefined;
    if (logged === undefined) {
      await rm(building, { recursive: true, force: true });
      console.error(
        `The export could not be logged, so no pack was kept: ${"message" in result ? result.message : ""}`,
      );
      return 1;
    }
    await rmdir(folder);
    await rename(building, folder);
    console.log(
      [
        `Evidence pack for "${state.project.name}", ${range.from} to ${range.to} (${range.timeZone}), written to ${folder}`,
        `  ${pack.manifest.files.length + 1} files, ${(pack.bytes / 1024).toFixed(0)} KiB; governance log entries 1–${pack.manifest.chain.headSeq}`,
        `  manifest SHA-256 ${pack.manifestSha256}`,
        `  This export is governance log entry ${logged}.`,
        `  Open ${resolve(folder, "index.html")}; check it with: npm run verify-pack -- ${folder}`,
      ].join("\n"),
    );
    return 0;
  } finally {
    await storage.close();
  }
}

runWhenStarted(import.meta.url, main, "The evidence pack could not be made");
