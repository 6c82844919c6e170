import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";

/**
 * One zip of a pack's folder, so a care manager downloads one file and hands it over. Files are stored, not
 * compressed (any zip tool opens them, and the bytes inside are exactly the ones the manifest hashes), streamed
 * from disk twice — once for the checksum, once into the zip — so memory stays flat. Zip32 is enough: a pack
 * over 4 GiB is refused.
 */
export async function zipFolder(options: {
  folder: string;
  files: readonly string[];
  out: string;
  /** The time stamped on every file (the pack's production time), so the zip is the same each time. */
  at: Date;
  /** A folder name inside the zip, e.g. "evidence-pack-2026-11-27". */
  root: string;
}): Promise<{ bytes: number }> {
  const { dosTime, dosDate } = dosDateTime(options.at);
  const out = createWriteStream(options.out, { flags: "wx" });
  let offset = 0;
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => {
      offset += chunk.length;
      out.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  const central: Buffer[] = [];
  try {
    for (const file of options.files) {
      const path = join(options.folder, file);
      const size = (await stat(path)).size;
      let crc = 0;
      for await (const chunk of createReadStream(path)) crc = crc32(chunk as Buffer, crc);
      if (size >= 0xffffffff || offset >= 0xffffffff) throw new Error("The pack is too large for one zip.");
      const name = Buffer.from(`${options.root}/${file}`, "utf8");
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed
      local.writeUInt16LE(0x0800, 6); // names are UTF-8
      local.writeUInt16LE(0, 8); // stored
      local.writeUInt16LE(dosTime, 10);
      local.writeUInt16LE(dosDate, 12);
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(size, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      const headerOffset = offset;
      await write(local);
      await write(name);
      for await (const chunk of createReadStream(path)) await write(chunk as Buffer);
      const entry = Buffer.alloc(46);
      entry.writeUInt32LE(0x02014b50, 0);
      entry.writeUInt16LE(20, 4); // made by
      entry.writeUInt16LE(20, 6);
      entry.writeUInt16LE(0x0800, 8);
      entry.writeUInt16LE(0, 10);
      entry.writeUInt16LE(dosTime, 12);
      entry.writeUInt16LE(dosDate, 14);
      entry.writeUInt32LE(crc >>> 0, 16);
      entry.writeUInt32LE(size, 20);
      entry.writeUInt32LE(size, 24);
      entry.writeUInt16LE(name.length, 28);
      entry.writeUInt32LE(headerOffset, 42);
      central.push(entry, name);
    }
    const centralStart = offset;
    for (const part of central) await write(part);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(options.files.length, 8);
    end.writeUInt16LE(options.files.length, 10);
    end.writeUInt32LE(offset - centralStart, 12);
    end.writeUInt32LE(centralStart, 16);
    await write(end);
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  return { bytes: offset };
}

/** MS-DOS date and time fields (UTC; zip has no time zone). */
function dosDateTime(at: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    dosTime: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}
