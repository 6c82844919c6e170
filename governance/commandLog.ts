import { z } from "zod";
import { SiteNameSchema } from "./project.js";
import { type Person, PersonSchema } from "./roles.js";

/**
 * The go-live command log (domain page §2): every support request, system issue, workflow concern and urgent
 * risk raised once the project is live — triaged, owned, controlled if it affects care, and closed with
 * evidence. This module holds what an issue is and how its events change it; the rules that decide who may do
 * what are in issueRules.ts, the clocks in issueClocks.ts.
 */

export const ISSUE_TYPES = ["request", "system", "workflow", "risk", "coaching", "access"] as const;
export const IssueTypeSchema = z.enum(ISSUE_TYPES);
export type IssueType = z.infer<typeof IssueTypeSchema>;
export const ISSUE_TYPE_TITLES: Record<IssueType, string> = {
  request: "Support request",
  system: "System issue",
  workflow: "Workflow concern",
  risk: "Urgent risk",
  coaching: "Coaching need",
  access: "Access problem",
};

export const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/** open → resolved (with closure evidence) → closed (closure verified); reopen goes back to open. */
export const ISSUE_STATUSES = ["open", "resolved", "closed"] as const;
export const IssueStatusSchema = z.enum(ISSUE_STATUSES);
export type IssueStatus = z.infer<typeof IssueStatusSchema>;

export const CONTROL_KINDS = ["additional-checks", "senior-oversight", "paper-backup", "other"] as const;
export const ControlKindSchema = z.enum(CONTROL_KINDS);
export type ControlKind = z.infer<typeof ControlKindSchema>;
export const CONTROL_TITLES: Record<ControlKind, string> = {
  "additional-checks": "Additional checks",
  "senior-oversight": "Senior oversight",
  "paper-backup": "Paper back-up",
  other: "Other control",
};

export const ISSUE_LIMITS = {
  descriptionCharacters: 1_000,
  updateCharacters: 1_000,
  evidenceCharacters: 2_000,
  themeCharacters: 60,
  /** Entries of history kept on the issue's own record; the governance log keeps every one. */
  historyKept: 20,
  /** Text of a history entry as kept on the issue's record (the log keeps it whole). */
  historyTextCharacters: 400,
  /** Temporary controls kept whole on the issue's record (the newest; the log keeps every one). */
  controlsKept: 10,
} as const;

export const IssueIdSchema = z
  .string()
  .regex(/^GL-\d{1,7}$/i, "an issue id such as GL-42")
  .transform((s) => s.toUpperCase());
export const issueIdOf = (number: number): string => `GL-${number}`;
export const issueNumberOf = (id: string): number => Number(id.slice(3));

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is needed`)
    .max(max, `${what}: at most ${max.toLocaleString("en-GB")} characters`);
export const DescriptionSchema = text(ISSUE_LIMITS.descriptionCharacters, "What happened");
export const UpdateTextSchema = text(ISSUE_LIMITS.updateCharacters, "The update");
export const EvidenceSchema = text(ISSUE_LIMITS.evidenceCharacters, "Closure evidence");
export const ReasonSchema = text(ISSUE_LIMITS.updateCharacters, "The reason");
export const ThemeSchema = text(ISSUE_LIMITS.themeCharacters, "The theme");

/** The fields triage sets, recorded whole before and after each change. */
export const TriageSchema = z.object({
  type: IssueTypeSchema,
  priority: PrioritySchema,
  site: SiteNameSchema.optional(),
  theme: ThemeSchema.optional(),
  careImpacting: z.boolean(),
});
export type Triage = z.infer<typeof TriageSchema>;

const IsoTimeSchema = z.string().max(40);

export const IssueTargetSchema = z.object({
  firstResponseMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30),
  resolutionMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 90),
});
export const IssueTargetsSchema = z.object({
  P1: IssueTargetSchema,
  P2: IssueTargetSchema,
  P3: IssueTargetSchema,
  P4: IssueTargetSchema,
  /** How soon a care-impacting issue needs a temporary control. */
  controlMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 7),
});
export type IssueTargets = z.infer<typeof IssueTargetsSchema>;

/** Domain page defaults: P1 15 min / 4 h, P2 1 h / 8 h, P3 4 h / 24 h, P4 8 h / 72 h; a control within 2 h. */
export const DEFAULT_ISSUE_TARGETS: IssueTargets = {
  P1: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60 },
  P2: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
  P3: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60 },
  P4: { firstResponseMinutes: 8 * 60, resolutionMinutes: 72 * 60 },
  controlMinutes: 2 * 60,
};

export const ControlSchema = z.object({
  kind: ControlKindSchema,
  text: UpdateTextSchema,
  by: PersonSchema,
  at: IsoTimeSchema,
});
export type Control = z.infer<typeof ControlSchema>;

export const HistoryEntrySchema = z.object({
  at: IsoTimeSchema,
  by: z.string().max(200),
  what: z.string().max(200),
  text: z
    .string()
    .max(ISSUE_LIMITS.historyTextCharacters + 1)
    .optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const IssueSchema = z.object({
  id: z.string().max(12),
  number: z.number().int().min(1),
  type: IssueTypeSchema,
  priority: PrioritySchema,
  /** True until someone sets the priority: the bot proposed it from what was typed. */
  priorityProposed: z.boolean(),
  site: z.string().max(80).optional(),
  theme: z.string().max(ISSUE_LIMITS.themeCharacters).optional(),
  careImpacting: z.boolean(),
  /** When it was (last) marked care-impacting: the temporary-control clock starts here. */
  careMarkedAt: IsoTimeSchema.optional(),
  workaround: z.boolean(),
  /** Undefined until someone answers "is the workaround unsafe?". */
  workaroundUnsafe: z.boolean().optional(),
  description: z.string().max(ISSUE_LIMITS.descriptionCharacters),
  raisedBy: PersonSchema,
  raisedAt: IsoTimeSchema,
  status: IssueStatusSchema,
  firstResponse: z.object({ by: z.string().max(200), at: IsoTimeSchema }).optional(),
  owner: z
    .object({
      person: PersonSchema,
      assignedAt: IsoTimeSchema,
      /** The timescale the owner was given. */
      dueBy: IsoTimeSchema.optional(),
      /** The owner's first update, action or resolution after being assigned. */
      respondedAt: IsoTimeSchema.optional(),
    })
    .optional(),
  controls: z.array(ControlSchema),
  controlCount: z.number().int().min(0),
  firstControlAt: IsoTimeSchema.optional(),
  resolution: z.object({ evidence: z.string(), by: PersonSchema, at: IsoTimeSchema }).optional(),
  verification: z.object({ note: z.string(), by: PersonSchema, at: IsoTimeSchema }).optional(),
  reopenedCount: z.number().int().min(0),
  updateCount: z.number().int().min(0),
  history: z.array(HistoryEntrySchema),
  historyCount: z.number().int().min(0),
  updatedAt: IsoTimeSchema,
});
export type Issue = z.infer<typeof IssueSchema>;

/** What a list shows of an issue: everything but its history and the controls' text. */
export type IssueSummary = Omit<Issue, "history" | "controls">;
export const IssueSummarySchema = IssueSchema.omit({ history: true, controls: true });
export function summaryOf(issue: Issue): IssueSummary {
  const { history: _history, controls: _controls, ...summary } = issue;
  return { ...summary, description: summary.description.slice(0, 300) };
}

/** An open issue that blocks go-live (domain page §1 gate): open P1/P2 or care-impacting. */
export function highRiskSummary(issue: IssueSummary): { id: string; summary: string } | undefined {
  if (issue.status !== "open") return undefined;
  if (!(issue.priority === "P1" || issue.priority === "P2" || issue.careImpacting)) return undefined;
  const flags = [issue.priority, issue.careImpacting ? "care-impacting" : undefined].filter(Boolean);
  return { id: issue.id, summary: `${flags.join(", ")}: ${issue.description.slice(0, 120)}` };
}

/** A priority from what was typed, for the triage card to confirm or change. */
export function proposePriority(request: {
  type: IssueType;
  careImpacting: boolean;
  workaround: boolean;
}): Priority {
  if (request.careImpacting && (request.workaround || request.type === "risk")) return "P1";
  if (request.careImpacting || request.type === "risk") return "P2";
  if (request.type === "system" || request.type === "access") return "P3";
  return "P4";
}

/** The project's command-log facts kept with its state: the issue counter, targets, and the gate's blockers. */
export interface CommandLogState {
  /** Issues raised so far: the next is GL-(raised + 1). */
  raised: number;
  targets: IssueTargets;
  /** Open high-risk issues, for the readiness gate (oldest first). */
  highRisk: Array<{ id: string; summary: string }>;
  /**
   * Counts per local day for the daily digest, the newest DAYS_KEPT days, oldest first: so a digest reads the
   * recent issues by number and never the history.
   */
  days: DayStats[];
}

/** Days of counts kept: a week of trend, a week before it to compare. */
export const DAYS_KEPT = 15;

export const DayStatsSchema = z.object({
  date: z.string().max(10),
  /** The first issue raised that day (its number), if any. */
  firstNumber: z.number().int().min(1).optional(),
  raised: z.number().int().min(0),
  resolved: z.number().int().min(0),
  /** What was resolved that day, by priority, type, site and theme (as each stood when resolved). */
  resolvedBy: z.record(z.string().max(120), z.number().int().min(0)),
});
export type DayStats = z.infer<typeof DayStatsSchema>;

export const EMPTY_COMMAND_LOG: CommandLogState = {
  raised: 0,
  targets: DEFAULT_ISSUE_TARGETS,
  highRisk: [],
  days: [],
};

/** Most distinct values counted per day (themes and sites people type): the rest count as "other". */
const MAX_RESOLVED_KEYS = 40;
/** Days whose resolutions keep their breakdown (the digest shows yesterday's); older days keep their counts. */
const DAYS_WITH_BREAKDOWN = 2;

/**
 * The day counts after an issue event at `at` (the project's local date in `timeZone`): a raise counts on its
 * day (and may be the day's first number), a resolution counts with the issue's priority, type, site and theme.
 */
export function countDay(
  days: readonly DayStats[],
  event: IssueEvent,
  issue: Issue,
  date: string,
): DayStats[] {
  if (event.kind !== "issue.raised" && event.kind !== "issue.resolved") return [...days];
  const today = days.find((d) => d.date === date) ?? { date, raised: 0, resolved: 0, resolvedBy: {} };
  const next: DayStats = { ...today, resolvedBy: { ...today.resolvedBy } };
  if (event.kind === "issue.raised") {
    next.raised += 1;
    next.firstNumber ??= issue.number;
  } else {
    next.resolved += 1;
    const keys = [
      `priority:${issue.priority}`,
      `type:${issue.type}`,
      `site:${issue.site ?? "No site"}`,
      `theme:${issue.theme ?? "No theme"}`,
    ];
    for (const key of keys) {
      const known = key in next.resolvedBy || Object.keys(next.resolvedBy).length < MAX_RESOLVED_KEYS;
      const counted = known ? key.slice(0, 80) : `${key.split(":")[0]}:Other`;
      next.resolvedBy[counted] = (next.resolvedBy[counted] ?? 0) + 1;
    }
  }
  // The record stays small (one row, under Table Storage's 32K characters): older days keep only their counts.
  const kept = [...days.filter((d) => d.date !== date), next]
    .sort((a, b) => a.date.localeCompare(b.date))
    .slice(-DAYS_KEPT);
  return kept.map((d, i) => (i < kept.length - DAYS_WITH_BREAKDOWN ? { ...d, resolvedBy: {} } : d));
}

const Id = z.string().max(12);

/** The command log's words in the governance log. Old entries stay readable: never change a kind's meaning. */
export const ISSUE_EVENT_SCHEMAS = [
  z.object({
    kind: z.literal("issue.raised"),
    issueId: Id,
    type: IssueTypeSchema,
    priority: PrioritySchema,
    priorityProposed: z.boolean(),
    careImpacting: z.boolean(),
    workaround: z.boolean(),
    site: z.string().max(80).optional(),
    description: DescriptionSchema,
  }),
  z.object({ kind: z.literal("issue.triaged"), issueId: Id, before: TriageSchema, after: TriageSchema }),
  z.object({
    kind: z.literal("issue.workaround-assessed"),
    issueId: Id,
    unsafe: z.boolean(),
    before: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal("issue.assigned"),
    issueId: Id,
    owner: PersonSchema,
    dueBy: z
      .string()
      .max(40)
      .refine((s) => !Number.isNaN(Date.parse(s)), "a date and time")
      .optional(),
    before: z.object({ owner: PersonSchema, dueBy: IsoTimeSchema.optional() }).optional(),
  }),
  z.object({
    kind: z.literal("issue.updated"),
    issueId: Id,
    update: z.enum(["update", "action"]),
    text: UpdateTextSchema,
  }),
  z.object({
    kind: z.literal("issue.control-recorded"),
    issueId: Id,
    control: z.object({ kind: ControlKindSchema, text: UpdateTextSchema }),
  }),
  z.object({ kind: z.literal("issue.resolved"), issueId: Id, evidence: EvidenceSchema }),
  z.object({ kind: z.literal("issue.reopened"), issueId: Id, reason: ReasonSchema }),
  z.object({ kind: z.literal("issue.verified"), issueId: Id, note: z.string().trim().max(1_000) }),
  z.object({
    kind: z.literal("issue.targets-changed"),
    before: IssueTargetsSchema,
    after: IssueTargetsSchema,
  }),
] as const;

type IssueEventUnion = z.infer<(typeof ISSUE_EVENT_SCHEMAS)[number]>;
export type IssueEvent = Exclude<IssueEventUnion, { kind: "issue.targets-changed" }>;

export function isIssueEvent(event: { kind: string }): event is IssueEvent {
  return event.kind.startsWith("issue.") && event.kind !== "issue.targets-changed";
}

const short = (s: string) =>
  s.length > ISSUE_LIMITS.historyTextCharacters ? `${s.slice(0, ISSUE_LIMITS.historyTextCharacters)}…` : s;

function describeTriage(before: Triage, after: Triage): string {
  const changes: string[] = [];
  if (before.priority !== after.priority) changes.push(`priority ${before.priority} → ${after.priority}`);
  if (before.type !== after.type)
    changes.push(`type ${ISSUE_TYPE_TITLES[before.type]} → ${ISSUE_TYPE_TITLES[after.type]}`);
  if (before.site !== after.site) changes.push(`site ${before.site ?? "none"} → ${after.site ?? "none"}`);
  if (before.theme !== after.theme)
    changes.push(`theme ${before.theme ?? "none"} → ${after.theme ?? "none"}`);
  if (before.careImpacting !== after.careImpacting)
    changes.push(after.careImpacting ? "marked care-impacting" : "no longer care-impacting");
  return `Triaged: ${changes.join("; ") || "confirmed as it was"}`.slice(0, 200);
}

/** What happened, in the words the card's history shows. */
export function historyOf(event: IssueEvent): { what: string; text?: string } {
  switch (event.kind) {
    case "issue.raised":
      return { what: `Raised as ${event.priority}${event.priorityProposed ? " (proposed)" : ""}` };
    case "issue.triaged":
      return { what: describeTriage(event.before, event.after) };
    case "issue.workaround-assessed":
      return { what: event.unsafe ? "Workaround judged UNSAFE" : "Workaround judged safe" };
    case "issue.assigned":
      return {
        what: `Assigned to ${event.owner.name}${event.dueBy ? ` (timescale ${event.dueBy.slice(0, 16).replace("T", " ")} UTC)` : ""}`,
      };
    case "issue.updated":
      return { what: event.update === "action" ? "Action" : "Update", text: short(event.text) };
    case "issue.control-recorded":
      return {
        what: `Temporary control: ${CONTROL_TITLES[event.control.kind]}`,
        text: short(event.control.text),
      };
    case "issue.resolved":
      return { what: "Resolved with closure evidence", text: short(event.evidence) };
    case "issue.reopened":
      return { what: "Reopened", text: short(event.reason) };
    case "issue.verified":
      return { what: "Closure verified", ...(event.note ? { text: short(event.note) } : {}) };
  }
}

/**
 * Applies one event to an issue: how its record changes. Pure; the same function serves the store (on the
 * issues a change touches) and a replay of the whole log (on every issue).
 */
export function applyIssueEvent(
  issue: Issue | undefined,
  event: IssueEvent,
  meta: { at: string; actor: { objectId: string; name: string } },
): Issue {
  const actor: Person = { objectId: meta.actor.objectId.toLowerCase(), name: meta.actor.name };
  const { what, text: historyText } = historyOf(event);
  const entry: HistoryEntry = {
    at: meta.at,
    by: actor.name,
    // Names and reasons people typed can make it long; the record keeps 200 characters, the log all of it.
    what: what.length > 200 ? `${what.slice(0, 199)}…` : what,
    ...(historyText !== undefined ? { text: historyText } : {}),
  };
  if (event.kind === "issue.raised") {
    return {
      id: event.issueId,
      number: issueNumberOf(event.issueId),
      type: event.type,
      priority: event.priority,
      priorityProposed: event.priorityProposed,
      ...(event.site !== undefined ? { site: event.site } : {}),
      careImpacting: event.careImpacting,
      ...(event.careImpacting ? { careMarkedAt: meta.at } : {}),
      workaround: event.workaround,
      description: event.description,
      raisedBy: actor,
      raisedAt: meta.at,
      status: "open",
      controls: [],
      controlCount: 0,
      reopenedCount: 0,
      updateCount: 0,
      history: [entry],
      historyCount: 1,
      updatedAt: meta.at,
    };
  }
  if (!issue) throw new Error(`Issue ${event.issueId} was changed before it was raised.`);
  const next: Issue = {
    ...issue,
    history: [...issue.history, entry].slice(-ISSUE_LIMITS.historyKept),
    historyCount: issue.historyCount + 1,
    updatedAt: meta.at,
  };
  // Anyone but the raiser acting on the issue is its first response.
  if (!next.firstResponse && actor.objectId !== issue.raisedBy.objectId) {
    next.firstResponse = { by: actor.name, at: meta.at };
  }
  // Anything the owner does on the issue after being assigned is their response (lack of supplier response).
  const ownerActs = next.owner && next.owner.person.objectId === actor.objectId && !next.owner.respondedAt;
  if (ownerActs && next.owner && event.kind !== "issue.assigned")
    next.owner = { ...next.owner, respondedAt: meta.at };
  switch (event.kind) {
    case "issue.triaged": {
      const a = event.after;
      next.type = a.type;
      if (a.priority !== issue.priority || issue.priorityProposed) next.priorityProposed = false;
      next.priority = a.priority;
      if (a.site !== undefined) next.site = a.site;
      else delete next.site;
      if (a.theme !== undefined) next.theme = a.theme;
      else delete next.theme;
      if (a.careImpacting && !issue.careImpacting) next.careMarkedAt = meta.at;
      if (!a.careImpacting) delete next.careMarkedAt;
      next.careImpacting = a.careImpacting;
      break;
    }
    case "issue.workaround-assessed":
      next.workaround = true;
      next.workaroundUnsafe = event.unsafe;
      break;
    case "issue.assigned": {
      // A new timescale for the same owner keeps their clock and response; a new owner starts afresh (and
      // someone assigning themselves has responded by doing so).
      const same = issue.owner?.person.objectId === event.owner.objectId;
      const respondedAt = same
        ? issue.owner?.respondedAt
        : actor.objectId === event.owner.objectId
          ? meta.at
          : undefined;
      next.owner = {
        person: event.owner,
        assignedAt: same && issue.owner ? issue.owner.assignedAt : meta.at,
        ...(event.dueBy !== undefined ? { dueBy: event.dueBy } : {}),
        ...(respondedAt !== undefined ? { respondedAt } : {}),
      };
      break;
    }
    case "issue.updated":
      next.updateCount = issue.updateCount + 1;
      break;
    case "issue.control-recorded":
      next.controls = [...issue.controls, { ...event.control, by: actor, at: meta.at }].slice(
        -ISSUE_LIMITS.controlsKept,
      );
      next.controlCount = issue.controlCount + 1;
      next.firstControlAt ??= meta.at;
      break;
    case "issue.resolved":
      next.status = "resolved";
      next.resolution = { evidence: event.evidence, by: actor, at: meta.at };
      break;
    case "issue.reopened":
      next.status = "open";
      next.reopenedCount = issue.reopenedCount + 1;
      delete next.resolution;
      delete next.verification;
      break;
    case "issue.verified":
      next.status = "closed";
      next.verification = { note: event.note, by: actor, at: meta.at };
      break;
  }
  return withinRecordSize(next);
}

/**
 * Table Storage holds at most 32K characters in a string property: the oldest history entries on the issue's own
 * record give way first (the governance log keeps them all). Part of the pure rule, so the stored record and a
 * replay of the log always agree.
 */
const RECORD_CHARACTERS = 30_000;
function withinRecordSize(issue: Issue): Issue {
  // The record's JSON length without serialising it whole each time (a replay does this for every issue event):
  // the rest of the record, plus each history entry's own JSON (remembered: entries never change), plus commas.
  const rest = JSON.stringify({ ...issue, history: [] }).length;
  const lengths = issue.history.map(historyLength);
  let total = rest + lengths.reduce((n, l) => n + l, 0) + Math.max(0, lengths.length - 1);
  let drop = 0;
  while (total > RECORD_CHARACTERS && issue.history.length - drop > 1) {
    total -= (lengths[drop] ?? 0) + 1;
    drop++;
  }
  return drop === 0 ? issue : { ...issue, history: issue.history.slice(drop) };
}

const historyLengths = new WeakMap<HistoryEntry, number>();
function historyLength(entry: HistoryEntry): number {
  let length = historyLengths.get(entry);
  if (length === undefined) {
    length = JSON.stringify(entry).length;
    historyLengths.set(entry, length);
  }
  return length;
}
