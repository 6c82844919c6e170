import {
  type ControlKind,
  type Issue,
  type IssueEvent,
  type IssueTargets,
  type IssueType,
  issueIdOf,
  type Priority,
  proposePriority,
  type Triage,
} from "./commandLog.js";
import type { Decision } from "./decisions.js";
import { type Actor, type GovernanceEvent, GovernanceEventSchema } from "./events.js";
import type { ProjectState } from "./project.js";
import { type Person, ROLE_TITLES, type Role, rolesOf } from "./roles.js";

/**
 * Who may do what to an issue in the go-live command log (domain page §2), as pure rules. A refusal names the
 * roles that can; nothing is recorded.
 */

/** Leads who triage and assign: the project lead owns the command log, with operations, quality and managers. */
export const TRIAGE_ROLES: readonly Role[] = [
  "project-lead",
  "operations-lead",
  "registered-manager",
  "quality-lead",
];
/** Who can record an issue resolved (besides its owner): the leads who own the log, and suppliers. */
export const RESOLVE_ROLES: readonly Role[] = ["project-lead", "operations-lead", "supplier"];
/** Who verifies a closure (besides the raiser): never the person who resolved it. */
export const VERIFY_ROLES: readonly Role[] = [
  "project-lead",
  "operations-lead",
  "registered-manager",
  "quality-lead",
];

function roleList(roles: readonly Role[]): string {
  const titles = roles.map((r) => ROLE_TITLES[r].toLowerCase());
  return titles.length <= 1 ? (titles[0] ?? "") : `${titles.slice(0, -1).join(", ")} or ${titles.at(-1)}`;
}

function refused(message: string, neededRole?: Role): Decision {
  return { outcome: "refused", message, ...(neededRole ? { neededRole } : {}) };
}

/** Anyone holding a role in the project is a member; everyone else can neither raise nor change an issue. */
export function refuseNonMember(state: ProjectState, actor: Actor, doing: string): Decision | undefined {
  if (rolesOf(state.roles, actor.objectId).size > 0) return undefined;
  const leads = state.roles.filter((a) => a.role === "project-lead").map((a) => a.person.name);
  return refused(
    `Only people with a role in this go-live project can ${doing}. Ask the project lead${leads.length ? ` (${leads.join(" or ")})` : ""} to give you one, e.g. team leader.`,
  );
}

export function refuseUnlessAnyRole(
  state: ProjectState,
  actor: Actor,
  roles: readonly Role[],
  doing: string,
  alsoAllowed = false,
): Decision | undefined {
  if (alsoAllowed) return undefined;
  const held = rolesOf(state.roles, actor.objectId);
  if (roles.some((r) => held.has(r))) return undefined;
  return refused(`Only a ${roleList(roles)} can ${doing}.`, roles[0]);
}

function siteProblem(state: ProjectState, site: string | undefined): Decision | undefined {
  if (site === undefined) return undefined;
  const sites = state.project.settings.sites;
  if (sites.length === 0 || sites.some((s) => s.toLowerCase() === site.toLowerCase())) return undefined;
  return refused(`"${site}" is not one of this project's sites (${sites.join(", ")}).`);
}

/** The site as the project spells it. */
function canonicalSite(state: ProjectState, site: string | undefined): string | undefined {
  if (site === undefined) return undefined;
  return state.project.settings.sites.find((s) => s.toLowerCase() === site.toLowerCase()) ?? site;
}

export interface RaiseRequest {
  type: IssueType;
  priority?: Priority;
  careImpacting: boolean;
  workaround: boolean;
  site?: string;
  description: string;
}

export function decideRaise(state: ProjectState, actor: Actor, request: RaiseRequest): Decision {
  const refusal = refuseNonMember(state, actor, "raise issues") ?? siteProblem(state, request.site);
  if (refusal) return refusal;
  const site = canonicalSite(state, request.site);
  const priority = request.priority ?? proposePriority(request);
  return {
    outcome: "record",
    events: [
      {
        kind: "issue.raised",
        issueId: issueIdOf(state.commandLog.raised + 1),
        type: request.type,
        priority,
        priorityProposed: request.priority === undefined,
        careImpacting: request.careImpacting,
        workaround: request.workaround,
        ...(site !== undefined ? { site } : {}),
        description: request.description,
      },
    ],
  };
}

/** A change to an existing issue, as made from its triage card or a command. */
export type IssueChange =
  | { kind: "triage"; triage: Partial<Triage> }
  | { kind: "workaround"; unsafe: boolean }
  | { kind: "assign"; owner: Person; dueBy?: string }
  | { kind: "update"; update: "update" | "action"; text: string }
  | { kind: "control"; control: { kind: ControlKind; text: string } }
  | { kind: "resolve"; evidence: string }
  | { kind: "reopen"; reason: string }
  | { kind: "verify"; note: string };

const triageOf = (issue: Issue): Triage => ({
  type: issue.type,
  priority: issue.priority,
  careImpacting: issue.careImpacting,
  ...(issue.site !== undefined ? { site: issue.site } : {}),
  ...(issue.theme !== undefined ? { theme: issue.theme } : {}),
});

/**
 * Records the event when it reads back as a log entry; otherwise refuses, saying what is wrong (the card and
 * command parsers check first; this keeps the rule safe for every caller).
 */
function record(event: IssueEvent): Decision {
  const parsed = GovernanceEventSchema.safeParse(event);
  if (parsed.success) return { outcome: "record", events: [parsed.data] };
  const problem = parsed.error.issues[0];
  return refused(
    `Please check ${problem?.path.slice(1).join(".") || "the change"}: ${problem?.message ?? "it cannot be recorded"}.`,
  );
}

/**
 * A registered manager bound to sites acts on those sites' issues only (unless they also hold a project-wide
 * lead role): their judgement on another site's issue is refused, naming who decides there.
 */
function refuseOtherSite(
  state: ProjectState,
  objectId: string,
  sites: ReadonlyArray<string | undefined>,
  done: string,
): Decision | undefined {
  const ownSites = managedSitesOnly(state, objectId);
  if (!ownSites) return undefined;
  const outside = sites.find((site) => site !== undefined && !ownSites.includes(site.toLowerCase()));
  if (outside === undefined) return undefined;
  return refused(
    `Issues at ${outside} are ${done} by its registered manager or a project-wide lead, not by a registered manager for another site.`,
    "registered-manager",
  );
}

/** The sites a person manages, when every triage right they hold is a site-bound registered manager's. */
function managedSitesOnly(state: ProjectState, objectId: string): string[] | undefined {
  const held = state.roles.filter((a) => a.person.objectId === objectId);
  const otherTriage = held.some(
    (a) => TRIAGE_ROLES.includes(a.role) && !(a.role === "registered-manager" && a.site !== undefined),
  );
  if (otherTriage) return undefined;
  return held
    .filter((a) => a.role === "registered-manager" && a.site)
    .map((a) => (a.site ?? "").toLowerCase());
}

export function decideIssueChange(
  state: ProjectState,
  issue: Issue | undefined,
  actor: Actor,
  change: IssueChange,
  issueId: string,
): Decision {
  if (!issue) return refused(`There is no issue ${issueId} in this project's command log.`);
  const nonMember = refuseNonMember(state, actor, "change an issue");
  if (nonMember) return nonMember;
  const me = actor.objectId.toLowerCase();
  const id = issue.id;
  if (issue.status === "closed" && change.kind !== "reopen") {
    return refused(`${id} is closed and its closure verified. Reopen it first, saying why.`);
  }
  switch (change.kind) {
    case "triage": {
      const r = refuseUnlessAnyRole(state, actor, TRIAGE_ROLES, "triage an issue");
      if (r) return r;
      const before = triageOf(issue);
      const after: Triage = { ...before, ...change.triage };
      for (const key of ["site", "theme"] as const) if (after[key] === undefined) delete after[key];
      // A site no longer in the settings may stay on an old issue; a newly set site must be the project's.
      const siteChanged = (after.site ?? "").toLowerCase() !== (before.site ?? "").toLowerCase();
      const siteRefusal = siteChanged ? siteProblem(state, after.site) : undefined;
      if (siteRefusal) return siteRefusal;
      if (siteChanged && after.site !== undefined) after.site = canonicalSite(state, after.site);
      else if (!siteChanged && before.site !== undefined) after.site = before.site;
      // A registered manager for one site triages that site's issues, and cannot move an issue to their site.
      const elsewhere = refuseOtherSite(state, me, [before.site, after.site], "triaged");
      if (elsewhere) return elsewhere;
      const same = JSON.stringify(after) === JSON.stringify(before);
      // Confirming a proposed priority as it stands is still a decision worth recording.
      if (same && !issue.priorityProposed) {
        return { outcome: "unchanged", message: `${id} already reads like that, so nothing was changed.` };
      }
      return record({ kind: "issue.triaged", issueId: id, before, after });
    }
    case "workaround": {
      // Anyone may say a workaround is unsafe; calling it safe again is a lead's judgement.
      if (!change.unsafe && issue.workaroundUnsafe === true) {
        const r =
          refuseUnlessAnyRole(state, actor, TRIAGE_ROLES, "judge an unsafe workaround safe") ??
          refuseOtherSite(state, me, [issue.site], "judged");
        if (r) return r;
      }
      if (issue.workaroundUnsafe === change.unsafe) {
        return {
          outcome: "unchanged",
          message: `The workaround on ${id} is already recorded as ${change.unsafe ? "unsafe" : "safe"}.`,
        };
      }
      return record({
        kind: "issue.workaround-assessed",
        issueId: id,
        unsafe: change.unsafe,
        ...(issue.workaroundUnsafe !== undefined ? { before: issue.workaroundUnsafe } : {}),
      });
    }
    case "assign": {
      const r =
        refuseUnlessAnyRole(state, actor, TRIAGE_ROLES, "assign an issue") ??
        refuseOtherSite(state, me, [issue.site], "assigned");
      if (r) return r;
      if (rolesOf(state.roles, change.owner.objectId).size === 0) {
        return refused(
          `${change.owner.name} holds no role in this project. Give them one first (a supplier / system lead, or an internal lead).`,
        );
      }
      const sameOwner =
        issue.owner?.person.objectId === change.owner.objectId.toLowerCase() &&
        issue.owner?.dueBy === change.dueBy;
      if (sameOwner) return { outcome: "unchanged", message: `${id} is already assigned like that.` };
      return record({
        kind: "issue.assigned",
        issueId: id,
        owner: { objectId: change.owner.objectId.toLowerCase(), name: change.owner.name },
        ...(change.dueBy !== undefined ? { dueBy: change.dueBy } : {}),
        ...(issue.owner
          ? {
              before: {
                owner: issue.owner.person,
                ...(issue.owner.dueBy !== undefined ? { dueBy: issue.owner.dueBy } : {}),
              },
            }
          : {}),
      });
    }
    case "update":
      return record({ kind: "issue.updated", issueId: id, update: change.update, text: change.text });
    case "control": {
      // A temporary control is the registered manager's call, for their own site (or any, if they hold all).
      const holds = state.roles.some(
        (a) =>
          a.role === "registered-manager" &&
          a.person.objectId === me &&
          (a.site === undefined ||
            issue.site === undefined ||
            a.site.toLowerCase() === issue.site.toLowerCase()),
      );
      if (!holds) {
        const managers = state.roles
          .filter(
            (a) =>
              a.role === "registered-manager" &&
              (a.site === undefined ||
                issue.site === undefined ||
                a.site.toLowerCase() === issue.site.toLowerCase()),
          )
          .map((a) => a.person.name);
        return refused(
          `Only a registered manager${issue.site ? ` for ${issue.site}` : ""} can record a temporary control.${managers.length ? ` Ask ${[...new Set(managers)].join(" or ")}.` : ""}`,
          "registered-manager",
        );
      }
      if (issue.status !== "open") return refused(`${id} is resolved: reopen it before adding a control.`);
      return record({ kind: "issue.control-recorded", issueId: id, control: change.control });
    }
    case "resolve": {
      const isOwner = issue.owner?.person.objectId === me;
      const r = refuseUnlessAnyRole(state, actor, RESOLVE_ROLES, "resolve an issue (or its owner)", isOwner);
      if (r) return r;
      if (issue.status !== "open") return refused(`${id} is already resolved.`);
      return record({ kind: "issue.resolved", issueId: id, evidence: change.evidence });
    }
    case "reopen":
      if (issue.status === "open") return { outcome: "unchanged", message: `${id} is already open.` };
      return record({ kind: "issue.reopened", issueId: id, reason: change.reason });
    case "verify": {
      if (issue.status !== "resolved")
        return refused(`${id} is not resolved yet, so there is no closure to verify.`);
      if (issue.resolution?.by.objectId === me) {
        return refused(
          `You resolved ${id}, so someone else must verify the closure: a second pair of eyes is the point.`,
        );
      }
      const isRaiser = issue.raisedBy.objectId === me;
      const r = refuseUnlessAnyRole(
        state,
        actor,
        VERIFY_ROLES,
        "verify a closure (or the person who raised it)",
        isRaiser,
      );
      if (r) return r;
      return record({ kind: "issue.verified", issueId: id, note: change.note });
    }
  }
}

export function decideIssueTargets(state: ProjectState, actor: Actor, after: IssueTargets): Decision {
  const held = rolesOf(state.roles, actor.objectId);
  if (!held.has("project-lead")) {
    return refused("Only the project lead can change the command log's response targets.", "project-lead");
  }
  const before = state.commandLog.targets;
  const same =
    before.controlMinutes === after.controlMinutes &&
    (["P1", "P2", "P3", "P4"] as const).every(
      (p) =>
        before[p].firstResponseMinutes === after[p].firstResponseMinutes &&
        before[p].resolutionMinutes === after[p].resolutionMinutes,
    );
  if (same) {
    return { outcome: "unchanged", message: "The targets were already as shown." };
  }
  return { outcome: "record", events: [{ kind: "issue.targets-changed", before, after }] };
}

/**
 * Why a change calls for the site's registered managers and the project lead at once: a P1 raised (or raised to
 * P1), or a workaround judged unsafe. Undefined when it does not.
 */
export function alertReason(events: readonly GovernanceEvent[]): string | undefined {
  for (const e of events) {
    if (e.kind === "issue.raised" && e.priority === "P1") return `P1 raised: ${e.issueId}`;
    if (e.kind === "issue.triaged" && e.after.priority === "P1" && e.before.priority !== "P1")
      return `${e.issueId} is now P1`;
    if (e.kind === "issue.workaround-assessed" && e.unsafe && e.before !== true)
      return `Unsafe workaround on ${e.issueId}`;
  }
  return undefined;
}

/** The registered managers of the issue's site (or of every site) and the project leads, once each. */
export function peopleToAlert(state: ProjectState, site: string | undefined): Person[] {
  const people = new Map<string, Person>();
  for (const a of state.roles) {
    const manager =
      a.role === "registered-manager" &&
      (site === undefined || a.site === undefined || a.site.toLowerCase() === site.toLowerCase());
    if (manager || a.role === "project-lead") people.set(a.person.objectId, a.person);
  }
  return [...people.values()];
}
