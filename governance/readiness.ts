import { createHash } from "node:crypto";
import { z } from "zod";
import type { Project, ProjectState } from "./project.js";

/**
 * The readiness checklist (domain page §1): what the project board looks at immediately before go-live. Each
 * lead keeps their own part; `readinessBlockers` turns it into the gate's blockers, each with its reason and the
 * evidence behind it.
 */
export const READINESS_AREAS = [
  "training",
  "data-migration",
  "equipment",
  "access",
  "supplier-support",
  "high-risk-validation",
  "live-support-plan",
] as const;
export type ReadinessArea = (typeof READINESS_AREAS)[number];

export const AREA_TITLES: Record<ReadinessArea, string> = {
  training: "Training",
  "data-migration": "Data migration",
  equipment: "Equipment and assistive technology",
  access: "Access",
  "supplier-support": "Supplier support",
  "high-risk-validation": "High-risk record validation",
  "live-support-plan": "Go-live support plan",
};

export const RagSchema = z.enum(["red", "amber", "green"]);
export type Rag = z.infer<typeof RagSchema>;

const shortText = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const count = z.number().int().min(0).max(100_000);

/** Registered manager: role-based training and confidence for one staff role at one site. */
export const TrainingRecordSchema = z
  .object({
    site: shortText(80).min(1, "the site"),
    staffRole: shortText(60).min(1, "the staff role, e.g. Carers"),
    staff: count.min(1, "how many staff are in this role"),
    completed: count,
    confident: count,
    gaps: shortText(1_000),
  })
  .refine((r) => r.completed <= r.staff, {
    message: "more staff trained than there are",
    path: ["completed"],
  })
  .refine((r) => r.confident <= r.staff, {
    message: "more staff confident than there are",
    path: ["confident"],
  });
export type TrainingRecord = z.infer<typeof TrainingRecordSchema>;

export const HIGH_RISK_RECORD_TYPES = [
  "medication",
  "safeguarding",
  "care-plans",
  "risk-assessments",
] as const;
export const HighRiskRecordTypeSchema = z.enum(HIGH_RISK_RECORD_TYPES);
export type HighRiskRecordType = z.infer<typeof HighRiskRecordTypeSchema>;
export const RECORD_TYPE_TITLES: Record<HighRiskRecordType, string> = {
  medication: "Medication",
  safeguarding: "Safeguarding",
  "care-plans": "Care plans",
  "risk-assessments": "Risk assessments",
};

/** Quality lead: the assurance log's validation of one type of high-risk record. */
export const AssuranceRecordSchema = z
  .object({
    recordType: HighRiskRecordTypeSchema,
    sampleSize: count.min(1, "the sample size"),
    checked: count,
    discrepancies: count,
    critical: count,
    signedOff: z.boolean(),
    note: shortText(1_000),
  })
  .refine((r) => r.checked <= r.sampleSize, {
    message: "more records checked than sampled",
    path: ["checked"],
  })
  .refine((r) => r.discrepancies <= r.checked, {
    message: "more discrepancies than records checked",
    path: ["discrepancies"],
  })
  .refine((r) => r.critical <= r.discrepancies, {
    message: "more critical discrepancies than discrepancies",
    path: ["critical"],
  });
export type AssuranceRecord = z.infer<typeof AssuranceRecordSchema>;

/** Operations lead: the go-live support plan. */
export const SupportPlanSchema = z.object({
  escalationRoutes: shortText(2_000),
  supplierContact: shortText(300),
  onSiteCover: shortText(1_000),
  responsibleLeads: z.array(z.object({ site: shortText(80).min(1), lead: shortText(200) })).max(30),
});
export type SupportPlan = z.infer<typeof SupportPlanSchema>;

export const LEAD_ITEM_AREAS = ["data-migration", "equipment", "access", "supplier-support"] as const;
export const LeadItemAreaSchema = z.enum(LEAD_ITEM_AREAS);
export type LeadItemArea = z.infer<typeof LeadItemAreaSchema>;

/** Project lead: migration, equipment, access and supplier support, each as one checklist item. */
export const ReadinessItemSchema = z.object({
  area: LeadItemAreaSchema,
  rag: RagSchema,
  owner: shortText(200),
  evidence: shortText(2_000),
  note: shortText(1_000),
});
export type ReadinessItem = z.infer<typeof ReadinessItemSchema>;

export const ReadinessThresholdsSchema = z.object({
  /** Training completion per staff role and site; 95% is the Data Security and Protection Toolkit's figure. */
  trainingCompletionPercent: z.number().int().min(1).max(100),
});
export type ReadinessThresholds = z.infer<typeof ReadinessThresholdsSchema>;
export const DEFAULT_READINESS_THRESHOLDS: ReadinessThresholds = { trainingCompletionPercent: 95 };

/** Who last updated a part of the checklist, and when (from the log entry that did it). */
export const StampSchema = z.object({ by: z.string().max(200), at: z.string().max(40) });
export type Stamp = z.infer<typeof StampSchema>;

export interface ReadinessState {
  training: Array<TrainingRecord & { updated: Stamp }>;
  assurance: Array<AssuranceRecord & { updated: Stamp }>;
  supportPlan?: SupportPlan & { updated: Stamp };
  items: Array<ReadinessItem & { updated: Stamp }>;
  thresholds: ReadinessThresholds;
}

export const EMPTY_READINESS: ReadinessState = {
  training: [],
  assurance: [],
  items: [],
  thresholds: DEFAULT_READINESS_THRESHOLDS,
};

/** A reason go-live cannot proceed, with the evidence behind it. */
export interface Blocker {
  /** Stable while the reason stands, so a condition can name the blocker it answers. */
  id: string;
  area: ReadinessArea;
  reason: string;
  evidence: string;
}

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const percent = (part: number, whole: number) => Math.floor((part * 100) / whole);
const stamp = (s: Stamp) => `recorded by ${s.by} on ${s.at.slice(0, 10)}`;

/**
 * The gate (domain page §1): training below threshold; a critical discrepancy or missing high-risk validation;
 * unresolved access problems; a support plan without escalation route or responsible lead; an unresolved
 * high-risk issue. Every site of the project is checked where a rule is per site.
 */
export function readinessBlockers(
  project: Project,
  readiness: ReadinessState,
  openHighRiskIssues: ReadonlyArray<{ id: string; summary: string }> = [],
): Blocker[] {
  const blockers: Blocker[] = [];
  const sites = project.settings.sites;

  // Training
  const threshold = readiness.thresholds.trainingCompletionPercent;
  for (const site of sites) {
    if (!readiness.training.some((t) => sameText(t.site, site))) {
      blockers.push({
        id: `training-missing:${site.toLowerCase()}`,
        area: "training",
        reason: `No training figures for ${site}.`,
        evidence: "The registered manager has not recorded training completion for this site.",
      });
    }
  }
  if (sites.length === 0 && readiness.training.length === 0) {
    blockers.push({
      id: "training-missing",
      area: "training",
      reason: "No training figures recorded.",
      evidence: "No registered manager has recorded training completion.",
    });
  }
  for (const t of readiness.training) {
    const done = percent(t.completed, t.staff);
    if (done < threshold) {
      blockers.push({
        id: `training-below:${t.site.toLowerCase()}:${t.staffRole.toLowerCase()}`,
        area: "training",
        reason: `${t.staffRole} at ${t.site}: ${done}% trained, below the ${threshold}% threshold.`,
        evidence: `${t.completed} of ${t.staff} staff trained; ${stamp(t.updated)}.`,
      });
    }
  }

  // High-risk record validation
  for (const type of HIGH_RISK_RECORD_TYPES) {
    const title = RECORD_TYPE_TITLES[type];
    const a = readiness.assurance.find((r) => r.recordType === type);
    if (!a) {
      blockers.push({
        id: `validation-missing:${type}`,
        area: "high-risk-validation",
        reason: `${title} records have not been validated.`,
        evidence: "No entry in the assurance log for this record type.",
      });
      continue;
    }
    if (a.critical > 0) {
      blockers.push({
        id: `validation-critical:${type}`,
        area: "high-risk-validation",
        reason: `${a.critical} critical discrepanc${a.critical === 1 ? "y" : "ies"} in ${title.toLowerCase()} records.`,
        evidence: `${a.checked} of ${a.sampleSize} sampled records checked, ${a.discrepancies} discrepancies; ${stamp(a.updated)}.`,
      });
    }
    if (a.checked < a.sampleSize || !a.signedOff) {
      blockers.push({
        id: `validation-incomplete:${type}`,
        area: "high-risk-validation",
        reason:
          a.checked < a.sampleSize
            ? `${title} validation incomplete: ${a.checked} of ${a.sampleSize} sampled records checked.`
            : `${title} validation not signed off.`,
        evidence: `Assurance log, ${stamp(a.updated)}.`,
      });
    }
  }

  // Access
  const access = readiness.items.find((i) => i.area === "access");
  if (!access) {
    blockers.push({
      id: "access-unconfirmed",
      area: "access",
      reason: "Access to the ECM has not been confirmed.",
      evidence: "The project lead has not recorded the access item.",
    });
  } else if (access.rag !== "green") {
    blockers.push({
      id: "access-unresolved",
      area: "access",
      reason: `Access problems unresolved (${access.rag}).`,
      evidence: `${access.evidence || access.note || "No evidence given"}; ${stamp(access.updated)}.`,
    });
  }

  // Go-live support plan
  const plan = readiness.supportPlan;
  if (!plan) {
    blockers.push({
      id: "plan-missing",
      area: "live-support-plan",
      reason: "There is no go-live support plan.",
      evidence: "The operations lead has not recorded the support plan.",
    });
  } else {
    if (plan.escalationRoutes.trim() === "") {
      blockers.push({
        id: "plan-no-escalation",
        area: "live-support-plan",
        reason: "The support plan has no escalation route.",
        evidence: `Support plan, ${stamp(plan.updated)}.`,
      });
    }
    const sitesToCover = sites.length > 0 ? sites : ["the service"];
    for (const site of sitesToCover) {
      const lead = plan.responsibleLeads.find((l) => (sites.length > 0 ? sameText(l.site, site) : true));
      if (!lead || lead.lead.trim() === "") {
        blockers.push({
          id: `plan-no-lead:${site.toLowerCase()}`,
          area: "live-support-plan",
          reason: `No responsible lead for ${site} in the support plan.`,
          evidence: `Support plan, ${stamp(plan.updated)}.`,
        });
      }
    }
  }

  // Unresolved high-risk issues (from the go-live command log, once it exists)
  for (const issue of openHighRiskIssues) {
    blockers.push({
      id: `issue:${issue.id}`,
      area: "supplier-support",
      reason: `Unresolved high-risk issue ${issue.id}: ${issue.summary}`,
      evidence: "Open P1/P2 or care-impacting issue in the go-live command log.",
    });
  }
  return blockers;
}

/** Each area's RAG for the checklist: red with a blocker, otherwise as recorded, amber where nothing is recorded. */
export function areaStatus(
  area: ReadinessArea,
  readiness: ReadinessState,
  blockers: readonly Blocker[],
): { rag: Rag; owner: string; evidence: string } {
  const areaBlockers = blockers.filter((b) => b.area === area);
  const item = readiness.items.find((i) => i.area === area);
  const rag: Rag =
    areaBlockers.length > 0 ? "red" : item ? item.rag : recordedFor(area, readiness) ? "green" : "amber";
  switch (area) {
    case "training":
      return {
        rag,
        owner: "Registered managers",
        evidence:
          readiness.training.length === 0
            ? "Nothing recorded yet."
            : readiness.training
                .map(
                  (t) =>
                    `${t.staffRole} at ${t.site}: ${t.completed}/${t.staff} trained, ${t.confident} confident${t.gaps ? ` — gaps: ${t.gaps}` : ""}`,
                )
                .join("; "),
      };
    case "high-risk-validation":
      return {
        rag,
        owner: "Quality lead",
        evidence:
          readiness.assurance.length === 0
            ? "Nothing recorded yet."
            : readiness.assurance
                .map(
                  (a) =>
                    `${RECORD_TYPE_TITLES[a.recordType]}: ${a.checked}/${a.sampleSize} checked, ${a.discrepancies} discrepancies (${a.critical} critical)${a.signedOff ? ", signed off" : ""}`,
                )
                .join("; "),
      };
    case "live-support-plan": {
      const plan = readiness.supportPlan;
      return {
        rag,
        owner: "Operations lead",
        evidence: plan
          ? `Escalation: ${plan.escalationRoutes || "none"}. Leads: ${plan.responsibleLeads.map((l) => `${l.site}: ${l.lead}`).join(", ") || "none"}. Supplier: ${plan.supplierContact || "none"}. Cover: ${plan.onSiteCover || "none"}.`
          : "Nothing recorded yet.",
      };
    }
    default:
      return {
        rag,
        owner: item?.owner || "Project lead",
        evidence: item
          ? [item.evidence, item.note].filter((t) => t !== "").join(" — ") || "No evidence given."
          : "Nothing recorded yet.",
      };
  }
}

function recordedFor(area: ReadinessArea, readiness: ReadinessState): boolean {
  if (area === "training") return readiness.training.length > 0;
  if (area === "high-risk-validation") return readiness.assurance.length > 0;
  if (area === "live-support-plan") return readiness.supportPlan !== undefined;
  return readiness.items.some((i) => i.area === area);
}

/**
 * A short fingerprint of the blockers standing, carried by the decision card's buttons: a vote cast on a card
 * whose blockers no longer stand (or whose conditions would answer other blockers) is sent back for a new look.
 */
export function blockersDigest(blockers: readonly Blocker[]): string {
  return createHash("sha256")
    .update(blockers.map((b) => b.id).join("\n"))
    .digest("hex")
    .slice(0, 16);
}

/** The gate on a project as it stands, with the command log's open high-risk issues. */
export function blockersOf(state: ProjectState): Blocker[] {
  return readinessBlockers(state.project, state.readiness, state.commandLog.highRisk);
}
