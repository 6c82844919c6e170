import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import type { AdaptiveCard } from "../adaptive-cards/cards.js";
import { digestCard } from "../adaptive-cards/digestCards.js";
import { SUPPORT_CHOICES, type SupportChoice } from "../governance/digestTypes.js";
import { decideSupport, reviewToRun } from "../governance/reviewRuns.js";
import { dueDigestPeriod, localNow } from "../governance/schedule.js";
import { changeFromCard, recordRefusal, runCardAction } from "./cardScope.js";
import { type ConversationDependencies, resultMessage, type TurnRecord } from "./conversation.js";
import { errorProperties } from "./logger.js";
import { replyCard, replyText } from "./replies.js";
import { digestFor, runDailyDigest } from "./reviews.js";

const DecisionInputs = z.object({
  period: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  choice: z.enum(SUPPORT_CHOICES as [SupportChoice, ...SupportChoice[]]),
  rationale: z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim()),
});

/** The board records continue / increase / reduce on a digest: logged, and shown on the card for everyone. */
export async function handleDigestDecision(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key, turn }) => {
    const { actor, projectId } = scope;
    const parsed = DecisionInputs.safeParse(data);
    if (!parsed.success) {
      const reason = "Pick continue, increase or reduce, and give the rationale. Nothing was changed.";
      await recordRefusal(deps, scope, { attempted: verb, reason, idempotencyKey: key });
      return reason;
    }
    const request = parsed.data;
    // The rule checks the role first, then the rationale: every refusal is logged.
    const result = await changeFromCard(deps, scope, { key, turn }, verb, (state) =>
      decideSupport(state, actor, request),
    );
    if (result.status === "refused") return resultMessage(result);
    if (!result.state) return resultMessage(result);
    // The card shows the digest as it was posted that morning (what the board decided on), with the decisions.
    const run = result.state.reviews.find((r) => r.review === "daily-digest" && r.period === request.period);
    const digest = run?.postedAt
      ? await digestFor(deps.log, projectId, result.state, request.period, new Date(run.postedAt), {
          asOf: true,
        })
      : await digestFor(deps.log, projectId, result.state, request.period, deps.clock());
    const card = digestCard(digest, { notice: resultMessage(result) });
    if (turn.recorded && context.activity.replyToId) {
      try {
        const update = MessageFactory.attachment(CardFactory.adaptiveCard(digestCard(digest)));
        update.id = context.activity.replyToId;
        await context.updateActivity(update);
      } catch (error) {
        deps.logger.warn("posted digest not updated", { projectId, ...errorProperties(error) });
      }
    }
    return card;
  });
}

/**
 * `digest`: today's digest on demand. If this morning's has not been posted yet, this posts it (as the
 * scheduled run would, once); otherwise the digest as it stands now is shown in the thread.
 */
export async function showDigest(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: { projectId: string; channelId: string },
): Promise<void> {
  const now = deps.clock();
  const state = await deps.log.readState(request.projectId);
  if (!state) return replyText(context, "This channel has no go-live project yet.");
  const due = dueDigestPeriod(state.project, now);
  const period = due ?? localNow(now, state.project.settings.timeZone).date;
  // A live project's digest not yet posted this morning is posted now, in the channel, as the timer would.
  if (
    due &&
    deps.poster &&
    deps.references &&
    reviewToRun(state.reviews, "daily-digest", due, now) === "run"
  ) {
    const posted = await runDailyDigest(
      { log: deps.log, references: deps.references, poster: deps.poster, logger: deps.logger },
      request.channelId,
      now,
      { period: due },
    );
    if (posted.outcome === "posted") {
      turn.recorded = true;
      return replyText(context, `The daily digest for ${due} is posted in the channel, as a new post.`);
    }
  }
  const digest = await digestFor(deps.log, request.projectId, state, period, now);
  await replyCard(context, digestCard(digest), `Daily digest ${period}`);
}
