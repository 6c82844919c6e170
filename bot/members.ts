import { TeamsInfo, type TurnContext } from "botbuilder";
import { LIMITS } from "../governance/limits.js";
import type { Person } from "../governance/roles.js";

export class MentionProblem extends Error {
  override readonly name = "MentionProblem";
}

interface MentionEntity {
  type: string;
  mentioned?: { id?: string; name?: string };
}

/** The people @mentioned in a message, other than the bot itself, in the order they were mentioned. */
export function mentionedAccounts(context: TurnContext): Array<{ id: string; name: string }> {
  const botId = context.activity.recipient?.id;
  const seen = new Set<string>();
  const accounts: Array<{ id: string; name: string }> = [];
  for (const entity of (context.activity.entities ?? []) as MentionEntity[]) {
    const id = entity.mentioned?.id;
    if (entity.type !== "mention" || !id || id === botId || seen.has(id)) continue;
    seen.add(id);
    accounts.push({ id, name: entity.mentioned?.name ?? id });
  }
  return accounts;
}

/**
 * Resolves @mentions to Entra object ids through the Teams members API: a mention carries only the Teams user
 * id, and roles are held by Entra object id.
 */
export async function resolveMentionedPeople(context: TurnContext): Promise<Person[]> {
  const people: Person[] = [];
  const accounts = mentionedAccounts(context);
  if (accounts.length > LIMITS.mentionsPerCommand) {
    throw new MentionProblem(
      `Name at most ${LIMITS.mentionsPerCommand} people in one command (you named ${accounts.length}).`,
    );
  }
  for (const account of accounts) {
    let member: { aadObjectId?: string; name?: string };
    try {
      member = await TeamsInfo.getMember(context, account.id);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) {
        throw new MentionProblem(
          `${account.name} is not a member of this team, so they cannot hold a project role.`,
        );
      }
      throw error;
    }
    if (!member.aadObjectId) {
      throw new MentionProblem(`Teams did not give an Entra ID for ${account.name} (a guest or a bot?).`);
    }
    people.push({
      objectId: member.aadObjectId.toLowerCase(),
      name: (member.name ?? account.name).slice(0, 200),
    });
  }
  return people;
}
