import { addDays } from "./schedule.js";
import {
  AUDIT_MEASURES,
  type Audit,
  type AuditMeasure,
  MEASURE_TITLES,
  type Pulse,
  type SltChoice,
  type StabilisationState,
  type StabilisationThresholds,
} from "./stabilisation.js";

/**
 * The rules of stabilisation (domain page §4), pure: how an audit measures up, whether the exit criteria hold,
 * when the review is due, and what the SLT may decide.
 */

/** A measure as a whole percentage, rounded down (94.9% is not 95%). */
export function percentOf(result: { checked: number; passed: number }): number {
  return Math.floor((result.passed * 100) / result.checked);
}

/** The measures of an audit below their thresholds, with their percentages. */
export function auditShortfalls(
  audit: Audit,
  thresholds: StabilisationThresholds,
): Array<{ measure: AuditMeasure; percent: number; threshold: number }> {
  return AUDIT_MEASURES.map((measure) => ({
    measure,
    percent: percentOf(audit.measures[measure]),
    threshold: thresholds.measures[measure],
  })).filter((m) => m.percent < m.threshold);
}

/** The latest stabilisation audits of one site, newest first. */
function latestAudits(audits: readonly Audit[], site: string, count: number, liveFrom?: string): Audit[] {
  return audits
    .filter(
      (a) =>
        a.kind === "stabilisation" &&
        a.site.toLowerCase() === site.toLowerCase() &&
        // Only audits of the system in use: none from before go-live.
        (liveFrom === undefined || a.at.slice(0, 10) >= liveFrom),
    )
    .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id))
    .slice(0, count);
}

/** Staff confidence in the latest pulse: the share answering 4 or 5, or undefined when nobody answered. */
export function confidenceOf(pulse: Pulse | undefined): { percent: number; answers: number } | undefined {
  if (!pulse || pulse.answers.length === 0) return undefined;
  const confident = pulse.answers.filter((a) => a.score >= 4).length;
  return { percent: Math.floor((confident * 100) / pulse.answers.length), answers: pulse.answers.length };
}

export interface ExitCriterion {
  criterion: string;
  met: boolean;
}

/**
 * The exit criteria (defaults of the issue): for every site, the last two stabilisation audits meet every
 * threshold; no open care-impacting or P1/P2 issue; staff confidence at or above its threshold in the latest
 * pulse. Each is listed, met or not, so a refusal can say exactly what fails.
 */
/** The fewest answers a pulse needs before its confidence can count towards closing. */
export const MIN_PULSE_ANSWERS = 5;
/** Two audits count as consecutive weekly audits when at least this many days apart. */
const WEEKLY_GAP_DAYS = 6;

export function exitCriteria(input: {
  sites: readonly string[];
  stabilisation: StabilisationState;
  /** Open P1/P2 or care-impacting issues (the command log's high-risk list). */
  highRiskIssues: ReadonlyArray<{ id: string; summary: string }>;
  /** Audits before go-live do not count. */
  liveFrom?: string;
}): ExitCriterion[] {
  const { stabilisation: s } = input;
  const criteria: ExitCriterion[] = [];
  const sites =
    input.sites.length > 0
      ? input.sites
      : [...new Map(s.audits.map((a) => [a.site.toLowerCase(), a.site] as const)).values()];
  if (sites.length === 0)
    criteria.push({ criterion: "No stabilisation audit has been recorded.", met: false });
  for (const site of sites) {
    const last = latestAudits(s.audits, site, 2, input.liveFrom);
    if (last.length < 2) {
      criteria.push({
        criterion: `${site}: ${last.length === 0 ? "no stabilisation audit yet" : "only one stabilisation audit"}; the last two must meet every threshold.`,
        met: false,
      });
      continue;
    }
    const [newer, older] = last as [Audit, Audit];
    if (Date.parse(newer.at) - Date.parse(older.at) < WEEKLY_GAP_DAYS * 24 * 3_600_000) {
      criteria.push({
        criterion: `${site}: the last two audits (${older.id}, ${newer.id}) are not a week apart; two consecutive weekly audits must meet every threshold.`,
        met: false,
      });
      continue;
    }
    const short = last.flatMap((a) =>
      auditShortfalls(a, s.thresholds).map(
        (m) => `${MEASURE_TITLES[m.measure]} ${m.percent}% (audit ${a.id}, threshold ${m.threshold}%)`,
      ),
    );
    criteria.push({
      criterion:
        short.length === 0
          ? `${site}: the last two audits (${last.map((a) => a.id).join(", ")}) meet every threshold.`
          : `${site}: below threshold in the last two audits — ${short.join("; ")}.`,
      met: short.length === 0,
    });
  }
  criteria.push(
    input.highRiskIssues.length === 0
      ? { criterion: "No open care-impacting, P1 or P2 issue.", met: true }
      : {
          criterion: `Open care-impacting, P1 or P2 issues: ${input.highRiskIssues.map((i) => i.id).join(", ")}.`,
          met: false,
        },
  );
  const latestPulse = s.pulses.at(-1);
  const confidence = confidenceOf(latestPulse);
  const threshold = s.thresholds.confidencePercent;
  criteria.push(
    confidence === undefined
      ? { criterion: "No staff confidence pulse has been answered.", met: false }
      : confidence.answers < MIN_PULSE_ANSWERS
        ? {
            criterion: `Staff confidence: only ${confidence.answers} answers in ${latestPulse?.id}; at least ${MIN_PULSE_ANSWERS} are needed.`,
            met: false,
          }
        : {
            criterion: `Staff confidence ${confidence.percent}% (4 or 5 of 5, ${confidence.answers} answers in ${latestPulse?.id}); the threshold is ${threshold}%.`,
            met: confidence.percent >= threshold,
          },
  );
  return criteria;
}

/**
 * The stabilisation review's cadence: weekly from go-live, monthly once the last two audits of every site meet
 * every threshold, never after the controls are closed or transferred; an "extend" sets the next review date.
 * Returns the period (the local date the review is for) due on `today`, or undefined.
 */
export function stabilisationReviewDue(input: {
  liveFrom: string | undefined;
  today: string;
  sites: readonly string[];
  stabilisation: StabilisationState;
  lastReviewed?: string;
}): string | undefined {
  const { liveFrom, today, stabilisation: s } = input;
  if (!liveFrom) return undefined;
  const last = s.decisions.at(-1);
  if (last && last.choice !== "extend") return undefined;
  if (s.reviewDate && today < s.reviewDate) return undefined;
  // An extension's review date is a review of its own; the cadence carries on from there.
  if (
    s.reviewDate &&
    last?.choice === "extend" &&
    (input.lastReviewed === undefined || input.lastReviewed < s.reviewDate)
  ) {
    return s.reviewDate;
  }
  const auditsMet = exitCriteria({ sites: input.sites, stabilisation: s, highRiskIssues: [], liveFrom })
    .filter((c) => !c.criterion.startsWith("Staff confidence") && !c.criterion.startsWith("No staff"))
    .filter((c) => !c.criterion.startsWith("No open"))
    .every((c) => c.met);
  const step = auditsMet ? 28 : 7;
  // Reviews fall on go-live's weekday: the first a week after go-live.
  let due = addDays(liveFrom, 7);
  while (addDays(due, step) <= today) due = addDays(due, step);
  if (due > today) return undefined;
  if (input.lastReviewed !== undefined && input.lastReviewed >= due) return undefined;
  return due;
}

export type SltRefusal = { outcome: "refused"; message: string; neededRole?: "slt" };

/**
 * The SLT's decision: close (refused while any exit criterion fails, naming them), extend (a new review date,
 * in the future), or transfer to routine governance (naming who owns it). SLT members only; a rationale always.
 */
export function checkSltDecision(input: {
  isSlt: boolean;
  choice: SltChoice;
  rationale: string;
  today: string;
  reviewDate?: string;
  ownerName?: string;
  criteria: readonly ExitCriterion[];
}): SltRefusal | undefined {
  if (!input.isSlt) {
    return {
      outcome: "refused",
      neededRole: "slt",
      message: "Only the senior leadership team closes, extends or transfers the go-live controls.",
    };
  }
  if (input.rationale.trim() === "")
    return { outcome: "refused", message: "Give the rationale: it is kept with the decision." };
  if (input.choice === "close") {
    const failing = input.criteria.filter((c) => !c.met);
    if (failing.length > 0) {
      return {
        outcome: "refused",
        message: `Close is refused while the exit criteria fail: ${failing.map((c) => c.criterion).join(" ")} Extend stabilisation, or transfer the controls to routine governance, instead.`,
      };
    }
  }
  if (input.choice === "extend" && (!input.reviewDate || input.reviewDate <= input.today)) {
    return { outcome: "refused", message: "Extending needs a new review date after today." };
  }
  if (input.choice === "extend" && input.reviewDate && input.reviewDate > addDays(input.today, 92)) {
    return { outcome: "refused", message: "The new review date can be at most three months ahead." };
  }
  if (input.choice === "transfer" && !input.ownerName) {
    return { outcome: "refused", message: "Transferring needs the person who will own routine governance." };
  }
  return undefined;
}

/** Follow-up audits after close or transfer, at the configured months (default 1, 3 and 6). */
export function followUpSchedule(
  today: string,
  months: readonly number[],
): Array<{ due: string; months: number }> {
  return [...months]
    .sort((a, b) => a - b)
    .map((m) => {
      const [y, mo, d] = today.split("-").map(Number);
      const target = new Date(Date.UTC(y ?? 1970, (mo ?? 1) - 1 + m, 1));
      // The same day of the month, or the month's last day when it has fewer days.
      const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      target.setUTCDate(Math.min(d ?? 1, last));
      return { due: target.toISOString().slice(0, 10), months: m };
    });
}
