import { z } from "zod";
import { type BoardDecision, BoardDecisionSchema, type Condition, ConditionSchema } from "./boardDecision.js";
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
} as const;
type Collection = keyof typeof COLLECTIONS;

export function documentsOf(
  readiness: ReadinessState,
  decisions: readonly BoardDecision[] = [],
  conditions: readonly Condition[] = [],
): StateDocument[] {
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
  return docs;
}

/** Reads the documents back; one that does not parse is an error, never silently skipped. */
export function stateFromDocuments(docs: readonly StateDocument[]): {
  readiness: ReadinessState;
  decisions: BoardDecision[];
  conditions: Condition[];
} {
  const readiness: ReadinessState = { ...EMPTY_READINESS, training: [], assurance: [], items: [] };
  const decisions: BoardDecision[] = [];
  const conditions: Condition[] = [];
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
      default:
        throw new Error(`Unknown state collection "${doc.collection}".`);
    }
  }
  // Ids count up (D1, D2…; C1, C2…): their order is the order they were made.
  const byNumber = (a: { id: string }, b: { id: string }) => Number(a.id.slice(1)) - Number(b.id.slice(1));
  return { readiness, decisions: decisions.sort(byNumber), conditions: conditions.sort(byNumber) };
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
    default:
      return [];
  }
}
