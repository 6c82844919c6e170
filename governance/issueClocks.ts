import type { IssueSummary, IssueTargets } from "./commandLog.js";

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
