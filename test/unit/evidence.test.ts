import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  GENESIS_HASH,
  hashAndLine,
  hashEntry,
  type LogEntry,
  sealEntry,
} from "../../governance/chain.js";
import { replayState } from "../../governance/decisions.js";
import { formatDuration } from "../../governance/duration.js";
import type { Actor, GovernanceEvent } from "../../governance/events.js";
import { csvCell, csvLine } from "../../governance/evidenceCsv.js";
import { buildPack, type PackSink } from "../../governance/evidenceManifest.js";
import { EvidenceAssembler, resolveEvidenceRange } from "../../governance/evidencePack.js";
import { EVIDENCE_ROLES, parseEvidenceDate, refuseEvidenceExport } from "../../governance/evidenceRules.js";
import { ROLES } from "../../governance/roles.js";
import { localDate } from "../../governance/schedule.js";

/**
 * The evidence pack (domain page §5) from small logs: what it counts, over which days, for whom, and what a
 * spreadsheet would see. Each log here is a real hash chain of the product's own events.
 */
const PROJECT = "p-evidence";
const lead: Actor = { objectId: "aa000000-0000-4000-8000-000000000001", name: "Priya Shah" };
const manager: Actor = { objectId: "aa000000-0000-4000-8000-000000000003", name: "Grace Mensah" };
const teamLeader: Actor = { objectId: "aa000000-0000-4000-8000-000000000002", name: "Tom Okafor" };
const LONDON = "Europe/London";

function chain(steps: Array<{ at: string; actor?: Actor; events: GovernanceEvent[] }>): LogEntry[] {
  let prevHash = GENESIS_HASH;
  return steps.map((step, i) => {
    const entry = sealEntry({
      projectId: PROJECT,
      seq: i + 1,
      at: step.at,
      actor: step.actor ?? lead,
      idempotencyKey: `k-${i + 1}`,
      events: step.events,
      prevHash,
    });
    prevHash = entry.hash;
    return entry;
  });
}

const created = (at: string) => ({
  at,
  events: [
    {
      kind: "project.created",
      projectId: PROJECT,
      name: "Rosewood go-live",
      binding: { tenantId: "t-1", channelId: "19:rosewood@thread.tacv2" },
      phase: "preparing",
      settings: { sites: ["Rosewood House"], timeZone: LONDON, digestTime: "08:00" },
    },
    { kind: "role.assigned", assignment: { role: "project-lead", person: lead } },
    {
      kind: "role.assigned",
      assignment: { role: "registered-manager", person: manager, site: "Rosewood House" },
    },
    { kind: "role.assigned", assignment: { role: "team-leader", person: teamLeader } },
  ] as GovernanceEvent[],
});

const raised = (at: string, id: string, careImpacting: boolean, priority: "P1" | "P2" | "P3" | "P4") => ({
  at,
  actor: teamLeader,
  events: [
    {
      kind: "issue.raised",
      issueId: id,
      type: "system",
      priority,
      priorityProposed: false,
      careImpacting,
      workaround: false,
      site: "Rosewood House",
      description: `eMAR will not save a dose on the Willow unit (${id}).`,
    },
  ] as GovernanceEvent[],
});
const control = (at: string, id: string) => ({
  at,
  actor: manager,
  events: [
    {
      kind: "issue.control-recorded",
      issueId: id,
      control: { kind: "additional-checks", text: "Senior carer double-checks every dose on paper MAR." },
    },
  ] as GovernanceEvent[],
});
const resolved = (at: string, id: string) => ({
  at,
  events: [
    { kind: "issue.resolved", issueId: id, evidence: "Supplier patch applied; ten doses saved." },
  ] as GovernanceEvent[],
});

async function packOf(entries: LogEntry[], range: { from: string; to: string }) {
  const files = new Map<string, string>();
  const sink: PackSink = {
    write(file, text) {
      files.set(file, (files.get(file) ?? "") + text);
    },
  };
  const last = entries.at(-1) as LogEntry;
  const built = await buildPack({
    entries,
    bound: { upTo: { seq: last.seq, hash: last.hash } },
    request: {
      projectId: PROJECT,
      range: { ...range, timeZone: LONDON },
      producedAt: "2026-11-30T12:00:00.000Z",
      producedBy: lead,
    },
    sink,
  });
  return { ...built, files };
}

describe("time to temporary control and time to closure", () => {
  it("runs from when the issue became care-impacting to its first control, and from raising to resolution", async () => {
    const entries = chain([
      created("2026-11-10T08:00:00.000Z"),
      raised("2026-11-13T09:00:00.000Z", "GL-1", true, "P1"),
      control("2026-11-13T09:35:00.000Z", "GL-1"),
      resolved("2026-11-13T12:00:00.000Z", "GL-1"),
      raised("2026-11-13T10:00:00.000Z", "GL-2", true, "P1"),
      control("2026-11-13T13:00:00.000Z", "GL-2"),
      raised("2026-11-14T09:00:00.000Z", "GL-3", false, "P3"),
    ]);
    const { model } = await packOf(entries, { from: "2026-11-13", to: "2026-11-14" });
    const p1 = model.issueTimes.find((t) => t.priority === "P1");
    // GL-1: 35 min; GL-2: 3 h, past the 2-hour default. The median of two is their mean.
    expect(p1).toMatchObject({
      issues: 2,
      careImpacting: 2,
      controlled: 2,
      medianMinutesToControl: 108,
      worstMinutesToControl: 180,
      controlsWithinTarget: 1,
      controlTargetMinutes: 120,
      resolved: 1,
      medianMinutesToClosure: 180,
      resolvedWithinTarget: 1,
    });
    expect(model.controls.map((c) => c.minutesAfterCareImpacting)).toEqual([35, 180]);
    expect(model.summary).toMatchObject({ issuesRaised: 3, issuesResolved: 1, issuesOpenAtEnd: 2 });
    expect(model.summary.points[1]).toBe(
      "Of the issues raised in the period, 2 were care-impacting; 2 had a temporary control recorded by a registered manager, 1 of them within 2 h.",
    );
  });

  it("is said the way a care manager says it", () => {
    expect(formatDuration(35)).toBe("35 min");
    expect(formatDuration(95)).toBe("1 h 35 min");
    expect(formatDuration(24 * 60)).toBe("1 day");
    expect(formatDuration(3 * 24 * 60 + 120)).toBe("3 days 2 h");
  });
});

describe("the period a pack covers", () => {
  it("counts by the project's local days: 23:30 UTC in summer is the next day in London", async () => {
    const entries = chain([
      created("2026-06-01T08:00:00.000Z"),
      raised("2026-06-09T23:30:00.000Z", "GL-1", false, "P3"), // 10 June, 00:30 BST
      raised("2026-06-10T22:59:00.000Z", "GL-2", false, "P3"), // 10 June, 23:59 BST
      raised("2026-06-10T23:00:00.000Z", "GL-3", false, "P3"), // 11 June
    ]);
    const { model, files } = await packOf(entries, { from: "2026-06-10", to: "2026-06-10" });
    expect(model.summary.issuesRaised).toBe(2);
    expect(model.days).toEqual([{ date: "2026-06-10", raised: 2, resolved: 0 }]);
    // The pack ends with its period: log.jsonl is the chain from its first entry to the period's last.
    expect(files.get("command-log.csv")).not.toContain("GL-3");
    expect(files.get("log.jsonl")?.trim().split("\n")).toHaveLength(3);
  });

  it("defaults to the project's start up to today, and refuses a period that ends in the future or runs backwards", () => {
    const state = replayState(chain([created("2026-11-02T10:00:00.000Z")]));
    if (!state) throw new Error("no project");
    const now = new Date("2026-11-27T09:00:00Z");
    expect(resolveEvidenceRange(state.project, {}, now)).toEqual({
      range: { from: "2026-11-02", to: "2026-11-27", timeZone: LONDON },
    });
    expect(resolveEvidenceRange(state.project, { to: "2026-11-28" }, now)).toMatchObject({
      problem: expect.stringContaining("up to today (2026-11-27)"),
    });
    expect(resolveEvidenceRange(state.project, { from: "2026-11-20", to: "2026-11-10" }, now)).toMatchObject({
      problem: expect.stringContaining("evidence from 2026-11-10 to 2026-11-20"),
    });
  });

  it("reads dates as people type them in England", () => {
    expect(parseEvidenceDate("2026-11-01")).toBe("2026-11-01");
    expect(parseEvidenceDate("01/11/2026")).toBe("2026-11-01");
    expect(parseEvidenceDate("1.11.2026")).toBe("2026-11-01");
    expect(parseEvidenceDate("31/02/2026")).toBeUndefined();
    expect(parseEvidenceDate("11/31/2026")).toBeUndefined();
    expect(parseEvidenceDate("next week")).toBeUndefined();
  });
});

describe("who may take the evidence out of Teams", () => {
  it("is the project lead, a registered manager, the quality lead, the board and the SLT — no one else", () => {
    const state = replayState(chain([created("2026-11-02T10:00:00.000Z")]));
    if (!state) throw new Error("no project");
    const everyone = ROLES.map((role, i) => ({
      role,
      person: { objectId: `bb000000-0000-4000-8000-00000000000${i}`, name: `Person ${i}` },
    }));
    const withRoles = { ...state, roles: everyone };
    for (const { role, person } of everyone) {
      const refusal = refuseEvidenceExport(withRoles, person, "t-1");
      if (EVIDENCE_ROLES.includes(role)) expect(refusal, role).toBeUndefined();
      else expect(refusal?.outcome, role).toBe("refused");
    }
    const refusal = refuseEvidenceExport(withRoles, everyone[6]?.person as Actor, "t-1");
    expect(refusal).toMatchObject({ message: expect.stringContaining("project lead, registered manager") });
    // Someone from another organisation's tenant is refused even with a role.
    expect(refuseEvidenceExport(withRoles, lead, "t-other")?.outcome).toBe("refused");
  });
});

describe("CSV a spreadsheet opens safely", () => {
  it("quotes commas, quotes and line breaks, and never lets typed text run as a formula", () => {
    expect(csvCell('Said "no", then left')).toBe('"Said ""no"", then left"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+44 20 7946 0000")).toBe("'+44 20 7946 0000");
    expect(csvCell("@risk")).toBe("'@risk");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(true)).toBe("yes");
    expect(csvLine(["a", undefined, 3])).toBe("a,,3\r\n");
  });
});

describe("a staff confidence pulse in the pack", () => {
  it("shows no names, and no breakdown of an anonymous pulse while a group is too small to hide a person", async () => {
    const answer = (slot: string, role: string, score: number) => ({
      kind: "pulse.answered" as const,
      pulseId: "P1",
      slot,
      role,
      site: "Rosewood House",
      score,
      comment: "I still write the MAR on paper first.",
    });
    const entries = chain([
      created("2026-11-02T10:00:00.000Z"),
      {
        at: "2026-11-20T09:00:00.000Z",
        events: [
          {
            kind: "pulse.opened",
            pulseId: "P1",
            anonymous: true,
            question: "Can you complete your core workflows?",
          },
        ],
      },
      ...["s1", "s2", "s3"].map((slot, i) => ({
        at: `2026-11-20T10:0${i}:00.000Z`,
        actor: { objectId: "anonymous", name: "Anonymous respondent" },
        events: [answer(slot, "Carers", 4 + (i % 2))] as GovernanceEvent[],
      })),
      {
        at: "2026-11-20T11:00:00.000Z",
        actor: { objectId: "anonymous", name: "Anonymous respondent" },
        events: [answer("s9", "Nurses", 2)] as GovernanceEvent[],
      },
    ]);
    const { model, files } = await packOf(entries, { from: "2026-11-02", to: "2026-11-27" });
    // Three carers and one nurse: by group, the nurse's answer would be theirs alone.
    expect(model.confidence.map((c) => [c.role, c.answers, c.confidentPercent])).toEqual([
      ["All staff (a group of fewer than three is not shown on its own)", 4, 75],
    ]);
    const csv = files.get("staff-confidence.csv") ?? "";
    expect(csv).not.toContain("Nurses");
    expect(csv).not.toContain("s9");
    expect(csv).not.toContain("MAR on paper");
  });
});

describe("the assembler", () => {
  it("refuses an entry that does not chain on, naming it", () => {
    const entries = chain([
      created("2026-11-02T10:00:00.000Z"),
      raised("2026-11-03T10:00:00.000Z", "GL-1", false, "P4"),
    ]);
    const assembler = new EvidenceAssembler({
      projectId: PROJECT,
      range: { from: "2026-11-01", to: "2026-11-30", timeZone: LONDON },
      producedAt: "2026-11-30T12:00:00.000Z",
      producedBy: lead,
    });
    assembler.add(entries[0] as LogEntry);
    expect(() => assembler.add({ ...(entries[1] as LogEntry), prevHash: "f".repeat(64) })).toThrow(
      "Entry 1 is not the entry that entry 2 was chained to.",
    );
  });
});

describe("the pieces a long log is replayed with", () => {
  it("writes an entry's log.jsonl line exactly as its canonical JSON, with or without a reason", () => {
    const entries = chain([
      created("2026-11-02T10:00:00.000Z"),
      { ...raised("2026-11-03T10:00:00.000Z", "GL-1", false, "P4") },
    ]);
    const withWhy = sealEntry({ ...(entries[1] as LogEntry), why: 'Board asked: "why now?"' });
    for (const entry of [...entries, withWhy]) {
      const { hash, line } = hashAndLine(entry);
      expect(hash).toBe(hashEntry(entry));
      expect(line).toBe(canonicalJson(entry));
    }
  });

  it("knows the local date of every minute around both changes of the clocks", () => {
    for (const [start, end] of [
      ["2026-03-28T20:00:00Z", "2026-03-30T04:00:00Z"],
      ["2026-10-24T20:00:00Z", "2026-10-26T04:00:00Z"],
    ]) {
      const format = new Intl.DateTimeFormat("en-CA", {
        timeZone: LONDON,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
      for (let t = Date.parse(start as string); t < Date.parse(end as string); t += 60_000) {
        const expected = format
          .formatToParts(new Date(t))
          .filter((p) => p.type !== "literal")
          .map((p) => p.value)
          .join("-");
        expect(localDate(new Date(t), LONDON)).toBe(expected);
      }
    }
  });
});
