import { describe, expect, it } from "vitest";
import { GENESIS_HASH, sealEntry, verifyChain } from "../../governance/chain.js";
import {
  applyEvents,
  decideRoleAdd,
  decideRoleRemove,
  decideSettings,
  decideSetup,
} from "../../governance/decisions.js";
import { commandsAllowed } from "../../governance/help.js";
import { ProjectSettingsSchema, type ProjectState } from "../../governance/project.js";
import { parseRole, rolesOf } from "../../governance/roles.js";
import { actor, newChannel, PEOPLE } from "../support/fixtures.js";

const at = "2026-11-27T09:00:00.000Z";
const priya = actor(PEOPLE.priya);
const tom = actor(PEOPLE.tom);

function projectSetUpByPriya(): ProjectState {
  const decision = decideSetup(undefined, { name: "Oak House go-live", binding: newChannel(), actor: priya });
  if (decision.outcome !== "record") throw new Error("setup should record");
  const state = applyEvents(undefined, decision.events, { at, actor: priya });
  if (!state) throw new Error("no state");
  return state;
}

describe("roles (domain page: held per project, by Entra object id; one person can hold several)", () => {
  it("makes the person who sets a project up its project lead, in the preparing phase", () => {
    const state = projectSetUpByPriya();
    expect(state.project.phase).toBe("preparing");
    expect(state.project.settings.timeZone).toBe("Europe/London");
    expect([...rolesOf(state.roles, PEOPLE.priya.objectId)]).toEqual(["project-lead"]);
  });

  it("lets one person hold several roles, and the chair is a board member", () => {
    let state = projectSetUpByPriya();
    for (const role of ["board-chair", "slt"] as const) {
      const d = decideRoleAdd(state, priya, {
        role,
        person: { objectId: PEOPLE.tom.objectId, name: "Tom Okafor" },
      });
      if (d.outcome !== "record") throw new Error(`expected to record ${role}`);
      state = applyEvents(state, d.events, { at, actor: priya }) as ProjectState;
    }
    expect(rolesOf(state.roles, PEOPLE.tom.objectId)).toEqual(
      new Set(["board-chair", "slt", "board-member"]),
    );
  });

  it("refuses role changes by anyone but the project lead, saying which role is needed and who holds it", () => {
    const state = projectSetUpByPriya();
    const d = decideRoleAdd(state, tom, {
      role: "board-member",
      person: { objectId: PEOPLE.tom.objectId, name: "Tom" },
    });
    expect(d).toMatchObject({ outcome: "refused", neededRole: "project-lead" });
    expect(d.outcome === "refused" && d.message).toContain("Ask Priya Shah");
  });

  it("never leaves a project without a project lead", () => {
    const state = projectSetUpByPriya();
    const d = decideRoleRemove(state, priya, {
      role: "project-lead",
      objectId: PEOPLE.priya.objectId,
      name: "Priya",
    });
    expect(d.outcome).toBe("refused");
  });

  it("gives a registered manager one of the project's sites, and nobody else a site", () => {
    const state = projectSetUpByPriya();
    state.project.settings = { ...state.project.settings, sites: ["Oak House", "Riverside"] };
    const grace = { objectId: PEOPLE.grace.objectId, name: "Grace" };
    expect(
      decideRoleAdd(state, priya, { role: "registered-manager", person: grace, site: "Elm Court" }).outcome,
    ).toBe("refused");
    expect(
      decideRoleAdd(state, priya, { role: "quality-lead", person: grace, site: "Oak House" }).outcome,
    ).toBe("refused");
    expect(
      decideRoleAdd(state, priya, { role: "registered-manager", person: grace, site: "oak house" }).outcome,
    ).toBe("record");
  });

  it("understands the words people type for roles", () => {
    expect(parseRole("Registered Manager")).toBe("registered-manager");
    expect(parseRole("board")).toBe("board-member");
    expect(parseRole("SLT")).toBe("slt");
    expect(parseRole("wizard")).toBeUndefined();
  });
});

describe("project settings (time zone default Europe/London, daily digest time)", () => {
  it("accepts real dates, IANA time zones and HH:MM times only", () => {
    expect(
      ProjectSettingsSchema.safeParse({
        sites: [],
        timeZone: "Europe/London",
        digestTime: "08:00",
        goLiveDate: "2027-01-11",
      }).success,
    ).toBe(true);
    expect(
      ProjectSettingsSchema.safeParse({ sites: [], timeZone: "Europe/Londres", digestTime: "08:00" }).success,
    ).toBe(false);
    expect(
      ProjectSettingsSchema.safeParse({ sites: [], timeZone: "Europe/London", digestTime: "8am" }).success,
    ).toBe(false);
    expect(
      ProjectSettingsSchema.safeParse({
        sites: [],
        timeZone: "Europe/London",
        digestTime: "08:00",
        goLiveDate: "2027-02-29",
      }).success,
    ).toBe(false);
  });

  it("records settings changes with what they were before and after", () => {
    const state = projectSetUpByPriya();
    const after = { ...state.project.settings, digestTime: "07:30" };
    const d = decideSettings(state, priya, { settings: after, assignments: [] });
    expect(d).toEqual({
      outcome: "record",
      events: [{ kind: "project.settings-changed", before: state.project.settings, after }],
    });
    expect(decideSettings(state, priya, { settings: state.project.settings, assignments: [] }).outcome).toBe(
      "unchanged",
    );
  });
});

describe("help lists the commands the caller's roles allow", () => {
  it("offers setup before a project exists, and role changes and log verify to the project lead only", () => {
    expect(commandsAllowed({ hasProject: false, roles: new Set() }).map((c) => c.usage)).toEqual([
      "help",
      "setup {project name}",
    ]);
    const forLead = commandsAllowed({ hasProject: true, roles: new Set(["project-lead"]) }).map(
      (c) => c.usage,
    );
    expect(forLead).toContain("log verify");
    expect(forLead).toContain("role add {role} @person [site: {site}]");
    const forBoard = commandsAllowed({ hasProject: true, roles: new Set(["board-member"]) }).map(
      (c) => c.usage,
    );
    expect(forBoard).toEqual([
      "help",
      "roles",
      "readiness",
      "minutes",
      "conditions",
      "condition met {id} {evidence}",
      "raise [type] [P1-P4] [care] [workaround] [site: {site};] {what happened}",
      "issue {id}",
      "issues [mine | care | overdue | P1 | resolved | site: {site}]",
      "digest",
      "risk {what the risk is}",
      "stabilisation",
      "targets",
      "evidence [from {date}] [to {date}]",
    ]);
    // The evidence pack goes to those who answer to commissioners and inspectors, not to every member.
    const forTeamLeader = commandsAllowed({ hasProject: true, roles: new Set(["team-leader"]) }).map(
      (c) => c.usage,
    );
    expect(forTeamLeader).not.toContain("evidence [from {date}] [to {date}]");
  });
});

describe("the governance log's hash chain", () => {
  const entries = (() => {
    const out = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const entry = sealEntry({
        projectId: "p-1",
        seq,
        at,
        actor: priya,
        idempotencyKey: `k${seq}`,
        events: [
          {
            kind: "role.assigned",
            assignment: { role: "slt", person: { objectId: `id-${seq}`, name: `P${seq}` } },
          },
        ],
        prevHash,
      });
      out.push(entry);
      prevHash = entry.hash;
    }
    return out;
  })();
  const head = { seq: 3, hash: entries[2]?.hash ?? "" };

  it("verifies an intact chain and reports its length and head hash", () => {
    expect(verifyChain("p-1", entries, head)).toEqual({ ok: true, length: 3, headHash: head.hash });
  });

  it("names an entry that was edited, one that was removed, and entries removed from the end", () => {
    const edited = entries.map((e) => (e.seq === 2 ? { ...e, why: "changed later" } : e));
    expect(verifyChain("p-1", edited, head)).toMatchObject({
      ok: false,
      firstProblem: { kind: "altered", seq: 2 },
    });
    const removed = entries.filter((e) => e.seq !== 2);
    expect(verifyChain("p-1", removed, head)).toMatchObject({
      ok: false,
      firstProblem: { kind: "missing", seq: 2 },
    });
    expect(verifyChain("p-1", entries.slice(0, 2), head)).toMatchObject({
      ok: false,
      firstProblem: { kind: "missing", seq: 3 },
    });
  });

  it("names an entry replaced by a forgery with a recomputed hash", () => {
    const [first, second, third] = entries;
    if (!first || !second || !third) throw new Error("three entries");
    const forged = sealEntry({ ...second, at: "2020-01-01T00:00:00.000Z" });
    expect(verifyChain("p-1", [first, forged, third], head)).toMatchObject({
      ok: false,
      firstProblem: { kind: "altered", seq: 2 },
    });
  });
});
