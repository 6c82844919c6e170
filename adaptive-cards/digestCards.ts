import { ISSUE_TYPE_TITLES, type IssueType, PRIORITIES } from "../governance/commandLog.js";
import {
  type Breakdown,
  type Counts,
  type DayCount,
  type Digest,
  SUPPORT_CHOICES,
  SUPPORT_TITLES,
  TRIGGER_TITLES,
  type Trigger,
  type TriggerKind,
} from "../governance/digestTypes.js";
import { Cutter } from "./cutter.js";
import { formatWhen } from "./issueCards.js";
import { type AdaptiveCard, expand } from "./render.js";
import digestTemplate from "./templates/digest.json" with { type: "json" };

export const DIGEST_VERBS = { decide: "digest.decide" } as const;

/** Teams' safe size for a message carrying a card: 28 KB of serialized JSON. */
const MAX_CARD_BYTES = 28 * 1024;
/** Height of the trend chart's tallest bar. */
const CHART_PIXELS = 80;
/** Days the trend chart shows (the digest's own day last). */
const TREND_DAYS = 7;

/**
 * How much of the digest the card shows. The card is rendered at the first fit that stays under 28 KB: texts get
 * shorter (`scale`), then fewer issues per trigger, fewer triggers, fewer values per breakdown and fewer past
 * decisions are listed, each with how many more there are. The recommendation and the decision controls are on
 * every fit.
 */
interface Fit {
  scale: number;
  /** Issues listed under each trigger. */
  items: number;
  /** Triggers listed; the rest are counted by kind. */
  triggers: number;
  /** Values listed per breakdown dimension. */
  values: number;
  /** Past decisions listed, newest kept. */
  decisions: number;
}
const ALL = Number.POSITIVE_INFINITY;
const FITS: readonly Fit[] = [
  { scale: 1, items: 10, triggers: ALL, values: 5, decisions: 20 },
  { scale: 0.6, items: 10, triggers: ALL, values: 5, decisions: 10 },
  { scale: 0.6, items: 5, triggers: 30, values: 5, decisions: 10 },
  { scale: 0.4, items: 5, triggers: 20, values: 5, decisions: 5 },
  { scale: 0.4, items: 3, triggers: 15, values: 5, decisions: 5 },
  { scale: 0.3, items: 3, triggers: 10, values: 5, decisions: 5 },
  { scale: 0.25, items: 2, triggers: 8, values: 3, decisions: 3 },
  { scale: 0.2, items: 1, triggers: 5, values: 3, decisions: 3 },
  { scale: 0.1, items: 0, triggers: 5, values: 3, decisions: 2 },
  { scale: 0, items: 0, triggers: 3, values: 3, decisions: 1 },
  { scale: 0, items: 0, triggers: 0, values: 3, decisions: 1 },
];

/** Where to see everything behind a trigger: a command people type. */
const TRIGGER_HINTS: Record<TriggerKind, string> = {
  "care-unresolved": "issues care",
  "care-no-control": "issues care",
  "repeated-theme": "issues",
  "unsafe-workaround": "issues",
  "supplier-response": "issues overdue",
  "breached-target": "issues overdue",
  "condition-overdue": "conditions",
};
const TRIGGER_COLOURS: Record<TriggerKind, string> = {
  "care-unresolved": "Attention",
  "care-no-control": "Attention",
  "repeated-theme": "Default",
  "unsafe-workaround": "Attention",
  "supplier-response": "Default",
  "breached-target": "Default",
  "condition-overdue": "Default",
};
const TRIGGER_KINDS = Object.keys(TRIGGER_TITLES) as TriggerKind[];

const DIMENSIONS: ReadonlyArray<{ key: keyof Breakdown; title: string; none: string }> = [
  { key: "priority", title: "Priority", none: "No priority" },
  { key: "type", title: "Type", none: "No type" },
  { key: "site", title: "Site", none: "No site" },
  { key: "theme", title: "Theme", none: "No theme" },
];

const SHORTENED_NOTE =
  "Texts ending in … are shortened. For a whole issue, type issue and its number, e.g. issue GL-42.";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const byteSize = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(card), "utf8");
const count = (n: number) => n.toLocaleString("en-GB");
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** A local date "2026-11-27" as its parts, or undefined if it is not one. */
function dateParts(date: string): { weekday: string; day: number; month: string } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return undefined;
  return { weekday: WEEKDAYS[utc.getUTCDay()] ?? "", day, month: MONTHS[month - 1] ?? "" };
}

/** "2026-11-27" → "Fri 27 Nov"; anything else as given. */
function formatDay(date: string): string {
  const parts = dateParts(date);
  return parts ? `${parts.weekday} ${parts.day} ${parts.month}` : date;
}

/** "2026-11-27" → "Fri"; anything else as given. */
function weekday(date: string): string {
  return dateParts(date)?.weekday ?? date;
}

// ---------------------------------------------------------------------------------------------------
// Parts of the card
// ---------------------------------------------------------------------------------------------------

function valueTitle(key: keyof Breakdown, value: string, none: string): string {
  if (value.trim() === "") return none;
  if (key === "type" && value in ISSUE_TYPE_TITLES) return ISSUE_TYPE_TITLES[value as IssueType];
  return value;
}

/** "P1: 2 · P2: 5 · +2 more (9 issues)": the largest values of one dimension, priorities in order. */
function dimensionLine(key: keyof Breakdown, none: string, counts: Counts, fit: Fit, cutter: Cutter): string {
  const order = (value: string) => {
    const i = (PRIORITIES as readonly string[]).indexOf(value);
    return i === -1 ? PRIORITIES.length : i;
  };
  const sorted = key === "priority" ? [...counts].sort((a, b) => order(a[0]) - order(b[0])) : counts;
  const shown = sorted.slice(0, fit.values);
  const rest = sorted.slice(shown.length);
  const parts = shown.map(
    ([value, n]) => `${cutter.text(valueTitle(key, value, none), 40, 16)}: ${count(n)}`,
  );
  if (rest.length > 0) {
    const issues = rest.reduce((sum, [, n]) => sum + n, 0);
    parts.push(`+${count(rest.length)} more (${plural(issues, "issue")})`);
  }
  return parts.length > 0 ? parts.join(" · ") : "None";
}

function breakdownSection(heading: string, breakdown: Breakdown, fit: Fit, cutter: Cutter) {
  const hasFacts = DIMENSIONS.some((d) => breakdown[d.key].length > 0);
  return {
    heading,
    hasFacts,
    facts: hasFacts
      ? DIMENSIONS.map((d) => ({
          title: d.title,
          value: dimensionLine(d.key, d.none, breakdown[d.key], fit, cutter),
        }))
      : [],
  };
}

/** One column per day: a red bar for raised and a green one for resolved, to one scale, numbers under them. */
function trendColumns(trend: readonly DayCount[]) {
  const days = trend.slice(-TREND_DAYS);
  const top = Math.max(1, ...days.flatMap((d) => [d.raised, d.resolved]));
  const height = (n: number) => `${Math.max(2, Math.round((n / top) * CHART_PIXELS))}px`;
  return days.map((d) => ({
    day: weekday(d.date),
    raised: count(d.raised),
    resolved: count(d.resolved),
    hasRaised: d.raised > 0,
    hasResolved: d.resolved > 0,
    raisedHeight: height(d.raised),
    resolvedHeight: height(d.resolved),
  }));
}

function trendLegend(digest: Digest): string {
  const last = digest.trend.at(-1);
  const time = formatWhen(digest.generatedAt, digest.timeZone).split(" ").slice(3).join(" ");
  // The digest's own day is counted only up to the digest's time.
  const upTo = last?.date === digest.period && time !== "" ? ` ${weekday(last.date)} is up to ${time}.` : "";
  return `Red: issues raised that day. Green: issues resolved that day.${upTo}`;
}

/**
 * At most `max` triggers, in the digest's order, taken in turn from each kind (care first) so that a flood of one
 * kind (say 200 repeated themes) does not push the others off the card.
 */
function pickTriggers(triggers: readonly Trigger[], max: number): Trigger[] {
  if (triggers.length <= max) return [...triggers];
  const queues = TRIGGER_KINDS.map((kind) => triggers.filter((t) => t.kind === kind));
  const picked = new Set<Trigger>();
  for (let round = 0; picked.size < max; round++) {
    let any = false;
    for (const queue of queues) {
      const next = queue[round];
      if (next === undefined) continue;
      any = true;
      if (picked.size < max) picked.add(next);
    }
    if (!any) break;
  }
  return triggers.filter((t) => picked.has(t));
}

function triggerSection(trigger: Trigger, fit: Fit, cutter: Cutter) {
  const items = trigger.items.slice(0, fit.items).map((item) => ({
    title: item.priority ? `${item.id} · ${item.priority}` : item.id,
    value: cutter.text(item.text, 200, 30),
  }));
  const rest = trigger.items.length - items.length;
  const noun = trigger.kind === "condition-overdue" ? "condition" : "issue";
  const hint = `type ${TRIGGER_HINTS[trigger.kind]}`;
  const more =
    rest === 0
      ? ""
      : items.length === 0
        ? `${plural(rest, noun)} — ${hint}`
        : `+${count(rest)} more — ${hint}`;
  return {
    heading: `${TRIGGER_TITLES[trigger.kind]}: ${cutter.text(trigger.title, 120, 40)}`,
    colour: TRIGGER_COLOURS[trigger.kind],
    detail: trigger.detail ? cutter.text(trigger.detail, 300, 40) : "",
    hasItems: items.length > 0,
    items,
    more,
  };
}

/** "+190 more triggers: Repeated themes 185; Unsafe workarounds 5." */
function moreTriggers(all: readonly Trigger[], shown: readonly Trigger[]): string {
  const hidden = all.filter((t) => !shown.includes(t));
  if (hidden.length === 0) return "";
  const kinds = TRIGGER_KINDS.map((kind) => [kind, hidden.filter((t) => t.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${TRIGGER_TITLES[kind]} ${count(n)}`);
  return `+${plural(hidden.length, "more trigger")}: ${kinds.join("; ")}.`;
}

function digestData(digest: Digest, notice: string, fit: Fit, cutter: Cutter) {
  const { counts, timeZone } = digest;
  const triggers = pickTriggers(digest.triggers, fit.triggers);
  const decisions = digest.decisions.slice(-fit.decisions);
  const earlier = digest.decisions.length - decisions.length;
  const trend = trendColumns(digest.trend);
  const rationaleBase = 1_000;

  const data = {
    hasNotice: notice !== "",
    notice: cutter.text(notice, 500, 100),
    projectName: cutter.text(digest.projectName, 100, 40),
    day: formatDay(digest.period),
    asAt: `As at ${formatWhen(digest.generatedAt, timeZone)} (${timeZone} time).`,
    headline: [
      { value: count(counts.new), label: "New yesterday", colour: "Attention" },
      { value: count(counts.open), label: "Open", colour: "Default" },
      { value: count(counts.resolved), label: "Resolved yesterday", colour: "Good" },
      { value: count(counts.awaitingVerification), label: "Awaiting verification", colour: "Default" },
    ],
    breakdown: [
      breakdownSection(`New yesterday: ${count(counts.new)}`, digest.breakdown.new, fit, cutter),
      breakdownSection(`Open: ${count(counts.open)}`, digest.breakdown.open, fit, cutter),
      breakdownSection(
        `Resolved yesterday: ${count(counts.resolved)}`,
        digest.breakdown.resolved,
        fit,
        cutter,
      ),
    ],
    hasTrend: trend.length > 0,
    trend,
    trendLegend: trendLegend(digest),
    triggersHeading:
      digest.triggers.length === 0
        ? "Triggers for action"
        : `Triggers for action: ${count(digest.triggers.length)}`,
    hasTriggers: digest.triggers.length > 0,
    triggers: triggers.map((t) => triggerSection(t, fit, cutter)),
    triggersMore: moreTriggers(digest.triggers, triggers),
    recommendation: SUPPORT_TITLES[digest.recommendation.choice],
    rule: cutter.text(digest.recommendation.rule, 600, 120),
    hasDecisions: digest.decisions.length > 0,
    decisions: decisions.map((d) => ({
      choice: SUPPORT_TITLES[d.choice],
      byWhen: `${cutter.text(d.by, 100, 40)} · ${formatWhen(d.at, timeZone)}`,
      rationale: cutter.text(d.rationale, rationaleBase, 60),
    })),
    decisionsEarlier:
      earlier > 0
        ? `${plural(earlier, "earlier decision")} ${earlier === 1 ? "is" : "are"} in the governance log.`
        : "",
    recommendedChoice: digest.recommendation.choice,
    choices: SUPPORT_CHOICES.map((c) => ({ title: SUPPORT_TITLES[c], value: c })),
    verb: DIGEST_VERBS.decide,
    projectId: digest.projectId,
    period: digest.period,
    // A decision recorded again on a newer card is a new request; a double click on one card is not.
    version: String(digest.decisions.length),
    shortenedNote: "",
  };
  // Known only once every text is cut, so set last.
  data.shortenedNote = cutter.shortened ? SHORTENED_NOTE : "";
  return data;
}

// ---------------------------------------------------------------------------------------------------
// The card
// ---------------------------------------------------------------------------------------------------

/**
 * The daily digest: headline counts, their breakdown, the last 7 days, the triggers for action, the
 * recommendation on go-live support and the board's decision on it (with the form to record one).
 */
export function digestCard(digest: Digest, options: { notice?: string } = {}): AdaptiveCard {
  const notice = options.notice ?? "";
  let card: AdaptiveCard | undefined;
  for (const fit of FITS) {
    card = expand(digestTemplate, digestData(digest, notice, fit, new Cutter(fit.scale)));
    if (byteSize(card) < MAX_CARD_BYTES) return card;
  }
  return card as AdaptiveCard;
}
