import { CHOICE_TITLES } from "./boardDecision.js";
import { GENESIS_HASH, hashAndLine, type LogEntry } from "./chain.js";
import {
  CONTROL_TITLES,
  DEFAULT_ISSUE_TARGETS,
  ISSUE_TYPE_TITLES,
  type Issue,
  type IssueTargets,
  isIssueEvent,
  PRIORITIES,
  summaryOf,
} from "./commandLog.js";
import { applyEvents } from "./decisions.js";
import { SUPPORT_TITLES, TRIGGER_TITLES, type TriggerKind } from "./digestTypes.js";
import { formatDuration } from "./duration.js";
import type { GovernanceEvent } from "./events.js";
import { type CsvValue, csvHeader, csvLine } from "./evidenceCsv.js";
import { EVIDENCE_MAPPING } from "./evidenceMapping.js";
import type {
  AssuranceRow,
  AuditRow,
  BoardDecisionRow,
  CommandLogRow,
  ConfidenceRow,
  ControlRow,
  DailyDecisionRow,
  DayRow,
  EvidenceModel,
  EvidenceRange,
  FollowUpRow,
  IssueTimesRow,
  RiskRow,
  SltDecisionRow,
  TimelineRow,
  TrainingRow,
} from "./evidenceModel.js";
import { zonedTimeToIso } from "./issueClocks.js";
import type { Project, ProjectState } from "./project.js";
import { AREA_TITLES, RECORD_TYPE_TITLES } from "./readiness.js";
import { ROLE_TITLES } from "./roles.js";
import { addDays, localDate } from "./schedule.js";
import { AUDIT_MEASURES, MEASURE_TITLES, SLT_TITLES } from "./stabilisation.js";
import { buildStabilisationReport } from "./stabilisationReport.js";
import { percentOf } from "./stabilisationRules.js";

/**
 * The evidence pack (domain page §5), assembled from the governance log one entry at a time: the log is read
 * once, in order, and never held in memory — each entry is replayed onto the project's state (as it stood at the
 * end of the range), its line written to log.jsonl and its rows to the CSVs that grow with the log (history,
 * controls, timeline); the rest is written from the state at the end. Pure and deterministic: the same entries,
 * range and producer always give the same bytes, so a verifier can rebuild every file from log.jsonl and
 * compare.
 */

export const PACK_FORMAT = "go-live-governance/evidence-pack@1";

/** The rows shown in index.html for the lists that grow with the log; the CSVs hold every one. */
export const PRINTED_ROWS = 1_000;

export interface PackFile {
  name: string;
  holds: string;
}

/** Every file of a pack, in the manifest's order. manifest.json is written last and lists the others. */
export const PACK_FILES = [
  { name: "index.html", holds: "The pack for people: printable, every section below with its charts." },
  { name: "timeline.csv", holds: "Phases, board and SLT decisions, conditions, roles, exports, in order." },
  {
    name: "board-decisions.csv",
    holds: "The readiness decision file and minutes: every vote with its rationale.",
  },
  { name: "conditions.csv", holds: "Conditions of approval: owner, due date, how each was closed." },
  { name: "readiness-checklist.csv", holds: "The readiness checklist by area and the go-live support plan." },
  { name: "training.csv", holds: "Training completion and confidence per staff role and site." },
  { name: "assurance-log.csv", holds: "The quality lead's validation of high-risk records." },
  { name: "command-log.csv", holds: "Every issue active in the period, with closure evidence and times." },
  { name: "issue-history.csv", holds: "Every step taken on an issue in the period, from the log." },
  { name: "temporary-controls.csv", holds: "Every temporary control for a care-impacting issue." },
  { name: "issue-times.csv", holds: "Time to temporary control and to closure, by priority." },
  {
    name: "daily-decisions.csv",
    holds: "Each morning's digest, its recommendation and the board's decision.",
  },
  { name: "audits.csv", holds: "Stabilisation and follow-up audits, measure by measure." },
  { name: "staff-confidence.csv", holds: "Staff confidence pulses by role and site (no names)." },
  { name: "risks.csv", holds: "The risk log: open and closed risks." },
  { name: "stabilisation-report.csv", holds: "The stabilisation report's figures and exit criteria." },
  { name: "slt-decisions.csv", holds: "The senior leadership team's decisions with the exit criteria." },
  { name: "follow-up-schedule.csv", holds: "Follow-up audits: due, done or overdue." },
  {
    name: "log.jsonl",
    holds: "The governance log itself: every entry from the first to the last of the period.",
  },
] as const satisfies readonly PackFile[];
export type PackFileName = (typeof PACK_FILES)[number]["name"];
export const MANIFEST_FILE = "manifest.json";

export interface PackChunk {
  file: PackFileName;
  text: string;
}

export interface PackRequest {
  projectId: string;
  range: EvidenceRange;
  producedAt: string;
  producedBy: { objectId: string; name: string };
}

const CSV_COLUMNS = {
  "timeline.csv": ["at", "kind", "what", "by", "log_entry"],
  "board-decisions.csv": [
    "decision",
    "opened_at",
    "opened_by",
    "state",
    "closed_at",
    "closed_by",
    "outcome",
    "proceed",
    "delay",
    "conditional",
    "go_live_date",
    "new_date",
    "voter",
    "vote",
    "rationale",
    "voted_at",
    "blockers",
    "readiness_evidence",
  ],
  "conditions.csv": [
    "condition",
    "decision",
    "text",
    "blocker",
    "owner",
    "due",
    "state",
    "evidence_or_reason",
    "closed_by",
    "closed_at",
  ],
  "readiness-checklist.csv": ["area", "rag", "owner", "evidence", "note", "updated_by", "updated_at"],
  "training.csv": [
    "site",
    "staff_role",
    "staff",
    "completed",
    "confident",
    "completion_percent",
    "confidence_percent",
    "threshold_percent",
    "meets_threshold",
    "gaps",
    "updated_by",
    "updated_at",
  ],
  "assurance-log.csv": [
    "record_type",
    "sample_size",
    "checked",
    "discrepancies",
    "critical",
    "signed_off",
    "note",
    "updated_by",
    "updated_at",
  ],
  "command-log.csv": [
    "issue",
    "raised_at",
    "raised_by",
    "type",
    "priority",
    "site",
    "theme",
    "care_impacting",
    "unsafe_workaround",
    "description",
    "owner",
    "status",
    "first_response_at",
    "care_impacting_from",
    "first_control_at",
    "minutes_to_control",
    "controls",
    "resolved_at",
    "resolved_by",
    "minutes_to_closure",
    "closure_evidence",
    "verified_by",
    "verified_at",
    "reopened",
  ],
  "issue-history.csv": ["at", "issue", "step", "text", "by", "log_entry"],
  "temporary-controls.csv": [
    "issue",
    "priority",
    "site",
    "control",
    "text",
    "by",
    "at",
    "minutes_after_care_impacting",
    "log_entry",
  ],
  "issue-times.csv": [
    "priority",
    "issues",
    "care_impacting",
    "controlled",
    "median_minutes_to_control",
    "worst_minutes_to_control",
    "controls_within_target",
    "control_target_minutes",
    "resolved",
    "median_minutes_to_closure",
    "worst_minutes_to_closure",
    "resolved_within_target",
    "resolution_target_minutes",
  ],
  "daily-decisions.csv": [
    "period",
    "review",
    "posted_at",
    "new",
    "open",
    "resolved",
    "triggers",
    "recommendation",
    "rule",
    "decided_by",
    "decision",
    "rationale",
    "decided_at",
  ],
  "audits.csv": [
    "audit",
    "site",
    "kind",
    "at",
    "by",
    "measure",
    "checked",
    "passed",
    "percent",
    "threshold_percent",
    "met",
    "embedded",
    "notes",
  ],
  "staff-confidence.csv": [
    "pulse",
    "question",
    "anonymous",
    "opened_at",
    "role",
    "site",
    "answers",
    "confident_percent",
    "score_1",
    "score_2",
    "score_3",
    "score_4",
    "score_5",
  ],
  "risks.csv": [
    "risk",
    "text",
    "owner",
    "likelihood",
    "impact",
    "score",
    "review_date",
    "state",
    "raised_by",
    "raised_at",
    "closed_at",
    "evidence",
  ],
  "stabilisation-report.csv": ["section", "item", "value"],
  "slt-decisions.csv": ["at", "by", "decision", "rationale", "review_date", "exit_criteria"],
  "follow-up-schedule.csv": ["due", "months_after", "state", "audit"],
} as const satisfies Record<Exclude<PackFileName, "index.html" | "log.jsonl">, readonly string[]>;
type CsvFile = keyof typeof CSV_COLUMNS;

/** Issues with fewer answers than this in a group of an anonymous pulse are reported together, not alone. */
const SMALLEST_ANONYMOUS_GROUP = 3;

/** Thrown when the log itself does not verify: no pack is made from a broken chain. */
export class EvidenceChainError extends Error {
  constructor(
    message: string,
    readonly seq: number,
    /** True when found at the end of the log (against the head), not at one entry as it was read. */
    readonly atEnd = false,
  ) {
    super(message);
    this.name = "EvidenceChainError";
  }
}

/** The dates a pack covers, from what was asked: by default from the project's start to today. */
export function resolveEvidenceRange(
  project: Project,
  asked: { from?: string; to?: string },
  now: Date,
): { range: EvidenceRange } | { problem: string } {
  const timeZone = project.settings.timeZone;
  const today = localDateIn(timeZone)(now.toISOString());
  const started = localDateIn(timeZone)(project.createdAt);
  const from = asked.from ?? started;
  const to = asked.to ?? today;
  if (to < started) {
    return {
      problem: `The project was set up on ${started}: a pack can cover days from then, not a period ending ${to}.`,
    };
  }
  if (to > today) {
    return {
      problem: `A pack can cover days up to today (${today}), not ${to}. Leave out "to" for a pack up to today.`,
    };
  }
  if (from > to) {
    return {
      problem: `The pack would start (${from}) after it ends (${to}). Give the earlier date after "from", e.g. evidence from ${to} to ${from}.`,
    };
  }
  return { range: { from, to, timeZone } };
}

/**
 * The project's local date of an instant (`localDate`, which uses the formatter's numeric parts, never its
 * formatted text: a pack is rebuilt byte for byte when it is checked, perhaps on another machine, and locale data
 * — how en-CA or en-GB write a date — has changed between Node releases).
 */
export function localDateIn(timeZone: string): (iso: string) => string {
  return (iso) => localDate(new Date(iso), timeZone);
}

/**
 * Text order by code point, the same on every machine (localeCompare follows the machine's language, and a pack
 * is rebuilt byte for byte when it is checked).
 */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const minutesBetween = (from: string, to: string): number =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

/**
 * Builds a pack from the log's entries, in order. `start()` gives the CSV headers, `add()` each entry's lines,
 * `finish()` the rest and the model for index.html. Entries past the range still go into log.jsonl (the chain
 * is whole from its first entry to its head) but change nothing in the pack.
 */
export class EvidenceAssembler {
  private state: ProjectState | undefined;
  private readonly issues = new Map<string, Issue>();
  private readonly dateOf: (iso: string) => string;
  private prevHash = GENESIS_HASH;
  /** The last entry in the pack (its log.jsonl ends there); the chain may be checked further. */
  private packHead = { seq: 0, hash: GENESIS_HASH };
  private seq = 0;
  private pastRange = false;
  private readonly touched = new Set<string>();
  private readonly days = new Map<string, { raised: number; resolved: number }>();
  private readonly timeline: TimelineRow[] = [];
  private timelineTotal = 0;
  private readonly controls: ControlRow[] = [];
  private controlsTotal = 0;
  private readonly daily = new Map<string, DailyDecisionRow>();
  private raised = 0;
  /** Issues resolved in the range (an issue resolved, reopened and resolved again counts once). */
  private readonly resolvedInRange = new Set<string>();
  /** Issues raised in the range: the times to control and to closure are theirs. */
  private readonly raisedInRange = new Set<string>();
  private refusals = 0;
  private entriesInRange = 0;

  /** An instant surely after the range (its end, plus a day for any change of the clocks): no date to work out. */
  private readonly rangeEndMs: number;

  constructor(private readonly request: PackRequest) {
    this.dateOf = localDateIn(request.range.timeZone);
    this.rangeEndMs = Date.parse(`${addDays(request.range.to, 2)}T00:00:00Z`);
  }

  start(): PackChunk[] {
    return (Object.keys(CSV_COLUMNS) as CsvFile[])
      .filter((file) => STREAMED.has(file))
      .map((file) => ({ file, text: csvHeader(CSV_COLUMNS[file]) }));
  }

  /** True for an entry dated after the range: an export ends before it. */
  isPastRange(entry: LogEntry): boolean {
    const at = Date.parse(entry.at);
    return !Number.isNaN(at) && (at >= this.rangeEndMs || this.dateOf(entry.at) > this.request.range.to);
  }

  /** The last entry added: where a pack that ends with its range ends. */
  last(): { seq: number; hash: string } {
    return this.packHead;
  }

  /**
   * An entry after the pack's end: not in the pack, but still checked against the chain, so a pack is never made
   * from a log whose later entries were changed or removed.
   */
  follow(entry: LogEntry): void {
    this.checkChain(entry);
  }

  /** One entry of the log: checked against the chain, written to log.jsonl and, if in range, to the CSVs. */
  add(entry: LogEntry): PackChunk[] {
    const line = this.checkChain(entry);
    this.packHead = { seq: entry.seq, hash: entry.hash };
    const chunks: PackChunk[] = [{ file: "log.jsonl", text: `${line}\n` }];
    if (entry.projectId !== this.request.projectId) {
      throw new EvidenceChainError(`Entry ${entry.seq} belongs to another project.`, entry.seq);
    }
    if (Number.isNaN(Date.parse(entry.at))) {
      throw new EvidenceChainError(`Entry ${entry.seq} has no valid time.`, entry.seq);
    }
    const date = this.dateOf(entry.at);
    if (this.pastRange || date > this.request.range.to) {
      // The state stands as at the end of the range: later entries are in the log, not in the pack's figures.
      this.pastRange = true;
      return chunks;
    }
    const inRange = date >= this.request.range.from;
    const issuesBefore = this.issuesTouchedBy(entry.events);
    this.state = applyEvents(this.state, entry.events, { at: entry.at, actor: entry.actor }, this.issues);
    // The pack reads an issue's newest step and its facts, never its older history (the log has all of it): the
    // rest is let go, so thousands of issues do not hold twenty steps each in memory.
    if (issuesBefore) {
      for (const id of issuesBefore.keys()) {
        const issue = this.issues.get(id);
        if (issue && issue.history.length > 1)
          this.issues.set(id, { ...issue, history: issue.history.slice(-1) });
      }
    }
    if (inRange) {
      this.entriesInRange++;
      for (const event of entry.events) this.record(entry, event, date, issuesBefore, chunks);
    }
    for (const event of entry.events) {
      // The state keeps an SLT decision's choice; the criteria it was taken against are in its log entry.
      if (event.kind === "slt.decided") this.sltCriteria.set(entry.at, event.exitCriteria);
    }
    return chunks;
  }

  /** The files written from the state at the end of the range, and the model index.html is printed from. */
  /**
   * Checks the entries read reach `chainHead` (the store's head, or the one the manifest records) unbroken, then
   * writes the files that come from the state at the end of the range.
   */
  finish(chainHead: { seq: number; hash: string }): { chunks: PackChunk[]; model: EvidenceModel } {
    const head = chainHead;
    if (head.seq !== this.seq) {
      throw new EvidenceChainError(
        `The log ends at entry ${this.seq}, but the chain head is entry ${head.seq}: entries are missing.`,
        Math.min(head.seq, this.seq) + 1,
        true,
      );
    }
    if (head.hash !== this.prevHash) {
      throw new EvidenceChainError(
        `Entry ${this.seq} is not the entry the chain head records: it was changed.`,
        this.seq,
        true,
      );
    }
    const model = this.model(this.packHead);
    const chunks: PackChunk[] = [];
    const write = (file: CsvFile, rows: readonly (readonly CsvValue[])[]) => {
      chunks.push({ file, text: csvHeader(CSV_COLUMNS[file]) + rows.map(csvLine).join("") });
    };
    write("board-decisions.csv", boardDecisionCsv(model.decisions));
    write(
      "conditions.csv",
      model.conditions.map((c) => [
        c.id,
        c.decisionId,
        c.text,
        c.blocker,
        c.owner,
        c.due,
        c.state,
        c.evidence,
        c.closedBy,
        c.closedAt,
      ]),
    );
    write("readiness-checklist.csv", [
      ...model.checklist.map((c) => [c.area, c.rag, c.owner, c.evidence, c.note, c.updatedBy, c.updatedAt]),
      ...supportPlanCsv(model),
    ]);
    write(
      "training.csv",
      model.training.map((t) => [
        t.site,
        t.staffRole,
        t.staff,
        t.completed,
        t.confident,
        t.completionPercent,
        t.confidencePercent,
        model.trainingThresholdPercent,
        t.meetsThreshold,
        t.gaps,
        t.updatedBy,
        t.updatedAt,
      ]),
    );
    write(
      "assurance-log.csv",
      model.assurance.map((a) => [
        a.recordType,
        a.sampleSize,
        a.checked,
        a.discrepancies,
        a.critical,
        a.signedOff,
        a.note,
        a.updatedBy,
        a.updatedAt,
      ]),
    );
    write("command-log.csv", this.commandLogRows().map(commandLogCsv));
    this.rows = undefined;
    write(
      "issue-times.csv",
      model.issueTimes.map((t) => [
        t.priority,
        t.issues,
        t.careImpacting,
        t.controlled,
        t.medianMinutesToControl,
        t.worstMinutesToControl,
        t.controlsWithinTarget,
        t.controlTargetMinutes,
        t.resolved,
        t.medianMinutesToClosure,
        t.worstMinutesToClosure,
        t.resolvedWithinTarget,
        t.resolutionTargetMinutes,
      ]),
    );
    write(
      "daily-decisions.csv",
      model.dailyDecisions.flatMap((d) => {
        const base = [
          d.period,
          d.review,
          d.postedAt,
          d.newIssues,
          d.openIssues,
          d.resolvedIssues,
          d.triggers,
          d.recommendation,
          d.rule,
        ];
        if (d.decisions.length === 0) return [base];
        return d.decisions.map((x) => [...base, x.by, x.choice, x.rationale, x.at]);
      }),
    );
    write(
      "audits.csv",
      model.audits.flatMap((a) =>
        a.measures.map((m) => [
          a.id,
          a.site,
          a.kind,
          a.at,
          a.by,
          m.measure,
          m.checked,
          m.passed,
          m.percent,
          m.threshold,
          m.met,
          a.embedded,
          a.notes,
        ]),
      ),
    );
    write(
      "staff-confidence.csv",
      model.confidence.map((c) => [
        c.pulseId,
        c.question,
        c.anonymous,
        c.openedAt,
        c.role,
        c.site,
        c.answers,
        c.confidentPercent,
        ...c.scores,
      ]),
    );
    write(
      "risks.csv",
      model.risks.map((r) => [
        r.id,
        r.text,
        r.owner,
        r.likelihood,
        r.impact,
        r.score,
        r.reviewDate,
        r.state,
        r.raisedBy,
        r.raisedAt,
        r.closedAt,
        r.evidence,
      ]),
    );
    write("stabilisation-report.csv", stabilisationReportCsv(model));
    write(
      "slt-decisions.csv",
      model.sltDecisions.map((d) => [
        d.at,
        d.by,
        d.choice,
        d.rationale,
        d.reviewDate,
        d.exitCriteria.map((c) => `${c.met ? "met" : "not met"}: ${c.criterion}`).join(" | "),
      ]),
    );
    write(
      "follow-up-schedule.csv",
      model.followUps.map((f) => [f.due, f.months, f.state, f.auditId]),
    );
    return { chunks, model };
  }

  /** Checks the entry chains on and matches its hash; returns its line for log.jsonl. */
  private checkChain(entry: LogEntry): string {
    const expected = this.seq + 1;
    if (entry.seq !== expected) {
      throw new EvidenceChainError(`Entry ${expected} is missing from the log.`, expected);
    }
    if (entry.prevHash !== this.prevHash) {
      throw new EvidenceChainError(
        `Entry ${entry.seq - 1} is not the entry that entry ${entry.seq} was chained to.`,
        entry.seq - 1,
      );
    }
    const { hash, line } = hashAndLine(entry);
    if (hash !== entry.hash) {
      throw new EvidenceChainError(`Entry ${entry.seq} does not match its hash.`, entry.seq);
    }
    this.seq = entry.seq;
    this.prevHash = entry.hash;
    return line;
  }

  private issuesTouchedBy(events: readonly GovernanceEvent[]): Map<string, Issue | undefined> {
    const before = new Map<string, Issue | undefined>();
    for (const e of events) if (isIssueEvent(e)) before.set(e.issueId, this.issues.get(e.issueId));
    return before;
  }

  private day(date: string): { raised: number; resolved: number } {
    let d = this.days.get(date);
    if (!d) {
      d = { raised: 0, resolved: 0 };
      this.days.set(date, d);
    }
    return d;
  }

  private timelineRow(chunks: PackChunk[], entry: LogEntry, kind: string, what: string): void {
    const row: TimelineRow = { at: entry.at, kind, what, by: entry.actor.name };
    this.timelineTotal++;
    if (this.timeline.length < PRINTED_ROWS) this.timeline.push(row);
    chunks.push({ file: "timeline.csv", text: csvLine([row.at, row.kind, row.what, row.by, entry.seq]) });
  }

  private record(
    entry: LogEntry,
    event: GovernanceEvent,
    date: string,
    issuesBefore: Map<string, Issue | undefined> | undefined,
    chunks: PackChunk[],
  ): void {
    const by = entry.actor.name;
    if (isIssueEvent(event)) {
      this.touched.add(event.issueId);
      const issue = this.issues.get(event.issueId);
      const step = issue?.history.at(-1);
      chunks.push({
        file: "issue-history.csv",
        text: csvLine([entry.at, event.issueId, step?.what, fullTextOf(event), by, entry.seq]),
      });
      if (event.kind === "issue.raised") {
        this.raised++;
        this.raisedInRange.add(event.issueId);
        this.day(date).raised++;
      } else if (event.kind === "issue.resolved") {
        // Counted once, on the day it was first resolved in the period: the chart adds up to the summary.
        if (!this.resolvedInRange.has(event.issueId)) this.day(date).resolved++;
        this.resolvedInRange.add(event.issueId);
      } else if (event.kind === "issue.control-recorded" && issue) {
        // The clock runs from when the issue (as it stood before this entry) became care-impacting.
        const careFrom = issuesBefore?.get(event.issueId)?.careMarkedAt ?? issue.careMarkedAt;
        const row: ControlRow = {
          issueId: issue.id,
          priority: issue.priority,
          site: issue.site ?? "",
          kind: CONTROL_TITLES[event.control.kind],
          text: event.control.text,
          by,
          at: entry.at,
          ...(careFrom ? { minutesAfterCareImpacting: minutesBetween(careFrom, entry.at) } : {}),
        };
        this.controlsTotal++;
        if (this.controls.length < PRINTED_ROWS) this.controls.push(row);
        chunks.push({
          file: "temporary-controls.csv",
          text: csvLine([
            row.issueId,
            row.priority,
            row.site,
            row.kind,
            row.text,
            row.by,
            row.at,
            row.minutesAfterCareImpacting,
            entry.seq,
          ]),
        });
      }
      return;
    }
    const row = this.timelineOf(entry, event);
    if (row) this.timelineRow(chunks, entry, row[0], row[1]);
  }

  /** What an event adds to the timeline (kind, what), if anything; the daily reviews are gathered on the way. */
  private timelineOf(entry: LogEntry, event: GovernanceEvent): [string, string] | undefined {
    const by = entry.actor.name;
    const timeline = (kind: string, what: string): [string, string] => [kind, what];
    switch (event.kind) {
      case "project.created":
        return timeline("Project", `Project "${event.name}" set up in Teams.`);
      case "project.phase-changed":
        return timeline(
          "Phase",
          `${phaseTitle(event.from)} → ${phaseTitle(event.to)}${event.effectiveFrom ? ` from ${event.effectiveFrom}` : ""}: ${event.reason}`,
        );
      case "role.assigned":
      case "role.removed": {
        const a = event.assignment;
        const role = `${ROLE_TITLES[a.role]}${a.site ? ` (${a.site})` : ""}`;
        return timeline(
          "Role",
          event.kind === "role.assigned"
            ? `${a.person.name} made ${role}.`
            : `${a.person.name} no longer ${role}.`,
        );
      }
      case "decision.opened":
        return timeline("Board decision", `Go-live decision ${event.decisionId} opened.`);
      case "decision.closed": {
        const t = event.minutes.tally;
        return timeline(
          "Board decision",
          `Go-live decision ${event.decisionId} closed: ${CHOICE_TITLES[event.minutes.outcome]} (proceed ${t.proceed}, delay ${t.delay}, conditional ${t.conditional}); ${event.conditions.length} condition(s).`,
        );
      }
      case "condition.met":
        return timeline("Condition", `Condition ${event.conditionId} met: ${event.evidence}`);
      case "condition.waived":
        return timeline("Condition", `Condition ${event.conditionId} waived: ${event.reason}`);
      case "slt.decided":
        return timeline(
          "SLT decision",
          `${SLT_TITLES[event.choice]}: ${event.rationale}${event.reviewDate ? ` (review by ${event.reviewDate})` : ""}`,
        );
      case "support.decided": {
        this.dailyRow(event.period, event.review).decisions.push({
          by,
          choice: SUPPORT_TITLES[event.choice],
          rationale: event.rationale,
          at: entry.at,
        });
        return timeline(
          "Support decision",
          `${SUPPORT_TITLES[event.choice]} (digest of ${event.period}; recommended: ${event.recommended}): ${event.rationale}`,
        );
      }
      case "review.posted": {
        const row = this.dailyRow(event.period, event.review);
        row.postedAt = entry.at;
        if (event.counts) {
          row.newIssues = event.counts.new;
          row.openIssues = event.counts.open;
          row.resolvedIssues = event.counts.resolved;
        }
        row.triggers = [
          // In the words the digest card used, e.g. "Repeated themes (5)".
          ...(event.triggers ?? []).map(
            (t) => `${TRIGGER_TITLES[t.kind as TriggerKind] ?? t.kind} (${t.items})`,
          ),
          ...(event.exitCriteria ?? []).map((c) => `${c.met ? "met" : "not met"}: ${c.criterion}`),
        ].join("; ");
        if (event.recommendation) {
          row.recommendation = SUPPORT_TITLES[event.recommendation.choice];
          row.rule = event.recommendation.rule;
        }
        return undefined;
      }
      case "evidence.exported":
        return timeline(
          "Evidence exported",
          `Evidence pack for ${event.from} to ${event.to} (log entry ${event.headSeq}, manifest SHA-256 ${event.manifestSha256}) to ${event.destination === "folder" ? "a folder" : "Blob Storage, with a private link"}.`,
        );
      case "access.refused":
      case "personal-data.refused":
        this.refusals++;
        return undefined;
      default:
        return undefined;
    }
  }

  private dailyRow(period: string, review: string): DailyDecisionRow {
    const key = `${period}|${review}`;
    let row = this.daily.get(key);
    if (!row) {
      row = {
        period,
        review: review === "daily-digest" ? "Daily digest" : "Stabilisation review",
        postedAt: "",
        triggers: "",
        recommendation: "",
        rule: "",
        decisions: [],
      };
      this.daily.set(key, row);
    }
    return row;
  }

  /** Issues worked in the range, and those still open or awaiting verification at its end. */
  private rows: CommandLogRow[] | undefined;
  private commandLogRows(): CommandLogRow[] {
    if (this.rows) return this.rows;
    const rows: CommandLogRow[] = [];
    for (const issue of this.issues.values()) {
      if (this.touched.has(issue.id) || issue.status !== "closed") rows.push(commandLogRow(issue));
    }
    this.rows = rows.sort((a, b) => a.number - b.number);
    return this.rows;
  }

  private model(head: { seq: number; hash: string }): EvidenceModel {
    const { range } = this.request;
    const state = this.state;
    const project = state?.project;
    const targets = state?.commandLog.targets ?? DEFAULT_ISSUE_TARGETS;
    const commandLog = this.commandLogRows();
    const end = endOfRange(range, this.request.producedAt);
    const raisedRows = commandLog.filter((r) => this.raisedInRange.has(r.id));
    const issueTimes = issueTimesOf(raisedRows, targets);
    const careImpacting = raisedRows.filter((r) => r.careMarkedAt !== undefined || r.careImpacting).length;
    const s = state?.stabilisation;
    const model: EvidenceModel = {
      project: {
        id: this.request.projectId,
        name: project?.name ?? "(no project in this period)",
        sites: project?.settings.sites ?? [],
        phase: project ? phaseTitle(project.phase) : "",
        ...(project?.liveFrom ? { liveFrom: project.liveFrom } : {}),
        ...(project?.settings.goLiveDate ? { goLiveDate: project.settings.goLiveDate } : {}),
      },
      range,
      producedAt: this.request.producedAt,
      producedBy: this.request.producedBy.name,
      chain: { entries: head.seq, headSeq: head.seq, headHash: head.hash },
      summary: {
        points: [],
        issuesRaised: this.raised,
        issuesResolved: this.resolvedInRange.size,
        issuesOpenAtEnd: commandLog.filter((r) => r.status === "Open").length,
        careImpacting,
        controlsRecorded: this.controlsTotal,
        refusals: this.refusals,
        logEntriesInRange: this.entriesInRange,
      },
      timeline: this.timeline,
      timelineTotal: this.timelineTotal,
      decisions: (state?.decisions ?? []).map((d) => boardDecisionRow(d, range, this.dateOf)),
      conditions: (state?.conditions ?? []).map((c) => ({
        id: c.id,
        decisionId: c.decisionId,
        text: c.text,
        blocker: c.blockerReason,
        owner: c.owner.name,
        due: c.due,
        state: c.state,
        ...(c.evidence !== undefined || c.reason !== undefined ? { evidence: c.evidence ?? c.reason } : {}),
        ...(c.closedBy ? { closedBy: c.closedBy } : {}),
        ...(c.closedAt ? { closedAt: c.closedAt } : {}),
      })),
      checklist: (state?.readiness.items ?? []).map((i) => ({
        area: AREA_TITLES[i.area],
        rag: i.rag,
        owner: i.owner,
        evidence: i.evidence,
        note: i.note,
        updatedBy: i.updated.by,
        updatedAt: i.updated.at,
      })),
      ...(state?.readiness.supportPlan
        ? {
            supportPlan: {
              escalationRoutes: state.readiness.supportPlan.escalationRoutes,
              supplierContact: state.readiness.supportPlan.supplierContact,
              onSiteCover: state.readiness.supportPlan.onSiteCover,
              responsibleLeads: state.readiness.supportPlan.responsibleLeads,
              updatedBy: state.readiness.supportPlan.updated.by,
              updatedAt: state.readiness.supportPlan.updated.at,
            },
          }
        : {}),
      training: (state?.readiness.training ?? []).map((t): TrainingRow => {
        const completionPercent = Math.floor((t.completed * 100) / t.staff);
        return {
          site: t.site,
          staffRole: t.staffRole,
          staff: t.staff,
          completed: t.completed,
          confident: t.confident,
          completionPercent,
          confidencePercent: Math.floor((t.confident * 100) / t.staff),
          meetsThreshold: completionPercent >= (state?.readiness.thresholds.trainingCompletionPercent ?? 95),
          gaps: t.gaps,
          updatedBy: t.updated.by,
          updatedAt: t.updated.at,
        };
      }),
      trainingThresholdPercent: state?.readiness.thresholds.trainingCompletionPercent ?? 95,
      assurance: (state?.readiness.assurance ?? []).map(
        (a): AssuranceRow => ({
          recordType: RECORD_TYPE_TITLES[a.recordType],
          sampleSize: a.sampleSize,
          checked: a.checked,
          discrepancies: a.discrepancies,
          critical: a.critical,
          signedOff: a.signedOff,
          note: a.note,
          updatedBy: a.updated.by,
          updatedAt: a.updated.at,
        }),
      ),
      commandLog: commandLog.slice(0, PRINTED_ROWS),
      commandLogTotal: commandLog.length,
      controls: this.controls,
      controlsTotal: this.controlsTotal,
      issueTimes,
      days: this.dayRows(),
      dailyDecisions: [...this.daily.values()].sort(
        (a, b) => byCodePoint(a.period, b.period) || byCodePoint(a.review, b.review),
      ),
      audits: (s?.audits ?? []).map(
        (a): AuditRow => ({
          id: a.id,
          site: a.site,
          kind: a.kind === "follow-up" ? "Follow-up" : "Stabilisation",
          at: a.at,
          by: a.by,
          measures: AUDIT_MEASURES.map((m) => {
            const result = a.measures[m];
            const percent = percentOf(result);
            const threshold = s?.thresholds.measures[m] ?? 95;
            return {
              measure: MEASURE_TITLES[m],
              checked: result.checked,
              passed: result.passed,
              percent,
              threshold,
              met: percent >= threshold,
            };
          }),
          notes: a.notes,
          ...(a.embedded !== undefined ? { embedded: a.embedded } : {}),
        }),
      ),
      confidence: (s?.pulses ?? []).flatMap(confidenceRows),
      confidenceThresholdPercent: s?.thresholds.confidencePercent ?? 80,
      risks: (s?.risks ?? []).map(
        (r): RiskRow => ({
          id: r.id,
          text: r.text,
          owner: r.owner.name,
          likelihood: r.likelihood,
          impact: r.impact,
          score: r.likelihood * r.impact,
          reviewDate: r.reviewDate,
          state: r.state,
          raisedBy: r.raisedBy,
          raisedAt: r.raisedAt,
          ...(r.closedAt ? { closedAt: r.closedAt } : {}),
          ...(r.evidence ? { evidence: r.evidence } : {}),
        }),
      ),
      // A period that ends before go-live has no stabilisation to report.
      ...(state && project?.liveFrom && project.liveFrom <= range.to
        ? { stabilisationReport: this.report(state, end, range.to) }
        : {}),
      sltDecisions: (s?.decisions ?? []).map(
        (d): SltDecisionRow => ({
          at: d.at,
          by: d.by,
          choice: SLT_TITLES[d.choice],
          rationale: d.rationale,
          ...(d.reviewDate ? { reviewDate: d.reviewDate } : {}),
          exitCriteria: [],
        }),
      ),
      followUps: (s?.followUps ?? []).map(
        (f): FollowUpRow => ({
          due: f.due,
          months: f.months,
          ...(f.auditId ? { auditId: f.auditId } : {}),
          state: f.auditId ? "done" : f.due < range.to ? "overdue" : "due",
        }),
      ),
      mapping: [...EVIDENCE_MAPPING],
      files: PACK_FILES.map((f): { name: string; holds: string } => ({
        name: f.name,
        holds: f.holds,
      })).concat({
        name: MANIFEST_FILE,
        holds: "The SHA-256 of every file above, the chain head, the range, who produced the pack and when.",
      }),
    };
    model.sltDecisions = this.sltDecisionsWithCriteria(model.sltDecisions);
    model.summary.points = summaryPoints(model);
    return model;
  }

  /** The exit criteria each SLT decision recorded, from the log entries (the state keeps only the choice). */
  private sltDecisionsWithCriteria(rows: SltDecisionRow[]): SltDecisionRow[] {
    return rows.map((row) => ({ ...row, exitCriteria: this.sltCriteria.get(row.at) ?? [] }));
  }
  private readonly sltCriteria = new Map<string, Array<{ criterion: string; met: boolean }>>();

  private report(state: ProjectState, end: Date, today: string): EvidenceModel["stabilisationReport"] {
    const report = buildStabilisationReport({
      projectId: this.request.projectId,
      state,
      issues: [...this.issues.values()].map(summaryOf),
      now: end,
      today,
    });
    return {
      openIssues: report.openIssues,
      atGoLive: report.atGoLive,
      recently: report.recently,
      criteria: report.criteria.map((c) => ({ criterion: c.criterion, met: c.met, detail: "" })),
    };
  }

  private dayRows(): DayRow[] {
    const rows: DayRow[] = [];
    const { from, to } = this.request.range;
    // Days of the range, each once, so the chart has no gaps; a range of years keeps its last 366 days.
    let date = from;
    let guard = 0;
    while (date <= to && guard++ < 20_000) {
      const d = this.days.get(date);
      rows.push({ date, raised: d?.raised ?? 0, resolved: d?.resolved ?? 0 });
      date = addDays(date, 1);
    }
    return rows.slice(-366);
  }
}

/** Files whose lines are written as the log is read (they grow with it); the others are written at the end. */
const STREAMED = new Set<CsvFile>(["timeline.csv", "issue-history.csv", "temporary-controls.csv"]);

/** The instant the range ends: the end of its last day, or when the pack was produced if that is sooner. */
function endOfRange(range: EvidenceRange, producedAt: string): Date {
  const nextDay = zonedTimeToIso(addDays(range.to, 1), "00:00", range.timeZone);
  const end = nextDay ? Date.parse(nextDay) : Date.parse(`${range.to}T23:59:59Z`);
  return new Date(Math.min(end, Date.parse(producedAt)));
}

function phaseTitle(phase: string): string {
  const words = phase.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The full text of an issue step as typed (the issue's own record keeps a shortened copy). */
function fullTextOf(event: GovernanceEvent): string | undefined {
  switch (event.kind) {
    case "issue.raised":
      return event.description;
    case "issue.updated":
      return event.text;
    case "issue.control-recorded":
      return event.control.text;
    case "issue.resolved":
      return event.evidence;
    case "issue.reopened":
      return event.reason;
    case "issue.verified":
      return event.note || undefined;
    default:
      return undefined;
  }
}

function commandLogRow(issue: Issue): CommandLogRow {
  const statusTitle =
    issue.status === "open"
      ? "Open"
      : issue.status === "resolved"
        ? "Resolved, awaiting verification"
        : "Closed";
  return {
    id: issue.id,
    number: issue.number,
    raisedAt: issue.raisedAt,
    raisedBy: issue.raisedBy.name,
    type: ISSUE_TYPE_TITLES[issue.type],
    priority: issue.priority,
    site: issue.site ?? "",
    theme: issue.theme ?? "",
    careImpacting: issue.careImpacting,
    unsafeWorkaround: issue.workaroundUnsafe === true,
    description: issue.description,
    owner: issue.owner?.person.name ?? "",
    status: statusTitle,
    ...(issue.firstResponse ? { firstResponseAt: issue.firstResponse.at } : {}),
    ...(issue.careMarkedAt ? { careMarkedAt: issue.careMarkedAt } : {}),
    ...(issue.firstControlAt ? { firstControlAt: issue.firstControlAt } : {}),
    ...(issue.careMarkedAt && issue.firstControlAt
      ? { minutesToControl: minutesBetween(issue.careMarkedAt, issue.firstControlAt) }
      : {}),
    controls: issue.controlCount,
    ...(issue.resolution
      ? {
          resolvedAt: issue.resolution.at,
          resolvedBy: issue.resolution.by.name,
          minutesToClosure: minutesBetween(issue.raisedAt, issue.resolution.at),
          closureEvidence: issue.resolution.evidence,
        }
      : {}),
    ...(issue.verification
      ? { verifiedBy: issue.verification.by.name, verifiedAt: issue.verification.at }
      : {}),
    reopened: issue.reopenedCount,
  };
}

function commandLogCsv(r: CommandLogRow): CsvValue[] {
  return [
    r.id,
    r.raisedAt,
    r.raisedBy,
    r.type,
    r.priority,
    r.site,
    r.theme,
    r.careImpacting,
    r.unsafeWorkaround,
    r.description,
    r.owner,
    r.status,
    r.firstResponseAt,
    r.careMarkedAt,
    r.firstControlAt,
    r.minutesToControl,
    r.controls,
    r.resolvedAt,
    r.resolvedBy,
    r.minutesToClosure,
    r.closureEvidence,
    r.verifiedBy,
    r.verifiedAt,
    r.reopened,
  ];
}

function issueTimesOf(rows: readonly CommandLogRow[], targets: IssueTargets): IssueTimesRow[] {
  return PRIORITIES.map((priority) => {
    const of = rows.filter((r) => r.priority === priority);
    const toControl = of.flatMap((r) => (r.minutesToControl !== undefined ? [r.minutesToControl] : []));
    const toClosure = of.flatMap((r) => (r.minutesToClosure !== undefined ? [r.minutesToClosure] : []));
    const controlMedian = median(toControl);
    const closureMedian = median(toClosure);
    return {
      priority,
      issues: of.length,
      careImpacting: of.filter((r) => r.careMarkedAt !== undefined || r.careImpacting).length,
      controlled: toControl.length,
      ...(controlMedian !== undefined ? { medianMinutesToControl: controlMedian } : {}),
      ...(toControl.length > 0 ? { worstMinutesToControl: Math.max(...toControl) } : {}),
      controlsWithinTarget: toControl.filter((m) => m <= targets.controlMinutes).length,
      controlTargetMinutes: targets.controlMinutes,
      resolved: toClosure.length,
      ...(closureMedian !== undefined ? { medianMinutesToClosure: closureMedian } : {}),
      ...(toClosure.length > 0 ? { worstMinutesToClosure: Math.max(...toClosure) } : {}),
      resolvedWithinTarget: toClosure.filter((m) => m <= targets[priority].resolutionMinutes).length,
      resolutionTargetMinutes: targets[priority].resolutionMinutes,
    };
  });
}

function boardDecisionRow(
  d: ProjectState["decisions"][number],
  range: EvidenceRange,
  dateOf: (iso: string) => string,
): BoardDecisionRow {
  const m = d.minutes;
  return {
    id: d.id,
    openedAt: d.openedAt,
    openedBy: d.openedBy.name,
    state: d.state,
    ...(m
      ? {
          closedAt: m.closedAt,
          closedBy: m.closedBy.name,
          outcome: CHOICE_TITLES[m.outcome],
          tally: m.tally,
          ...(m.goLiveDate ? { goLiveDate: m.goLiveDate } : {}),
          ...(m.newDate ? { newDate: m.newDate } : {}),
        }
      : {}),
    boardMembers: (m?.boardMembers ?? []).map((p) => p.name),
    votes: (m?.votes ?? d.votes).map((v) => ({
      voter: v.voter.name,
      choice: CHOICE_TITLES[v.choice],
      rationale: v.rationale,
      at: v.at,
    })),
    blockers: (m?.blockers ?? []).map((b) => ({ area: b.area, reason: b.reason, evidence: b.evidence })),
    readinessEvidence: m?.readinessEvidence ?? [],
    beforeRange: m !== undefined && dateOf(m.closedAt) < range.from,
  };
}

function boardDecisionCsv(decisions: readonly BoardDecisionRow[]): CsvValue[][] {
  return decisions.flatMap((d) => {
    const base: CsvValue[] = [
      d.id,
      d.openedAt,
      d.openedBy,
      d.state,
      d.closedAt,
      d.closedBy,
      d.outcome,
      d.tally?.proceed,
      d.tally?.delay,
      d.tally?.conditional,
      d.goLiveDate,
      d.newDate,
    ];
    const blockers = d.blockers.map((b) => `${b.area}: ${b.reason}`).join(" | ");
    const evidence = d.readinessEvidence.map((e) => `${e.area} (${e.rag}): ${e.evidence}`).join(" | ");
    if (d.votes.length === 0) return [[...base, "", "", "", "", blockers, evidence]];
    return d.votes.map((v) => [...base, v.voter, v.choice, v.rationale, v.at, blockers, evidence]);
  });
}

function supportPlanCsv(model: EvidenceModel): CsvValue[][] {
  const p = model.supportPlan;
  if (!p) return [];
  return [
    ["Support plan: escalation routes", "", "", p.escalationRoutes, "", p.updatedBy, p.updatedAt],
    ["Support plan: supplier contact", "", "", p.supplierContact, "", p.updatedBy, p.updatedAt],
    ["Support plan: on-site cover", "", "", p.onSiteCover, "", p.updatedBy, p.updatedAt],
    ...p.responsibleLeads.map((l) => [
      `Support plan: responsible lead for ${l.site}`,
      "",
      l.lead,
      "",
      "",
      p.updatedBy,
      p.updatedAt,
    ]),
  ];
}

function stabilisationReportCsv(model: EvidenceModel): CsvValue[][] {
  const r = model.stabilisationReport;
  if (!r) return [];
  const figures = (f: typeof r.atGoLive): CsvValue[][] => [
    [f.label, "issues raised", f.raised],
    [f.label, "care-impacting", f.careImpacting],
    [f.label, "median minutes to temporary control", f.medianMinutesToControl],
    [f.label, "median minutes to closure", f.medianMinutesToClosure],
    [f.label, "repeated themes", f.repeatedThemes.join("; ")],
  ];
  return [
    ["Now", "open issues", r.openIssues],
    ...figures(r.atGoLive),
    ...figures(r.recently),
    ...r.criteria.map((c): CsvValue[] => ["Exit criteria", c.criterion, c.met ? "met" : "not met"]),
  ];
}

/**
 * Staff confidence by role and site. An anonymous pulse is broken down only when every group has at least three
 * answers, and shown at all only with three answers in total — the rule the pulse's own results card keeps — so no
 * one can be singled out by the pack.
 */
function confidenceRows(
  pulse: NonNullable<ProjectState["stabilisation"]>["pulses"][number],
): ConfidenceRow[] {
  const groups = new Map<string, { role: string; site: string; scores: number[] }>();
  for (const a of pulse.answers) {
    const key = `${a.role}|${a.site}`;
    const g = groups.get(key) ?? { role: a.role, site: a.site, scores: [] };
    g.scores.push(a.score);
    groups.set(key, g);
  }
  const all = pulse.answers.map((a) => a.score);
  if (pulse.anonymous && all.length < SMALLEST_ANONYMOUS_GROUP) return [];
  const breakdown = [...groups.values()].sort(
    (a, b) => byCodePoint(a.site, b.site) || byCodePoint(a.role, b.role),
  );
  const safe = !pulse.anonymous || breakdown.every((g) => g.scores.length >= SMALLEST_ANONYMOUS_GROUP);
  const shown = [
    ...(safe ? breakdown : []),
    ...(all.length > 0
      ? [
          {
            role: safe ? "All staff" : "All staff (a group of fewer than three is not shown on its own)",
            site: "All sites",
            scores: all,
          },
        ]
      : []),
  ];
  return shown.map((g) => {
    const scores: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    for (const s of g.scores) scores[s - 1] = (scores[s - 1] ?? 0) + 1;
    return {
      pulseId: pulse.id,
      question: pulse.question,
      anonymous: pulse.anonymous,
      openedAt: pulse.openedAt,
      role: g.role,
      site: g.site,
      answers: g.scores.length,
      confidentPercent: Math.floor((g.scores.filter((s) => s >= 4).length * 100) / g.scores.length),
      scores,
    };
  });
}

function summaryPoints(model: EvidenceModel): string[] {
  const s = model.summary;
  const points: string[] = [];
  points.push(
    `${s.issuesRaised} issue${s.issuesRaised === 1 ? " was" : "s were"} raised in the period and ${s.issuesResolved} resolved; ${s.issuesOpenAtEnd} ${s.issuesOpenAtEnd === 1 ? "was" : "were"} still open at its end.`,
  );
  const controlled = model.issueTimes.reduce((n, t) => n + t.controlled, 0);
  const within = model.issueTimes.reduce((n, t) => n + t.controlsWithinTarget, 0);
  const target = model.issueTimes[0]?.controlTargetMinutes ?? 120;
  if (s.careImpacting > 0) {
    points.push(
      `Of the issues raised in the period, ${s.careImpacting} ${s.careImpacting === 1 ? "was" : "were"} care-impacting; ${controlled} had a temporary control recorded by a registered manager, ${within} of them within ${formatDuration(target)}.`,
    );
  }
  const goLive = model.decisions.filter((d) => d.state === "closed").at(-1);
  if (goLive?.outcome && goLive.tally) {
    points.push(
      `The board's go-live decision ${goLive.id}: ${goLive.outcome} (proceed ${goLive.tally.proceed}, delay ${goLive.tally.delay}, conditional ${goLive.tally.conditional}), with ${goLive.votes.length} recorded rationale${goLive.votes.length === 1 ? "" : "s"}.`,
    );
  }
  const openConditions = model.conditions.filter((c) => c.state === "open").length;
  if (model.conditions.length > 0) {
    points.push(
      `${model.conditions.length} condition${model.conditions.length === 1 ? "" : "s"} of approval, ${openConditions} still open.`,
    );
  }
  const decided = model.dailyDecisions.reduce((n, d) => n + d.decisions.length, 0);
  if (model.dailyDecisions.length > 0) {
    points.push(
      `${model.dailyDecisions.length} daily review${model.dailyDecisions.length === 1 ? " was" : "s were"} posted; the board recorded ${decided} decision${decided === 1 ? "" : "s"} on go-live support with a rationale.`,
    );
  }
  const lastAudit = model.audits.at(-1);
  if (lastAudit) {
    const unmet = lastAudit.measures.filter((m) => !m.met).map((m) => m.measure.toLowerCase());
    points.push(
      `${model.audits.length} audit${model.audits.length === 1 ? "" : "s"} recorded; the latest (${lastAudit.id}, ${lastAudit.site}) ${unmet.length === 0 ? "met every threshold" : `was below threshold for ${unmet.join(", ")}`}.`,
    );
  }
  const allStaff = model.confidence.filter((c) => c.role.startsWith("All staff")).at(-1);
  if (allStaff) {
    points.push(
      `Staff confidence in the latest pulse (${allStaff.pulseId}): ${allStaff.confidentPercent}% answered 4 or 5 of 5 (${allStaff.answers} answers; threshold ${model.confidenceThresholdPercent}%).`,
    );
  }
  const slt = model.sltDecisions.at(-1);
  if (slt) points.push(`The senior leadership team's latest decision: ${slt.choice}.`);
  if (s.refusals > 0) {
    points.push(
      `${s.refusals} attempt${s.refusals === 1 ? " was" : "s were"} refused (a role was missing, or the text held an NHS number) and logged.`,
    );
  }
  points.push(
    `Every figure here is rebuilt from the project's governance log (${model.chain.entries} entries, ${s.logEntriesInRange} in the period); manifest.json lets anyone check that no file has been altered.`,
  );
  return points;
}
