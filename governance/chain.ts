import { createHash } from "node:crypto";
import { z } from "zod";
import { ActorSchema, GovernanceEventSchema } from "./events.js";

/**
 * The governance log is a hash chain: each entry's hash covers its content and the previous entry's hash, and
 * the chain head records the last sequence number and hash. Changing, removing or reordering any entry — or
 * dropping the newest ones — breaks a link that `verifyChain` names.
 */
export const GENESIS_HASH = "0".repeat(64);

export const LogEntrySchema = z.object({
  projectId: z.string(),
  seq: z.number().int().positive(),
  at: z.string(),
  actor: ActorSchema,
  /** Why, in the person's words where the action asked for a rationale. */
  why: z.string().max(4_000).optional(),
  /** The Teams activity or card action that caused the change; a second delivery of it changes nothing. */
  idempotencyKey: z.string().max(1_000),
  events: z.array(GovernanceEventSchema).min(1),
  prevHash: z.string().length(64),
  hash: z.string().length(64),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;
export type UnsealedEntry = Omit<LogEntry, "hash">;

export interface ChainHead {
  seq: number;
  hash: string;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  // Plain loops, not entries/filter/map: a long log is hashed entry by entry when a pack is made or checked.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      const v = value[i];
      out += canonicalJson(v === undefined ? null : v);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = object[k];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** The canonical JSON an entry's hash covers: every field but the hash itself. */
function hashedContent(entry: UnsealedEntry): string {
  const { projectId, seq, at, actor, why, idempotencyKey, events, prevHash } = entry;
  return canonicalJson({ projectId, seq, at, actor, why, idempotencyKey, events, prevHash });
}

export function hashEntry(entry: UnsealedEntry): string {
  return createHash("sha256").update(hashedContent(entry)).digest("hex");
}

/**
 * An entry's hash and its canonical JSON (hash included) from one serialisation: the hash sorts between "events"
 * and "idempotencyKey", the key that always follows the events value (string values cannot hold a bare quote).
 */
export function hashAndLine(entry: LogEntry): { hash: string; line: string } {
  const content = hashedContent(entry);
  const hash = createHash("sha256").update(content).digest("hex");
  const at = content.lastIndexOf(',"idempotencyKey":');
  return { hash, line: `${content.slice(0, at)},"hash":${JSON.stringify(entry.hash)}${content.slice(at)}` };
}

export function sealEntry(entry: UnsealedEntry): LogEntry {
  return { ...entry, hash: hashEntry(entry) };
}

export type ChainProblem =
  | { kind: "altered"; seq: number; detail: string }
  | { kind: "missing"; seq: number; detail: string }
  | { kind: "unreadable"; seq: number; detail: string }
  /** The chain is intact but the stored state (what role checks read) is not what its events add up to. */
  | { kind: "state"; seq: number; detail: string };

export type ChainVerification =
  /** `stateChecked` is false when the project changed on every try to read its state at one position of the log. */
  | { ok: true; length: number; headHash: string; stateChecked?: boolean }
  | { ok: false; length: number; headHash: string; firstProblem: ChainProblem };

/**
 * Replays the chain. `entries` are the stored entries in sequence order (or `{ seq, problem }` for a row that
 * could not be read as an entry); `head` is the stored chain head. Names the first entry that is altered or
 * missing: for a rewritten entry whose own hash was recomputed, the culprit is found because the next entry
 * (or the head) still records the old hash.
 */
export function verifyChain(
  projectId: string,
  entries: ReadonlyArray<LogEntry | { seq: number; unreadable: string }>,
  head: ChainHead | undefined,
): ChainVerification {
  const headHash = head?.hash ?? GENESIS_HASH;
  const fail = (firstProblem: ChainProblem): ChainVerification => ({
    ok: false,
    length: head?.seq ?? entries.length,
    headHash,
    firstProblem,
  });
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const expectedSeq = i + 1;
    const entry = entries[i] as LogEntry | { seq: number; unreadable: string };
    if (entry.seq !== expectedSeq) {
      return fail({ kind: "missing", seq: expectedSeq, detail: `entry ${expectedSeq} is missing` });
    }
    if ("unreadable" in entry) {
      return fail({
        kind: "unreadable",
        seq: expectedSeq,
        detail: `entry ${expectedSeq} ${entry.unreadable}`,
      });
    }
    if (entry.projectId !== projectId) {
      return fail({
        kind: "altered",
        seq: expectedSeq,
        detail: `entry ${expectedSeq} belongs to another project`,
      });
    }
    if (hashEntry(entry) !== entry.hash) {
      return fail({
        kind: "altered",
        seq: expectedSeq,
        detail: `entry ${expectedSeq} does not match its hash`,
      });
    }
    if (entry.prevHash !== prevHash) {
      // This entry is intact but the one before it is not the entry it was chained to.
      return fail({
        kind: "altered",
        seq: expectedSeq - 1,
        detail: `entry ${expectedSeq - 1} is not the entry that entry ${expectedSeq} was chained to`,
      });
    }
    prevHash = entry.hash;
  }
  const length = entries.length;
  if (!head) {
    if (length === 0) return { ok: true, length: 0, headHash: GENESIS_HASH };
    return fail({ kind: "missing", seq: length, detail: "the chain head is missing" });
  }
  if (head.seq > length) {
    return fail({ kind: "missing", seq: length + 1, detail: `entry ${length + 1} is missing` });
  }
  if (head.seq < length) {
    return fail({
      kind: "altered",
      seq: head.seq + 1,
      detail: `entry ${head.seq + 1} was added after the chain head`,
    });
  }
  if (head.hash !== prevHash) {
    return fail({
      kind: "altered",
      seq: length,
      detail: `entry ${length} is not the entry the chain head records`,
    });
  }
  return { ok: true, length, headHash: prevHash };
}

/**
 * Checks entries that follow a verified prefix (committed while the prefix was being read): each must match its
 * hash and chain on from the one before. Returns the first problem, or undefined.
 */
export function verifyContinuation(
  projectId: string,
  entries: ReadonlyArray<LogEntry | { seq: number; unreadable: string }>,
  after: ChainHead,
): ChainProblem | undefined {
  let prevHash = after.hash;
  let expectedSeq = after.seq + 1;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq)
      return { kind: "missing", seq: expectedSeq, detail: `entry ${expectedSeq} is missing` };
    if ("unreadable" in entry)
      return { kind: "unreadable", seq: entry.seq, detail: `entry ${entry.seq} ${entry.unreadable}` };
    if (entry.projectId !== projectId || hashEntry(entry) !== entry.hash || entry.prevHash !== prevHash) {
      return {
        kind: "altered",
        seq: entry.seq,
        detail: `entry ${entry.seq} does not chain on from entry ${entry.seq - 1}`,
      };
    }
    prevHash = entry.hash;
    expectedSeq++;
  }
  return undefined;
}
