import { createHash } from "node:crypto";
import type { TurnContext } from "botbuilder";
import type { z } from "zod";
import type { AdaptiveCard } from "../adaptive-cards/cards.js";
import { canonicalJson } from "../governance/chain.js";
import type { Issue } from "../governance/commandLog.js";
import { type Decision, refuseForeignTenant } from "../governance/decisions.js";
import type { Actor } from "../governance/events.js";
import { firstFieldWithNhsNumber, holdsNhsNumber, NHS_NUMBER_REFUSAL } from "../governance/personalData.js";
import { type ProjectState, projectIdForChannel } from "../governance/project.js";
import { ChangeTooLargeError, StoreBusyError, StoreUnavailableError } from "../store/errors.js";
import type { ChangeResult } from "../store/governanceLog.js";
import { actorOf, type Origin, originOf } from "./activity.js";
import {
  type ConversationDependencies,
  RECENTLY_CONFIRMED_MS,
  recordPersonalDataRefusal,
  resultMessage,
  type TurnRecord,
} from "./conversation.js";
import { errorProperties } from "./logger.js";
import { FAILURE_MESSAGES } from "./replies.js";
import { recordForeignTenantRefusal } from "./tenant.js";

/**
 * The idempotency key of a card action. Teams gives each click its own invoke id, so a double click would count
 * twice; the key is instead the card message, the person, the verb and what they submitted.
 */
export function cardActionKey(context: TurnContext, verb: string, data: unknown): string {
  const a = context.activity;
  const digest = createHash("sha256").update(canonicalJson(data)).digest("hex");
  return `action:${a.conversation?.id ?? ""}:${a.replyToId ?? ""}:${a.from?.aadObjectId ?? a.from?.id ?? ""}:${verb}:${digest}`;
}

/** Who pressed a card button, where, on which project, as the project stands. */
export interface CardScope {
  actor: Actor;
  origin: Origin;
  projectId: string;
  state: ProjectState;
}

export function readableIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.join(".") || "card"}: ${i.message}`)
    .slice(0, 5)
    .join("; ");
}

/**
 * The checks every card action starts with: a known person, in a project channel, on a card of this channel's
 * project, from the project's tenant (a refusal from another tenant is logged). Returns the scope, or the
 * message to answer with.
 */
export async function resolveCardScope(
  context: TurnContext,
  deps: ConversationDependencies,
  data: unknown,
  request: { attempted: string; idempotencyKey: string },
): Promise<CardScope | string> {
  const origin = originOf(context.activity);
  const actor = actorOf(context.activity);
  if (!actor) return FAILURE_MESSAGES.unknownPerson;
  if (!origin.binding) return "This card belongs in a project channel. Nothing was changed.";
  const projectId = projectIdForChannel(origin.binding.channelId);
  const cardProject = (data as { projectId?: unknown } | undefined)?.projectId;
  const state = await deps.log.readState(projectId, { maxAgeMs: RECENTLY_CONFIRMED_MS });
  if (cardProject !== projectId) {
    const reason = "This card belongs to another project's channel. Nothing was changed.";
    if (state && !refuseForeignTenant(state, origin.tenantId)) {
      await recordRefusal(
        deps,
        { projectId, actor },
        { attempted: request.attempted, reason, idempotencyKey: request.idempotencyKey },
      );
    }
    return reason;
  }
  if (!state) return "This channel has no go-live project yet. Nothing was changed.";
  if (refuseForeignTenant(state, origin.tenantId)) {
    return recordForeignTenantRefusal(deps, {
      projectId,
      actor,
      origin,
      attempted: request.attempted,
      idempotencyKey: request.idempotencyKey,
    });
  }
  return { actor, origin, projectId, state };
}

/** What to tell the person when a card action failed: never the error itself, always whether it was recorded. */
export function cardFailureMessage(
  context: TurnContext,
  deps: ConversationDependencies,
  error: unknown,
  turn: TurnRecord,
): string {
  if (error instanceof ChangeTooLargeError) return `${error.message} Nothing was recorded.`;
  deps.logger.error("card action failed", { activityId: context.activity.id, ...errorProperties(error) });
  if (turn.recorded) return FAILURE_MESSAGES.recordedButNotShown;
  if (error instanceof StoreUnavailableError) {
    return error.whileRecording
      ? FAILURE_MESSAGES.storeStoppedWhileRecording
      : FAILURE_MESSAGES.storeUnavailable;
  }
  if (error instanceof StoreBusyError) return FAILURE_MESSAGES.storeBusy;
  return FAILURE_MESSAGES.unexpected;
}

/**
 * A refused card action is itself a governance log entry: who tried what, and why it was refused. A double
 * click on the same refused button is logged once.
 */
export async function recordRefusal(
  deps: ConversationDependencies,
  scope: { projectId: string; actor: Actor },
  request: { attempted: string; reason: string; idempotencyKey: string },
): Promise<void> {
  await deps.log.change({
    projectId: scope.projectId,
    idempotencyKey: `refusal:${request.idempotencyKey}`,
    actor: scope.actor,
    decide: (state) =>
      state
        ? {
            outcome: "record",
            events: [
              {
                kind: "access.refused",
                reason: request.reason.slice(0, 500),
                attempted: request.attempted.slice(0, 100),
              },
            ],
          }
        : { outcome: "unchanged", message: "no project" },
  });
}

/**
 * Every card's inputs are checked for an NHS number before anything else: such text is refused and never stored
 * (the refusal is logged in the channel's project as a bare fact). Returns the answer when refused.
 */
export async function refuseIfPersonalData(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<string | undefined> {
  const verbHoldsOne = holdsNhsNumber(verb);
  if (firstFieldWithNhsNumber(data) === undefined && !verbHoldsOne) return undefined;
  try {
    // An answer to a pulse may be anonymous: its refusal names no one either.
    const anonymous = verb === "stabilisation.pulse-answer";
    await recordPersonalDataRefusal(deps, {
      origin: originOf(context.activity),
      actor: anonymous ? { objectId: "anonymous", name: "Anonymous respondent" } : actorOf(context.activity),
      attempted: verbHoldsOne ? "card action" : verb,
      // Keyed by the activity, never by what was submitted: a hash of the data could be tested against every
      // possible NHS number.
      key: `card:${context.activity.conversation?.id ?? ""}:${context.activity.id ?? ""}`,
    });
  } catch (error) {
    // The text is refused whether or not the refusal could be logged.
    deps.logger.error("personal-data refusal not logged", {
      activityId: context.activity.id,
      ...errorProperties(error),
    });
  }
  return NHS_NUMBER_REFUSAL;
}

/** A card button the bot does not know (an old card, or a crafted request): refused and logged. */
export async function handleUnknownCardAction(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
  idempotencyKey: string,
): Promise<string> {
  const turn: TurnRecord = { recorded: false };
  try {
    const attempted = `unknown card action ${verb}`.slice(0, 100);
    const scope = await resolveCardScope(context, deps, data, { attempted, idempotencyKey });
    if (typeof scope === "string") return scope;
    const reason = "This card's button is not one I know. Nothing was changed.";
    await recordRefusal(deps, scope, { attempted, reason, idempotencyKey });
    return reason;
  } catch (error) {
    return cardFailureMessage(context, deps, error, turn);
  }
}

/**
 * Runs a card action the way every one must: its idempotency key, the scope checks (refusals logged), the
 * action itself, and a plain answer if anything fails — saying truthfully whether it was recorded.
 */
export async function runCardAction(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
  action: (scope: CardScope, run: { key: string; turn: TurnRecord }) => Promise<AdaptiveCard | string>,
): Promise<AdaptiveCard | string> {
  const turn: TurnRecord = { recorded: false };
  try {
    const key = cardActionKey(context, verb, data);
    const scope = await resolveCardScope(context, deps, data, { attempted: verb, idempotencyKey: key });
    if (typeof scope === "string") return scope;
    return await action(scope, { key, turn });
  } catch (error) {
    return cardFailureMessage(context, deps, error, turn);
  }
}

/** A refused change answers privately, changes nothing, and is logged. */
export async function refusedAndLogged(
  deps: ConversationDependencies,
  scope: CardScope,
  request: { verb: string; key: string; result: ChangeResult & { status: "refused" } },
): Promise<string> {
  await recordRefusal(deps, scope, {
    attempted: request.verb,
    reason: request.result.message,
    idempotencyKey: request.key,
  });
  return resultMessage(request.result);
}

/**
 * A card action's change: recorded in one transaction, or refused — the refusal logged (who tried what, and why)
 * — so every card handler records and refuses the same way. A channel without a project is refused too.
 */
export async function changeFromCard(
  deps: ConversationDependencies,
  scope: CardScope,
  run: { key: string; turn: TurnRecord },
  verb: string,
  rule: (state: ProjectState, issues: ReadonlyMap<string, Issue>) => Decision,
  options: { issueIds?: readonly string[] } = {},
): Promise<ChangeResult> {
  const result = await deps.log.change({
    projectId: scope.projectId,
    idempotencyKey: run.key,
    actor: scope.actor,
    ...(options.issueIds ? { issueIds: options.issueIds } : {}),
    decide: (state, issues) =>
      state ? rule(state, issues) : { outcome: "refused", message: "This channel has no go-live project." },
  });
  run.turn.recorded = result.status === "recorded" || result.status === "duplicate";
  if (result.status === "refused") {
    await recordRefusal(deps, scope, { attempted: verb, reason: result.message, idempotencyKey: run.key });
  }
  return result;
}
