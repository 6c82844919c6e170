/**
 * One measured step of the evidence-pack bench, in a process of its own so its peak memory is the step's alone
 * (`process.resourceUsage().maxRSS`, with the runtime and modules it loads), not the bench's. Spawned by
 * evidence.ts as `node --import tsx bench/evidenceChild.ts '<json>'`; prints one line, `evidence-child <json>`.
 *   export - exportEvidencePack from Azurite into a folder (the product's export, as the CLI runs it);
 *   read   - every entry through log.entries() (rows read, JSON parsed, checked against the schema), nothing built;
 *   rows   - the log's rows alone, as listEntities pages them (what Azurite and HTTP cost);
 *   check  - checkPack on the folder through folderPackReader (what verify-pack does).
 */
import { performance } from "node:perf_hooks";
import { checkPack } from "../governance/evidenceManifest.js";
import type { PackRequest } from "../governance/evidencePack.js";
import { folderPackReader } from "../store/evidenceFiles.js";
import { exportEvidencePack } from "../store/evidencePack.js";
import { GovernanceLog } from "../store/governanceLog.js";
import { tableClient } from "../store/tables.js";

export type ChildTask =
  | { mode: "export"; connectionString: string; table: string; folder: string; request: PackRequest }
  | { mode: "read" | "rows"; connectionString: string; table: string; projectId: string }
  | { mode: "check"; folder: string };

export interface ChildResult {
  mode: ChildTask["mode"];
  /** The step alone, from just before it starts to its end (modules already loaded). */
  ms: number;
  /** Entries (or rows) handled. */
  entries: number;
  /** Resident memory before the step: the runtime, tsx and the modules. */
  rssBeforeBytes: number;
  /** The process's peak resident memory (maxRSS). */
  peakRssBytes: number;
  /** The V8 heap in use at the end (after the step, no forced collection). */
  heapUsedBytes: number;
  ok: boolean;
  problem?: string;
  manifestSha256?: string;
}

async function run(
  task: ChildTask,
): Promise<Omit<ChildResult, "rssBeforeBytes" | "peakRssBytes" | "heapUsedBytes" | "ms">> {
  switch (task.mode) {
    case "export": {
      const log = new GovernanceLog(
        tableClient({ kind: "connection-string", connectionString: task.connectionString }, task.table),
      );
      const built = await exportEvidencePack(log, { request: task.request, folder: task.folder });
      return {
        mode: "export",
        entries: built.manifest.chain.headSeq,
        ok: true,
        manifestSha256: built.manifestSha256,
      };
    }
    case "read": {
      const log = new GovernanceLog(
        tableClient({ kind: "connection-string", connectionString: task.connectionString }, task.table),
      );
      let entries = 0;
      let unreadable = 0;
      for await (const entry of log.entries(task.projectId)) {
        entries++;
        if ("unreadable" in entry) unreadable++;
      }
      return {
        mode: "read",
        entries,
        ok: unreadable === 0,
        ...(unreadable > 0 ? { problem: `${unreadable} unreadable` } : {}),
      };
    }
    case "rows": {
      const table = tableClient(
        { kind: "connection-string", connectionString: task.connectionString },
        task.table,
      );
      // The same query log.entries() sends: the partition's log rows, 1,000 a page.
      const filter = `PartitionKey eq '${task.projectId}' and RowKey ge 'log-' and RowKey lt 'log.'`;
      let entries = 0;
      for await (const page of table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: 1000 })) {
        entries += page.length;
      }
      return { mode: "rows", entries, ok: true };
    }
    case "check": {
      const result = await checkPack(folderPackReader(task.folder));
      return result.ok
        ? { mode: "check", entries: result.entries, ok: true, manifestSha256: result.manifestSha256 }
        : { mode: "check", entries: 0, ok: false, problem: result.problem };
    }
  }
}

const task = JSON.parse(process.argv[2] ?? "{}") as ChildTask;
const rssBeforeBytes = process.memoryUsage().rss;
const began = performance.now();
const outcome = await run(task);
const ms = performance.now() - began;
const result: ChildResult = {
  ...outcome,
  ms,
  rssBeforeBytes,
  // maxRSS is in kibibytes.
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  heapUsedBytes: process.memoryUsage().heapUsed,
};
console.log(`evidence-child ${JSON.stringify(result)}`);
