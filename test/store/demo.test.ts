import { afterAll, beforeAll, expect, it } from "vitest";
import { loadDemo } from "../../functions/demo.js";
import { DEMO_BINDING, DEMO_PROJECT_NAME, DEMO_SITES } from "../../functions/demoData.js";
import { readinessBlockers } from "../../governance/readiness.js";
import { ROLES } from "../../governance/roles.js";
import type { RunningAzurite } from "../../store/azurite.js";
import { azuriteForTests, governanceLog } from "../support/storage.js";

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await azuriteForTests();
});
afterAll(async () => {
  await azurite?.close();
});

it("loads a care home and a home-care branch with people in every role, once however often it runs", async () => {
  const log = governanceLog(azurite);
  const first = await loadDemo(log, DEMO_BINDING, new Date("2026-11-27T09:00:00Z"));
  const again = await loadDemo(governanceLog(azurite), DEMO_BINDING, new Date("2026-11-28T09:00:00Z"));
  expect(again.entries).toBe(first.entries);
  const state = await governanceLog(azurite).readState(first.projectId);
  expect(state?.project.name).toBe(DEMO_PROJECT_NAME);
  expect(state?.project.settings.sites).toEqual(DEMO_SITES);
  expect(new Set(state?.roles.map((r) => r.role))).toEqual(new Set(ROLES));
  expect(
    state?.roles
      .filter((r) => r.role === "registered-manager")
      .map((r) => r.site)
      .sort(),
  ).toEqual([...DEMO_SITES].sort());
  expect(await log.verify(first.projectId)).toMatchObject({ ok: true, length: first.entries });
  // Readiness with blockers, and the board's conditional approval closed with a condition for each.
  if (!state) throw new Error("the demo project should exist");
  const blockers = readinessBlockers(state.project, state.readiness).map((b) => b.reason);
  expect(blockers).toEqual([
    "Carers at Riverside home care: 90% trained, below the 95% threshold.",
    "Risk assessments validation incomplete: 20 of 25 sampled records checked.",
  ]);
  const decision = state?.decisions[0];
  expect(decision?.state).toBe("closed");
  expect(decision?.minutes?.outcome).toBe("conditional");
  expect(decision?.minutes?.tally).toEqual({ proceed: 0, delay: 1, conditional: 3 });
  expect(state?.conditions.map((c) => [c.id, c.owner.name, c.state])).toEqual([
    ["C1", "Tom Okafor", "open"],
    ["C2", "Aisha Rahman", "open"],
  ]);
  expect(state?.project.phase).toBe("live");
});
