import type { ProjectState } from "../governance/project.js";
import { AREA_TITLES, areaStatus, type Blocker, type Rag, READINESS_AREAS } from "../governance/readiness.js";
import { type AdaptiveCard, expand } from "./render.js";
import readinessTemplate from "./templates/readiness.json" with { type: "json" };
import assuranceTemplate from "./templates/readiness-assurance.json" with { type: "json" };
import itemTemplate from "./templates/readiness-item.json" with { type: "json" };
import planTemplate from "./templates/readiness-plan.json" with { type: "json" };
import thresholdsTemplate from "./templates/readiness-thresholds.json" with { type: "json" };
import trainingTemplate from "./templates/readiness-training.json" with { type: "json" };

export const READINESS_VERBS = {
  show: "readiness.show",
  form: "readiness.form",
  training: "readiness.training",
  assurance: "readiness.assurance",
  plan: "readiness.plan",
  item: "readiness.item",
  thresholds: "readiness.thresholds",
} as const;

export type ReadinessForm = "training" | "assurance" | "plan" | "item" | "thresholds";
export const READINESS_FORM_TITLES: Record<ReadinessForm, string> = {
  training: "Record training",
  assurance: "Record assurance",
  plan: "Record support plan",
  item: "Record an item",
  thresholds: "Thresholds",
};

const RAG_COLOURS: Record<Rag, string> = { red: "Attention", amber: "Warning", green: "Good" };
/** Long evidence is cut on the card (the full text stays in the log), so the card stays under 28 KB. */
const MAX_EVIDENCE_ON_CARD = 600;
const MAX_BLOCKERS_ON_CARD = 25;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The checklist; `today` (the project's date) shows conditions of an approval that are overdue. */
export function readinessCard(
  state: ProjectState,
  blockers: readonly Blocker[],
  options: { note?: string; today?: string } = {},
): AdaptiveCard {
  const { note, today } = options;
  const goLive = state.project.settings.goLiveDate;
  const overdue = today ? state.conditions.filter((c) => c.state === "open" && c.due < today) : [];
  const shown = blockers.slice(0, MAX_BLOCKERS_ON_CARD);
  return expand(readinessTemplate, {
    projectName: state.project.name,
    projectId: state.project.id,
    summary: [
      goLive ? `Planned go-live: ${goLive}.` : "No go-live date set yet.",
      `Sites: ${state.project.settings.sites.join(", ") || "none set"}.`,
      decisionSummary(state),
      today ? goLiveWarning(state, today) : "",
      note ?? "",
    ]
      .filter((t) => t !== "")
      .join(" "),
    verdict:
      blockers.length === 0
        ? "No blockers: the readiness evidence supports a board decision."
        : `${blockers.length} blocker${blockers.length === 1 ? "" : "s"}: proceed is not possible while any stands.`,
    verdictColour: blockers.length === 0 ? "Good" : "Attention",
    hasOverdue: overdue.length > 0,
    overdue: cut(
      `Overdue conditions: ${overdue.map((c) => `${c.id} (${c.owner.name}, due ${c.due}): ${c.text}`).join("; ")}. Type conditions to see them all.`,
      800,
    ),
    areas: READINESS_AREAS.map((area) => {
      const status = areaStatus(area, state.readiness, blockers);
      return {
        rag: status.rag.toUpperCase(),
        colour: RAG_COLOURS[status.rag],
        title: AREA_TITLES[area],
        owner: cut(status.owner, 200),
        evidence: cut(status.evidence, MAX_EVIDENCE_ON_CARD),
      };
    }),
    hasBlockers: blockers.length > 0,
    blockers: [
      ...shown.map((b) => ({ reason: cut(b.reason, 300), evidence: cut(b.evidence, 300) })),
      ...(blockers.length > shown.length
        ? [
            {
              reason: `…and ${blockers.length - shown.length} more.`,
              evidence: "Type readiness again after some are resolved.",
            },
          ]
        : []),
    ],
    footnote: `Training threshold: ${state.readiness.thresholds.trainingCompletionPercent}% per staff role and site. Each lead records their own part with the buttons below.`,
    forms: (Object.keys(READINESS_FORM_TITLES) as ReadinessForm[]).map((form) => ({
      form,
      title: READINESS_FORM_TITLES[form],
    })),
  });
}

/** A lead's form; `basis` (the log entry it shows) goes back with it, so each opened form is its own change. */
export function readinessFormCard(state: ProjectState, form: ReadinessForm, basis: number): AdaptiveCard {
  const base = { projectName: state.project.name, projectId: state.project.id, basis };
  const sites = state.project.settings.sites;
  switch (form) {
    case "training":
      return expand(trainingTemplate, {
        ...base,
        threshold: state.readiness.thresholds.trainingCompletionPercent,
        sitesHint: sites.length > 0 ? sites.join(" or ") : "The site's name",
      });
    case "assurance":
      return expand(assuranceTemplate, base);
    case "plan": {
      const plan = state.readiness.supportPlan;
      const leadSites = sites.length > 0 ? sites : ["The service"];
      return expand(planTemplate, {
        ...base,
        escalationRoutes: plan?.escalationRoutes ?? "",
        supplierContact: plan?.supplierContact ?? "",
        onSiteCover: plan?.onSiteCover ?? "",
        leads: leadSites.map((site, index) => ({
          index,
          site,
          lead: plan?.responsibleLeads.find((l) => l.site.toLowerCase() === site.toLowerCase())?.lead ?? "",
        })),
      });
    }
    case "item":
      return expand(itemTemplate, base);
    case "thresholds":
      return expand(thresholdsTemplate, {
        ...base,
        trainingCompletionPercent: state.readiness.thresholds.trainingCompletionPercent,
      });
  }
}

/** Where the board's go-live decision stands, in one sentence (empty before any decision). */
function decisionSummary(state: ProjectState): string {
  const latest = state.decisions.at(-1);
  if (!latest) return "";
  if (latest.state === "open") return `The board's vote ${latest.id} is open (${latest.votes.length} voted).`;
  const outcome = latest.minutes?.outcome;
  const open = state.conditions.filter((c) => c.decisionId === latest.id && c.state === "open").length;
  const words =
    outcome === "conditional" ? "conditional approval" : outcome === "proceed" ? "proceed" : "delay";
  return `Board decision ${latest.id}: ${words}${outcome === "conditional" ? ` (${open} condition${open === 1 ? "" : "s"} open)` : ""}.`;
}

/**
 * A project nearing its go-live date without a closed board decision (domain page §1): said on the checklist,
 * where the project lead and the chair look immediately before go-live.
 */
function goLiveWarning(state: ProjectState, today: string): string {
  const goLive = state.project.settings.goLiveDate;
  if (!goLive || state.decisions.some((d) => d.state === "closed")) return "";
  const days = Math.round(
    (Date.parse(`${goLive}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
  );
  if (days > 14) return "";
  if (days < 0) return `Go-live was planned for ${goLive} and the board has not decided.`;
  return `Go-live is ${days === 0 ? "today" : `in ${days} day${days === 1 ? "" : "s"}`} and the board has not decided: type decision to put it to the board.`;
}
