import type { IssueSummary, IssueTargets } from "./commandLog.js";
import { zoneFormatter } from "./schedule.js";

/**
 * The clocks of an issue (domain page §2): first response and resolution against the priority's targets, a
 * temporary control for a care-impacting issue, and the owner's response once assigned (lack of supplier
 * response). Computed from the issue's record and the time now — never stored, so changing a target re-times
 * every open issue at once.
 */
export type ClockName =
  | "first-response"
  | "resolution"
  | "temporary-control"
  | "owner-response"
  | "timescale";

export interface Clock {
  name: ClockName;
  /** met: done in time; late: done after the target; running: not done, not yet due; overdue: not done, past due. */
  state: "met" | "late" | "running" | "overdue";
  dueAt: string;
  doneAt?: string;
}

export const CLOCK_TITLES: Record<ClockName, string> = {
  "first-response": "First response",
  resolution: "Resolution",
  "temporary-control": "Temporary control",
  "owner-response": "Owner's response",
  timescale: "Owner's timescale",
};

/** What an overdue clock means, in the words of the domain page's triggers. */
export const OVERDUE_TITLES: Record<ClockName, string> = {
  "first-response": "no first response",
  resolution: "past its resolution target",
  "temporary-control": "care-impacting without a temporary control",
  "owner-response": "no response from the owner",
  timescale: "past the owner's timescale",
};

const addMinutes = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

function clock(
  name: ClockName,
  dueAt: string,
  doneAt: string | undefined,
  now: Date,
  stopped: boolean,
): Clock {
  if (doneAt !== undefined) {
    return { name, state: Date.parse(doneAt) <= Date.parse(dueAt) ? "met" : "late", dueAt, doneAt };
  }
  // A resolved or closed issue stops every clock that was still running: nothing is overdue on it.
  if (stopped || now.getTime() <= Date.parse(dueAt)) return { name, state: "running", dueAt };
  return { name, state: "overdue", dueAt };
}

export function issueClocks(issue: IssueSummary, targets: IssueTargets, now: Date): Clock[] {
  const target = targets[issue.priority];
  const stopped = issue.status !== "open";
  const clocks: Clock[] = [
    clock(
      "first-response",
      addMinutes(issue.raisedAt, target.firstResponseMinutes),
      issue.firstResponse?.at,
      now,
      stopped,
    ),
    clock(
      "resolution",
      addMinutes(issue.raisedAt, target.resolutionMinutes),
      issue.status === "open" ? undefined : issue.resolution?.at,
      now,
      stopped,
    ),
  ];
  if (issue.careImpacting && issue.careMarkedAt) {
    const controlAt =
      issue.firstControlAt !== undefined && issue.firstControlAt >= issue.careMarkedAt
        ? issue.firstControlAt
        : undefined;
    clocks.push(
      clock(
        "temporary-control",
        addMinutes(issue.careMarkedAt, targets.controlMinutes),
        // A control recorded before the issue was marked care-impacting still counts.
        controlAt ?? (issue.controlCount > 0 ? issue.careMarkedAt : undefined),
        now,
        stopped,
      ),
    );
  }
  if (issue.owner) {
    clocks.push(
      clock(
        "owner-response",
        addMinutes(issue.owner.assignedAt, target.firstResponseMinutes),
        issue.owner.respondedAt,
        now,
        stopped,
      ),
    );
    if (issue.owner.dueBy) {
      clocks.push(
        clock("timescale", issue.owner.dueBy, stopped ? issue.resolution?.at : undefined, now, stopped),
      );
    }
  }
  return clocks;
}

/** The clocks that are overdue now: what lists flag and the daily digest's triggers count. */
export function overdueClocks(issue: IssueSummary, targets: IssueTargets, now: Date): ClockName[] {
  return issueClocks(issue, targets, now)
    .filter((c) => c.state === "overdue")
    .map((c) => c.name);
}

/**
 * A wall-clock date and time in the project's time zone (what a person picks on a card) as an instant. DST-safe:
 * the zone's offset is taken at the instant itself, checked twice around a change of the clocks.
 */
export function zonedTimeToIso(date: string, time: string, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^([01]\d|2[0-3]):([0-5]\d)(?::\d{2})?$/.exec(time);
  if (!m || !t) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(t[1]), Number(t[2]));
  if (Number.isNaN(wall) || !new Date(wall).toISOString().startsWith(date)) return undefined;
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const format = zoneFormatter(timeZone);
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}
