/**
 * Builds the Teams app package (`npm run package`):
 *   1. reads the values below from the environment (with defaults),
 *   2. fills `manifest.template.json`,
 *   3. validates the manifest offline against the Teams manifest JSON schema shipped in
 *      `@microsoft/app-manifest`, plus a few checks the schema does not make,
 *   4. writes `appPackage/build/appPackage.zip` (manifest.json, color.png, outline.png at the root).
 *
 * Environment:
 *   BOT_ID                 Microsoft App ID of the bot (GUID). Absent: the all-zero GUID, local-only package.
 *   TEAMS_APP_ID           Teams app id (GUID). Absent: a stable GUID derived from BOT_ID.
 *   BOT_DOMAIN             Host name the bot is served from (no scheme, no path). Absent: localhost.
 *   APP_VERSION            App version, x.y.z. Absent: the version in package.json.
 *   DEVELOPER_NAME         Publisher name shown in Teams (at most 32 characters). Absent: "Go-Live Governance team".
 *   DEVELOPER_WEBSITE      https URL of the publisher's website. Absent: https://BOT_DOMAIN/
 *   DEVELOPER_PRIVACY_URL  https URL of the privacy notice. Absent: DEVELOPER_WEBSITE + "privacy".
 *   DEVELOPER_TERMS_URL    https URL of the terms of use. Absent: DEVELOPER_WEBSITE + "terms".
 */

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateRawSync } from "node:zlib";
import { Ajv, type ErrorObject, type Plugin, type ValidateFunction } from "ajv";
import * as ajvFormatsModule from "ajv-formats";
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE } from "./icons.js";
import { isMainModule } from "./isMainModule.js";

/** The Teams app manifest schema version the template is written for. */
export const MANIFEST_SCHEMA_VERSION = "1.22";

export const LOCAL_BOT_ID = "00000000-0000-0000-0000-000000000000";
export const DEFAULT_BOT_DOMAIN = "localhost";
export const DEFAULT_DEVELOPER_NAME = "Go-Live Governance team";

/** Fixed namespace for deriving the Teams app id from the bot id (name-based UUID, version 5). */
const APP_ID_NAMESPACE = "6603c7c0-fc71-421e-99b1-2e28224fef66";

const APP_PACKAGE_DIR = dirname(fileURLToPath(import.meta.url));

/** Values substituted for the `${{NAME}}` placeholders in the manifest template. */
export interface ManifestValues {
  BOT_ID: string;
  TEAMS_APP_ID: string;
  BOT_DOMAIN: string;
  APP_VERSION: string;
  DEVELOPER_NAME: string;
  DEVELOPER_WEBSITE: string;
  DEVELOPER_PRIVACY_URL: string;
  DEVELOPER_TERMS_URL: string;
}

export type Manifest = Record<string, unknown>;
export type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const SEMVER = /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)$/;
const HOST_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?";
/** A host name (optionally with a port), as the bot's domain. */
const DOMAIN = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*(?::\\d{1,5})?$`);
/** A validDomains entry: a host name, optionally with a leading `*.` wildcard. */
const VALID_DOMAIN_ENTRY = new RegExp(`^(?:\\*\\.)?${HOST_LABEL}(?:\\.${HOST_LABEL})*(?::\\d{1,5})?$`);
const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;

// ---------------------------------------------------------------------------
// Values from the environment

/** A name-based (version 5) UUID: stable for the same namespace and name. */
export function deriveGuid(namespace: string, name: string): string {
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replaceAll("-", ""), "hex"))
    .update(name, "utf8")
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Teams app id used when TEAMS_APP_ID is not set: derived from the bot id, so it never changes. */
export function defaultTeamsAppId(botId: string): string {
  return deriveGuid(APP_ID_NAMESPACE, `go-live-governance-teams/${botId.toLowerCase()}`);
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(APP_PACKAGE_DIR, "..", "package.json"), "utf8")) as {
    version?: unknown;
  };
  return typeof pkg.version === "string" ? pkg.version : "1.0.0";
}

function checkHttpsUrl(name: string, value: string, errors: string[]): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== "https:") {
    errors.push(`${name} must be an https:// URL, got "${value}"`);
  } else if (value.length > 2048) {
    errors.push(`${name} must be at most 2048 characters`);
  }
}

export interface ResolvedValues {
  values: ManifestValues;
  warnings: string[];
  errors: string[];
}

/** Reads the manifest values from the environment, applying defaults; reports invalid values as errors. */
export function resolveValues(env: Env): ResolvedValues {
  const warnings: string[] = [];
  const errors: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };

  let botId = read("BOT_ID");
  if (botId === undefined) {
    botId = LOCAL_BOT_ID;
    warnings.push(
      `BOT_ID is not set, so the bot id is ${LOCAL_BOT_ID}: this package is for local testing only and will not work when uploaded to Teams`,
    );
  } else if (!GUID.test(botId)) {
    errors.push(`BOT_ID must be a GUID (the bot's Microsoft App ID), got "${botId}"`);
  }

  const appId = read("TEAMS_APP_ID") ?? defaultTeamsAppId(botId);
  if (!GUID.test(appId)) errors.push(`TEAMS_APP_ID must be a GUID, got "${appId}"`);

  const botDomain = read("BOT_DOMAIN") ?? DEFAULT_BOT_DOMAIN;
  if (read("BOT_DOMAIN") === undefined && botId !== LOCAL_BOT_ID) {
    warnings.push(`BOT_DOMAIN is not set, so the bot domain is ${DEFAULT_BOT_DOMAIN}`);
  }
  if (!DOMAIN.test(botDomain)) {
    errors.push(
      `BOT_DOMAIN must be a host name only, such as bot.example.org (no https://, no path), got "${botDomain}"`,
    );
  }

  const version = read("APP_VERSION") ?? packageVersion();
  if (!SEMVER.test(version)) errors.push(`APP_VERSION must look like 1.2.3, got "${version}"`);

  const developerName = read("DEVELOPER_NAME") ?? DEFAULT_DEVELOPER_NAME;
  if (developerName.length > 32) {
    errors.push(`DEVELOPER_NAME must be at most 32 characters, got ${developerName.length}`);
  }

  // Defaults derived from a valid BOT_DOMAIN are valid URLs, so only values that were set are checked.
  const url = (name: string, fallback: string): string => {
    const value = read(name);
    if (value === undefined) return fallback;
    checkHttpsUrl(name, value, errors);
    return value;
  };
  let website = url("DEVELOPER_WEBSITE", `https://${botDomain}/`);
  if (!website.endsWith("/")) website = `${website}/`;
  const privacyUrl = url("DEVELOPER_PRIVACY_URL", `${website}privacy`);
  const termsUrl = url("DEVELOPER_TERMS_URL", `${website}terms`);

  return {
    values: {
      BOT_ID: botId,
      TEAMS_APP_ID: appId,
      BOT_DOMAIN: botDomain,
      APP_VERSION: version,
      DEVELOPER_NAME: developerName,
      DEVELOPER_WEBSITE: website,
      DEVELOPER_PRIVACY_URL: privacyUrl,
      DEVELOPER_TERMS_URL: termsUrl,
    },
    warnings,
    errors,
  };
}

// ---------------------------------------------------------------------------
// Template

export function readTemplate(path = join(APP_PACKAGE_DIR, "manifest.template.json")): Manifest {
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}

function fill(node: unknown, values: ManifestValues, missing: Set<string>): unknown {
  if (typeof node === "string") {
    return node.replace(PLACEHOLDER, (whole, name: string) => {
      const value = (values as unknown as Record<string, string | undefined>)[name];
      if (value === undefined) {
        missing.add(name);
        return whole;
      }
      return value;
    });
  }
  if (Array.isArray(node)) return node.map((item) => fill(item, values, missing));
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, fill(value, values, missing)]),
    );
  }
  return node;
}

/**
 * Fills the `${{NAME}}` placeholders of the template (string values only, so a value can never
 * break the JSON). Throws if the template uses a placeholder that has no value.
 */
export function renderManifest(values: ManifestValues, template: Manifest = readTemplate()): Manifest {
  const missing = new Set<string>();
  const manifest = fill(template, values, missing) as Manifest;
  if (missing.size > 0) {
    throw new Error(`manifest template uses placeholders with no value: ${[...missing].join(", ")}`);
  }
  return manifest;
}

// ---------------------------------------------------------------------------
// Validation

export function manifestSchemaPath(version = MANIFEST_SCHEMA_VERSION): string {
  const pkgJson = createRequire(import.meta.url).resolve("@microsoft/app-manifest/package.json");
  return join(
    dirname(pkgJson),
    "build",
    "json-schemas",
    "teams",
    `v${version}`,
    "MicrosoftTeams.schema.json",
  );
}

// ajv-formats is CommonJS; depending on the loader its plugin is the module itself or its default export.
const addFormats = ((ajvFormatsModule as { default?: unknown }).default ??
  ajvFormatsModule) as Plugin<unknown>;

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(manifestSchemaPath(), "utf8")) as Record<string, unknown>;
    // The Teams schemas declare draft-04, which Ajv 8 does not ship; they only use keywords that
    // mean the same in draft-07 (plus `const`), so drop the declaration and any draft-04 `id`.
    delete schema.$schema;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false });
    addFormats(ajv, undefined);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** JSON pointer `/bots/0/botId` → `bots[0].botId`. */
function readablePath(pointer: string): string {
  if (pointer === "") return "manifest";
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce(
      (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === "" ? part : `${path}.${part}`),
      "",
    );
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeSchemaError(error: ErrorObject): string {
  const where = readablePath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${where}: missing required field "${String(params.missingProperty)}"`;
    case "additionalProperties":
      return `${where}: unknown field "${String(params.additionalProperty)}"`;
    case "pattern":
      if (String(params.pattern).includes("{8}-")) {
        return `${where}: must be a GUID such as ${LOCAL_BOT_ID}, got ${shown(error.data)}`;
      }
      return `${where}: ${shown(error.data)} does not match the pattern ${String(params.pattern)}`;
    case "enum":
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map(shown).join(", ")}, got ${shown(error.data)}`;
    case "const":
      return `${where}: must be ${shown(params.allowedValue)}, got ${shown(error.data)}`;
    case "maxLength":
      return `${where}: must be at most ${String(params.limit)} characters, got ${String((error.data as string).length)}`;
    case "maxItems":
      return `${where}: must have at most ${String(params.limit)} items`;
    case "type":
      return `${where}: must be ${String(params.type)}, got ${shown(error.data)}`;
    default:
      return `${where}: ${error.message ?? "is invalid"}`;
  }
}

function leftoverPlaceholders(node: unknown, pointer: string, found: string[]): void {
  if (typeof node === "string") {
    for (const match of node.matchAll(PLACEHOLDER)) {
      found.push(`${readablePath(pointer)}: placeholder \${{${match[1]}}} was not filled`);
    }
  } else if (Array.isArray(node)) {
    node.forEach((item, index) => {
      leftoverPlaceholders(item, `${pointer}/${index}`, found);
    });
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) leftoverPlaceholders(value, `${pointer}/${key}`, found);
  }
}

/**
 * Checks a manifest against the Teams manifest schema and a few rules the schema does not enforce.
 * Returns one readable line per problem; an empty list means the manifest is valid.
 */
export function validateManifest(manifest: unknown): string[] {
  const validate = schemaValidator();
  const errors: string[] = [];
  if (!validate(manifest)) errors.push(...(validate.errors ?? []).map(describeSchemaError));
  leftoverPlaceholders(manifest, "", errors);

  if (manifest !== null && typeof manifest === "object" && !Array.isArray(manifest)) {
    const m = manifest as Manifest;
    const developer = m.developer as Record<string, unknown> | undefined;
    for (const field of ["websiteUrl", "privacyUrl", "termsOfUseUrl"]) {
      const url = developer?.[field];
      if (typeof url === "string" && !/^https:\/\//i.test(url)) {
        errors.push(`developer.${field}: must be an https:// URL, got ${shown(url)}`);
      }
    }
    if (Array.isArray(m.validDomains)) {
      m.validDomains.forEach((domain, index) => {
        if (typeof domain === "string" && !VALID_DOMAIN_ENTRY.test(domain) && !domain.includes("${{")) {
          errors.push(
            `validDomains[${index}]: must be a host name such as bot.example.org (no https://, no path), got ${shown(domain)}`,
          );
        }
      });
    }
  }
  return [...new Set(errors)];
}

// ---------------------------------------------------------------------------
// Zip and icons

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** A minimal zip writer: deflated entries, fixed timestamps (1980-01-01) so builds are reproducible. */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data) >>> 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal and external attributes stay 0
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

/** Width and height from a PNG's IHDR, or undefined if the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const signature = "89504e470d0a1a0a";
  if (bytes.length < 24 || bytes.subarray(0, 8).toString("hex") !== signature) return undefined;
  if (bytes.subarray(12, 16).toString("latin1") !== "IHDR") return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function readIcon(dir: string, file: string, size: number, errors: string[]): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(join(dir, file));
  } catch {
    errors.push(`${file} is missing from ${dir} (run: npx tsx appPackage/icons.ts)`);
    return undefined;
  }
  const dimensions = pngSize(data);
  if (dimensions === undefined) {
    errors.push(`${file} is not a PNG file`);
  } else if (dimensions.width !== size || dimensions.height !== size) {
    errors.push(`${file} must be ${size}×${size} pixels, is ${dimensions.width}×${dimensions.height}`);
  }
  return data;
}

// ---------------------------------------------------------------------------
// Build

export interface BuildOptions {
  /** Where the values come from; defaults to process.env. */
  env?: Env;
  /** Directory for appPackage.zip; defaults to appPackage/build. */
  outDir?: string;
  /** Directory holding manifest.template.json and the icons; defaults to appPackage/. */
  sourceDir?: string;
}

export type BuildResult =
  | { ok: true; zipPath: string; manifest: Manifest; values: ManifestValues; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

/** Fills, validates and zips the app package. Never throws for bad input: problems come back as errors. */
export function buildAppPackage(options: BuildOptions = {}): BuildResult {
  const sourceDir = options.sourceDir ?? APP_PACKAGE_DIR;
  const outDir = options.outDir ?? join(sourceDir, "build");
  const { values, warnings, errors } = resolveValues(options.env ?? process.env);
  if (errors.length > 0) return { ok: false, errors, warnings };

  let manifest: Manifest;
  try {
    manifest = renderManifest(values, readTemplate(join(sourceDir, "manifest.template.json")));
  } catch (error) {
    return { ok: false, errors: [error instanceof Error ? error.message : String(error)], warnings };
  }
  const problems = validateManifest(manifest);
  const color = readIcon(sourceDir, "color.png", COLOR_ICON_SIZE, problems);
  const outline = readIcon(sourceDir, "outline.png", OUTLINE_ICON_SIZE, problems);
  if (problems.length > 0 || color === undefined || outline === undefined) {
    return { ok: false, errors: problems, warnings };
  }

  const zip = createZip([
    { name: "manifest.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8") },
    { name: "color.png", data: color },
    { name: "outline.png", data: outline },
  ]);
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, "appPackage.zip");
  writeFileSync(zipPath, zip);
  return { ok: true, zipPath, manifest, values, warnings };
}

function main(): number {
  try {
    const result = buildAppPackage();
    for (const warning of result.warnings) console.warn(`warning: ${warning}`);
    if (!result.ok) {
      for (const error of result.errors) console.error(`error: ${error}`);
      return 1;
    }
    console.log(
      `wrote ${relative(process.cwd(), result.zipPath)} (manifest ${MANIFEST_SCHEMA_VERSION}, app id ${result.values.TEAMS_APP_ID}, bot id ${result.values.BOT_ID})`,
    );
    return 0;
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) process.exitCode = main();
