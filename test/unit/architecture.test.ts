import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findImportViolations } from "../tools/check-imports.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

describe("the import direction between folders", () => {
  it("holds in this checkout", () => {
    expect(findImportViolations(root)).toEqual([]);
  });

  it("catches an upward import and I/O in governance", () => {
    const tree = mkdtempSync(join(tmpdir(), "imports-"));
    mkdirSync(join(tree, "governance"));
    mkdirSync(join(tree, "store"));
    writeFileSync(
      join(tree, "governance", "rules.ts"),
      'import { x } from "../store/log.js";\nimport { TableClient } from "@azure/data-tables";\n',
    );
    writeFileSync(join(tree, "store", "log.ts"), 'import { y } from "../bot/app.js";\n');
    const rules = findImportViolations(tree).map((v) => v.rule);
    expect(rules).toContain("governance/ may not import store/");
    expect(rules).toContain("governance/ is pure: only zod and node:crypto");
    expect(rules).toContain("store/ may not import bot/");
  });

  it("lets only the Function App bundler (build tooling) use the app package's code", () => {
    const tree = mkdtempSync(join(tmpdir(), "imports-"));
    mkdirSync(join(tree, "functions", "build"), { recursive: true });
    writeFileSync(join(tree, "functions", "index.ts"), 'import { z } from "../appPackage/build.js";\n');
    writeFileSync(
      join(tree, "functions", "build", "bundle.ts"),
      'import { z } from "../../appPackage/build.js";\n',
    );
    expect(findImportViolations(tree).map((v) => `${v.file}: ${v.rule}`)).toEqual([
      `${join("functions", "index.ts")}: functions/ may not import appPackage/`,
    ]);
  });
});
