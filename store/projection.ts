import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "../governance/chain.js";
import {
  type Issue,
  IssueSchema,
  type IssueSummary,
  IssueSummarySchema,
  summaryOf,
} from "../governance/commandLog.js";
import {
  documentsOf,
  documentsTouchedBy,
  type StateDocument,
  stateFromDocuments,
} from "../governance/documents.js";
import type { GovernanceEvent } from "../governance/events.js";
import {
  ChannelBindingSchema,
  PhaseSchema,
  ProjectSettingsSchema,
  type ProjectState,
} from "../governance/project.js";
import { ROLE_TITLES, type RoleAssignment, RoleSchema } from "../governance/roles.js";

/**
 * The projected state rows of a project partition: what the governance log's events add up to, kept beside the
 * log so a command needs two small reads instead of a replay. Row keys start with `state-` so one range query
 * reads them all.
 */
export const STATE_PREFIX = "state-";
export const PROJECT_ROW = `${STATE_PREFIX}project`;
const ROLE_PREFIX = `${STATE_PREFIX}role-`;
const DOCUMENT_PREFIX = `${STATE_PREFIX}doc-`;

export interface StateRow {
  rowKey: string;
  [property: string]: string | number | boolean;
}

const ProjectRowSchema = z.object({
  rowKey: z.literal(PROJECT_ROW),
  id: z.string(),
  name: z.string(),
  binding: z.string().transform((s) => ChannelBindingSchema.parse(JSON.parse(s))),
  phase: PhaseSchema,
  settings: z.string().transform((s) => ProjectSettingsSchema.parse(JSON.parse(s))),
  createdAt: z.string(),
  createdBy: z.string(),
  liveFrom: z.string().optional(),
});

const RoleRowSchema = z.object({
  rowKey: z.string().startsWith(ROLE_PREFIX),
  role: RoleSchema,
  objectId: z.string(),
  name: z.string(),
  site: z.string().optional(),
});

const DocumentRowSchema = z
  .object({ collection: z.string(), docId: z.string(), data: z.string() })
  .transform((r): StateDocument => ({ collection: r.collection, id: r.docId, data: JSON.parse(r.data) }));

function roleRowKey(a: RoleAssignment): string {
  // Row keys may not hold '/', '\', '#', '?': the site is hashed rather than escaped.
  const site = a.site ? createHash("sha256").update(a.site.toLowerCase()).digest("hex").slice(0, 16) : "all";
  return `${ROLE_PREFIX}${a.role}-${a.person.objectId}-${site}`;
}

function projectRow(state: ProjectState): StateRow {
  const p = state.project;
  return {
    rowKey: PROJECT_ROW,
    id: p.id,
    name: p.name,
    binding: JSON.stringify(p.binding),
    phase: p.phase,
    settings: JSON.stringify(p.settings),
    createdAt: p.createdAt,
    createdBy: p.createdBy,
    ...(p.liveFrom !== undefined ? { liveFrom: p.liveFrom } : {}),
  };
}

function roleRow(a: RoleAssignment): StateRow {
  const row: StateRow = {
    rowKey: roleRowKey(a),
    role: a.role,
    objectId: a.person.objectId,
    name: a.person.name,
  };
  if (a.site !== undefined) row.site = a.site;
  return row;
}

function documentRowKey(collection: string, id: string): string {
  return `${DOCUMENT_PREFIX}${collection}-${createHash("sha256").update(id).digest("hex").slice(0, 24)}`;
}

function documentRow(doc: StateDocument): StateRow {
  return {
    rowKey: documentRowKey(doc.collection, doc.id),
    collection: doc.collection,
    docId: doc.id,
    // Canonical (keys sorted): a document read back from storage and the same one replayed from the log are built
    // in different key orders, and must store the same text.
    data: canonicalJson(doc.data),
  };
}

/** A row's `data` in canonical form, so rows written before documents were canonical still compare equal. */
function comparable(row: Record<string, unknown>): Record<string, unknown> {
  if (typeof row.data !== "string") return row;
  try {
    return { ...row, data: canonicalJson(JSON.parse(row.data)) };
  } catch {
    return row;
  }
}

export function stateToRows(state: ProjectState | undefined): Map<string, StateRow> {
  const rows = new Map<string, StateRow>();
  if (!state) return rows;
  rows.set(PROJECT_ROW, projectRow(state));
  for (const a of state.roles) rows.set(roleRowKey(a), roleRow(a));
  for (const doc of documentsOf(state)) {
    const row = documentRow(doc);
    rows.set(row.rowKey, row);
  }
  return rows;
}

/**
 * The command log's rows, kept outside the state's key range because a project can hold thousands of issues:
 * `issue-{n}` is an issue's whole record; `list-open-{n}` and `list-resolved-{n}` hold its summary while it is open
 * or awaiting verification, so listing open issues reads only those rows, never the closed history.
 */
export const ISSUE_PREFIX = "issue-";
export const LIST_PREFIX = "list-";
export type IssueListName = "open" | "resolved";
const pad = (n: number) => String(n).padStart(10, "0");
export const issueRowKey = (issueId: string): string => `${ISSUE_PREFIX}${pad(Number(issueId.slice(3)))}`;
export const listRowKey = (list: IssueListName, issueId: string): string =>
  `${LIST_PREFIX}${list}-${pad(Number(issueId.slice(3)))}`;

export function issueRows(issue: Issue | undefined): Map<string, StateRow> {
  const rows = new Map<string, StateRow>();
  if (!issue) return rows;
  rows.set(issueRowKey(issue.id), {
    rowKey: issueRowKey(issue.id),
    issueId: issue.id,
    data: canonicalJson(issue),
  });
  if (issue.status !== "closed") {
    const key = listRowKey(issue.status, issue.id);
    rows.set(key, { rowKey: key, issueId: issue.id, data: canonicalJson(summaryOf(issue)) });
  }
  return rows;
}

export function issueFromRow(row: Record<string, unknown>): Issue {
  return IssueSchema.parse(JSON.parse(String(row.data)));
}

export function summaryFromRow(row: Record<string, unknown>): IssueSummary {
  return IssueSummarySchema.parse(JSON.parse(String(row.data)));
}

/** Every row the state and the command log's issues project to: what verify compares storage with. */
export function projectedRows(
  state: ProjectState | undefined,
  issues: ReadonlyMap<string, Issue>,
): Map<string, StateRow> {
  const rows = stateToRows(state);
  for (const issue of issues.values()) for (const [key, row] of issueRows(issue)) rows.set(key, row);
  return rows;
}

/** What a change can touch: the project row and the rows of some role assignments. */
export interface TouchedRows {
  project: boolean;
  roles: RoleAssignment[];
  documents: Array<{ collection: string; id: string }>;
}

/** The rows events can change: only these are compared before and after, so a change costs what it touches. */
export function touchedRows(events: readonly GovernanceEvent[]): TouchedRows {
  const touched: TouchedRows = { project: false, roles: [], documents: [] };
  for (const event of events) {
    touched.documents.push(...documentsTouchedBy(event));
    switch (event.kind) {
      case "project.created":
      case "project.settings-changed":
      case "project.phase-changed":
        touched.project = true;
        break;
      case "role.assigned":
      case "role.removed":
        touched.roles.push(event.assignment);
        break;
      default:
        break;
    }
  }
  return touched;
}

/** The rows of `state` among those touched (a touched row the state does not have is absent). */
export function rowsWithKeys(state: ProjectState | undefined, touched: TouchedRows): Map<string, StateRow> {
  const rows = new Map<string, StateRow>();
  if (!state) return rows;
  if (touched.project) rows.set(PROJECT_ROW, projectRow(state));
  for (const wanted of touched.roles) {
    const held = state.roles.find(
      (a) =>
        a.role === wanted.role &&
        a.person.objectId === wanted.person.objectId &&
        (a.site ?? "").toLowerCase() === (wanted.site ?? "").toLowerCase(),
    );
    if (held) rows.set(roleRowKey(held), roleRow(held));
  }
  if (touched.documents.length > 0) {
    const wanted = new Set(touched.documents.map((d) => documentRowKey(d.collection, d.id)));
    for (const doc of documentsOf(state)) {
      const row = documentRow(doc);
      if (wanted.has(row.rowKey)) rows.set(row.rowKey, row);
    }
  }
  return rows;
}

/** Reads the state back from its rows; a row that does not parse is an error, never silently skipped. */
export function rowsToState(rows: readonly Record<string, unknown>[]): ProjectState | undefined {
  const projectRow = rows.find((r) => r.rowKey === PROJECT_ROW);
  if (!projectRow) return undefined;
  const p = ProjectRowSchema.parse(projectRow);
  const roles = rows
    .filter((r) => typeof r.rowKey === "string" && r.rowKey.startsWith(ROLE_PREFIX))
    .map((r) => RoleRowSchema.parse(r))
    .map(
      (r): RoleAssignment => ({
        role: r.role,
        person: { objectId: r.objectId, name: r.name },
        ...(r.site !== undefined ? { site: r.site } : {}),
      }),
    )
    .sort((a, b) => a.role.localeCompare(b.role) || a.person.name.localeCompare(b.person.name));
  const documents = rows
    .filter((r) => typeof r.rowKey === "string" && r.rowKey.startsWith(DOCUMENT_PREFIX))
    .map((r) => DocumentRowSchema.parse(r));
  return {
    project: {
      id: p.id,
      name: p.name,
      binding: p.binding,
      phase: p.phase,
      settings: p.settings,
      createdAt: p.createdAt,
      createdBy: p.createdBy,
      ...(p.liveFrom !== undefined ? { liveFrom: p.liveFrom } : {}),
    },
    roles,
    ...stateFromDocuments(documents),
  };
}

export type RowChange = { op: "upsert"; row: StateRow } | { op: "delete"; rowKey: string };

/** The row writes that take the stored state from `before` to `after`: only what changed. */
export function diffRows(before: Map<string, StateRow>, after: Map<string, StateRow>): RowChange[] {
  const changes: RowChange[] = [];
  for (const [key, row] of after) {
    const old = before.get(key);
    if (!old || JSON.stringify(old) !== JSON.stringify(row)) changes.push({ op: "upsert", row });
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push({ op: "delete", rowKey: key });
  return changes;
}

/** Storage's own properties of an entity, which are not part of the projected state. */
const SYSTEM_PROPERTIES = new Set(["partitionKey", "etag", "timestamp", "odata.etag", "odata.metadata"]);

function describeRow(row: Record<string, unknown>): string {
  if (String(row.rowKey) === PROJECT_ROW) return "the project's settings";
  const key = String(row.rowKey);
  if (key.startsWith(ISSUE_PREFIX)) return `issue ${String(row.issueId ?? key)}`;
  if (key.startsWith(LIST_PREFIX))
    return `the ${key.split("-")[1]} list's entry for ${String(row.issueId ?? key)}`;
  const role = RoleSchema.safeParse(row.role);
  if (role.success)
    return `${ROLE_TITLES[role.data].toLowerCase()} ${String(row.name ?? row.objectId ?? "")}`.trim();
  return `a row named ${String(row.rowKey).slice(0, 80)}`;
}

/**
 * Compares the stored state rows, as read, with the rows the log's events add up to: row by row, property by
 * property. Role checks read these rows, so a row added, removed or edited in storage must be found. Returns the
 * first difference in words, or undefined.
 */
export function compareStateRows(
  expected: ProjectState | undefined,
  stored: readonly Record<string, unknown>[],
  issues: ReadonlyMap<string, Issue> = new Map(),
): string | undefined {
  const want = projectedRows(expected, issues);
  const seen = new Set<string>();
  for (const raw of stored) {
    const key = String(raw.rowKey);
    seen.add(key);
    const row = Object.fromEntries(Object.entries(raw).filter(([k]) => !SYSTEM_PROPERTIES.has(k)));
    const expectedRow = want.get(key);
    if (!expectedRow) return `the stored state holds ${describeRow(row)}, which the log never gave`;
    const [a, b] = [comparable(row), comparable(expectedRow)];
    if (JSON.stringify(Object.entries(a).sort()) !== JSON.stringify(Object.entries(b).sort())) {
      return `the stored record of ${describeRow(expectedRow)} differs from the log`;
    }
  }
  for (const [key, row] of want) {
    if (!seen.has(key)) return `the stored state lacks ${describeRow(row)}, which the log gave`;
  }
  return undefined;
}
