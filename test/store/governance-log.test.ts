import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideRoleAdd, decideRoleRemove, decideSettings, decideSetup } from "../../governance/decisions.js";
import { projectIdForChannel } from "../../governance/project.js";
import type { RunningAzurite } from "../../store/azurite.js";
import { type GovernanceLog, logRowKey } from "../../store/governanceLog.js";
import { actor, newChannel, PEOPLE, type Someone } from "../support/fixtures.js";
import { azuriteForTests, governanceLog, governanceTable, uniqueKey } from "../support/storage.js";

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await azuriteForTests();
});
afterAll(async () => {
  await azurite?.close();
});

async function newProject(log = governanceLog(azurite)) {
  const binding = newChannel();
  const projectId = projectIdForChannel(binding.channelId);
  const result = await log.change({
    projectId,
    idempotencyKey: uniqueKey(),
    actor: actor(PEOPLE.priya),
    decide: (state) =>
      decideSetup(state, { name: "Oak House ECM go-live", binding, actor: actor(PEOPLE.priya) }),
  });
  expect(result.status).toBe("recorded");
  return { projectId, log };
}

/** A role given by `by` through the log (refused when the channel has no project). */
function giveRole(
  log: GovernanceLog,
  projectId: string,
  by: Someone,
  assignment: Parameters<typeof decideRoleAdd>[2],
  idempotencyKey = uniqueKey(),
) {
  return log.change({
    projectId,
    idempotencyKey,
    actor: actor(by),
    decide: (s) =>
      s ? decideRoleAdd(s, actor(by), assignment) : { outcome: "refused", message: "no project" },
  });
}

function personNumber(i: number) {
  return { objectId: `bb000000-0000-4000-8000-${String(i).padStart(12, "0")}`, name: `Carer ${i}` };
}

describe("the governance log on Azurite", () => {
  it("records 20 concurrent changes to one project as 20 chained entries, and verify passes", async () => {
    const { projectId } = await newProject();
    // Separate log instances, as on separate Function instances: no shared cache, only the head's ETag.
    const writers = Array.from({ length: 4 }, () => governanceLog(azurite));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (writers[i % writers.length] ?? writers[0])?.change({
          projectId,
          idempotencyKey: uniqueKey(),
          actor: actor(PEOPLE.priya),
          decide: (state) =>
            state
              ? decideRoleAdd(state, actor(PEOPLE.priya), { role: "team-leader", person: personNumber(i) })
              : { outcome: "refused", message: "no project" },
        }),
      ),
    );
    expect(results.map((r) => r?.status)).toEqual(Array(20).fill("recorded"));
    const log = governanceLog(azurite);
    const verification = await log.verify(projectId);
    expect(verification).toMatchObject({ ok: true, length: 21 });
    const state = await log.readState(projectId);
    expect(state?.roles.filter((r) => r.role === "team-leader")).toHaveLength(20);
    const seqs: number[] = [];
    for await (const e of log.entries(projectId)) seqs.push(e.seq);
    expect(seqs).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it("changes state once when the same activity is delivered twice, even at the same moment", async () => {
    const { projectId, log } = await newProject();
    const key = uniqueKey();
    const change = (l = log) =>
      l.change({
        projectId,
        idempotencyKey: key,
        actor: actor(PEOPLE.priya),
        decide: (state) =>
          state
            ? decideRoleAdd(state, actor(PEOPLE.priya), { role: "board-member", person: PEOPLE.tom })
            : { outcome: "refused", message: "no project" },
      });
    const [first, second] = await Promise.all([change(), change(governanceLog(azurite))]);
    const third = await change(governanceLog(azurite));
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual(["duplicate", "recorded"]);
    expect(third.status).toBe("duplicate");
    const verification = await log.verify(projectId);
    expect(verification).toMatchObject({ ok: true, length: 2 });
    const state = await governanceLog(azurite).readState(projectId);
    expect(state?.roles.filter((r) => r.role === "board-member")).toHaveLength(1);
  });

  it("fails verify at an entry whose content was edited in storage", async () => {
    const { projectId, log } = await newProject();
    await giveRole(log, projectId, PEOPLE.priya, { role: "quality-lead", person: PEOPLE.grace });
    const table = governanceTable(azurite);
    const row = await table.getEntity<Record<string, unknown>>(projectId, logRowKey(2));
    await table.updateEntity(
      {
        partitionKey: projectId,
        rowKey: logRowKey(2),
        events: String(row.events).replace("Grace Mensah", "Someone Else"),
      },
      "Merge",
    );
    const verification = await log.verify(projectId);
    expect(verification.ok).toBe(false);
    if (!verification.ok) {
      expect(verification.firstProblem.seq).toBe(2);
      expect(verification.firstProblem.detail).toContain("entry 2");
    }
  });

  it("names a rewritten entry even when its hash was recomputed to match", async () => {
    const { projectId, log } = await newProject();
    for (const person of [PEOPLE.grace, PEOPLE.dev]) {
      await giveRole(log, projectId, PEOPLE.priya, { role: "slt", person });
    }
    const entries = [];
    for await (const e of log.entries(projectId)) entries.push(e);
    const second = entries[1];
    if (!second || "unreadable" in second) throw new Error("entry 2 should be readable");
    const { sealEntry } = await import("../../governance/chain.js");
    const forged = sealEntry({ ...second, at: "2020-01-01T00:00:00.000Z" });
    await governanceTable(azurite).updateEntity(
      { partitionKey: projectId, rowKey: logRowKey(2), at: forged.at, hash: forged.hash },
      "Merge",
    );
    const verification = await log.verify(projectId);
    expect(verification).toMatchObject({ ok: false, firstProblem: { kind: "altered", seq: 2 } });
  });

  it("fails verify naming a deleted entry, in the middle or at the end", async () => {
    const { projectId, log } = await newProject();
    for (const person of [PEOPLE.grace, PEOPLE.dev, PEOPLE.tom]) {
      await giveRole(log, projectId, PEOPLE.priya, { role: "supplier", person });
    }
    const table = governanceTable(azurite);
    await table.deleteEntity(projectId, logRowKey(4));
    expect(await log.verify(projectId)).toMatchObject({
      ok: false,
      firstProblem: { kind: "missing", seq: 4 },
    });
    await table.deleteEntity(projectId, logRowKey(2));
    expect(await log.verify(projectId)).toMatchObject({
      ok: false,
      firstProblem: { kind: "missing", seq: 2 },
    });
  });

  it("never refuses or answers 'unchanged' on a state another instance has since changed", async () => {
    const { projectId, log: instanceA } = await newProject();
    const instanceB = governanceLog(azurite);
    await instanceA.readState(projectId); // A now remembers a state in which Tom holds no role
    const makeTomLead = await giveRole(instanceB, projectId, PEOPLE.priya, {
      role: "project-lead",
      person: PEOPLE.tom,
    });
    expect(makeTomLead.status).toBe("recorded");
    const byTom = await giveRole(instanceA, projectId, PEOPLE.tom, { role: "supplier", person: PEOPLE.dev });
    expect(byTom.status).toBe("recorded");
    expect(await instanceA.verify(projectId)).toMatchObject({ ok: true, length: 3 });
  });

  it("keeps the stored rows equal to the state the log's events add up to", async () => {
    const { projectId, log } = await newProject();
    const lead = actor(PEOPLE.priya);
    const steps: Array<Parameters<typeof decideRoleAdd>[2] | "remove-tom" | "settings"> = [
      { role: "board-member", person: PEOPLE.tom },
      { role: "registered-manager", person: PEOPLE.grace, site: "Oak House" },
      "settings",
      { role: "registered-manager", person: PEOPLE.grace, site: "Riverside" },
      "remove-tom",
    ];
    let last: Awaited<ReturnType<typeof log.change>> | undefined;
    for (const step of steps) {
      last = await log.change({
        projectId,
        idempotencyKey: uniqueKey(),
        actor: lead,
        decide: (s) => {
          if (!s) return { outcome: "refused", message: "" };
          if (step === "remove-tom")
            return decideRoleRemove(s, lead, {
              role: "board-member",
              objectId: PEOPLE.tom.objectId,
              name: "Tom",
            });
          if (step === "settings") {
            return decideSettings(s, lead, {
              settings: {
                ...s.project.settings,
                sites: ["Oak House", "Riverside"],
                goLiveDate: "2027-03-01",
              },
              assignments: [],
            });
          }
          return decideRoleAdd(s, lead, step);
        },
      });
      expect(last.status).toBe("recorded");
    }
    const fromStorage = await governanceLog(azurite).readState(projectId);
    const sortRoles = (s: typeof fromStorage) =>
      s?.roles.map((r) => `${r.role}|${r.person.objectId}|${r.site ?? ""}`).sort();
    expect(fromStorage?.project).toEqual(last?.state?.project);
    expect(sortRoles(fromStorage)).toEqual(sortRoles(last?.state));
    expect(sortRoles(fromStorage)).toEqual([
      `project-lead|${PEOPLE.priya.objectId}|`,
      `registered-manager|${PEOPLE.grace.objectId}|Oak House`,
      `registered-manager|${PEOPLE.grace.objectId}|Riverside`,
    ]);
  });

  it("does not report a change committed while it reads as tampering", async () => {
    const { projectId, log } = await newProject();
    const writer = governanceLog(azurite);
    const writes = Array.from({ length: 15 }, (_, i) =>
      giveRole(writer, projectId, PEOPLE.priya, { role: "team-leader", person: personNumber(100 + i) }),
    );
    const verifications = [];
    for (let i = 0; i < 10; i++) verifications.push(await log.verify(projectId));
    await Promise.all(writes);
    expect(verifications.filter((v) => !v.ok)).toEqual([]);
  });

  it("fails verify when a stored role row was added or removed behind the log's back", async () => {
    const { projectId, log } = await newProject();
    const table = governanceTable(azurite);
    await table.createEntity({
      partitionKey: projectId,
      rowKey: `state-role-project-lead-${PEOPLE.dev.objectId}-all`,
      role: "project-lead",
      objectId: PEOPLE.dev.objectId,
      name: "Dev Patel",
    });
    const verification = await governanceLog(azurite).verify(projectId);
    expect(verification).toMatchObject({ ok: false, firstProblem: { kind: "state" } });
    expect(!verification.ok && verification.firstProblem.detail).toContain("project lead Dev Patel");
    expect(log).toBeDefined();
  });

  it("fails verify when a stored row was copied, edited or made unreadable, instead of failing itself", async () => {
    const { projectId } = await newProject();
    const table = governanceTable(azurite);
    const leadRow = `state-role-project-lead-${PEOPLE.priya.objectId}-all`;
    const original = await table.getEntity<Record<string, unknown>>(projectId, leadRow);
    // A copy of the lead's row under another key: the log never gave it.
    await table.createEntity({
      partitionKey: projectId,
      rowKey: "state-role-copy",
      role: "project-lead",
      objectId: PEOPLE.dev.objectId,
      name: "Dev Patel",
    });
    expect(await governanceLog(azurite).verify(projectId)).toMatchObject({
      ok: false,
      firstProblem: { kind: "state" },
    });
    await table.deleteEntity(projectId, "state-role-copy");
    // The lead's row edited in place.
    await table.updateEntity({ partitionKey: projectId, rowKey: leadRow, name: "Someone Else" }, "Merge");
    const edited = await governanceLog(azurite).verify(projectId);
    expect(edited).toMatchObject({ ok: false, firstProblem: { kind: "state" } });
    expect(!edited.ok && edited.firstProblem.detail).toContain("differs from the log");
    // The project row made unreadable: verify still answers.
    await table.updateEntity(
      { partitionKey: projectId, rowKey: leadRow, name: original.name as string },
      "Merge",
    );
    await table.updateEntity(
      { partitionKey: projectId, rowKey: "state-project", settings: "{not json" },
      "Merge",
    );
    expect(await governanceLog(azurite).verify(projectId)).toMatchObject({
      ok: false,
      firstProblem: { kind: "state" },
    });
  });

  it("says the chain head is missing when it was deleted", async () => {
    const { projectId } = await newProject();
    await governanceTable(azurite).deleteEntity(projectId, "head");
    const verification = await governanceLog(azurite).verify(projectId);
    expect(verification).toMatchObject({ ok: false, firstProblem: { kind: "missing" } });
    expect(!verification.ok && verification.firstProblem.detail).toBe("the chain head is missing");
  });
});
