import { z } from "zod";
import { type BoardDecision, BoardDecisionSchema, type Condition, ConditionSchema } from "./boardDecision.js";
import {
  type CommandLogState,
  DayStatsSchema,
  EMPTY_COMMAND_LOG,
  IssueTargetsSchema,
  isIssueEvent,
} from "./commandLog.js";
import { trainingKey } from "./decisions.js";
import type { GovernanceEvent } from "./events.js";
import {
  AssuranceRecordSchema,
  EMPTY_READINESS,
  ReadinessItemSchema,
  type ReadinessState,
  ReadinessThresholdsSchema,
  StampSchema,
  SupportPlanSchema,
  TrainingRecordSchema,
} from "./readiness.js";
import { type ReviewRun, ReviewRunSchema } from "./reviewRuns.js";
import {
  AuditSchema,
  EMPTY_STABILISATION,
  FollowUpSchema,
  PulseSchema,
  RiskSchema,
  SltDecisionSchema,
  type StabilisationState,
  StabilisationThresholdsSchema,
} from "./stabilisation.js";

/**
 * The parts of a project's state kept as documents (one stored row each): a collection, an id within it, and
 * the data. Adding a kind of record to the state is adding a collection here; the store needs no change.
 */
export interface StateDocument {
  collection: string;
  id: string;
  data: unknown;
}

const stamped = <T extends z.ZodTypeAny>(schema: T) =>
  z.intersection(schema, z.object({ updated: StampSchema }));

const COLLECTIONS = {
  training: stamped(TrainingRecordSchema),
  assurance: stamped(AssuranceRecordSchema),
  "support-plan": stamped(SupportPlanSchema),
  "readiness-item": stamped(ReadinessItemSchema),
  "readiness-thresholds": ReadinessThresholdsSchema,
  decision: BoardDecisionSchema,
  condition: ConditionSchema,
  "command-log": z.object({ raised: z.number().int().min(0) }),
  "issue-targets": IssueTargetsSchema,
  "high-risk-issue": z.object({ id: z.string().max(12), summary: z.string().max(200) }),
  "issue-days": z.object({ days: z.array(DayStatsSchema) }),
  "review-run": ReviewRunSchema,
  "stabilisation-thresholds": StabilisationThresholdsSchema,
  audit: AuditSchema,
  risk: RiskSchema,
  pulse: PulseSchema,
  "stabilisation-status": z.object({
    decisions: z.array(SltDecisionSchema),
    followUps: z.array(FollowUpSchema),
    reviewDate: z.string().max(10).optional(),
  }),
} as const;
type Collection = keyof typeof COLLECTIONS;

export function documentsOf({
  readiness,
  decisions,
  conditions,
  commandLog,
  reviews,
  stabilisation,
}: {
  readiness: ReadinessState;
  decisions: readonly BoardDecision[];
  conditions: readonly Condition[];
  commandLog: CommandLogState;
  reviews: readonly ReviewRun[];
  stabilisation: StabilisationState;
}): StateDocument[] {
  const docs: StateDocument[] = [
    ...readiness.training.map((t) => ({ collection: "training", id: trainingKey(t), data: t })),
    ...readiness.assurance.map((a) => ({ collection: "assurance", id: a.recordType, data: a })),
    ...readiness.items.map((i) => ({ collection: "readiness-item", id: i.area, data: i })),
    { collection: "readiness-thresholds", id: "thresholds", data: readiness.thresholds },
  ];
  if (readiness.supportPlan)
    docs.push({ collection: "support-plan", id: "plan", data: readiness.supportPlan });
  for (const d of decisions) docs.push({ collection: "decision", id: d.id, data: d });
  for (const c of conditions) docs.push({ collection: "condition", id: c.id, data: c });
  // Written once the command log is used, so a project that never raised an issue keeps no rows for it.
  if (commandLog.raised > 0)
    docs.push({ collection: "command-log", id: "counter", data: { raised: commandLog.raised } });
  if (commandLog.targets !== EMPTY_COMMAND_LOG.targets)
    docs.push({ collection: "issue-targets", id: "targets", data: commandLog.targets });
  for (const h of commandLog.highRisk) docs.push({ collection: "high-risk-issue", id: h.id, data: h });
  if (commandLog.days.length > 0)
    docs.push({ collection: "issue-days", id: "recent", data: { days: commandLog.days } });
  for (const run of reviews) docs.push({ collection: "review-run", id: run.review, data: run });
  const s = stabilisation;
  if (s.thresholds !== EMPTY_STABILISATION.thresholds)
    docs.push({ collection: "stabilisation-thresholds", id: "thresholds", data: s.thresholds });
  for (const a of s.audits) docs.push({ collection: "audit", id: a.id, data: a });
  for (const r of s.risks) docs.push({ collection: "risk", id: r.id, data: r });
  for (const p of s.pulses) docs.push({ collection: "pulse", id: p.id, data: p });
  if (s.decisions.length > 0 || s.followUps.length > 0 || s.reviewDate !== undefined) {
    docs.push({
      collection: "stabilisation-status",
      id: "status",
      data: {
        decisions: s.decisions,
        followUps: s.followUps,
        ...(s.reviewDate !== undefined ? { reviewDate: s.reviewDate } : {}),
      },
    });
  }
  return docs;
}

/** Reads the documents back; one that does not parse is an error, never silently skipped. */
export function stateFromDocuments(docs: readonly StateDocument[]): {
  readiness: ReadinessState;
  decisions: BoardDecision[];
  conditions: Condition[];
  commandLog: CommandLogState;
  reviews: ReviewRun[];
  stabilisation: StabilisationState;
} {
  const readiness: ReadinessState = { ...EMPTY_READINESS, training: [], assurance: [], items: [] };
  const decisions: BoardDecision[] = [];
  const conditions: Condition[] = [];
  const commandLog: CommandLogState = { ...EMPTY_COMMAND_LOG, highRisk: [], days: [] };
  const reviews: ReviewRun[] = [];
  const stabilisation: StabilisationState = { ...EMPTY_STABILISATION, audits: [], risks: [], pulses: [] };
  for (const doc of docs) {
    switch (doc.collection as Collection) {
      case "training":
        readiness.training.push(COLLECTIONS.training.parse(doc.data));
        break;
      case "assurance":
        readiness.assurance.push(COLLECTIONS.assurance.parse(doc.data));
        break;
      case "support-plan":
        readiness.supportPlan = COLLECTIONS["support-plan"].parse(doc.data);
        break;
      case "readiness-item":
        readiness.items.push(COLLECTIONS["readiness-item"].parse(doc.data));
        break;
      case "readiness-thresholds":
        readiness.thresholds = COLLECTIONS["readiness-thresholds"].parse(doc.data);
        break;
      case "decision":
        decisions.push(COLLECTIONS.decision.parse(doc.data));
        break;
      case "condition":
        conditions.push(COLLECTIONS.condition.parse(doc.data));
        break;
      case "command-log":
        commandLog.raised = COLLECTIONS["command-log"].parse(doc.data).raised;
        break;
      case "issue-targets":
        commandLog.targets = COLLECTIONS["issue-targets"].parse(doc.data);
        break;
      case "high-risk-issue":
        commandLog.highRisk.push(COLLECTIONS["high-risk-issue"].parse(doc.data));
        break;
      case "issue-days":
        commandLog.days = COLLECTIONS["issue-days"].parse(doc.data).days;
        break;
      case "review-run":
        reviews.push(COLLECTIONS["review-run"].parse(doc.data));
        break;
      case "stabilisation-thresholds":
        stabilisation.thresholds = COLLECTIONS["stabilisation-thresholds"].parse(doc.data);
        break;
      case "audit":
        stabilisation.audits.push(COLLECTIONS.audit.parse(doc.data));
        break;
      case "risk":
        stabilisation.risks.push(COLLECTIONS.risk.parse(doc.data));
        break;
      case "pulse":
        stabilisation.pulses.push(COLLECTIONS.pulse.parse(doc.data));
        break;
      case "stabilisation-status": {
        const status = COLLECTIONS["stabilisation-status"].parse(doc.data);
        stabilisation.decisions = status.decisions;
        stabilisation.followUps = status.followUps;
        if (status.reviewDate !== undefined) stabilisation.reviewDate = status.reviewDate;
        break;
      }
      default:
        throw new Error(`Unknown state collection "${doc.collection}".`);
    }
  }
  // Ids count up (D1, D2…; C1, C2…): their order is the order they were made.
  const byNumber = (a: { id: string }, b: { id: string }) => Number(a.id.slice(1)) - Number(b.id.slice(1));
  commandLog.highRisk.sort((a, b) => Number(a.id.slice(3)) - Number(b.id.slice(3)));
  return {
    readiness,
    decisions: decisions.sort(byNumber),
    conditions: conditions.sort(byNumber),
    commandLog,
    reviews: reviews.sort((a, b) => a.review.localeCompare(b.review)),
    stabilisation: {
      ...stabilisation,
      audits: stabilisation.audits.sort(byNumber),
      risks: stabilisation.risks.sort(byNumber),
      pulses: stabilisation.pulses.sort(byNumber),
    },
  };
}

/** The documents an event can change. */
export function documentsTouchedBy(event: GovernanceEvent): Array<{ collection: string; id: string }> {
  switch (event.kind) {
    case "project.created":
      return [{ collection: "readiness-thresholds", id: "thresholds" }];
    case "readiness.training-recorded":
      return [{ collection: "training", id: trainingKey(event.record) }];
    case "readiness.assurance-recorded":
      return [{ collection: "assurance", id: event.record.recordType }];
    case "readiness.support-plan-recorded":
      return [{ collection: "support-plan", id: "plan" }];
    case "readiness.item-recorded":
      return [{ collection: "readiness-item", id: event.item.area }];
    case "readiness.thresholds-changed":
      return [{ collection: "readiness-thresholds", id: "thresholds" }];
    case "decision.opened":
    case "decision.card-posted":
    case "decision.vote-cast":
      return [{ collection: "decision", id: event.decisionId }];
    case "decision.closed":
      return [
        { collection: "decision", id: event.decisionId },
        ...event.conditions.map((c) => ({ collection: "condition", id: c.id })),
      ];
    case "condition.met":
    case "condition.waived":
      return [{ collection: "condition", id: event.conditionId }];
    case "issue.targets-changed":
      return [{ collection: "issue-targets", id: "targets" }];
    default:
      // An issue's own record is kept outside the state; the counter and the gate's list are in it.
      if (isIssueEvent(event)) {
        return [
          ...(event.kind === "issue.raised" ? [{ collection: "command-log", id: "counter" }] : []),
          ...(event.kind === "issue.raised" || event.kind === "issue.resolved"
            ? [{ collection: "issue-days", id: "recent" }]
            : []),
          { collection: "high-risk-issue", id: event.issueId },
        ];
      }
      if (event.kind === "audit.recorded") {
        return [
          { collection: "audit", id: event.audit.id },
          { collection: "stabilisation-status", id: "status" },
        ];
      }
      if (event.kind === "stabilisation.thresholds-changed")
        return [{ collection: "stabilisation-thresholds", id: "thresholds" }];
      if (event.kind === "risk.added") return [{ collection: "risk", id: event.risk.id }];
      if (event.kind === "risk.updated" || event.kind === "risk.closed")
        return [{ collection: "risk", id: event.riskId }];
      if (event.kind === "pulse.opened" || event.kind === "pulse.answered")
        return [{ collection: "pulse", id: event.pulseId }];
      if (event.kind === "slt.decided") return [{ collection: "stabilisation-status", id: "status" }];
      if (event.kind.startsWith("review.") || event.kind === "support.decided") {
        return [{ collection: "review-run", id: (event as { review: string }).review }];
      }
      return [];
  }
}
