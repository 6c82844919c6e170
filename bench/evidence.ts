/**
 * The evidence pack of a 100,000-entry governance log: how long `exportEvidencePack` takes and how much memory
 * it needs, and how long `checkPack` (verify-pack) takes on the pack it made. The log is generated (evidenceLog.ts:
 * a go-live of about 120 days) and its rows written straight into Azurite as the store writes them — each entry's
 * log row and the chain head, in entity-group transactions of 100 — not through the governance log, which would
 * take many minutes; the seeding is set-up and timed apart. Every measured step runs in a child process of its
 * own (evidenceChild.ts), so its peak resident memory is the step's, not this bench's. Called from
 * messages.bench.ts after the other scenarios (or alone: `npm run bench -- evidence`), on the same Azurite.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { LogEntry } from "../governance/chain.js";
import { localDateIn, type PackRequest } from "../governance/evidencePack.js";
import { logRowKey } from "../store/governanceLog.js";
import { tableClient } from "../store/tables.js";
import type { ChildResult, ChildTask } from "./evidenceChild.js";
import { goLiveLog, TIME_ZONE } from "./evidenceLog.js";
import { count, ms, printTable } from "./measure.js";

const ENTRIES = Number(process.env.BENCH_EVIDENCE_ENTRIES ?? 100_000);
const RUNS = 3;
const AIM_MS = 5_000;
const AIM_MB = 300;
/** Table Storage's limit of actions in one entity-group transaction. */
const BATCH = 100;
/** Transactions in flight at once while seeding. */
const SEED_CONCURRENCY = 4;
/** The store refuses a change whose events are longer than this (store/governanceLog.ts). */
const MAX_EVENTS_JSON_CHARACTERS = 30_000;
const MB = 2 ** 20;
const CHILD = fileURLToPath(new URL("./evidenceChild.ts", import.meta.url));

/** The row the store's transaction writes for a log entry (GovernanceLog.transaction's first action). */
function logRow(entry: LogEntry): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const events = JSON.stringify(entry.events);
  if (events.length > MAX_EVENTS_JSON_CHARACTERS) {
    throw new Error(`entry ${entry.seq} is larger than the store would record (${events.length} characters)`);
  }
  return {
    partitionKey: entry.projectId,
    rowKey: logRowKey(entry.seq),
    seq: entry.seq,
    at: entry.at,
    actor: JSON.stringify(entry.actor),
    ...(entry.why !== undefined ? { why: entry.why } : {}),
    idempotencyKey: entry.idempotencyKey,
    events,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

/**
 * Writes the generated log into the table as it is generated (never the whole log at once): batches of 100 rows,
 * a few in flight, then the head row. Returns what the pack's request needs.
 */
async function seedLog(
  table: TableClient,
  projectId: string,
  start: Date,
): Promise<{ first: string; last: LogEntry; bytes: number }> {
  const entries = goLiveLog({ projectId, entries: ENTRIES, start });
  let first = "";
  let last: LogEntry | undefined;
  let bytes = 0;
  let done = false;
  const nextBatch = (): TransactionAction[] | undefined => {
    if (done) return undefined;
    const batch: TransactionAction[] = [];
    while (batch.length < BATCH) {
      const next = entries.next();
      if (next.done) {
        done = true;
        break;
      }
      const entry = next.value;
      if (!first) first = entry.at;
      last = entry;
      const row = logRow(entry);
      bytes += String(row.events).length + String(row.actor).length + 300;
      batch.push(["create", row]);
    }
    return batch.length > 0 ? batch : undefined;
  };
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      for (let batch = nextBatch(); batch; batch = nextBatch()) {
        const response = await table.submitTransaction(batch);
        if (response.status !== 202) throw new Error(`seeding failed: HTTP ${response.status}`);
      }
    }),
  );
  if (!last) throw new Error("the generator gave no entries");
  const head = last as LogEntry;
  await table.createEntity({
    partitionKey: projectId,
    rowKey: "head",
    seq: head.seq,
    hash: head.hash,
    at: head.at,
  });
  return { first, last: head, bytes };
}

/** Runs one step in a child process (tsx, as the bench runs Azurite), with its wall time from spawn to exit. */
function inChild(
  task: ChildTask,
  options: { cpuProfileDir?: string } = {},
): Promise<ChildResult & { processMs: number }> {
  const began = performance.now();
  const profile = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", CHILD, JSON.stringify(task)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("evidence-child "));
      if (code !== 0 || !line) {
        reject(new Error(`evidence ${task.mode} child exited ${code}: ${out.slice(-500)}`));
        return;
      }
      resolve({
        ...(JSON.parse(line.slice("evidence-child ".length)) as ChildResult),
        processMs: performance.now() - began,
      });
    });
  });
}

async function folderSize(folder: string): Promise<{ bytes: number; files: number }> {
  const names = await readdir(folder);
  let bytes = 0;
  for (const name of names) bytes += (await stat(join(folder, name))).size;
  return { bytes, files: names.length };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const mb = (bytes: number) => (bytes / MB).toFixed(1);
const seconds = (msValue: number) => (msValue / 1000).toFixed(2);

export async function benchEvidence(options: { connectionString: string }): Promise<void> {
  const stamp = Date.now().toString(36);
  // A table of its own: Azurite scans a whole table per query page, so the other scenarios' rows would otherwise
  // slow this one's reads (and make a full run differ from `npm run bench -- evidence`).
  const tableName = `evidence${stamp}`;
  const table = tableClient(
    { kind: "connection-string", connectionString: options.connectionString },
    tableName,
  );
  await table.createTable();
  const projectId = `p-evidence-${stamp}`;
  const start = new Date(Date.UTC(2026, 8, 1, 8, 30));
  const work = await mkdtemp(join(tmpdir(), "evidence-bench-"));
  const cpuProfileDir = process.env.BENCH_EVIDENCE_CPU_PROF;

  console.log(
    `\nevidence: the evidence pack of a ${count(ENTRIES)}-entry governance log, on the same Azurite`,
  );
  console.log(
    "note: a go-live of two care homes over about 120 days (set-up, roles, readiness, the board's vote, then the command log: issues raised, triaged, assigned, updated, controlled, resolved, verified, some reopened; a digest, its claim and the board's decision every day; weekly audits and reviews; pulses, risks, an SLT decision), generated by bench/evidenceLog.ts. Its log rows and head are written straight into a table of their own, in transactions of 100, as the store writes them.",
  );
  try {
    process.stdout.write("seeding (set-up, not measured)... ");
    const seedBegan = performance.now();
    const seeded = await seedLog(table, projectId, start);
    const seedMs = performance.now() - seedBegan;
    console.log(
      `done: ${count(seeded.last.seq)} entries (about ${mb(seeded.bytes)} MB of rows) in ${seconds(seedMs)} s, ${seeded.first.slice(0, 10)} to ${seeded.last.at.slice(0, 10)}`,
    );
    const dateOf = localDateIn(TIME_ZONE);
    const request: PackRequest = {
      projectId,
      range: { from: dateOf(seeded.first), to: dateOf(seeded.last.at), timeZone: TIME_ZONE },
      producedAt: new Date(Date.parse(seeded.last.at) + 3_600_000).toISOString(),
      producedBy: { objectId: "c0ffee00-0000-4000-8000-000000000001", name: "Priya Shah" },
    };
    const target = { connectionString: options.connectionString, table: tableName };

    interface Run {
      exported: ChildResult & { processMs: number };
      checked: ChildResult & { processMs: number };
      pack: { bytes: number; files: number };
    }
    const runs: Run[] = [];
    let manifest: string | undefined;
    for (let k = 1; k <= RUNS; k++) {
      process.stdout.write(`export run ${k}... `);
      const folder = join(work, `pack-${k}`);
      const exported = await inChild({ mode: "export", ...target, folder, request });
      if (exported.entries !== seeded.last.seq) throw new Error(`the pack holds ${exported.entries} entries`);
      const pack = await folderSize(folder);
      process.stdout.write(`${seconds(exported.ms)} s; check... `);
      const checked = await inChild({ mode: "check", folder });
      if (!checked.ok) throw new Error(`the pack did not verify: ${checked.problem}`);
      if (manifest !== undefined && exported.manifestSha256 !== manifest) {
        throw new Error("two exports of the same log and range differ");
      }
      manifest = exported.manifestSha256;
      console.log(`${seconds(checked.ms)} s`);
      runs.push({ exported, checked, pack });
      await rm(folder, { recursive: true, force: true });
    }
    if (cpuProfileDir) {
      // One more export, profiled, not counted (the profiler slows it down).
      process.stdout.write("profiled export (not counted)... ");
      const profiled = await inChild(
        { mode: "export", ...target, folder: join(work, "pack-profiled"), request },
        { cpuProfileDir },
      );
      console.log(`${seconds(profiled.ms)} s`);
    }
    process.stdout.write("reading alone... ");
    const reads: Array<ChildResult & { processMs: number }> = [];
    const rows: Array<ChildResult & { processMs: number }> = [];
    for (let k = 1; k <= RUNS; k++) {
      reads.push(await inChild({ mode: "read", ...target, projectId }));
      rows.push(await inChild({ mode: "rows", ...target, projectId }));
    }
    for (const r of [...reads, ...rows]) {
      if (r.entries !== seeded.last.seq || !r.ok)
        throw new Error(`the ${r.mode} step read ${r.entries} entries`);
    }
    console.log("done");

    console.log("");
    const header = [
      "run",
      "export s",
      "entries/s",
      "peak RSS MB",
      "RSS before MB",
      "pack MB",
      "files",
      "check s",
      "check peak RSS MB",
    ];
    const cells = (r: Run, name: string) => [
      name,
      seconds(r.exported.ms),
      (r.exported.entries / (r.exported.ms / 1000)).toFixed(0),
      mb(r.exported.peakRssBytes),
      mb(r.exported.rssBeforeBytes),
      mb(r.pack.bytes),
      String(r.pack.files),
      seconds(r.checked.ms),
      mb(r.checked.peakRssBytes),
    ];
    const exportMs = median(runs.map((r) => r.exported.ms));
    const printed = [
      ...runs.map((r, k) => cells(r, String(k + 1))),
      [
        "median",
        seconds(exportMs),
        (seeded.last.seq / (exportMs / 1000)).toFixed(0),
        mb(median(runs.map((r) => r.exported.peakRssBytes))),
        mb(median(runs.map((r) => r.exported.rssBeforeBytes))),
        mb(median(runs.map((r) => r.pack.bytes))),
        String(median(runs.map((r) => r.pack.files))),
        seconds(median(runs.map((r) => r.checked.ms))),
        mb(median(runs.map((r) => r.checked.peakRssBytes))),
      ],
    ];
    printTable(header, printed);
    console.log(
      `export: exportEvidencePack from Azurite into an empty folder, in a child process (modules loaded before the clock starts; with start-up the process took ${seconds(median(runs.map((r) => r.exported.processMs)))} s). peak RSS: the child's maxRSS, runtime and modules included (RSS before: what it held before the export began). check: checkPack through folderPackReader on that pack, in a child process the same way. ${RUNS} runs, one at a time; every pack verified, and all ${RUNS} have the same manifest.`,
    );

    const readMs = median(reads.map((r) => r.ms));
    const rowsMs = median(rows.map((r) => r.ms));
    const share = (part: number) => `${((part / exportMs) * 100).toFixed(0)}%`;
    console.log("");
    console.log("where the export's time goes (medians of 3 runs, each in a child process):");
    console.log(
      `  the log's rows from Azurite alone (listEntities, 1,000 a page):           ${ms(rowsMs).padStart(9)} ms  ${share(rowsMs).padStart(4)} of the export  (peak RSS ${mb(median(rows.map((r) => r.peakRssBytes)))} MB)`,
    );
    console.log(
      `  log.entries(): those rows parsed into entries (JSON + schema), no pack: ${ms(readMs).padStart(9)} ms  ${share(readMs).padStart(4)}  (peak RSS ${mb(median(reads.map((r) => r.peakRssBytes)))} MB)`,
    );
    console.log(
      `  building and writing the pack (export less log.entries()):             ${ms(exportMs - readMs).padStart(9)} ms  ${share(exportMs - readMs).padStart(4)}`,
    );
    console.log(
      `  the whole export:                                                      ${ms(exportMs).padStart(9)} ms  100%`,
    );
    console.log(
      `  for comparison, checkPack rebuilds the same pack from log.jsonl on disk (no Azurite): ${ms(median(runs.map((r) => r.checked.ms)))} ms`,
    );
    if (cpuProfileDir) console.log(`  the profiled export's CPU profile: ${cpuProfileDir}`);
    console.log("");
    const peakMb = Math.max(...runs.map((r) => r.exported.peakRssBytes)) / MB;
    const aim = (ok: boolean) => (ok ? "PASS" : "MISS");
    console.log(
      `aim "a pack for ${count(ENTRIES)} log entries under ${AIM_MS / 1000} s": ${aim(exportMs < AIM_MS)} (median ${seconds(exportMs)} s)`,
    );
    console.log(
      `aim "a pack for ${count(ENTRIES)} log entries under ${AIM_MB} MB peak memory": ${aim(peakMb < AIM_MB)} (highest peak RSS of ${RUNS} runs ${peakMb.toFixed(1)} MB)`,
    );
    console.log(
      "note: Azurite scans the whole table for each page of a query, so reading grows with the table (here the log alone); Azure Table Storage reads the key range.",
    );
  } finally {
    await rm(work, { recursive: true, force: true });
    await table.deleteTable().catch(() => undefined);
  }
}
