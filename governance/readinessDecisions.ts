import { type Decision, refuseUnlessRole, trainingKey } from "./decisions.js";
import type { Actor } from "./events.js";
import type { ProjectState } from "./project.js";
import type {
  AssuranceRecord,
  ReadinessItem,
  ReadinessThresholds,
  SupportPlan,
  TrainingRecord,
} from "./readiness.js";
import { rolesOf } from "./roles.js";

/**
 * Who records which part of the readiness checklist (domain page §1): the registered manager training and
 * confidence (for their own site), the quality lead the assurance log, the operations lead the go-live support
 * plan, the project lead migration, equipment, access and supplier support, and the thresholds.
 */

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const stripStamp = <T extends { updated?: unknown }>(r: T | undefined): Omit<T, "updated"> | undefined => {
  if (!r) return undefined;
  const { updated: _updated, ...rest } = r;
  return rest;
};

/** The project's spelling of a site, or a refusal naming the project's sites. */
function projectSite(state: ProjectState, site: string): { site: string } | Decision {
  const sites = state.project.settings.sites;
  if (sites.length === 0) return { site: site.trim() };
  const found = sites.find((s) => s.toLowerCase() === site.trim().toLowerCase());
  if (found) return { site: found };
  return {
    outcome: "refused",
    message: `"${site}" is not one of this project's sites (${sites.join(", ")}).`,
  };
}

export function decideTrainingRecord(state: ProjectState, actor: Actor, requested: TrainingRecord): Decision {
  const refusal = refuseUnlessRole(state, actor, "registered-manager", "record training and confidence");
  if (refusal) return refusal;
  const site = projectSite(state, requested.site);
  if ("outcome" in site) return site;
  // A registered manager given sites records for those sites only; one given no site, for every site.
  const me = actor.objectId.toLowerCase();
  const mine = state.roles.filter((a) => a.role === "registered-manager" && a.person.objectId === me);
  if (
    mine.every((a) => a.site !== undefined) &&
    !mine.some((a) => a.site?.toLowerCase() === site.site.toLowerCase())
  ) {
    return {
      outcome: "refused",
      neededRole: "registered-manager",
      message: `You are registered manager for ${mine.map((a) => a.site).join(", ")}, not ${site.site}.`,
    };
  }
  const record = { ...requested, site: site.site };
  const before = stripStamp(state.readiness.training.find((t) => trainingKey(t) === trainingKey(record)));
  if (same(before, record))
    return { outcome: "unchanged", message: "The training figures were already as given." };
  return {
    outcome: "record",
    events: [{ kind: "readiness.training-recorded", record, ...(before ? { before } : {}) }],
  };
}

export function decideAssuranceRecord(state: ProjectState, actor: Actor, record: AssuranceRecord): Decision {
  const refusal = refuseUnlessRole(state, actor, "quality-lead", "record the assurance log");
  if (refusal) return refusal;
  const before = stripStamp(state.readiness.assurance.find((a) => a.recordType === record.recordType));
  if (same(before, record))
    return { outcome: "unchanged", message: "The assurance log was already as given." };
  return {
    outcome: "record",
    events: [{ kind: "readiness.assurance-recorded", record, ...(before ? { before } : {}) }],
  };
}

export function decideSupportPlan(state: ProjectState, actor: Actor, requested: SupportPlan): Decision {
  const refusal = refuseUnlessRole(state, actor, "operations-lead", "record the go-live support plan");
  if (refusal) return refusal;
  const responsibleLeads: SupportPlan["responsibleLeads"] = [];
  for (const lead of requested.responsibleLeads) {
    const site = projectSite(state, lead.site);
    if ("outcome" in site) return site;
    responsibleLeads.push({ site: site.site, lead: lead.lead });
  }
  const plan = { ...requested, responsibleLeads };
  const before = stripStamp(state.readiness.supportPlan);
  if (same(before, plan)) return { outcome: "unchanged", message: "The support plan was already as given." };
  return {
    outcome: "record",
    events: [{ kind: "readiness.support-plan-recorded", plan, ...(before ? { before } : {}) }],
  };
}

export function decideReadinessItem(state: ProjectState, actor: Actor, item: ReadinessItem): Decision {
  const refusal = refuseUnlessRole(
    state,
    actor,
    "project-lead",
    "record migration, equipment, access and supplier support",
  );
  if (refusal) return refusal;
  const before = stripStamp(state.readiness.items.find((i) => i.area === item.area));
  if (same(before, item)) return { outcome: "unchanged", message: "That item was already as given." };
  return {
    outcome: "record",
    events: [{ kind: "readiness.item-recorded", item, ...(before ? { before } : {}) }],
  };
}

export function decideReadinessThresholds(
  state: ProjectState,
  actor: Actor,
  after: ReadinessThresholds,
): Decision {
  const refusal = refuseUnlessRole(state, actor, "project-lead", "change the readiness thresholds");
  if (refusal) return refusal;
  const before = state.readiness.thresholds;
  if (same(before, after)) return { outcome: "unchanged", message: "The thresholds were already as given." };
  return { outcome: "record", events: [{ kind: "readiness.thresholds-changed", before, after }] };
}

/** Which readiness forms a person may fill in, for the checklist card's buttons. */
export function readinessFormsFor(
  state: ProjectState,
  actor: Actor,
): Array<"training" | "assurance" | "plan" | "item" | "thresholds"> {
  const roles = rolesOf(state.roles, actor.objectId);
  const forms: Array<"training" | "assurance" | "plan" | "item" | "thresholds"> = [];
  if (roles.has("registered-manager")) forms.push("training");
  if (roles.has("quality-lead")) forms.push("assurance");
  if (roles.has("operations-lead")) forms.push("plan");
  if (roles.has("project-lead")) forms.push("item", "thresholds");
  return forms;
}
