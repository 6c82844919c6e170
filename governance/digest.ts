import { dateIn } from "./boardDecision.js";
import { ISSUE_TYPE_TITLES, type IssueSummary } from "./commandLog.js";
import type {
  Breakdown,
  Counts,
  DayCount,
  Digest,
  SupportChoice,
  Trigger,
  TriggerKind,
} from "./digestTypes.js";
import { overdueClocks } from "./issueClocks.js";
import type { ProjectState } from "./project.js";
import { addDays } from "./schedule.js";
import { repeatedThemes } from "./themes.js";

/**
 * The daily digest (domain page §3), pure: yesterday's new and resolved issues, what is open, the week's trend,
 * the triggers for action with the issues behind each, and a recommendation with the rule that produced it.
 * "Yesterday" is the local day before the digest's period, so each morning's digest covers one whole day.
 */
export interface DigestInput {
  projectId: string;
  state: ProjectState;
  /** Open issues (the open list). */
  open: readonly IssueSummary[];
  /** Resolved and awaiting verification. */
  awaiting: readonly IssueSummary[];
  /** Issues raised in the last 7 days, any status (read by number from the day counts). */
  recent: readonly IssueSummary[];
  period: string;
  now: Date;
}

/** How much busier than usual yesterday must be for the digest to call it a rising trend. */
const RISING_FACTOR = 1.5;
const RISING_MINIMUM = 3;

function countBy(issues: readonly IssueSummary[], key: (i: IssueSummary) => string): Counts {
  const counts = new Map<string, number>();
  for (const i of issues) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function breakdownOf(issues: readonly IssueSummary[]): Breakdown {
  return {
    priority: countBy(issues, (i) => i.priority),
    type: countBy(issues, (i) => ISSUE_TYPE_TITLES[i.type]),
    site: countBy(issues, (i) => i.site ?? "No site"),
    theme: countBy(issues, (i) => i.theme ?? "No theme"),
  };
}

/** The resolved counts kept per day ("priority:P1" → 2), as a breakdown. */
function breakdownOfCounts(resolvedBy: Record<string, number>): Breakdown {
  const pick = (dimension: string, title: (v: string) => string = (v) => v): Counts =>
    Object.entries(resolvedBy)
      .filter(([k]) => k.startsWith(`${dimension}:`))
      .map(([k, n]): [string, number] => [title(k.slice(dimension.length + 1)), n])
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    priority: pick("priority"),
    type: pick("type", (v) => ISSUE_TYPE_TITLES[v as keyof typeof ISSUE_TYPE_TITLES] ?? v),
    site: pick("site"),
    theme: pick("theme"),
  };
}

const item = (i: IssueSummary) => ({ id: i.id, text: i.description, priority: i.priority });
/** A rule is recorded with the posted digest: at most 1,000 characters (many themes are summed up). */
const bounded = (rule: string) => (rule.length <= 1_000 ? rule : `${rule.slice(0, 998)}…`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function buildDigest(input: DigestInput): Digest {
  const { state, open, awaiting, recent, period, now } = input;
  const zone = state.project.settings.timeZone;
  const targets = state.commandLog.targets;
  const yesterday = addDays(period, -1);
  const localDate = (iso: string) => dateIn(zone, new Date(iso));

  const newYesterday = recent.filter((i) => localDate(i.raisedAt) === yesterday);
  const days = new Map(state.commandLog.days.map((d) => [d.date, d]));
  const trend: DayCount[] = Array.from({ length: 7 }, (_, k) => {
    const date = addDays(period, k - 6);
    const day = days.get(date);
    return { date, raised: day?.raised ?? 0, resolved: day?.resolved ?? 0 };
  });
  const resolvedYesterday = days.get(yesterday);

  // Triggers, each with the issues behind it.
  const overdue = new Map(open.map((i) => [i.id, new Set(overdueClocks(i, targets, now))]));
  const triggers: Trigger[] = [];
  const add = (kind: TriggerKind, issues: readonly IssueSummary[], detail?: string) => {
    if (issues.length > 0) {
      triggers.push({
        kind,
        title: plural(issues.length, "issue"),
        ...(detail ? { detail } : {}),
        items: issues.map(item),
      });
    }
  };
  const care = open.filter((i) => i.careImpacting);
  add("care-unresolved", care);
  const noControl = care.filter((i) => i.controlCount === 0);
  const controlLate = noControl.filter((i) => overdue.get(i.id)?.has("temporary-control"));
  add(
    "care-no-control",
    noControl,
    controlLate.length > 0 ? `${plural(controlLate.length, "issue")} past the time for a control` : undefined,
  );
  const window = recent.filter((i) => now.getTime() - Date.parse(i.raisedAt) <= 48 * 3_600_000);
  for (const theme of repeatedThemes(window, now, { ignore: state.project.settings.sites })) {
    const byId = new Map(recent.map((i) => [i.id, i]));
    triggers.push({
      kind: "repeated-theme",
      title: theme.name,
      detail: `${plural(theme.issueIds.length, "issue")} in 48 hours: ${theme.because}`,
      items: theme.issueIds.flatMap((id) => {
        const found = byId.get(id);
        return found ? [item(found)] : [];
      }),
    });
  }
  add(
    "unsafe-workaround",
    open.filter((i) => i.workaroundUnsafe === true),
  );
  add(
    "supplier-response",
    open.filter((i) => overdue.get(i.id)?.has("owner-response")),
    "assigned, and the owner has not responded within the response target",
  );
  add(
    "breached-target",
    open.filter((i) => {
      const late = overdue.get(i.id);
      return late?.has("first-response") || late?.has("resolution") || late?.has("timescale");
    }),
  );
  const overdueConditions = state.conditions.filter((c) => c.state === "open" && c.due < period);
  if (overdueConditions.length > 0) {
    triggers.push({
      kind: "condition-overdue",
      title: plural(overdueConditions.length, "condition"),
      items: overdueConditions.map((c) => ({
        id: c.id,
        text: `${c.text} (owner ${c.owner.name}, due ${c.due})`,
      })),
    });
  }

  // The usual day: the six days before yesterday.
  const usual =
    [2, 3, 4, 5, 6, 7].reduce((sum, k) => sum + (days.get(addDays(period, -k))?.raised ?? 0), 0) / 6;
  const run = state.reviews.find((r) => r.review === "daily-digest" && r.period === period);
  return {
    projectId: input.projectId,
    projectName: state.project.name,
    period,
    generatedAt: now.toISOString(),
    timeZone: zone,
    counts: {
      new: newYesterday.length,
      open: open.length,
      resolved: resolvedYesterday?.resolved ?? 0,
      awaitingVerification: awaiting.length,
    },
    breakdown: {
      new: breakdownOf(newYesterday),
      open: breakdownOf(open),
      resolved: breakdownOfCounts(resolvedYesterday?.resolvedBy ?? {}),
    },
    trend,
    triggers,
    recommendation: recommend({ open, triggers, yesterday: newYesterday.length, usual }),
    decisions: run?.decisions ?? [],
  };
}

/**
 * The recommendation and the rule that produced it:
 * - increase when care is at risk or support is not keeping up: an open P1, a care-impacting issue past the time
 *   for a control, an unsafe workaround, a repeated theme, lack of supplier response, or yesterday's new issues at
 *   1.5 times the week's usual (and at least 3);
 * - reduce when nothing calls for action: no trigger, no open P1 or P2, and yesterday at most half the usual;
 * - otherwise continue.
 */
export function recommend(input: {
  open: readonly IssueSummary[];
  triggers: readonly Trigger[];
  yesterday: number;
  usual: number;
}): { choice: SupportChoice; rule: string } {
  const has = (kind: TriggerKind) => input.triggers.filter((t) => t.kind === kind);
  const p1 = input.open.filter((i) => i.priority === "P1").length;
  const controlLate = has("care-no-control").some((t) => t.detail !== undefined);
  const reasons = [
    p1 > 0 ? plural(p1, "open P1") : undefined,
    controlLate ? "care-impacting issues past the time for a temporary control" : undefined,
    has("unsafe-workaround").length > 0 ? "unsafe workarounds in use" : undefined,
    has("repeated-theme").length > 0
      ? `repeated themes (${has("repeated-theme")
          .map((t) => t.title)
          .join(", ")})`
      : undefined,
    has("supplier-response").length > 0 ? "lack of supplier response" : undefined,
    input.yesterday >= RISING_MINIMUM && input.yesterday >= input.usual * RISING_FACTOR
      ? `${plural(input.yesterday, "new issue")} yesterday against a usual ${input.usual.toFixed(1)} a day`
      : undefined,
  ].filter((r): r is string => r !== undefined);
  if (reasons.length > 0) {
    return { choice: "increase", rule: bounded(`Increase, because of ${reasons.join("; ")}.`) };
  }
  const p2 = input.open.filter((i) => i.priority === "P2").length;
  const quiet = input.yesterday <= input.usual / 2;
  const issueTriggers = input.triggers.filter((t) => t.kind !== "condition-overdue");
  if (issueTriggers.length === 0 && p1 + p2 === 0 && quiet) {
    return {
      choice: "reduce",
      rule: `Reduce: no trigger for action, no open P1 or P2, and ${plural(input.yesterday, "new issue")} yesterday against a usual ${input.usual.toFixed(1)} a day.`,
    };
  }
  const why =
    issueTriggers.length > 0
      ? `triggers to watch (${issueTriggers.map((t) => t.kind.replace(/-/g, " ")).join(", ")}) but none that calls for more support`
      : p1 + p2 > 0
        ? `${plural(p2, "open P2")} still to resolve`
        : "new issues not yet falling to half the usual";
  return { choice: "continue", rule: bounded(`Continue: ${why}.`) };
}
