import { CardFactory, MessageFactory, TeamsInfo, type TurnContext } from "botbuilder";
import { z } from "zod";
import { type AdaptiveCard, ROLES_ON_SETUP_CARD, SETUP_VERB, setupCard } from "../adaptive-cards/cards.js";
import { decideSettings, onProject, refuseForeignTenant } from "../governance/decisions.js";
import { LIMITS } from "../governance/limits.js";
import { ProjectSettingsSchema } from "../governance/project.js";
import { EntraObjectIdSchema, type Person, type RoleAssignment } from "../governance/roles.js";
import { cardActionKey, cardFailureMessage, readableIssues, resolveCardScope } from "./cardScope.js";
import {
  type ConversationDependencies,
  refusalUnlessRole,
  resultMessage,
  type TurnRecord,
} from "./conversation.js";

const peopleIds = z
  .string()
  .max(LIMITS.peoplePerRoleFromCard * 40)
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== ""),
  )
  .pipe(
    z
      .array(EntraObjectIdSchema)
      .max(LIMITS.peoplePerRoleFromCard, `at most ${LIMITS.peoplePerRoleFromCard} people per role`),
  );

const SetupCardDataSchema = z.object({
  projectId: z.string().max(64),
  /** The log entry the card was rendered at (see setupCard); -1 for a card that did not say. */
  basis: z.preprocess((v) => v ?? -1, z.coerce.number().int().min(-1).max(1e12)),
  goLiveDate: z.string().max(20).optional(),
  sites: z
    .string()
    .max(LIMITS.sitesPerProject * (LIMITS.siteNameCharacters + 2))
    .optional(),
  timeZone: z.string().max(64),
  digestTime: z.string().max(10),
  ...Object.fromEntries(ROLES_ON_SETUP_CARD.map((role) => [`role:${role}`, peopleIds])),
});

/** Names for people picked on the card: the picker gives only Entra object ids. */
export async function namePeople(context: TurnContext, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    try {
      const member = await TeamsInfo.getMember(context, id);
      names.set(id, (member.name ?? "").slice(0, 200) || `Entra user ${id.slice(0, 8)}`);
    } catch (error) {
      // Picked from the directory but not (yet) in this team: the object id is what counts; say so in the name.
      // Any other failure (throttling, an outage) is not a fact about the person: nothing is recorded.
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 404) throw error;
      names.set(id, `Entra user ${id.slice(0, 8)} (not in this team)`);
    }
  }
  return names;
}

/** Save on the setup card: settings and people for roles, by the project lead. Returns the refreshed card. */
export async function handleSetupCardSave(
  context: TurnContext,
  deps: ConversationDependencies,
  data: unknown,
): Promise<AdaptiveCard | string> {
  const turn: TurnRecord = { recorded: false };
  try {
    return await saveSetup(context, deps, data, turn);
  } catch (error) {
    return cardFailureMessage(context, deps, error, turn);
  }
}

async function saveSetup(
  context: TurnContext,
  deps: ConversationDependencies,
  data: unknown,
  turn: TurnRecord,
): Promise<AdaptiveCard | string> {
  const scope = await resolveCardScope(context, deps, data, {
    attempted: "project settings",
    idempotencyKey: cardActionKey(context, SETUP_VERB, data),
  });
  if (typeof scope === "string") return scope;
  const { actor, origin, projectId } = scope;
  const parsed = SetupCardDataSchema.safeParse(data);
  if (!parsed.success) {
    return `The card's answers could not be read (${readableIssues(parsed.error)}). Nothing was changed.`;
  }

  const goLiveDate = parsed.data.goLiveDate?.trim() ?? "";
  const sites = [
    ...new Map(
      (parsed.data.sites ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .map((s) => [s.toLowerCase(), s] as const),
    ).values(),
  ];
  const settings = ProjectSettingsSchema.safeParse({
    ...(goLiveDate !== "" ? { goLiveDate } : {}),
    sites,
    timeZone: parsed.data.timeZone.trim(),
    digestTime: parsed.data.digestTime.trim().slice(0, 5),
  });
  if (!settings.success) return `Please check: ${readableIssues(settings.error)}. Nothing was changed.`;

  const picked = ROLES_ON_SETUP_CARD.flatMap((role) =>
    ((parsed.data as Record<string, unknown>)[`role:${role}`] as string[]).map((objectId) => ({
      role,
      objectId,
    })),
  );
  if (picked.length > LIMITS.peopleFromSetupCard) {
    return `Pick at most ${LIMITS.peopleFromSetupCard} people in one save (you picked ${picked.length}). Nothing was changed.`;
  }

  // Who may save is checked before anyone is looked up in Teams.
  const notLead = await refusalUnlessRole(
    deps,
    projectId,
    scope.state,
    actor,
    "change the project's settings",
  );
  if (notLead) return `${notLead} Nothing was changed.`;

  const names = await namePeople(
    context,
    picked.map((p) => p.objectId),
  );
  const assignments: RoleAssignment[] = picked.map(({ role, objectId }) => ({
    role,
    person: { objectId, name: names.get(objectId) ?? objectId } satisfies Person,
  }));

  const result = await deps.log.change({
    projectId,
    idempotencyKey: cardActionKey(context, SETUP_VERB, data),
    actor,
    decide: onProject((state) => {
      return (
        refuseForeignTenant(state, origin.tenantId) ??
        decideSettings(state, actor, { settings: settings.data, assignments })
      );
    }),
  });
  turn.recorded = result.status === "recorded" || result.status === "duplicate";
  if ((result.status === "recorded" || result.status === "duplicate") && result.state) {
    const card = setupCard(
      result.state,
      `Saved by ${actor.name}. ${resultMessage(result)}`,
      result.entry.seq,
    );
    // Everyone in the channel sees the saved settings, not only the person who saved them.
    if (context.activity.replyToId) {
      const update = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      update.id = context.activity.replyToId;
      await context.updateActivity(update);
    }
    return card;
  }
  if (result.status === "unchanged" && result.state) {
    return setupCard(result.state, result.message, (await deps.log.head(projectId))?.seq ?? 0);
  }
  return resultMessage(result);
}
