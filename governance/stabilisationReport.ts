import type { IssueSummary } from "./commandLog.js";
import type { ProjectState } from "./project.js";
import { addDays, localNow } from "./schedule.js";
import type { Audit, Risk, SltDecision, StabilisationThresholds } from "./stabilisation.js";
import { confidenceOf, type ExitCriterion, exitCriteria, percentOf } from "./stabilisationRules.js";
import { repeatedThemes } from "./themes.js";

/**
 * The stabilisation report (domain page §4): the go-live issues then against now, the audit trend, staff
 * confidence, unresolved risks and whether the exit criteria hold. Pure: built from the state and the issues.
 */
export interface IssueFigures {
  /** e.g. "First fortnight live (13–26 Nov)" or "Last 14 days (14–27 Nov)". */
  label: string;
  raised: number;
  careImpacting: number;
  /** Median minutes from being care-impacting to the first temporary control; undefined when none. */
  medianMinutesToControl?: number;
  /** Median minutes from raising to resolution, of those resolved; undefined when none. */
  medianMinutesToClosure?: number;
  repeatedThemes: string[];
}

export interface StabilisationReport {
  projectId: string;
  projectName: string;
  generatedAt: string;
  timeZone: string;
  atGoLive: IssueFigures;
  recently: IssueFigures;
  openIssues: number;
  /** Audits oldest first, with each measure's percentage and whether it met its threshold. */
  audits: Array<{
    id: string;
    site: string;
    kind: Audit["kind"];
    at: string;
    measures: Array<{ measure: string; percent: number; threshold: number; met: boolean }>;
  }>;
  confidence?: { pulseId: string; percent: number; answers: number; threshold: number; anonymous: boolean };
  /** Open risks, highest likelihood × impact first, then open care-impacting issues counted as risks. */
  risks: Array<{ id: string; text: string; score: number; owner: string; reviewDate?: string }>;
  criteria: ExitCriterion[];
  decisions: SltDecision[];
  followUps: Array<{ due: string; months: number; auditId?: string }>;
  thresholds: StabilisationThresholds;
}

const median = (values: number[]): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const minutes = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

function figures(
  label: string,
  unordered: readonly IssueSummary[],
  themeWindowEnd: Date,
  sites: readonly string[],
): IssueFigures {
  const issues = [...unordered].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.number - b.number);
  const care = issues.filter((i) => i.careImpacting || i.careMarkedAt !== undefined);
  const toControl = care
    .filter((i) => i.careMarkedAt && i.firstControlAt)
    .map((i) => Math.max(0, minutes(i.careMarkedAt as string, i.firstControlAt as string)));
  const toClosure = issues
    .filter((i) => i.resolution)
    .map((i) => minutes(i.raisedAt, i.resolution?.at as string));
  const days =
    issues.length > 0
      ? Math.max(2, Math.ceil((themeWindowEnd.getTime() - Date.parse(issues[0]?.raisedAt ?? "")) / 3_600_000))
      : 48;
  const themes = repeatedThemes(issues, themeWindowEnd, { windowHours: days, ignore: sites }).map(
    (t) => t.name,
  );
  const control = median(toControl);
  const closure = median(toClosure);
  return {
    label,
    raised: issues.length,
    careImpacting: care.length,
    ...(control !== undefined ? { medianMinutesToControl: control } : {}),
    ...(closure !== undefined ? { medianMinutesToClosure: closure } : {}),
    repeatedThemes: themes.slice(0, 10),
  };
}

export function buildStabilisationReport(input: {
  projectId: string;
  state: ProjectState;
  /** Every issue of the command log (a weekly report may read the history). */
  issues: readonly IssueSummary[];
  now: Date;
  today: string;
}): StabilisationReport {
  const { state, issues, now, today } = input;
  const s = state.stabilisation;
  const liveFrom = state.project.liveFrom ?? today;
  const firstEnd = addDays(liveFrom, 14);
  const recentStart = addDays(today, -13);
  const zone = state.project.settings.timeZone;
  // Days are the project's local days, as everywhere else.
  const inDays = (i: IssueSummary, from: string, to: string) => {
    const d = localNow(new Date(i.raisedAt), zone).date;
    return d >= from && d < to;
  };
  const then = issues.filter((i) => inDays(i, liveFrom, firstEnd));
  const recent = issues.filter((i) => inDays(i, recentStart, addDays(today, 1)));
  const latestPulse = s.pulses.at(-1);
  const confidence = confidenceOf(latestPulse);
  const risks = [
    ...s.risks
      .filter((r: Risk) => r.state === "open")
      .map((r) => ({
        id: r.id,
        text: r.text,
        score: r.likelihood * r.impact,
        owner: r.owner.name,
        reviewDate: r.reviewDate,
      }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)),
    ...issues
      .filter((i) => i.status === "open" && i.careImpacting)
      .map((i) => ({
        id: i.id,
        text: `Care-impacting issue: ${i.description}`,
        score: 0,
        owner: i.owner?.person.name ?? "nobody yet",
      })),
  ];
  return {
    projectId: input.projectId,
    projectName: state.project.name,
    generatedAt: now.toISOString(),
    timeZone: state.project.settings.timeZone,
    atGoLive: figures(
      `First fortnight live (from ${liveFrom})`,
      then,
      new Date(`${firstEnd}T00:00:00Z`),
      state.project.settings.sites,
    ),
    recently: figures(`Last 14 days (from ${recentStart})`, recent, now, state.project.settings.sites),
    openIssues: issues.filter((i) => i.status === "open").length,
    audits: s.audits.map((a) => ({
      id: a.id,
      site: a.site,
      kind: a.kind,
      at: a.at,
      measures: Object.entries(a.measures).map(([measure, result]) => {
        const percent = percentOf(result);
        const threshold = s.thresholds.measures[measure as keyof typeof s.thresholds.measures];
        return { measure, percent, threshold, met: percent >= threshold };
      }),
    })),
    ...(confidence && latestPulse
      ? {
          confidence: {
            pulseId: latestPulse.id,
            percent: confidence.percent,
            answers: confidence.answers,
            threshold: s.thresholds.confidencePercent,
            anonymous: latestPulse.anonymous,
          },
        }
      : {}),
    risks,
    criteria: exitCriteria({
      ...(state.project.liveFrom ? { liveFrom: state.project.liveFrom } : {}),
      sites: state.project.settings.sites,
      stabilisation: s,
      highRiskIssues: state.commandLog.highRisk,
    }),
    decisions: s.decisions,
    followUps: s.followUps,
    thresholds: s.thresholds,
  };
}
