import { describe, expect, it } from "vitest";
import { EVIDENCE_SECTIONS, renderEvidenceHtml } from "../../governance/evidenceHtml.js";
import { EVIDENCE_MAPPING } from "../../governance/evidenceMapping.js";
import {
  emptyEvidenceModel,
  INJECTION,
  LONG_WORD,
  sampleEvidenceModel,
  stressEvidenceModel,
} from "../support/evidenceFixture.js";

/** The headings a commissioner or inspector finds, in the order they find them. */
const SECTIONS: Array<[string, string]> = [
  ["summary", "Summary"],
  ["contents", "Contents"],
  ["mapping", "How this pack maps to CQC and commissioners"],
  ["timeline", "Timeline of phases and decisions"],
  ["decisions", "Readiness decision file and minutes"],
  ["conditions", "Conditions of approval"],
  ["checklist", "Readiness checklist and go-live support plan"],
  ["training", "Training evidence"],
  ["assurance", "Assurance log: validation of high-risk records"],
  ["command-log", "Go-live command log"],
  ["controls", "Temporary controls"],
  ["issue-times", "Time to temporary control and time to closure"],
  ["issues-per-day", "Issues raised and resolved per day"],
  ["daily-decisions", "Daily reviews and decisions"],
  ["audits", "Stabilisation audits and trend"],
  ["confidence", "Staff confidence"],
  ["risks", "Unresolved risks"],
  ["stabilisation-report", "Stabilisation report"],
  ["slt-decisions", "SLT decisions"],
  ["follow-ups", "Follow-up audit schedule"],
  ["files", "Files in this pack and how to check them"],
];

const NOTHING = "Nothing recorded in this period.";

interface Section {
  id: string;
  heading: string;
  html: string;
  text: string;
}

function sectionsOf(html: string): Section[] {
  return [...html.matchAll(/<section id="([^"]+)"[^>]*>\s*<h2>([\s\S]*?)<\/h2>([\s\S]*?)<\/section>/g)].map(
    ([, id = "", heading = "", body = ""]) => ({
      id,
      heading: textOf(heading),
      html: body,
      text: textOf(body),
    }),
  );
}

function section(html: string, id: string): Section {
  const found = sectionsOf(html).find((s) => s.id === id);
  if (!found) throw new Error(`No section#${id} in the page`);
  return found;
}

/** What a reader sees: tags dropped, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<br>/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The table rows of some HTML, each as the text a reader sees. */
function rowsOf(html: string): string[] {
  return [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map(([, row = ""]) => textOf(row));
}

/** Every real tag in the page (typed text is escaped, so `&lt;script&gt;` is not one). */
function tagsOf(html: string): string[] {
  return [...html.matchAll(/<[a-zA-Z][^<>]*>/g)].map(([tag]) => tag);
}

const sample = renderEvidenceHtml(sampleEvidenceModel());
const stress = renderEvidenceHtml(stressEvidenceModel());

describe("the evidence pack's index.html", () => {
  it("has every section a commissioner or inspector looks for, in order, each with its heading", () => {
    for (const html of [sample, stress, renderEvidenceHtml(emptyEvidenceModel())]) {
      expect(sectionsOf(html).map((s) => [s.id, s.heading])).toEqual(SECTIONS);
    }
    expect(EVIDENCE_SECTIONS.map((s) => [s.id, s.heading])).toEqual(SECTIONS);
  });

  it("is a whole page in British English, in UTF-8, with a title naming the project and period", () => {
    expect(sample.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(sample).toContain('<html lang="en-GB">');
    expect(sample).toContain('<meta charset="utf-8">');
    expect(sample).toContain(
      "<title>Go-live evidence pack: Rosewood &amp; Elm ECM go-live (1 November 2026 – 31 December 2026)</title>",
    );
  });

  it("opens with the project, the period, the time zone, who produced it and the chain head", () => {
    const model = sampleEvidenceModel();
    const summary = section(sample, "summary").text;
    expect(summary).toContain("Rosewood House, Elm Court");
    expect(summary).toContain("1 November 2026 – 31 December 2026 (both days included)");
    expect(summary).toContain("Times are shown in the project's time zone, Europe/London.");
    expect(summary).toContain("4 Jan 2027, 09:30 by Priya Shah");
    expect(summary).toContain("1,842 entries when the pack was produced");
    expect(summary).toContain(model.chain.headHash);
    expect(summary).toContain("Both homes went live on the ECM on 16 November 2026.");
    expect(summary).toMatch(/Issues raised 40 Issues resolved 35 Issues open at the end 5/);
  });

  describe("escapes everything people typed", () => {
    it("so markup typed into an issue, a vote or a name never reaches the page as markup", () => {
      expect(stress).not.toMatch(/<script/i);
      expect(stress).not.toMatch(/<img/i);
      expect(stress).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(stress).toContain("&quot;quotes&quot; &amp; ampersands &#39;apostrophes&#39;");
      for (const tag of tagsOf(stress)) expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
      // What a reader sees is exactly what was typed.
      expect(section(stress, "command-log").text).toContain(INJECTION);
    });

    it("so a mapping row naming no section of the page is shown, but not linked", () => {
      const mapping = section(stress, "mapping");
      expect(mapping.text).toContain("Unknown section");
      expect(mapping.html).not.toContain('href="#nowhere');
      expect(mapping.html).toContain('<a href="#decisions">Readiness decision file and minutes</a>');
    });
  });

  it("links every row of the pack's CQC and commissioner mapping to its section, by the heading it has", () => {
    const mapping = section(sample, "mapping");
    const links = [...mapping.html.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map(([, id, text]) => [
      id,
      text,
    ]);
    expect(links).toEqual(
      EVIDENCE_MAPPING.map((row) => [
        row.sectionId,
        EVIDENCE_SECTIONS.find((s) => s.id === row.sectionId)?.heading,
      ]),
    );
    expect(mapping.text).toContain("Safe: Safe and effective staffing");
    expect(mapping.text).toContain("How were staff supported?");
  });

  it("fetches nothing: no scripts, no web fonts, every link a place in the page", () => {
    for (const html of [sample, stress]) {
      const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map(([, id]) => id));
      const refs = tagsOf(html).flatMap((tag) =>
        [...tag.matchAll(/\s(?:src|href|xlink:href|action|srcset|poster)\s*=\s*"([^"]*)"/gi)].map(
          ([, v]) => v ?? "",
        ),
      );
      expect(refs.length).toBeGreaterThan(20);
      for (const ref of refs) {
        expect(ref.startsWith("#") || ref.startsWith("data:"), ref).toBe(true);
        if (ref.startsWith("#")) expect(ids.has(ref.slice(1)), `${ref} names no element`).toBe(true);
      }
      expect(html).not.toMatch(/<(script|link|iframe|object|embed|img)\b/i);
      expect(html).not.toMatch(/@import|@font-face|url\(\s*["']?(?!#)/i);
    }
  });

  it("draws its charts as inline SVG, scaled to the page", () => {
    const svgs = [...sample.matchAll(/<svg\b[^>]*>/g)].map(([tag]) => tag);
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) {
      expect(svg).toMatch(/viewBox="0 0 680 [\d.]+"/);
      expect(svg).toContain('role="img"');
    }
    expect(section(sample, "issue-times").html).toContain('<title id="chart-issue-times-title">');
    expect(section(sample, "issues-per-day").html).toContain('<title id="chart-days-title">');
    expect(section(sample, "audits").html).toContain('<title id="chart-audits-title">');
    expect(sample).toContain("svg.chart { display: block; width: 100%; max-width: 100%; height: auto; }");
  });

  it("is laid out for A4: margins, page breaks, repeating headings, nothing wider than the page", () => {
    expect(sample).toContain("@page { size: A4; margin: 15mm; }");
    expect(sample).toContain(".new-page { break-before: page;");
    expect(sample).toContain("thead { display: table-header-group; }");
    expect(sample).toMatch(/table \{ width: 100%; max-width: 100%; table-layout: fixed;/);
    expect(sample).toMatch(/th, td \{[^}]*overflow-wrap: anywhere; word-break: break-word;/);
    expect(sample).toMatch(/tr, tbody\.pair, \.card, figure[^{]*\{ break-inside: avoid;/);
    expect(sample).toContain('<section id="command-log" class="new-page">');
    for (const tag of [...sample.matchAll(/<th\b[^>]*>/g)].map(([t]) => t))
      expect(tag).toMatch(/scope="(col|row)"/);
    expect((sample.match(/<table>|<table class="matrix">/g) ?? []).length).toBe(
      (sample.match(/<caption>/g) ?? []).length,
    );
  });

  describe("the command log and the temporary controls", () => {
    it("say when only the first rows are printed and the CSV has the rest", () => {
      expect(section(stress, "command-log").text).toContain(
        "The first 1,000 of 1,250 are shown; command-log.csv has every one.",
      );
      const controls = stressEvidenceModel();
      expect(section(stress, "controls").text).toContain(
        `The first 1,000 of ${controls.controlsTotal.toLocaleString("en-GB")} are shown; temporary-controls.csv has every one.`,
      );
      expect(sample).not.toContain("are shown;");
    });

    it("print every row they are given, with closure evidence and the time to control", () => {
      expect((section(stress, "command-log").html.match(/<tbody class="pair">/g) ?? []).length).toBe(1_000);
      expect(rowsOf(section(stress, "controls").html)).toHaveLength(1_001);
      const first = rowsOf(section(sample, "command-log").html).slice(1, 3).join(" ");
      expect(first).toContain("#1 I-0001");
      expect(first).toContain("Care-impacting");
      expect(first).toContain(
        "Temporary control 16 Nov 2026, 07:50, 20 min after it became care-impacting (1 control in all).",
      );
      expect(first).toContain("Closure evidence: Fix deployed by supplier (ticket CS-4100)");
    });
  });

  it("shows time to control and to closure in hours and minutes, by priority", () => {
    const times = section(sample, "issue-times").text;
    expect(times).toMatch(/Priority P1 P2 P3 P4/);
    expect(times).toContain("Controlled within target 4 of 4 (target 2 h)");
    expect(times).toContain("Median time to temporary control 20 min 33 min 1 h 25 min none");
    expect(section(sample, "stabilisation-report").text).toContain(
      "Median time to temporary control 1 h 35 min none",
    );
    expect(section(sample, "issue-times").html).toContain(">control: 1 h 25 min</text>");
  });

  it("says in words, not only in colour, which staff roles are below the training threshold", () => {
    const training = section(sample, "training");
    expect(training.text).toContain(
      "1 staff role is below the threshold of 95% trained: Night carers at Elm Court (89%).",
    );
    const nightCarers = rowsOf(training.html).find((r) => r.includes("Night carers"));
    expect(nightCarers).toContain("No: below 95%");
    const carers = rowsOf(training.html).find((r) => r.startsWith("Rosewood House Carers"));
    expect(carers).toContain("Yes, meets it");
  });

  it("says in words which exit criteria are not met, and what the SLT decided", () => {
    const report = section(sample, "stabilisation-report");
    expect(report.text).toContain(
      "2 exit criteria are not met, so the go-live controls cannot yet be closed.",
    );
    const row = rowsOf(report.html).find((r) => r.startsWith("Staff confidence at or above 80%"));
    expect(row).toContain("Not met");
    const slt = section(sample, "slt-decisions").text;
    expect(slt).toContain("Extend stabilisation: 18 Dec 2026, 11:00");
    expect(slt).toContain("Not met Rosewood House: the last two audits meet every threshold.");
    expect(slt).toContain("Next review 15 January 2027");
  });

  it("keeps the minutes: votes with rationales, blockers, and a decision taken before the period marked as such", () => {
    const decisions = section(sample, "decisions");
    expect(decisions.text).toContain("Board decision D1 (taken before this period)");
    expect(decisions.text).toContain("This decision was taken before this period.");
    expect(decisions.text).not.toContain("Board decision D2 (taken before this period)");
    expect(decisions.text).toContain("Outcome Conditional approval");
    expect(decisions.text).toContain("Votes Proceed 1, delay 0, conditional approval 3");
    expect(decisions.text).toContain("Did not vote Hannah Brooks");
    expect(decisions.text).toContain(
      "Tom Okafor Proceed Rosewood House is ready; paper back-up is in place.",
    );
    expect(decisions.text).toContain("Access Three agency carers have no ECM login.");
  });

  it("marks critical discrepancies, open conditions and unsigned records in words", () => {
    const assurance = section(sample, "assurance").text;
    expect(assurance).toContain("Critical discrepancies were recorded in: Medication (1).");
    expect(assurance).toContain("Not signed off: Risk assessments.");
    expect(rowsOf(section(sample, "assurance").html).find((r) => r.startsWith("Medication"))).toContain(
      "1 critical discrepancy",
    );
    const conditions = section(sample, "conditions").text;
    expect(conditions).toContain(
      "3 conditions: 1 open, 2 met, 0 waived. 1 open condition is past the due date.",
    );
    expect(conditions).toContain("Open Past the due date");
  });

  it("shows staff confidence by role and site against its threshold", () => {
    const rows = rowsOf(section(sample, "confidence").html);
    expect(rows.find((r) => r.startsWith("Night carers Elm Court"))).toContain("44% No: below 80%");
    expect(rows.find((r) => r.startsWith("Carers Rosewood House"))).toContain("85% Yes, meets it");
  });

  it("lists the files and says how to check them", () => {
    const files = section(sample, "files").text;
    expect(files).toContain("manifest.json : The SHA-256 of every file and the chain head.");
    expect(files).toContain("Run npm run verify-pack -- <folder>");
    expect(files).toContain("manifest.json holds the SHA-256 hash of every file in the pack");
  });

  it("shows times in the project's time zone", () => {
    const summer = sampleEvidenceModel({ producedAt: "2026-07-01T08:15:00.000Z" });
    expect(section(renderEvidenceHtml(summer), "summary").text).toContain("1 Jul 2026, 09:15 by Priya Shah");
    const kolkata = sampleEvidenceModel({
      producedAt: "2026-07-01T08:15:00.000Z",
      range: { from: "2026-06-01", to: "2026-07-01", timeZone: "Asia/Kolkata" },
    });
    const text = section(renderEvidenceHtml(kolkata), "summary").text;
    expect(text).toContain("1 Jul 2026, 13:45 by Priya Shah");
    expect(text).toContain("1 June 2026 – 1 July 2026");
    const unknown = sampleEvidenceModel({
      range: { from: "2026-11-01", to: "2026-12-31", timeZone: "Mars/Olympus" },
    });
    expect(section(renderEvidenceHtml(unknown), "summary").text).toContain(
      "The project's time zone (Mars/Olympus) is not recognised, so times are shown in UTC.",
    );
  });

  it("is the same, byte for byte, each time it is rendered from the same model", () => {
    const model = stressEvidenceModel();
    const first = renderEvidenceHtml(model);
    expect(renderEvidenceHtml(model)).toBe(first);
    expect(renderEvidenceHtml(structuredClone(model))).toBe(first);
    expect(first).toBe(stress);
  });

  it("says plainly when a section has nothing in the period", () => {
    const empty = renderEvidenceHtml(emptyEvidenceModel());
    for (const s of sectionsOf(empty)) {
      if (s.id === "contents") continue;
      expect(s.text, `section#${s.id}`).toContain(NOTHING);
    }
    expect(empty).not.toContain("<svg");
    expect(section(empty, "summary").text).toContain("Issues raised 0");
    expect(section(empty, "files").text).toContain("npm run verify-pack");
  });

  it("renders a thousand command-log rows and a thousand controls quickly", () => {
    const model = stressEvidenceModel();
    const started = performance.now();
    const html = renderEvidenceHtml(model);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(html).toContain(LONG_WORD);
  });
});
