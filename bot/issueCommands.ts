import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import {
  chooseProjectCard,
  issueCard,
  issueListCard,
  issueTargetsCard,
} from "../adaptive-cards/issueCards.js";
import { isIssueEvent } from "../governance/commandLog.js";
import { refuseForeignTenant } from "../governance/decisions.js";
import type { Actor } from "../governance/events.js";
import { decideRaise, type RaiseRequest } from "../governance/issueRules.js";
import { type ProjectState, projectIdForChannel } from "../governance/project.js";
import { rolesOf } from "../governance/roles.js";
import type { ChangeResult } from "../store/governanceLog.js";
import { recordRefusal } from "./cardScope.js";
import type { IssueFilter } from "./commands.js";
import {
  type ConversationDependencies,
  RECENTLY_CONFIRMED_MS,
  resultMessage,
  type TurnRecord,
} from "./conversation.js";
import { alertFor } from "./issueAlerts.js";
import { ISSUES_PER_PAGE, issueView, listRows, listTitle } from "./issueViews.js";
import { replyCard, replyText } from "./replies.js";

/** Raises an issue in a project's command log: one log entry, whoever and wherever it came from. */
export async function recordRaise(
  deps: ConversationDependencies,
  request: { projectId: string; actor: Actor; key: string; raise: RaiseRequest },
): Promise<ChangeResult> {
  const { projectId, actor, key, raise } = request;
  const result = await deps.log.change({
    projectId,
    idempotencyKey: key,
    actor,
    decide: (state) =>
      state ? decideRaise(state, actor, raise) : { outcome: "refused", message: "No go-live project here." },
  });
  if (result.status === "refused") {
    await recordRefusal(
      deps,
      { projectId, actor },
      { attempted: "raise", reason: result.message, idempotencyKey: key },
    );
  }
  return result;
}

/** The issue a recorded raise made, with the notice its card opens with. */
function raisedIssue(projectId: string, result: ChangeResult, deps: ConversationDependencies) {
  if ((result.status !== "recorded" && result.status !== "duplicate") || !result.state) return undefined;
  const raised = result.entry.events.find((e) => e.kind === "issue.raised");
  const issue = raised && isIssueEvent(raised) ? result.issues.get(raised.issueId) : undefined;
  if (!issue) return undefined;
  const notice = `Raised by ${issue.raisedBy.name} into the go-live command log (governance log entry ${result.entry.seq}).${issue.priorityProposed ? ` I proposed ${issue.priority}: set the priority under Triage.` : ""}`;
  const card = issueCard(issueView(projectId, result.state, issue, deps.clock(), notice));
  // A redelivered raise has already called people: only the first delivery alerts.
  const alert = result.status === "recorded" ? alertFor(result.state, result.entry.events, issue) : undefined;
  return { issue, card, alert };
}

/** `raise …` in the project's channel: the triage card answers in the thread; a P1 calls people at once. */
export async function raiseInChannel(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: { projectId: string; actor: Actor; key: string; raise: RaiseRequest },
): Promise<void> {
  const result = await recordRaise(deps, request);
  turn.recorded = result.status === "recorded" || result.status === "duplicate";
  const raised = raisedIssue(request.projectId, result, deps);
  if (!raised) return replyText(context, resultMessage(result));
  // The alert goes first: a P1 must reach the managers even if the card cannot be shown.
  const alertProblem = raised.alert
    ? await sendAlert(deps, raised.issue.id, () => context.sendActivity(raised.alert ?? {}))
    : undefined;
  await replyCard(context, raised.card, `${raised.issue.id}: ${raised.issue.description.slice(0, 80)}`);
  if (alertProblem) await replyText(context, alertProblem);
}

/**
 * Sends an alert, and says truthfully whether it went: a failure is logged and becomes a line for the person who
 * caused it, who can then call the managers themselves. Returns that line, or undefined when it was sent.
 */
export async function sendAlert(
  deps: ConversationDependencies,
  issueId: string,
  send: () => Promise<unknown>,
): Promise<string | undefined> {
  try {
    await send();
    return undefined;
  } catch (error) {
    deps.logger.error("alert not sent", {
      issueId,
      error: error instanceof Error ? error.name : "unknown",
    });
    return `I could not @mention the registered managers and the project lead about ${issueId}: please call them now.`;
  }
}

/** The projects a person holds a role in, among the channels the app is installed in, in their tenant. */
export async function projectsOfPerson(
  deps: ConversationDependencies,
  actor: Actor,
): Promise<Array<{ projectId: string; name: string; channelId: string; state: ProjectState }>> {
  if (!deps.references) return [];
  const found: Array<{ projectId: string; name: string; channelId: string; state: ProjectState }> = [];
  for await (const ref of deps.references.list()) {
    const conversation = ref.reference.conversation as { conversationType?: string } | undefined;
    if (!ref.installed || conversation?.conversationType !== "channel" || ref.tenantId !== actor.tenantId)
      continue;
    const projectId = projectIdForChannel(ref.conversationKey);
    const state = await deps.log.readState(projectId, { maxAgeMs: RECENTLY_CONFIRMED_MS });
    if (!state || refuseForeignTenant(state, actor.tenantId)) continue;
    if (rolesOf(state.roles, actor.objectId).size === 0) continue;
    found.push({ projectId, name: state.project.name, channelId: ref.conversationKey, state });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * `raise …` in personal chat with the bot: raised in the person's one project, its triage card posted in the
 * project's channel (where the command log is worked); with several projects, the bot asks which.
 */
export async function raiseFromPersonalChat(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: { actor: Actor; key: string; raise: RaiseRequest; typed: string; projectId?: string },
): Promise<string | undefined> {
  const projects = await projectsOfPerson(deps, request.actor);
  const chosen = request.projectId ? projects.filter((p) => p.projectId === request.projectId) : projects;
  if (chosen.length === 0) {
    return request.projectId
      ? "You hold no role in that go-live project, so nothing was raised."
      : "You hold no role in a go-live project I run, so I can't tell where this belongs. Raise it in your project's channel (@mention me there), or ask its project lead for a role. Nothing was recorded.";
  }
  if (chosen.length > 1) {
    await replyCard(
      context,
      chooseProjectCard({
        projects: chosen.slice(0, 20).map((p) => ({ projectId: p.projectId, name: p.name })),
        raiseText: request.typed,
      }),
      "Which go-live project is this issue for?",
    );
    return undefined;
  }
  const project = chosen[0] as (typeof chosen)[number];
  const result = await recordRaise(deps, {
    projectId: project.projectId,
    actor: request.actor,
    key: request.key,
    raise: request.raise,
  });
  turn.recorded = result.status === "recorded" || result.status === "duplicate";
  const raised = raisedIssue(project.projectId, result, deps);
  if (!raised) return resultMessage(result);
  const id = raised.issue.id;
  // A redelivered raise was posted (or not) by its first delivery: point to the channel rather than claim it.
  let where = `Type issue ${id} in the channel of ${project.name} to see its triage card.`;
  let alertProblem: string | undefined;
  if (result.status === "recorded") {
    let postedId: string | undefined;
    try {
      const card = MessageFactory.attachment(CardFactory.adaptiveCard(raised.card));
      card.summary = `${id} raised from chat`;
      postedId = await deps.poster?.postToChannel(project.channelId, card);
      where = `Its triage card is posted in the channel of ${project.name}.`;
    } catch (error) {
      // The issue is recorded; only the channel post failed. Say so rather than pretend it was posted.
      deps.logger.error("triage card not posted to the channel", {
        projectId: project.projectId,
        issueId: id,
        error: error instanceof Error ? error.name : "unknown",
      });
      where = `I could not post its card in the channel of ${project.name} just now: type issue ${id} there to see it.`;
    }
    // The alert goes to the channel whether or not the card did, under the card when it was posted.
    const alert = raised.alert;
    if (alert) {
      alertProblem = await sendAlert(deps, id, async () =>
        deps.poster?.postToChannel(project.channelId, alert, postedId ? { replyTo: postedId } : {}),
      );
    }
  }
  const seq = result.status === "recorded" || result.status === "duplicate" ? result.entry.seq : 0;
  return `${id} is raised in ${project.name}'s go-live command log as ${raised.issue.priority}${raised.issue.priorityProposed ? " (proposed)" : ""} (governance log entry ${seq}). ${where}${alertProblem ? ` ${alertProblem}` : ""}`;
}

/** `issue GL-42`: the triage card again, as the issue stands now. */
export async function showIssue(
  context: TurnContext,
  deps: ConversationDependencies,
  request: { projectId: string; state: ProjectState; issueId: string },
): Promise<void> {
  const issue = await deps.log.readIssue(request.projectId, request.issueId);
  if (!issue) {
    return replyText(
      context,
      `There is no issue ${request.issueId} in this project's command log. Type issues to list the open ones.`,
    );
  }
  await replyCard(
    context,
    issueCard(issueView(request.projectId, request.state, issue, deps.clock())),
    `${issue.id}: ${issue.description.slice(0, 80)}`,
  );
}

/** One page of a list of issues, reading only the open (or awaiting-verification) list. */
export async function issueListPage(
  deps: ConversationDependencies,
  request: { projectId: string; state: ProjectState; actor: Actor; filter: IssueFilter; page: number },
) {
  const { projectId, state, actor, filter } = request;
  const now = deps.clock();
  const plain = filter.list === "open" && !filter.mine && !filter.care && !filter.priority && !filter.site;
  const [summaries, awaiting] = await Promise.all([
    deps.log.listIssues(projectId, filter.list),
    plain && !filter.overdue ? deps.log.listIssues(projectId, "resolved") : Promise.resolve([]),
  ]);
  const rows = listRows(summaries, filter, state, actor.objectId.toLowerCase(), now);
  const pages = Math.max(1, Math.ceil(rows.length / ISSUES_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(request.page)), pages);
  return issueListCard({
    projectId,
    projectName: state.project.name,
    title: listTitle(filter),
    filter: JSON.stringify(filter),
    rows: rows.slice((page - 1) * ISSUES_PER_PAGE, page * ISSUES_PER_PAGE),
    total: rows.length,
    page,
    pageSize: ISSUES_PER_PAGE,
    timeZone: state.project.settings.timeZone,
    ...(awaiting.length > 0
      ? {
          footnote: `${awaiting.length.toLocaleString("en-GB")} resolved ${awaiting.length === 1 ? "issue awaits" : "issues await"} verification: type issues resolved.`,
        }
      : {}),
  });
}

export async function showIssueList(
  context: TurnContext,
  deps: ConversationDependencies,
  request: { projectId: string; state: ProjectState; actor: Actor; filter: IssueFilter },
): Promise<void> {
  const card = await issueListPage(deps, { ...request, page: 1 });
  await replyCard(context, card, listTitle(request.filter));
}

export async function showTargets(
  context: TurnContext,
  request: { projectId: string; state: ProjectState },
): Promise<void> {
  await replyCard(
    context,
    issueTargetsCard({
      projectId: request.projectId,
      projectName: request.state.project.name,
      targets: request.state.commandLog.targets,
    }),
    "Command log targets",
  );
}
