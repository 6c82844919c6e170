/**
 * What the benchmarks share: timing runs one at a time, percentiles, number formats, and seeding a partition with
 * issue rows as the store would write them (the store's own projection, not the log, to keep benches short).
 */
import { performance } from "node:perf_hooks";
import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { Issue } from "../governance/commandLog.js";
import { issueRows } from "../store/projection.js";

export interface Timing {
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/** Runs `work` `warmups` times unmeasured, then `runs` times one after another, each timed alone. */
export async function timeRuns(
  work: () => Promise<void>,
  options: { warmups: number; runs: number },
): Promise<Timing> {
  for (let k = 0; k < options.warmups; k++) await work();
  const took: number[] = [];
  for (let k = 0; k < options.runs; k++) {
    const began = performance.now();
    await work();
    took.push(performance.now() - began);
  }
  took.sort((a, b) => a - b);
  return { p50: percentile(took, 50), p99: percentile(took, 99), max: took[took.length - 1] ?? Number.NaN };
}

export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
export const count = (n: number) => n.toLocaleString("en-GB");

/** Prints a table: the first (or first few) columns left-aligned, the figures right-aligned, two spaces apart. */
export function printTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { leftAligned?: number } = {},
): void {
  const leftAligned = options.leftAligned ?? 1;
  const widths = header.map((c, k) => Math.max(c.length, ...rows.map((r) => (r[k] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, k) => (k < leftAligned ? cell.padEnd(widths[k] ?? 0) : cell.padStart(widths[k] ?? 0)))
      .join("  ");
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

/** Table Storage's limit of actions in one entity-group transaction. */
const BATCH = 100;
/** Transactions in flight at once while seeding. */
const SEED_CONCURRENCY = 4;

/** Writes exactly the rows the store writes for each issue (its record, its list row while not closed). */
export async function seedIssueRows(
  table: TableClient,
  projectId: string,
  issues: readonly Issue[],
): Promise<number> {
  const actions: TransactionAction[] = [];
  for (const issue of issues) {
    for (const row of issueRows(issue).values())
      actions.push(["create", { partitionKey: projectId, ...row }]);
  }
  const batches: TransactionAction[][] = [];
  for (let k = 0; k < actions.length; k += BATCH) batches.push(actions.slice(k, k + BATCH));
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as TransactionAction[];
        const response = await table.submitTransaction(batch);
        if (response.status !== 202) throw new Error(`seeding failed: HTTP ${response.status}`);
      }
    }),
  );
  return actions.length;
}
