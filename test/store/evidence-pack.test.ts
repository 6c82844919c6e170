import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoClock, loadDemo } from "../../functions/demo.js";
import { DEMO_BINDING } from "../../functions/demoData.js";
import { canonicalJson, hashEntry, type LogEntry } from "../../governance/chain.js";
import { checkPack, type PackManifest, sha256Hex } from "../../governance/evidenceManifest.js";
import { EvidenceChainError, localDateIn, MANIFEST_FILE, PACK_FILES } from "../../governance/evidencePack.js";
import type { RunningAzurite } from "../../store/azurite.js";
import { folderPackReader } from "../../store/evidenceFiles.js";
import { exportEvidencePack } from "../../store/evidencePack.js";
import type { GovernanceLog } from "../../store/governanceLog.js";
import { azuriteForTests, governanceLog } from "../support/storage.js";

/**
 * The evidence pack of the demo project (a readiness decision, a fortnight live, stabilisation), made from its
 * governance log in Azurite and then tampered with in every way an inspector's check must catch.
 */
const NOW = new Date("2026-11-27T09:00:00Z");
let azurite: RunningAzurite;
let log: GovernanceLog;
let projectId: string;
let work: string;
let pack: string;

const request = (range: { from: string; to: string }) => ({
  projectId,
  range: { ...range, timeZone: "Europe/London" },
  producedAt: NOW.toISOString(),
  producedBy: { objectId: "aa000000-0000-4000-8000-000000000001", name: "Priya Shah" },
});

beforeAll(async () => {
  azurite = await azuriteForTests();
  const clock = new DemoClock();
  log = governanceLog(azurite, { clock: clock.now });
  ({ projectId } = await loadDemo(log, DEMO_BINDING, NOW, clock));
  work = await mkdtemp(join(tmpdir(), "evidence-test-"));
  pack = join(work, "pack");
  await exportEvidencePack(log, { folder: pack, request: request({ from: "2026-10-01", to: "2026-11-27" }) });
}, 60_000);
afterAll(async () => {
  await azurite?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

let copies = 0;
/** A fresh copy of the pack to tamper with. */
async function copyOfPack(): Promise<string> {
  const folder = join(work, `copy-${++copies}`);
  await cp(pack, folder, { recursive: true });
  return folder;
}

async function problemOf(folder: string): Promise<string> {
  const result = await checkPack(folderPackReader(folder));
  if (result.ok) throw new Error("the tampered pack verified");
  return result.problem;
}

async function logLines(folder: string): Promise<string[]> {
  return (await readFile(join(folder, "log.jsonl"), "utf8")).split("\n").filter((l) => l !== "");
}

describe("an evidence pack made from the governance log", () => {
  it("holds every file the manifest lists, and verifies", async () => {
    const names = (await readdir(pack)).sort();
    expect(names).toEqual([...PACK_FILES.map((f) => f.name), MANIFEST_FILE].sort());
    const result = await checkPack(folderPackReader(pack));
    expect(result).toMatchObject({ ok: true, files: PACK_FILES.length + 1 });
    const head = await log.head(projectId);
    expect(result.ok && result.entries).toBe(head?.seq);
    // log.jsonl is the chain from its first entry to the head: each line an entry that matches its hash.
    const lines = await logLines(pack);
    expect(lines).toHaveLength(head?.seq ?? 0);
    const last = JSON.parse(lines.at(-1) as string) as LogEntry;
    expect(last.hash).toBe(head?.hash);
    expect(hashEntry(last)).toBe(last.hash);
  });

  it("is the same, byte for byte, when made again from the same log for the same range", async () => {
    const again = join(work, "again");
    const built = await exportEvidencePack(log, {
      folder: again,
      request: request({ from: "2026-10-01", to: "2026-11-27" }),
    });
    const manifest = await readFile(join(pack, MANIFEST_FILE), "utf8");
    expect(built.manifestText).toBe(manifest);
    expect(built.manifestSha256).toBe(sha256Hex(manifest));
  });

  it("names a file when any byte of it is changed", async () => {
    for (const { name } of [...PACK_FILES, { name: MANIFEST_FILE }]) {
      const original = await readFile(join(pack, name));
      // The first byte, one in the middle and the last: a flipped bit anywhere is caught.
      for (const at of [0, Math.floor(original.length / 2), original.length - 1]) {
        const folder = await copyOfPack();
        const changed = Buffer.from(original);
        changed[at] = (changed[at] ?? 0) ^ 0x01;
        await writeFile(join(folder, name), changed);
        const problem = await problemOf(folder);
        expect(problem, `${name} byte ${at}`).toContain(name);
        await rm(folder, { recursive: true });
      }
    }
  });

  it("names the entry of log.jsonl that was changed, even when its own hash was recomputed", async () => {
    const folder = await copyOfPack();
    const lines = await logLines(folder);
    const entry = JSON.parse(lines[99] as string) as LogEntry;
    const rewritten = { ...entry, why: "Rewritten after the event." };
    lines[99] = canonicalJson({ ...rewritten, hash: hashEntry(rewritten) });
    await writeFile(join(folder, "log.jsonl"), `${lines.join("\n")}\n`);
    // Entry 101 still records the old hash of entry 100.
    expect(await problemOf(folder)).toMatch(
      /log\.jsonl line 101: Entry 100 is not the entry that entry 101 was chained to/,
    );
  });

  it("names an entry that was dropped, and entries cut from the end", async () => {
    const dropped = await copyOfPack();
    const lines = await logLines(dropped);
    await writeFile(
      join(dropped, "log.jsonl"),
      `${[...lines.slice(0, 41), ...lines.slice(42)].join("\n")}\n`,
    );
    expect(await problemOf(dropped)).toMatch(/log\.jsonl line 42: Entry 42 is missing/);

    const cut = await copyOfPack();
    await writeFile(join(cut, "log.jsonl"), `${lines.slice(0, -3).join("\n")}\n`);
    expect(await problemOf(cut)).toMatch(
      /log\.jsonl does not end at the chain head in manifest\.json .*The log ends at entry \d+, but the chain head is entry \d+/,
    );
  });

  it("catches a CSV changed together with its hash in the manifest: the log rebuilds the real one", async () => {
    const folder = await copyOfPack();
    const csv = join(folder, "temporary-controls.csv");
    const forged = (await readFile(csv, "utf8")).replace(/,\d+,(\d+)\r\n/, ",5,$1\r\n");
    await writeFile(csv, forged);
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), "utf8")) as {
      files: Array<{ name: string; sha256: string; bytes: number }>;
    };
    const file = manifest.files.find((f) => f.name === "temporary-controls.csv");
    if (!file) throw new Error("no controls file in the manifest");
    file.sha256 = sha256Hex(forged);
    file.bytes = Buffer.byteLength(forged);
    await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    expect(await problemOf(folder)).toMatch(/^temporary-controls\.csv is not what the governance log/);
  });

  it("names the manifest when its project, producer or time is edited, though every file still matches it", async () => {
    for (const edit of [
      (m: PackManifest) => {
        m.project.name = `${m.project.name} (approved by CQC)`;
      },
      (m: PackManifest) => {
        m.producedBy.name = "The registered manager";
      },
      (m: PackManifest) => {
        // An hour later: the report says when it was produced (to the minute).
        m.producedAt = "2026-11-27T10:00:00.000Z";
      },
    ]) {
      const folder = await copyOfPack();
      const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), "utf8"));
      edit(manifest);
      await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      expect(await problemOf(folder)).toMatch(/manifest\.json/);
    }
  });

  it("names a log entry given a field its hash does not cover, even with log.jsonl's hash updated", async () => {
    const folder = await copyOfPack();
    const lines = await logLines(folder);
    const entry = JSON.parse(lines[4] as string) as LogEntry;
    lines[4] = canonicalJson({ ...entry, comment: "The board confirmed all staff were trained." });
    const text = `${lines.join("\n")}\n`;
    await writeFile(join(folder, "log.jsonl"), text);
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), "utf8")) as {
      files: Array<{ name: string; sha256: string; bytes: number }>;
    };
    const file = manifest.files.find((f) => f.name === "log.jsonl");
    if (!file) throw new Error("no log in the manifest");
    file.sha256 = sha256Hex(text);
    file.bytes = Buffer.byteLength(text);
    await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    expect(await problemOf(folder)).toBe("log.jsonl line 5 is not a log entry: it was edited.");
  });

  it("does not pass a pack of another version of the product on its manifest's word", async () => {
    const folder = await copyOfPack();
    const manifestPath = join(folder, MANIFEST_FILE);
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    manifest.format = "go-live-governance/evidence-pack@2";
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    expect(await problemOf(folder)).toMatch(/^This pack was made by another version of the product/);
  });

  it("names a file added to the pack, and one removed", async () => {
    const added = await copyOfPack();
    await writeFile(join(added, "notes.txt"), "added later");
    expect(await problemOf(added)).toBe(
      "notes.txt is in the pack's folder but not in manifest.json: it was added.",
    );
    const removed = await copyOfPack();
    await rm(join(removed, "training.csv"));
    expect(await problemOf(removed)).toBe("training.csv is missing from the pack.");
  });

  it("covers only the days asked for, in London time, and ends its log with the period's last entry", async () => {
    const week = join(work, "week");
    const built = await exportEvidencePack(log, {
      folder: week,
      request: request({ from: "2026-11-16", to: "2026-11-20" }),
    });
    const londonDate = localDateIn("Europe/London");
    const steps = (await readFile(join(week, "issue-history.csv"), "utf8"))
      .split("\r\n")
      .slice(1)
      .filter((l) => l !== "");
    expect(steps.length).toBeGreaterThan(0);
    for (const line of steps) {
      const day = londonDate(line.split(",")[0] as string);
      expect(day >= "2026-11-16" && day <= "2026-11-20", line).toBe(true);
    }
    expect(built.model.range).toMatchObject({ from: "2026-11-16", to: "2026-11-20" });
    // log.jsonl runs from the first entry to the last one of 20 November: nothing later leaves with the pack.
    const lines = await logLines(week);
    const lastOfPeriod = JSON.parse(lines.at(-1) as string) as LogEntry;
    expect(londonDate(lastOfPeriod.at) <= "2026-11-20").toBe(true);
    const next: LogEntry[] = [];
    for await (const e of log.entries(projectId))
      if (!("unreadable" in e) && e.seq === lastOfPeriod.seq + 1) next.push(e);
    expect(londonDate((next[0] as LogEntry).at) > "2026-11-20").toBe(true);
    expect(built.manifest.chain).toEqual({ headSeq: lastOfPeriod.seq, headHash: lastOfPeriod.hash });
    expect((await checkPack(folderPackReader(week))).ok).toBe(true);
  });

  it("is refused when the log after the period was changed or cut short: the whole chain is checked", async () => {
    const head = await log.head(projectId);
    if (!head) throw new Error("no head");
    const entries = log.entries.bind(log);
    const withLog = (change: (entry: LogEntry) => LogEntry | undefined) => {
      const tampered = Object.create(log) as GovernanceLog;
      tampered.entries = async function* (id: string, range?: { fromSeq?: number; toSeq?: number }) {
        for await (const entry of entries(id, range)) {
          if ("unreadable" in entry) yield entry;
          else {
            const changed = change(entry);
            if (changed) yield changed;
          }
        }
      };
      return tampered;
    };
    const early = request({ from: "2026-10-01", to: "2026-11-14" });
    // The newest entry rewritten with its own hash recomputed: the head still records the old one.
    const rewritten = withLog((e) => {
      if (e.seq !== head.seq) return e;
      const changed = { ...e, why: "rewritten" };
      return { ...changed, hash: hashEntry(changed) };
    });
    await expect(
      exportEvidencePack(rewritten, { folder: join(work, "late-1"), request: early }),
    ).rejects.toThrow(/not the entry the chain head records/);
    // The newest entry missing.
    const cut = withLog((e) => (e.seq === head.seq ? undefined : e));
    await expect(exportEvidencePack(cut, { folder: join(work, "late-2"), request: early })).rejects.toThrow(
      /entries are missing/,
    );
  });

  it("is refused, leaving nothing behind, when the log does not form its chain", async () => {
    const broken = join(work, "broken");
    const entries = log.entries.bind(log);
    const tampered = Object.create(log) as GovernanceLog;
    tampered.entries = async function* (id: string) {
      for await (const entry of entries(id)) {
        if (!("unreadable" in entry) && entry.seq === 7) yield { ...entry, why: "edited in storage" };
        else yield entry;
      }
    };
    await expect(
      exportEvidencePack(tampered, {
        folder: broken,
        request: request({ from: "2026-10-01", to: "2026-11-27" }),
      }),
    ).rejects.toBeInstanceOf(EvidenceChainError);
    expect(await readdir(broken)).toEqual([]);
  });
});
