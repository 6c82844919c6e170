import { formatDuration } from "../governance/duration.js";
import { ROLE_TITLES, type Role } from "../governance/roles.js";
import {
  AUDIT_MEASURES,
  type Audit,
  type AuditMeasure,
  MEASURE_TITLES,
  type Pulse,
  type Risk,
  SLT_CHOICES,
  SLT_TITLES,
  type StabilisationThresholds,
} from "../governance/stabilisation.js";
import type { IssueFigures, StabilisationReport } from "../governance/stabilisationReport.js";
import { confidenceOf, percentOf } from "../governance/stabilisationRules.js";
import { Cutter } from "./cutter.js";
import { formatWhen } from "./issueCards.js";
import { type AdaptiveCard, expand } from "./render.js";
import auditTemplate from "./templates/stabilisation-audit.json" with { type: "json" };
import auditFormTemplate from "./templates/stabilisation-audit-form.json" with { type: "json" };
import pulseTemplate from "./templates/stabilisation-pulse.json" with { type: "json" };
import pulseResultsTemplate from "./templates/stabilisation-pulse-results.json" with { type: "json" };
import reportTemplate from "./templates/stabilisation-report.json" with { type: "json" };
import riskTemplate from "./templates/stabilisation-risk.json" with { type: "json" };
import risksTemplate from "./templates/stabilisation-risks.json" with { type: "json" };

/**
 * Stabilisation cards (domain page §4): the audit form and its result, the staff confidence pulse and its
 * results, a risk and the risk log, and the stabilisation report with the SLT's decision form. Templates are
 * filled with data only, so text people typed shows as typed; every card is rendered at the first fit that stays
 * under Teams' 28 KB.
 */

export const STABILISATION_VERBS = {
  audit: "stabilisation.audit",
  pulseAnswer: "stabilisation.pulse-answer",
  pulseResults: "stabilisation.pulse-results",
  riskUpdate: "risk.update",
  riskClose: "risk.close",
  decide: "stabilisation.decide",
} as const;

/** Someone who can own a risk or routine governance: a role holder. */
export interface OwnerChoice {
  objectId: string;
  name: string;
  /** e.g. "Registered manager, Quality lead" */
  roles: string;
}

/** Teams' safe size for a message carrying a card: 28 KB of serialized JSON. */
const MAX_CARD_BYTES = 28 * 1024;
/** A pulse's answers grouped by role or site show their scores only from this many answers when anonymous. */
const MIN_ANONYMOUS_GROUP = 3;
/** Risks and issues listed on the risk log before "+N more". */
const RISKS_ON_LOG = 25;

const ALL = Number.POSITIVE_INFINITY;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const LIKELIHOOD_WORDS = ["rare", "unlikely", "possible", "likely", "almost certain"];
const IMPACT_WORDS = ["negligible", "minor", "moderate", "major", "catastrophic"];

const SHORTENED_NOTE = "Texts ending in … are shortened; the full text is in the governance log.";

const byteSize = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(card), "utf8");
const count = (n: number) => n.toLocaleString("en-GB");
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
const isAre = (n: number) => (n === 1 ? "is" : "are");

/** Renders at the first fit under 28 KB; the last fit otherwise (each card's last fit is small by design). */
function fitted<F extends { scale: number }>(
  template: object,
  fits: readonly F[],
  data: (fit: F, cutter: Cutter) => object,
): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const fit of fits) {
    card = expand(template, data(fit, new Cutter(fit.scale)));
    if (byteSize(card) < MAX_CARD_BYTES) return card;
  }
  return card as AdaptiveCard;
}

// ---------------------------------------------------------------------------------------------------
// Dates, durations and scores
// ---------------------------------------------------------------------------------------------------

/** "2026-12-04" → "Fri 4 Dec 2026"; anything else as given. */
function formatDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return date;
  return `${WEEKDAYS[utc.getUTCDay()]} ${day} ${MONTHS[month - 1]} ${year}`;
}

/** The local date ("2026-11-27") of a moment in a time zone; UTC when the zone is unknown. */
function localDate(moment: Date, timeZone: string): string {
  for (const zone of [timeZone, "UTC"]) {
    try {
      const parts = new Map(
        new Intl.DateTimeFormat("en-GB", {
          timeZone: zone,
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
        })
          .formatToParts(moment)
          .map((p) => [p.type, p.value]),
      );
      return `${parts.get("year")}-${parts.get("month")}-${parts.get("day")}`;
    } catch {
      // An unknown time zone: try UTC.
    }
  }
  return moment.toISOString().slice(0, 10);
}

type Band = "high" | "medium" | "low";
/** Likelihood × impact: 15 or more is high, 8 to 14 medium, below 8 low. */
function band(score: number): Band {
  return score >= 15 ? "high" : score >= 8 ? "medium" : "low";
}
const BAND_COLOURS: Record<Band, string> = { high: "Attention", medium: "Warning", low: "Default" };
const scoreLine = (risk: Pick<Risk, "likelihood" | "impact">) => {
  const score = risk.likelihood * risk.impact;
  return `${risk.likelihood} × ${risk.impact} = ${score} (${band(score)})`;
};
const scaleChoices = (words: readonly string[]) =>
  words.map((word, i) => ({ title: `${i + 1} — ${word}`, value: String(i + 1) }));

function measureTitle(measure: string): string {
  return MEASURE_TITLES[measure as AuditMeasure] ?? measure;
}

function roleTitle(role: string): string {
  return ROLE_TITLES[role as Role] ?? role;
}

function ownerChoices(owners: readonly OwnerChoice[], cutter: Cutter) {
  return owners.map((o) => ({
    title: `${cutter.text(o.name, 60)} — ${cutter.text(o.roles, 60)}`,
    value: o.objectId,
  }));
}

const ownersMoreLine = (more: number) =>
  more > 0
    ? `${plural(more, "more person", "more people")} hold a role but are not listed here for space.`
    : "";

// ---------------------------------------------------------------------------------------------------
// Audits
// ---------------------------------------------------------------------------------------------------

/**
 * The audit form. Inputs: `site`, `kind`, `{measure}:checked` and `{measure}:passed` for each measure, `notes`
 * and `embedded` ("true" or "false"); the button sends `{ projectId }` with verb `stabilisation.audit`.
 */
export function auditFormCard(view: {
  projectId: string;
  projectName: string;
  sites: string[];
  thresholds: StabilisationThresholds;
  followUpDue?: string;
  notice?: string;
}): AdaptiveCard {
  const cutter = new Cutter();
  return expand(auditFormTemplate, {
    notice: cutter.text(view.notice ?? "", 500, 100),
    projectName: cutter.text(view.projectName, 100),
    followUpLine: view.followUpDue
      ? `A follow-up audit is due by ${formatDate(view.followUpDue)}: choose "Follow-up audit" below.`
      : "",
    hasSites: view.sites.length > 0,
    // The value is the site as set, which the bot matches; only the title is shortened.
    siteChoices: view.sites.map((s) => ({ title: cutter.text(s, 80), value: s })),
    kind: view.followUpDue ? "follow-up" : "stabilisation",
    measures: AUDIT_MEASURES.map((measure) => ({
      measure,
      title: MEASURE_TITLES[measure],
      threshold: String(view.thresholds.measures[measure]),
    })),
    verb: STABILISATION_VERBS.audit,
    projectId: view.projectId,
  });
}

const AUDIT_FITS: ReadonlyArray<{ scale: number }> = [
  { scale: 1 },
  { scale: 0.5 },
  { scale: 0.2 },
  { scale: 0 },
];

/** One audit as recorded: each measure's count, percentage and whether it meets its threshold. */
export function auditResultCard(view: {
  projectName: string;
  audit: Audit;
  thresholds: StabilisationThresholds;
  timeZone: string;
  notice?: string;
}): AdaptiveCard {
  const { audit, thresholds } = view;
  return fitted(auditTemplate, AUDIT_FITS, (_fit, cutter) => {
    const measures = AUDIT_MEASURES.map((measure) => {
      const result = audit.measures[measure];
      const percent = percentOf(result);
      const threshold = thresholds.measures[measure];
      const met = percent >= threshold;
      return {
        measure,
        title: MEASURE_TITLES[measure],
        counts: `${count(result.passed)} of ${count(result.checked)} passed`,
        result: met ? `${percent}% · meets ${threshold}%` : `${percent}% · below ${threshold}%`,
        colour: met ? "Good" : "Attention",
        weight: met ? "Default" : "Bolder",
        met,
      };
    });
    const below = measures.filter((m) => !m.met);
    const data = {
      notice: cutter.text(view.notice ?? "", 500, 100),
      heading: `Audit ${audit.id} — ${cutter.text(audit.site, 80)}`,
      subheading: `${
        audit.kind === "follow-up" ? "Follow-up audit after close or transfer" : "Stabilisation audit"
      } · ${cutter.text(view.projectName, 100)}`,
      summary:
        below.length === 0
          ? "Every measure meets its threshold."
          : `${plural(below.length, "measure")} below threshold: ${below.map((m) => m.title).join(", ")}.`,
      summaryColour: below.length === 0 ? "Good" : "Attention",
      measures,
      embedded:
        audit.embedded === undefined
          ? ""
          : audit.embedded
            ? "System use is still accurate, consistent and embedded."
            : "System use is NOT still accurate, consistent and embedded.",
      embeddedColour: audit.embedded ? "Good" : "Attention",
      notes: audit.notes.trim() === "" ? "No notes." : cutter.text(audit.notes, 2000, 200),
      byWhen: `Recorded by ${cutter.name(audit.by)} · ${formatWhen(audit.at, view.timeZone)}`,
      shortened: false,
    };
    data.shortened = cutter.shortened;
    return data;
  });
}

// ---------------------------------------------------------------------------------------------------
// Staff confidence pulses
// ---------------------------------------------------------------------------------------------------

const ANONYMOUS_LINE = "Anonymous: only your role, site and answer are kept — never who answered what.";
const NAMED_LINE = "Not anonymous: your name is kept with your answer.";

/**
 * The pulse as posted to everyone: the question and the answer form, never anyone's answers. Inputs: `score`
 * ("1" to "5") and `comment`; both buttons send `{ projectId, pulseId }`.
 */
export function pulseCard(view: {
  projectId: string;
  projectName: string;
  pulse: Pulse;
  notice?: string;
}): AdaptiveCard {
  const cutter = new Cutter();
  return expand(pulseTemplate, {
    notice: cutter.text(view.notice ?? "", 500, 100),
    projectName: cutter.text(view.projectName, 100),
    question: cutter.text(view.pulse.question, 300),
    privacy: view.pulse.anonymous ? ANONYMOUS_LINE : NAMED_LINE,
    askedBy: `Asked by ${cutter.name(view.pulse.openedBy)}.`,
    verbs: STABILISATION_VERBS,
    projectId: view.projectId,
    pulseId: view.pulse.id,
  });
}

interface PulseFit {
  scale: number;
  /** Rows per breakdown (role, site). */
  groups: number;
  comments: number;
}
const PULSE_FITS: readonly PulseFit[] = [
  { scale: 1, groups: ALL, comments: 20 },
  { scale: 0.6, groups: 30, comments: 20 },
  { scale: 0.4, groups: 15, comments: 10 },
  { scale: 0.25, groups: 10, comments: 5 },
  { scale: 0.1, groups: 5, comments: 3 },
  { scale: 0, groups: 3, comments: 1 },
];

type Answer = Pulse["answers"][number];

function breakdown(
  answers: readonly Answer[],
  key: (a: Answer) => string,
  title: (k: string) => string,
  options: { anonymous: boolean; threshold: number; max: number; cutter: Cutter },
) {
  const groups = new Map<string, Answer[]>();
  for (const a of answers) {
    const k = key(a).trim();
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  const rows = [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([k, group]) => {
      const hidden = options.anonymous && group.length < MIN_ANONYMOUS_GROUP;
      const confident = Math.floor((group.filter((a) => a.score >= 4).length * 100) / group.length);
      const average = group.reduce((sum, a) => sum + a.score, 0) / group.length;
      return {
        name: k === "" ? "Not given" : options.cutter.text(title(k), 60),
        answers: count(group.length),
        confident: hidden ? "—" : `${confident}%`,
        colour: !hidden && confident < options.threshold ? "Attention" : "Default",
        average: hidden ? "—" : average.toFixed(1),
        hidden,
      };
    });
  const shown = rows.slice(0, options.max);
  return { rows: shown, more: rows.length - shown.length, hidden: shown.some((r) => r.hidden) };
}

/**
 * A pulse's results for the project lead and registered managers: how many answered, the counts per score, by
 * role and by site, and the comments. An anonymous pulse shows no names, comments without role or site, and no
 * scores for a role or site with fewer than 3 answers, so nobody's answer can be picked out.
 */
export function pulseResultsCard(view: {
  projectName: string;
  pulse: Pulse;
  threshold: number;
  /** A line under the privacy note (e.g. why the breakdown is hidden). */
  note?: string;
}): AdaptiveCard {
  const { pulse, threshold } = view;
  const answers = pulse.answers;
  const confidence = confidenceOf(pulse);
  return fitted(pulseResultsTemplate, PULSE_FITS, (fit, cutter) => {
    const options = { anonymous: pulse.anonymous, threshold, max: fit.groups, cutter };
    const byRole = breakdown(answers, (a) => a.role, roleTitle, options);
    const bySite = breakdown(
      answers,
      (a) => a.site,
      (s) => s,
      options,
    );
    // Answers are kept in the order given; a changed answer moves to the end, so the newest are last.
    const withComments = [...answers].reverse().filter((a) => (a.comment ?? "").trim() !== "");
    const comments = withComments.slice(0, fit.comments).map((a) => ({
      about: pulse.anonymous
        ? `Score ${a.score}`
        : [
            ...(a.name ? [cutter.name(a.name)] : []),
            cutter.text(roleTitle(a.role), 40),
            cutter.text(a.site, 60),
            `score ${a.score}`,
          ].join(" · "),
      text: cutter.text(a.comment ?? "", 500, 60),
    }));
    const commentsMore = withComments.length - comments.length;
    const groupsMore = (n: number, noun: string) =>
      n > 0 ? `+${plural(n, `more ${noun}`, `more ${noun}s`)} with fewer answers.` : "";
    const data = {
      projectName: cutter.text(view.projectName, 100),
      question: cutter.text(pulse.question, 300),
      privacy: `${
        pulse.anonymous
          ? "Anonymous pulse: only a role group and the answer are kept — never who answered what."
          : "Not anonymous: names are kept with the answers."
      }${view.note ? ` ${view.note}` : ""}`,
      total: answers.length === 0 ? "No answers yet." : `${plural(answers.length, "answer")} in total`,
      confidence: confidence
        ? `Confident (4 or 5 out of 5): ${confidence.percent}% — ${
            confidence.percent >= threshold ? "meets" : "below"
          } the ${threshold}% threshold.`
        : `The threshold is ${threshold}% answering 4 or 5 out of 5.`,
      confidenceColour: !confidence ? "Default" : confidence.percent >= threshold ? "Good" : "Attention",
      hasAnswers: answers.length > 0,
      scores: [1, 2, 3, 4, 5].map((score) => ({
        count: count(answers.filter((a) => a.score === score).length),
        label: `Score ${score}`,
      })),
      groups:
        answers.length === 0
          ? []
          : [
              {
                heading: "By role",
                nameTitle: "Role",
                rows: byRole.rows,
                more: groupsMore(byRole.more, "role"),
              },
              {
                heading: "By site",
                nameTitle: "Site",
                rows: bySite.rows,
                more: groupsMore(bySite.more, "site"),
              },
            ],
      smallGroups:
        byRole.hidden || bySite.hidden
          ? `A dash (—) means fewer than ${MIN_ANONYMOUS_GROUP} answers from that role or site: its scores are not shown, so nobody's answer can be picked out.`
          : "",
      commentsHeading:
        withComments.length > comments.length
          ? `Comments: the newest ${count(comments.length)} of ${count(withComments.length)}`
          : "Comments",
      hasComments: comments.length > 0,
      comments,
      commentsMore: commentsMore > 0 ? `${plural(commentsMore, "earlier comment")} not shown.` : "",
      shortened: false,
    };
    data.shortened = cutter.shortened;
    return data;
  });
}

// ---------------------------------------------------------------------------------------------------
// Risks
// ---------------------------------------------------------------------------------------------------

interface RiskFit {
  scale: number;
  owners: number;
}
const RISK_FITS: readonly RiskFit[] = [
  { scale: 1, owners: 50 },
  { scale: 1, owners: 25 },
  { scale: 0.5, owners: 25 },
  { scale: 0.25, owners: 15 },
  { scale: 0.1, owners: 10 },
  { scale: 0, owners: 5 },
];

/**
 * One risk: its score, owner and review date (overdue in red), and, while it is open, the Update form (inputs
 * `owner`, `likelihood`, `impact`, `reviewDate`) and the Close form (input `evidence`); both send
 * `{ projectId, riskId }`. `today` (the project's date) is for tests; it defaults to today in the time zone.
 */
export function riskCard(view: {
  projectId: string;
  projectName: string;
  risk: Risk;
  owners: OwnerChoice[];
  timeZone: string;
  notice?: string;
  today?: string;
}): AdaptiveCard {
  const { risk, timeZone } = view;
  const today = view.today ?? localDate(new Date(), timeZone);
  const isOpen = risk.state === "open";
  const overdue = isOpen && risk.reviewDate < today;
  return fitted(riskTemplate, RISK_FITS, (fit, cutter) => {
    const owners = view.owners.slice(0, fit.owners);
    const choices = ownerChoices(owners, cutter);
    if (!owners.some((o) => o.objectId === risk.owner.objectId)) {
      choices.unshift({
        title: `${cutter.name(risk.owner.name)} — current owner`,
        value: risk.owner.objectId,
      });
    }
    const data = {
      notice: cutter.text(view.notice ?? "", 500, 100),
      heading: `Risk ${risk.id} · ${isOpen ? "Open" : "Closed"}`,
      projectName: cutter.text(view.projectName, 100),
      text: cutter.text(risk.text, 1000, 100),
      facts: [
        { title: "Owner", value: cutter.name(risk.owner.name) },
        { title: "Likelihood × impact", value: scoreLine(risk) },
        { title: "Likelihood", value: `${risk.likelihood} — ${LIKELIHOOD_WORDS[risk.likelihood - 1] ?? ""}` },
        { title: "Impact", value: `${risk.impact} — ${IMPACT_WORDS[risk.impact - 1] ?? ""}` },
      ],
      review: overdue
        ? `Review overdue: it was due by ${formatDate(risk.reviewDate)}.`
        : `Review by ${formatDate(risk.reviewDate)}`,
      reviewColour: overdue ? "Attention" : "Default",
      reviewWeight: overdue ? "Bolder" : "Default",
      hasEvidence: !isOpen,
      closedHeading: `Closed${risk.closedAt ? ` · ${formatWhen(risk.closedAt, timeZone)}` : ""} — evidence`,
      evidence: risk.evidence ? cutter.text(risk.evidence, 2000, 100) : "None recorded.",
      raised: `Raised by ${cutter.name(risk.raisedBy)} · ${formatWhen(risk.raisedAt, timeZone)}`,
      isOpen,
      verbs: STABILISATION_VERBS,
      projectId: view.projectId,
      riskId: risk.id,
      ownerValue: risk.owner.objectId,
      ownerChoices: choices,
      ownersMore: ownersMoreLine(view.owners.length - owners.length),
      likelihood: String(risk.likelihood),
      likelihoodChoices: scaleChoices(LIKELIHOOD_WORDS),
      impact: String(risk.impact),
      impactChoices: scaleChoices(IMPACT_WORDS),
      reviewDate: risk.reviewDate,
      shortened: false,
    };
    data.shortened = cutter.shortened;
    return data;
  });
}

interface RisksFit {
  scale: number;
  items: number;
}
const RISKS_FITS: readonly RisksFit[] = [
  { scale: 1, items: RISKS_ON_LOG },
  { scale: 0.5, items: RISKS_ON_LOG },
  { scale: 0.3, items: RISKS_ON_LOG },
  { scale: 0.2, items: 15 },
  { scale: 0.1, items: 10 },
  { scale: 0, items: 5 },
];

const byScore = (a: Risk, b: Risk) =>
  b.likelihood * b.impact - a.likelihood * a.impact ||
  a.reviewDate.localeCompare(b.reviewDate) ||
  a.id.localeCompare(b.id, "en", { numeric: true });

/**
 * The risk log: open risks, highest likelihood × impact first, how many are closed, then the open
 * care-impacting issues, which count as risks. `today` (optional, the project's date) marks overdue reviews.
 */
export function risksCard(view: {
  projectName: string;
  risks: Risk[];
  careIssues: Array<{ id: string; text: string }>;
  today?: string;
}): AdaptiveCard {
  const open = view.risks.filter((r) => r.state === "open").sort(byScore);
  const closed = view.risks.length - open.length;
  return fitted(risksTemplate, RISKS_FITS, (fit, cutter) => {
    const shown = open.slice(0, fit.items);
    const care = view.careIssues.slice(0, fit.items);
    const data = {
      projectName: cutter.text(view.projectName, 100),
      summary: `${open.length === 0 ? "No open risks" : `${plural(open.length, "open risk")}, highest score first`} · ${count(closed)} closed.`,
      risks: shown.map((r) => {
        const overdue = view.today !== undefined && r.reviewDate < view.today;
        return {
          heading: `${r.id} · ${scoreLine(r)}`,
          colour: BAND_COLOURS[band(r.likelihood * r.impact)],
          text: cutter.text(r.text, 400, 60),
          detail: `Owner: ${cutter.name(r.owner.name)} · review by ${formatDate(r.reviewDate)}`,
          overdue: overdue ? "Review overdue" : "",
        };
      }),
      more:
        open.length > shown.length
          ? `+${count(open.length - shown.length)} more open risks, lower scores.`
          : "",
      hasCareIssues: care.length > 0,
      careIssues: care.map((i) => ({ title: i.id, value: cutter.text(i.text, 200, 40) })),
      careMore:
        view.careIssues.length > care.length
          ? `+${count(view.careIssues.length - care.length)} more open care-impacting issues.`
          : "",
      shortened: false,
    };
    data.shortened = cutter.shortened;
    return data;
  });
}

// ---------------------------------------------------------------------------------------------------
// The stabilisation report
// ---------------------------------------------------------------------------------------------------

/**
 * How much of the report the card shows: texts get shorter, then fewer audits per site, sites, risks, past
 * decisions, criteria and owners are listed, each with how many more there are. The exit criteria summary and
 * the decision form are on every fit.
 */
interface ReportFit {
  scale: number;
  /** Newest audits per site in the trend. */
  audits: number;
  sites: number;
  risks: number;
  decisions: number;
  criteria: number;
  owners: number;
}
const REPORT_FITS: readonly ReportFit[] = [
  { scale: 1, audits: 6, sites: ALL, risks: 10, decisions: 20, criteria: ALL, owners: 50 },
  { scale: 0.6, audits: 6, sites: ALL, risks: 10, decisions: 10, criteria: ALL, owners: 50 },
  { scale: 0.4, audits: 6, sites: ALL, risks: 10, decisions: 5, criteria: ALL, owners: 25 },
  { scale: 0.25, audits: 6, sites: ALL, risks: 5, decisions: 3, criteria: ALL, owners: 15 },
  { scale: 0.25, audits: 4, sites: 10, risks: 5, decisions: 3, criteria: ALL, owners: 15 },
  { scale: 0.2, audits: 4, sites: 8, risks: 5, decisions: 3, criteria: 12, owners: 10 },
  { scale: 0.2, audits: 3, sites: 8, risks: 5, decisions: 3, criteria: 12, owners: 10 },
  { scale: 0.1, audits: 2, sites: 6, risks: 3, decisions: 2, criteria: 8, owners: 10 },
  { scale: 0, audits: 2, sites: 4, risks: 3, decisions: 1, criteria: 6, owners: 10 },
  { scale: 0, audits: 2, sites: 2, risks: 1, decisions: 1, criteria: 4, owners: 5 },
];

type ReportAudit = StabilisationReport["audits"][number];

function issueRows(then: IssueFigures, now: IssueFigures, cutter: Cutter) {
  const duration = (m: number | undefined) => (m === undefined ? "—" : formatDuration(m));
  const themes = (f: IssueFigures) =>
    f.repeatedThemes.length === 0 ? "None" : cutter.text(f.repeatedThemes.join(", "), 300, 40);
  const row = (title: string, a: string, b: string, weight = "Default") => ({
    title,
    atGoLive: a,
    recently: b,
    weight,
  });
  return [
    row("", cutter.text(then.label, 100, 40), cutter.text(now.label, 100, 40), "Bolder"),
    row("Raised", count(then.raised), count(now.raised)),
    row("Care-impacting", count(then.careImpacting), count(now.careImpacting)),
    row(
      "Median time to a temporary control",
      duration(then.medianMinutesToControl),
      duration(now.medianMinutesToControl),
    ),
    row(
      "Median time to closure",
      duration(then.medianMinutesToClosure),
      duration(now.medianMinutesToClosure),
    ),
    row("Repeated themes", themes(then), themes(now)),
  ];
}

/** Per site, its newest audits oldest to newest as columns, a measure per row, below threshold marked. */
function auditSites(report: StabilisationReport, fit: ReportFit, cutter: Cutter) {
  const bySite = new Map<string, ReportAudit[]>();
  for (const audit of report.audits) {
    const key = audit.site.trim().toLowerCase();
    bySite.set(key, [...(bySite.get(key) ?? []), audit]);
  }
  const sites = [...bySite.values()].map((audits) => {
    const sorted = [...audits].sort((a, b) => a.at.localeCompare(b.at));
    const shown = sorted.slice(-fit.audits);
    return { site: sorted.at(-1)?.site ?? "", total: sorted.length, shown };
  });
  // When not every site fits, those with a measure below threshold come first.
  const short = (s: (typeof sites)[number]) => s.shown.some((a) => a.measures.some((m) => !m.met));
  const chosen = new Set(
    sites.length <= fit.sites
      ? sites
      : [...sites.filter(short), ...sites.filter((s) => !short(s))].slice(0, fit.sites),
  );
  const hidden = sites.filter((s) => !chosen.has(s));
  const measures = AUDIT_MEASURES as readonly string[];
  const cell = (text: string, colour = "Default") => ({ text, colour });
  const rows = sites
    .filter((s) => chosen.has(s))
    .map((s) => {
      const followUps = s.shown.filter((a) => a.kind === "follow-up").map((a) => a.id);
      const labelColumn = {
        width: "stretch",
        date: "Date",
        id: "Audit",
        cells: measures.map((m) => {
          const threshold = s.shown.at(-1)?.measures.find((x) => x.measure === m)?.threshold;
          const title = measureTitle(m);
          return cell(threshold === undefined ? title : `${title} (${threshold}%)`);
        }),
      };
      const auditColumns = s.shown.map((a) => {
        const when = formatWhen(a.at, report.timeZone).split(" ");
        return {
          width: "auto",
          date: when.length >= 3 ? `${when[1]} ${when[2]}` : a.at.slice(0, 10),
          id: a.id,
          cells: measures.map((m) => {
            const result = a.measures.find((x) => x.measure === m);
            if (!result) return cell("—");
            return result.met ? cell(`${result.percent}%`) : cell(`${result.percent}% ✗`, "Attention");
          }),
        };
      });
      const name = cutter.text(s.site, 80, 30);
      return {
        heading:
          s.total > s.shown.length
            ? `${name} — the newest ${count(s.shown.length)} of ${plural(s.total, "audit")}`
            : `${name} — ${plural(s.total, "audit")}`,
        columns: [labelColumn, ...auditColumns],
        note:
          followUps.length > 0 ? `Follow-up audits after close or transfer: ${followUps.join(", ")}.` : "",
      };
    });
  const names = hidden.map((s) => s.site).join(", ");
  return {
    sites: rows,
    sitesMore:
      hidden.length > 0
        ? `${plural(hidden.length, "more site")} not shown for space: ${cutter.text(names, 300, 60)}.`
        : "",
  };
}

function riskRows(report: StabilisationReport, today: string, fit: ReportFit, cutter: Cutter) {
  const shown = report.risks.slice(0, fit.risks);
  return shown.map((r) => {
    // Open care-impacting issues come with a score of 0 and no review date.
    const careIssue = r.score === 0;
    const overdue = r.reviewDate !== undefined && r.reviewDate < today;
    const parts = [
      r.id,
      careIssue ? "care-impacting issue" : `score ${r.score} (${band(r.score)})`,
      `owner ${cutter.name(r.owner)}`,
      ...(r.reviewDate
        ? [
            overdue
              ? `review overdue since ${formatDate(r.reviewDate)}`
              : `review by ${formatDate(r.reviewDate)}`,
          ]
        : []),
    ];
    return {
      heading: parts.join(" · "),
      colour: careIssue || overdue ? "Attention" : BAND_COLOURS[band(r.score)],
      text: cutter.text(r.text, 300, 40),
    };
  });
}

function criteriaRows(report: StabilisationReport, fit: ReportFit, cutter: Cutter) {
  const all = report.criteria;
  const failing = all.filter((c) => !c.met);
  // When not every criterion fits, those not met come first.
  const picked = new Set(
    all.length <= fit.criteria ? all : [...failing, ...all.filter((c) => c.met)].slice(0, fit.criteria),
  );
  const shown = all.filter((c) => picked.has(c));
  const hidden = all.filter((c) => !picked.has(c));
  const hiddenFailing = hidden.filter((c) => !c.met).length;
  return {
    criteriaSummary:
      failing.length === 0
        ? "Close is possible"
        : `Close is refused while ${failing.length} ${failing.length === 1 ? "criterion fails" : "criteria fail"}`,
    criteriaColour: failing.length === 0 ? "Good" : "Attention",
    criteria: shown.map((c) => ({
      text: `${c.met ? "✓ Met" : "✗ Not met"}: ${cutter.text(c.criterion, 400, 60)}`,
      colour: c.met ? "Good" : "Attention",
    })),
    criteriaMore:
      hidden.length > 0
        ? `+${plural(hidden.length, "more criterion", "more criteria")} (${count(hiddenFailing)} not met) not shown for space.`
        : "",
  };
}

function reportData(
  report: StabilisationReport,
  options: { notice?: string; owners?: OwnerChoice[] },
  fit: ReportFit,
  cutter: Cutter,
) {
  const { timeZone } = report;
  const generated = new Date(report.generatedAt);
  const today = Number.isNaN(generated.getTime()) ? "" : localDate(generated, timeZone);
  const { confidence } = report;
  const decisions = report.decisions.slice(-fit.decisions);
  const earlier = report.decisions.length - decisions.length;
  const allOwners = options.owners ?? [];
  const owners = allOwners.slice(0, fit.owners);
  const sites = auditSites(report, fit, cutter);

  const data = {
    notice: cutter.text(options.notice ?? "", 500, 100),
    projectName: cutter.text(report.projectName, 100, 40),
    asAt: `As at ${formatWhen(report.generatedAt, timeZone)} (${timeZone} time).`,
    issueRows: issueRows(report.atGoLive, report.recently, cutter),
    openIssues: `Open issues now: ${count(report.openIssues)}`,
    auditLegend:
      report.audits.length === 0
        ? "No audit recorded yet."
        : "Each site's audits, oldest to newest: the share of records that passed. ✗ in red: below the threshold shown in brackets.",
    ...sites,
    confidence: confidence
      ? `${confidence.percent}% confident (4 or 5 out of 5) from ${plural(confidence.answers, "answer")} to pulse ${confidence.pulseId}; the threshold is ${confidence.threshold}%. ${
          confidence.anonymous ? "Anonymous pulse." : "Not anonymous."
        }`
      : `No pulse has been answered yet; the threshold is ${report.thresholds.confidencePercent}% answering 4 or 5.`,
    confidenceColour: !confidence
      ? "Default"
      : confidence.percent >= confidence.threshold
        ? "Good"
        : "Attention",
    risksHeading:
      report.risks.length === 0
        ? "Risks"
        : `Risks: ${count(report.risks.length)} open (care-impacting issues count as risks)`,
    hasRisks: report.risks.length > 0,
    risks: riskRows(report, today, fit, cutter),
    risksMore:
      report.risks.length > fit.risks ? `+${count(report.risks.length - fit.risks)} more, lower scores.` : "",
    ...criteriaRows(report, fit, cutter),
    hasDecisions: report.decisions.length > 0,
    decisionsEarlier:
      earlier > 0 ? `${plural(earlier, "earlier decision")} ${isAre(earlier)} in the governance log.` : "",
    decisions: decisions.map((d) => ({
      choice: SLT_TITLES[d.choice],
      byWhen: `${cutter.name(d.by)} · ${formatWhen(d.at, timeZone)}`,
      detail: [
        ...(d.reviewDate ? [`New review date: ${formatDate(d.reviewDate)}`] : []),
        ...(d.owner ? [`Routine governance owned by ${cutter.name(d.owner.name)}`] : []),
      ].join(" · "),
      rationale: cutter.text(d.rationale, 1000, 60),
    })),
    hasFollowUps: report.followUps.length > 0,
    followUps: report.followUps.map((f) => {
      const overdue = f.auditId === undefined && today !== "" && f.due < today;
      const state = f.auditId !== undefined ? `done (audit ${f.auditId})` : overdue ? "overdue" : "planned";
      return {
        text: `After ${plural(f.months, "month")}: due ${formatDate(f.due)} — ${state}`,
        colour: overdue ? "Attention" : f.auditId !== undefined ? "Good" : "Default",
      };
    }),
    choices: SLT_CHOICES.map((c) => ({ title: SLT_TITLES[c], value: c })),
    hasOwners: owners.length > 0,
    ownerChoices: ownerChoices(owners, cutter),
    ownersMore: ownersMoreLine(allOwners.length - owners.length),
    verb: STABILISATION_VERBS.decide,
    projectId: report.projectId,
    // A decision recorded again on a newer card is a new request; a double click on one card is not.
    version: String(report.decisions.length),
    shortenedNote: "",
  };
  // Known only once every text is cut, so set last.
  data.shortenedNote = cutter.shortened ? SHORTENED_NOTE : "";
  return data;
}

/**
 * The stabilisation report for the SLT: go-live issues then and now, the audit trend per site, staff
 * confidence, risks, the exit criteria (met or not), the SLT's decisions and follow-up audits, with the form to
 * record a decision (inputs `choice`, `rationale`, `reviewDate`, `owner`; sends `{ projectId, version }`).
 */
export function stabilisationReportCard(
  report: StabilisationReport,
  options: { notice?: string; owners?: OwnerChoice[] } = {},
): AdaptiveCard {
  return fitted(reportTemplate, REPORT_FITS, (fit, cutter) => reportData(report, options, fit, cutter));
}
