import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ARTIFACTS_DIR, launchChromium } from "./browser.js";

/** The printable width of A4 with 15 mm margins (210 − 2 × 15 = 180 mm) in CSS pixels at 96 dpi: 680. */
export const A4_PRINTABLE_WIDTH_PX = Math.floor(((210 - 2 * 15) / 25.4) * 96);
/** A whole A4 page in CSS pixels at 96 dpi. */
export const A4_PAGE_PX = { width: 794, height: 1123 } as const;

export interface PrintCheck {
  /** Elements whose box reaches past the printable width, as `tag#id.class "text…" (left–right)`. */
  overflowing: string[];
  scrollWidth: number;
  clientWidth: number;
  pdfPath: string;
  pdfBytes: number;
  /** The first bytes of the PDF ("%PDF-1.4…"). */
  pdfHead: string;
  /** The PNG of the first page, under test-artifacts/. */
  screenshot: string;
  screenshotBytes: number;
}

/**
 * Opens the HTML as a file in Debian's Chromium, as it is printed (print media, the printable width of A4),
 * finds every element that reaches past the printable width, prints it to an A4 PDF and takes a picture of the
 * first page. The PDF and PNG are saved under test-artifacts/ as `<name>.pdf` and `<name>-first-page.png`.
 */
export async function checkPrintable(html: string, name: string): Promise<PrintCheck> {
  const folder = await mkdtemp(join(tmpdir(), "golive-print-"));
  const file = join(folder, "index.html");
  await writeFile(file, html, "utf8");
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const browser = await launchChromium({ viewport: { width: A4_PRINTABLE_WIDTH_PX, height: 1000 } });
  try {
    const { page } = browser;
    await page.emulateMedia({ media: "print" });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const layout = await page.evaluate<{ overflowing: string[]; scrollWidth: number; clientWidth: number }>(
      OVERFLOW_SCRIPT,
    );

    const pdfPath = join(ARTIFACTS_DIR, `${name}.pdf`);
    const pdf = await page.pdf({ format: "A4", printBackground: true, path: pdfPath });

    // The first page as a person sees it on screen, at the size of an A4 page.
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: A4_PAGE_PX.width, height: A4_PAGE_PX.height });
    const screenshot = join(ARTIFACTS_DIR, `${name}-first-page.png`);
    await page.screenshot({
      path: screenshot,
      clip: { x: 0, y: 0, width: A4_PAGE_PX.width, height: A4_PAGE_PX.height },
    });

    return {
      ...layout,
      pdfPath,
      pdfBytes: pdf.length,
      pdfHead: pdf.subarray(0, 8).toString("latin1"),
      screenshot,
      screenshotBytes: (await stat(screenshot)).size,
    };
  } finally {
    await browser.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Runs in the page (a string, so this file needs no DOM types): every element with a box that starts left of
 * the page or ends right of its width, described so a failure says which one.
 */
const OVERFLOW_SCRIPT = `(() => {
  const width = document.documentElement.clientWidth;
  const overflowing = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right <= width + 0.5 && box.left >= -0.5) continue;
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).join(".")
      : (el.getAttribute("class") ? "." + el.getAttribute("class").trim().split(/\\s+/).join(".") : "");
    const section = el.closest("section");
    const where = section && section.id ? " in section#" + section.id : "";
    const text = (el.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 60);
    overflowing.push(el.tagName.toLowerCase() + id + cls + where + ' "' + text + '" (' +
      Math.round(box.left) + "–" + Math.round(box.right) + " px of " + width + ")");
  }
  return {
    overflowing,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  };
})()`;
