import type { ChainVerification } from "../governance/chain.js";
import type { CommandHelp } from "../governance/help.js";
import type { ProjectState } from "../governance/project.js";
import { ROLE_TITLES, ROLES, type Role } from "../governance/roles.js";
import { type AdaptiveCard, expand } from "./render.js";
import helpTemplate from "./templates/help.json" with { type: "json" };
import logVerifyTemplate from "./templates/log-verify.json" with { type: "json" };
import rolesTemplate from "./templates/roles.json" with { type: "json" };
import setupTemplate from "./templates/setup.json" with { type: "json" };

export type { AdaptiveCard };

/** The verb of the setup card's Save button. */
export const SETUP_VERB = "project.settings";

export function helpCard(options: {
  commands: readonly CommandHelp[];
  projectName?: string;
  roles: ReadonlySet<Role>;
  hint?: string;
}): AdaptiveCard {
  const roleNames = [...options.roles].map((r) => ROLE_TITLES[r]);
  const context = options.projectName
    ? `Project: ${options.projectName}. Your roles: ${roleNames.length > 0 ? roleNames.join(", ") : "none yet"}.`
    : "This conversation has no go-live project yet.";
  return expand(helpTemplate, {
    context: options.hint ? `${options.hint} ${context}` : context,
    commands: options.commands.map((c) => ({ usage: c.usage, does: c.does })),
    footnote: "Type a command with or without a leading /. In a channel, @mention the bot first.",
  });
}

function holdersByRole(state: ProjectState): Map<Role, string[]> {
  const byRole = new Map<Role, string[]>();
  for (const a of state.roles) {
    const label = a.site ? `${a.person.name} (${a.site})` : a.person.name;
    byRole.set(a.role, [...(byRole.get(a.role) ?? []), label]);
  }
  return byRole;
}

export function rolesCard(state: ProjectState): AdaptiveCard {
  const byRole = holdersByRole(state);
  return expand(rolesTemplate, {
    projectName: state.project.name,
    roles: ROLES.map((role) => ({
      title: ROLE_TITLES[role],
      people: byRole.get(role)?.join(", ") ?? "nobody yet",
    })),
    footnote: "The project lead gives roles with: role add {role} @person",
  });
}

/** Roles picked on the setup card (the project lead is given by setup and by role add). */
export const ROLES_ON_SETUP_CARD: readonly Role[] = ROLES.filter((r) => r !== "project-lead");

/**
 * The setup card. `basis` is the governance log entry the card shows the project as of: it goes back with Save, so
 * saving values again on a newer card is a new change, while a double click on one card is the same change.
 */
export function setupCard(state: ProjectState, status: string, basis: number): AdaptiveCard {
  const byRole = holdersByRole(state);
  const s = state.project.settings;
  return expand(setupTemplate, {
    projectName: state.project.name,
    projectId: state.project.id,
    basis,
    status,
    goLiveDate: s.goLiveDate ?? "",
    sites: s.sites.join(", "),
    timeZone: s.timeZone,
    digestTime: s.digestTime,
    roles: ROLES_ON_SETUP_CARD.map((role) => ({
      role,
      title: ROLE_TITLES[role],
      holders: byRole.get(role)?.join(", ") ?? "nobody",
    })),
  });
}

export function logVerifyCard(projectName: string, result: ChainVerification, checkedAt: Date): AdaptiveCard {
  return expand(logVerifyTemplate, {
    projectName,
    verdict: result.ok ? "Intact: every entry matches the chain." : `Broken: ${result.firstProblem.detail}.`,
    verdictColour: result.ok ? "Good" : "Attention",
    length: String(result.length),
    headHash: result.headHash,
    checkedAt: checkedAt.toISOString(),
    explanation: result.ok
      ? result.stateChecked === false
        ? "Every entry matches the chain. The project kept changing while it was checked, so the stored roles and settings were not compared with the log this time: run log verify again."
        : "Each entry's hash covers the one before it, so no entry can be changed, removed or reordered without this check failing; the stored roles and settings match the log."
      : "Something in storage has been changed or removed since it was recorded. Keep this card and tell your IT lead.",
  });
}
