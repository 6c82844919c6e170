import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import type { AdaptiveCard } from "../adaptive-cards/cards.js";
import { DECISION_VERBS, type DecisionView, decisionCard } from "../adaptive-cards/decisionCards.js";
import {
  type BoardDecision,
  type Choice,
  dateIn,
  type ProposedCondition,
} from "../governance/boardDecision.js";
import {
  boardMembersOf,
  decideCloseDecision,
  decideVote,
  STALE_BLOCKERS_MESSAGE,
} from "../governance/boardDecisionRules.js";
import { onProject } from "../governance/decisions.js";
import type { ProjectState } from "../governance/project.js";
import { blockersDigest, blockersOf } from "../governance/readiness.js";
import { EntraObjectIdSchema } from "../governance/roles.js";
import { namePeople } from "./cardActions.js";
import { refusedAndLogged, runCardAction } from "./cardScope.js";
import { type ConversationDependencies, resultMessage } from "./conversation.js";

/** The decision card's content for one state of the project; `basis` is the log entry that state stands at. */
export function decisionView(
  projectId: string,
  state: ProjectState,
  decision: BoardDecision,
  options: { basis: number; note?: string },
): DecisionView {
  const chair = state.roles.find((a) => a.role === "board-chair");
  return {
    projectName: state.project.name,
    projectId,
    decision,
    boardMembers: boardMembersOf(state),
    blockers: blockersOf(state),
    ...(state.project.settings.goLiveDate ? { goLiveDate: state.project.settings.goLiveDate } : {}),
    basis: options.basis,
    ...(chair ? { chairName: chair.person.name } : {}),
    ...(options.note ? { note: options.note } : {}),
  };
}

/**
 * Card updates per decision, one at a time and each rendered from the latest state, so concurrent votes can
 * never leave an older tally on the posted card.
 */
type Rendered = { state: ProjectState | undefined; seq: number } | undefined;
const cardUpdates = new Map<string, { tail: Promise<unknown>; waiting?: Promise<Rendered> }>();

export function refreshPostedDecisionCard(
  context: TurnContext,
  deps: ConversationDependencies,
  projectId: string,
  decisionId: string,
): Promise<Rendered> {
  const key = `${projectId}/${decisionId}`;
  const queue = cardUpdates.get(key) ?? { tail: Promise.resolve() };
  // An update not yet started will render the newest state anyway: later votes share it.
  if (queue.waiting) return queue.waiting;
  const update = queue.tail.then(async (): Promise<Rendered> => {
    queue.waiting = undefined;
    let rendered: Rendered;
    // Another instance may have recorded a vote (and updated the card) meanwhile: render until what was
    // rendered is still the newest, so the last update anyone sends shows the latest tally.
    for (let round = 0; round < 3; round++) {
      const { state, seq } = await deps.log.readStateAt(projectId);
      rendered = { state, seq };
      const decision = state?.decisions.find((d) => d.id === decisionId);
      if (!state || !decision?.card) return rendered;
      const card = decisionCard(decisionView(projectId, state, decision, { basis: seq }));
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.id = decision.card.activityId;
      activity.conversation = { ...context.activity.conversation, id: decision.card.conversationId };
      await context.updateActivity(activity);
      if (((await deps.log.head(projectId))?.seq ?? 0) === seq) return rendered;
    }
    return rendered;
  });
  queue.waiting = update;
  queue.tail = update.catch(() => undefined);
  cardUpdates.set(key, queue);
  void queue.tail.then(() => {
    if (cardUpdates.get(key) === queue && !queue.waiting) cardUpdates.delete(key);
  });
  return update;
}

const text = z
  .string()
  .optional()
  .transform((s) => (s ?? "").trim());
const VoteCardSchema = z
  .object({ decisionId: z.string().max(20), rationale: text, newDate: text })
  .catchall(z.unknown());

const CHOICE_OF_VERB: Record<string, Choice> = {
  [DECISION_VERBS.proceed]: "proceed",
  [DECISION_VERBS.delay]: "delay",
  [DECISION_VERBS.conditional]: "conditional",
};

/** Conditions typed on the card: `condition:{i}:text|owner|due`, in the order of the blockers shown. */
function conditionInputs(
  data: Record<string, unknown>,
  state: ProjectState,
): Array<{ blockerId: string; text: string; ownerId: string; due: string }> {
  const blockers = blockersOf(state);
  const out: Array<{ blockerId: string; text: string; ownerId: string; due: string }> = [];
  blockers.forEach((b, i) => {
    const get = (field: string) => {
      const v = data[`condition:${i}:${field}`];
      return typeof v === "string" ? v.trim() : "";
    };
    if (get("text") !== "" || get("owner") !== "" || get("due") !== "") {
      out.push({ blockerId: b.id, text: get("text"), ownerId: get("owner"), due: get("due") });
    }
  });
  return out;
}

/** A vote (proceed / delay / conditional) or the chair closing the vote, from the decision card. */
export async function handleDecisionAction(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key, turn }) => {
    const { actor, projectId, state } = scope;
    const parsed = VoteCardSchema.safeParse(data);
    if (!parsed.success) return "This card's answers could not be read. Nothing was changed.";
    const input = parsed.data;
    const today = dateIn(state.project.settings.timeZone, deps.clock());
    const choice = CHOICE_OF_VERB[verb];
    if (!choice && verb !== DECISION_VERBS.close)
      return "This card's button is not one I know. Nothing was changed.";

    // Owners picked for conditions: Entra object ids, named through Teams (only for a conditional vote).
    let conditions: ProposedCondition[] | undefined;
    if (choice === "conditional") {
      // Conditions are typed against the blockers the card showed, in order: map them on a state showing those.
      const cardShown = typeof input.blockers === "string" ? input.blockers : undefined;
      const recentMatches = cardShown === undefined || cardShown === blockersDigest(blockersOf(state));
      const mappingState = recentMatches ? state : ((await deps.log.readState(projectId)) ?? state);
      const typed = conditionInputs(input, mappingState);
      const badOwner = typed.find((c) => !EntraObjectIdSchema.safeParse(c.ownerId).success);
      if (badOwner) return "Pick an owner for each condition. Nothing was changed.";
      const badDate = typed.find((c) => !/^\d{4}-\d{2}-\d{2}$/.test(c.due));
      if (badDate) return "Give a due date for each condition. Nothing was changed.";
      const badText = typed.find((c) => c.text === "" || c.text.length > 1_000);
      if (badText) return "Write each condition (at most 1,000 characters). Nothing was changed.";
      const names = await namePeople(
        context,
        typed.map((c) => c.ownerId.toLowerCase()),
      );
      conditions = typed.map((c) => ({
        blockerId: c.blockerId,
        text: c.text,
        owner: { objectId: c.ownerId.toLowerCase(), name: names.get(c.ownerId.toLowerCase()) ?? c.ownerId },
        due: c.due,
      }));
    }
    if (choice && (input.rationale === "" || input.rationale.length > 2_000)) {
      return "Give your rationale (at most 2,000 characters): the minutes record why each member voted as they did. Nothing was changed.";
    }
    const newDate = /^\d{4}-\d{2}-\d{2}$/.test(input.newDate) ? input.newDate : undefined;

    // A vote answers the blockers the card showed; conditions were typed against them, in their order.
    const shown =
      typeof (data as { blockers?: unknown }).blockers === "string"
        ? String((data as { blockers: string }).blockers)
        : undefined;

    const result = await deps.log.change({
      projectId,
      idempotencyKey: key,
      actor,
      decide: onProject((current) => {
        if (!choice)
          return decideCloseDecision(current, actor, {
            decisionId: input.decisionId,
            today,
            ...(newDate ? { newDate } : {}),
          });
        return decideVote(current, actor, {
          decisionId: input.decisionId,
          choice,
          rationale: input.rationale,
          today,
          ...(shown !== undefined ? { blockersShown: shown } : {}),
          ...(conditions ? { conditions } : {}),
          ...(newDate ? { newDate } : {}),
        });
      }),
    });
    turn.recorded = result.status === "recorded" || result.status === "duplicate";
    // A refusal is private to the person, leaves the card as it was, and is logged.
    if (result.status === "refused" && result.message === STALE_BLOCKERS_MESSAGE && result.state) {
      // Not a refusal of the person: their card was out of date. They get the current one to vote on.
      const decision = result.state.decisions.find((d) => d.id === input.decisionId);
      if (decision) {
        const basis = (await deps.log.head(projectId))?.seq ?? 0;
        return decisionCard(decisionView(projectId, result.state, decision, { basis, note: result.message }));
      }
    }
    if (result.status === "refused") return refusedAndLogged(deps, scope, { verb, key, result });
    if (!result.state) return resultMessage(result);
    const decision = result.state.decisions.find((d) => d.id === input.decisionId);
    if (!decision) return resultMessage(result);
    if (turn.recorded) {
      // The voter sees what everyone sees now, not the state right after their own vote.
      const latest = await refreshPostedDecisionCard(context, deps, projectId, decision.id);
      const latestDecision = latest?.state?.decisions.find((d) => d.id === decision.id);
      if (latest?.state && latestDecision) {
        const note = resultMessage(result);
        return decisionCard(
          decisionView(projectId, latest.state, latestDecision, { basis: latest.seq, note }),
        );
      }
    }
    const note = result.status === "unchanged" ? result.message : resultMessage(result);
    const basis =
      result.status === "recorded" || result.status === "duplicate"
        ? result.entry.seq
        : ((await deps.log.head(projectId))?.seq ?? 0);
    return decisionCard(decisionView(projectId, result.state, decision, { basis, note }));
  });
}
