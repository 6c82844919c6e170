import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  buildAppPackage,
  defaultTeamsAppId,
  LOCAL_BOT_ID,
  MANIFEST_SCHEMA_VERSION,
  type Manifest,
  renderManifest,
  resolveValues,
  validateManifest,
} from "../../appPackage/build.js";
import { readZip } from "../support/zip.js";

const BOT_ID = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d";
const ENV = { BOT_ID, BOT_DOMAIN: "govbot.example.org" };

function rendered(env: Record<string, string | undefined> = ENV): Manifest {
  const { values, errors } = resolveValues(env);
  expect(errors).toEqual([]);
  return renderManifest(values);
}

function clone(manifest: Manifest): Manifest {
  return structuredClone(manifest);
}

interface Bot {
  botId: string;
  scopes?: string[];
  supportsFiles: boolean;
  isNotificationOnly: boolean;
  commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
}

function bot(manifest: Manifest): Bot {
  return (manifest.bots as Bot[])[0] as Bot;
}

// --- PNG decoding (8-bit RGBA, non-interlaced) --------------------------------------------------

interface Image {
  width: number;
  height: number;
  colourType: number;
  bitDepth: number;
  rgba?: Uint8Array;
}

function readIhdr(png: Buffer): Image {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24] ?? -1,
    colourType: png[25] ?? -1,
  };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function decodePng(png: Buffer): Image {
  const image = readIhdr(png);
  expect(image.bitDepth).toBe(8);
  expect(image.colourType).toBe(6);
  const idat: Buffer[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString("latin1");
    expect(crc32(png.subarray(at + 4, at + 8 + length)) >>> 0).toBe(png.readUInt32BE(at + 8 + length));
    if (type === "IDAT") idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
    if (type === "IEND") break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = image.width * 4;
  expect(raw.length).toBe((stride + 1) * image.height);
  const out = new Uint8Array(stride * image.height);
  for (let y = 0; y < image.height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= 4 ? (out[y * stride + x - 4] ?? 0) : 0;
      const up = y > 0 ? (out[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= 4 && y > 0 ? (out[(y - 1) * stride + x - 4] ?? 0) : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter ?? -1];
      if (predictor === undefined) throw new Error(`unknown PNG filter ${filter}`);
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { ...image, rgba: out };
}

// -----------------------------------------------------------------------------------------------

describe("Teams app manifest", () => {
  it(`renders from the template and validates against the ${MANIFEST_SCHEMA_VERSION} schema`, () => {
    const manifest = rendered();
    expect(validateManifest(manifest)).toEqual([]);
    expect(manifest.manifestVersion).toBe(MANIFEST_SCHEMA_VERSION);
    expect(manifest.name).toEqual({
      short: "Go-Live Governance",
      full: "Go-Live Governance for ECM care software",
    });
    expect(manifest.validDomains).toContain("govbot.example.org");
    expect(JSON.stringify(manifest)).not.toContain("${{");

    const b = bot(manifest);
    expect(b.botId).toBe(BOT_ID);
    expect(b.scopes).toEqual(expect.arrayContaining(["team", "groupChat", "personal"]));
    expect(b.supportsFiles).toBe(false);
    expect(b.isNotificationOnly).toBe(false);
    const titles = (scope: string) =>
      b.commandLists
        .filter((list) => list.scopes.includes(scope))
        .flatMap((list) => list.commands.map((c) => c.title));
    // Teams shows at most 10 per scope: the rest are in help.
    expect(titles("team")).toEqual([
      "help",
      "setup",
      "raise",
      "issues",
      "issue",
      "readiness",
      "decision",
      "roles",
      "role add",
      "log verify",
    ]);
    // Projects live in team channels: chats offer only what works there (an issue can be raised from personal chat).
    expect(titles("groupChat")).toEqual(["help"]);
    expect(titles("personal")).toEqual(["help", "raise"]);
  });

  it("validates with the defaults (no environment at all)", () => {
    const { values, warnings, errors } = resolveValues({});
    expect(errors).toEqual([]);
    expect(values.BOT_ID).toBe(LOCAL_BOT_ID);
    expect(warnings.join("\n")).toMatch(/local testing only/);
    expect(validateManifest(renderManifest(values))).toEqual([]);
  });

  it("derives a stable Teams app id from the bot id", () => {
    expect(defaultTeamsAppId(BOT_ID)).toBe(defaultTeamsAppId(BOT_ID.toUpperCase()));
    expect(defaultTeamsAppId(BOT_ID)).not.toBe(BOT_ID);
    expect(defaultTeamsAppId(BOT_ID)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(resolveValues({ ...ENV, TEAMS_APP_ID: LOCAL_BOT_ID }).values.TEAMS_APP_ID).toBe(LOCAL_BOT_ID);
  });

  it("reports a bot id that is not a GUID readably", () => {
    const manifest = clone(rendered());
    bot(manifest).botId = "my-bot";
    const errors = validateManifest(manifest);
    expect(errors).toContain(`bots[0].botId: must be a GUID such as ${LOCAL_BOT_ID}, got "my-bot"`);
  });

  it("reports a missing or unknown scope readably", () => {
    const missing = clone(rendered());
    delete bot(missing).scopes;
    expect(validateManifest(missing)).toContain('bots[0]: missing required field "scopes"');

    const unknown = clone(rendered());
    bot(unknown).scopes = ["team", "channel"];
    expect(validateManifest(unknown).join("\n")).toMatch(
      /^bots\[0\]\.scopes\[1\]: must be one of .*"team".*got "channel"$/m,
    );
  });

  it("reports unfilled placeholders, plain-http URLs and bad domains", () => {
    const manifest = clone(rendered());
    manifest.validDomains = ["https://govbot.example.org/api"];
    (manifest.developer as Record<string, string>).privacyUrl = "http://govbot.example.org/privacy";
    manifest.version = `\${{APP_VERSION}}`;
    const errors = validateManifest(manifest);
    expect(errors).toContain(`version: placeholder \${{APP_VERSION}} was not filled`);
    expect(errors).toContain(
      'developer.privacyUrl: must be an https:// URL, got "http://govbot.example.org/privacy"',
    );
    expect(errors.some((e) => e.startsWith("validDomains[0]: must be a host name"))).toBe(true);
  });

  it("refuses invalid environment values with one line per problem", () => {
    const { errors } = resolveValues({
      BOT_ID: "not-a-guid",
      TEAMS_APP_ID: "nope",
      BOT_DOMAIN: "https://govbot.example.org/",
      APP_VERSION: "1.0",
      DEVELOPER_PRIVACY_URL: "http://example.org/privacy",
    });
    expect(errors).toHaveLength(5);
    expect(errors[0]).toBe(`BOT_ID must be a GUID (the bot's Microsoft App ID), got "not-a-guid"`);
    for (const error of errors) expect(error).not.toContain("\n");
  });
});

describe("app package zip", () => {
  it("contains exactly manifest.json and both icons, all valid", () => {
    const outDir = mkdtempSync(join(tmpdir(), "app-package-"));
    try {
      const result = buildAppPackage({ env: ENV, outDir });
      if (!result.ok) throw new Error(result.errors.join("\n"));
      expect(result.warnings).toEqual([]);
      expect(result.zipPath).toBe(join(outDir, "appPackage.zip"));

      const files = readZip(readFileSync(result.zipPath));
      expect(files.map((f) => f.name).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
      const file = (name: string) => files.find((f) => f.name === name)?.data ?? Buffer.alloc(0);

      const manifest = JSON.parse(file("manifest.json").toString("utf8")) as Manifest;
      expect(validateManifest(manifest)).toEqual([]);
      expect(manifest).toEqual(result.manifest);
      expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });

      const color = readIhdr(file("color.png"));
      expect([color.width, color.height]).toEqual([192, 192]);
      const outline = decodePng(file("outline.png"));
      expect([outline.width, outline.height]).toEqual([32, 32]);

      const pixels = outline.rgba ?? new Uint8Array();
      let visible = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] === 0) continue;
        visible++;
        expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([255, 255, 255]);
      }
      expect(visible).toBeGreaterThan(50);
      expect(visible).toBeLessThan(32 * 32 - 50);

      const decodedColour = decodePng(file("color.png")).rgba ?? new Uint8Array();
      const centreLeft = (96 * 192 + 20) * 4; // on the teal background
      expect(decodedColour[centreLeft + 3]).toBe(255);
      expect(decodedColour[centreLeft + 1]).not.toBe(255);

      const unzip = spawnSync("unzip", ["-l", result.zipPath], { encoding: "utf8" });
      if (unzip.error === undefined) {
        expect(unzip.status).toBe(0);
        expect(unzip.stdout).toMatch(/\bmanifest\.json\b/);
        expect(unzip.stdout).toMatch(/\b3 files\b/);
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("writes nothing and returns errors when a value is invalid", () => {
    const outDir = mkdtempSync(join(tmpdir(), "app-package-"));
    try {
      const result = buildAppPackage({ env: { ...ENV, BOT_ID: "12345" }, outDir });
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.errors).toEqual([`BOT_ID must be a GUID (the bot's Microsoft App ID), got "12345"`]);
      expect(existsSync(join(outDir, "appPackage.zip"))).toBe(false);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("the CLI exits 1 with a one-line message and no stack trace", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "appPackage/build.ts"], {
      encoding: "utf8",
      env: { ...process.env, BOT_ID: "not-a-guid", BOT_DOMAIN: "govbot.example.org" },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `error: BOT_ID must be a GUID (the bot's Microsoft App ID), got "not-a-guid"`,
    );
    expect(run.stdout).toBe("");
  });
});
