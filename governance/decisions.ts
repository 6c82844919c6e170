import { dateIn } from "./boardDecision.js";
import {
  applyIssueEvent,
  countDay,
  EMPTY_COMMAND_LOG,
  highRiskSummary,
  type Issue,
  isIssueEvent,
  summaryOf,
} from "./commandLog.js";
import type { Actor, GovernanceEvent } from "./events.js";
import {
  type ChannelBinding,
  DEFAULT_SETTINGS,
  type ProjectSettings,
  type ProjectState,
  projectIdForChannel,
} from "./project.js";
import { EMPTY_READINESS } from "./readiness.js";
import { applyReviewEvent } from "./reviewRuns.js";
import { ROLE_TITLES, type Role, type RoleAssignment, rolesOf } from "./roles.js";
import { applyStabilisationEvent, EMPTY_STABILISATION } from "./stabilisation.js";

/**
 * What a governance rule decides about a request: record these events, nothing to record, or refuse. Rules are
 * pure: the store runs them against the state it read and commits the events in one transaction (and runs them
 * again on the newer state if another change got there first).
 */
export type Decision =
  | {
      outcome: "record";
      events: GovernanceEvent[];
      why?: string;
      /** Things to tell the person that are not recorded (e.g. "Tom is already a board member."). */
      notes?: string[];
    }
  | { outcome: "unchanged"; message: string }
  | { outcome: "refused"; message: string; neededRole?: Role };

/** A rule for an existing project, refused (saying so) when the channel has none. */
export function onProject(
  rule: (state: ProjectState) => Decision,
): (state: ProjectState | undefined) => Decision {
  return (state) =>
    state ? rule(state) : { outcome: "refused", message: "This channel has no go-live project yet." };
}

/** Refuses unless the actor holds the role, saying which role is needed and who holds it. */
export function refuseUnlessRole(
  state: ProjectState,
  actor: Actor,
  role: Role,
  doing: string,
): Decision | undefined {
  if (rolesOf(state.roles, actor.objectId).has(role)) return undefined;
  const holders = state.roles.filter((a) => a.role === role).map((a) => a.person.name);
  const ask = holders.length > 0 ? ` Ask ${holders.join(" or ")}.` : "";
  return {
    outcome: "refused",
    neededRole: role,
    message: `Only the ${ROLE_TITLES[role].toLowerCase()} can ${doing}.${ask}`,
  };
}

/** The tenant rule: a project belongs to the organisation that set it up; nobody from another tenant acts on it. */
export function refuseForeignTenant(state: ProjectState, tenantId: string | undefined): Decision | undefined {
  if (tenantId === state.project.binding.tenantId) return undefined;
  return {
    outcome: "refused",
    message: "This project belongs to another organisation's Microsoft 365 tenant, so nothing was changed.",
  };
}

export function decideSetup(
  state: ProjectState | undefined,
  request: { name: string; binding: ChannelBinding; actor: Actor },
): Decision {
  if (state) {
    return {
      outcome: "unchanged",
      message: `This channel already runs the project "${state.project.name}". Type roles to see who holds which role.`,
    };
  }
  return {
    outcome: "record",
    events: [
      {
        kind: "project.created",
        projectId: projectIdForChannel(request.binding.channelId),
        name: request.name,
        binding: request.binding,
        phase: "preparing",
        settings: DEFAULT_SETTINGS,
      },
      {
        kind: "role.assigned",
        assignment: {
          role: "project-lead",
          person: { objectId: request.actor.objectId.toLowerCase(), name: request.actor.name },
        },
      },
    ],
  };
}

/** Sites are compared without regard to case: "Oak House" and "oak house" are one site. */
function sameAssignment(a: RoleAssignment, b: RoleAssignment): boolean {
  return (
    a.role === b.role &&
    a.person.objectId === b.person.objectId &&
    (a.site ?? "").toLowerCase() === (b.site ?? "").toLowerCase()
  );
}

function siteProblem(state: ProjectState, assignment: RoleAssignment): Decision | undefined {
  if (assignment.site === undefined) return undefined;
  if (assignment.role !== "registered-manager") {
    return { outcome: "refused", message: "Only a registered manager's role is given for a site." };
  }
  const sites = state.project.settings.sites;
  if (sites.length > 0 && !sites.some((s) => s.toLowerCase() === assignment.site?.toLowerCase())) {
    return {
      outcome: "refused",
      message: `"${assignment.site}" is not one of this project's sites (${sites.join(", ")}).`,
    };
  }
  return undefined;
}

export function decideRoleAdd(state: ProjectState, actor: Actor, assignment: RoleAssignment): Decision {
  const refusal =
    refuseUnlessRole(state, actor, "project-lead", "give roles") ?? siteProblem(state, assignment);
  if (refusal) return refusal;
  if (state.roles.some((a) => sameAssignment(a, assignment))) {
    return {
      outcome: "unchanged",
      message: `${assignment.person.name} is already ${ROLE_TITLES[assignment.role].toLowerCase()}${assignment.site ? ` for ${assignment.site}` : ""}.`,
    };
  }
  return { outcome: "record", events: [{ kind: "role.assigned", assignment }] };
}

export function decideRoleRemove(
  state: ProjectState,
  actor: Actor,
  request: { role: Role; objectId: string; name: string; site?: string },
): Decision {
  const refusal = refuseUnlessRole(state, actor, "project-lead", "remove roles");
  if (refusal) return refusal;
  const id = request.objectId.toLowerCase();
  const held = state.roles.filter(
    (a) =>
      a.role === request.role &&
      a.person.objectId === id &&
      (request.site === undefined || (a.site ?? "").toLowerCase() === request.site.toLowerCase()),
  );
  if (held.length === 0) {
    return {
      outcome: "unchanged",
      message: `${request.name} is not ${ROLE_TITLES[request.role].toLowerCase()}, so nothing was changed.`,
    };
  }
  if (request.role === "project-lead" && state.roles.filter((a) => a.role === "project-lead").length === 1) {
    return {
      outcome: "refused",
      message: "A project always needs a project lead. Give the role to someone else first, then remove it.",
    };
  }
  return { outcome: "record", events: held.map((assignment) => ({ kind: "role.removed", assignment })) };
}

/** The setup card: settings plus people picked for roles. Only the project lead may change them. */
export function decideSettings(
  state: ProjectState,
  actor: Actor,
  request: { settings: ProjectSettings; assignments: RoleAssignment[] },
): Decision {
  const refusal = refuseUnlessRole(state, actor, "project-lead", "change the project's settings");
  if (refusal) return refusal;
  const events: GovernanceEvent[] = [];
  const before = state.project.settings;
  const after = request.settings;
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    events.push({ kind: "project.settings-changed", before, after });
  }
  for (const assignment of request.assignments) {
    const already =
      state.roles.some((a) => sameAssignment(a, assignment)) ||
      events.some((e) => e.kind === "role.assigned" && sameAssignment(e.assignment, assignment));
    if (!already) events.push({ kind: "role.assigned", assignment });
  }
  if (events.length === 0) return { outcome: "unchanged", message: "The settings were already as shown." };
  return { outcome: "record", events };
}

/**
 * Applies events to the state: how the projected rows change. Used by the store and by tests alike. Issues are
 * kept apart from the state: `issues` holds the ones the events touch (the store reads them before deciding; a
 * replay keeps them all) and is updated in place.
 */
export function applyEvents(
  state: ProjectState | undefined,
  events: readonly GovernanceEvent[],
  meta: { at: string; actor: Actor },
  issues: Map<string, Issue> = new Map(),
): ProjectState | undefined {
  let next: ProjectState | undefined = state
    ? {
        project: { ...state.project },
        roles: [...state.roles],
        readiness: { ...state.readiness },
        decisions: [...state.decisions],
        conditions: [...state.conditions],
        commandLog: { ...state.commandLog },
        reviews: [...state.reviews],
        stabilisation: state.stabilisation,
      }
    : undefined;
  const updated = { by: meta.actor.name, at: meta.at };
  for (const event of events) {
    if (event.kind === "project.created") {
      next = {
        project: {
          id: event.projectId,
          name: event.name,
          binding: event.binding,
          phase: event.phase,
          settings: event.settings,
          createdAt: meta.at,
          createdBy: meta.actor.objectId,
        },
        roles: [],
        // A copy: the shared default must never be changed by a later event.
        readiness: { ...EMPTY_READINESS, training: [], assurance: [], items: [] },
        decisions: [],
        conditions: [],
        commandLog: { ...EMPTY_COMMAND_LOG, highRisk: [], days: [] },
        reviews: [],
        stabilisation: { ...EMPTY_STABILISATION },
      };
      continue;
    }
    if (!next) continue;
    if (isIssueEvent(event)) {
      const issue = applyIssueEvent(issues.get(event.issueId), event, meta);
      issues.set(issue.id, issue);
      const log = next.commandLog;
      if (event.kind === "issue.raised") log.raised = Math.max(log.raised, issue.number);
      log.days = countDay(log.days, event, issue, dateIn(next.project.settings.timeZone, new Date(meta.at)));
      // The gate's list follows the issue: in while it is open and high-risk, out otherwise.
      const risk = highRiskSummary(summaryOf(issue));
      const others = log.highRisk.filter((h) => h.id !== issue.id);
      log.highRisk = risk
        ? [...others, risk].sort((a, b) => Number(a.id.slice(3)) - Number(b.id.slice(3)))
        : others;
      continue;
    }
    const r = next.readiness;
    switch (event.kind) {
      case "project.settings-changed":
        next.project.settings = event.after;
        break;
      case "role.assigned":
        next.roles.push(event.assignment);
        break;
      case "role.removed":
        next.roles = next.roles.filter((a) => !sameAssignment(a, event.assignment));
        break;
      case "readiness.training-recorded":
        r.training = [
          ...r.training.filter((t) => trainingKey(t) !== trainingKey(event.record)),
          { ...event.record, updated },
        ];
        break;
      case "readiness.assurance-recorded":
        r.assurance = [
          ...r.assurance.filter((a) => a.recordType !== event.record.recordType),
          { ...event.record, updated },
        ];
        break;
      case "readiness.support-plan-recorded":
        r.supportPlan = { ...event.plan, updated };
        break;
      case "readiness.item-recorded":
        r.items = [...r.items.filter((i) => i.area !== event.item.area), { ...event.item, updated }];
        break;
      case "readiness.thresholds-changed":
        r.thresholds = event.after;
        break;
      case "decision.opened":
        next.decisions.push({
          id: event.decisionId,
          openedBy: event.openedBy,
          openedAt: meta.at,
          votes: [],
          state: "open",
        });
        break;
      case "decision.card-posted":
        next.decisions = next.decisions.map((d) =>
          d.id === event.decisionId
            ? { ...d, card: { activityId: event.activityId, conversationId: event.conversationId } }
            : d,
        );
        break;
      case "decision.vote-cast":
        next.decisions = next.decisions.map((d) =>
          d.id === event.decisionId
            ? {
                ...d,
                votes: [
                  ...d.votes.filter((v) => v.voter.objectId !== event.vote.voter.objectId),
                  { ...event.vote, at: meta.at },
                ],
              }
            : d,
        );
        break;
      case "decision.closed":
        next.decisions = next.decisions.map((d) =>
          d.id === event.decisionId
            ? { ...d, state: "closed", minutes: { ...event.minutes, closedAt: meta.at } }
            : d,
        );
        next.conditions = [
          ...next.conditions,
          ...event.conditions.map(({ id, blockerId, blockerReason, text, owner, due }) => ({
            id,
            decisionId: event.decisionId,
            blockerId,
            blockerReason,
            text,
            owner,
            due,
            state: "open" as const,
          })),
        ];
        break;
      case "project.phase-changed":
        next.project.phase = event.to;
        if (event.effectiveFrom !== undefined) next.project.liveFrom = event.effectiveFrom;
        // Back to preparing: the earlier go-live date no longer holds.
        else if (event.to === "preparing") delete next.project.liveFrom;
        break;
      case "condition.met":
      case "condition.waived": {
        const closed = {
          state: event.kind === "condition.met" ? ("met" as const) : ("waived" as const),
          ...(event.kind === "condition.met" ? { evidence: event.evidence } : { reason: event.reason }),
          closedBy: meta.actor.name,
          closedAt: meta.at,
        };
        next.conditions = next.conditions.map((c) => (c.id === event.conditionId ? { ...c, ...closed } : c));
        break;
      }
      case "issue.targets-changed":
        next.commandLog.targets = event.after;
        break;
      case "review.claimed":
      case "review.posted":
      case "review.failed":
      case "support.decided":
        next.reviews = applyReviewEvent(next.reviews, event, meta);
        break;
      case "audit.recorded":
      case "stabilisation.thresholds-changed":
      case "risk.added":
      case "risk.updated":
      case "risk.closed":
      case "pulse.opened":
      case "pulse.answered":
      case "slt.decided":
        next.stabilisation = applyStabilisationEvent(next.stabilisation, event, meta);
        break;
      case "access.refused":
      case "personal-data.refused":
      case "evidence.exported":
      case "reminder.sent":
      case "channel.blocked":
        break;
    }
  }
  return next;
}

/** One training record per staff role and site. */
export function trainingKey(t: { site: string; staffRole: string }): string {
  return `${t.site.trim().toLowerCase()}|${t.staffRole.trim().toLowerCase()}`;
}

/** The state a log's entries add up to, replayed from the first entry. */
export function replayState(
  entries: ReadonlyArray<{ at: string; actor: Actor; events: readonly GovernanceEvent[] }>,
): ProjectState | undefined {
  return replayProject(entries).state;
}

/** The state and every issue of the command log that a log's entries add up to. */
export function replayProject(
  entries: ReadonlyArray<{ at: string; actor: Actor; events: readonly GovernanceEvent[] }>,
): { state: ProjectState | undefined; issues: Map<string, Issue> } {
  let state: ProjectState | undefined;
  const issues = new Map<string, Issue>();
  for (const entry of entries)
    state = applyEvents(state, entry.events, { at: entry.at, actor: entry.actor }, issues);
  return { state, issues };
}

/**
 * Several requests in one command (e.g. several people @mentioned): each is decided on the state the ones before
 * it leave, so together they obey every rule (two removals cannot take away the last project lead between them).
 * All are recorded in one entry, or the first refusal stands and nothing is recorded.
 */
export function decideInTurn<T>(
  state: ProjectState,
  actor: Actor,
  items: readonly T[],
  decideOne: (state: ProjectState, item: T) => Decision,
): Decision {
  let working = state;
  const events: GovernanceEvent[] = [];
  const unchanged: string[] = [];
  for (const item of items) {
    const decision = decideOne(working, item);
    if (decision.outcome === "refused") return decision;
    if (decision.outcome === "unchanged") unchanged.push(decision.message);
    else {
      events.push(...decision.events);
      working = applyEvents(working, decision.events, { at: "", actor }) ?? working;
    }
  }
  if (events.length > 0)
    return { outcome: "record", events, ...(unchanged.length > 0 ? { notes: unchanged } : {}) };
  return { outcome: "unchanged", message: unchanged.join(" ") };
}
