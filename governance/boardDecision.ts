import { z } from "zod";
import { CalendarDateSchema } from "./project.js";
import { PersonSchema } from "./roles.js";
import { localDate } from "./schedule.js";

/**
 * The project board's go-live decision (domain page §1): members vote proceed, delay or conditional with a
 * rationale; proceed is refused while a blocker stands; conditional needs a condition (text, owner, due date) for
 * each blocker; delay needs a new target or review date. The chair closes the vote at quorum, and the closed
 * decision becomes the governance minutes.
 */
export const CHOICES = ["proceed", "delay", "conditional"] as const;
export const ChoiceSchema = z.enum(CHOICES);
export type Choice = z.infer<typeof ChoiceSchema>;
export const CHOICE_TITLES: Record<Choice, string> = {
  proceed: "Proceed",
  delay: "Delay",
  conditional: "Conditional",
};

export const RationaleSchema = z
  .string()
  .trim()
  .min(1, "a rationale (why you vote this way)")
  .max(2_000, "a rationale of at most 2,000 characters");

/** A condition of a conditional approval: answers one blocker, owned by a person, due by a date. */
export const ProposedConditionSchema = z.object({
  blockerId: z.string().max(200),
  text: z
    .string()
    .trim()
    .min(1, "the condition's text")
    .max(1_000, "a condition of at most 1,000 characters"),
  owner: PersonSchema,
  due: CalendarDateSchema,
});
export type ProposedCondition = z.infer<typeof ProposedConditionSchema>;

export const VoteSchema = z.object({
  voter: PersonSchema,
  choice: ChoiceSchema,
  rationale: RationaleSchema,
  /** Conditional: one per blocker standing when the vote was cast. */
  conditions: z.array(ProposedConditionSchema).max(60).optional(),
  /** Delay: the new target or review date. */
  newDate: CalendarDateSchema.optional(),
  /** When the vote was cast (the log entry's time). */
  at: z.string().max(40),
});
export type Vote = z.infer<typeof VoteSchema>;

export const BlockerSnapshotSchema = z.object({
  id: z.string().max(200),
  area: z.string().max(40),
  reason: z.string().max(1_000),
  evidence: z.string().max(2_000),
});

export const DecisionRuleSchema = z.object({
  /** Votes needed before the chair can close: "majority" of board members. */
  quorum: z.literal("majority"),
  /** How the outcome follows from the votes: the majority's choice, a tie is a delay. */
  outcome: z.literal("majority-tie-delays"),
});
export const DEFAULT_DECISION_RULE = { quorum: "majority", outcome: "majority-tie-delays" } as const;

export const ConditionSchema = z.object({
  id: z.string().max(20),
  decisionId: z.string().max(20),
  blockerId: z.string().max(200),
  blockerReason: z.string().max(1_000),
  text: z.string().max(1_000),
  owner: PersonSchema,
  due: CalendarDateSchema,
  state: z.enum(["open", "met", "waived"]),
  evidence: z.string().max(2_000).optional(),
  reason: z.string().max(2_000).optional(),
  closedBy: z.string().max(200).optional(),
  closedAt: z.string().max(40).optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const MinutesSchema = z.object({
  closedBy: PersonSchema,
  closedAt: z.string().max(40),
  outcome: ChoiceSchema,
  tally: z.object({ proceed: z.number().int(), delay: z.number().int(), conditional: z.number().int() }),
  boardMembers: z.array(PersonSchema),
  attendees: z.array(PersonSchema),
  votes: z.array(VoteSchema),
  blockers: z.array(BlockerSnapshotSchema),
  conditions: z.array(ProposedConditionSchema),
  newDate: CalendarDateSchema.optional(),
  goLiveDate: CalendarDateSchema.optional(),
  /** The readiness checklist as it stood, area by area, in words. */
  readinessEvidence: z.array(
    z.object({ area: z.string(), rag: z.string(), evidence: z.string().max(2_000) }),
  ),
});
export type Minutes = z.infer<typeof MinutesSchema>;

export const BoardDecisionSchema = z.object({
  id: z.string().max(20),
  openedBy: PersonSchema,
  openedAt: z.string().max(40),
  /** The posted card's message, updated after every vote so everyone sees the tally. */
  card: z.object({ activityId: z.string().max(500), conversationId: z.string().max(500) }).optional(),
  votes: z.array(VoteSchema),
  state: z.enum(["open", "closed"]),
  minutes: MinutesSchema.optional(),
});
export type BoardDecision = z.infer<typeof BoardDecisionSchema>;

export function tallyOf(votes: readonly Vote[]): Record<Choice, number> {
  const tally: Record<Choice, number> = { proceed: 0, delay: 0, conditional: 0 };
  for (const v of votes) tally[v.choice]++;
  return tally;
}

/** The default rule: the majority's choice; a tie for the most votes is a delay. */
export function outcomeOf(votes: readonly Vote[]): Choice {
  const tally = tallyOf(votes);
  const most = Math.max(...Object.values(tally));
  const leaders = CHOICES.filter((c) => tally[c] === most);
  return leaders.length === 1 ? (leaders[0] as Choice) : "delay";
}

export function quorumOf(boardMembers: number): number {
  return Math.floor(boardMembers / 2) + 1;
}

/** The calendar date at `now` in a time zone (Europe/London by default), as YYYY-MM-DD. */
export function dateIn(timeZone: string, now: Date): string {
  return localDate(now, timeZone);
}
