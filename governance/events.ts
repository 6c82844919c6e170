import { z } from "zod";
import { MinutesSchema, ProposedConditionSchema, VoteSchema } from "./boardDecision.js";
import { ISSUE_EVENT_SCHEMAS } from "./commandLog.js";
import {
  CalendarDateSchema,
  ChannelBindingSchema,
  PhaseSchema,
  ProjectNameSchema,
  ProjectSettingsSchema,
} from "./project.js";
import {
  AssuranceRecordSchema,
  ReadinessItemSchema,
  ReadinessThresholdsSchema,
  SupportPlanSchema,
  TrainingRecordSchema,
} from "./readiness.js";
import { REVIEW_EVENT_SCHEMAS } from "./reviewRuns.js";
import { PersonSchema, RoleAssignmentSchema, RoleSchema } from "./roles.js";
import { STABILISATION_EVENT_SCHEMAS } from "./stabilisation.js";

/**
 * Everything that can happen to a project, as it is written in the governance log. Each log entry holds one or
 * more of these; the projected rows are derived from them. Adding a kind here is adding a word to the log's
 * vocabulary: old entries must always stay readable, so never change the meaning of an existing kind.
 */
export const GovernanceEventSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("project.created"),
    projectId: z.string(),
    name: ProjectNameSchema,
    binding: ChannelBindingSchema,
    phase: PhaseSchema,
    settings: ProjectSettingsSchema,
  }),
  z.object({
    kind: z.literal("project.settings-changed"),
    before: ProjectSettingsSchema,
    after: ProjectSettingsSchema,
  }),
  z.object({ kind: z.literal("role.assigned"), assignment: RoleAssignmentSchema }),
  z.object({ kind: z.literal("role.removed"), assignment: RoleAssignmentSchema }),
  z.object({
    kind: z.literal("readiness.training-recorded"),
    record: TrainingRecordSchema,
    before: TrainingRecordSchema.optional(),
  }),
  z.object({
    kind: z.literal("readiness.assurance-recorded"),
    record: AssuranceRecordSchema,
    before: AssuranceRecordSchema.optional(),
  }),
  z.object({
    kind: z.literal("readiness.support-plan-recorded"),
    plan: SupportPlanSchema,
    before: SupportPlanSchema.optional(),
  }),
  z.object({
    kind: z.literal("readiness.item-recorded"),
    item: ReadinessItemSchema,
    before: ReadinessItemSchema.optional(),
  }),
  z.object({
    kind: z.literal("readiness.thresholds-changed"),
    before: ReadinessThresholdsSchema,
    after: ReadinessThresholdsSchema,
  }),
  z.object({ kind: z.literal("decision.opened"), decisionId: z.string().max(20), openedBy: PersonSchema }),
  z.object({
    kind: z.literal("decision.card-posted"),
    decisionId: z.string().max(20),
    activityId: z.string().max(500),
    conversationId: z.string().max(500),
  }),
  z.object({
    kind: z.literal("decision.vote-cast"),
    decisionId: z.string().max(20),
    vote: VoteSchema.omit({ at: true }),
    previous: VoteSchema.optional(),
  }),
  z.object({
    kind: z.literal("decision.closed"),
    decisionId: z.string().max(20),
    minutes: MinutesSchema.omit({ closedAt: true }),
    /** The conditions adopted, with the ids they are tracked by. */
    conditions: z.array(
      ProposedConditionSchema.extend({ id: z.string().max(20), blockerReason: z.string().max(1_000) }),
    ),
  }),
  z.object({
    kind: z.literal("project.phase-changed"),
    from: PhaseSchema,
    to: PhaseSchema,
    /** For a go-live decision: the date the project goes live. */
    effectiveFrom: CalendarDateSchema.optional(),
    reason: z.string().max(500),
  }),
  z.object({
    kind: z.literal("condition.met"),
    conditionId: z.string().max(20),
    evidence: z.string().trim().min(1).max(2_000),
  }),
  z.object({
    kind: z.literal("condition.waived"),
    conditionId: z.string().max(20),
    reason: z.string().trim().min(1).max(2_000),
  }),
  z.object({
    kind: z.literal("access.refused"),
    reason: z.string().max(500),
    /** What the refused person tried, in a few words (never the text they typed). */
    attempted: z.string().max(100),
    tenantId: z.string().max(100).optional(),
  }),
  /** Text refused because it held an NHS number. Neither the text nor the number is kept: only that it happened. */
  z.object({ kind: z.literal("personal-data.refused"), attempted: z.string().max(100) }),
  /**
   * An evidence pack was produced (each export is a read of the log, and is logged): the range it covers, the
   * chain head it was built at, and the SHA-256 of its manifest — so the pack handed over can be matched to
   * this entry months later.
   */
  z.object({
    kind: z.literal("evidence.exported"),
    from: CalendarDateSchema,
    to: CalendarDateSchema,
    headSeq: z.number().int().min(0),
    headHash: z.string().length(64),
    manifestSha256: z.string().length(64),
    files: z.number().int().min(0),
    bytes: z.number().int().min(0),
    /** Where it went: Blob Storage (a link was given) or a folder (the command line). */
    destination: z.enum(["blob-storage", "folder"]),
  }),
  ...ISSUE_EVENT_SCHEMAS,
  ...REVIEW_EVENT_SCHEMAS,
  ...STABILISATION_EVENT_SCHEMAS,
]);
export type GovernanceEvent = z.infer<typeof GovernanceEventSchema>;

/** Who did it: the person (or the scheduler) behind a change. */
export const ActorSchema = z.object({
  objectId: z.string().max(100),
  name: z.string().max(200),
  tenantId: z.string().max(100).optional(),
});
export type Actor = z.infer<typeof ActorSchema>;

export { PersonSchema, RoleSchema };
