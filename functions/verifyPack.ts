import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { checkPack } from "../governance/evidenceManifest.js";
import { folderPackReader } from "../store/evidenceFiles.js";
import { runWhenStarted } from "./cli.js";

/**
 * `npm run verify-pack -- <folder>`: checks an evidence pack — its manifest, every file's SHA-256, the governance
 * log's hash chain in log.jsonl, and that every file is what that log rebuilds — and names the first thing that
 * does not match. Needs nothing but the folder: no storage, no Teams, no network.
 */
async function main(): Promise<number> {
  const folder = process.argv[2];
  if (!folder || process.argv.length > 3) {
    console.error("Use: npm run verify-pack -- <folder of the evidence pack>");
    return 2;
  }
  const info = await stat(resolve(folder)).catch(() => undefined);
  if (!info?.isDirectory()) {
    console.error(`There is no folder ${resolve(folder)}. Unzip the pack first and give its folder.`);
    return 2;
  }
  const result = await checkPack(folderPackReader(resolve(folder)));
  if (!result.ok) {
    console.error(`NOT VERIFIED: ${result.problem}`);
    if (result.manifestSha256) console.error(`(manifest SHA-256 ${result.manifestSha256})`);
    return 1;
  }
  const m = result.manifest;
  console.log(
    [
      `Verified: "${m.project.name}", ${m.range.from} to ${m.range.to}, produced ${m.producedAt} by ${m.producedBy.name}.`,
      `  ${result.files} files match manifest.json; log.jsonl is an unbroken chain of ${result.entries} entries ending in ${m.chain.headHash}.`,
      "  Every file, the manifest included, is what that log rebuilds.",
      `  manifest SHA-256 ${result.manifestSha256}`,
      "  To be sure the pack is the provider's real log and not a rebuilt one, compare this manifest SHA-256 with the",
      "  project's evidence.exported entry, and the chain head with what log verify reports in Teams.",
    ].join("\n"),
  );
  return 0;
}

runWhenStarted(import.meta.url, main, "The pack could not be checked");
