import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import type { AdaptiveCard } from "../adaptive-cards/cards.js";
import {
  ISSUE_VERBS,
  issueCard,
  issueNoticeCard,
  issueTargetsCard,
  parseDuration,
} from "../adaptive-cards/issueCards.js";
import {
  ControlKindSchema,
  EvidenceSchema,
  IssueIdSchema,
  type IssueTargets,
  IssueTargetsSchema,
  IssueTypeSchema,
  PRIORITIES,
  PrioritySchema,
  ReasonSchema,
  ThemeSchema,
  UpdateTextSchema,
} from "../governance/commandLog.js";
import { zonedTimeToIso } from "../governance/issueClocks.js";
import { decideIssueChange, decideIssueTargets, type IssueChange } from "../governance/issueRules.js";
import type { ProjectState } from "../governance/project.js";
import { EntraObjectIdSchema } from "../governance/roles.js";
import { actorOf } from "./activity.js";
import {
  type CardScope,
  cardActionKey,
  cardFailureMessage,
  changeFromCard,
  runCardAction,
} from "./cardScope.js";
import { type IssueFilter, parseCommand } from "./commands.js";
import { type ConversationDependencies, resultMessage, type TurnRecord } from "./conversation.js";
import { alertFor } from "./issueAlerts.js";
import { issueListPage, raiseFromPersonalChat, sendAlert } from "./issueCommands.js";
import { issueView } from "./issueViews.js";
import { errorProperties } from "./logger.js";
import { FAILURE_MESSAGES } from "./replies.js";

/** Card inputs arrive as text; "" means not given. */
const optionalText = z
  .string()
  .optional()
  .transform((s) => (s ?? "").trim());
const flag = z.union([z.boolean(), z.enum(["true", "false"])]).transform((v) => v === true || v === "true");

const IssueDataSchema = z.object({ issueId: IssueIdSchema }).catchall(z.unknown());

/** How the card's inputs are labelled, for messages about them. */
const INPUT_LABELS: Record<string, string> = {
  priority: "Priority",
  type: "Type",
  site: "Site",
  theme: "Theme",
  careImpacting: "Care-impacting",
  unsafe: "Unsafe or safe",
  owner: "Owner",
  updateKind: "Update or action",
  updateText: "The update",
  controlKind: "Kind of control",
  controlText: "The control",
  evidence: "Closure evidence",
  reason: "The reason",
  note: "The note",
};

/**
 * The first problem with a card's inputs, in the card's words: our own messages as they are ("The update is
 * needed"); zod's generic ones (a crafted or damaged card) as "{label} is missing or not one of the choices".
 */
function plainProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const label = INPUT_LABELS[String(issue?.path[0] ?? "")] ?? "An answer on the card";
  if (issue?.code === "custom" || issue?.code === "too_small" || issue?.code === "too_big")
    return issue.message;
  return `${label} is missing or not one of the choices`;
}

/** What each button of the triage card asks for, read from the card's inputs. */
function changeFor(
  verb: string,
  data: Record<string, unknown>,
  state: ProjectState,
): IssueChange | { problem: string } {
  const read = <T extends z.ZodTypeAny>(schema: T): z.infer<T> | { problem: string } => {
    const parsed = schema.safeParse(data);
    return parsed.success ? parsed.data : { problem: plainProblem(parsed.error) };
  };
  switch (verb) {
    case ISSUE_VERBS.triage: {
      const r = read(
        z.object({
          priority: PrioritySchema,
          type: IssueTypeSchema,
          site: optionalText,
          theme: optionalText.pipe(z.string().max(60, "The theme: at most 60 characters")),
          careImpacting: flag.optional(),
        }),
      );
      if ("problem" in r) return r;
      const theme = r.theme === "" ? undefined : ThemeSchema.parse(r.theme);
      return {
        kind: "triage",
        triage: {
          priority: r.priority,
          type: r.type,
          site: r.site === "" ? undefined : r.site,
          theme,
          ...(r.careImpacting !== undefined ? { careImpacting: r.careImpacting } : {}),
        },
      };
    }
    case ISSUE_VERBS.workaround: {
      const r = read(z.object({ unsafe: flag }));
      return "problem" in r ? r : { kind: "workaround", unsafe: r.unsafe };
    }
    case ISSUE_VERBS.assign: {
      const r = read(z.object({ owner: EntraObjectIdSchema, dueDate: optionalText, dueTime: optionalText }));
      if ("problem" in r) return { problem: "Pick the owner from the list" };
      const owner = state.roles.find((a) => a.person.objectId === r.owner)?.person;
      if (!owner) return { problem: "The owner must hold a role in this project: pick one from the list" };
      if (r.dueDate === "" && r.dueTime !== "")
        return { problem: "Give the timescale's date as well as its time" };
      let dueBy: string | undefined;
      if (r.dueDate !== "") {
        dueBy = zonedTimeToIso(r.dueDate, r.dueTime || "17:00", state.project.settings.timeZone);
        if (!dueBy) return { problem: "The timescale needs a real date (and a time as HH:MM)" };
      }
      return { kind: "assign", owner, ...(dueBy ? { dueBy } : {}) };
    }
    case ISSUE_VERBS.update: {
      const r = read(
        z.object({
          updateKind: z.enum(["update", "action"]).default("update"),
          updateText: UpdateTextSchema,
        }),
      );
      return "problem" in r ? r : { kind: "update", update: r.updateKind, text: r.updateText };
    }
    case ISSUE_VERBS.control: {
      const r = read(z.object({ controlKind: ControlKindSchema, controlText: UpdateTextSchema }));
      return "problem" in r ? r : { kind: "control", control: { kind: r.controlKind, text: r.controlText } };
    }
    case ISSUE_VERBS.resolve: {
      const r = read(z.object({ evidence: EvidenceSchema }));
      if ("problem" in r) {
        return { problem: "Closure evidence is required: say what was done and how you know it is fixed" };
      }
      return { kind: "resolve", evidence: r.evidence };
    }
    case ISSUE_VERBS.reopen: {
      const r = read(z.object({ reason: ReasonSchema }));
      return "problem" in r
        ? { problem: "Say why the issue is reopened" }
        : { kind: "reopen", reason: r.reason };
    }
    case ISSUE_VERBS.verify: {
      const r = read(
        z.object({ note: optionalText.pipe(z.string().max(1_000, "The note: at most 1,000 characters")) }),
      );
      return "problem" in r ? r : { kind: "verify", note: r.note };
    }
    default:
      return { problem: "This card's button is not one I know" };
  }
}

/**
 * Posted issue cards are updated one at a time per message, each from the issue as stored when its turn comes,
 * so two people changing one issue at once can never leave the older card showing.
 */
const postedUpdates = new Map<string, Promise<void>>();

async function refreshPostedIssueCard(
  context: TurnContext,
  deps: ConversationDependencies,
  scope: CardScope,
  issueId: string,
): Promise<void> {
  const messageId = context.activity.replyToId;
  if (!messageId) return;
  const key = `${context.activity.conversation?.id ?? ""}/${messageId}`;
  const previous = postedUpdates.get(key) ?? Promise.resolve();
  const update = previous.then(async () => {
    const [issue, state] = await Promise.all([
      deps.log.readIssue(scope.projectId, issueId),
      deps.log.readState(scope.projectId),
    ]);
    if (!issue || !state) return;
    const activity = MessageFactory.attachment(
      CardFactory.adaptiveCard(issueCard(issueView(scope.projectId, state, issue, deps.clock()))),
    );
    activity.id = messageId;
    await context.updateActivity(activity);
  });
  const settled = update.catch(() => undefined);
  postedUpdates.set(key, settled);
  void settled.then(() => {
    if (postedUpdates.get(key) === settled) postedUpdates.delete(key);
  });
  await update;
}

/** A button on an issue's triage card: one change to the issue, one governance log entry. */
export async function handleIssueAction(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key, turn }) => {
    const { actor, projectId } = scope;
    const parsed = IssueDataSchema.safeParse(data);
    if (!parsed.success) return "This card does not say which issue it is for. Nothing was changed.";
    const issueId = parsed.data.issueId;
    const state = (await deps.log.readState(projectId)) ?? scope.state;
    const change = changeFor(verb, parsed.data, state);
    if ("problem" in change) return `${change.problem}. Nothing was changed.`;

    const result = await changeFromCard(
      deps,
      scope,
      { key, turn },
      verb,
      (current, issues) => decideIssueChange(current, issues.get(issueId), actor, change, issueId),
      { issueIds: [issueId] },
    );
    if (result.status === "refused") return resultMessage(result);
    const issue = result.issues.get(issueId);
    if (!result.state || !issue) return resultMessage(result);
    // The alert goes first: a P1 or an unsafe workaround must reach the managers even if the card cannot update.
    const alert =
      result.status === "recorded" ? alertFor(result.state, result.entry.events, issue) : undefined;
    const alertProblem = alert
      ? await sendAlert(deps, issueId, () => context.sendActivity(alert))
      : undefined;
    if (turn.recorded) {
      try {
        await refreshPostedIssueCard(context, deps, scope, issueId);
      } catch (error) {
        // Recorded, and the person gets the new card below; only the copy everyone sees is behind.
        deps.logger.warn("posted issue card not updated", { issueId, ...errorProperties(error) });
      }
    }
    const notice = [
      result.status === "unchanged"
        ? result.message
        : `${resultMessage(result)}${result.status === "duplicate" ? " (already recorded)" : ""}`,
      alertProblem,
    ]
      .filter(Boolean)
      .join(" ");
    return issueCard(issueView(projectId, result.state, issue, deps.clock(), notice));
  });
}

const FilterSchema = z.object({
  list: z.enum(["open", "resolved"]),
  mine: z.boolean().optional(),
  care: z.boolean().optional(),
  priority: PrioritySchema.optional(),
  site: z.string().max(80).optional(),
  overdue: z.boolean().optional(),
});

/** Previous / Next on a list of issues. */
export async function handleIssuePage(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope) => {
    const parsed = z
      .object({ filter: z.string().max(500), page: z.coerce.number().int().min(1).max(100_000) })
      .safeParse(data);
    if (!parsed.success) return "This list's button could not be read. Type issues to list them again.";
    let filter: IssueFilter;
    try {
      filter = FilterSchema.parse(JSON.parse(parsed.data.filter)) as IssueFilter;
    } catch {
      return "This list's button could not be read. Type issues to list them again.";
    }
    return issueListPage(deps, {
      projectId: scope.projectId,
      state: scope.state,
      actor: scope.actor,
      filter,
      page: parsed.data.page,
    });
  });
}

/** Save on the targets card (project lead): first response and resolution per priority, the control time. */
export async function handleTargetsSave(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key, turn }) => {
    const { actor, projectId } = scope;
    const input = (data ?? {}) as Record<string, unknown>;
    const minutes = (field: string): number | undefined =>
      typeof input[field] === "string" ? parseDuration(input[field] as string) : undefined;
    const typed: Record<string, unknown> = { controlMinutes: minutes("control") };
    for (const p of PRIORITIES) {
      typed[p] = {
        firstResponseMinutes: minutes(`${p}:firstResponse`),
        resolutionMinutes: minutes(`${p}:resolution`),
      };
    }
    const targets = IssueTargetsSchema.safeParse(typed);
    if (!targets.success) {
      return "Write each target as minutes, hours or days, e.g. 15m, 4h or 3d. Nothing was changed.";
    }
    const after: IssueTargets = targets.data;
    const slower = PRIORITIES.find((p) => after[p].resolutionMinutes < after[p].firstResponseMinutes);
    if (slower)
      return `${slower}'s resolution target is shorter than its first response. Nothing was changed.`;
    const result = await changeFromCard(deps, scope, { key, turn }, verb, (current) =>
      decideIssueTargets(current, actor, after),
    );
    if (result.status === "refused") return resultMessage(result);
    if (!result.state) return resultMessage(result);
    return issueTargetsCard({
      projectId,
      projectName: result.state.project.name,
      targets: result.state.commandLog.targets,
      notice: resultMessage(result),
    });
  });
}

/** A project picked on the "which project?" card in personal chat: the issue is raised there. */
export async function handleRaiseIn(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  const turn: TurnRecord = { recorded: false };
  try {
    const actor = actorOf(context.activity);
    if (!actor) return FAILURE_MESSAGES.unknownPerson;
    const parsed = z
      .object({ projectId: z.string().max(64), raiseText: z.string().max(2_000) })
      .safeParse(data);
    const command = parsed.success ? parseCommand(parsed.data.raiseText) : undefined;
    if (!parsed.success || command?.kind !== "raise") {
      return "This card could not be read. Type raise … again. Nothing was recorded.";
    }
    const answer = await raiseFromPersonalChat(context, deps, turn, {
      actor,
      key: cardActionKey(context, verb, data),
      raise: command.request,
      typed: parsed.data.raiseText,
      projectId: parsed.data.projectId,
    });
    // The answer replaces the "which project?" card, so its other buttons cannot raise the issue twice.
    return issueNoticeCard({ title: "Raised", text: answer ?? "Pick one project." });
  } catch (error) {
    return cardFailureMessage(context, deps, error, turn);
  }
}
