import type { IssueCardView, IssueListView } from "../adaptive-cards/issueCards.js";
import type { Issue, IssueSummary } from "../governance/commandLog.js";
import { issueClocks, overdueClocks } from "../governance/issueClocks.js";
import type { ProjectState } from "../governance/project.js";
import { ROLE_TITLES, type Role } from "../governance/roles.js";
import type { IssueFilter } from "./commands.js";

/** Issues shown on one page of a list: 20 keeps the card far below Teams' 28 KB whatever people typed. */
export const ISSUES_PER_PAGE = 20;

/** People who can own an issue: everyone holding a role, suppliers first, then by name. */
export function possibleOwners(state: ProjectState): IssueCardView["owners"] {
  const people = new Map<string, { objectId: string; name: string; roles: Role[] }>();
  for (const a of state.roles) {
    const person = people.get(a.person.objectId) ?? { ...a.person, roles: [] };
    if (!person.roles.includes(a.role)) person.roles.push(a.role);
    people.set(a.person.objectId, person);
  }
  return [...people.values()]
    .sort(
      (a, b) =>
        Number(b.roles.includes("supplier")) - Number(a.roles.includes("supplier")) ||
        a.name.localeCompare(b.name),
    )
    .map((p) => ({
      objectId: p.objectId,
      name: p.name,
      roles: p.roles.map((r) => ROLE_TITLES[r]).join(", "),
    }));
}

export function issueView(
  projectId: string,
  state: ProjectState,
  issue: Issue,
  now: Date,
  notice?: string,
): IssueCardView {
  return {
    projectId,
    projectName: state.project.name,
    issue,
    clocks: issueClocks(issue, state.commandLog.targets, now),
    timeZone: state.project.settings.timeZone,
    sites: state.project.settings.sites,
    owners: possibleOwners(state),
    ...(notice ? { notice } : {}),
  };
}

const PRIORITY_RANK = { P1: 0, P2: 1, P3: 2, P4: 3 } as const;

/** Filters and orders a list: overdue first, then by priority, care-impacting first, then oldest first. */
export function listRows(
  summaries: readonly IssueSummary[],
  filter: IssueFilter,
  state: ProjectState,
  viewer: string,
  now: Date,
): IssueListView["rows"] {
  const site = filter.site?.toLowerCase();
  return summaries
    .filter(
      (s) =>
        (!filter.mine || s.raisedBy.objectId === viewer || s.owner?.person.objectId === viewer) &&
        (!filter.care || s.careImpacting) &&
        (!filter.priority || s.priority === filter.priority) &&
        (site === undefined || s.site?.toLowerCase() === site),
    )
    .map((summary) => ({ summary, overdue: overdueClocks(summary, state.commandLog.targets, now) }))
    .filter((row) => !filter.overdue || row.overdue.length > 0)
    .sort(
      (a, b) =>
        Number(b.overdue.length > 0) - Number(a.overdue.length > 0) ||
        PRIORITY_RANK[a.summary.priority] - PRIORITY_RANK[b.summary.priority] ||
        Number(b.summary.careImpacting) - Number(a.summary.careImpacting) ||
        a.summary.number - b.summary.number,
    );
}

export function listTitle(filter: IssueFilter): string {
  const words = [
    filter.mine ? "Your" : undefined,
    filter.overdue ? "overdue" : undefined,
    filter.list === "resolved" ? "resolved issues awaiting verification" : "open",
    filter.priority,
    filter.care ? "care-impacting" : undefined,
    filter.list === "resolved" ? undefined : "issues",
    filter.site ? `at ${filter.site}` : undefined,
  ].filter((w): w is string => w !== undefined);
  const title = words.join(" ");
  return title.charAt(0).toUpperCase() + title.slice(1);
}
