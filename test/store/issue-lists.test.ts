import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideSetup } from "../../governance/decisions.js";
import { decideIssueChange, decideRaise, type IssueChange } from "../../governance/issueRules.js";
import { projectIdForChannel } from "../../governance/project.js";
import type { RunningAzurite } from "../../store/azurite.js";
import type { GovernanceLog } from "../../store/governanceLog.js";
import { actor, newChannel, PEOPLE } from "../support/fixtures.js";
import { azuriteForTests, governanceLog, uniqueKey } from "../support/storage.js";

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await azuriteForTests();
});
afterAll(async () => {
  await azurite?.close();
});

const priya = actor(PEOPLE.priya);

async function project(log: GovernanceLog) {
  const binding = newChannel();
  const projectId = projectIdForChannel(binding.channelId);
  await log.change({
    projectId,
    idempotencyKey: uniqueKey(),
    actor: priya,
    decide: (state) => decideSetup(state, { name: "Lists", binding, actor: priya }),
  });
  return projectId;
}

function raise(log: GovernanceLog, projectId: string, description: string) {
  return log.change({
    projectId,
    idempotencyKey: uniqueKey(),
    actor: priya,
    decide: (state) =>
      state
        ? decideRaise(state, priya, {
            type: "system",
            priority: "P3",
            careImpacting: false,
            workaround: false,
            description,
          })
        : { outcome: "refused", message: "no project" },
  });
}

function change(log: GovernanceLog, projectId: string, issueId: string, what: IssueChange) {
  return log.change({
    projectId,
    idempotencyKey: uniqueKey(),
    actor: priya,
    issueIds: [issueId],
    decide: (state, issues) =>
      state
        ? decideIssueChange(state, issues.get(issueId), priya, what, issueId)
        : { outcome: "refused", message: "no project" },
  });
}

const ids = (list: Array<{ id: string }>) => list.map((s) => s.id);

describe("the open and awaiting-verification lists", () => {
  it("follow this process's own changes and another instance's, always as storage has them", async () => {
    const mine = governanceLog(azurite);
    const other = governanceLog(azurite);
    const projectId = await project(mine);
    for (const d of ["eMAR slow", "Printer offline", "Rota blank"]) await raise(mine, projectId, d);
    expect(ids(await mine.listIssues(projectId, "open"))).toEqual(["GL-1", "GL-2", "GL-3"]);

    // Resolved here: off the open list, onto the awaiting-verification list.
    await change(mine, projectId, "GL-2", { kind: "resolve", evidence: "Toner replaced, test page printed" });
    expect(ids(await mine.listIssues(projectId, "open"))).toEqual(["GL-1", "GL-3"]);
    expect(ids(await mine.listIssues(projectId, "resolved"))).toEqual(["GL-2"]);

    // Another instance (scale-out) raises one and reopens GL-2: this one sees both on its next list.
    await raise(other, projectId, "Fluid chart totals wrong");
    await change(other, projectId, "GL-2", { kind: "reopen", reason: "Printer offline again" });
    expect(ids(await mine.listIssues(projectId, "open"))).toEqual(["GL-1", "GL-2", "GL-3", "GL-4"]);
    expect(await mine.listIssues(projectId, "resolved")).toEqual([]);

    // After more of its own changes, the list still matches what a fresh reader gets from storage.
    await change(mine, projectId, "GL-1", { kind: "triage", triage: { priority: "P2" } });
    await raise(mine, projectId, "Sensor mat alerts late");
    const fresh = governanceLog(azurite);
    expect(await mine.listIssues(projectId, "open")).toEqual(await fresh.listIssues(projectId, "open"));
    expect((await mine.listIssues(projectId, "open")).find((s) => s.id === "GL-1")?.priority).toBe("P2");
  });

  it("keeps log and stored state in step when several instances record the same day's counts and reviews", async () => {
    const first = governanceLog(azurite);
    const projectId = await project(first);
    await raise(first, projectId, "eMAR slow on the tablets");
    // A restart (or a second instance) raises the next issue the same day, then records a review run.
    const second = governanceLog(azurite);
    await raise(second, projectId, "Printer offline");
    await second.change({
      projectId,
      idempotencyKey: uniqueKey(),
      actor: priya,
      decide: () => ({
        outcome: "record",
        events: [{ kind: "review.claimed", review: "daily-digest", period: "2026-11-27" }],
      }),
    });
    const third = governanceLog(azurite);
    await raise(third, projectId, "Rota blank for the weekend");
    expect(await third.verify(projectId)).toMatchObject({ ok: true, stateChecked: true });
    expect((await third.readState(projectId))?.commandLog.days[0]).toMatchObject({
      raised: 3,
      firstNumber: 1,
    });
  });
});
