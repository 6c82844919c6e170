import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { DemoClock, loadDemo } from "../../functions/demo.js";
import { DEMO_BINDING } from "../../functions/demoData.js";
import { renderEvidenceHtml } from "../../governance/evidenceHtml.js";
import { exportEvidencePack } from "../../store/evidencePack.js";
import { sampleEvidenceModel, stressEvidenceModel } from "../support/evidenceFixture.js";
import { azuriteForTests, governanceLog } from "../support/storage.js";
import { A4_PRINTABLE_WIDTH_PX, checkPrintable } from "./printCheck.js";

const tooWide = (overflowing: string[]) =>
  `Elements reaching past the printable width of A4 (${A4_PRINTABLE_WIDTH_PX} px):\n${overflowing.join("\n")}`;

describe("the evidence pack, printed on A4 from Debian's Chromium", () => {
  it("keeps the stress pack (300-letter words, hashes, 1,000 rows) within the printable width and prints it", async () => {
    const result = await checkPrintable(renderEvidenceHtml(stressEvidenceModel()), "evidence-pack");

    expect(result.clientWidth).toBe(A4_PRINTABLE_WIDTH_PX);
    expect(result.overflowing, tooWide(result.overflowing)).toEqual([]);
    expect(result.scrollWidth).toBeLessThanOrEqual(result.clientWidth);

    expect(basename(result.pdfPath)).toBe("evidence-pack.pdf");
    expect(result.pdfHead.startsWith("%PDF")).toBe(true);
    expect(result.pdfBytes).toBeGreaterThan(100_000);
    expect((await readFile(result.pdfPath)).subarray(0, 4).toString("latin1")).toBe("%PDF");

    expect(basename(result.screenshot)).toBe("evidence-pack-first-page.png");
    expect(existsSync(result.screenshot)).toBe(true);
    expect((await stat(result.screenshot)).size).toBeGreaterThan(0);
    expect(result.screenshotBytes).toBeGreaterThan(0);
  });

  it("keeps the everyday pack within the printable width too", async () => {
    const result = await checkPrintable(renderEvidenceHtml(sampleEvidenceModel()), "evidence-pack-sample");
    expect(result.overflowing, tooWide(result.overflowing)).toEqual([]);
    expect(result.scrollWidth).toBeLessThanOrEqual(result.clientWidth);
    expect(result.pdfHead.startsWith("%PDF")).toBe(true);
  });

  it("prints the demo project's real pack, made from its governance log, within the page", async () => {
    const azurite = await azuriteForTests();
    const work = await mkdtemp(join(tmpdir(), "evidence-e2e-"));
    try {
      const now = new Date("2026-11-27T09:00:00Z");
      const clock = new DemoClock();
      const log = governanceLog(azurite, { clock: clock.now });
      const { projectId } = await loadDemo(log, DEMO_BINDING, now, clock);
      const pack = await exportEvidencePack(log, {
        folder: join(work, "pack"),
        request: {
          projectId,
          range: { from: "2026-10-01", to: "2026-11-27", timeZone: "Europe/London" },
          producedAt: now.toISOString(),
          producedBy: { objectId: "aa000000-0000-4000-8000-000000000001", name: "Priya Shah" },
        },
      });
      const html = await readFile(join(pack.folder, "index.html"), "utf8");
      expect(html).toContain(pack.model.project.name.replace(/&/g, "&amp;"));
      const result = await checkPrintable(html, "evidence-pack-demo");
      expect(result.overflowing, tooWide(result.overflowing)).toEqual([]);
      expect(result.scrollWidth).toBeLessThanOrEqual(result.clientWidth);
      expect(result.pdfHead.startsWith("%PDF")).toBe(true);
      expect(existsSync(result.screenshot)).toBe(true);
    } finally {
      await azurite.close();
      await rm(work, { recursive: true, force: true });
    }
  });

  it("would name an element wider than the page (the check itself works)", async () => {
    const html =
      '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Too wide</title></head><body>' +
      '<table id="too-wide" class="log" style="width:1200px"><tr><td>wide</td></tr></table></body></html>';
    const result = await checkPrintable(html, "evidence-print-self-check");
    expect(result.overflowing.some((line) => line.startsWith("table#too-wide.log"))).toBe(true);
    expect(result.scrollWidth).toBeGreaterThan(result.clientWidth);
  });
});
