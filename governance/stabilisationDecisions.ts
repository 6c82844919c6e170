import type { Decision } from "./decisions.js";
import { type Actor, type GovernanceEvent, GovernanceEventSchema } from "./events.js";
import type { ProjectState } from "./project.js";
import { type Person, ROLE_TITLES, rolesOf } from "./roles.js";
import { addDays } from "./schedule.js";
import {
  AUDIT_MEASURES,
  type Audit,
  AuditSchema,
  type SltChoice,
  type StabilisationThresholds,
} from "./stabilisation.js";
import { checkSltDecision, exitCriteria, followUpSchedule } from "./stabilisationRules.js";

/**
 * Who may do what in stabilisation (domain page §4), as decisions for the governance log: the quality lead
 * records audits; the project lead or a registered manager opens a staff confidence pulse; anyone in the project
 * adds a risk, its owner or the project lead changes or closes it; the senior leadership team decides.
 */

const refused = (message: string, neededRole?: "quality-lead" | "project-lead" | "slt"): Decision => ({
  outcome: "refused",
  message,
  ...(neededRole ? { neededRole } : {}),
});

const nextId = (prefix: string, ids: readonly string[]) =>
  `${prefix}${ids.reduce((max, id) => Math.max(max, Number(id.slice(prefix.length)) || 0), 0) + 1}`;

function record(events: GovernanceEvent[]): Decision {
  for (const event of events) {
    const parsed = GovernanceEventSchema.safeParse(event);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      return refused(
        `Please check ${problem?.path.slice(1).join(".") || "the card"}: ${problem?.message ?? "it cannot be recorded"}.`,
      );
    }
  }
  return { outcome: "record", events };
}

/** Stabilisation begins with the first audit: the phase moves from live to stabilisation in the same entry. */
function intoStabilisation(state: ProjectState): GovernanceEvent[] {
  return state.project.phase === "live"
    ? [
        {
          kind: "project.phase-changed",
          from: "live",
          to: "stabilisation",
          reason: "The first stabilisation audit was recorded.",
        },
      ]
    : [];
}

export function decideAudit(
  state: ProjectState,
  actor: Actor,
  input: Omit<Audit, "id" | "by" | "at">,
): Decision {
  if (!rolesOf(state.roles, actor.objectId).has("quality-lead")) {
    return refused(
      `Only the ${ROLE_TITLES["quality-lead"].toLowerCase()} records stabilisation audits.`,
      "quality-lead",
    );
  }
  const sites = state.project.settings.sites;
  const site = sites.find((s) => s.toLowerCase() === input.site.trim().toLowerCase()) ?? input.site.trim();
  if (sites.length > 0 && !sites.includes(site))
    return refused(`"${input.site}" is not one of this project's sites (${sites.join(", ")}).`);
  if (input.kind === "follow-up" && !state.stabilisation.followUps.some((f) => !f.auditId)) {
    return refused(
      "No follow-up audit is planned: follow-ups are scheduled when the SLT closes or transfers the controls.",
    );
  }
  const audit = {
    ...input,
    site,
    id: nextId(
      "A",
      state.stabilisation.audits.map((a) => a.id),
    ),
  };
  const parsed = AuditSchema.omit({ by: true, at: true }).safeParse(audit);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    return refused(
      `Please check ${problem?.path.join(" ") || "the audit"}: ${problem?.message ?? "it cannot be recorded"}.`,
    );
  }
  return record([
    { kind: "audit.recorded", audit: parsed.data },
    ...(input.kind === "stabilisation" ? intoStabilisation(state) : []),
  ]);
}

export function decideOpenPulse(state: ProjectState, actor: Actor, anonymous: boolean): Decision {
  const roles = rolesOf(state.roles, actor.objectId);
  if (!roles.has("project-lead") && !roles.has("registered-manager")) {
    return refused(
      "Only the project lead or a registered manager opens a staff confidence pulse.",
      "project-lead",
    );
  }
  return record([
    {
      kind: "pulse.opened",
      pulseId: nextId(
        "P",
        state.stabilisation.pulses.map((p) => p.id),
      ),
      anonymous,
      question: "Can you complete your core workflows in the ECM without additional support?",
    },
  ]);
}

/** Who may see a pulse's results: the project lead and the registered managers (the requester sees them). */
export function mayReadPulse(state: ProjectState, actor: Actor): boolean {
  const roles = rolesOf(state.roles, actor.objectId);
  return roles.has("project-lead") || roles.has("registered-manager");
}

/**
 * An answer to a pulse. Anyone in the project's channel may answer (staff need no project role). `slot` names the
 * respondent: their Entra id, or for an anonymous pulse a keyed hash the bot makes (so a second answer replaces
 * the first, and nothing stored leads back to the person).
 */
export function decidePulseAnswer(
  state: ProjectState,
  answer: {
    pulseId: string;
    slot: string;
    name?: string;
    role: string;
    site: string;
    score: number;
    comment?: string;
  },
): Decision {
  const pulse = state.stabilisation.pulses.find((p) => p.id === answer.pulseId);
  if (!pulse) return refused("This pulse is not one of this project's. Nothing was recorded.");
  if (pulse !== state.stabilisation.pulses.at(-1)) {
    return refused(`Pulse ${pulse.id} has been replaced by a newer one: answer that one.`);
  }
  // A pulse is one stored row (Table Storage holds about 32K characters in it): when full, a new pulse is needed.
  if (JSON.stringify(pulse).length > 26_000 && !pulse.answers.some((a) => a.slot === answer.slot)) {
    return refused(`Pulse ${pulse.id} is full: ask the project lead to open a new one.`);
  }
  return record([
    {
      kind: "pulse.answered",
      pulseId: pulse.id,
      slot: answer.slot,
      ...(pulse.anonymous || answer.name === undefined ? {} : { name: answer.name }),
      role: answer.role,
      site: answer.site,
      score: answer.score,
      ...(answer.comment ? { comment: answer.comment } : {}),
    },
  ]);
}

export function decideRiskAdd(state: ProjectState, actor: Actor, text: string, today: string): Decision {
  if (rolesOf(state.roles, actor.objectId).size === 0) {
    return refused("Only people with a role in this go-live project can add to its risk log.");
  }
  return record([
    {
      kind: "risk.added",
      risk: {
        id: nextId(
          "R",
          state.stabilisation.risks.map((r) => r.id),
        ),
        text: text.trim(),
        owner: { objectId: actor.objectId.toLowerCase(), name: actor.name },
        likelihood: 3,
        impact: 3,
        reviewDate: addDays(today, 7),
      },
    },
  ]);
}

export function decideRiskChange(
  state: ProjectState,
  actor: Actor,
  request:
    | {
        kind: "update";
        riskId: string;
        owner: Person;
        likelihood: number;
        impact: number;
        reviewDate: string;
      }
    | { kind: "close"; riskId: string; evidence: string },
): Decision {
  const risk = state.stabilisation.risks.find((r) => r.id === request.riskId);
  if (!risk) return refused(`There is no risk ${request.riskId} in this project's risk log.`);
  const me = actor.objectId.toLowerCase();
  const roles = rolesOf(state.roles, me);
  if (risk.owner.objectId !== me && !roles.has("project-lead") && !roles.has("slt")) {
    return refused(
      `Only the risk's owner (${risk.owner.name}), the project lead or the senior leadership team changes it.`,
      "project-lead",
    );
  }
  if (risk.state === "closed") return refused(`${risk.id} is closed.`);
  if (request.kind === "close") {
    if (request.evidence.trim() === "")
      return refused("Closing a risk needs the evidence that it no longer stands.");
    return record([{ kind: "risk.closed", riskId: risk.id, evidence: request.evidence.trim() }]);
  }
  if (rolesOf(state.roles, request.owner.objectId).size === 0) {
    return refused(`${request.owner.name} holds no role in this project: give them one first.`);
  }
  const before = {
    owner: risk.owner,
    likelihood: risk.likelihood,
    impact: risk.impact,
    reviewDate: risk.reviewDate,
  };
  const after = {
    owner: { objectId: request.owner.objectId.toLowerCase(), name: request.owner.name },
    likelihood: request.likelihood,
    impact: request.impact,
    reviewDate: request.reviewDate,
  };
  if (JSON.stringify(before) === JSON.stringify(after)) {
    return { outcome: "unchanged", message: `${risk.id} already reads like that.` };
  }
  return record([{ kind: "risk.updated", riskId: risk.id, before, after }]);
}

/**
 * The SLT's decision. Close is refused while an exit criterion fails (each is named); close and transfer end
 * go-live controls (routine governance) and schedule the follow-up audits; extend keeps stabilisation going to a
 * new review date.
 */
export function decideSlt(
  state: ProjectState,
  actor: Actor,
  request: { choice: SltChoice; rationale: string; today: string; reviewDate?: string; owner?: Person },
): Decision {
  const criteria = exitCriteria({
    ...(state.project.liveFrom ? { liveFrom: state.project.liveFrom } : {}),
    sites: state.project.settings.sites,
    stabilisation: state.stabilisation,
    highRiskIssues: state.commandLog.highRisk,
  });
  const refusal = checkSltDecision({
    isSlt: rolesOf(state.roles, actor.objectId).has("slt"),
    choice: request.choice,
    rationale: request.rationale,
    today: request.today,
    ...(request.reviewDate ? { reviewDate: request.reviewDate } : {}),
    ...(request.owner ? { ownerName: request.owner.name } : {}),
    criteria,
  });
  if (refusal) return refusal;
  if (state.project.phase === "routine-governance") {
    return refused("The go-live controls are already closed or transferred to routine governance.");
  }
  if (state.project.phase !== "live" && state.project.phase !== "stabilisation") {
    return refused(
      "The project has not gone live yet: there are no go-live controls to close, extend or transfer.",
    );
  }
  if (
    request.choice === "transfer" &&
    request.owner &&
    rolesOf(state.roles, request.owner.objectId).size === 0
  ) {
    return refused(`${request.owner.name} holds no role in this project: give them one first.`);
  }
  const ending = request.choice !== "extend";
  const phase: GovernanceEvent[] =
    ending || state.project.phase !== "stabilisation"
      ? [
          {
            kind: "project.phase-changed",
            from: state.project.phase,
            to: ending ? "routine-governance" : "stabilisation",
            reason: `The senior leadership team decided: ${request.choice}.`,
          },
        ]
      : [];
  return record([
    {
      kind: "slt.decided",
      choice: request.choice,
      rationale: request.rationale.trim(),
      ...(request.choice === "extend" && request.reviewDate ? { reviewDate: request.reviewDate } : {}),
      ...(request.choice === "transfer" && request.owner
        ? { owner: { objectId: request.owner.objectId.toLowerCase(), name: request.owner.name } }
        : {}),
      followUps: ending ? followUpSchedule(request.today, state.stabilisation.thresholds.followUpMonths) : [],
      exitCriteria: criteria.map((c) => ({ criterion: c.criterion.slice(0, 300), met: c.met })),
    },
    ...phase,
  ]);
}

/** The stabilisation thresholds: the quality lead or the project lead changes them; before and after are logged. */
export function decideStabilisationThresholds(
  state: ProjectState,
  actor: Actor,
  after: StabilisationThresholds,
): Decision {
  const roles = rolesOf(state.roles, actor.objectId);
  if (!roles.has("quality-lead") && !roles.has("project-lead")) {
    return refused(
      "Only the quality lead or the project lead changes the stabilisation thresholds.",
      "quality-lead",
    );
  }
  const before = state.stabilisation.thresholds;
  if (canonical(before) === canonical(after))
    return { outcome: "unchanged", message: "The thresholds were already so." };
  return record([{ kind: "stabilisation.thresholds-changed", before, after }]);
}

const canonical = (t: StabilisationThresholds) =>
  JSON.stringify([AUDIT_MEASURES.map((m) => t.measures[m]), t.confidencePercent, t.followUpMonths]);
