import { createHash } from "node:crypto";
import type { TableClient, TransactionAction } from "@azure/data-tables";
import {
  type ChainHead,
  type ChainProblem,
  type ChainVerification,
  GENESIS_HASH,
  type LogEntry,
  LogEntrySchema,
  sealEntry,
  verifyChain,
  verifyContinuation,
} from "../governance/chain.js";
import { type Issue, type IssueSummary, isIssueEvent, summaryOf } from "../governance/commandLog.js";
import { applyEvents, type Decision, replayProject } from "../governance/decisions.js";
import { type Actor, ActorSchema, GovernanceEventSchema } from "../governance/events.js";
import type { ProjectState } from "../governance/project.js";
import {
  asStoreError,
  ChangeTooLargeError,
  failedOperationIndex,
  StoreBusyError,
  StoreUnavailableError,
  statusOf,
} from "./errors.js";
import {
  compareStateRows,
  diffRows,
  ISSUE_PREFIX,
  type IssueListName,
  issueFromRow,
  issueRowKey,
  issueRows,
  LIST_PREFIX,
  type RowChange,
  rowsToState,
  rowsWithKeys,
  STATE_PREFIX,
  summaryFromRow,
  touchedRows,
} from "./projection.js";
import { type StorageTarget, TABLE_NAMES, tableClient } from "./tables.js";

const HEAD_ROW = "head";
/** Positions of the fixed actions in every change's transaction. */
const HEAD_ACTION_INDEX = 1;
const IDEMPOTENCY_ACTION_INDEX = 2;
const LOG_PREFIX = "log-";
const IDEMPOTENCY_PREFIX = "idem-";
/** Table Storage allows 100 operations per transaction: entry + head + idempotency key leave 97 for state rows. */
const MAX_STATE_ROWS_PER_CHANGE = 97;
/** Under Table Storage's 64 KiB per string property, with room to spare. */
const MAX_EVENTS_JSON_CHARACTERS = 30_000;

export const logRowKey = (seq: number): string => `${LOG_PREFIX}${String(seq).padStart(10, "0")}`;
const idempotencyRowKey = (key: string): string =>
  `${IDEMPOTENCY_PREFIX}${createHash("sha256").update(key).digest("hex")}`;

export interface ChangeRequest {
  projectId: string;
  /** The Teams activity or card action that caused the change. */
  idempotencyKey: string;
  actor: Actor;
  /** Issues of the command log the rule needs (by id, e.g. GL-42): read fresh for every attempt. */
  issueIds?: readonly string[];
  /**
   * The rule: given the state as stored now (and the issues asked for, those that exist), what to record. Run
   * again if another change gets in first.
   */
  decide(state: ProjectState | undefined, issues: ReadonlyMap<string, Issue>): Decision;
}

/** Every result carries the issues as they now stand: the ones asked for, and any the change raised. */
export type ChangeResult = { issues: ReadonlyMap<string, Issue> } & (
  | { status: "recorded"; entry: LogEntry; state: ProjectState | undefined; notes?: string[] }
  | { status: "duplicate"; entry: LogEntry; state: ProjectState | undefined }
  | { status: "unchanged"; message: string; state: ProjectState | undefined }
  | { status: "refused"; message: string; neededRole?: string; state: ProjectState | undefined }
);

export interface GovernanceLogOptions {
  clock?: () => Date;
  /** The client that submits transactions, without retries (see tableClient). Defaults to the main client. */
  transactionTable?: TableClient;
  /** How often to re-read and retry when another change moved the head first. */
  maxAttempts?: number;
}

interface Snapshot {
  head: ChainHead | undefined;
  etag: string | undefined;
  state: ProjectState | undefined;
  /** When storage last confirmed this is the current state (performance.now()). */
  confirmedAt: number;
}

/**
 * The per-project governance log on Table Storage. Each change is one entity-group transaction in the project's
 * partition that (1) appends the hash-chained entry, (2) moves the chain head under its ETag, (3) writes the
 * projected state rows the change touches and (4) records the idempotency key — so the log and the state never
 * disagree and a redelivered activity changes nothing. Works the same on Azurite and Azure Table Storage.
 */
export class GovernanceLog {
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  /** Last state seen per project, keyed by the head's ETag: a read of the head tells whether it is current. */
  private readonly cache = new Map<string, Snapshot>();
  /** The tail of each project's queue of changes in this process. */
  private readonly queues = new Map<string, Promise<void>>();
  /**
   * Issue lists as last read, per project and list, with the log position they stand at: a list is read again
   * only when the head has moved past it by a change this process did not make (its own changes patch it).
   */
  private readonly lists = new Map<string, { seq: number; summaries: Map<string, IssueSummary> }>();

  private readonly transactionTable: TableClient;

  constructor(
    private readonly table: TableClient,
    options: GovernanceLogOptions = {},
  ) {
    this.transactionTable = options.transactionTable ?? table;
    this.clock = options.clock ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 40;
  }

  /** The project's current state, or undefined when the channel has no project. */
  /** The current state with the log entry it stands at (the head's sequence number). */
  async readStateAt(projectId: string): Promise<{ state: ProjectState | undefined; seq: number }> {
    const snap = await this.snapshot(projectId);
    return { state: snap.state, seq: snap.head?.seq ?? 0 };
  }

  /**
   * The project's current state, or undefined when the channel has no project. With `maxAgeMs`, a state this
   * process saw confirmed within that time is returned without asking storage — for checks that are confirmed
   * again before anything is refused or recorded (a change is always decided on the head's ETag).
   */
  async readState(projectId: string, options: { maxAgeMs?: number } = {}): Promise<ProjectState | undefined> {
    const cached = this.cache.get(projectId);
    if (
      options.maxAgeMs !== undefined &&
      cached &&
      performance.now() - cached.confirmedAt <= options.maxAgeMs
    ) {
      return cached.state;
    }
    return (await this.snapshot(projectId)).state;
  }

  /**
   * Records one change. Changes to the same project from this process are queued, so they do not race each
   * other for the head; the head's ETag still guards against other processes (scale-out).
   */
  change(request: ChangeRequest): Promise<ChangeResult> {
    const previous = this.queues.get(request.projectId) ?? Promise.resolve();
    const run = previous.then(
      () => this.changeNow(request),
      () => this.changeNow(request),
    );
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(request.projectId, settled);
    void settled.then(() => {
      if (this.queues.get(request.projectId) === settled) this.queues.delete(request.projectId);
    });
    return run;
  }

  private async changeNow(request: ChangeRequest): Promise<ChangeResult> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      // First try on the state this process last saw, without reading the head: if another process moved the head
      // since, the commit is refused (412) and the next attempt reads afresh. Only a change can be decided on a
      // possibly stale state; an "unchanged" or a refusal is always confirmed on a fresh read.
      const remembered = attempt === 1 ? this.cache.get(request.projectId) : undefined;
      let snap = remembered ?? (await this.snapshot(request.projectId));
      // Issues are read after the head (or the remembered head): a change committed in between moves the head, so
      // the commit below is refused and the next attempt reads both again.
      let loaded = await this.readIssues(request.projectId, request.issueIds ?? []);
      let decision = request.decide(snap.state, loaded);
      if (decision.outcome !== "record" && remembered) {
        snap = await this.snapshot(request.projectId);
        if (snap !== remembered) {
          loaded = await this.readIssues(request.projectId, request.issueIds ?? []);
          decision = request.decide(snap.state, loaded);
        }
      }
      if (decision.outcome !== "record") {
        // A redelivered activity may meet the state its first delivery made ("already done"): answer as before.
        const previous = await this.recordedEntryFor(request.projectId, boundedKey(request.idempotencyKey));
        if (previous) {
          return {
            status: "duplicate",
            entry: previous,
            state: snap.state,
            issues: await this.issuesOf(request.projectId, previous, loaded),
          };
        }
      }
      if (decision.outcome === "unchanged")
        return { status: "unchanged", message: decision.message, state: snap.state, issues: loaded };
      if (decision.outcome === "refused") {
        return {
          status: "refused",
          message: decision.message,
          ...(decision.neededRole ? { neededRole: decision.neededRole } : {}),
          state: snap.state,
          issues: loaded,
        };
      }
      const at = this.clock().toISOString();
      const seq = (snap.head?.seq ?? 0) + 1;
      const entry = sealEntry({
        projectId: request.projectId,
        seq,
        at,
        actor: ActorSchema.parse(request.actor),
        ...(decision.why !== undefined ? { why: decision.why } : {}),
        idempotencyKey: boundedKey(request.idempotencyKey),
        // Parsed, not trusted: what is hashed must be exactly what is stored and read back.
        events: decision.events.map((e) => GovernanceEventSchema.parse(e)),
        prevHash: snap.head?.hash ?? GENESIS_HASH,
      });
      // What is written must read back as a log entry, or verify would later call it broken.
      LogEntrySchema.parse(entry);
      const issuesAfter = new Map(loaded);
      const after = applyEvents(snap.state, entry.events, { at, actor: request.actor }, issuesAfter);
      const actions = this.transaction(
        request.projectId,
        entry,
        snap,
        after,
        issueRowChanges(entry, loaded, issuesAfter),
      );
      const outcome = await this.commit(request, actions, entry);
      if (outcome.kind === "applied") {
        this.rememberRecorded(request.projectId, request.idempotencyKey);
        this.patchLists(request.projectId, entry, issuesAfter);
        this.remember(request.projectId, {
          head: { seq, hash: entry.hash },
          etag: outcome.etag,
          state: after,
          confirmedAt: performance.now(),
        });
        return {
          status: "recorded",
          entry,
          state: after,
          issues: issuesAfter,
          ...(decision.notes ? { notes: decision.notes } : {}),
        };
      }
      if (outcome.kind === "already-recorded") {
        return {
          status: "duplicate",
          entry: outcome.entry,
          state: await this.readState(request.projectId),
          issues: await this.issuesOf(request.projectId, outcome.entry, new Map()),
        };
      }
      // Another change moved the head first: decide again on the newer state.
      this.cache.delete(request.projectId);
      await delay(Math.min(200, 2 * attempt) * Math.random());
    }
    throw new StoreBusyError("Too many changes to this project at once.");
  }

  /**
   * Submits one change's transaction and says what became of it. Only definite answers count: a refused connection
   * or "server busy" means it was not applied; a lost answer (reset, timeout, other 5xx) is settled by submitting
   * the very same transaction again — safe, because the head's ETag and the idempotency key let it apply at most
   * once — and when even that gets no answer, the outcome is reported as unknown, never as "not recorded".
   */
  private async commit(
    request: ChangeRequest,
    actions: TransactionAction[],
    entry: LogEntry,
  ): Promise<
    | { kind: "applied"; etag: string | undefined }
    | { kind: "already-recorded"; entry: LogEntry }
    | { kind: "conflict" }
  > {
    const key = boundedKey(request.idempotencyKey);
    let answerLost: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const response = await this.transactionTable.submitTransaction(actions);
        // Sub-responses come back in the order of the actions; the head is action 1. (Azurite does not echo the
        // row key of an update, so finding it by key would miss it.)
        return { kind: "applied", etag: response.subResponses[HEAD_ACTION_INDEX]?.etag };
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 || status === 412) {
          // The key exists (this change, or an earlier delivery of it, was recorded) or the head moved on.
          const recorded = await this.recordedEntryFor(request.projectId, key);
          if (recorded) {
            // After a lost answer, an entry with our hash is our own first try, applied. On a first try it is
            // another delivery of the same action (e.g. a double click on another instance): a duplicate.
            return answerLost !== undefined && recorded.hash === entry.hash
              ? { kind: "applied", etag: undefined }
              : { kind: "already-recorded", entry: recorded };
          }
          if (failedOperationIndex(error) === IDEMPOTENCY_ACTION_INDEX && status === 409) {
            throw new StoreUnavailableError("The idempotency record changed while recording.", {
              cause: error,
            });
          }
          return { kind: "conflict" };
        }
        const definitelyNotApplied = isConnectionRefused(error) || status === 503;
        if (definitelyNotApplied && answerLost === undefined) {
          if (status === 503 && attempt < 3) {
            await delay(200 * attempt);
            continue;
          }
          throw new StoreUnavailableError("The governance log could not be reached.", { cause: error });
        }
        if (status !== undefined && status < 500) throw error;
        answerLost ??= error;
        if (attempt < 3) await delay(100 * attempt);
      }
    }
    throw new StoreUnavailableError("The governance log stopped answering while recording a change.", {
      cause: answerLost,
      whileRecording: true,
    });
  }

  /** Every entry of the log (or those from `fromSeq` to `toSeq`), in order, read one page at a time. */
  async *entries(
    projectId: string,
    range: { fromSeq?: number; toSeq?: number } = {},
  ): AsyncGenerator<LogEntry | { seq: number; unreadable: string }> {
    const from = range.fromSeq !== undefined ? logRowKey(range.fromSeq) : LOG_PREFIX;
    const to = range.toSeq !== undefined ? `RowKey le '${logRowKey(range.toSeq)}'` : "RowKey lt 'log.'";
    const filter = `PartitionKey eq '${escapeOData(projectId)}' and RowKey ge '${from}' and ${to}`;
    try {
      for await (const page of this.table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: 1000 })) {
        for (const row of page) yield parseEntryRow(projectId, row);
      }
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async head(projectId: string): Promise<ChainHead | undefined> {
    return (await this.readHead(projectId)).head;
  }

  /**
   * Replays the chain from storage and names the first entry that is altered or missing; then checks that the
   * stored state rows (what role checks read) are what the log's events add up to.
   */
  async verify(projectId: string): Promise<ChainVerification> {
    // 1. Pin the stored state rows to one position of the log: read them between two reads of the head.
    let pinned: { head: ChainHead | undefined; rows: Record<string, unknown>[] } | undefined;
    for (let attempt = 1; attempt <= 5 && !pinned; attempt++) {
      const before = await this.head(projectId);
      const rows = [
        ...(await this.readRawStateRows(projectId)),
        ...(await this.readRange(projectId, ISSUE_PREFIX)),
        ...(await this.readRange(projectId, LIST_PREFIX)),
      ];
      const after = await this.head(projectId);
      if (before?.seq === after?.seq) pinned = { head: after, rows };
      else await delay(20 * attempt);
    }
    // 2. The chain, listed after the pin so it reaches at least the pinned head. Entries up to the head must form
    // exactly the chain it records. Entries past it were committed while we read (each commit moves the head in
    // the same transaction): they must chain on, and a second read of the head must cover them — an entry still
    // past the head then was added behind the log's back.
    const head = pinned?.head ?? (await this.head(projectId));
    const entries: Array<LogEntry | { seq: number; unreadable: string }> = [];
    for await (const e of this.entries(projectId)) entries.push(e);
    if (!head) return verifyChain(projectId, entries, undefined);
    const result = verifyChain(projectId, entries.slice(0, head.seq), head);
    if (!result.ok) return result;
    const newer = entries.slice(head.seq);
    if (newer.length > 0) {
      let problem: ChainProblem | undefined = verifyContinuation(projectId, newer, head);
      if (!problem && ((await this.head(projectId))?.seq ?? 0) < entries.length) {
        problem = {
          kind: "altered",
          seq: head.seq + 1,
          detail: `entry ${head.seq + 1} was added after the chain head`,
        };
      }
      if (problem) return { ok: false, length: head.seq, headHash: head.hash, firstProblem: problem };
    }
    // 3. The stored state rows (what role checks read) against what the log's events add up to at the pin.
    if (!pinned) return { ...result, stateChecked: false };
    const replayed = replayProject(entries.slice(0, head.seq) as LogEntry[]);
    const difference = compareStateRows(replayed.state, pinned.rows, replayed.issues);
    if (difference) {
      return {
        ...result,
        ok: false,
        firstProblem: { kind: "state", seq: result.length, detail: difference },
      };
    }
    return { ...result, stateChecked: true };
  }

  private transaction(
    projectId: string,
    entry: LogEntry,
    snap: Snapshot,
    after: ProjectState | undefined,
    issueChanges: RowChange[],
  ): TransactionAction[] {
    const eventsJson = JSON.stringify(entry.events);
    if (eventsJson.length > MAX_EVENTS_JSON_CHARACTERS) {
      throw new ChangeTooLargeError("This change is too large to record in one entry.");
    }
    const touched = touchedRows(entry.events);
    const rowChanges = [
      ...diffRows(rowsWithKeys(snap.state, touched), rowsWithKeys(after, touched)),
      ...issueChanges,
    ];
    if (rowChanges.length > MAX_STATE_ROWS_PER_CHANGE) {
      throw new ChangeTooLargeError(`This change touches more than ${MAX_STATE_ROWS_PER_CHANGE} records.`);
    }
    const pk = projectId;
    const head = { partitionKey: pk, rowKey: HEAD_ROW, seq: entry.seq, hash: entry.hash, at: entry.at };
    const actions: TransactionAction[] = [
      [
        "create",
        {
          partitionKey: pk,
          rowKey: logRowKey(entry.seq),
          seq: entry.seq,
          at: entry.at,
          actor: JSON.stringify(entry.actor),
          ...(entry.why !== undefined ? { why: entry.why } : {}),
          idempotencyKey: entry.idempotencyKey,
          events: eventsJson,
          prevHash: entry.prevHash,
          hash: entry.hash,
        },
      ],
      snap.etag ? ["update", head, "Replace", { etag: snap.etag }] : ["create", head],
      // Index 2: the idempotency key. A second delivery of the same activity fails here with 409.
      [
        "create",
        {
          partitionKey: pk,
          rowKey: idempotencyRowKey(entry.idempotencyKey),
          seq: entry.seq,
          key: entry.idempotencyKey,
        },
      ],
    ];
    for (const change of rowChanges) {
      if (change.op === "upsert") actions.push(["upsert", { partitionKey: pk, ...change.row }, "Replace"]);
      else actions.push(["delete", { partitionKey: pk, rowKey: change.rowKey }]);
    }
    return actions;
  }

  private async snapshot(projectId: string): Promise<Snapshot> {
    // Head first, then state: if another change lands in between, our head ETag is stale and the commit is refused.
    const { head, etag } = await this.readHead(projectId);
    const cached = this.cache.get(projectId);
    if (cached && etag !== undefined && cached.etag === etag) {
      cached.confirmedAt = performance.now();
      return cached;
    }
    const state = await this.readStateRows(projectId);
    const snap = { head, etag, state, confirmedAt: performance.now() };
    this.remember(projectId, snap);
    return snap;
  }

  private remember(projectId: string, snap: Snapshot): void {
    // Without the head's new ETag (a commit whose answer was lost) the state cannot be confirmed later: forget
    // the older one rather than let a quick check read the state from before the change.
    if (snap.etag === undefined) {
      this.cache.delete(projectId);
      return;
    }
    if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(projectId, snap);
  }

  private async readHead(
    projectId: string,
  ): Promise<{ head: ChainHead | undefined; etag: string | undefined }> {
    try {
      const row = await this.table.getEntity<{ seq: number; hash: string }>(projectId, HEAD_ROW);
      return { head: { seq: Number(row.seq), hash: String(row.hash) }, etag: row.etag };
    } catch (error) {
      if (statusOf(error) === 404) return { head: undefined, etag: undefined };
      throw asStoreError(error);
    }
  }

  private async readStateRows(projectId: string): Promise<ProjectState | undefined> {
    return rowsToState(await this.readRawStateRows(projectId));
  }

  private async readRawStateRows(projectId: string): Promise<Record<string, unknown>[]> {
    return this.readRange(projectId, STATE_PREFIX);
  }

  /** Every row whose key starts with `prefix` (which ends in '-'), one page of up to 1,000 at a time. */
  private async readRange(projectId: string, prefix: string): Promise<Record<string, unknown>[]> {
    const upper = `${prefix.slice(0, -1)}.`;
    const filter = `PartitionKey eq '${escapeOData(projectId)}' and RowKey ge '${escapeOData(prefix)}' and RowKey lt '${escapeOData(upper)}'`;
    const rows: Record<string, unknown>[] = [];
    try {
      for await (const page of this.table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: 1000 })) {
        rows.push(...page);
      }
    } catch (error) {
      throw asStoreError(error);
    }
    return rows;
  }

  /**
   * Whether a change with this idempotency key is already in the log: one point read, for callers that would
   * otherwise decide and try to commit only to meet a duplicate (a reminder sent on an earlier tick).
   */
  async hasRecorded(projectId: string, idempotencyKey: string): Promise<boolean> {
    if (this.recordedKeys.has(`${projectId}/${idempotencyKey}`)) return true;
    try {
      await this.table.getEntity(projectId, idempotencyRowKey(boundedKey(idempotencyKey)));
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw asStoreError(error);
    }
    this.rememberRecorded(projectId, idempotencyKey);
    return true;
  }

  /** Keys this process saw recorded (an idempotency key never stops being recorded): a bounded memo. */
  private readonly recordedKeys = new Set<string>();
  private rememberRecorded(projectId: string, idempotencyKey: string): void {
    if (this.recordedKeys.size >= 50_000) this.recordedKeys.clear();
    this.recordedKeys.add(`${projectId}/${idempotencyKey}`);
  }

  /** One issue of the command log as stored now, or undefined. */
  async readIssue(projectId: string, issueId: string): Promise<Issue | undefined> {
    return (await this.readIssues(projectId, [issueId])).get(issueId);
  }

  private async readIssues(projectId: string, issueIds: readonly string[]): Promise<Map<string, Issue>> {
    const found = new Map<string, Issue>();
    const rows = await Promise.all(
      [...new Set(issueIds)].map(async (id) => {
        try {
          return await this.table.getEntity<Record<string, unknown>>(projectId, issueRowKey(id));
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw asStoreError(error);
        }
      }),
    );
    for (const row of rows) {
      if (!row) continue;
      const issue = issueFromRow(row);
      found.set(issue.id, issue);
    }
    return found;
  }

  /**
   * The issues on one list — open, or resolved and awaiting verification — oldest first. Reads only that list's
   * rows (summaries), never the closed issues or their history.
   */
  async listIssues(projectId: string, list: IssueListName): Promise<IssueSummary[]> {
    const key = `${projectId}/${list}`;
    // The head first: rows read after it are at least as new, so the list is never labelled newer than it is.
    const seq = (await this.readHead(projectId)).head?.seq ?? 0;
    const cached = this.lists.get(key);
    if (cached?.seq === seq) return [...cached.summaries.values()].sort((a, b) => a.number - b.number);
    const summaries = (await this.readRange(projectId, `${LIST_PREFIX}${list}-`)).map(summaryFromRow);
    if (this.lists.size >= 50) this.lists.delete(this.lists.keys().next().value as string);
    this.lists.set(key, { seq, summaries: new Map(summaries.map((s) => [s.id, s])) });
    return summaries;
  }

  /**
   * The issues numbered `fromNumber` and above, as summaries, oldest first: the recent ones, for the daily digest
   * (their first number comes from the day counts), read by key range — never the whole history.
   */
  async issuesFrom(projectId: string, fromNumber: number): Promise<IssueSummary[]> {
    const from = issueRowKey(`GL-${Math.max(1, Math.floor(fromNumber))}`);
    const filter = `PartitionKey eq '${escapeOData(projectId)}' and RowKey ge '${from}' and RowKey lt '${ISSUE_PREFIX.slice(0, -1)}.'`;
    const summaries: IssueSummary[] = [];
    try {
      for await (const page of this.table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: 1000 })) {
        for (const row of page) summaries.push(summaryOf(issueFromRow(row)));
      }
    } catch (error) {
      throw asStoreError(error);
    }
    return summaries;
  }

  /** Brings the cached lists of a project to the entry this process just committed, or drops them. */
  private patchLists(projectId: string, entry: LogEntry, issues: ReadonlyMap<string, Issue>): void {
    const touched = new Set(entry.events.filter(isIssueEvent).map((e) => e.issueId));
    for (const list of ["open", "resolved"] as const) {
      const key = `${projectId}/${list}`;
      const cached = this.lists.get(key);
      if (!cached) continue;
      if (cached.seq !== entry.seq - 1) {
        this.lists.delete(key);
        continue;
      }
      for (const id of touched) {
        const issue = issues.get(id);
        if (issue?.status === list) cached.summaries.set(id, summaryOf(issue));
        else cached.summaries.delete(id);
      }
      cached.seq = entry.seq;
    }
  }

  /** The issues an already-recorded entry touched, as stored now, with those already read. */
  private async issuesOf(
    projectId: string,
    entry: LogEntry,
    loaded: ReadonlyMap<string, Issue>,
  ): Promise<ReadonlyMap<string, Issue>> {
    const ids = entry.events.filter(isIssueEvent).map((e) => e.issueId);
    if (ids.length === 0) return loaded;
    return new Map([...loaded, ...(await this.readIssues(projectId, ids))]);
  }

  /** The entry a Teams activity or card action recorded, if any. */
  recordedEntry(projectId: string, idempotencyKey: string): Promise<LogEntry | undefined> {
    return this.recordedEntryFor(projectId, boundedKey(idempotencyKey));
  }

  private async recordedEntryFor(projectId: string, key: string): Promise<LogEntry | undefined> {
    try {
      const row = await this.table.getEntity<{ seq: number }>(projectId, idempotencyRowKey(key));
      const entryRow = await this.table.getEntity<Record<string, unknown>>(
        projectId,
        logRowKey(Number(row.seq)),
      );
      const entry = parseEntryRow(projectId, entryRow);
      return "unreadable" in entry ? undefined : entry;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw asStoreError(error);
    }
  }
}

/** The issue rows a change writes: each touched issue's record and list entry, as they were and as they become. */
function issueRowChanges(
  entry: LogEntry,
  before: ReadonlyMap<string, Issue>,
  after: ReadonlyMap<string, Issue>,
): RowChange[] {
  const touched = new Set(entry.events.filter(isIssueEvent).map((e) => e.issueId));
  const changes: RowChange[] = [];
  for (const id of touched) changes.push(...diffRows(issueRows(before.get(id)), issueRows(after.get(id))));
  return changes;
}

function parseEntryRow(
  projectId: string,
  row: Record<string, unknown>,
): LogEntry | { seq: number; unreadable: string } {
  const seqFromKey = Number(String(row.rowKey).slice(LOG_PREFIX.length));
  try {
    return LogEntrySchema.parse({
      projectId,
      seq: row.seq,
      at: row.at,
      actor: JSON.parse(String(row.actor)),
      ...(row.why !== undefined ? { why: row.why } : {}),
      idempotencyKey: row.idempotencyKey,
      events: JSON.parse(String(row.events)),
      prevHash: row.prevHash,
      hash: row.hash,
    });
  } catch {
    return { seq: seqFromKey, unreadable: "cannot be read as a log entry" };
  }
}

/**
 * Keys come from Teams (activity and message ids) and are not ours to bound: a very long one is kept as a prefix
 * and its hash, so the entry stays readable and a redelivery still matches.
 */
function boundedKey(key: string): string {
  return key.length <= 500
    ? key
    : `${key.slice(0, 200)}#sha256:${createHash("sha256").update(key).digest("hex")}`;
}

function isConnectionRefused(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "ECONNREFUSED";
}

function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The governance log on a storage target, with a retrying client for reads and a non-retrying one for commits. */
export function openGovernanceLog(
  target: StorageTarget,
  options: Omit<GovernanceLogOptions, "transactionTable"> = {},
): GovernanceLog {
  return new GovernanceLog(tableClient(target, TABLE_NAMES.governance), {
    ...options,
    transactionTable: tableClient(target, TABLE_NAMES.governance, { retries: false }),
  });
}
