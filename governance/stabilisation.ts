import { z } from "zod";
import { CalendarDateSchema } from "./project.js";
import { PersonSchema } from "./roles.js";

/**
 * Stabilisation (domain page §4): audits of how the ECM is used, staff confidence, the risk log, the SLT's
 * decision to close, extend or transfer the go-live controls, and follow-up audits after it. Types, events and
 * how the events change the state; the rules are in stabilisationRules.ts.
 */

export const AUDIT_MEASURES = [
  "record-quality",
  "task-completion",
  "alerts-actioned",
  "care-plan-access",
  "incident-recording",
] as const;
export const AuditMeasureSchema = z.enum(AUDIT_MEASURES);
export type AuditMeasure = z.infer<typeof AuditMeasureSchema>;
export const MEASURE_TITLES: Record<AuditMeasure, string> = {
  "record-quality": "Record quality",
  "task-completion": "Task completion",
  "alerts-actioned": "Alerts actioned",
  "care-plan-access": "Care plan access",
  "incident-recording": "Incident recording",
};

const percent = z.number().int().min(1).max(100);
export const StabilisationThresholdsSchema = z.object({
  measures: z.object({
    "record-quality": percent,
    "task-completion": percent,
    "alerts-actioned": percent,
    "care-plan-access": percent,
    "incident-recording": percent,
  }),
  /** Staff confidence: the share of answers at 4 or 5 out of 5. */
  confidencePercent: percent,
  /** Months after close or transfer at which follow-up audits fall due. */
  followUpMonths: z.array(z.number().int().min(1).max(24)).min(1).max(6),
});
export type StabilisationThresholds = z.infer<typeof StabilisationThresholdsSchema>;

/**
 * Defaults: 95% for record quality, task completion, alerts actioned and incident recording (the figure the
 * readiness gate uses for training); 98% for care plan access (staff must reach the plan of the person in front
 * of them); 80% of staff confident (4 or 5 of 5); follow-up audits at 1, 3 and 6 months.
 */
export const DEFAULT_STABILISATION_THRESHOLDS: StabilisationThresholds = {
  measures: {
    "record-quality": 95,
    "task-completion": 95,
    "alerts-actioned": 95,
    "care-plan-access": 98,
    "incident-recording": 95,
  },
  confidencePercent: 80,
  followUpMonths: [1, 3, 6],
};

export const MeasureResultSchema = z
  .object({ checked: z.number().int().min(1).max(100_000), passed: z.number().int().min(0).max(100_000) })
  .refine((m) => m.passed <= m.checked, "passed cannot be more than checked");
export type MeasureResult = z.infer<typeof MeasureResultSchema>;

export const AuditSchema = z.object({
  id: z.string().max(12),
  site: z.string().max(80),
  kind: z.enum(["stabilisation", "follow-up"]),
  measures: z.object({
    "record-quality": MeasureResultSchema,
    "task-completion": MeasureResultSchema,
    "alerts-actioned": MeasureResultSchema,
    "care-plan-access": MeasureResultSchema,
    "incident-recording": MeasureResultSchema,
  }),
  notes: z.string().max(2_000),
  /** For a follow-up audit: is system use still accurate, consistent and embedded? */
  embedded: z.boolean().optional(),
  by: z.string().max(200),
  at: z.string().max(40),
});
export type Audit = z.infer<typeof AuditSchema>;

export const RiskSchema = z.object({
  id: z.string().max(12),
  text: z.string().max(1_000),
  owner: PersonSchema,
  likelihood: z.number().int().min(1).max(5),
  impact: z.number().int().min(1).max(5),
  reviewDate: CalendarDateSchema,
  state: z.enum(["open", "closed"]),
  evidence: z.string().max(2_000).optional(),
  raisedBy: z.string().max(200),
  raisedAt: z.string().max(40),
  closedAt: z.string().max(40).optional(),
});
export type Risk = z.infer<typeof RiskSchema>;

/** A pulse's answers, by role and site: counts per score (1–5). Who answered what is kept only when not anonymous. */
export const PulseSchema = z.object({
  id: z.string().max(12),
  anonymous: z.boolean(),
  question: z.string().max(300),
  openedBy: z.string().max(200),
  openedAt: z.string().max(40),
  /** One slot per respondent: their Entra id, or (anonymous) a keyed hash no stored data can turn back into them. */
  answers: z.array(
    z.object({
      slot: z.string().max(100),
      name: z.string().max(200).optional(),
      role: z.string().max(40),
      site: z.string().max(80),
      score: z.number().int().min(1).max(5),
      comment: z.string().max(500).optional(),
    }),
  ),
});
export type Pulse = z.infer<typeof PulseSchema>;

export const SLT_CHOICES = ["close", "extend", "transfer"] as const;
export const SltChoiceSchema = z.enum(SLT_CHOICES);
export type SltChoice = z.infer<typeof SltChoiceSchema>;
export const SLT_TITLES: Record<SltChoice, string> = {
  close: "Close the go-live controls",
  extend: "Extend stabilisation",
  transfer: "Transfer to routine governance",
};

export const SltDecisionSchema = z.object({
  choice: SltChoiceSchema,
  rationale: z.string().max(2_000),
  by: z.string().max(200),
  at: z.string().max(40),
  reviewDate: CalendarDateSchema.optional(),
  owner: PersonSchema.optional(),
});
export type SltDecision = z.infer<typeof SltDecisionSchema>;

export const FollowUpSchema = z.object({
  due: CalendarDateSchema,
  months: z.number().int(),
  auditId: z.string().max(12).optional(),
});
export type FollowUp = z.infer<typeof FollowUpSchema>;

export interface StabilisationState {
  thresholds: StabilisationThresholds;
  audits: Audit[];
  risks: Risk[];
  pulses: Pulse[];
  decisions: SltDecision[];
  followUps: FollowUp[];
  /** When stabilisation review is next due, set by an "extend". */
  reviewDate?: string;
}

export const EMPTY_STABILISATION: StabilisationState = {
  thresholds: DEFAULT_STABILISATION_THRESHOLDS,
  audits: [],
  risks: [],
  pulses: [],
  decisions: [],
  followUps: [],
};

const AuditInputSchema = AuditSchema.omit({ by: true, at: true });

export const STABILISATION_EVENT_SCHEMAS = [
  z.object({ kind: z.literal("audit.recorded"), audit: AuditInputSchema }),
  z.object({
    kind: z.literal("stabilisation.thresholds-changed"),
    before: StabilisationThresholdsSchema,
    after: StabilisationThresholdsSchema,
  }),
  z.object({
    kind: z.literal("risk.added"),
    risk: RiskSchema.omit({ state: true, evidence: true, raisedBy: true, raisedAt: true, closedAt: true }),
  }),
  z.object({
    kind: z.literal("risk.updated"),
    riskId: z.string().max(12),
    before: RiskSchema.pick({ owner: true, likelihood: true, impact: true, reviewDate: true }),
    after: RiskSchema.pick({ owner: true, likelihood: true, impact: true, reviewDate: true }),
  }),
  z.object({
    kind: z.literal("risk.closed"),
    riskId: z.string().max(12),
    evidence: z.string().trim().min(1).max(2_000),
  }),
  z.object({
    kind: z.literal("pulse.opened"),
    pulseId: z.string().max(12),
    anonymous: z.boolean(),
    question: z.string().max(300),
  }),
  z.object({
    kind: z.literal("pulse.answered"),
    pulseId: z.string().max(12),
    slot: z.string().max(100),
    /** Only when the pulse is not anonymous. */
    name: z.string().max(200).optional(),
    role: z.string().max(40),
    site: z.string().max(80),
    score: z.number().int().min(1).max(5),
    comment: z.string().max(500).optional(),
  }),
  z.object({
    kind: z.literal("slt.decided"),
    choice: SltChoiceSchema,
    rationale: z.string().trim().min(1).max(2_000),
    reviewDate: CalendarDateSchema.optional(),
    owner: PersonSchema.optional(),
    /** For close or transfer: the follow-up audits scheduled. */
    followUps: z.array(FollowUpSchema).max(6),
    /** The exit criteria as they stood, for the record. */
    exitCriteria: z.array(z.object({ criterion: z.string().max(300), met: z.boolean() })).max(20),
  }),
] as const;
export type StabilisationEvent = z.infer<(typeof STABILISATION_EVENT_SCHEMAS)[number]>;

export function applyStabilisationEvent(
  s: StabilisationState,
  event: StabilisationEvent,
  meta: { at: string; actor: { name: string } },
): StabilisationState {
  switch (event.kind) {
    case "audit.recorded": {
      const audit: Audit = { ...event.audit, by: meta.actor.name, at: meta.at };
      // A follow-up audit completes the earliest open follow-up that is due by a fortnight after it.
      const cutoff = new Date(Date.parse(meta.at) + 14 * 24 * 3_600_000).toISOString().slice(0, 10);
      const open = s.followUps.find((x) => !x.auditId && x.due <= cutoff);
      const followUps = s.followUps.map((f) =>
        event.audit.kind === "follow-up" && f === open ? { ...f, auditId: audit.id } : f,
      );
      return { ...s, audits: [...s.audits, audit], followUps };
    }
    case "stabilisation.thresholds-changed":
      return { ...s, thresholds: event.after };
    case "risk.added":
      return {
        ...s,
        risks: [...s.risks, { ...event.risk, state: "open", raisedBy: meta.actor.name, raisedAt: meta.at }],
      };
    case "risk.updated":
      return { ...s, risks: s.risks.map((r) => (r.id === event.riskId ? { ...r, ...event.after } : r)) };
    case "risk.closed":
      return {
        ...s,
        risks: s.risks.map((r) =>
          r.id === event.riskId ? { ...r, state: "closed", evidence: event.evidence, closedAt: meta.at } : r,
        ),
      };
    case "pulse.opened":
      return {
        ...s,
        pulses: [
          ...s.pulses,
          {
            id: event.pulseId,
            anonymous: event.anonymous,
            question: event.question,
            openedBy: meta.actor.name,
            openedAt: meta.at,
            answers: [],
          },
        ],
      };
    case "pulse.answered":
      return {
        ...s,
        pulses: s.pulses.map((p) =>
          p.id === event.pulseId
            ? {
                ...p,
                // One answer per respondent: a second replaces the first.
                answers: [
                  ...p.answers.filter((a) => a.slot !== event.slot),
                  {
                    slot: event.slot,
                    ...(event.name !== undefined ? { name: event.name } : {}),
                    role: event.role,
                    site: event.site,
                    score: event.score,
                    ...(event.comment !== undefined ? { comment: event.comment } : {}),
                  },
                ],
              }
            : p,
        ),
      };
    case "slt.decided":
      return {
        ...s,
        decisions: [
          ...s.decisions,
          {
            choice: event.choice,
            rationale: event.rationale,
            by: meta.actor.name,
            at: meta.at,
            ...(event.reviewDate ? { reviewDate: event.reviewDate } : {}),
            ...(event.owner ? { owner: event.owner } : {}),
          },
        ].slice(-8), // the newest eight on the record (under 32K characters); the log keeps all
        followUps: event.followUps.length > 0 ? event.followUps : s.followUps,
        ...(event.reviewDate ? { reviewDate: event.reviewDate } : {}),
      };
  }
}
