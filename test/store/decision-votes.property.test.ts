import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHOICES, type Choice, tallyOf } from "../../governance/boardDecision.js";
import { boardMembersOf, decideOpenDecision, decideVote } from "../../governance/boardDecisionRules.js";
import { type Decision, decideRoleAdd, decideSetup } from "../../governance/decisions.js";
import type { Actor } from "../../governance/events.js";
import { type ProjectState, projectIdForChannel } from "../../governance/project.js";
import { readinessBlockers } from "../../governance/readiness.js";
import type { Person } from "../../governance/roles.js";
import type { RunningAzurite } from "../../store/azurite.js";
import type { ChangeResult, GovernanceLog } from "../../store/governanceLog.js";
import { actor, newChannel, PEOPLE, TENANT_ID } from "../support/fixtures.js";
import { azuriteForTests, governanceLog, uniqueKey } from "../support/storage.js";

/**
 * The requirement: for any interleaving of votes, changes and double clicks by any members, the tally
 * equals each member's last vote, and the log holds every step. Run against the real store on Azurite.
 */

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await azuriteForTests();
});
afterAll(async () => {
  await azurite?.close();
});

const TODAY = "2026-11-27";
const LATER = "2099-01-01";
const RATIONALES = ["Blockers stand.", "Training is behind.", "Ready enough with conditions.", "Needs time."];
/** How a click arrives: once, or twice with the same idempotency key (in turn or at once, on one or two instances). */
const CLICKS = [
  "once",
  "twice-in-turn",
  "twice-in-turn-two-instances",
  "twice-at-once",
  "twice-at-once-two-instances",
] as const;
type Click = (typeof CLICKS)[number];

interface Action {
  member: number;
  choice: Choice;
  rationale: string;
  click: Click;
}

function boardMember(i: number): Person {
  return {
    objectId: `cc000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
    name: `Board Member ${i + 1}`,
  };
}
const asActor = (p: Person): Actor => ({ objectId: p.objectId, name: p.name, tenantId: TENANT_ID });
const noProject: Decision = { outcome: "refused", message: "no project" };

async function recorded(promise: Promise<ChangeResult>): Promise<ChangeResult> {
  const result = await promise;
  expect(result.status).toBe("recorded");
  return result;
}

/** A fresh project with `n` board members (one of them perhaps the chair) and the go-live decision open. */
async function projectWithOpenDecision(log: GovernanceLog, members: Person[], chair: number | undefined) {
  const binding = newChannel();
  const projectId = projectIdForChannel(binding.channelId);
  const lead = actor(PEOPLE.priya);
  await recorded(
    log.change({
      projectId,
      idempotencyKey: uniqueKey(),
      actor: lead,
      decide: (s) => decideSetup(s, { name: "Oak House ECM go-live", binding, actor: lead }),
    }),
  );
  for (const [i, person] of members.entries()) {
    const role = i === chair ? "board-chair" : "board-member";
    await recorded(
      log.change({
        projectId,
        idempotencyKey: uniqueKey(),
        actor: lead,
        decide: (s) => (s ? decideRoleAdd(s, lead, { role, person }) : noProject),
      }),
    );
  }
  const opened = await recorded(
    log.change({
      projectId,
      idempotencyKey: uniqueKey(),
      actor: lead,
      decide: (s) => (s ? decideOpenDecision(s, lead) : noProject),
    }),
  );
  const event = opened.status === "recorded" ? opened.entry.events[0] : undefined;
  if (event?.kind !== "decision.opened") throw new Error("the decision should have opened");
  const state = opened.state as ProjectState;
  expect(
    boardMembersOf(state)
      .map((p) => p.objectId)
      .sort(),
  ).toEqual(members.map((p) => p.objectId).sort());
  return { projectId, decisionId: event.decisionId, state, setupEntries: members.length + 2 };
}

interface ModelVote {
  choice: Choice;
  rationale: string;
}

const actionArb = fc.record({
  member: fc.nat({ max: 7 }),
  choice: fc.constantFrom(...CHOICES),
  rationale: fc.constantFrom(...RATIONALES),
  click: fc.constantFrom(...CLICKS),
});

describe("board votes through the governance log on Azurite (property)", () => {
  it("keeps each member's last vote as the tally, and logs every change once, whatever the clicks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 8 }),
        fc.option(fc.nat({ max: 7 }), { nil: undefined }),
        fc.array(actionArb, { minLength: 1, maxLength: 25 }),
        async (n, chairPick, rawActions) => {
          const members = Array.from({ length: n }, (_, i) => boardMember(i));
          const chair = chairPick === undefined ? undefined : chairPick % n;
          const actions: Action[] = rawActions.map((a) => ({ ...a, member: a.member % n }));
          const log = governanceLog(azurite);
          const otherInstance = governanceLog(azurite);
          const { projectId, decisionId, state, setupEntries } = await projectWithOpenDecision(
            log,
            members,
            chair,
          );
          const blockers = readinessBlockers(state.project, state.readiness);
          expect(blockers.length).toBeGreaterThan(0);

          const model = new Map<string, ModelVote>();
          const expectedCasts: Array<{ key: string; voter: string; vote: ModelVote; previous?: ModelVote }> =
            [];
          const keyOutcomes: Array<{ key: string; recorded: boolean }> = [];
          const wrongAnswers: Array<{ action: number; click: Click; wanted: string[]; got: string[] }> = [];
          let answers = 0;

          for (const action of actions) {
            const person = members[action.member] as Person;
            const voter = asActor(person);
            const key = uniqueKey();
            const request = {
              decisionId,
              choice: action.choice,
              rationale: action.rationale,
              today: TODAY,
              ...(action.choice === "delay" ? { newDate: LATER } : {}),
              ...(action.choice === "conditional"
                ? {
                    conditions: blockers.map((b) => ({
                      blockerId: b.id,
                      text: `Resolve: ${b.reason}`,
                      owner: person,
                      due: LATER,
                    })),
                  }
                : {}),
            };
            const send = (l: GovernanceLog) =>
              l.change({
                projectId,
                idempotencyKey: key,
                actor: voter,
                decide: (s) => (s ? decideVote(s, voter, request) : noProject),
              });

            const before = model.get(person.objectId);
            const expected =
              action.choice === "proceed"
                ? "refused"
                : before && before.choice === action.choice && before.rationale === action.rationale
                  ? "unchanged"
                  : "recorded";

            const second = action.click.endsWith("two-instances") ? otherInstance : log;
            let statuses: string[];
            if (action.click === "once") statuses = [(await send(log)).status];
            else if (action.click.startsWith("twice-in-turn"))
              statuses = [(await send(log)).status, (await send(second)).status];
            else statuses = (await Promise.all([send(log), send(second)])).map((r) => r.status).sort();

            // The first delivery to land decides; the other is answered as the duplicate it is. Checked after the
            // log, so a wrong answer never hides a wrong log.
            const wanted =
              action.click === "once"
                ? [expected]
                : expected !== "recorded"
                  ? [expected, expected]
                  : action.click.startsWith("twice-in-turn")
                    ? ["recorded", "duplicate"]
                    : ["duplicate", "recorded"];
            if (JSON.stringify(statuses) !== JSON.stringify(wanted))
              wrongAnswers.push({ action: answers, click: action.click, wanted, got: statuses });
            answers++;

            keyOutcomes.push({ key, recorded: expected === "recorded" });
            if (expected === "recorded") {
              const vote = { choice: action.choice, rationale: action.rationale };
              expectedCasts.push({
                key,
                voter: person.objectId,
                vote,
                ...(before ? { previous: before } : {}),
              });
              model.set(person.objectId, vote);
            }
          }

          // The stored decision (read by an instance that has seen nothing): each member's last valid vote.
          const fresh = governanceLog(azurite);
          const stored = (await fresh.readState(projectId))?.decisions.find((d) => d.id === decisionId);
          expect(stored?.state).toBe("open");
          const votes = stored?.votes ?? [];
          const byVoter = (a: { voter: string }, b: { voter: string }) => a.voter.localeCompare(b.voter);
          expect(
            votes
              .map((v) => ({
                voter: v.voter.objectId,
                name: v.voter.name,
                choice: v.choice,
                rationale: v.rationale,
                newDate: v.newDate,
                conditions: v.conditions?.map((c) => `${c.blockerId}|${c.owner.objectId}|${c.due}`),
              }))
              .sort(byVoter),
          ).toEqual(
            [...model.entries()]
              .map(([voter, v]) => ({
                voter,
                name: members.find((m) => m.objectId === voter)?.name,
                choice: v.choice,
                rationale: v.rationale,
                newDate: v.choice === "delay" ? LATER : undefined,
                conditions:
                  v.choice === "conditional" ? blockers.map((b) => `${b.id}|${voter}|${LATER}`) : undefined,
              }))
              .sort(byVoter),
          );
          const modelTally = { proceed: 0, delay: 0, conditional: 0 };
          for (const v of model.values()) modelTally[v.choice]++;
          expect(tallyOf(votes)).toEqual(modelTally);

          // The log holds every step: one entry per vote that changed something, in order, and nothing else.
          const entries = [];
          for await (const e of fresh.entries(projectId)) {
            if ("unreadable" in e) throw new Error(`entry ${e.seq} is unreadable`);
            entries.push(e);
          }
          const voteEntries = entries.slice(setupEntries);
          expect(voteEntries.length).toBe(expectedCasts.length);
          expect(
            voteEntries.map((e) =>
              e.events.map((ev) =>
                ev.kind === "decision.vote-cast"
                  ? {
                      key: e.idempotencyKey,
                      voter: ev.vote.voter.objectId,
                      vote: { choice: ev.vote.choice, rationale: ev.vote.rationale },
                      ...(ev.previous
                        ? { previous: { choice: ev.previous.choice, rationale: ev.previous.rationale } }
                        : {}),
                    }
                  : { unexpected: ev.kind },
              ),
            ),
          ).toEqual(expectedCasts.map((c) => [c]));
          const allCasts = entries.flatMap((e) => e.events).filter((ev) => ev.kind === "decision.vote-cast");
          expect(allCasts.length).toBe(expectedCasts.length);
          // A double click (same key) added at most one entry, and exactly one when it changed the vote.
          for (const { key, recorded: wasRecorded } of keyOutcomes) {
            expect(entries.filter((e) => e.idempotencyKey === key).length).toBe(wasRecorded ? 1 : 0);
          }

          expect(await fresh.verify(projectId)).toMatchObject({
            ok: true,
            length: setupEntries + expectedCasts.length,
            stateChecked: true,
          });
          expect(wrongAnswers).toEqual([]);
        },
      ),
      { numRuns: 50 },
    );
  }, 120_000);
});
