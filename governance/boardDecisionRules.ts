import {
  type BoardDecision,
  CHOICE_TITLES,
  type Choice,
  type Condition,
  outcomeOf,
  type ProposedCondition,
  quorumOf,
  tallyOf,
  type Vote,
} from "./boardDecision.js";
import { type Decision, refuseUnlessRole } from "./decisions.js";
import type { Actor, GovernanceEvent } from "./events.js";
import { CalendarDateSchema, type ProjectState } from "./project.js";
import { AREA_TITLES, areaStatus, blockersDigest, blockersOf, READINESS_AREAS } from "./readiness.js";
import { type Person, rolesOf } from "./roles.js";

/** The people who may vote: everyone holding the board member or chair role, once each. */
export function boardMembersOf(state: ProjectState): Person[] {
  const members = new Map<string, Person>();
  for (const a of state.roles) {
    if (a.role === "board-member" || a.role === "board-chair") members.set(a.person.objectId, a.person);
  }
  return [...members.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function openDecisionOf(state: ProjectState): BoardDecision | undefined {
  return state.decisions.find((d) => d.state === "open");
}

function refused(message: string, neededRole?: "board-member" | "board-chair" | "project-lead"): Decision {
  return { outcome: "refused", message, ...(neededRole ? { neededRole } : {}) };
}

/** `decision`: the project lead or the board chair puts readiness to the board. */
export function decideOpenDecision(state: ProjectState, actor: Actor): Decision {
  const roles = rolesOf(state.roles, actor.objectId);
  if (!roles.has("project-lead") && !roles.has("board-chair")) {
    return refused(
      "Only the project lead or the board chair can put the go-live decision to the board.",
      "project-lead",
    );
  }
  const open = openDecisionOf(state);
  if (open) return { outcome: "unchanged", message: `The board's vote ${open.id} is already open.` };
  if (boardMembersOf(state).length === 0) {
    return refused(
      "The board has no members yet. Give the role first: role add board @person (and role add chair @person).",
    );
  }
  const decisionId = `D${state.decisions.length + 1}`;
  return {
    outcome: "record",
    events: [
      {
        kind: "decision.opened",
        decisionId,
        openedBy: { objectId: actor.objectId.toLowerCase(), name: actor.name },
      },
    ],
  };
}

/** The refusal of a vote cast on a card whose blockers no longer stand as shown. */
export const STALE_BLOCKERS_MESSAGE =
  "The readiness blockers changed since this card was shown. Nothing was recorded: check them (and any conditions) and vote again.";

export interface VoteRequest {
  decisionId: string;
  choice: Choice;
  rationale: string;
  /** The blockers the voter's card showed (blockersDigest); a vote answers those, so they must still stand. */
  blockersShown?: string;
  /** Conditional: a condition per blocker (by blocker id). */
  conditions?: ProposedCondition[];
  /** Delay: the new target or review date. */
  newDate?: string;
  /** The project's date today, to check dates are in the future. */
  today: string;
}

function sameVote(a: Vote, b: Omit<Vote, "at">): boolean {
  const { at: _at, ...rest } = a;
  return JSON.stringify(rest) === JSON.stringify(b);
}

/**
 * A board member's vote (or change of vote). Proceed is refused while any blocker stands; conditional needs a
 * condition for each blocker; delay needs a new date. Anyone who is not a board member is refused.
 */
export function decideVote(state: ProjectState, actor: Actor, request: VoteRequest): Decision {
  const notMember = refuseUnlessRole(state, actor, "board-member", "vote on the go-live decision");
  if (notMember) return notMember;
  const decision = state.decisions.find((d) => d.id === request.decisionId);
  if (!decision) return refused(`There is no go-live decision ${request.decisionId} in this project.`);
  if (decision.state === "closed")
    return refused(`The vote on ${decision.id} is closed; votes can no longer change.`);

  const blockers = blockersOf(state);
  if (request.blockersShown !== undefined && request.blockersShown !== blockersDigest(blockers)) {
    return refused(STALE_BLOCKERS_MESSAGE);
  }
  const vote: Omit<Vote, "at"> = {
    voter: { objectId: actor.objectId.toLowerCase(), name: actor.name },
    choice: request.choice,
    rationale: request.rationale,
  };
  if (request.choice === "proceed" && blockers.length > 0) {
    return refused(
      `Proceed is not possible while ${blockers.length === 1 ? "a blocker stands" : `${blockers.length} blockers stand`}: ${blockers
        .slice(0, 3)
        .map((b) => b.reason)
        .join(
          " ",
        )}${blockers.length > 3 ? " …" : ""} Vote delay, or conditional with a condition for each blocker.`,
    );
  }
  if (request.choice === "conditional") {
    const conditions = request.conditions ?? [];
    const missing = blockers.filter((b) => !conditions.some((c) => c.blockerId === b.id));
    if (blockers.length === 0)
      return refused("There are no blockers to set conditions for: vote proceed or delay.");
    if (missing.length > 0) {
      return refused(
        `Conditional needs a condition, an owner and a due date for each blocker. Missing for: ${missing
          .slice(0, 3)
          .map((b) => b.reason)
          .join(" ")}${missing.length > 3 ? " …" : ""}`,
      );
    }
    const unreal = conditions.find((c) => !isRealDate(c.due));
    if (unreal) return refused(`A condition's due date (${unreal.due.slice(0, 20)}) is not a real date.`);
    const late = conditions.find((c) => c.due < request.today);
    if (late) return refused(`A condition's due date (${late.due}) is in the past.`);
    vote.conditions = blockers.map((b) => conditions.find((c) => c.blockerId === b.id) as ProposedCondition);
  }
  if (request.choice === "delay") {
    if (!request.newDate) return refused("Delay needs a new target or review date.");
    if (!isRealDate(request.newDate)) {
      return refused(`The new date (${request.newDate.slice(0, 20)}) is not a real date.`);
    }
    if (request.newDate <= request.today)
      return refused(`The new date (${request.newDate}) must be after today.`);
    vote.newDate = request.newDate;
  }
  const previous = decision.votes.find((v) => v.voter.objectId === vote.voter.objectId);
  if (previous && sameVote(previous, vote)) {
    return {
      outcome: "unchanged",
      message: `Your vote was already ${CHOICE_TITLES[vote.choice].toLowerCase()}.`,
    };
  }
  return {
    outcome: "record",
    why: request.rationale,
    events: [
      { kind: "decision.vote-cast", decisionId: decision.id, vote, ...(previous ? { previous } : {}) },
    ],
  };
}

/** Of several votes for one choice, the one that decides its details: the chair's, else the latest. */
function decidingVote(
  votes: readonly Vote[],
  choice: Choice,
  chairIds: ReadonlySet<string>,
): Vote | undefined {
  const forChoice = votes.filter((v) => v.choice === choice);
  return (
    forChoice.find((v) => chairIds.has(v.voter.objectId)) ??
    forChoice.sort((a, b) => b.at.localeCompare(a.at))[0]
  );
}

/**
 * The chair closes the vote once quorum is reached. The outcome follows the rule (the majority's choice; a tie
 * is delay) and is recorded as the governance minutes, with the readiness evidence as it stood. Proceed or
 * conditional makes the project live from its go-live date; delay sends it back to preparing with the new date.
 */
export function decideCloseDecision(
  state: ProjectState,
  actor: Actor,
  request: { decisionId: string; newDate?: string; today: string },
): Decision {
  const notChair = refuseUnlessRole(state, actor, "board-chair", "close the vote");
  if (notChair) return notChair;
  const decision = state.decisions.find((d) => d.id === request.decisionId);
  if (!decision) return refused(`There is no go-live decision ${request.decisionId} in this project.`);
  if (decision.state === "closed")
    return { outcome: "unchanged", message: `The vote on ${decision.id} is already closed.` };

  const members = boardMembersOf(state);
  const memberIds = new Set(members.map((m) => m.objectId));
  const votes = decision.votes.filter((v) => memberIds.has(v.voter.objectId));
  const quorum = quorumOf(members.length);
  if (votes.length < quorum) {
    return refused(`Quorum is ${quorum} of ${members.length} board members; ${votes.length} have voted.`);
  }
  const outcome = outcomeOf(votes);
  const blockers = blockersOf(state);
  const chairIds = new Set(state.roles.filter((a) => a.role === "board-chair").map((a) => a.person.objectId));
  let conditions: ProposedCondition[] = [];
  let newDate: string | undefined;
  if (outcome === "proceed" && blockers.length > 0) {
    return refused(
      `The majority voted proceed, but ${blockers.length} blocker${blockers.length === 1 ? "" : "s"} now stand${blockers.length === 1 ? "s" : ""}: ${blockers[0]?.reason} Members can change their votes before you close.`,
    );
  }
  if (outcome === "conditional") {
    conditions = decidingVote(votes, "conditional", chairIds)?.conditions ?? [];
    const uncovered = blockers.filter((b) => !conditions.some((c) => c.blockerId === b.id));
    if (uncovered.length > 0) {
      return refused(
        `The conditional approval has no condition for: ${uncovered[0]?.reason} A member who voted conditional can vote again with a condition for each blocker.`,
      );
    }
    conditions = conditions.filter((c) => blockers.some((b) => b.id === c.blockerId));
  }
  if (outcome === "delay") {
    // The chair's date, else the latest; a date that has passed since it was voted is not a new date.
    const future = votes.filter((v) => v.choice === "delay" && (v.newDate ?? "") > request.today);
    newDate = decidingVote(future, "delay", chairIds)?.newDate ?? request.newDate;
    if (!newDate) {
      return refused(
        "The outcome is delay, but no member voting delay gave a new date. A member (the chair too) can vote delay with the new target or review date; then close the vote.",
      );
    }
    if (!isRealDate(newDate)) return refused(`The new date (${newDate.slice(0, 20)}) is not a real date.`);
    if (newDate <= request.today) return refused(`The new date (${newDate}) must be after today.`);
  }

  const goLiveDate = state.project.settings.goLiveDate;
  const firstConditionNumber = state.conditions.length + 1;
  const adopted = conditions.map((c, i) => ({
    ...c,
    id: `C${firstConditionNumber + i}`,
    blockerReason: blockers.find((b) => b.id === c.blockerId)?.reason ?? c.blockerId,
  }));
  const events: GovernanceEvent[] = [
    {
      kind: "decision.closed",
      decisionId: decision.id,
      conditions: adopted,
      minutes: {
        closedBy: { objectId: actor.objectId.toLowerCase(), name: actor.name },
        outcome,
        tally: tallyOf(votes),
        boardMembers: members,
        attendees: votes.map((v) => v.voter),
        votes,
        blockers: blockers.map((b) => ({ id: b.id, area: b.area, reason: b.reason, evidence: b.evidence })),
        conditions,
        ...(newDate ? { newDate } : {}),
        ...(goLiveDate ? { goLiveDate } : {}),
        readinessEvidence: READINESS_AREAS.map((area) => {
          const status = areaStatus(area, state.readiness, blockers);
          const evidence =
            status.evidence.length > 2_000
              ? `${status.evidence.slice(0, 1_960)}… (shortened)`
              : status.evidence;
          return { area: AREA_TITLES[area], rag: status.rag, evidence };
        }),
      },
    },
  ];
  if (outcome === "delay" && newDate) {
    events.push(
      {
        kind: "project.settings-changed",
        before: state.project.settings,
        after: { ...state.project.settings, goLiveDate: newDate },
      },
      {
        kind: "project.phase-changed",
        from: state.project.phase,
        to: "preparing",
        reason: `Go-live delayed by the board (${decision.id}).`,
      },
    );
  } else {
    events.push({
      kind: "project.phase-changed",
      from: state.project.phase,
      to: "live",
      ...(goLiveDate ? { effectiveFrom: goLiveDate } : {}),
      reason: `${outcome === "proceed" ? "Proceed" : "Conditional approval"} by the board (${decision.id}).`,
    });
  }
  return { outcome: "record", events };
}

/** The condition's owner marks it met, with evidence. */
export function decideConditionMet(
  state: ProjectState,
  actor: Actor,
  request: { conditionId: string; evidence: string },
): Decision {
  const condition = state.conditions.find((c) => c.id.toLowerCase() === request.conditionId.toLowerCase());
  if (!condition)
    return refused(`There is no condition ${request.conditionId}. Type conditions to see them.`);
  if (condition.owner.objectId !== actor.objectId.toLowerCase()) {
    return refused(`Only ${condition.owner.name}, who owns ${condition.id}, can mark it met.`);
  }
  if (condition.state !== "open") return refused(`${condition.id} is already ${condition.state}.`);
  if (request.evidence.trim() === "")
    return refused(`Say what shows ${condition.id} is met: condition met ${condition.id} {evidence}.`);
  return {
    outcome: "record",
    events: [{ kind: "condition.met", conditionId: condition.id, evidence: request.evidence.trim() }],
  };
}

/** The project lead waives a condition, with a reason. */
export function decideConditionWaived(
  state: ProjectState,
  actor: Actor,
  request: { conditionId: string; reason: string },
): Decision {
  const notLead = refuseUnlessRole(state, actor, "project-lead", "waive a condition");
  if (notLead) return notLead;
  const condition = state.conditions.find((c) => c.id.toLowerCase() === request.conditionId.toLowerCase());
  if (!condition)
    return refused(`There is no condition ${request.conditionId}. Type conditions to see them.`);
  if (condition.state !== "open") return refused(`${condition.id} is already ${condition.state}.`);
  if (request.reason.trim() === "")
    return refused(`Give the reason for waiving ${condition.id}: condition waive ${condition.id} {reason}.`);
  return {
    outcome: "record",
    events: [{ kind: "condition.waived", conditionId: condition.id, reason: request.reason.trim() }],
  };
}

export function overdueConditions(conditions: readonly Condition[], today: string): Condition[] {
  return conditions.filter((c) => c.state === "open" && c.due < today);
}

function isRealDate(date: string): boolean {
  return CalendarDateSchema.safeParse(date).success;
}
