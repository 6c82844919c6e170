import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogEntry } from "../governance/chain.js";
import { type BuiltPack, buildPack } from "../governance/evidenceManifest.js";
import { EvidenceChainError, type PackRequest } from "../governance/evidencePack.js";
import { clearPackFolder, FolderPackSink, preparePackFolder } from "./evidenceFiles.js";
import type { GovernanceLog } from "./governanceLog.js";

/**
 * Builds a project's evidence pack from its governance log into a folder: the head is read first and the log
 * read once, page by page, up to the end of the range (or that head: changes made meanwhile are for the next
 * pack). A failure leaves the folder empty: never half a pack.
 */
export async function exportEvidencePack(
  log: GovernanceLog,
  options: { request: PackRequest; folder: string },
): Promise<BuiltPack & { folder: string }> {
  const { request, folder } = options;
  const head = await log.head(request.projectId);
  if (!head) throw new EvidenceChainError("This project has no governance log.", 0, true);
  await preparePackFolder(folder);
  const sink = new FolderPackSink(folder);
  try {
    const built = await buildPack({
      entries: readableEntries(log, request.projectId, head.seq),
      bound: { upTo: head },
      request,
      sink,
    });
    await sink.close();
    return { ...built, folder };
  } catch (error) {
    await sink.close().catch(() => undefined);
    await clearPackFolder(folder);
    throw error;
  }
}

/** Entries read per stretch of the log, and stretches read ahead while the pack is built from the one before. */
const STRETCH = 2_000;
const READ_AHEAD = 2;

/**
 * The log's entries up to the head, in order. Reading storage and building the pack overlap: the next stretches
 * of the log are read while the current one is built (a few thousand entries in memory, never the whole log).
 * A row that cannot be read as an entry stops the pack (it would not verify).
 */
async function* readableEntries(
  log: GovernanceLog,
  projectId: string,
  headSeq: number,
): AsyncGenerator<LogEntry> {
  const read = async (fromSeq: number): Promise<LogEntry[]> => {
    const out: LogEntry[] = [];
    for await (const entry of log.entries(projectId, {
      fromSeq,
      toSeq: Math.min(headSeq, fromSeq + STRETCH - 1),
    })) {
      if ("unreadable" in entry) {
        throw new EvidenceChainError(`Entry ${entry.seq} cannot be read: ${entry.unreadable}.`, entry.seq);
      }
      out.push(entry);
    }
    return out;
  };
  const pending: Array<Promise<LogEntry[]>> = [];
  let next = 1;
  const readMore = () => {
    while (pending.length < READ_AHEAD && next <= headSeq) {
      const stretch = read(next);
      // Failures surface when the stretch is reached; until then they must not be reported as unhandled.
      stretch.catch(() => undefined);
      pending.push(stretch);
      next += STRETCH;
    }
  };
  readMore();
  try {
    while (pending.length > 0) {
      const entries = await (pending.shift() as Promise<LogEntry[]>);
      readMore();
      yield* entries;
    }
  } finally {
    // The builder stopped early (its range ended): stretches still being read are left to finish unobserved.
    for (const stretch of pending) stretch.catch(() => undefined);
  }
}

/** A private temporary folder for a pack on its way to Blob Storage, removed by `release`. */
export async function temporaryPackFolder(): Promise<{ folder: string; release(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), "evidence-pack-"));
  return { folder, release: () => rm(folder, { recursive: true, force: true }) };
}
