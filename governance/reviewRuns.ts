import { z } from "zod";
import { SUPPORT_CHOICES, type SupportChoice } from "./digestTypes.js";
import { PersonSchema } from "./roles.js";

/**
 * Scheduled reviews as the governance log records them: a review is claimed for its period before it is posted
 * (so two dispatcher runs for the same morning post one digest), then recorded as posted — with what it said —
 * or as failed (so the next tick tries again). The board's decision on a digest is recorded against it.
 */
export const REVIEWS = ["daily-digest", "stabilisation-review"] as const;
export const ReviewSchema = z.enum(REVIEWS);
export type Review = z.infer<typeof ReviewSchema>;

const ChoiceSchema = z.enum(SUPPORT_CHOICES as [SupportChoice, ...SupportChoice[]]);
const PeriodSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const ReviewRunSchema = z.object({
  review: ReviewSchema,
  period: PeriodSchema,
  state: z.enum(["claimed", "posted", "failed"]),
  claimedAt: z.string().max(40),
  postedAt: z.string().max(40).optional(),
  activityId: z.string().max(500).optional(),
  conversationId: z.string().max(500).optional(),
  failures: z.number().int().min(0),
  recommendation: z.object({ choice: ChoiceSchema, rule: z.string().max(1_000) }).optional(),
  decisions: z.array(
    z.object({
      by: z.string().max(200),
      choice: ChoiceSchema,
      rationale: z.string().max(2_000),
      at: z.string().max(40),
    }),
  ),
});
export type ReviewRun = z.infer<typeof ReviewRunSchema>;

export const REVIEW_EVENT_SCHEMAS = [
  z.object({ kind: z.literal("review.claimed"), review: ReviewSchema, period: PeriodSchema }),
  z.object({
    kind: z.literal("review.posted"),
    review: ReviewSchema,
    period: PeriodSchema,
    activityId: z.string().max(500),
    conversationId: z.string().max(500),
    /** What a digest said, for the evidence pack: its counts, triggers and recommendation. */
    counts: z
      .object({
        new: z.number().int(),
        open: z.number().int(),
        resolved: z.number().int(),
        awaitingVerification: z.number().int(),
      })
      .optional(),
    triggers: z
      .array(z.object({ kind: z.string().max(40), items: z.number().int() }))
      .max(50)
      .optional(),
    recommendation: z.object({ choice: ChoiceSchema, rule: z.string().max(1_000) }).optional(),
    /** What a stabilisation review said: its exit criteria, met or not. */
    exitCriteria: z
      .array(z.object({ criterion: z.string().max(300), met: z.boolean() }))
      .max(20)
      .optional(),
  }),
  z.object({
    kind: z.literal("review.failed"),
    review: ReviewSchema,
    period: PeriodSchema,
    reason: z.string().max(300),
  }),
  z.object({
    kind: z.literal("support.decided"),
    review: ReviewSchema,
    period: PeriodSchema,
    choice: ChoiceSchema,
    rationale: z.string().trim().min(1).max(2_000),
    recommended: ChoiceSchema,
  }),
  z.object({
    kind: z.literal("reminder.sent"),
    reminder: z.string().max(40),
    /** The issue or condition the reminder is about. */
    subject: z.string().max(20),
    to: z.array(PersonSchema).max(20),
  }),
  z.object({ kind: z.literal("channel.blocked"), detail: z.string().max(300) }),
] as const;
export type ReviewEvent = z.infer<(typeof REVIEW_EVENT_SCHEMAS)[number]>;

/** How a review event changes the runs (one per review, the latest period's). */
export function applyReviewEvent(
  runs: readonly ReviewRun[],
  event: ReviewEvent,
  meta: { at: string; actor: { name: string } },
): ReviewRun[] {
  if (!("review" in event)) return [...runs];
  const current = runs.find((r) => r.review === event.review);
  const others = runs.filter((r) => r.review !== event.review);
  const samePeriod = current?.period === event.period ? current : undefined;
  let next: ReviewRun | undefined = current;
  switch (event.kind) {
    case "review.claimed":
      next = {
        review: event.review,
        period: event.period,
        state: "claimed",
        claimedAt: meta.at,
        failures: samePeriod?.failures ?? 0,
        decisions: samePeriod?.decisions ?? [],
      };
      break;
    case "review.posted":
      next = {
        ...(samePeriod ?? {
          review: event.review,
          period: event.period,
          claimedAt: meta.at,
          failures: 0,
          decisions: [],
        }),
        state: "posted",
        postedAt: meta.at,
        activityId: event.activityId,
        conversationId: event.conversationId,
        ...(event.recommendation ? { recommendation: event.recommendation } : {}),
      };
      break;
    case "review.failed":
      if (samePeriod) next = { ...samePeriod, state: "failed", failures: samePeriod.failures + 1 };
      break;
    case "support.decided":
      if (samePeriod) {
        next = {
          ...samePeriod,
          decisions: [
            ...samePeriod.decisions,
            { by: meta.actor.name, choice: event.choice, rationale: event.rationale, at: meta.at },
            // The newest ten stay on the run's record (under 32K characters); the log keeps every one.
          ].slice(-10),
        };
      }
      break;
  }
  return next ? [...others, next].sort((a, b) => a.review.localeCompare(b.review)) : [...others];
}

/** A claim older than this without a post is taken to have failed (the process stopped): it may be claimed again. */
export const CLAIM_EXPIRES_MS = 10 * 60_000;

/**
 * Whether a review for `period` should run now: not once it is posted, nor while another run's claim is fresh;
 * a newer period replaces an older one. Pure: the dispatcher asks, the claim itself is the log's change.
 */
export function reviewToRun(
  runs: readonly ReviewRun[],
  review: Review,
  period: string,
  now: Date,
): "run" | "posted" | "in-progress" | "older" {
  const run = runs.find((r) => r.review === review);
  if (!run || run.period < period) return "run";
  if (run.period > period) return "older";
  if (run.state === "posted") return "posted";
  if (run.state === "claimed" && now.getTime() - Date.parse(run.claimedAt) < CLAIM_EXPIRES_MS) {
    return "in-progress";
  }
  return "run";
}

/** The board's decision on a posted digest: board members only, with a rationale, on that digest's period. */
export function decideSupport(
  state: {
    reviews: readonly ReviewRun[];
    roles: ReadonlyArray<{ role: string; person: { objectId: string } }>;
  },
  actor: { objectId: string },
  request: { period: string; choice: SupportChoice; rationale: string },
):
  | { outcome: "record"; events: ReviewEvent[] }
  | { outcome: "refused"; message: string; neededRole?: "board-member" } {
  const me = actor.objectId.toLowerCase();
  const board = state.roles.some(
    (a) => (a.role === "board-member" || a.role === "board-chair") && a.person.objectId === me,
  );
  if (!board) {
    return {
      outcome: "refused",
      neededRole: "board-member",
      message: "Only project board members record the board's decision on go-live support.",
    };
  }
  const run = state.reviews.find((r) => r.review === "daily-digest");
  if (!run || run.period !== request.period || run.state !== "posted" || !run.recommendation) {
    return {
      outcome: "refused",
      message: "This is not the latest posted digest: record the decision on the newest one (type digest).",
    };
  }
  const rationale = request.rationale.trim();
  if (rationale === "" || rationale.length > 2_000) {
    return {
      outcome: "refused",
      message: "Give the rationale (at most 2,000 characters): it is kept with the decision.",
    };
  }
  return {
    outcome: "record",
    events: [
      {
        kind: "support.decided",
        review: "daily-digest",
        period: request.period,
        choice: request.choice,
        rationale,
        recommended: run.recommendation.choice,
      },
    ],
  };
}
