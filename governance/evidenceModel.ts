import type { IssueFigures } from "./stabilisationReport.js";

/**
 * What an evidence pack says (domain page §5), as plain data: built from the governance log by
 * `evidencePack.ts`, printed by `evidenceHtml.ts` and written as CSV. Every field is text or numbers a person
 * reads; times are ISO instants, dates are the project's local calendar dates.
 */

/** The local calendar dates a pack covers, both included, in the project's time zone. */
export interface EvidenceRange {
  from: string;
  to: string;
  timeZone: string;
}

export interface TimelineRow {
  at: string;
  /** e.g. "Phase", "Board decision", "Condition", "SLT decision", "Support decision", "Evidence exported". */
  kind: string;
  what: string;
  by: string;
}

export interface BoardDecisionRow {
  id: string;
  openedAt: string;
  openedBy: string;
  state: "open" | "closed";
  closedAt?: string;
  closedBy?: string;
  outcome?: string;
  tally?: { proceed: number; delay: number; conditional: number };
  goLiveDate?: string;
  newDate?: string;
  boardMembers: string[];
  votes: Array<{ voter: string; choice: string; rationale: string; at: string }>;
  blockers: Array<{ area: string; reason: string; evidence: string }>;
  /** The readiness checklist as it stood when the decision closed, area by area. */
  readinessEvidence: Array<{ area: string; rag: string; evidence: string }>;
  /** True when the decision was taken before the pack's range (shown because it governs the period). */
  beforeRange: boolean;
}

export interface ConditionRow {
  id: string;
  decisionId: string;
  text: string;
  blocker: string;
  owner: string;
  due: string;
  state: "open" | "met" | "waived";
  evidence?: string;
  closedBy?: string;
  closedAt?: string;
}

export interface TrainingRow {
  site: string;
  staffRole: string;
  staff: number;
  completed: number;
  confident: number;
  completionPercent: number;
  confidencePercent: number;
  meetsThreshold: boolean;
  gaps: string;
  updatedBy: string;
  updatedAt: string;
}

export interface AssuranceRow {
  recordType: string;
  sampleSize: number;
  checked: number;
  discrepancies: number;
  critical: number;
  signedOff: boolean;
  note: string;
  updatedBy: string;
  updatedAt: string;
}

export interface ChecklistRow {
  area: string;
  rag: string;
  owner: string;
  evidence: string;
  note: string;
  updatedBy: string;
  updatedAt: string;
}

export interface SupportPlanView {
  escalationRoutes: string;
  supplierContact: string;
  onSiteCover: string;
  responsibleLeads: Array<{ site: string; lead: string }>;
  updatedBy: string;
  updatedAt: string;
}

/** One issue of the command log as it stood at the end of the range. */
export interface CommandLogRow {
  id: string;
  number: number;
  raisedAt: string;
  raisedBy: string;
  type: string;
  priority: string;
  site: string;
  theme: string;
  careImpacting: boolean;
  unsafeWorkaround: boolean;
  description: string;
  owner: string;
  status: string;
  firstResponseAt?: string;
  /** When it became care-impacting: the temporary-control clock starts here. */
  careMarkedAt?: string;
  firstControlAt?: string;
  minutesToControl?: number;
  controls: number;
  resolvedAt?: string;
  resolvedBy?: string;
  minutesToClosure?: number;
  closureEvidence?: string;
  verifiedBy?: string;
  verifiedAt?: string;
  reopened: number;
}

export interface ControlRow {
  issueId: string;
  priority: string;
  site: string;
  kind: string;
  text: string;
  by: string;
  at: string;
  /** Minutes from the issue becoming care-impacting to this control. */
  minutesAfterCareImpacting?: number;
}

/** Time to temporary control and time to closure, for one priority. */
export interface IssueTimesRow {
  priority: string;
  issues: number;
  careImpacting: number;
  controlled: number;
  medianMinutesToControl?: number;
  worstMinutesToControl?: number;
  /** Controls recorded within the target (default 2 hours). */
  controlsWithinTarget: number;
  controlTargetMinutes: number;
  resolved: number;
  medianMinutesToClosure?: number;
  worstMinutesToClosure?: number;
  resolvedWithinTarget: number;
  resolutionTargetMinutes: number;
}

export interface DailyDecisionRow {
  period: string;
  review: string;
  postedAt: string;
  newIssues?: number;
  openIssues?: number;
  resolvedIssues?: number;
  triggers: string;
  recommendation: string;
  rule: string;
  decisions: Array<{ by: string; choice: string; rationale: string; at: string }>;
}

export interface AuditRow {
  id: string;
  site: string;
  kind: string;
  at: string;
  by: string;
  measures: Array<{
    measure: string;
    checked: number;
    passed: number;
    percent: number;
    threshold: number;
    met: boolean;
  }>;
  notes: string;
  embedded?: boolean;
}

export interface ConfidenceRow {
  pulseId: string;
  question: string;
  anonymous: boolean;
  openedAt: string;
  role: string;
  site: string;
  answers: number;
  /** Answers scoring 4 or 5 ("confident"), as a percentage. */
  confidentPercent: number;
  /** Answers per score 1..5. */
  scores: [number, number, number, number, number];
}

export interface RiskRow {
  id: string;
  text: string;
  owner: string;
  likelihood: number;
  impact: number;
  score: number;
  reviewDate: string;
  state: string;
  raisedBy: string;
  raisedAt: string;
  closedAt?: string;
  evidence?: string;
}

export interface SltDecisionRow {
  at: string;
  by: string;
  choice: string;
  rationale: string;
  reviewDate?: string;
  exitCriteria: Array<{ criterion: string; met: boolean }>;
}

export interface FollowUpRow {
  due: string;
  months: number;
  auditId?: string;
  state: "done" | "due" | "overdue";
}

/** Issues raised and resolved per local day of the range (for the chart). */
export interface DayRow {
  date: string;
  raised: number;
  resolved: number;
}

export interface EvidenceModel {
  project: {
    id: string;
    name: string;
    sites: string[];
    phase: string;
    liveFrom?: string;
    goLiveDate?: string;
  };
  range: EvidenceRange;
  producedAt: string;
  producedBy: string;
  chain: { entries: number; headSeq: number; headHash: string };
  summary: {
    /** Plain sentences for the first page: what happened in the period. */
    points: string[];
    issuesRaised: number;
    issuesResolved: number;
    issuesOpenAtEnd: number;
    careImpacting: number;
    controlsRecorded: number;
    /** Refusals logged in the period (roles and personal data): the log shows who tried what. */
    refusals: number;
    logEntriesInRange: number;
  };
  /** The timeline as printed (capped); `timelineTotal` says how many timeline.csv holds. */
  timeline: TimelineRow[];
  timelineTotal?: number;
  decisions: BoardDecisionRow[];
  conditions: ConditionRow[];
  checklist: ChecklistRow[];
  supportPlan?: SupportPlanView;
  training: TrainingRow[];
  trainingThresholdPercent: number;
  assurance: AssuranceRow[];
  /** The command log (issues active in the range), capped for print; the CSV has every one. */
  commandLog: CommandLogRow[];
  commandLogTotal: number;
  controls: ControlRow[];
  controlsTotal: number;
  issueTimes: IssueTimesRow[];
  days: DayRow[];
  dailyDecisions: DailyDecisionRow[];
  audits: AuditRow[];
  confidence: ConfidenceRow[];
  confidenceThresholdPercent: number;
  risks: RiskRow[];
  stabilisationReport?: {
    openIssues: number;
    atGoLive: ReportFigures;
    recently: ReportFigures;
    criteria: Array<{ criterion: string; met: boolean; detail: string }>;
  };
  sltDecisions: SltDecisionRow[];
  followUps: FollowUpRow[];
  /** Which CQC quality statements and commissioner questions each section supports. */
  mapping: EvidenceMappingRow[];
  /** The machine-readable files of the pack, for the HTML's "files in this pack" list. */
  files: Array<{ name: string; holds: string }>;
}

/** The stabilisation report's figures for one stretch of time (as the report builds them). */
export type ReportFigures = IssueFigures;

export interface EvidenceMappingRow {
  /** The heading of the section in index.html (its anchor is `#` + sectionId). */
  section: string;
  sectionId: string;
  file: string;
  cqc: string[];
  commissioner: string[];
}
