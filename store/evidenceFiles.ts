import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { PackReader, PackSink } from "../governance/evidenceManifest.js";

/**
 * An evidence pack as a folder of files: written as it is built (each file a stream, the builder waiting when a
 * stream's buffer is full, so memory stays flat however long the log), and read back by the pack checker.
 */
export class FolderPackSink implements PackSink {
  private readonly streams = new Map<string, WriteStream>();
  private failed: Error | undefined;

  constructor(readonly folder: string) {}

  async write(file: string, text: string): Promise<void> {
    if (this.failed) throw this.failed;
    let stream = this.streams.get(file);
    if (!stream) {
      stream = createWriteStream(join(this.folder, file), { flags: "wx" });
      stream.on("error", (error) => {
        this.failed ??= error;
      });
      this.streams.set(file, stream);
    }
    if (!stream.write(text)) {
      const s = stream;
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        s.once("error", onError);
        s.once("drain", () => {
          s.off("error", onError);
          resolve();
        });
      });
    }
  }

  /** Flushes and closes every file; throws the first write error. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.streams.values()].map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.closed) return resolve();
            s.end(() => resolve());
            s.once("error", () => resolve());
          }),
      ),
    );
    if (this.failed) throw this.failed;
  }
}

/**
 * A fresh folder for a pack: created if absent; refused if it already holds files (a pack is never written over
 * another, or mixed with other files).
 */
export async function preparePackFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const present = await readdir(folder);
  if (present.length > 0) {
    throw new PackFolderNotEmptyError(`${folder} is not empty: give a new or empty folder for the pack.`);
  }
}

export class PackFolderNotEmptyError extends Error {
  override name = "PackFolderNotEmptyError";
}

/** Removes what a failed build left in its folder (the folder itself stays if it was there before). */
export async function clearPackFolder(folder: string): Promise<void> {
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    await rm(join(folder, name), { force: true, recursive: true });
  }
}

/** Reads a pack folder for the checker. */
export function folderPackReader(folder: string): PackReader {
  const path = (name: string) => join(folder, name);
  return {
    async list() {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.map((e) => e.name);
    },
    async readText(name) {
      try {
        return await readFile(path(name), "utf8");
      } catch {
        return undefined;
      }
    },
    async hash(name) {
      try {
        if (!(await stat(path(name))).isFile()) return undefined;
      } catch {
        return undefined;
      }
      const hash = createHash("sha256");
      let bytes = 0;
      for await (const chunk of createReadStream(path(name))) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      return { sha256: hash.digest("hex"), bytes };
    },
    async *lines(name) {
      let stream: ReturnType<typeof createReadStream>;
      try {
        await stat(path(name));
        stream = createReadStream(path(name), { encoding: "utf8" });
      } catch {
        return;
      }
      const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of rl) yield line;
    },
  };
}
