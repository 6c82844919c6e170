import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { goLiveLog, TIME_ZONE } from "../../bench/evidenceLog.js";
import { type LogEntry, LogEntrySchema, verifyChain } from "../../governance/chain.js";
import { replayProject } from "../../governance/decisions.js";
import { buildPack, checkPack, type PackReader, type PackSink } from "../../governance/evidenceManifest.js";
import { localDateIn, MANIFEST_FILE, PACK_FILES } from "../../governance/evidencePack.js";

/**
 * The evidence-pack bench's generated log (bench/evidenceLog.ts): its entries are what the product writes — each
 * parses as a log entry, the whole is an unbroken chain, it replays, and the pack built from it verifies.
 */
const PROJECT = "p-generated-go-live";
const START = new Date("2026-09-01T08:30:00Z");
const ENTRIES = 3_000;
const generated = (entries = ENTRIES) => [...goLiveLog({ projectId: PROJECT, entries, start: START })];

describe("the generated go-live log", () => {
  const entries = generated();
  const last = entries.at(-1) as LogEntry;

  it("stops at exactly the number of entries asked for, and is the same every time", () => {
    expect(entries).toHaveLength(ENTRIES);
    expect(generated().at(-1)?.hash).toBe(last.hash);
    expect(generated(10)).toHaveLength(10);
    expect(generated(10).map((e) => e.hash)).toEqual(entries.slice(0, 10).map((e) => e.hash));
  });

  it("is made of valid log entries, in time order, telling the whole story", () => {
    const kinds = new Set<string>();
    let previous = "";
    for (const entry of entries) {
      const parsed = LogEntrySchema.safeParse(entry);
      expect(parsed.success, `entry ${entry.seq}: ${JSON.stringify(parsed.error?.issues[0])}`).toBe(true);
      expect(entry.at > previous, `entry ${entry.seq} is not later than the one before`).toBe(true);
      previous = entry.at;
      for (const event of entry.events) kinds.add(event.kind);
    }
    for (const kind of [
      "project.created",
      "role.assigned",
      "readiness.training-recorded",
      "readiness.assurance-recorded",
      "readiness.item-recorded",
      "readiness.support-plan-recorded",
      "decision.opened",
      "decision.vote-cast",
      "decision.closed",
      "project.phase-changed",
      "condition.met",
      "issue.raised",
      "issue.triaged",
      "issue.assigned",
      "issue.updated",
      "issue.control-recorded",
      "issue.resolved",
      "issue.reopened",
      "issue.verified",
      "review.claimed",
      "review.posted",
      "support.decided",
      "audit.recorded",
      "pulse.opened",
      "pulse.answered",
      "risk.added",
      "risk.closed",
      "slt.decided",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    // About 120 days from set-up to the last entry.
    const days = (Date.parse(last.at) - START.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(110);
    expect(days).toBeLessThan(135);
  });

  it("forms an unbroken chain and replays to a live project with its board decision and issues", () => {
    expect(verifyChain(PROJECT, entries, { seq: last.seq, hash: last.hash })).toMatchObject({
      ok: true,
      length: ENTRIES,
    });
    const { state, issues } = replayProject(entries);
    expect(state?.project.settings).toMatchObject({ timeZone: TIME_ZONE, sites: expect.any(Array) });
    expect(state?.project.settings.sites).toHaveLength(2);
    expect(state?.project.phase).toBe("stabilisation");
    expect(state?.decisions[0]).toMatchObject({ state: "closed", minutes: { outcome: "conditional" } });
    expect(state?.conditions[0]).toMatchObject({ state: "met" });
    expect(state?.stabilisation.decisions[0]?.choice).toBe("extend");
    expect(issues.size).toBeGreaterThan(200);
    for (const issue of issues.values()) {
      expect(issue.description.length, issue.id).toBeGreaterThanOrEqual(100);
      expect(issue.description.length, issue.id).toBeLessThanOrEqual(300);
    }
  });

  it("gives a pack that checkPack verifies", async () => {
    const files = new Map<string, string[]>();
    const sink: PackSink = {
      write(file, text) {
        const chunks = files.get(file) ?? [];
        chunks.push(text);
        files.set(file, chunks);
      },
    };
    const dateOf = localDateIn(TIME_ZONE);
    const built = await buildPack({
      entries,
      bound: { upTo: { seq: last.seq, hash: last.hash } },
      request: {
        projectId: PROJECT,
        range: { from: dateOf(START.toISOString()), to: dateOf(last.at), timeZone: TIME_ZONE },
        producedAt: new Date(Date.parse(last.at) + 3_600_000).toISOString(),
        producedBy: { objectId: "c0ffee00-0000-4000-8000-000000000001", name: "Priya Shah" },
      },
      sink,
    });
    const text = (name: string) => files.get(name)?.join("");
    const reader: PackReader = {
      list: async () => [...files.keys()],
      readText: async (name) => text(name),
      hash: async (name) => {
        const whole = text(name);
        if (whole === undefined) return undefined;
        return {
          sha256: createHash("sha256").update(whole).digest("hex"),
          bytes: Buffer.byteLength(whole),
        };
      },
      async *lines(name) {
        const lines = (text(name) ?? "").split("\n");
        if (lines.at(-1) === "") lines.pop();
        yield* lines;
      },
    };
    const result = await checkPack(reader);
    expect(result).toMatchObject({ ok: true, entries: ENTRIES, files: PACK_FILES.length + 1 });
    expect([...files.keys()].sort()).toEqual([...PACK_FILES.map((f) => f.name), MANIFEST_FILE].sort());
    expect(built.model.summary.issuesRaised).toBeGreaterThan(200);
    expect(built.model.dailyDecisions.length).toBeGreaterThan(90);
  });
});
