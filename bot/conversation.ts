import { createHash } from "node:crypto";
import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { helpCard, logVerifyCard, rolesCard, setupCard } from "../adaptive-cards/cards.js";
import { conditionsCard, decisionCard, minutesCard } from "../adaptive-cards/decisionCards.js";
import { readinessCard } from "../adaptive-cards/readinessCards.js";
import { CHOICE_TITLES, dateIn } from "../governance/boardDecision.js";
import {
  decideConditionMet,
  decideConditionWaived,
  decideOpenDecision,
  openDecisionOf,
} from "../governance/boardDecisionRules.js";
import { historyOf } from "../governance/commandLog.js";
import {
  decideInTurn,
  decideRoleAdd,
  decideRoleRemove,
  decideSetup,
  onProject,
  refuseForeignTenant,
  refuseUnlessRole,
} from "../governance/decisions.js";
import { SUPPORT_TITLES } from "../governance/digestTypes.js";
import type { Actor, GovernanceEvent } from "../governance/events.js";
import { COMMAND_HELP, commandsAllowed } from "../governance/help.js";
import { LIMITS } from "../governance/limits.js";
import { holdsNhsNumber, NHS_NUMBER_REFUSAL } from "../governance/personalData.js";
import { type ProjectState, projectIdForChannel } from "../governance/project.js";
import { AREA_TITLES, blockersOf, RECORD_TYPE_TITLES } from "../governance/readiness.js";
import { ROLE_TITLES, rolesOf } from "../governance/roles.js";
import { SLT_TITLES } from "../governance/stabilisation.js";
import type { ConversationReferenceStore } from "../store/conversationReferences.js";
import { ChangeTooLargeError, StoreBusyError, StoreUnavailableError } from "../store/errors.js";
import type { ChangeResult, GovernanceLog } from "../store/governanceLog.js";
import { actorOf, type Origin, originOf } from "./activity.js";
import { recordRefusal } from "./cardScope.js";
import { type Command, normaliseText, parseCommand } from "./commands.js";
import { decisionView, refreshPostedDecisionCard } from "./decisionActions.js";
import { showDigest } from "./digestActions.js";
import { type EvidenceDependencies, produceEvidence } from "./evidenceCommand.js";
import {
  raiseFromPersonalChat,
  raiseInChannel,
  showIssue,
  showIssueList,
  showTargets,
} from "./issueCommands.js";
import { errorProperties, type Logger } from "./logger.js";
import { MentionProblem, resolveMentionedPeople } from "./members.js";
import type { ChannelPoster } from "./outbound.js";
import { FAILURE_MESSAGES, replyCard, replyText } from "./replies.js";
import {
  addRisk,
  auditThresholds,
  openPulse,
  showAuditForm,
  showPulseResults,
  showRisks,
  showStabilisation,
} from "./stabilisationActions.js";
import { recordForeignTenantRefusal } from "./tenant.js";

export interface ConversationDependencies {
  log: GovernanceLog;
  clock: () => Date;
  logger: Logger;
  /** Where the app is installed: personal chat finds a person's projects through it. */
  references?: ConversationReferenceStore;
  /** Posts into a project's channel from elsewhere (a raise from personal chat). */
  poster?: ChannelPoster;
  /** Key for anonymous pulse answers' slots (HMAC); kept outside storage so no stored data leads to a person. */
  anonymityKey?: string;
  /** Evidence packs: where they are kept and how a person gets their links. Absent: packs are not offered. */
  evidence?: EvidenceDependencies;
}

/** What one turn did, so a failure message can tell the truth about whether anything was recorded. */
export interface TurnRecord {
  recorded: boolean;
}

/**
 * How old a state this process saw confirmed may be for checks made before a change (the project exists, its
 * tenant, the caller's role): a change itself is always decided on the head's ETag, and a refusal is confirmed
 * on a fresh read, so this only saves a storage round trip per command.
 */
export const RECENTLY_CONFIRMED_MS = 2_000;

/** The project lead's role check, on a recent state, confirmed on a fresh read before anyone is refused. */
export async function refusalUnlessRole(
  deps: ConversationDependencies,
  projectId: string,
  state: ProjectState,
  actor: Actor,
  doing: string,
): Promise<string | undefined> {
  if (!refuseUnlessRole(state, actor, "project-lead", doing)) return undefined;
  const fresh = (await deps.log.readState(projectId)) ?? state;
  const refused = refuseUnlessRole(fresh, actor, "project-lead", doing);
  return refused?.outcome === "refused" ? refused.message : undefined;
}

/** The idempotency key of a message: Teams gives each activity an id that a redelivery keeps. */
export function messageKey(context: TurnContext): string {
  const a = context.activity;
  const id = a.id ?? createHash("sha256").update(JSON.stringify(a)).digest("hex");
  return `message:${a.conversation?.id ?? ""}:${id}`;
}

/** Handles a chat message: parse, check, decide, record, answer. */
export async function handleMessage(context: TurnContext, deps: ConversationDependencies): Promise<void> {
  const turn: TurnRecord = { recorded: false };
  try {
    await answerMessage(context, deps, turn);
  } catch (error) {
    await answerFailure(context, deps.logger, error, turn);
  }
}

export async function answerFailure(
  context: TurnContext,
  logger: Logger,
  error: unknown,
  turn: TurnRecord,
): Promise<void> {
  if (error instanceof MentionProblem) return replyText(context, `${error.message} Nothing was changed.`);
  if (error instanceof ChangeTooLargeError)
    return replyText(context, `${error.message} Nothing was recorded.`);
  const properties = { activityId: context.activity.id, ...errorProperties(error) };
  let message: string;
  if (error instanceof StoreUnavailableError) {
    logger.error("governance log unavailable", properties);
    message = turn.recorded
      ? FAILURE_MESSAGES.recordedButNotShown
      : error.whileRecording
        ? FAILURE_MESSAGES.storeStoppedWhileRecording
        : FAILURE_MESSAGES.storeUnavailable;
  } else if (error instanceof StoreBusyError) {
    logger.warn("governance log busy", properties);
    message = FAILURE_MESSAGES.storeBusy;
  } else {
    logger.error("turn failed", properties);
    message = turn.recorded ? FAILURE_MESSAGES.recordedButNotShown : FAILURE_MESSAGES.unexpected;
  }
  await replyText(context, message);
}

async function answerMessage(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
): Promise<void> {
  const typed = context.activity.text ?? "";
  if (typed.length > LIMITS.commandCharacters) {
    return replyText(
      context,
      `That message is ${typed.length.toLocaleString("en-GB")} characters; commands can be at most ${LIMITS.commandCharacters.toLocaleString("en-GB")}. Nothing was recorded. Shorten it and send it again.`,
    );
  }
  const command = parseCommand(typed);
  const origin = originOf(context.activity);
  const actor = actorOf(context.activity);
  if (holdsNhsNumber(typed) || holdsNhsNumber(normaliseText(typed))) {
    // Nothing of the text is kept, not even in the log: only that a message was refused, and for which command.
    try {
      await recordPersonalDataRefusal(deps, {
        origin,
        actor,
        attempted: command.kind,
        key: messageKey(context),
      });
    } catch (error) {
      // The text is refused whether or not the refusal could be logged.
      deps.logger.error("personal-data refusal not logged", {
        activityId: context.activity.id,
        ...errorProperties(error),
      });
    }
    return replyText(context, NHS_NUMBER_REFUSAL);
  }

  if (command.kind === "invalid") return replyText(context, `${command.problem} Nothing was changed.`);
  if (command.kind === "help" || command.kind === "unknown") {
    return showHelp(context, deps, origin, actor, command.kind === "unknown" ? command.word : undefined);
  }
  if (command.kind === "raise" && origin.scope === "personal") {
    if (!actor) return replyText(context, FAILURE_MESSAGES.unknownPerson);
    const answer = await raiseFromPersonalChat(context, deps, turn, {
      actor,
      key: messageKey(context),
      raise: command.request,
      typed: normaliseText(typed),
    });
    if (answer !== undefined) await replyText(context, answer);
    return;
  }
  if (origin.scope !== "channel" || !origin.binding) {
    return replyText(
      context,
      "Go-live projects live in a team channel. Go to the channel where your go-live is run, @mention me and type setup {project name} (or help).",
    );
  }
  if (!actor) return replyText(context, FAILURE_MESSAGES.unknownPerson);
  const projectId = projectIdForChannel(origin.binding.channelId);
  const key = messageKey(context);

  if (command.kind === "setup" && command.name !== undefined) {
    const binding = origin.binding;
    const name = command.name;
    const result = await deps.log.change({
      projectId,
      idempotencyKey: key,
      actor,
      decide: (state) =>
        (state && refuseForeignTenant(state, origin.tenantId)) ||
        decideSetup(state, { name, binding, actor }),
    });
    if (
      result.status === "refused" &&
      result.state &&
      origin.tenantId !== result.state.project.binding.tenantId
    ) {
      return refuseForeignTenantAndLog(context, deps, projectId, actor, origin, "setup");
    }
    turn.recorded = result.status === "recorded" || result.status === "duplicate";
    if ((result.status === "recorded" || result.status === "duplicate") && result.state) {
      return replyCard(
        context,
        setupCard(
          result.state,
          `Set up by ${actor.name}, who is now its project lead. Fill in the details and save.`,
          result.entry.seq,
        ),
        `Go-live project ${result.state.project.name} set up`,
      );
    }
    return replyText(context, resultMessage(result));
  }

  const state = await deps.log.readState(projectId, { maxAgeMs: RECENTLY_CONFIRMED_MS });
  if (!state) {
    return replyText(
      context,
      "This channel has no go-live project yet. Type setup {project name} to start one here.",
    );
  }
  if (refuseForeignTenant(state, origin.tenantId)) {
    return refuseForeignTenantAndLog(context, deps, projectId, actor, origin, command.kind);
  }
  await answerProjectCommand(context, deps, turn, { command, state, actor, projectId, key });
}

async function answerProjectCommand(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: { command: Command; state: ProjectState; actor: Actor; projectId: string; key: string },
): Promise<void> {
  const { command, state, actor, projectId, key } = request;
  switch (command.kind) {
    case "roles": {
      // Shown as storage has it now, not as this process last saw it.
      const current = (await deps.log.readState(projectId)) ?? state;
      return replyCard(context, rolesCard(current), `Project roles: ${current.project.name}`);
    }
    case "decision":
      return openDecision(context, deps, turn, { state, actor, projectId, key });
    case "raise":
      return raiseInChannel(context, deps, turn, { projectId, actor, key, raise: command.request });
    case "issue.show":
      return showIssue(context, deps, { projectId, state, issueId: command.issueId });
    case "issues.list":
      return showIssueList(context, deps, { projectId, state, actor, filter: command.filter });
    case "audit":
      return showAuditForm(context, deps, { projectId, state, actor, key });
    case "audit.thresholds":
      return auditThresholds(context, deps, turn, {
        projectId,
        state: (await deps.log.readState(projectId)) ?? state,
        actor,
        key,
        ...(command.change ? { change: command.change } : {}),
      });
    case "pulse.open":
      return openPulse(context, deps, turn, { projectId, actor, key, anonymous: command.anonymous });
    case "pulse.results":
      return showPulseResults(context, { state: (await deps.log.readState(projectId)) ?? state, actor });
    case "risk.add":
      return addRisk(context, deps, turn, { projectId, actor, key, text: command.text });
    case "risks":
    case "risk.show":
      return showRisks(context, deps, {
        projectId,
        state: (await deps.log.readState(projectId)) ?? state,
        ...(command.kind === "risk.show" ? { riskId: command.riskId } : {}),
      });
    case "stabilisation":
      return showStabilisation(context, deps, { projectId, state });
    case "evidence":
      return produceEvidence(context, deps, turn, {
        state,
        actor,
        projectId,
        key,
        tenantId: actor.tenantId,
        ...(command.from ? { from: command.from } : {}),
        ...(command.to ? { to: command.to } : {}),
      });
    case "digest":
      return showDigest(context, deps, turn, { projectId, channelId: state.project.binding.channelId });
    case "targets":
      return showTargets(context, { projectId, state: (await deps.log.readState(projectId)) ?? state });
    case "minutes": {
      const current = (await deps.log.readState(projectId)) ?? state;
      const closed = current.decisions.filter((d) => d.state === "closed").at(-1);
      if (!closed)
        return replyText(context, "No go-live decision has been closed yet, so there are no minutes.");
      const view = decisionView(projectId, current, closed, { basis: 0 });
      return replyCard(context, minutesCard(view), `Governance minutes: ${closed.id}`);
    }
    case "conditions": {
      const current = (await deps.log.readState(projectId)) ?? state;
      const today = dateIn(current.project.settings.timeZone, deps.clock());
      return replyCard(
        context,
        conditionsCard(current.project.name, current.conditions, today),
        "Conditions",
      );
    }
    case "condition.met":
    case "condition.waive": {
      const result = await deps.log.change({
        projectId,
        idempotencyKey: key,
        actor,
        decide: onProject((current) => {
          return command.kind === "condition.met"
            ? decideConditionMet(current, actor, {
                conditionId: command.conditionId,
                evidence: command.evidence,
              })
            : decideConditionWaived(current, actor, {
                conditionId: command.conditionId,
                reason: command.reason,
              });
        }),
      });
      if (result.status === "refused") {
        await recordRefusal(
          deps,
          { projectId, actor },
          { attempted: command.kind, reason: result.message, idempotencyKey: key },
        );
      }
      turn.recorded = result.status === "recorded" || result.status === "duplicate";
      return replyText(context, resultMessage(result));
    }
    case "readiness": {
      const current = (await deps.log.readState(projectId)) ?? state;
      const blockers = blockersOf(current);
      const today = dateIn(current.project.settings.timeZone, deps.clock());
      return replyCard(
        context,
        readinessCard(current, blockers, { today }),
        `Readiness: ${blockers.length} blockers`,
      );
    }
    case "setup": {
      const refused = await refusalUnlessRole(deps, projectId, state, actor, "change the project's settings");
      if (refused) return replyText(context, `${refused} Nothing was changed.`);
      return replyCard(
        context,
        setupCard(state, "Change what you need and save.", (await deps.log.head(projectId))?.seq ?? 0),
        `Settings: ${state.project.name}`,
      );
    }
    case "role.add":
    case "role.remove": {
      // The role is checked before anyone is looked up in Teams: a refusal costs nothing.
      const doing = command.kind === "role.add" ? "give roles" : "remove roles";
      const refused = await refusalUnlessRole(deps, projectId, state, actor, doing);
      if (refused) return replyText(context, `${refused} Nothing was changed.`);
      const people = await resolveMentionedPeople(context);
      if (people.length === 0) {
        const verb = command.kind === "role.add" ? "add" : "remove";
        return replyText(
          context,
          `@mention the person, e.g. role ${verb} ${command.role} @Name. Nothing was changed.`,
        );
      }
      const site = command.site !== undefined ? { site: command.site } : {};
      const result = await deps.log.change({
        projectId,
        idempotencyKey: key,
        actor,
        decide: onProject((current) => {
          return decideInTurn(current, actor, people, (working, person) =>
            command.kind === "role.add"
              ? decideRoleAdd(working, actor, { role: command.role, person, ...site })
              : decideRoleRemove(working, actor, {
                  role: command.role,
                  objectId: person.objectId,
                  name: person.name,
                  ...site,
                }),
          );
        }),
      });
      turn.recorded = result.status === "recorded" || result.status === "duplicate";
      return replyText(context, resultMessage(result));
    }
    case "log.verify": {
      const refused = await refusalUnlessRole(deps, projectId, state, actor, "run log verify");
      if (refused) return replyText(context, refused);
      const verification = await deps.log.verify(projectId);
      if (!verification.ok) {
        deps.logger.error("governance log verification failed", {
          projectId,
          problem: verification.firstProblem.kind,
          seq: verification.firstProblem.seq,
        });
      }
      return replyCard(
        context,
        logVerifyCard(state.project.name, verification, deps.clock()),
        "Governance log check",
      );
    }
    default:
      return showHelp(context, deps, originOf(context.activity), actor);
  }
}

function describeEvent(event: GovernanceEvent): string {
  switch (event.kind) {
    case "project.created":
      return `Project "${event.name}" set up.`;
    case "project.settings-changed":
      return "Project settings saved.";
    case "role.assigned":
      return `${event.assignment.person.name} is now ${ROLE_TITLES[event.assignment.role].toLowerCase()}${event.assignment.site ? ` for ${event.assignment.site}` : ""}.`;
    case "role.removed":
      return `${event.assignment.person.name} is no longer ${ROLE_TITLES[event.assignment.role].toLowerCase()}${event.assignment.site ? ` for ${event.assignment.site}` : ""}.`;
    case "readiness.training-recorded":
      return `Training recorded for ${event.record.staffRole} at ${event.record.site}.`;
    case "readiness.assurance-recorded":
      return `Assurance log updated for ${RECORD_TYPE_TITLES[event.record.recordType].toLowerCase()} records.`;
    case "readiness.support-plan-recorded":
      return "Go-live support plan recorded.";
    case "readiness.item-recorded":
      return `${AREA_TITLES[event.item.area]} recorded as ${event.item.rag}.`;
    case "readiness.thresholds-changed":
      return `Training threshold set to ${event.after.trainingCompletionPercent}%.`;
    case "decision.opened":
      return `Go-live decision ${event.decisionId} opened for the board's vote.`;
    case "decision.card-posted":
      return "";
    case "decision.vote-cast":
      return `${event.vote.voter.name} voted ${CHOICE_TITLES[event.vote.choice].toLowerCase()}${event.previous ? ` (was ${CHOICE_TITLES[event.previous.choice].toLowerCase()})` : ""}.`;
    case "decision.closed":
      return `Go-live decision ${event.decisionId} closed: ${CHOICE_TITLES[event.minutes.outcome].toLowerCase()}.`;
    case "project.phase-changed":
      return `The project is now ${event.to.replace("-", " ")}${event.effectiveFrom ? ` from ${event.effectiveFrom}` : ""}.`;
    case "condition.met":
      return `Condition ${event.conditionId} met.`;
    case "condition.waived":
      return `Condition ${event.conditionId} waived.`;
    case "access.refused":
    case "personal-data.refused":
      return "Refused.";
    case "issue.targets-changed":
      return "Command log targets saved.";
    case "support.decided":
      return `The board's decision on the ${event.period} digest is recorded: ${SUPPORT_TITLES[event.choice].toLowerCase()}.`;
    case "review.claimed":
    case "review.posted":
    case "review.failed":
    case "reminder.sent":
    case "channel.blocked":
      return "";
    case "audit.recorded":
      return `Audit ${event.audit.id} for ${event.audit.site} recorded.`;
    case "stabilisation.thresholds-changed":
      return "Stabilisation thresholds saved.";
    case "risk.added":
      return `Risk ${event.risk.id} added to the risk log, owned by ${event.risk.owner.name}.`;
    case "risk.updated":
      return `Risk ${event.riskId} updated.`;
    case "risk.closed":
      return `Risk ${event.riskId} closed.`;
    case "pulse.opened":
      return `Staff confidence pulse ${event.pulseId} opened${event.anonymous ? " (anonymous)" : ""}.`;
    case "pulse.answered":
      return `Your answer to ${event.pulseId} is recorded.`;
    case "slt.decided":
      return `The senior leadership team's decision is recorded: ${SLT_TITLES[event.choice].toLowerCase()}.`;
    case "evidence.exported":
      return `Evidence pack for ${event.from} to ${event.to} produced and logged.`;
    default:
      return `${event.issueId}: ${historyOf(event).what}.`;
  }
}

export function resultMessage(result: ChangeResult): string {
  switch (result.status) {
    case "recorded":
    case "duplicate": {
      const notes = result.status === "recorded" && result.notes ? ` ${result.notes.join(" ")}` : "";
      const said = result.entry.events.map(describeEvent).filter((t) => t !== "");
      return `${said.join(" ")} (governance log entry ${result.entry.seq})${notes}`;
    }
    case "unchanged":
      return result.message;
    case "refused":
      return `${result.message} Nothing was changed.`;
  }
}

/**
 * A message or card refused for holding an NHS number is logged in the channel's project, if it has one — as the
 * fact alone: who, when, for which command. The text is never stored.
 */
export async function recordPersonalDataRefusal(
  deps: ConversationDependencies,
  request: { origin: Origin; actor: Actor | undefined; attempted: string; key: string },
): Promise<void> {
  const { origin, actor } = request;
  if (!actor || origin.scope !== "channel" || !origin.binding) return;
  await deps.log.change({
    projectId: projectIdForChannel(origin.binding.channelId),
    idempotencyKey: `personal-data:${request.key}`,
    actor,
    decide: (state) =>
      state && !refuseForeignTenant(state, origin.tenantId)
        ? {
            outcome: "record",
            events: [{ kind: "personal-data.refused", attempted: request.attempted.slice(0, 100) }],
          }
        : { outcome: "unchanged", message: "no project" },
  });
}

async function refuseForeignTenantAndLog(
  context: TurnContext,
  deps: ConversationDependencies,
  projectId: string,
  actor: Actor,
  origin: Origin,
  attempted: string,
): Promise<void> {
  const idempotencyKey = messageKey(context);
  await replyText(
    context,
    await recordForeignTenantRefusal(deps, { projectId, actor, origin, attempted, idempotencyKey }),
  );
}

async function showHelp(
  context: TurnContext,
  deps: ConversationDependencies,
  origin: Origin,
  actor: Actor | undefined,
  unknownWord?: string,
): Promise<void> {
  const hint = unknownWord !== undefined ? `I don't know the command "${unknownWord}".` : undefined;
  let state: ProjectState | undefined;
  if (origin.scope === "channel" && origin.binding) {
    state = await deps.log.readState(projectIdForChannel(origin.binding.channelId), {
      maxAgeMs: RECENTLY_CONFIRMED_MS,
    });
    if (state && refuseForeignTenant(state, origin.tenantId)) state = undefined;
  }
  const roles = state && actor ? rolesOf(state.roles, actor.objectId) : new Set<never>();
  const commands = commandsAllowed({ hasProject: state !== undefined, roles });
  const card = helpCard({
    commands:
      origin.scope === "channel"
        ? commands
        : COMMAND_HELP.filter(
            (c) => c.usage === "help" || (origin.scope === "personal" && c.usage.startsWith("raise ")),
          ),
    ...(state ? { projectName: state.project.name } : {}),
    roles,
    ...(hint ? { hint } : {}),
  });
  await replyCard(context, card, hint ?? "Commands you can use");
}

/** `decision`: opens the board's vote (or shows the open one again) and posts its card; the card is remembered. */
async function openDecision(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: { state: ProjectState; actor: Actor; projectId: string; key: string },
): Promise<void> {
  const { actor, projectId, key } = request;
  const result = await deps.log.change({
    projectId,
    idempotencyKey: key,
    actor,
    decide: (current) =>
      current ? decideOpenDecision(current, actor) : { outcome: "refused", message: "No project." },
  });
  turn.recorded = result.status === "recorded" || result.status === "duplicate";
  const decision = result.state ? openDecisionOf(result.state) : undefined;
  if (result.status === "refused" || !result.state || !decision)
    return replyText(context, resultMessage(result));
  const basis =
    result.status === "recorded" || result.status === "duplicate"
      ? result.entry.seq
      : ((await deps.log.head(projectId))?.seq ?? 0);
  const view = decisionView(projectId, result.state, decision, { basis });
  const posted = await context.sendActivity(
    MessageFactory.attachment(
      CardFactory.adaptiveCard(decisionCard(view)),
      undefined,
      `Go-live decision ${decision.id}`,
    ),
  );
  if (!posted?.id) return;
  // Posted again while the vote is open: the older card says so, so the channel never shows two live tallies.
  const previous = decision.card;
  if (previous && previous.activityId !== posted.id) {
    const retired = MessageFactory.text(
      `This card for go-live decision ${decision.id} was replaced by a newer one below: vote there.`,
    );
    retired.id = previous.activityId;
    retired.conversation = { ...context.activity.conversation, id: previous.conversationId };
    await context.updateActivity(retired);
  }
  // Remembered so every vote can update this message for everyone.
  await deps.log.change({
    projectId,
    idempotencyKey: `card:${key}`,
    actor,
    decide: () => ({
      outcome: "record",
      events: [
        {
          kind: "decision.card-posted",
          decisionId: decision.id,
          activityId: posted.id.slice(0, 500),
          conversationId: (context.activity.conversation?.id ?? "").slice(0, 500),
        },
      ],
    }),
  });
  // Votes cast between posting and remembering the card are shown now.
  await refreshPostedDecisionCard(context, deps, projectId, decision.id);
}
