import { describe, expect, it } from "vitest";
import {
  DEFAULT_ISSUE_TARGETS,
  type Issue,
  type IssueTargets,
  type Priority,
  proposePriority,
  summaryOf,
} from "../../governance/commandLog.js";
import {
  applyEvents,
  type Decision,
  decideRoleAdd,
  decideSettings,
  decideSetup,
  replayProject,
} from "../../governance/decisions.js";
import { type Actor, type GovernanceEvent, GovernanceEventSchema } from "../../governance/events.js";
import { type Clock, type ClockName, issueClocks, overdueClocks } from "../../governance/issueClocks.js";
import {
  alertReason,
  decideIssueChange,
  decideIssueTargets,
  decideRaise,
  type IssueChange,
  peopleToAlert,
  type RaiseRequest,
} from "../../governance/issueRules.js";
import type { ProjectState } from "../../governance/project.js";
import { blockersOf } from "../../governance/readiness.js";
import type { Role } from "../../governance/roles.js";
import { CARE_TEAM, newChannel } from "../support/fixtures.js";

/** The shared care team (test/support/fixtures.ts); the roles each holds are given below. */
const { priya, tom, grace, dev, ama, lucy, sam, nia } = CARE_TEAM;

const SITES = ["Oak House", "Riverside"];
const ROLES: Array<[Actor, Role, string?]> = [
  [tom, "registered-manager", "Oak House"],
  [ama, "registered-manager", "Riverside"],
  [grace, "quality-lead"],
  [dev, "operations-lead"],
  [lucy, "team-leader"],
  [sam, "supplier"],
];

/** Minutes after go-live, 08:00 UTC on the first morning. */
const GO_LIVE = "2027-01-11T08:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(GO_LIVE) + minutes * 60_000).toISOString();
const now = (minutes: number) => new Date(at(minutes));
const HOUR = 60;
const DAY = 24 * HOUR;

/** A project as the store keeps it: its state, its command log's issues, and the governance log's entries. */
interface Project {
  state: ProjectState;
  issues: Map<string, Issue>;
  entries: Array<{ at: string; actor: Actor; events: GovernanceEvent[] }>;
}

/** Applies what a rule decided (only if it said to record), as done by `by` at `when`. */
function applied(project: Project, by: Actor, when: string, decision: Decision): Project {
  if (decision.outcome !== "record") return project;
  // Every recorded event must be a word of the governance log: the store parses them before committing.
  for (const event of decision.events) GovernanceEventSchema.parse(event);
  const issues = new Map(project.issues);
  const state = applyEvents(project.state, decision.events, { at: when, actor: by }, issues);
  if (!state) throw new Error("no state after applying the events");
  return { state, issues, entries: [...project.entries, { at: when, actor: by, events: decision.events }] };
}

function expectRecorded(decision: Decision): void {
  expect(decision.outcome, decision.outcome === "record" ? "" : decision.message).toBe("record");
}

function refusal(decision: Decision): string {
  expect(decision.outcome).toBe("refused");
  return decision.outcome === "refused" ? decision.message : "";
}

function eventsOf(decision: Decision): GovernanceEvent[] {
  return decision.outcome === "record" ? decision.events : [];
}

/** Oak House and Riverside, with their people; live from 08:00 on 11 January. */
function liveProject(): Project {
  const setupAt = at(-7 * DAY);
  const setup = decideSetup(undefined, {
    name: "Oak House and Riverside go-live",
    binding: newChannel(),
    actor: priya,
  });
  if (setup.outcome !== "record") throw new Error("setup should record");
  const state = applyEvents(undefined, setup.events, { at: setupAt, actor: priya });
  if (!state) throw new Error("no state");
  let project: Project = {
    state,
    issues: new Map(),
    entries: [{ at: setupAt, actor: priya, events: setup.events }],
  };
  const settings = decideSettings(state, priya, {
    settings: { ...state.project.settings, sites: SITES },
    assignments: [],
  });
  expectRecorded(settings);
  project = applied(project, priya, setupAt, settings);
  for (const [who, role, site] of ROLES) project = give(project, who, role, site);
  return project;
}

function give(project: Project, who: Actor, role: Role, site?: string): Project {
  const decision = decideRoleAdd(project.state, priya, {
    role,
    person: { objectId: who.objectId, name: who.name },
    ...(site ? { site } : {}),
  });
  expectRecorded(decision);
  return applied(project, priya, at(-7 * DAY), decision);
}

const PLAIN: RaiseRequest = {
  type: "request",
  careImpacting: false,
  workaround: false,
  description: "Rota not showing the night shifts",
};

interface Step {
  decision: Decision;
  project: Project;
}

/** Someone raises an issue `minutes` after go-live: what the rules decided, and the project after it. */
function tryRaise(project: Project, by: Actor, minutes: number, request: Partial<RaiseRequest> = {}): Step {
  const decision = decideRaise(project.state, by, { ...PLAIN, ...request });
  return { decision, project: applied(project, by, at(minutes), decision) };
}

function raise(project: Project, by: Actor, minutes: number, request: Partial<RaiseRequest> = {}): Project {
  const step = tryRaise(project, by, minutes, request);
  expectRecorded(step.decision);
  return step.project;
}

/** Someone changes an issue `minutes` after go-live: what the rules decided, and the project after it. */
function tryChange(project: Project, by: Actor, minutes: number, id: string, change: IssueChange): Step {
  const decision = decideIssueChange(project.state, project.issues.get(id), by, change, id);
  return { decision, project: applied(project, by, at(minutes), decision) };
}

function change(project: Project, by: Actor, minutes: number, id: string, change: IssueChange): Project {
  const step = tryChange(project, by, minutes, id, change);
  expectRecorded(step.decision);
  return step.project;
}

const update = (text: string): IssueChange => ({ kind: "update", update: "update", text });
const control = (text = "Second carer checks every eMAR entry"): IssueChange => ({
  kind: "control",
  control: { kind: "additional-checks", text },
});
const resolve = (evidence = "Supplier patch 4.2.1 deployed; eMAR loads on all tablets"): IssueChange => ({
  kind: "resolve",
  evidence,
});
const assign = (owner: Actor, dueBy?: string): IssueChange => ({
  kind: "assign",
  owner: { objectId: owner.objectId, name: owner.name },
  ...(dueBy !== undefined ? { dueBy } : {}),
});

function issue(project: Project, id: string): Issue {
  const found = project.issues.get(id);
  if (!found) throw new Error(`no issue ${id}`);
  return found;
}

function overdue(project: Project, id: string, minutes: number): ClockName[] {
  return overdueClocks(summaryOf(issue(project, id)), project.state.commandLog.targets, now(minutes));
}

function clockOf(project: Project, id: string, name: ClockName, minutes: number): Clock | undefined {
  return issueClocks(summaryOf(issue(project, id)), project.state.commandLog.targets, now(minutes)).find(
    (c) => c.name === name,
  );
}

const person = (a: Actor) => ({ objectId: a.objectId, name: a.name });

describe("raising an issue in the go-live command log", () => {
  it("numbers the issues a team leader raises from the floor GL-1, then GL-2", () => {
    let project = raise(liveProject(), lucy, 0, {
      type: "system",
      site: "Oak House",
      description: "eMAR not loading on the tablets",
    });
    project = raise(project, lucy, 5, { type: "access", description: "Night staff cannot log in" });
    expect([...project.issues.keys()]).toEqual(["GL-1", "GL-2"]);
    expect(project.state.commandLog.raised).toBe(2);
    expect(issue(project, "GL-1")).toMatchObject({
      id: "GL-1",
      number: 1,
      type: "system",
      site: "Oak House",
      status: "open",
      raisedBy: person(lucy),
      raisedAt: at(0),
      description: "eMAR not loading on the tablets",
      historyCount: 1,
    });
    expect(issue(project, "GL-1").history).toEqual([
      { at: at(0), by: "Lucy Evans", what: "Raised as P3 (proposed)" },
    ]);
    expect(issue(project, "GL-2").number).toBe(2);
  });

  it.each([
    {
      what: "care-impacting with a workaround",
      type: "request",
      care: true,
      workaround: true,
      priority: "P1",
    },
    { what: "a care-impacting urgent risk", type: "risk", care: true, workaround: false, priority: "P1" },
    {
      what: "a care-impacting workflow concern",
      type: "workflow",
      care: true,
      workaround: false,
      priority: "P2",
    },
    { what: "an urgent risk", type: "risk", care: false, workaround: false, priority: "P2" },
    { what: "a system issue", type: "system", care: false, workaround: false, priority: "P3" },
    { what: "an access problem", type: "access", care: false, workaround: false, priority: "P3" },
    { what: "a workflow concern", type: "workflow", care: false, workaround: false, priority: "P4" },
    { what: "a coaching need", type: "coaching", care: false, workaround: false, priority: "P4" },
    {
      what: "a support request with a workaround",
      type: "request",
      care: false,
      workaround: true,
      priority: "P4",
    },
  ] as const)("proposes $priority for $what, marked as proposed", ({ type, care, workaround, priority }) => {
    expect(proposePriority({ type, careImpacting: care, workaround })).toBe(priority);
    const { decision, project } = tryRaise(liveProject(), lucy, 0, { type, careImpacting: care, workaround });
    expect(eventsOf(decision)).toEqual([
      expect.objectContaining({ kind: "issue.raised", issueId: "GL-1", priority, priorityProposed: true }),
    ]);
    expect(issue(project, "GL-1")).toMatchObject({ priority, priorityProposed: true });
  });

  it("keeps the priority the raiser gave, even where it would propose another", () => {
    const { decision, project } = tryRaise(liveProject(), lucy, 0, {
      type: "request",
      careImpacting: true,
      workaround: true,
      priority: "P3",
    });
    expect(eventsOf(decision)[0]).toMatchObject({ priority: "P3", priorityProposed: false });
    expect(issue(project, "GL-1")).toMatchObject({ priority: "P3", priorityProposed: false });
    expect(issue(project, "GL-1").history[0]?.what).toBe("Raised as P3");
  });

  it("refuses a site that is not the project's, naming the project's sites, and records nothing", () => {
    const before = liveProject();
    const { decision, project } = tryRaise(before, lucy, 0, { site: "Elm Court" });
    expect(refusal(decision)).toBe(`"Elm Court" is not one of this project's sites (Oak House, Riverside).`);
    expect(project).toBe(before);
    expect(project.state.commandLog.raised).toBe(0);
  });

  it("stores a site typed in another case as the project spells it", () => {
    const project = raise(liveProject(), lucy, 0, { site: "RIVERSIDE" });
    expect(issue(project, "GL-1").site).toBe("Riverside");
  });

  it("refuses someone without a role in the project, pointing to the project lead, and records nothing", () => {
    const before = liveProject();
    const { decision, project } = tryRaise(before, nia, 0);
    const message = refusal(decision);
    expect(message).toContain("Only people with a role in this go-live project can raise issues");
    expect(message).toContain("Priya Shah");
    expect(project).toBe(before);
    expect(project.issues.size).toBe(0);
    expect(project.state.commandLog.raised).toBe(0);

    const raised = raise(before, lucy, 0);
    const attempt = tryChange(raised, nia, 5, "GL-1", update("I can help"));
    expect(refusal(attempt.decision)).toContain("can change an issue");
    expect(attempt.project).toBe(raised);
  });

  it("refuses a change to an issue the command log does not hold", () => {
    expect(refusal(tryChange(liveProject(), priya, 0, "GL-9", update("Any news?")).decision)).toBe(
      "There is no issue GL-9 in this project's command log.",
    );
  });
});

describe("triage: a lead confirms or changes type, priority, site, theme and the care-impacting flag", () => {
  it.each([
    { role: "project lead", who: priya },
    { role: "operations lead", who: dev },
    { role: "registered manager", who: tom },
    { role: "quality lead", who: grace },
  ])("lets the $role triage an issue", ({ who }) => {
    const project = raise(liveProject(), lucy, 0, { type: "system", site: "Oak House" });
    expectRecorded(
      tryChange(project, who, 5, "GL-1", { kind: "triage", triage: { priority: "P2" } }).decision,
    );
  });

  it.each([
    { role: "team leader", who: lucy },
    { role: "supplier / system lead", who: sam },
  ])("refuses the $role, naming the roles that can triage", ({ who }) => {
    const before = raise(liveProject(), lucy, 0, { type: "system" });
    const { decision, project } = tryChange(before, who, 5, "GL-1", {
      kind: "triage",
      triage: { priority: "P1" },
    });
    expect(decision).toEqual({
      outcome: "refused",
      neededRole: "project-lead",
      message:
        "Only a project lead, operations lead, registered manager or quality lead can triage an issue.",
    });
    expect(project).toBe(before);
  });

  it("says nothing changed when a confirmed priority is triaged as it stands", () => {
    const project = raise(liveProject(), lucy, 0, { priority: "P2", site: "Oak House" });
    expect(tryChange(project, priya, 5, "GL-1", { kind: "triage", triage: {} }).decision).toEqual({
      outcome: "unchanged",
      message: "GL-1 already reads like that, so nothing was changed.",
    });
    const sameSite = tryChange(project, priya, 5, "GL-1", {
      kind: "triage",
      triage: { priority: "P2", site: "oak house" },
    });
    expect(sameSite.decision.outcome).toBe("unchanged");
  });

  it("records a proposed priority confirmed as it stands, and it is no longer proposed", () => {
    let project = raise(liveProject(), lucy, 0, { type: "system", site: "Oak House" });
    const { decision, project: after } = tryChange(project, priya, 5, "GL-1", {
      kind: "triage",
      triage: { priority: "P3" },
    });
    const triage = { type: "system", priority: "P3", careImpacting: false, site: "Oak House" };
    expect(eventsOf(decision)).toEqual([
      { kind: "issue.triaged", issueId: "GL-1", before: triage, after: triage },
    ]);
    project = after;
    expect(issue(project, "GL-1")).toMatchObject({ priority: "P3", priorityProposed: false });
    expect(issue(project, "GL-1").history.at(-1)?.what).toBe("Triaged: confirmed as it was");
    expect(
      tryChange(project, priya, 6, "GL-1", { kind: "triage", triage: { priority: "P3" } }).decision.outcome,
    ).toBe("unchanged");
  });

  it("records the triage before and after, and the issue reads as triaged", () => {
    const project = raise(liveProject(), lucy, 0, { type: "system", site: "Oak House" });
    const { decision, project: after } = tryChange(project, tom, 10, "GL-1", {
      kind: "triage",
      triage: { priority: "P1", theme: "eMAR", careImpacting: true },
    });
    expect(eventsOf(decision)).toEqual([
      {
        kind: "issue.triaged",
        issueId: "GL-1",
        before: { type: "system", priority: "P3", careImpacting: false, site: "Oak House" },
        after: { type: "system", priority: "P1", careImpacting: true, site: "Oak House", theme: "eMAR" },
      },
    ]);
    expect(issue(after, "GL-1")).toMatchObject({
      priority: "P1",
      priorityProposed: false,
      theme: "eMAR",
      careImpacting: true,
      careMarkedAt: at(10),
    });
    expect(issue(after, "GL-1").history.at(-1)).toEqual({
      at: at(10),
      by: "Tom Okafor",
      what: "Triaged: priority P3 → P1; theme none → eMAR; marked care-impacting",
    });
  });

  it("refuses to move an issue to a site that is not the project's", () => {
    const project = raise(liveProject(), lucy, 0, { site: "Oak House" });
    expect(
      refusal(
        tryChange(project, priya, 5, "GL-1", { kind: "triage", triage: { site: "Elm Court" } }).decision,
      ),
    ).toBe(`"Elm Court" is not one of this project's sites (Oak House, Riverside).`);
  });
});

describe("temporary controls on care-impacting issues (a registered manager's call, for their own site)", () => {
  const careIssueAtOakHouse = () =>
    raise(liveProject(), lucy, 0, {
      type: "system",
      careImpacting: true,
      site: "Oak House",
      description: "eMAR not loading on the tablets",
    });

  it("lets the site's registered manager record a control, kept with who and when", () => {
    const project = change(careIssueAtOakHouse(), tom, 30, "GL-1", control());
    expect(issue(project, "GL-1")).toMatchObject({
      controls: [
        {
          kind: "additional-checks",
          text: "Second carer checks every eMAR entry",
          by: person(tom),
          at: at(30),
        },
      ],
      controlCount: 1,
      firstControlAt: at(30),
    });
    expect(issue(project, "GL-1").history.at(-1)).toMatchObject({
      what: "Temporary control: Additional checks",
      text: "Second carer checks every eMAR entry",
    });
  });

  it("refuses another site's registered manager, naming the manager of the issue's site", () => {
    const before = careIssueAtOakHouse();
    const { decision, project } = tryChange(before, ama, 30, "GL-1", control());
    expect(decision).toEqual({
      outcome: "refused",
      neededRole: "registered-manager",
      message: "Only a registered manager for Oak House can record a temporary control. Ask Tom Okafor.",
    });
    expect(project).toBe(before);
  });

  it.each([
    { role: "team leader", who: lucy },
    { role: "project lead", who: priya },
  ])("refuses the $role", ({ who }) => {
    expect(tryChange(careIssueAtOakHouse(), who, 30, "GL-1", control()).decision).toMatchObject({
      outcome: "refused",
      neededRole: "registered-manager",
    });
  });

  it("lets any registered manager control an issue raised without a site", () => {
    const project = raise(liveProject(), lucy, 0, { careImpacting: true });
    expectRecorded(tryChange(project, ama, 30, "GL-1", control()).decision);
  });

  it("is overdue on the temporary-control clock 2 hours after the issue was raised without one, not before", () => {
    const project = careIssueAtOakHouse();
    expect(clockOf(project, "GL-1", "temporary-control", 0)?.dueAt).toBe(at(2 * HOUR));
    expect(overdue(project, "GL-1", 2 * HOUR)).not.toContain("temporary-control");
    expect(overdue(project, "GL-1", 2 * HOUR + 1)).toContain("temporary-control");
  });

  it("stops the clock once a control is recorded in time (met), or late", () => {
    const inTime = change(careIssueAtOakHouse(), tom, 90, "GL-1", control());
    expect(clockOf(inTime, "GL-1", "temporary-control", 3 * HOUR)).toMatchObject({
      state: "met",
      doneAt: at(90),
    });
    expect(overdue(inTime, "GL-1", 3 * HOUR)).not.toContain("temporary-control");
    const late = change(careIssueAtOakHouse(), tom, 150, "GL-1", control());
    expect(clockOf(late, "GL-1", "temporary-control", 3 * HOUR)?.state).toBe("late");
  });

  it("starts the clock when triage marks the issue care-impacting", () => {
    let project = raise(liveProject(), lucy, 0, { type: "workflow", site: "Oak House" });
    expect(clockOf(project, "GL-1", "temporary-control", 0)).toBeUndefined();
    project = change(project, tom, HOUR, "GL-1", { kind: "triage", triage: { careImpacting: true } });
    expect(clockOf(project, "GL-1", "temporary-control", HOUR)?.dueAt).toBe(at(3 * HOUR));
  });

  it("refuses a control on a resolved issue until it is reopened", () => {
    const project = change(careIssueAtOakHouse(), priya, 30, "GL-1", resolve());
    expect(refusal(tryChange(project, tom, 40, "GL-1", control()).decision)).toBe(
      "GL-1 is resolved: reopen it before adding a control.",
    );
  });
});

describe("clocks against the priority's targets", () => {
  it("starts from the domain page's defaults", () => {
    expect(DEFAULT_ISSUE_TARGETS).toEqual({
      P1: { firstResponseMinutes: 15, resolutionMinutes: 4 * HOUR },
      P2: { firstResponseMinutes: HOUR, resolutionMinutes: 8 * HOUR },
      P3: { firstResponseMinutes: 4 * HOUR, resolutionMinutes: 24 * HOUR },
      P4: { firstResponseMinutes: 8 * HOUR, resolutionMinutes: 72 * HOUR },
      controlMinutes: 2 * HOUR,
    });
    expect(liveProject().state.commandLog.targets).toEqual(DEFAULT_ISSUE_TARGETS);
  });

  it.each([
    { priority: "P1", response: 15, resolution: 4 * HOUR },
    { priority: "P2", response: HOUR, resolution: 8 * HOUR },
    { priority: "P3", response: 4 * HOUR, resolution: 24 * HOUR },
    { priority: "P4", response: 8 * HOUR, resolution: 72 * HOUR },
  ] as const)(
    "gives a $priority issue $response minutes to a first response and $resolution to resolution",
    ({ priority, response, resolution }) => {
      const project = raise(liveProject(), lucy, 0, { priority: priority as Priority });
      expect(clockOf(project, "GL-1", "first-response", 0)).toEqual({
        name: "first-response",
        state: "running",
        dueAt: at(response),
      });
      expect(clockOf(project, "GL-1", "resolution", 0)?.dueAt).toBe(at(resolution));
      expect(overdue(project, "GL-1", response)).toEqual([]);
      expect(overdue(project, "GL-1", response + 1)).toEqual(["first-response"]);
      expect(overdue(project, "GL-1", resolution)).toEqual(["first-response"]);
      expect(overdue(project, "GL-1", resolution + 1)).toEqual(["first-response", "resolution"]);
    },
  );

  it("counts as first response the first action by someone other than the raiser", () => {
    let project = raise(liveProject(), lucy, 0, { priority: "P1", site: "Oak House" });
    project = change(project, lucy, 5, "GL-1", update("Still happening on the second floor"));
    expect(issue(project, "GL-1").firstResponse).toBeUndefined();
    expect(overdue(project, "GL-1", 16)).toContain("first-response");

    const answered = change(project, tom, 12, "GL-1", update("On my way up"));
    expect(issue(answered, "GL-1").firstResponse).toEqual({ by: "Tom Okafor", at: at(12) });
    expect(clockOf(answered, "GL-1", "first-response", 16)?.state).toBe("met");
    const later = change(answered, sam, 14, "GL-1", update("Looking at the server"));
    expect(issue(later, "GL-1").firstResponse).toEqual({ by: "Tom Okafor", at: at(12) });

    const slow = change(project, tom, 20, "GL-1", update("On my way up"));
    expect(clockOf(slow, "GL-1", "first-response", 30)?.state).toBe("late");
  });

  describe("the owner's response and timescale (lack of supplier response)", () => {
    /** A P2 at Riverside, assigned to the supplier at 08:10 with a timescale of 14:10. */
    const assignedToSupplier = () => {
      const project = raise(liveProject(), lucy, 0, { type: "system", priority: "P2", site: "Riverside" });
      return change(project, priya, 10, "GL-1", assign(sam, at(10 + 6 * HOUR)));
    };

    it("records the owner, when they were assigned and their timescale", () => {
      const project = assignedToSupplier();
      expect(issue(project, "GL-1").owner).toEqual({
        person: person(sam),
        assignedAt: at(10),
        dueBy: at(10 + 6 * HOUR),
      });
      expect(issue(project, "GL-1").history.at(-1)?.what).toBe(
        "Assigned to Sam Reid (timescale 2027-01-11 14:10 UTC)",
      );
    });

    it("is overdue when the owner posts nothing within the priority's response target", () => {
      // Someone else's update is not the owner's response.
      const project = change(assignedToSupplier(), priya, 30, "GL-1", update("Chased the supplier"));
      expect(clockOf(project, "GL-1", "owner-response", 0)?.dueAt).toBe(at(10 + HOUR));
      expect(overdue(project, "GL-1", 10 + HOUR)).not.toContain("owner-response");
      expect(overdue(project, "GL-1", 10 + HOUR + 1)).toContain("owner-response");
    });

    it("stops once the owner posts an update", () => {
      const late = change(assignedToSupplier(), sam, 90, "GL-1", update("Reproduced; fix in progress"));
      expect(issue(late, "GL-1").owner?.respondedAt).toBe(at(90));
      expect(clockOf(late, "GL-1", "owner-response", 91)?.state).toBe("late");
      expect(overdue(late, "GL-1", 91)).not.toContain("owner-response");
      const inTime = change(assignedToSupplier(), sam, 40, "GL-1", {
        kind: "update",
        update: "action",
        text: "Restarted the sync service",
      });
      expect(clockOf(inTime, "GL-1", "owner-response", 91)?.state).toBe("met");
    });

    it("is overdue past the owner's timescale, and past the resolution target", () => {
      const project = change(assignedToSupplier(), sam, 20, "GL-1", update("Looking"));
      expect(overdue(project, "GL-1", 10 + 6 * HOUR)).toEqual([]);
      expect(overdue(project, "GL-1", 10 + 6 * HOUR + 1)).toEqual(["timescale"]);
      expect(overdue(project, "GL-1", 8 * HOUR + 1)).toEqual(["resolution", "timescale"]);
    });

    it("counts the owner's resolution as their response", () => {
      const project = change(assignedToSupplier(), sam, 30, "GL-1", resolve());
      expect(issue(project, "GL-1").owner?.respondedAt).toBe(at(30));
    });
  });

  it("has nothing overdue on a resolved issue, however long ago it was raised", () => {
    let project = raise(liveProject(), lucy, 0, { careImpacting: true, workaround: true, site: "Oak House" });
    project = change(project, priya, 60, "GL-1", assign(sam, at(2 * HOUR)));
    expect(overdue(project, "GL-1", 3 * HOUR)).toEqual(
      expect.arrayContaining(["temporary-control", "owner-response", "timescale"]),
    );
    project = change(project, dev, 3 * HOUR, "GL-1", resolve());
    expect(overdue(project, "GL-1", 10 * DAY)).toEqual([]);
    expect(clockOf(project, "GL-1", "resolution", 10 * DAY)).toMatchObject({
      state: "met",
      doneAt: at(3 * HOUR),
    });
  });

  describe("changing the targets (the project lead's call) re-times every open issue", () => {
    const faster: IssueTargets = {
      ...DEFAULT_ISSUE_TARGETS,
      P3: { firstResponseMinutes: HOUR, resolutionMinutes: 8 * HOUR },
      controlMinutes: HOUR,
    };

    it.each([
      { role: "team leader", who: lucy },
      { role: "supplier / system lead", who: sam },
      { role: "registered manager", who: tom },
    ])("refuses the $role", ({ who }) => {
      expect(decideIssueTargets(liveProject().state, who, faster)).toEqual({
        outcome: "refused",
        neededRole: "project-lead",
        message: "Only the project lead can change the command log's response targets.",
      });
    });

    it("says nothing changed when the targets are as they were", () => {
      expect(decideIssueTargets(liveProject().state, priya, DEFAULT_ISSUE_TARGETS).outcome).toBe("unchanged");
    });

    it("records the targets before and after, and an open issue is timed against the new ones", () => {
      let project = raise(liveProject(), lucy, 0, { type: "system" });
      project = raise(project, lucy, 0, { careImpacting: true, priority: "P3", site: "Oak House" });
      expect(overdue(project, "GL-1", 2 * HOUR)).toEqual([]);
      expect(overdue(project, "GL-2", 90)).toEqual([]);
      const decision = decideIssueTargets(project.state, priya, faster);
      expect(eventsOf(decision)).toEqual([
        { kind: "issue.targets-changed", before: DEFAULT_ISSUE_TARGETS, after: faster },
      ]);
      project = applied(project, priya, at(30), decision);
      expect(project.state.commandLog.targets).toEqual(faster);
      expect(overdue(project, "GL-1", 2 * HOUR)).toEqual(["first-response"]);
      expect(overdue(project, "GL-2", 90)).toEqual(["first-response", "temporary-control"]);
    });
  });
});

describe("an issue's lifecycle: resolved with closure evidence, verified by a second pair of eyes, reopened", () => {
  /** Raised by the team leader at Oak House; the quality lead owns it. */
  const ownedByGrace = () => {
    const project = raise(liveProject(), lucy, 0, { type: "workflow", site: "Oak House" });
    return change(project, priya, 5, "GL-1", assign(grace));
  };

  it.each([
    { role: "owner (here the quality lead)", who: grace },
    { role: "project lead", who: priya },
    { role: "operations lead", who: dev },
    { role: "supplier / system lead", who: sam },
  ])("lets the $role resolve an issue", ({ who }) => {
    expectRecorded(tryChange(ownedByGrace(), who, 60, "GL-1", resolve()).decision);
  });

  it.each([
    { role: "team leader who raised it", who: lucy },
    { role: "registered manager", who: tom },
  ])("refuses the $role, naming who can resolve", ({ who }) => {
    expect(refusal(tryChange(ownedByGrace(), who, 60, "GL-1", resolve()).decision)).toBe(
      "Only a project lead, operations lead or supplier / system lead can resolve an issue (or its owner).",
    );
  });

  it("resolves with closure evidence, once", () => {
    const project = change(ownedByGrace(), sam, 60, "GL-1", resolve());
    expect(issue(project, "GL-1")).toMatchObject({
      status: "resolved",
      resolution: {
        evidence: "Supplier patch 4.2.1 deployed; eMAR loads on all tablets",
        by: person(sam),
        at: at(60),
      },
    });
    expect(refusal(tryChange(project, priya, 61, "GL-1", resolve()).decision)).toBe(
      "GL-1 is already resolved.",
    );
  });

  it("refuses to verify a closure not yet resolved", () => {
    expect(refusal(tryChange(ownedByGrace(), priya, 60, "GL-1", { kind: "verify", note: "" }).decision)).toBe(
      "GL-1 is not resolved yet, so there is no closure to verify.",
    );
  });

  it("refuses the person who resolved it as verifier: a second pair of eyes", () => {
    const project = change(ownedByGrace(), priya, 60, "GL-1", resolve());
    expect(refusal(tryChange(project, priya, 70, "GL-1", { kind: "verify", note: "Checked" }).decision)).toBe(
      "You resolved GL-1, so someone else must verify the closure: a second pair of eyes is the point.",
    );
  });

  it("closes the issue when another lead verifies, or the person who raised it", () => {
    const resolved = change(ownedByGrace(), priya, 60, "GL-1", resolve());
    const byGrace = change(resolved, grace, 70, "GL-1", { kind: "verify", note: "Checked three tablets" });
    expect(issue(byGrace, "GL-1")).toMatchObject({
      status: "closed",
      verification: { note: "Checked three tablets", by: person(grace), at: at(70) },
    });
    expect(issue(change(resolved, lucy, 70, "GL-1", { kind: "verify", note: "" }), "GL-1").status).toBe(
      "closed",
    );
    expect(tryChange(resolved, sam, 70, "GL-1", { kind: "verify", note: "" }).decision.outcome).toBe(
      "refused",
    );
  });

  it("refuses every change to a closed issue until it is reopened, saying why", () => {
    let project = change(ownedByGrace(), priya, 60, "GL-1", resolve());
    project = change(project, grace, 70, "GL-1", { kind: "verify", note: "Checked" });
    for (const attempt of [
      update("It is back"),
      resolve(),
      { kind: "triage", triage: { priority: "P1" } } as const,
    ]) {
      expect(refusal(tryChange(project, priya, 80, "GL-1", attempt).decision)).toBe(
        "GL-1 is closed and its closure verified. Reopen it first, saying why.",
      );
    }
    project = change(project, tom, 90, "GL-1", {
      kind: "reopen",
      reason: "Tablets on the first floor still fail",
    });
    expect(issue(project, "GL-1")).toMatchObject({ status: "open", reopenedCount: 1 });
    expect(issue(project, "GL-1").resolution).toBeUndefined();
    expect(issue(project, "GL-1").verification).toBeUndefined();
    expectRecorded(tryChange(project, lucy, 95, "GL-1", update("Confirmed on the first floor")).decision);
    expect(tryChange(project, tom, 95, "GL-1", { kind: "reopen", reason: "Again" }).decision).toEqual({
      outcome: "unchanged",
      message: "GL-1 is already open.",
    });
  });

  it("keeps every step of the history in order, with who did it", () => {
    let project = raise(liveProject(), lucy, 0, { type: "system", site: "Oak House" });
    project = change(project, priya, 5, "GL-1", { kind: "triage", triage: { priority: "P2" } });
    project = change(project, priya, 6, "GL-1", assign(sam));
    project = change(project, sam, 20, "GL-1", update("Investigating"));
    project = change(project, sam, 60, "GL-1", resolve("Patched"));
    project = change(project, grace, 70, "GL-1", { kind: "verify", note: "" });
    project = change(project, tom, 90, "GL-1", { kind: "reopen", reason: "Back again" });
    const record = issue(project, "GL-1");
    expect(record.history.map((h) => [h.by, h.what, h.text])).toEqual([
      ["Lucy Evans", "Raised as P3 (proposed)", undefined],
      ["Priya Shah", "Triaged: priority P3 → P2", undefined],
      ["Priya Shah", "Assigned to Sam Reid", undefined],
      ["Sam Reid", "Update", "Investigating"],
      ["Sam Reid", "Resolved with closure evidence", "Patched"],
      ["Grace Mensah", "Closure verified", undefined],
      ["Tom Okafor", "Reopened", "Back again"],
    ]);
    expect(record.history.map((h) => h.at)).toEqual([at(0), at(5), at(6), at(20), at(60), at(70), at(90)]);
    expect(record.historyCount).toBe(7);
  });

  it("keeps the newest 20 entries on the issue's record, counting every one, and shortens long text", () => {
    let project = raise(liveProject(), lucy, 0);
    for (let n = 1; n <= 30; n++) project = change(project, sam, n, "GL-1", update(`Update ${n}`));
    project = change(project, sam, 31, "GL-1", update("x".repeat(1_000)));
    const record = issue(project, "GL-1");
    expect(record.history).toHaveLength(20);
    expect(record.historyCount).toBe(32);
    expect(record.updateCount).toBe(31);
    expect(record.history[0]?.text).toBe("Update 12");
    expect(record.history.at(-2)?.text).toBe("Update 30");
    expect(record.history.at(-1)?.text).toBe(`${"x".repeat(400)}…`);
  });

  it("stays under 30,000 characters of JSON with 200 long updates", () => {
    let project = raise(liveProject(), lucy, 0, { description: "d".repeat(1_000), site: "Oak House" });
    for (let n = 1; n <= 200; n++)
      project = change(project, sam, n, "GL-1", update(`${n} `.padEnd(1_000, "u")));
    const record = issue(project, "GL-1");
    expect(record.updateCount).toBe(200);
    expect(record.historyCount).toBe(201);
    expect(JSON.stringify(record).length).toBeLessThanOrEqual(30_000);
    expect(record.history.at(-1)?.text?.startsWith("200 ")).toBe(true);
  });

  it("stays under 30,000 characters with long names, long controls and 200 updates", () => {
    const longName = (a: Actor): Actor => ({ ...a, name: a.name.padEnd(200, ".") });
    let project = raise(liveProject(), longName(lucy), 0, {
      description: "d".repeat(1_000),
      careImpacting: true,
      site: "Oak House",
    });
    for (let n = 1; n <= 15; n++)
      project = change(project, longName(tom), n, "GL-1", control("c".repeat(1_000)));
    for (let n = 1; n <= 200; n++)
      project = change(project, longName(sam), 20 + n, "GL-1", update(`${n} `.padEnd(1_000, "u")));
    const record = issue(project, "GL-1");
    expect(record.controls).toHaveLength(10);
    expect(record.controlCount).toBe(15);
    expect(record.historyCount).toBe(216);
    expect(JSON.stringify(record).length).toBeLessThanOrEqual(30_000);
    expect(record.history.at(-1)?.text?.startsWith("200 ")).toBe(true);
  });
});

describe("the go-live gate: an unresolved high-risk issue (open P1/P2 or care-impacting) is a blocker", () => {
  const issueBlockers = (project: Project) =>
    blockersOf(project.state).filter((b) => b.id.startsWith("issue:"));

  it("lists an open P2 in the command log's high-risk issues and among the gate's blockers", () => {
    const project = raise(liveProject(), lucy, 0, {
      priority: "P2",
      site: "Riverside",
      description: "Medication round not showing",
    });
    expect(project.state.commandLog.highRisk).toEqual([
      { id: "GL-1", summary: "P2: Medication round not showing" },
    ]);
    expect(issueBlockers(project)).toEqual([
      {
        id: "issue:GL-1",
        area: "supplier-support",
        reason: "Unresolved high-risk issue GL-1: P2: Medication round not showing",
        evidence: "Open P1/P2 or care-impacting issue in the go-live command log.",
      },
    ]);
  });

  it("lists a care-impacting issue whatever its priority", () => {
    const project = raise(liveProject(), lucy, 0, {
      priority: "P3",
      careImpacting: true,
      description: "Care plan tab slow to open",
    });
    expect(project.state.commandLog.highRisk).toEqual([
      { id: "GL-1", summary: "P3, care-impacting: Care plan tab slow to open" },
    ]);
    expect(issueBlockers(project).map((b) => b.id)).toEqual(["issue:GL-1"]);
  });

  it("takes it off when resolved, and puts it back when reopened", () => {
    let project = raise(liveProject(), lucy, 0, { priority: "P1", site: "Oak House" });
    project = change(project, sam, 60, "GL-1", resolve());
    expect(project.state.commandLog.highRisk).toEqual([]);
    expect(issueBlockers(project)).toEqual([]);
    project = change(project, tom, 90, "GL-1", { kind: "reopen", reason: "Failing again" });
    expect(project.state.commandLog.highRisk.map((h) => h.id)).toEqual(["GL-1"]);
    expect(issueBlockers(project).map((b) => b.id)).toEqual(["issue:GL-1"]);
  });

  it("follows triage: down to a P3 not affecting care, off; marked care-impacting, back on", () => {
    let project = raise(liveProject(), lucy, 0, { priority: "P2" });
    project = change(project, priya, 5, "GL-1", { kind: "triage", triage: { priority: "P3" } });
    expect(project.state.commandLog.highRisk).toEqual([]);
    project = change(project, priya, 10, "GL-1", { kind: "triage", triage: { careImpacting: true } });
    expect(project.state.commandLog.highRisk.map((h) => h.id)).toEqual(["GL-1"]);
  });

  it("keeps the high-risk issues oldest first", () => {
    let project = raise(liveProject(), lucy, 0, { priority: "P1" });
    project = raise(project, lucy, 1, { priority: "P2" });
    project = raise(project, lucy, 2, { priority: "P4" });
    project = change(project, priya, 3, "GL-1", update("On it"));
    project = change(project, priya, 4, "GL-3", { kind: "triage", triage: { careImpacting: true } });
    expect(project.state.commandLog.highRisk.map((h) => h.id)).toEqual(["GL-1", "GL-2", "GL-3"]);
  });

  it("never blocks on a P3 that does not affect care, whatever happens to it", () => {
    let project = raise(liveProject(), lucy, 0, { type: "system", site: "Oak House" });
    const steps: Array<[Actor, IssueChange]> = [
      [priya, { kind: "triage", triage: { theme: "Rota" } }],
      [priya, assign(sam, at(DAY))],
      [sam, update("Looking")],
      [lucy, { kind: "workaround", unsafe: false }],
      [sam, resolve()],
      [tom, { kind: "reopen", reason: "Still wrong" }],
    ];
    expect(issueBlockers(project)).toEqual([]);
    steps.forEach(([who, step], n) => {
      project = change(project, who, n + 1, "GL-1", step);
      expect(project.state.commandLog.highRisk).toEqual([]);
      expect(issueBlockers(project)).toEqual([]);
    });
  });
});

describe("alerts: the site's registered managers and the project lead, at once", () => {
  it("alerts on a P1 raised, not on a P2", () => {
    expect(alertReason(eventsOf(tryRaise(liveProject(), lucy, 0, { priority: "P1" }).decision))).toBe(
      "P1 raised: GL-1",
    );
    expect(
      alertReason(
        eventsOf(tryRaise(liveProject(), lucy, 0, { careImpacting: true, workaround: true }).decision),
      ),
    ).toBe("P1 raised: GL-1");
    expect(
      alertReason(eventsOf(tryRaise(liveProject(), lucy, 0, { priority: "P2" }).decision)),
    ).toBeUndefined();
  });

  it("alerts on triage up to P1, not on a P1 triaged again", () => {
    const project = raise(liveProject(), lucy, 0, { priority: "P2" });
    const up = tryChange(project, tom, 5, "GL-1", { kind: "triage", triage: { priority: "P1" } });
    expect(alertReason(eventsOf(up.decision))).toBe("GL-1 is now P1");
    const again = tryChange(up.project, tom, 6, "GL-1", { kind: "triage", triage: { theme: "eMAR" } });
    expectRecorded(again.decision);
    expect(alertReason(eventsOf(again.decision))).toBeUndefined();
  });

  it("alerts when anyone judges a workaround unsafe, not when it already was", () => {
    let project = raise(liveProject(), lucy, 0, { workaround: true, site: "Oak House" });
    const unsafe = tryChange(project, lucy, 5, "GL-1", { kind: "workaround", unsafe: true });
    expect(alertReason(eventsOf(unsafe.decision))).toBe("Unsafe workaround on GL-1");
    project = unsafe.project;
    expect(issue(project, "GL-1").workaroundUnsafe).toBe(true);
    expect(tryChange(project, sam, 6, "GL-1", { kind: "workaround", unsafe: true }).decision).toEqual({
      outcome: "unchanged",
      message: "The workaround on GL-1 is already recorded as unsafe.",
    });
    expect(
      alertReason([{ kind: "issue.workaround-assessed", issueId: "GL-1", unsafe: true, before: true }]),
    ).toBeUndefined();

    // Calling it safe again is a lead's judgement; unsafe once more alerts again.
    expect(refusal(tryChange(project, lucy, 7, "GL-1", { kind: "workaround", unsafe: false }).decision)).toBe(
      "Only a project lead, operations lead, registered manager or quality lead can judge an unsafe workaround safe.",
    );
    const safe = tryChange(project, tom, 8, "GL-1", { kind: "workaround", unsafe: false });
    expect(eventsOf(safe.decision)).toEqual([
      { kind: "issue.workaround-assessed", issueId: "GL-1", unsafe: false, before: true },
    ]);
    expect(alertReason(eventsOf(safe.decision))).toBeUndefined();
    const unsafeAgain = tryChange(safe.project, lucy, 9, "GL-1", { kind: "workaround", unsafe: true });
    expect(alertReason(eventsOf(unsafeAgain.decision))).toBe("Unsafe workaround on GL-1");
  });

  it("does not alert on an update", () => {
    const project = raise(liveProject(), lucy, 0, { priority: "P1" });
    expect(
      alertReason(eventsOf(tryChange(project, sam, 5, "GL-1", update("Looking")).decision)),
    ).toBeUndefined();
  });

  describe("who is alerted", () => {
    const names = (people: Array<{ name: string }>) => people.map((p) => p.name).sort();

    it("alerts the site's registered manager and the project lead, not the other site's manager", () => {
      const { state } = liveProject();
      expect(names(peopleToAlert(state, "Oak House"))).toEqual(["Priya Shah", "Tom Okafor"]);
      expect(names(peopleToAlert(state, "riverside"))).toEqual(["Ama Boateng", "Priya Shah"]);
    });

    it("alerts every registered manager for an issue without a site", () => {
      expect(names(peopleToAlert(liveProject().state, undefined))).toEqual([
        "Ama Boateng",
        "Priya Shah",
        "Tom Okafor",
      ]);
    });

    it("alerts a registered manager for every site too, and each person once", () => {
      let project = give(liveProject(), grace, "registered-manager");
      project = give(project, priya, "registered-manager", "Oak House");
      const alerted = peopleToAlert(project.state, "Oak House");
      expect(names(alerted)).toEqual(["Grace Mensah", "Priya Shah", "Tom Okafor"]);
      expect(new Set(alerted.map((p) => p.objectId)).size).toBe(alerted.length);
    });
  });
});

describe("replaying the governance log", () => {
  it("gives the same issues and command log as applying the changes one by one", () => {
    let project = raise(liveProject(), lucy, 0, {
      type: "system",
      careImpacting: true,
      workaround: true,
      site: "Oak House",
      description: "eMAR not loading on the tablets",
    });
    project = raise(project, lucy, 3, {
      type: "access",
      site: "Riverside",
      description: "Agency nurse has no login",
    });
    project = raise(project, tom, 4, { type: "coaching", description: "Night staff unsure of body maps" });
    project = change(project, priya, 5, "GL-1", { kind: "triage", triage: { theme: "eMAR" } });
    project = change(project, priya, 6, "GL-1", assign(sam, at(4 * HOUR)));
    project = change(project, tom, 30, "GL-1", control());
    project = change(project, lucy, 35, "GL-1", { kind: "workaround", unsafe: true });
    project = change(project, ama, 40, "GL-2", { kind: "triage", triage: { priority: "P2" } });
    project = applied(
      project,
      priya,
      at(45),
      decideIssueTargets(project.state, priya, { ...DEFAULT_ISSUE_TARGETS, controlMinutes: HOUR }),
    );
    project = change(project, sam, 50, "GL-1", update("Sync service restarted"));
    project = change(project, sam, 120, "GL-1", resolve());
    project = change(project, grace, 130, "GL-1", { kind: "verify", note: "Checked" });
    project = change(project, tom, 200, "GL-1", { kind: "reopen", reason: "Failing again" });
    project = change(project, dev, 210, "GL-2", resolve("Login issued"));

    const replayed = replayProject(project.entries);
    expect(replayed.state).toEqual(project.state);
    expect(replayed.issues).toEqual(project.issues);
    expect(replayed.state?.commandLog).toMatchObject({
      raised: 3,
      targets: { ...DEFAULT_ISSUE_TARGETS, controlMinutes: HOUR },
      highRisk: [{ id: "GL-1", summary: "P1, care-impacting: eMAR not loading on the tablets" }],
      // The day's counts for the digest: three raised, two resolved, on go-live day (London time).
      days: [{ date: "2027-01-11", firstNumber: 1, raised: 3, resolved: 2 }],
    });
    for (const id of ["GL-1", "GL-2", "GL-3"]) {
      const replayedIssue = replayed.issues.get(id);
      if (!replayedIssue || !replayed.state) throw new Error(`no ${id} after replay`);
      expect(overdueClocks(summaryOf(replayedIssue), replayed.state.commandLog.targets, now(DAY))).toEqual(
        overdue(project, id, DAY),
      );
    }
  });
});

describe("a registered manager for one site acts on that site's issues only", () => {
  it("refuses Riverside's manager triaging, assigning or calling safe an Oak House issue, or moving it", () => {
    let project = raise(liveProject(), lucy, 0, { site: "Oak House", workaround: true });
    project = change(project, lucy, 5, "GL-1", { kind: "workaround", unsafe: true });
    for (const attempt of [
      { kind: "triage", triage: { priority: "P2" } },
      { kind: "triage", triage: { site: "Riverside" } },
      assign(sam),
      { kind: "workaround", unsafe: false },
    ] as IssueChange[]) {
      expect(refusal(tryChange(project, ama, 10, "GL-1", attempt).decision)).toContain(
        "Issues at Oak House are",
      );
    }
    // Oak House's own manager, and the project-wide leads, may.
    expectRecorded(tryChange(project, tom, 10, "GL-1", assign(sam)).decision);
    expectRecorded(tryChange(project, dev, 10, "GL-1", { kind: "workaround", unsafe: false }).decision);
  });

  it("keeps an owner's response when only the timescale changes, and caps a long name in the history", () => {
    const longName: Actor = { ...sam, name: "S".repeat(200) };
    let project = raise(liveProject(), lucy, 0);
    project = change(project, priya, 5, "GL-1", assign(longName, at(DAY)));
    project = change(project, sam, 10, "GL-1", update("Looking at it"));
    project = change(project, priya, 60, "GL-1", assign(longName, at(2 * DAY)));
    expect(issue(project, "GL-1").owner?.respondedAt).toBe(at(10));
    expect(issue(project, "GL-1").history.every((e) => e.what.length <= 200)).toBe(true);
  });
});
