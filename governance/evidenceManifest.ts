import { createHash, type Hash } from "node:crypto";
import { z } from "zod";
import { type ChainHead, type LogEntry, LogEntrySchema } from "./chain.js";
import { renderEvidenceHtml } from "./evidenceHtml.js";
import type { EvidenceModel } from "./evidenceModel.js";
import {
  EvidenceAssembler,
  EvidenceChainError,
  MANIFEST_FILE,
  PACK_FILES,
  PACK_FORMAT,
  type PackFileName,
  type PackRequest,
} from "./evidencePack.js";
import { CalendarDateSchema, TimeZoneSchema } from "./project.js";

/**
 * The pack's manifest, how a pack is built through it, and how it is checked. The manifest holds the SHA-256 of
 * every file, the chain head the pack was built at, the range, and who produced it and when; the export's own
 * log entry holds the SHA-256 of the manifest. Checking a pack: the manifest parses, log.jsonl is an unbroken
 * chain up to the head the manifest names, every file has the bytes the manifest says, and every file is what
 * the log rebuilds — so an edited CSV is caught even when its hash in the manifest was edited too.
 */

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in hex");

export const PackManifestSchema = z.object({
  /** Which version of the product's pack this is: only this version's verifier can rebuild and so check it. */
  format: z.string().regex(/^go-live-governance\/evidence-pack@\d+$/, "a pack format"),
  project: z.object({ id: z.string().min(1).max(64), name: z.string().max(200) }),
  range: z.object({ from: CalendarDateSchema, to: CalendarDateSchema, timeZone: TimeZoneSchema }),
  chain: z.object({ headSeq: z.number().int().min(0), headHash: Sha256Schema }),
  producedAt: z
    .string()
    .max(40)
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, "a time such as 2026-11-27T09:00:00.000Z")
    .refine((t) => !Number.isNaN(Date.parse(t)), "a real time"),
  producedBy: z.object({ objectId: z.string().max(100), name: z.string().max(200) }),
  files: z.array(
    z.object({ name: z.string().max(100), bytes: z.number().int().min(0), sha256: Sha256Schema }),
  ),
});
export type PackManifest = z.infer<typeof PackManifestSchema>;

/** Where a pack's files go as they are made: a folder, Blob Storage, or nowhere (a check only hashes them). */
export interface PackSink {
  /** May return a promise to slow the builder down (a full write buffer). */
  write(file: PackFileName | typeof MANIFEST_FILE, text: string): void | Promise<void>;
}

export interface BuiltPack {
  manifest: PackManifest;
  manifestText: string;
  manifestSha256: string;
  model: EvidenceModel;
  bytes: number;
}

export const sha256Hex = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");

/**
 * Builds a pack: reads the entries once, in order, and writes every file through `sink`, hashing as it goes.
 * Exporting (`upTo`, the store's head), the pack ends with the last entry of its range: nothing later is in it,
 * not even in log.jsonl. Checking (`head`, the manifest's), the entries must end exactly at that head. Throws
 * EvidenceChainError when the entries do not form that chain.
 */
export async function buildPack(options: {
  entries: AsyncIterable<LogEntry> | Iterable<LogEntry>;
  request: PackRequest;
  sink: PackSink;
  bound: { upTo: ChainHead } | { head: ChainHead };
}): Promise<BuiltPack> {
  const { request, sink, bound } = options;
  const assembler = new EvidenceAssembler(request);
  // Lines are gathered per file and passed on in chunks of about 64 KB: hashing and writing a line at a time
  // costs more than building the lines.
  const files = new Map<string, { hash: Hash; bytes: number; pending: string[]; pendingLength: number }>(
    PACK_FILES.map((f) => [f.name, { hash: createHash("sha256"), bytes: 0, pending: [], pendingLength: 0 }]),
  );
  const flush = async (file: PackFileName) => {
    const f = files.get(file) as { hash: Hash; bytes: number; pending: string[]; pendingLength: number };
    if (f.pending.length === 0) return;
    const text = f.pending.join("");
    f.pending = [];
    f.pendingLength = 0;
    f.hash.update(text);
    f.bytes += Buffer.byteLength(text);
    await sink.write(file, text);
  };
  const write = async (file: PackFileName, text: string) => {
    const f = files.get(file) as { pending: string[]; pendingLength: number };
    f.pending.push(text);
    f.pendingLength += text.length;
    if (f.pendingLength >= 65_536) await flush(file);
  };
  for (const chunk of assembler.start()) await write(chunk.file, chunk.text);
  let ended = false;
  for await (const entry of options.entries) {
    if ("upTo" in bound) {
      if (entry.seq > bound.upTo.seq) break;
      // Past the range the pack has ended, but the chain is still checked up to the store's head.
      ended ||= assembler.isPastRange(entry);
      if (ended) {
        assembler.follow(entry);
        continue;
      }
    } else if (entry.seq > bound.head.seq) {
      throw new EvidenceChainError(
        `Entry ${entry.seq} comes after the chain head the manifest records (entry ${bound.head.seq}).`,
        entry.seq,
      );
    }
    for (const chunk of assembler.add(entry)) await write(chunk.file, chunk.text);
  }
  const { chunks, model } = assembler.finish("head" in bound ? bound.head : bound.upTo);
  const head = assembler.last();
  for (const chunk of chunks) await write(chunk.file, chunk.text);
  await write("index.html", renderEvidenceHtml(model));
  for (const f of PACK_FILES) await flush(f.name);
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    project: { id: request.projectId, name: model.project.name },
    range: { from: request.range.from, to: request.range.to, timeZone: request.range.timeZone },
    chain: { headSeq: head.seq, headHash: head.hash },
    producedAt: request.producedAt,
    producedBy: { objectId: request.producedBy.objectId, name: request.producedBy.name },
    files: PACK_FILES.map((f) => {
      const h = files.get(f.name) as { hash: Hash; bytes: number };
      return { name: f.name, bytes: h.bytes, sha256: h.hash.digest("hex") };
    }),
  };
  // Written in the schema's key order, the one form the checker accepts.
  const manifestText = `${JSON.stringify(PackManifestSchema.parse(manifest), null, 2)}\n`;
  await sink.write(MANIFEST_FILE, manifestText);
  return {
    manifest,
    manifestText,
    manifestSha256: sha256Hex(manifestText),
    model,
    bytes: manifest.files.reduce((n, f) => n + f.bytes, 0) + Buffer.byteLength(manifestText),
  };
}

/** What a pack checker needs to read: the verifier in functions/ reads a folder, tests read memory. */
export interface PackReader {
  /** The file names present (not in sub-folders). */
  list(): Promise<string[]>;
  /** A file's whole text, or undefined when absent (only manifest.json is read whole). */
  readText(name: string): Promise<string | undefined>;
  /** A file's SHA-256 and size, or undefined when absent. */
  hash(name: string): Promise<{ sha256: string; bytes: number } | undefined>;
  /** A file's lines, without their line ends (log.jsonl). */
  lines(name: string): AsyncIterable<string>;
}

export type PackCheck =
  | {
      ok: true;
      manifest: PackManifest;
      manifestSha256: string;
      entries: number;
      files: number;
    }
  | { ok: false; problem: string; manifestSha256?: string };

/** Checks a pack and names the first thing that does not match. */
export async function checkPack(reader: PackReader): Promise<PackCheck> {
  const text = await reader.readText(MANIFEST_FILE);
  if (text === undefined)
    return { ok: false, problem: `${MANIFEST_FILE} is missing: this is not a whole pack.` };
  let manifest: PackManifest;
  try {
    const parsed = PackManifestSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        problem: `${MANIFEST_FILE} is not a pack manifest: ${issue?.path.join(".") || "the file"} — ${issue?.message}.`,
      };
    }
    manifest = parsed.data;
  } catch {
    return { ok: false, problem: `${MANIFEST_FILE} is not valid JSON.` };
  }
  // The product writes one form of the manifest: any other bytes, even the same content re-spaced, were edited.
  if (text !== `${JSON.stringify(manifest, null, 2)}\n`) {
    return { ok: false, problem: `${MANIFEST_FILE} has been changed: it is not as the product wrote it.` };
  }
  const manifestSha256 = sha256Hex(text);
  const fail = (problem: string): PackCheck => ({ ok: false, problem, manifestSha256 });
  // Checking means rebuilding every file from the log, which only the code that wrote the pack can do: a pack
  // of another version is not passed on its manifest's word.
  if (manifest.format !== PACK_FORMAT) {
    return fail(
      `This pack was made by another version of the product (${manifest.format}): check it with that version's verify-pack.`,
    );
  }

  // The manifest must list exactly the pack's files, and the folder hold nothing else.
  const expected = PACK_FILES.map((f) => f.name as string);
  const listed = manifest.files.map((f) => f.name);
  const unlisted = expected.find((name) => !listed.includes(name));
  if (unlisted) return fail(`${MANIFEST_FILE} does not list ${unlisted}.`);
  const unknown = listed.find((name) => !expected.includes(name));
  if (unknown) return fail(`${MANIFEST_FILE} lists ${unknown}, which is not part of a pack.`);
  const present = await reader.list();
  const extra = present.find((name) => name !== MANIFEST_FILE && !expected.includes(name));
  if (extra) return fail(`${extra} is in the pack's folder but not in ${MANIFEST_FILE}: it was added.`);
  const missing = expected.find((name) => !present.includes(name));
  if (missing) return fail(`${missing} is missing from the pack.`);

  // The chain first: a changed or dropped entry is named by its number and line.
  const rebuilt = new Map<string, { hash: Hash; bytes: number }>();
  const sink: PackSink = {
    write(file, chunk) {
      if (file === MANIFEST_FILE) return;
      let h = rebuilt.get(file);
      if (!h) {
        h = { hash: createHash("sha256"), bytes: 0 };
        rebuilt.set(file, h);
      }
      h.hash.update(chunk);
      h.bytes += Buffer.byteLength(chunk);
    },
  };
  let line = 0;
  let lineProblem: string | undefined;
  async function* entries(): AsyncGenerator<LogEntry> {
    for await (const raw of reader.lines("log.jsonl")) {
      line++;
      if (raw === "") {
        lineProblem = `log.jsonl line ${line} is empty: an entry was removed or the file was edited.`;
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        lineProblem = `log.jsonl line ${line} is not a log entry (not valid JSON): it was edited.`;
        return;
      }
      // Strict: a field the entry's hash does not cover (added after it was sealed) is an edit too.
      if (!LogEntrySchema.strict().safeParse(json).success) {
        lineProblem = `log.jsonl line ${line} is not a log entry: it was edited.`;
        return;
      }
      // The entry as written, not as parsed: hashing what the file says is what proves it unaltered.
      yield json as LogEntry;
    }
  }
  let built: BuiltPack;
  try {
    built = await buildPack({
      entries: entries(),
      bound: { head: { seq: manifest.chain.headSeq, hash: manifest.chain.headHash } },
      request: {
        projectId: manifest.project.id,
        range: manifest.range,
        producedAt: manifest.producedAt,
        producedBy: manifest.producedBy,
      },
      sink,
    });
  } catch (error) {
    if (lineProblem) return fail(lineProblem);
    if (error instanceof EvidenceChainError) {
      if (error.seq === 1 && /another project/.test(error.message)) {
        return fail(
          `${MANIFEST_FILE} has been changed: its project is not the project of the log in log.jsonl.`,
        );
      }
      return fail(
        error.atEnd
          ? `log.jsonl does not end at the chain head in ${MANIFEST_FILE} (one of them was changed): ${error.message}`
          : `log.jsonl line ${line}: ${error.message}`,
      );
    }
    throw error;
  }
  if (lineProblem) return fail(lineProblem);

  // Then every file three ways: as it is, as the manifest records it, and as the log rebuilds it. A file that
  // differs from both was edited; one that matches what the log rebuilds but not the manifest means the manifest
  // was edited; a file that matches the manifest but not the log means both were changed together.
  const rebuiltFiles = new Map(built.manifest.files.map((f) => [f.name, f]));
  const differences: Array<{ name: string; fromManifest: boolean; fromLog: boolean }> = [];
  for (const file of manifest.files) {
    const actual = await reader.hash(file.name);
    if (!actual) return fail(`${file.name} is missing from the pack.`);
    const rebuiltFile = rebuiltFiles.get(file.name);
    const fromManifest = actual.sha256 !== file.sha256 || actual.bytes !== file.bytes;
    const fromLog = actual.sha256 !== rebuiltFile?.sha256;
    if (fromManifest || fromLog) differences.push({ name: file.name, fromManifest, fromLog });
  }
  const edited = differences.find((d) => d.fromManifest && d.fromLog);
  if (edited) {
    return fail(
      `${edited.name} has been changed: its SHA-256 is not the one in ${MANIFEST_FILE}, and it is not what the governance log in log.jsonl says.`,
    );
  }
  const manifestEdited = differences.find((d) => d.fromManifest);
  if (manifestEdited) {
    return fail(
      `${MANIFEST_FILE} has been changed: the SHA-256 it records for ${manifestEdited.name} is not the file's, yet the file is what the log says.`,
    );
  }
  const forged = differences.find((d) => d.fromLog);
  if (forged) {
    return fail(
      `${forged.name} is not what the governance log in log.jsonl rebuilds with the settings in ${MANIFEST_FILE}: ${forged.name} was changed together with its SHA-256 in ${MANIFEST_FILE}, or ${MANIFEST_FILE}'s range, project or producer was changed.`,
    );
  }
  // Last, the manifest itself: the log rebuilds it too, so an edited name, producer or time is caught.
  if (text !== built.manifestText) {
    const field = (Object.keys(manifest) as Array<keyof PackManifest>).find(
      (k) => JSON.stringify(manifest[k]) !== JSON.stringify(built.manifest[k]),
    );
    return fail(
      `${MANIFEST_FILE} has been changed: its ${field ?? "content"} is not what the governance log in log.jsonl says.`,
    );
  }
  return {
    ok: true,
    manifest,
    manifestSha256,
    entries: manifest.chain.headSeq,
    files: manifest.files.length + 1,
  };
}
