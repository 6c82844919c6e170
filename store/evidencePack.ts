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
      entries: readableEntries(log, request.projectId),
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

/** The log's entries; a row that cannot be read as an entry stops the pack (it would not verify). */
async function* readableEntries(log: GovernanceLog, projectId: string): AsyncGenerator<LogEntry> {
  for await (const entry of log.entries(projectId)) {
    if ("unreadable" in entry) {
      throw new EvidenceChainError(`Entry ${entry.seq} cannot be read: ${entry.unreadable}.`, entry.seq);
    }
    yield entry;
  }
}

/** A private temporary folder for a pack on its way to Blob Storage, removed by `release`. */
export async function temporaryPackFolder(): Promise<{ folder: string; release(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), "evidence-pack-"));
  return { folder, release: () => rm(folder, { recursive: true, force: true }) };
}
