import { type Activity, MessageFactory } from "botbuilder";
import type { Issue } from "../governance/commandLog.js";
import type { GovernanceEvent } from "../governance/events.js";
import { alertReason, peopleToAlert } from "../governance/issueRules.js";
import type { ProjectState } from "../governance/project.js";

/**
 * The message that calls the site's registered managers and the project lead at once when a P1 is raised or a
 * workaround is judged unsafe (domain page §2 triggers). Undefined when the change calls for none. People are
 * @mentioned by Entra object id, which Teams accepts in a mention, so no member lookup delays the alert.
 */
export function alertFor(
  state: ProjectState,
  events: readonly GovernanceEvent[],
  issue: Issue | undefined,
): Partial<Activity> | undefined {
  const reason = alertReason(events);
  if (!reason || !issue) return undefined;
  const people = peopleToAlert(state, issue.site);
  const mentions = people.map((p) => ({
    type: "mention",
    text: `<at>${escapeMarkup(p.name)}</at>`,
    mentioned: { id: p.objectId, name: p.name },
  }));
  const where = issue.site ? ` at ${issue.site}` : "";
  const who =
    mentions.length > 0
      ? mentions.map((m) => m.text).join(", ")
      : "No registered manager or project lead holds a role yet: give the roles, then look at this now";
  const message = MessageFactory.text(
    `**${reason}**${where}: ${escapeMarkup(issue.description.slice(0, 200))}\n\n${who} — please look now. Type issue ${issue.id} for its triage card.`,
  );
  message.entities = mentions;
  message.summary = `${reason}${where}`;
  return message;
}

/** What people typed must not become markup in the alert (a stray <at> would mention someone else). */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
