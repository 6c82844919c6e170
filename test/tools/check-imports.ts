import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The import direction between folders (architecture page): arrows only point down the table. `governance/`
 * is pure, so it may import only zod and node:crypto (hashing), nothing that does I/O or knows Teams or Azure.
 */
export const ALLOWED_IMPORTS: Record<string, readonly string[]> = {
  governance: [],
  store: ["governance"],
  "adaptive-cards": ["governance"],
  bot: ["governance", "store", "adaptive-cards"],
  functions: ["governance", "store", "adaptive-cards", "bot"],
  appPackage: [],
  infra: [],
};
const GOVERNANCE_PACKAGES = new Set(["zod", "node:crypto"]);
/**
 * Build tooling inside a folder, never loaded by the running app, may also use these: the Function App bundler
 * (functions/build/) zips its artefact with the app package's zip writer.
 */
const BUILD_TOOLING: Record<string, readonly string[]> = { [join("functions", "build")]: ["appPackage"] };

export interface ImportViolation {
  file: string;
  imported: string;
  rule: string;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

const IMPORT_PATTERN =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

export function findImportViolations(root: string): ImportViolation[] {
  const violations: ImportViolation[] = [];
  for (const [folder, allowed] of Object.entries(ALLOWED_IMPORTS)) {
    let files: string[];
    try {
      files = sourceFiles(join(root, folder));
    } catch {
      continue; // a folder that does not exist yet has nothing to check
    }
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(IMPORT_PATTERN)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? "";
        const rel = relative(root, file);
        if (specifier.startsWith(".")) {
          const target = relative(root, resolve(dirname(file), specifier)).split(sep)[0] ?? "";
          const tooling =
            Object.entries(BUILD_TOOLING).find(([dir]) => rel.startsWith(`${dir}${sep}`))?.[1] ?? [];
          if (target !== folder && !allowed.includes(target) && !tooling.includes(target)) {
            violations.push({ file: rel, imported: specifier, rule: `${folder}/ may not import ${target}/` });
          }
        } else if (folder === "governance" && !GOVERNANCE_PACKAGES.has(specifier)) {
          violations.push({
            file: rel,
            imported: specifier,
            rule: "governance/ is pure: only zod and node:crypto",
          });
        }
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const violations = findImportViolations(root);
  for (const v of violations) console.error(`${v.file}: imports ${v.imported} (${v.rule})`);
  if (violations.length > 0) process.exit(1);
  console.log("Import direction holds.");
}
