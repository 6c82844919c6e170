import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { crc32 } from "node:zlib";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISSUE_VERBS } from "../../adaptive-cards/issueCards.js";
import type { LogEntry } from "../../governance/chain.js";
import type { GovernanceEvent } from "../../governance/events.js";
import { checkPack } from "../../governance/evidenceManifest.js";
import { projectIdForChannel } from "../../governance/project.js";
import { EVIDENCE_CONTAINER } from "../../store/evidenceBlobs.js";
import { folderPackReader } from "../../store/evidenceFiles.js";
import { type BotHarness, startBotHarness } from "../support/botHarness.js";
import { validateCard } from "../support/cardValidation.js";
import { buttonAnywhere, TeamsChannel } from "../support/channel.js";
import { PEOPLE, type Someone, TENANT_ID } from "../support/fixtures.js";
import { type SentActivity, visibleText } from "../support/stubConnector.js";
import { channelMessage } from "../support/teams.js";

/**
 * `evidence [from {date}] [to {date}]` over the real path (domain page §5): the pack is built from the log, kept
 * in Azurite's Blob Storage, and its read-only links that expire are sent privately; every export is logged.
 *
 * Simulated time that still moves: the project is set up on Monday 2 November 2026 and the packs are asked for
 * on Friday 27 November 2026 (London is on GMT, so local dates are UTC dates). Links are signed and checked in
 * real time, by Azurite.
 */
let base = Date.parse("2026-11-02T09:00:00Z");
let started = Date.now();
const clock = () => new Date(base + (Date.now() - started));
const jumpTo = (iso: string) => {
  base = Date.parse(iso);
  started = Date.now();
};
const TODAY = "2026-11-27";

let h: BotHarness;
let blobs: BlobServiceClient;
beforeAll(async () => {
  h = await startBotHarness({ clock });
  blobs = BlobServiceClient.fromConnectionString(h.azurite.connectionString);
});
afterAll(async () => {
  await h?.close();
});

// Project lead; team leader; registered manager of Oak House; a project board member; the SLT; nobody.
const { priya, tom, grace, dev } = PEOPLE;
const ada: Someone = {
  objectId: "aa000000-0000-4000-8000-00000000000b",
  name: "Ada Whitfield",
  teamsId: "29:ada",
};
const sam: Someone = {
  objectId: "aa000000-0000-4000-8000-000000000009",
  name: "Sam Visitor",
  teamsId: "29:sam",
};

const PROJECT_NAME = "Riverside and Oak House go-live";

const action = buttonAnywhere;

/**
 * A project in a channel with every role the tests need, two issues raised from the floor and a temporary
 * control recorded by the registered manager, so the pack has a command log and controls to show.
 */
async function projectWithContent(harness: BotHarness, name = PROJECT_NAME): Promise<TeamsChannel> {
  for (const p of [ada, sam])
    harness.connector.addMembers({ id: p.teamsId, name: p.name, aadObjectId: p.objectId });
  const channel = new TeamsChannel(harness);
  await channel.say(priya, `setup ${name}`);
  await channel.press(priya, "project.settings", {
    ...channel.buttonData(channel.lastCardWith("project.settings"), "project.settings"),
    sites: "Oak House, Riverside",
    timeZone: "Europe/London",
    digestTime: "08:00",
  });
  await channel.say(priya, "role add registered manager @Grace Mensah site: Oak House", [grace]);
  await channel.say(priya, "role add team leader @Tom Okafor", [tom]);
  await channel.say(priya, "role add board @Dev Patel", [dev]);
  await channel.say(priya, "role add slt @Ada Whitfield", [ada]);
  await channel.say(
    tom,
    "raise system care workaround site: oak house; eMAR not loading on the night tablets",
  );
  const raised = channel.lastCardWith(ISSUE_VERBS.triage);
  const control = await channel.press(grace, ISSUE_VERBS.control, {
    ...action(raised, ISSUE_VERBS.triage),
    controlKind: "additional-checks",
    controlText: "Night medication rounds on paper MAR, second signature by the senior carer",
  });
  expect(JSON.stringify(control.card)).toContain("second signature by the senior carer");
  await channel.say(tom, "raise access P3 site: riverside; Two agency carers cannot log in to the ECM");
  return channel;
}

async function entriesOf(harness: BotHarness, projectId: string): Promise<LogEntry[]> {
  const all: LogEntry[] = [];
  for await (const e of harness.runtime.log.entries(projectId)) {
    if ("unreadable" in e) throw new Error(`log entry ${e.seq} is unreadable: ${e.unreadable}`);
    all.push(e);
  }
  return all;
}

type Exported = Extract<GovernanceEvent, { kind: "evidence.exported" }>;
type Refused = Extract<GovernanceEvent, { kind: "access.refused" }>;

async function exportsOf(
  harness: BotHarness,
  projectId: string,
): Promise<Array<{ entry: LogEntry; event: Exported }>> {
  return (await entriesOf(harness, projectId)).flatMap((entry) =>
    entry.events
      .filter((e): e is Exported => e.kind === "evidence.exported")
      .map((event) => ({ entry, event })),
  );
}

/** Every blob kept for a project, whatever the export: none when the container was never made. */
async function blobsOf(projectId: string): Promise<string[]> {
  const container = blobs.getContainerClient(EVIDENCE_CONTAINER);
  if (!(await container.exists())) return [];
  const names: string[] = [];
  for await (const item of container.listBlobsFlat({ prefix: `${projectId}/` })) names.push(item.name);
  return names;
}

/** One message in the channel, as Teams delivers it; what the bot sent in the channel and privately. */
async function ask(
  harness: BotHarness,
  channel: TeamsChannel,
  from: Someone,
  text: string,
  activity: unknown = channelMessage(channel.where, from, text),
): Promise<{ channelText: string; channelSent: SentActivity[]; privately: SentActivity[] }> {
  harness.connector.clear();
  const response = await harness.post(activity);
  expect(response.status).toBe(200);
  const channelSent = harness.connector.sent.filter((s) =>
    s.conversationId.startsWith(channel.where.channel.channelId),
  );
  const privately = harness.connector.sent.filter(
    (s) => !s.conversationId.startsWith(channel.where.channel.channelId),
  );
  return { channelText: channelSent.map((s) => visibleText(s.activity)).join("\n"), channelSent, privately };
}

/** The two links of the private pack card: the zip first, then the report. */
function linksOf(card: Record<string, unknown>): { zip: string; report: string } {
  const actions = (card.actions ?? []) as Array<{ type?: string; title?: string; url?: string }>;
  const open = actions.filter((a) => a.type === "Action.OpenUrl");
  expect(open).toHaveLength(2);
  const zip = open.find((a) => /zip/i.test(a.title ?? ""))?.url;
  const report = open.find((a) => /report/i.test(a.title ?? ""))?.url;
  if (!zip || !report) throw new Error(`the pack card's links: ${JSON.stringify(open)}`);
  return { zip, report };
}

function cardOf(activity: SentActivity): Record<string, unknown> {
  const card = activity.activity.attachments?.find(
    (a) => a.contentType === "application/vnd.microsoft.card.adaptive",
  )?.content;
  if (!card) throw new Error("the private message carries no card");
  return card;
}

/**
 * The files of a zip whose entries are stored (not compressed), as the product writes them: each local header
 * read in turn, its size and CRC-32 checked, and the central directory's count checked at the end.
 */
function unzipStored(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let p = 0;
  while (zip.readUInt32LE(p) === 0x04034b50) {
    const flags = zip.readUInt16LE(p + 6);
    const method = zip.readUInt16LE(p + 8);
    const crc = zip.readUInt32LE(p + 14);
    const compressed = zip.readUInt32LE(p + 18);
    const size = zip.readUInt32LE(p + 22);
    const nameLength = zip.readUInt16LE(p + 26);
    const extraLength = zip.readUInt16LE(p + 28);
    const name = zip.subarray(p + 30, p + 30 + nameLength).toString("utf8");
    expect(method, `${name} is stored, not compressed`).toBe(0);
    expect(flags & 0x0008, `${name} has its sizes in its header`).toBe(0);
    expect(compressed).toBe(size);
    const start = p + 30 + nameLength + extraLength;
    const data = zip.subarray(start, start + size);
    expect(data.length, `${name} is whole`).toBe(size);
    expect(crc32(data) >>> 0, `${name}'s CRC-32`).toBe(crc);
    files.set(name, data);
    p = start + size;
  }
  expect(zip.readUInt32LE(p), "the central directory follows the files").toBe(0x02014b50);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(p);
  expect(zip.readUInt16LE(end + 10), "the zip's entry count").toBe(files.size);
  return files;
}

/** Writes the zip's files under a new temporary folder; returns the folder that holds manifest.json. */
async function unzipToFolder(zip: Buffer): Promise<{ folder: string; release: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "evidence-test-"));
  let packFolder: string | undefined;
  for (const [name, data] of unzipStored(zip)) {
    const path = resolve(root, name);
    if (!path.startsWith(root + sep)) throw new Error(`zip entry outside its folder: ${name}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
    if (name.endsWith("/manifest.json") || name === "manifest.json") packFolder = dirname(path);
  }
  if (!packFolder) throw new Error("the zip has no manifest.json");
  return { folder: packFolder, release: () => rm(root, { recursive: true, force: true }) };
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** What storage answers a plain GET of a link, and the body. */
async function download(url: string): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(url);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** The evidence asked for, that must leave nothing behind: the answer, and the log, blobs and chats after. */
async function refusedWithoutTrace(
  channel: TeamsChannel,
  from: Someone,
  text: string,
): Promise<{ channelText: string; added: LogEntry[] }> {
  const projectId = projectIdForChannel(channel.where.channel.channelId);
  const before = await entriesOf(h, projectId);
  const blobsBefore = await blobsOf(projectId);
  const chatsBefore = h.connector.created.length;
  const answer = await ask(h, channel, from, text);
  expect(answer.privately, "nothing is sent privately").toEqual([]);
  expect(h.connector.created.length, "no private chat is opened").toBe(chatsBefore);
  expect(await blobsOf(projectId), "nothing is uploaded").toEqual(blobsBefore);
  expect(answer.channelText).toContain("Nothing was");
  expect(answer.channelText).not.toMatch(/https?:\/\//);
  const after = await entriesOf(h, projectId);
  return { channelText: answer.channelText, added: after.slice(before.length) };
}

describe("evidence packs, through Teams", () => {
  let channel: TeamsChannel;
  let projectId: string;
  beforeAll(async () => {
    jumpTo("2026-11-02T09:00:00Z");
    channel = await projectWithContent(h);
    projectId = projectIdForChannel(channel.where.channel.channelId);
    jumpTo(`${TODAY}T10:00:00Z`);
  });

  it("refuses people without one of the roles, naming the roles that may, logging the refusal and producing nothing", async () => {
    for (const who of [tom, sam]) {
      const { channelText, added } = await refusedWithoutTrace(channel, who, "evidence");
      for (const role of [
        "project lead",
        "registered manager",
        "quality lead",
        "project board member",
        "senior leadership team",
      ]) {
        expect(channelText).toContain(role);
      }
      expect(channelText).toContain("can produce the evidence pack");
      // The refusal, and nothing else, is logged: by whom, what was attempted.
      expect(added).toHaveLength(1);
      expect(added[0]?.actor.objectId).toBe(who.objectId);
      const refused = added[0]?.events.find((e): e is Refused => e.kind === "access.refused");
      expect(refused).toMatchObject({ kind: "access.refused", attempted: "evidence" });
      expect(refused?.reason).toContain("evidence pack");
    }
    expect(await exportsOf(h, projectId)).toEqual([]);
    expect(await blobsOf(projectId)).toEqual([]);
  });

  it("sends the project lead the pack privately, with links to a zip that verifies and to the report, and logs the export", async () => {
    const chatsBefore = h.connector.created.length;
    const { channelText, channelSent, privately } = await ask(h, channel, priya, "evidence");

    // In the channel: where the pack went, never a link.
    expect(channelText).toContain("private chat");
    expect(channelText).toContain("2 Nov 2026 to 27 Nov 2026");
    const shown = JSON.stringify(
      channelSent.map(({ activity: { text, attachments, suggestedActions, entities } }) => ({
        text,
        attachments,
        suggestedActions,
        entities,
      })),
    );
    expect(shown).not.toMatch(/https?:\/\//);
    expect(shown).not.toContain("sig=");
    expect(shown).not.toContain(EVIDENCE_CONTAINER);

    // One private chat, with the project lead, in the channel's tenant; the card goes there.
    expect(h.connector.created.length - chatsBefore).toBe(1);
    const chat = h.connector.created.at(-1);
    expect(chat?.members.map((m) => m.id)).toEqual([priya.teamsId]);
    expect(chat?.tenantId).toBe(TENANT_ID);
    expect(privately).toHaveLength(1);
    expect(privately[0]?.conversationId).toBe(chat?.id);
    const card = cardOf(privately[0] as SentActivity);
    expect(validateCard(card)).toEqual([]);
    expect(visibleText(privately[0]?.activity ?? {})).toContain(PROJECT_NAME);
    const links = linksOf(card);
    for (const url of [links.zip, links.report]) {
      const sas = new URL(url).searchParams;
      expect(sas.get("sp"), "read-only").toBe("r");
      expect(sas.get("sig")).toBeTruthy();
    }

    // Both links download: the zip, and the report for people.
    const zip = await download(links.zip);
    expect(zip.status).toBe(200);
    expect(zip.body.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const report = await download(links.report);
    expect(report.status).toBe(200);
    const html = report.body.toString("utf8");
    expect(html).toMatch(/<html/i);
    expect(html).toContain(PROJECT_NAME);
    // The pack has the go-live's content: the issues raised and the registered manager's control.
    expect(html).toContain("eMAR not loading on the night tablets");
    expect(html).toContain("Two agency carers cannot log in to the ECM");
    expect(html).toContain("second signature by the senior carer");

    // The zip unzipped is a whole pack that checks; its report is the one linked.
    const unzipped = await unzipToFolder(zip.body);
    try {
      const check = await checkPack(folderPackReader(unzipped.folder));
      expect(check, JSON.stringify(check)).toMatchObject({ ok: true });
      if (!check.ok) return;
      expect(check.manifest.project).toEqual({ id: projectId, name: PROJECT_NAME });
      expect(check.manifest.range).toMatchObject({ from: "2026-11-02", to: TODAY });
      expect(check.manifest.producedBy.objectId).toBe(priya.objectId);
      const files = unzipStored(zip.body);
      const manifestBytes = [...files].find(([name]) => name.endsWith("/manifest.json"))?.[1];
      const indexBytes = [...files].find(([name]) => name.endsWith("/index.html"))?.[1];
      expect(indexBytes && sha256(indexBytes)).toBe(sha256(report.body));
      expect(manifestBytes && sha256(manifestBytes)).toBe(check.manifestSha256);

      // The export is the log's newest entry: by the project lead, for the range, naming this manifest.
      const entries = await entriesOf(h, projectId);
      const newest = entries.at(-1);
      expect(newest?.actor.objectId).toBe(priya.objectId);
      expect(newest?.events).toEqual([
        expect.objectContaining({
          kind: "evidence.exported",
          from: "2026-11-02",
          to: TODAY,
          manifestSha256: check.manifestSha256,
          headSeq: check.manifest.chain.headSeq,
          headHash: check.manifest.chain.headHash,
          destination: "blob-storage",
        }),
      ]);
      // The pack was built at the head just before its own export entry, and says so in the card.
      expect(check.manifest.chain.headSeq).toBe((newest?.seq ?? 0) - 1);
      expect(visibleText(privately[0]?.activity ?? {})).toContain(check.manifestSha256);
      expect(channelText).toContain(`governance log entry ${newest?.seq}`);
    } finally {
      await unzipped.release();
    }

    // Storing and exporting kept the chain whole.
    expect(await channel.say(priya, "log verify")).toContain("Intact");
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true, stateChecked: true });
  });

  it("answers a date that is not one, a range backwards and a range into the future, recording nothing", async () => {
    const notADate = await refusedWithoutTrace(channel, priya, "evidence from 2026-13-01");
    expect(notADate.channelText).toContain('"2026-13-01" is not a date');
    expect(notADate.added).toEqual([]);

    const backwards = await refusedWithoutTrace(channel, priya, "evidence from 2026-11-20 to 2026-11-10");
    expect(backwards.channelText).toContain("The pack would start (2026-11-20) after it ends (2026-11-10)");
    expect(backwards.added).toEqual([]);

    const future = await refusedWithoutTrace(channel, priya, "evidence to 28/11/2026");
    expect(future.channelText).toContain(`A pack can cover days up to today (${TODAY}), not 2026-11-28`);
    expect(future.added).toEqual([]);
  });

  it("gives a board member, the SLT and the registered manager a pack for British dates", async () => {
    for (const who of [dev, ada, grace]) {
      const exportsBefore = (await exportsOf(h, projectId)).length;
      const chatsBefore = h.connector.created.length;
      const { channelText, privately } = await ask(h, channel, who, "evidence from 01/11/2026 to 27/11/2026");
      expect(channelText).toContain("I've sent you the evidence pack for 1 Nov 2026 to 27 Nov 2026");
      expect(channelText).not.toMatch(/https?:\/\//);
      expect(h.connector.created.slice(chatsBefore).map((c) => c.members.map((m) => m.id))).toEqual([
        [who.teamsId],
      ]);
      expect(privately).toHaveLength(1);
      expect(privately[0]?.conversationId).toBe(h.connector.created.at(-1)?.id);
      const exported = await exportsOf(h, projectId);
      expect(exported).toHaveLength(exportsBefore + 1);
      expect(exported.at(-1)?.entry.actor.objectId).toBe(who.objectId);
      expect(exported.at(-1)?.event).toMatchObject({ from: "2026-11-01", to: TODAY });
      const { zip } = linksOf(cardOf(privately[0] as SentActivity));
      expect((await download(zip)).status).toBe(200);
    }
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true, stateChecked: true });
  });
});

describe("evidence links and redelivery", () => {
  it("gives links that are read-only and stop working when they expire", async () => {
    const lifetimeMs = 2_000;
    const short = await startBotHarness({ azurite: h.azurite, clock, evidenceLinkLifetimeMs: lifetimeMs });
    try {
      const channel = await projectWithContent(short, "Short links go-live");
      const asked = Date.now();
      const { privately } = await ask(short, channel, priya, "evidence");
      expect(privately).toHaveLength(1);
      const { zip } = linksOf(cardOf(privately[0] as SentActivity));
      const expiresAt = Date.parse(new URL(zip).searchParams.get("se") ?? "");
      // The link lasts as long as configured (whole seconds, rounded up), no longer.
      expect(expiresAt).toBeGreaterThanOrEqual(asked + lifetimeMs - 1_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + lifetimeMs + 1_000);

      const first = await download(zip);
      expect(Date.now(), "the link was tried before it expired").toBeLessThan(expiresAt);
      expect(first.status).toBe(200);
      expect(first.body.subarray(0, 2).toString("latin1")).toBe("PK");

      // Read-only: neither overwritten nor deleted with the link.
      const put = await fetch(zip, {
        method: "PUT",
        headers: { "x-ms-blob-type": "BlockBlob", "content-type": "application/zip" },
        body: "not the pack",
      });
      expect(put.status).toBe(403);
      const del = await fetch(zip, { method: "DELETE" });
      expect(del.status).toBe(403);

      // Then it expires: polled until storage refuses it, never before the time it names.
      const deadline = expiresAt + 15_000;
      let status = 200;
      let refusedAt = 0;
      while (Date.now() < deadline) {
        const tried = await download(zip);
        status = tried.status;
        if (status !== 200) {
          refusedAt = Date.now();
          break;
        }
        if (Date.now() < expiresAt) expect(sha256(tried.body)).toBe(sha256(first.body));
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(403);
      expect(refusedAt).toBeGreaterThanOrEqual(expiresAt - 1_000);
    } finally {
      await short.close();
    }
  });

  it("logs one export when Teams delivers the same message twice", async () => {
    const channel = await projectWithContent(h, "Redelivered go-live");
    const projectId = projectIdForChannel(channel.where.channel.channelId);
    const activity = channelMessage(channel.where, priya, "evidence");
    const once = await ask(h, channel, priya, "evidence", activity);
    expect(once.privately).toHaveLength(1);
    const headAfterFirst = (await h.runtime.log.head(projectId))?.seq;
    const firstExport = await exportsOf(h, projectId);
    expect(firstExport).toHaveLength(1);

    const blobsAfterFirst = await blobsOf(projectId);
    const again = await ask(h, channel, priya, "evidence", activity);
    // Nothing is built, stored or sent again: the only pack handed out is the one the log records.
    expect(again.channelText).toContain("already answered");
    expect(again.privately).toHaveLength(0);
    expect(await blobsOf(projectId)).toEqual(blobsAfterFirst);
    expect(await exportsOf(h, projectId)).toHaveLength(1);
    expect((await h.runtime.log.head(projectId))?.seq).toBe(headAfterFirst);
    expect(await h.runtime.log.verify(projectId)).toMatchObject({ ok: true, stateChecked: true });
  });
});
