import type { Priority } from "./commandLog.js";

/**
 * The daily digest (domain page §3) as data: what the card shows and what the log records of it. Built by
 * `buildDigest` (digest.ts) from the open issues, the recent ones and the command log's day counts.
 */

export type SupportChoice = "continue" | "increase" | "reduce";
export const SUPPORT_CHOICES: readonly SupportChoice[] = ["continue", "increase", "reduce"];
export const SUPPORT_TITLES: Record<SupportChoice, string> = {
  continue: "Continue go-live support as it is",
  increase: "Increase go-live support",
  reduce: "Reduce go-live support",
};

/** Counts by one dimension, largest first: [value, count]. */
export type Counts = Array<[string, number]>;

export interface Breakdown {
  priority: Counts;
  type: Counts;
  site: Counts;
  theme: Counts;
}

export type TriggerKind =
  | "care-unresolved"
  | "care-no-control"
  | "repeated-theme"
  | "unsafe-workaround"
  | "supplier-response"
  | "breached-target"
  | "condition-overdue";

export const TRIGGER_TITLES: Record<TriggerKind, string> = {
  "care-unresolved": "Care-impacting issues unresolved",
  "care-no-control": "Care-impacting issues without a temporary control",
  "repeated-theme": "Repeated themes",
  "unsafe-workaround": "Unsafe workarounds",
  "supplier-response": "Lack of supplier response",
  "breached-target": "Response or resolution targets breached",
  "condition-overdue": "Overdue conditions of the go-live approval",
};

/** One trigger for action, with what lies behind it. */
export interface Trigger {
  kind: TriggerKind;
  /** e.g. "3 issues" or, for a theme, its name. */
  title: string;
  /** Why, in words (a theme's matching words; which target was breached). */
  detail?: string;
  /** The issues (or conditions) behind it: id and a short text. */
  items: Array<{ id: string; text: string; priority?: Priority }>;
}

export interface DayCount {
  /** Local date, YYYY-MM-DD. */
  date: string;
  raised: number;
  resolved: number;
}

export interface SupportDecision {
  by: string;
  choice: SupportChoice;
  rationale: string;
  at: string;
}

export interface Digest {
  projectId: string;
  projectName: string;
  /** The local date the digest is for (its morning). */
  period: string;
  generatedAt: string;
  timeZone: string;
  /** New and resolved: on the local day before the digest's period ("yesterday"), a whole day each morning. */
  counts: { new: number; open: number; resolved: number; awaitingVerification: number };
  breakdown: { new: Breakdown; open: Breakdown; resolved: Breakdown };
  /** The last 7 local days, oldest first (the digest's own day last, up to its time). */
  trend: DayCount[];
  triggers: Trigger[];
  recommendation: { choice: SupportChoice; rule: string };
  /** The board's recorded decisions on this digest, oldest first. */
  decisions: SupportDecision[];
}
