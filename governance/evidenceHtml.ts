import { formatDuration } from "./duration.js";
import type {
  AuditRow,
  BoardDecisionRow,
  CommandLogRow,
  ConfidenceRow,
  ControlRow,
  DayRow,
  EvidenceModel,
  IssueTimesRow,
  ReportFigures,
  RiskRow,
  SltDecisionRow,
} from "./evidenceModel.js";

/**
 * The evidence pack's `index.html` (domain page §5): what a commissioner or a CQC inspector reads, on screen or
 * printed on A4. One self-contained page: inline style, charts as inline SVG, no scripts, no web fonts, nothing
 * fetched. Pure and deterministic: the same model gives the same text, byte for byte. Everything people typed is
 * escaped; times are shown in the project's time zone.
 */

/** The sections of the pack, in order. `EvidenceMappingRow.sectionId` names one of these ids. */
export const EVIDENCE_SECTIONS = [
  { id: "summary", heading: "Summary" },
  { id: "contents", heading: "Contents" },
  { id: "mapping", heading: "How this pack maps to CQC and commissioners" },
  { id: "timeline", heading: "Timeline of phases and decisions" },
  { id: "decisions", heading: "Readiness decision file and minutes" },
  { id: "conditions", heading: "Conditions of approval" },
  { id: "checklist", heading: "Readiness checklist and go-live support plan" },
  { id: "training", heading: "Training evidence" },
  { id: "assurance", heading: "Assurance log: validation of high-risk records" },
  { id: "command-log", heading: "Go-live command log" },
  { id: "controls", heading: "Temporary controls" },
  { id: "issue-times", heading: "Time to temporary control and time to closure" },
  { id: "issues-per-day", heading: "Issues raised and resolved per day" },
  { id: "daily-decisions", heading: "Daily reviews and decisions" },
  { id: "audits", heading: "Stabilisation audits and trend" },
  { id: "confidence", heading: "Staff confidence" },
  { id: "risks", heading: "Unresolved risks" },
  { id: "stabilisation-report", heading: "Stabilisation report" },
  { id: "slt-decisions", heading: "SLT decisions" },
  { id: "follow-ups", heading: "Follow-up audit schedule" },
  { id: "files", heading: "Files in this pack and how to check them" },
] as const;
export type EvidenceSectionId = (typeof EVIDENCE_SECTIONS)[number]["id"];

/** Sections that start a new printed page. */
const NEW_PAGE: ReadonlySet<EvidenceSectionId> = new Set<EvidenceSectionId>([
  "mapping",
  "timeline",
  "decisions",
  "training",
  "command-log",
  "controls",
  "issue-times",
  "daily-decisions",
  "audits",
  "stabilisation-report",
  "files",
]);

const HEADINGS: ReadonlyMap<string, string> = new Map(EVIDENCE_SECTIONS.map((s) => [s.id, s.heading]));
const NOTHING = '<p class="nothing">Nothing recorded in this period.</p>';

export function renderEvidenceHtml(model: EvidenceModel): string {
  const f = new Formats(model.range.timeZone);
  const bodies: Record<EvidenceSectionId, string> = {
    summary: summarySection(model, f),
    contents: contentsSection(),
    mapping: mappingSection(model),
    timeline: timelineSection(model, f),
    decisions: decisionsSection(model, f),
    conditions: conditionsSection(model, f),
    checklist: readinessSection(model, f),
    training: trainingSection(model, f),
    assurance: assuranceSection(model, f),
    "command-log": commandLogSection(model, f),
    controls: controlsSection(model, f),
    "issue-times": issueTimesSection(model),
    "issues-per-day": issuesPerDaySection(model, f),
    "daily-decisions": dailyDecisionsSection(model, f),
    audits: auditsSection(model, f),
    confidence: confidenceSection(model, f),
    risks: risksSection(model, f),
    "stabilisation-report": stabilisationReportSection(model),
    "slt-decisions": sltDecisionsSection(model, f),
    "follow-ups": followUpsSection(model, f),
    files: filesSection(model),
  };
  const range = `${f.longDate(model.range.from)} – ${f.longDate(model.range.to)}`;
  const out: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en-GB">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`Go-live evidence pack: ${model.project.name} (${range})`)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    '<header class="cover">',
    '<p class="kicker">Go-live evidence pack</p>',
    `<h1>${esc(model.project.name)}</h1>`,
    `<p class="range">${esc(range)}</p>`,
    "</header>",
    "<main>",
  ];
  for (const section of EVIDENCE_SECTIONS) {
    const className = NEW_PAGE.has(section.id) ? ' class="new-page"' : "";
    out.push(
      `<section id="${section.id}"${className}>`,
      `<h2>${esc(section.heading)}</h2>`,
      bodies[section.id],
      "</section>",
    );
  }
  out.push("</main>", "</body>", "</html>", "");
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------------
// Text: escaping, dates, durations, numbers, labels
// ---------------------------------------------------------------------------------------------------

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text as HTML: &, <, >, " and ' escaped. */
function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Typed free text as HTML: escaped, line breaks kept. */
function para(value: string | undefined): string {
  return esc(value ?? "").replace(/\r\n?|\n/g, "<br>");
}

/** Typed text, or a plain "none" in grey when it is empty. */
function orNone(value: string | undefined, none = "None recorded"): string {
  return value && value.trim() !== "" ? para(value) : `<span class="muted">${esc(none)}</span>`;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-GB", {
        timeZone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      });
    } catch {
      return undefined;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Dates and times as people read them, in one time zone (UTC when the project's is not recognised). */
class Formats {
  readonly timeZone: string;
  readonly zoneKnown: boolean;
  private readonly formatter: Intl.DateTimeFormat | undefined;

  constructor(timeZone: string) {
    const formatter = formatterFor(timeZone);
    this.zoneKnown = formatter !== undefined;
    this.timeZone = formatter ? timeZone : "UTC";
    this.formatter = formatter ?? formatterFor("UTC");
  }

  private parts(moment: Date): { y: number; m: number; d: number; time: string } | undefined {
    if (!this.formatter) return undefined;
    const parts = new Map(this.formatter.formatToParts(moment).map((p) => [p.type, p.value]));
    const y = Number(parts.get("year"));
    const m = Number(parts.get("month"));
    const d = Number(parts.get("day"));
    if (!y || !m || !d) return undefined;
    return { y, m, d, time: `${parts.get("hour") ?? "00"}:${parts.get("minute") ?? "00"}` };
  }

  /** "2026-11-16" → "16 November 2026"; anything else as `when`. */
  longDate(value: string): string {
    const date = calendarDate(value);
    return date ? `${date.d} ${MONTHS[date.m - 1]} ${date.y}` : this.when(value);
  }

  /** "2026-11-16" → "16 Nov 2026"; an instant → "27 Nov 2026, 09:15" in the time zone; else as given. */
  when(value: string | undefined): string {
    if (value === undefined || value === "") return "";
    const date = calendarDate(value);
    if (date) return `${date.d} ${shortMonth(date.m)} ${date.y}`;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return value;
    const p = this.parts(new Date(ms));
    return p ? `${p.d} ${shortMonth(p.m)} ${p.y}, ${p.time}` : value;
  }

  /** "2026-11-16" → "16 Nov" (chart labels). */
  dayMonth(value: string): string {
    const date = calendarDate(value);
    if (date) return `${date.d} ${shortMonth(date.m)}`;
    const ms = Date.parse(value);
    const p = Number.isNaN(ms) ? undefined : this.parts(new Date(ms));
    return p ? `${p.d} ${shortMonth(p.m)}` : value;
  }
}

function calendarDate(value: string): { y: number; m: number; d: number } | undefined {
  const match = DATE_ONLY.exec(value);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(y, m - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== m - 1 || utc.getUTCDate() !== d) return undefined;
  return { y, m, d };
}

const shortMonth = (month: number) => (MONTHS[month - 1] ?? "").slice(0, 3);

/** 45 → "45 min", 95 → "1 h 35 min", 3120 → "2 days 4 h"; undefined → "none". */
function duration(minutes: number | undefined): string {
  return minutes === undefined || !Number.isFinite(minutes) ? "none" : formatDuration(minutes);
}

/** 1234 → "1,234"; 95.55 → "95.6". */
function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.round(value * 10) / 10;
  const [whole = "0", fraction] = String(Math.abs(rounded)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${rounded < 0 ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

const pct = (value: number) => `${num(value)}%`;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${num(count)} ${count === 1 ? one : many}`;
}

const LABELS: Record<string, string> = {
  proceed: "Proceed",
  delay: "Delay",
  conditional: "Conditional approval",
  close: "Close the go-live controls",
  extend: "Extend stabilisation",
  transfer: "Transfer to routine governance",
  continue: "Continue go-live support",
  increase: "Increase go-live support",
  reduce: "Reduce go-live support",
  red: "Red",
  amber: "Amber",
  green: "Green",
  met: "Met",
  waived: "Waived",
  open: "Open",
  closed: "Closed",
  resolved: "Resolved",
  done: "Done",
  due: "Due",
  overdue: "Overdue",
};

/** A code the system wrote ("conditional", "senior-oversight") as words; anything else as given. */
function label(value: string): string {
  const known = LABELS[value];
  if (known) return known;
  if (/^[a-z]+(?:-[a-z]+)*$/.test(value)) {
    const words = value.replace(/-/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  return value;
}

/** Met or not met, in words, with colour as a supplement. */
function metBadge(met: boolean, yes = "Met", no = "Not met"): string {
  return met ? `<span class="badge ok">${esc(yes)}</span>` : `<span class="badge bad">${esc(no)}</span>`;
}

function ragBadge(rag: string): string {
  const key = rag.toLowerCase();
  const tone = key === "red" ? "bad" : key === "amber" ? "warn" : key === "green" ? "ok" : "plain";
  return `<span class="badge ${tone}">${esc(label(rag))}</span>`;
}

// ---------------------------------------------------------------------------------------------------
// HTML building blocks
// ---------------------------------------------------------------------------------------------------

interface Column<T> {
  header: string;
  /** A share of the table's width, e.g. "12%". */
  width?: string;
  /** The cell's HTML; every piece of text in it must already be escaped. */
  cell: (row: T) => string;
  numeric?: boolean;
}

/**
 * A table with a caption and column headings. With `detail`, each row is followed by a full-width row (both in
 * their own `<tbody>`, kept together on a page), for long text that would make a narrow column very tall.
 */
function table<T>(
  caption: string,
  columns: Column<T>[],
  rows: readonly T[],
  rowClass?: (row: T) => string,
  detail?: (row: T) => string,
) {
  const out: string[] = [`<table><caption>${esc(caption)}</caption>`, "<colgroup>"];
  for (const c of columns) out.push(c.width ? `<col style="width:${c.width}">` : "<col>");
  out.push("</colgroup>", "<thead><tr>");
  for (const c of columns)
    out.push(`<th scope="col"${c.numeric ? ' class="num"' : ""}>${esc(c.header)}</th>`);
  out.push("</tr></thead>");
  if (!detail) out.push("<tbody>");
  for (const row of rows) {
    const extra = rowClass?.(row);
    const cls = extra ? ` class="${extra}"` : "";
    const cells = columns.map((c) => `<td${c.numeric ? ' class="num"' : ""}>${c.cell(row)}</td>`).join("");
    if (detail) {
      out.push(
        `<tbody class="pair"><tr${cls}>${cells}</tr><tr class="detail${extra ? ` ${extra}` : ""}"><td colspan="${columns.length}">${detail(row)}</td></tr></tbody>`,
      );
    } else out.push(`<tr${cls}>${cells}</tr>`);
  }
  if (!detail) out.push("</tbody>");
  out.push("</table>");
  return out.join("\n");
}

/** A table whose rows are headed by a label and whose columns are the given headings. */
function matrix(caption: string, corner: string, headings: string[], rows: Array<[string, string[]]>) {
  const out: string[] = [`<table class="matrix"><caption>${esc(caption)}</caption>`, "<thead><tr>"];
  out.push(`<th scope="col">${esc(corner)}</th>`);
  for (const h of headings) out.push(`<th scope="col" class="num">${esc(h)}</th>`);
  out.push("</tr></thead>", "<tbody>");
  for (const [heading, cells] of rows) {
    out.push(
      `<tr><th scope="row">${esc(heading)}</th>${cells.map((c) => `<td class="num">${c}</td>`).join("")}</tr>`,
    );
  }
  out.push("</tbody></table>");
  return out.join("\n");
}

/** A list of facts: each label is text, each value already HTML. */
function facts(items: Array<[string, string] | undefined>): string {
  const out = ['<dl class="facts">'];
  for (const item of items) {
    if (item) out.push(`<div><dt>${esc(item[0])}</dt><dd>${item[1]}</dd></div>`);
  }
  out.push("</dl>");
  return out.join("");
}

/** "Name, 27 Nov 2026, 09:15" for who-and-when cells. */
function byAt(f: Formats, by: string | undefined, at: string | undefined): string {
  const parts: string[] = [];
  if (by) parts.push(`<span class="who">${esc(by)}</span>`);
  if (at) parts.push(`<span class="when">${esc(f.when(at))}</span>`);
  return parts.length > 0 ? parts.join("<br>") : '<span class="muted">None recorded</span>';
}

function note(text: string): string {
  return `<p class="note">${text}</p>`;
}

/** The CSV that holds a section's rows in full, as the mapping names it. */
function csvFor(m: EvidenceModel, sectionId: string, fallback: string): string {
  return m.mapping.find((r) => r.sectionId === sectionId && r.file)?.file ?? fallback;
}

/** The wording when the printed table is capped and the CSV has the rest. */
function capNote(shown: number, total: number, file: string): string {
  if (total <= shown) return "";
  return note(
    `<strong>The first ${esc(num(shown))} of ${esc(num(total))} are shown; <code>${esc(file)}</code> has every one.</strong>`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------------

function summarySection(m: EvidenceModel, f: Formats): string {
  const zone = f.zoneKnown
    ? `Times are shown in the project's time zone, ${m.range.timeZone}.`
    : `The project's time zone (${m.range.timeZone}) is not recognised, so times are shown in UTC.`;
  const s = m.summary;
  const figures: Array<[string, number]> = [
    ["Issues raised", s.issuesRaised],
    ["Issues resolved", s.issuesResolved],
    ["Issues open at the end", s.issuesOpenAtEnd],
    ["Care-impacting issues", s.careImpacting],
    ["Temporary controls recorded", s.controlsRecorded],
    ["Refusals logged", s.refusals],
    ["Governance log entries in the period", s.logEntriesInRange],
  ];
  const out: string[] = [
    facts([
      ["Project", esc(m.project.name)],
      ["Sites", m.project.sites.length > 0 ? esc(m.project.sites.join(", ")) : orNone(undefined)],
      ["Phase at the end of the period", esc(label(m.project.phase))],
      m.project.goLiveDate ? ["Go-live date", esc(f.longDate(m.project.goLiveDate))] : undefined,
      m.project.liveFrom ? ["Live from", esc(f.longDate(m.project.liveFrom))] : undefined,
      ["Period covered", esc(`${f.longDate(m.range.from)} – ${f.longDate(m.range.to)} (both days included)`)],
      ["Time zone", esc(zone)],
      ["Produced", `${esc(f.when(m.producedAt))} by ${esc(m.producedBy)}`],
      [
        "Governance log",
        esc(
          `${plural(m.chain.entries, "entry", "entries")} when the pack was produced; the last is entry number ${num(m.chain.headSeq)}.`,
        ),
      ],
      ["Hash of the last entry (chain head)", `<code class="hash">${esc(m.chain.headHash)}</code>`],
    ]),
    "<h3>What happened in this period</h3>",
  ];
  if (s.points.length === 0) out.push(NOTHING);
  else out.push(`<ul class="points">${s.points.map((p) => `<li>${para(p)}</li>`).join("")}</ul>`);
  out.push(
    "<h3>The period in figures</h3>",
    '<dl class="figures">',
    ...figures.map(([name, value]) => `<div><dt>${esc(name)}</dt><dd>${esc(num(value))}</dd></div>`),
    "</dl>",
  );
  return out.join("\n");
}

function contentsSection(): string {
  const items = EVIDENCE_SECTIONS.filter((s) => s.id !== "contents").map(
    (s) => `<li><a href="#${s.id}">${esc(s.heading)}</a></li>`,
  );
  return `<nav aria-label="Contents"><ol class="toc">${items.join("")}</ol></nav>`;
}

function mappingSection(m: EvidenceModel): string {
  if (m.mapping.length === 0) return NOTHING;
  const list = (items: string[]) =>
    items.length === 0 ? orNone(undefined) : `<ul>${items.map((i) => `<li>${para(i)}</li>`).join("")}</ul>`;
  return [
    note(
      "Each section of this pack, the CQC quality statements it gives evidence for, and the questions a commissioner may ask that it answers.",
    ),
    table(
      "Sections, CQC quality statements and commissioner questions",
      [
        {
          header: "Section",
          width: "24%",
          cell: (r) => {
            // Linked, by the heading it has on this page, when it names a section of the page.
            const heading = HEADINGS.get(r.sectionId);
            return heading ? `<a href="#${r.sectionId}">${esc(heading)}</a>` : esc(r.section);
          },
        },
        { header: "File", width: "16%", cell: (r) => (r.file ? `<code>${esc(r.file)}</code>` : "") },
        { header: "CQC quality statements", width: "30%", cell: (r) => list(r.cqc) },
        { header: "Commissioner questions", width: "30%", cell: (r) => list(r.commissioner) },
      ],
      m.mapping,
    ),
  ].join("\n");
}

function timelineSection(m: EvidenceModel, f: Formats): string {
  if (m.timeline.length === 0) return NOTHING;
  const total = Math.max(m.timelineTotal ?? 0, m.timeline.length);
  return [capNote(m.timeline.length, total, "timeline.csv"), timelineTable(m, f)].join("\n");
}

function timelineTable(m: EvidenceModel, f: Formats): string {
  return table(
    "Phases and decisions in time order",
    [
      { header: "When", width: "18%", cell: (r) => esc(f.when(r.at)) },
      { header: "Kind", width: "16%", cell: (r) => esc(r.kind) },
      { header: "What happened", width: "46%", cell: (r) => para(r.what) },
      { header: "By", width: "20%", cell: (r) => esc(r.by) },
    ],
    m.timeline,
  );
}

function decisionsSection(m: EvidenceModel, f: Formats): string {
  if (m.decisions.length === 0) return NOTHING;
  return [
    note(
      "Each board decision as the minutes record it: who voted what and why, the blockers that stood, and the readiness evidence as it was when the vote closed.",
    ),
    ...m.decisions.map((d) => decisionCard(d, f)),
  ].join("\n");
}

function decisionCard(d: BoardDecisionRow, f: Formats): string {
  const out: string[] = [
    '<article class="card">',
    `<h3>Board decision ${esc(d.id)}${d.beforeRange ? " (taken before this period)" : ""}</h3>`,
  ];
  if (d.beforeRange) {
    out.push(note("This decision was taken before this period. It is shown because it governs the period."));
  }
  const tally = d.tally
    ? `Proceed ${num(d.tally.proceed)}, delay ${num(d.tally.delay)}, conditional approval ${num(d.tally.conditional)}`
    : undefined;
  const voted = new Set(d.votes.map((v) => v.voter));
  const notVoted = d.boardMembers.filter((member) => !voted.has(member));
  out.push(
    facts([
      ["Opened", `${esc(f.when(d.openedAt))} by ${esc(d.openedBy)}`],
      [
        "State",
        d.state === "closed"
          ? `Closed${d.closedAt ? ` ${esc(f.when(d.closedAt))}` : ""}${d.closedBy ? ` by ${esc(d.closedBy)}` : ""}`
          : "<strong>Open: the vote has not been closed</strong>",
      ],
      d.outcome ? ["Outcome", `<strong>${esc(label(d.outcome))}</strong>`] : undefined,
      tally ? ["Votes", esc(tally)] : undefined,
      d.goLiveDate ? ["Go-live date", esc(f.longDate(d.goLiveDate))] : undefined,
      d.newDate ? ["New target date", esc(f.longDate(d.newDate))] : undefined,
      ["Board members", d.boardMembers.length > 0 ? esc(d.boardMembers.join(", ")) : orNone(undefined)],
      notVoted.length > 0 ? ["Did not vote", esc(notVoted.join(", "))] : undefined,
    ]),
    `<h4>Votes and rationales</h4>`,
    d.votes.length === 0
      ? '<p class="nothing">No votes recorded.</p>'
      : table(
          `Votes on decision ${d.id}`,
          [
            { header: "Board member", width: "20%", cell: (v) => esc(v.voter) },
            { header: "Vote", width: "16%", cell: (v) => `<strong>${esc(label(v.choice))}</strong>` },
            { header: "Rationale", width: "46%", cell: (v) => para(v.rationale) },
            { header: "When", width: "18%", cell: (v) => esc(f.when(v.at)) },
          ],
          d.votes,
        ),
    "<h4>Blockers</h4>",
    d.blockers.length === 0
      ? '<p class="nothing">No blockers stood.</p>'
      : table(
          `Blockers when decision ${d.id} was taken`,
          [
            { header: "Area", width: "20%", cell: (b) => esc(label(b.area)) },
            { header: "Why it blocks go-live", width: "40%", cell: (b) => para(b.reason) },
            { header: "Evidence", width: "40%", cell: (b) => orNone(b.evidence) },
          ],
          d.blockers,
        ),
    "<h4>Readiness evidence as it stood</h4>",
    d.readinessEvidence.length === 0
      ? '<p class="nothing">No readiness evidence recorded.</p>'
      : table(
          `Readiness evidence for decision ${d.id}`,
          [
            { header: "Area", width: "26%", cell: (r) => esc(label(r.area)) },
            { header: "RAG", width: "14%", cell: (r) => ragBadge(r.rag) },
            { header: "Evidence", width: "60%", cell: (r) => orNone(r.evidence) },
          ],
          d.readinessEvidence,
        ),
    "</article>",
  );
  return out.join("\n");
}

function conditionsSection(m: EvidenceModel, f: Formats): string {
  if (m.conditions.length === 0) return NOTHING;
  const count = (state: string) => m.conditions.filter((c) => c.state === state).length;
  const pastDue = (c: EvidenceModel["conditions"][number]) =>
    c.state === "open" && calendarDate(c.due) !== undefined && c.due < m.range.to;
  const late = m.conditions.filter(pastDue).length;
  return [
    note(
      esc(
        `${plural(m.conditions.length, "condition")}: ${num(count("open"))} open, ${num(count("met"))} met, ${num(count("waived"))} waived.${late > 0 ? ` ${plural(late, "open condition is", "open conditions are")} past the due date.` : ""}`,
      ),
    ),
    table(
      "Conditions of go-live, each with its owner and due date",
      [
        {
          header: "Condition",
          width: "27%",
          cell: (c) =>
            `<span class="muted">${esc(c.id)} (decision ${esc(c.decisionId)})</span><br>${para(c.text)}`,
        },
        { header: "Blocker it answers", width: "19%", cell: (c) => para(c.blocker) },
        { header: "Owner", width: "13%", cell: (c) => esc(c.owner) },
        { header: "Due", width: "11%", cell: (c) => esc(f.when(c.due)) },
        {
          header: "State",
          width: "11%",
          cell: (c) =>
            c.state === "met"
              ? metBadge(true)
              : c.state === "waived"
                ? '<span class="badge warn">Waived</span>'
                : `<span class="badge bad">Open</span>${pastDue(c) ? "<br><strong>Past the due date</strong>" : ""}`,
        },
        {
          header: "Evidence and closure",
          width: "19%",
          cell: (c) =>
            `${orNone(c.evidence, "No evidence yet")}${c.closedBy || c.closedAt ? `<br>${byAt(f, c.closedBy, c.closedAt)}` : ""}`,
        },
      ],
      m.conditions,
      (c) => (c.state === "open" ? "flag" : ""),
    ),
  ].join("\n");
}

function readinessSection(m: EvidenceModel, f: Formats): string {
  const out: string[] = ["<h3>Readiness checklist</h3>"];
  if (m.checklist.length === 0) out.push(NOTHING);
  else
    out.push(
      table(
        "Readiness checklist by area",
        [
          { header: "Area", width: "16%", cell: (r) => esc(label(r.area)) },
          { header: "RAG", width: "10%", cell: (r) => ragBadge(r.rag) },
          { header: "Owner", width: "14%", cell: (r) => esc(r.owner) },
          { header: "Evidence", width: "25%", cell: (r) => orNone(r.evidence) },
          { header: "Note", width: "18%", cell: (r) => orNone(r.note, "") },
          { header: "Last updated", width: "17%", cell: (r) => byAt(f, r.updatedBy, r.updatedAt) },
        ],
        m.checklist,
      ),
    );
  out.push("<h3>Go-live support plan</h3>");
  const p = m.supportPlan;
  if (!p) out.push(NOTHING);
  else
    out.push(
      facts([
        ["Escalation routes", orNone(p.escalationRoutes, "No escalation route recorded")],
        ["Supplier contact", orNone(p.supplierContact)],
        ["On-site cover", orNone(p.onSiteCover)],
        [
          "Responsible lead per site",
          p.responsibleLeads.length === 0
            ? orNone(undefined, "No responsible lead recorded")
            : `<ul>${p.responsibleLeads.map((l) => `<li>${esc(l.site)}: ${esc(l.lead)}</li>`).join("")}</ul>`,
        ],
        ["Last updated", `${esc(f.when(p.updatedAt))} by ${esc(p.updatedBy)}`],
      ]),
    );
  return out.join("\n");
}

function trainingSection(m: EvidenceModel, f: Formats): string {
  if (m.training.length === 0) return NOTHING;
  const threshold = pct(m.trainingThresholdPercent);
  const below = m.training.filter((r) => !r.meetsThreshold);
  const summary =
    below.length === 0
      ? `Every staff role meets the threshold of ${threshold} trained.`
      : `${plural(below.length, "staff role is", "staff roles are")} below the threshold of ${threshold} trained: ${below
          .map((r) => `${r.staffRole} at ${r.site} (${pct(r.completionPercent)})`)
          .join("; ")}.`;
  return [
    note(`The threshold is ${esc(threshold)} of staff in each role trained. ${esc(summary)}`),
    table(
      `Training completion and confidence by site and staff role (threshold ${threshold})`,
      [
        { header: "Site", width: "12%", cell: (r) => esc(r.site) },
        { header: "Staff role", width: "12%", cell: (r) => esc(r.staffRole) },
        { header: "Staff", width: "7%", numeric: true, cell: (r) => esc(num(r.staff)) },
        {
          header: "Trained",
          width: "11%",
          numeric: true,
          cell: (r) => `${esc(num(r.completed))}<br>(${esc(pct(r.completionPercent))})`,
        },
        {
          header: "Confident",
          width: "11%",
          numeric: true,
          cell: (r) => `${esc(num(r.confident))}<br>(${esc(pct(r.confidencePercent))})`,
        },
        {
          header: `Meets ${threshold}?`,
          width: "13%",
          cell: (r) => metBadge(r.meetsThreshold, "Yes, meets it", `No: below ${threshold}`),
        },
        { header: "Confidence gaps", width: "18%", cell: (r) => orNone(r.gaps, "None recorded") },
        { header: "Last updated", width: "16%", cell: (r) => byAt(f, r.updatedBy, r.updatedAt) },
      ],
      m.training,
      (r) => (r.meetsThreshold ? "" : "flag"),
    ),
  ].join("\n");
}

function assuranceSection(m: EvidenceModel, f: Formats): string {
  if (m.assurance.length === 0) return NOTHING;
  const critical = m.assurance.filter((r) => r.critical > 0);
  const unsigned = m.assurance.filter((r) => !r.signedOff);
  const lines = [
    critical.length === 0
      ? "No critical discrepancies were recorded."
      : `Critical discrepancies were recorded in: ${critical.map((r) => `${label(r.recordType)} (${num(r.critical)})`).join(", ")}.`,
    unsigned.length === 0
      ? "Every record type is signed off."
      : `Not signed off: ${unsigned.map((r) => label(r.recordType)).join(", ")}.`,
  ];
  return [
    note(esc(lines.join(" "))),
    table(
      "Validation of high-risk records by the quality lead",
      [
        { header: "Record type", width: "13%", cell: (r) => esc(label(r.recordType)) },
        { header: "Sample", width: "8%", numeric: true, cell: (r) => esc(num(r.sampleSize)) },
        { header: "Checked", width: "9%", numeric: true, cell: (r) => esc(num(r.checked)) },
        { header: "Discrepancies", width: "12%", numeric: true, cell: (r) => esc(num(r.discrepancies)) },
        {
          header: "Critical",
          width: "13%",
          cell: (r) =>
            r.critical > 0
              ? `<span class="badge bad">${esc(plural(r.critical, "critical discrepancy", "critical discrepancies"))}</span>`
              : "None",
        },
        {
          header: "Signed off",
          width: "10%",
          cell: (r) => metBadge(r.signedOff, "Signed off", "Not signed off"),
        },
        { header: "Note", width: "19%", cell: (r) => orNone(r.note, "") },
        { header: "Last updated", width: "16%", cell: (r) => byAt(f, r.updatedBy, r.updatedAt) },
      ],
      m.assurance,
      (r) => (r.critical > 0 ? "flag" : ""),
    ),
  ].join("\n");
}

function issueFlags(r: CommandLogRow): string {
  const flags: string[] = [];
  if (r.careImpacting) flags.push('<span class="badge bad">Care-impacting</span>');
  if (r.unsafeWorkaround) flags.push('<span class="badge bad">Unsafe workaround</span>');
  if (r.reopened > 0)
    flags.push(`<span class="badge warn">Reopened ${esc(plural(r.reopened, "time"))}</span>`);
  return flags.join(" ");
}

/** What was done about an issue, in one paragraph: response, temporary control, resolution, evidence. */
function issueOutcome(r: CommandLogRow, f: Formats): string {
  const parts: string[] = [];
  if (r.firstResponseAt) parts.push(`First response ${esc(f.when(r.firstResponseAt))}.`);
  if (r.careImpacting) {
    parts.push(
      r.firstControlAt
        ? `Temporary control ${esc(f.when(r.firstControlAt))}${r.minutesToControl !== undefined ? `, ${esc(duration(r.minutesToControl))} after it became care-impacting` : ""} (${esc(plural(r.controls, "control"))} in all).`
        : "<strong>No temporary control recorded.</strong>",
    );
  }
  if (r.resolvedAt) {
    parts.push(
      `Resolved ${esc(f.when(r.resolvedAt))}${r.resolvedBy ? ` by ${esc(r.resolvedBy)}` : ""}${r.minutesToClosure !== undefined ? `, ${esc(duration(r.minutesToClosure))} after it was raised` : ""}.`,
    );
  } else parts.push("Not resolved by the end of the period.");
  if (r.closureEvidence) parts.push(`Closure evidence: ${para(r.closureEvidence)}`);
  if (r.verifiedBy || r.verifiedAt) {
    parts.push(
      `Verified${r.verifiedBy ? ` by ${esc(r.verifiedBy)}` : ""}${r.verifiedAt ? ` ${esc(f.when(r.verifiedAt))}` : ""}.`,
    );
  }
  return `<strong class="label">Control and closure:</strong> ${parts.join(" ")}`;
}

function commandLogSection(m: EvidenceModel, f: Formats): string {
  if (m.commandLog.length === 0) return NOTHING;
  const total = Math.max(m.commandLogTotal, m.commandLog.length);
  return [
    note(
      esc(
        `${plural(total, "issue was", "issues were")} active in this period: support requests, system issues, workflow concerns, risks, coaching and access problems. Each row is the issue as it stood at the end of the period.`,
      ),
    ),
    capNote(m.commandLog.length, total, csvFor(m, "command-log", "command-log.csv")),
    table(
      "Issues in the go-live command log",
      [
        {
          header: "Issue",
          width: "9%",
          cell: (r) =>
            `#${esc(num(r.number))}${r.id !== String(r.number) ? `<br><span class="muted">${esc(r.id)}</span>` : ""}`,
        },
        { header: "Raised", width: "15%", cell: (r) => byAt(f, r.raisedBy, r.raisedAt) },
        {
          header: "Priority and type",
          width: "15%",
          cell: (r) => `<strong>${esc(r.priority)}</strong> ${esc(label(r.type))}<br>${issueFlags(r)}`,
        },
        { header: "Site and theme", width: "15%", cell: (r) => `${esc(r.site)}<br>${esc(r.theme)}` },
        { header: "Description", width: "31%", cell: (r) => para(r.description) },
        {
          header: "Owner and status",
          width: "15%",
          cell: (r) => `${esc(r.owner)}<br><strong>${esc(label(r.status))}</strong>`,
        },
      ],
      m.commandLog,
      (r) => (r.careImpacting || r.unsafeWorkaround ? "flag" : ""),
      (r) => issueOutcome(r, f),
    ),
  ].join("\n");
}

function controlsSection(m: EvidenceModel, f: Formats): string {
  if (m.controls.length === 0) return NOTHING;
  const total = Math.max(m.controlsTotal, m.controls.length);
  return [
    note(
      esc(
        `${plural(total, "temporary control was", "temporary controls were")} recorded by registered managers for care-impacting issues (additional checks, senior oversight, paper back-up and others).`,
      ),
    ),
    capNote(m.controls.length, total, csvFor(m, "controls", "temporary-controls.csv")),
    table(
      "Temporary controls for care-impacting issues",
      [
        { header: "Issue", width: "10%", cell: (r: ControlRow) => esc(r.issueId) },
        { header: "Priority", width: "8%", cell: (r) => esc(r.priority) },
        { header: "Site", width: "12%", cell: (r) => esc(r.site) },
        { header: "Kind", width: "12%", cell: (r) => esc(label(r.kind)) },
        { header: "Control", width: "27%", cell: (r) => para(r.text) },
        { header: "Recorded", width: "17%", cell: (r) => byAt(f, r.by, r.at) },
        {
          header: "After becoming care-impacting",
          width: "14%",
          cell: (r) => esc(duration(r.minutesAfterCareImpacting)),
        },
      ],
      m.controls,
    ),
  ].join("\n");
}

function issueTimesSection(m: EvidenceModel): string {
  if (m.issueTimes.length === 0) return NOTHING;
  const rows = m.issueTimes;
  const cells = (fn: (r: IssueTimesRow) => string) => rows.map(fn);
  const within = (count: number, of: number, target: number) =>
    esc(`${num(count)} of ${num(of)} (target ${duration(target)})`);
  return [
    note(
      "Inspectors look for whether leaders understood issues and acted quickly. For each priority: how long it took from an issue becoming care-impacting to its first temporary control, and from being raised to being resolved.",
    ),
    matrix(
      "Time to temporary control and time to closure, by priority",
      "Priority",
      rows.map((r) => r.priority),
      [
        ["Issues", cells((r) => esc(num(r.issues)))],
        ["Care-impacting", cells((r) => esc(num(r.careImpacting)))],
        ["Given a temporary control", cells((r) => esc(num(r.controlled)))],
        ["Median time to temporary control", cells((r) => esc(duration(r.medianMinutesToControl)))],
        ["Longest time to temporary control", cells((r) => esc(duration(r.worstMinutesToControl)))],
        [
          "Controlled within target",
          cells((r) => within(r.controlsWithinTarget, r.controlled, r.controlTargetMinutes)),
        ],
        ["Resolved", cells((r) => esc(num(r.resolved)))],
        ["Median time to closure", cells((r) => esc(duration(r.medianMinutesToClosure)))],
        ["Longest time to closure", cells((r) => esc(duration(r.worstMinutesToClosure)))],
        [
          "Resolved within target",
          cells((r) => within(r.resolvedWithinTarget, r.resolved, r.resolutionTargetMinutes)),
        ],
      ],
    ),
    issueTimesChart(rows),
  ].join("\n");
}

function issuesPerDaySection(m: EvidenceModel, f: Formats): string {
  const raised = m.days.reduce((sum, d) => sum + d.raised, 0);
  const resolved = m.days.reduce((sum, d) => sum + d.resolved, 0);
  if (m.days.length === 0 || raised + resolved === 0) return NOTHING;
  let busiest: DayRow | undefined;
  for (const d of m.days) if (!busiest || d.raised > busiest.raised) busiest = d;
  const sentence = `${plural(raised, "issue")} raised and ${num(resolved)} resolved over ${plural(m.days.length, "day")}.${busiest && busiest.raised > 0 ? ` The most raised in one day was ${num(busiest.raised)}, on ${f.when(busiest.date)}.` : ""}`;
  return [note(esc(sentence)), daysChart(m.days, f, sentence)].join("\n");
}

function dailyDecisionsSection(m: EvidenceModel, f: Formats): string {
  if (m.dailyDecisions.length === 0) return NOTHING;
  const figures = (r: EvidenceModel["dailyDecisions"][number]) => {
    const parts: string[] = [];
    if (r.newIssues !== undefined) parts.push(`New ${num(r.newIssues)}`);
    if (r.openIssues !== undefined) parts.push(`Open ${num(r.openIssues)}`);
    if (r.resolvedIssues !== undefined) parts.push(`Resolved ${num(r.resolvedIssues)}`);
    return parts.length > 0 ? parts.map(esc).join("<br>") : '<span class="muted">Not recorded</span>';
  };
  return [
    note(
      "Each morning's review: the figures, the triggers for action, the recommendation and the rule it came from, and what the board decided and why.",
    ),
    table(
      "Daily reviews, recommendations and board decisions",
      [
        {
          header: "Day",
          width: "14%",
          cell: (r) =>
            `<strong>${esc(f.when(r.period))}</strong><br>${esc(label(r.review))}${r.postedAt ? `<br><span class="muted">Posted ${esc(f.when(r.postedAt))}</span>` : ""}`,
        },
        { header: "Issues", width: "11%", cell: figures },
        { header: "Triggers for action", width: "22%", cell: (r) => orNone(r.triggers, "None") },
        {
          header: "Recommendation",
          width: "23%",
          cell: (r) => `<strong>${esc(label(r.recommendation))}</strong><br>${para(r.rule)}`,
        },
        {
          header: "Board decision and rationale",
          width: "30%",
          cell: (r) =>
            r.decisions.length === 0
              ? '<span class="muted">No decision recorded</span>'
              : r.decisions
                  .map(
                    (d) =>
                      `<strong>${esc(label(d.choice))}</strong>: ${esc(d.by)}, ${esc(f.when(d.at))}<br>${para(d.rationale)}`,
                  )
                  .join("<br><br>"),
        },
      ],
      m.dailyDecisions,
    ),
  ].join("\n");
}

function auditsSection(m: EvidenceModel, f: Formats): string {
  if (m.audits.length === 0) return NOTHING;
  const allMet = m.audits.filter((a) => a.measures.every((x) => x.met)).length;
  const out: string[] = [
    note(
      esc(
        `${plural(m.audits.length, "audit")} in this period; ${num(allMet)} had every measure at or above its threshold.`,
      ),
    ),
  ];
  for (const a of m.audits) out.push(auditCard(a, f));
  out.push("<h3>Trend across audits</h3>", auditTrendChart(m.audits, f));
  return out.join("\n");
}

function auditCard(a: AuditRow, f: Formats): string {
  const failing = a.measures.filter((x) => !x.met);
  return [
    '<article class="card">',
    `<h3>Audit ${esc(a.id)}: ${esc(a.site)}, ${esc(f.when(a.at))}</h3>`,
    facts([
      ["Kind", esc(label(a.kind))],
      ["By", esc(a.by)],
      [
        "Result",
        failing.length === 0
          ? metBadge(true, "Every measure met its threshold")
          : metBadge(false, "", `Not met: ${failing.map((x) => label(x.measure)).join(", ")}`),
      ],
      a.embedded !== undefined
        ? ["Is system use still embedded?", metBadge(a.embedded, "Yes", "No")]
        : undefined,
      ["Notes", orNone(a.notes, "None")],
    ]),
    a.measures.length === 0
      ? '<p class="nothing">No measures recorded.</p>'
      : table(
          `Measures in audit ${a.id}`,
          [
            { header: "Measure", width: "28%", cell: (x) => esc(label(x.measure)) },
            { header: "Checked", width: "12%", numeric: true, cell: (x) => esc(num(x.checked)) },
            { header: "Passed", width: "12%", numeric: true, cell: (x) => esc(num(x.passed)) },
            { header: "Result", width: "12%", numeric: true, cell: (x) => esc(pct(x.percent)) },
            { header: "Threshold", width: "13%", numeric: true, cell: (x) => esc(pct(x.threshold)) },
            { header: "Met?", width: "23%", cell: (x) => metBadge(x.met, "Met", "Not met: below threshold") },
          ],
          a.measures,
          (x) => (x.met ? "" : "flag"),
        ),
    "</article>",
  ].join("\n");
}

function confidenceSection(m: EvidenceModel, f: Formats): string {
  if (m.confidence.length === 0) return NOTHING;
  const threshold = m.confidenceThresholdPercent;
  const pulses = new Map<string, ConfidenceRow[]>();
  for (const row of m.confidence) {
    const rows = pulses.get(row.pulseId);
    if (rows) rows.push(row);
    else pulses.set(row.pulseId, [row]);
  }
  const out: string[] = [
    note(
      esc(
        `Can staff complete their core workflows without extra support? Answers run from 1 to 5; staff answering 4 or 5 count as confident. The threshold is ${pct(threshold)} confident.`,
      ),
    ),
  ];
  for (const [pulseId, rows] of pulses) {
    const first = rows[0];
    if (!first) continue;
    out.push(
      `<h3>Pulse ${esc(pulseId)}, opened ${esc(f.when(first.openedAt))}${first.anonymous ? " (anonymous)" : ""}</h3>`,
      `<p class="question">${para(first.question)}</p>`,
      table(
        `Staff confidence in pulse ${pulseId}, by role and site`,
        [
          { header: "Staff role", width: "17%", cell: (r) => esc(r.role) },
          { header: "Site", width: "17%", cell: (r) => esc(r.site) },
          { header: "Answers", width: "10%", numeric: true, cell: (r) => esc(num(r.answers)) },
          {
            header: "Confident (4 or 5)",
            width: "13%",
            numeric: true,
            cell: (r) => esc(pct(r.confidentPercent)),
          },
          {
            header: `Meets ${pct(threshold)}?`,
            width: "17%",
            cell: (r) =>
              metBadge(r.confidentPercent >= threshold, "Yes, meets it", `No: below ${pct(threshold)}`),
          },
          {
            header: "How many scored 1, 2, 3, 4, 5",
            width: "26%",
            cell: (r) => esc(r.scores.map(num).join(", ")),
          },
        ],
        rows,
        (r) => (r.confidentPercent >= threshold ? "" : "flag"),
      ),
    );
  }
  return out.join("\n");
}

function risksSection(m: EvidenceModel, f: Formats): string {
  if (m.risks.length === 0) return NOTHING;
  const open = m.risks.filter((r) => r.state !== "closed");
  const closed = m.risks.filter((r) => r.state === "closed");
  const out: string[] = [];
  if (open.length === 0) out.push(note("No risk was unresolved at the end of this period."));
  else
    out.push(
      note(
        esc(
          `${plural(open.length, "risk was", "risks were")} unresolved at the end of this period. The score is likelihood × impact, each from 1 to 5: 15 or more is high.`,
        ),
      ),
      table(
        "Risks unresolved at the end of the period",
        [
          {
            header: "Risk",
            width: "34%",
            cell: (r: RiskRow) => `<span class="muted">${esc(r.id)}</span><br>${para(r.text)}`,
          },
          { header: "Owner", width: "15%", cell: (r) => esc(r.owner) },
          { header: "Score", width: "14%", cell: (r) => riskScore(r) },
          { header: "Review date", width: "13%", cell: (r) => esc(f.when(r.reviewDate)) },
          { header: "Raised", width: "24%", cell: (r) => byAt(f, r.raisedBy, r.raisedAt) },
        ],
        open,
        (r) => (r.score >= 15 ? "flag" : ""),
      ),
    );
  if (closed.length > 0) {
    out.push(
      "<h3>Risks closed</h3>",
      table(
        "Risks closed, with the evidence",
        [
          {
            header: "Risk",
            width: "36%",
            cell: (r: RiskRow) => `<span class="muted">${esc(r.id)}</span><br>${para(r.text)}`,
          },
          { header: "Owner", width: "16%", cell: (r) => esc(r.owner) },
          { header: "Closed", width: "16%", cell: (r) => esc(f.when(r.closedAt)) },
          { header: "Evidence", width: "32%", cell: (r) => orNone(r.evidence) },
        ],
        closed,
      ),
    );
  }
  return out.join("\n");
}

function riskScore(r: RiskRow): string {
  const band = r.score >= 15 ? "High" : r.score >= 8 ? "Medium" : "Low";
  const tone = r.score >= 15 ? "bad" : r.score >= 8 ? "warn" : "plain";
  return `<span class="badge ${tone}">${esc(`${band} ${num(r.score)}`)}</span><br>${esc(`${num(r.likelihood)} × ${num(r.impact)}`)}`;
}

function stabilisationReportSection(m: EvidenceModel): string {
  const r = m.stabilisationReport;
  if (!r) return NOTHING;
  const both = (fn: (x: ReportFigures) => string) => [fn(r.atGoLive), fn(r.recently)];
  const themes = (x: ReportFigures) =>
    x.repeatedThemes.length === 0 ? "None" : esc(x.repeatedThemes.join(", "));
  const unmet = r.criteria.filter((c) => !c.met);
  const out: string[] = [
    note(
      esc(
        `The go-live issues compared with recent performance. ${plural(r.openIssues, "issue was", "issues were")} still open when the report was written.`,
      ),
    ),
    matrix(
      "Go-live compared with recent performance",
      "Measure",
      [r.atGoLive.label, r.recently.label],
      [
        ["Issues raised", both((x) => esc(num(x.raised)))],
        ["Care-impacting issues", both((x) => esc(num(x.careImpacting)))],
        ["Median time to temporary control", both((x) => esc(duration(x.medianMinutesToControl)))],
        ["Median time to closure", both((x) => esc(duration(x.medianMinutesToClosure)))],
        ["Repeated themes", both(themes)],
      ],
    ),
    "<h3>Exit criteria</h3>",
  ];
  if (r.criteria.length === 0) out.push('<p class="nothing">No exit criteria recorded.</p>');
  else {
    out.push(
      note(
        esc(
          unmet.length === 0
            ? "Every exit criterion is met."
            : `${plural(unmet.length, "exit criterion is", "exit criteria are")} not met, so the go-live controls cannot yet be closed.`,
        ),
      ),
      table(
        "Exit criteria for closing the go-live controls",
        [
          { header: "Criterion", width: "46%", cell: (c) => para(c.criterion) },
          { header: "Met?", width: "16%", cell: (c) => metBadge(c.met) },
          { header: "Detail", width: "38%", cell: (c) => orNone(c.detail, "") },
        ],
        r.criteria,
        (c) => (c.met ? "" : "flag"),
      ),
    );
  }
  return out.join("\n");
}

function sltDecisionsSection(m: EvidenceModel, f: Formats): string {
  if (m.sltDecisions.length === 0) return NOTHING;
  return m.sltDecisions.map((d) => sltCard(d, f)).join("\n");
}

function sltCard(d: SltDecisionRow, f: Formats): string {
  return [
    '<article class="card">',
    `<h3>${esc(label(d.choice))}: ${esc(f.when(d.at))}</h3>`,
    facts([
      ["Decided by", esc(d.by)],
      ["Rationale", orNone(d.rationale)],
      d.reviewDate ? ["Next review", esc(f.longDate(d.reviewDate))] : undefined,
      [
        "Exit criteria as they stood",
        d.exitCriteria.length === 0
          ? orNone(undefined)
          : `<ul class="criteria">${d.exitCriteria.map((c) => `<li>${metBadge(c.met)} ${para(c.criterion)}</li>`).join("")}</ul>`,
      ],
    ]),
    "</article>",
  ].join("\n");
}

function followUpsSection(m: EvidenceModel, f: Formats): string {
  if (m.followUps.length === 0) return NOTHING;
  return [
    note("Follow-up audits check that use of the system is still accurate, consistent and embedded."),
    table(
      "Follow-up audits and their state",
      [
        { header: "Due", width: "25%", cell: (r) => esc(f.longDate(r.due)) },
        {
          header: "When",
          width: "25%",
          cell: (r) => esc(`${plural(r.months, "month")} after the go-live controls ended`),
        },
        { header: "Audit", width: "20%", cell: (r) => (r.auditId ? esc(r.auditId) : "Not yet done") },
        {
          header: "State",
          width: "30%",
          cell: (r) =>
            r.state === "done"
              ? metBadge(true, "Done")
              : r.state === "overdue"
                ? metBadge(false, "", "Overdue")
                : '<span class="badge plain">Due</span>',
        },
      ],
      m.followUps,
      (r) => (r.state === "overdue" ? "flag" : ""),
    ),
  ].join("\n");
}

function filesSection(m: EvidenceModel): string {
  const out: string[] = [];
  if (m.files.length === 0) out.push(NOTHING);
  else
    out.push(
      `<ul class="files">${m.files.map((file) => `<li><code>${esc(file.name)}</code>: ${para(file.holds)}</li>`).join("")}</ul>`,
    );
  out.push(
    "<h3>How to check nothing has been changed</h3>",
    `<p>Run <code>${esc("npm run verify-pack -- <folder>")}</code> in the Go-Live Governance tool, naming the folder that holds this pack. <code>manifest.json</code> holds the SHA-256 hash of every file in the pack and the hash of the last governance-log entry (the chain head, shown on the first page); the check works them out again and names any file that differs.</p>`,
  );
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------------
// Charts (inline SVG; the tables beside them hold the same figures)
// ---------------------------------------------------------------------------------------------------

const CHART_WIDTH = 680;
const INK = "#1f2933";
const GRID = "#c8cdd2";
const BLUE = "#0b5394";
const ORANGE = "#d55e00";
const SERIES = ["#0b5394", "#d55e00", "#009e73", "#cc79a7", "#7a5c00", "#56b4e9"];

/** Coordinates with one decimal, so the text stays short and identical run to run. */
const c = (value: number) => String(Math.round(value * 10) / 10);

/** Text cut to fit a chart label. */
function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

function svgOpen(id: string, height: number, title: string, desc: string): string {
  return [
    `<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${c(height)}" role="img" aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMidYMid meet">`,
    `<title id="${id}-title">${esc(title)}</title>`,
    `<desc id="${id}-desc">${esc(desc)}</desc>`,
  ].join("");
}

function figure(svg: string, caption: string): string {
  return `<figure class="chart">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

function svgText(x: number, y: number, text: string, attrs = ""): string {
  return `<text x="${c(x)}" y="${c(y)}"${attrs ? ` ${attrs}` : ""}>${esc(text)}</text>`;
}

function legendItem(x: number, y: number, colour: string, text: string): string {
  return `<rect x="${c(x)}" y="${c(y - 9)}" width="12" height="10" fill="${colour}"/>${svgText(x + 17, y, text)}`;
}

/** A round axis maximum and step for 0..max in about `ticks` steps. */
function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude) || 1;
  return { max: Math.ceil(max / step) * step, step };
}

/** Grouped horizontal bars: median minutes to control and to closure, for each priority. */
function issueTimesChart(rows: IssueTimesRow[]): string {
  const left = 70;
  const labelRoom = 150;
  const barArea = CHART_WIDTH - left - labelRoom;
  const barH = 14;
  const groupH = barH * 2 + 20;
  const top = 34;
  const height = top + rows.length * groupH + 6;
  const values = rows.flatMap((r) => [r.medianMinutesToControl ?? 0, r.medianMinutesToClosure ?? 0]);
  const max = Math.max(1, ...values);
  const describe = rows
    .map(
      (r) =>
        `${r.priority}: control ${duration(r.medianMinutesToControl)}, closure ${duration(r.medianMinutesToClosure)}`,
    )
    .join("; ");
  const out: string[] = [
    svgOpen(
      "chart-issue-times",
      height,
      "Median time to temporary control and to closure, by priority",
      `Median minutes by priority. ${describe}.`,
    ),
    `<g font-family="Arial, Helvetica, sans-serif" font-size="11" fill="${INK}">`,
    legendItem(left, 16, BLUE, "Median time to temporary control"),
    legendItem(left + 250, 16, ORANGE, "Median time to closure"),
  ];
  rows.forEach((r, i) => {
    const y0 = top + i * groupH;
    out.push(
      svgText(left - 8, y0 + barH + 4, clip(r.priority, 9), 'text-anchor="end" font-weight="bold"'),
      `<line x1="${left}" y1="${c(y0 - 3)}" x2="${left}" y2="${c(y0 + barH * 2 + 7)}" stroke="${GRID}"/>`,
    );
    const bars: Array<[string, number | undefined, string]> = [
      ["control", r.medianMinutesToControl, BLUE],
      ["closure", r.medianMinutesToClosure, ORANGE],
    ];
    bars.forEach(([name, value, colour], j) => {
      const y = y0 + j * (barH + 4);
      const w = value === undefined ? 0 : Math.max(value > 0 ? 1.5 : 0, (value / max) * barArea);
      if (w > 0)
        out.push(`<rect x="${left}" y="${c(y)}" width="${c(w)}" height="${barH}" fill="${colour}"/>`);
      out.push(svgText(left + w + 6, y + barH - 3, `${name}: ${clip(duration(value), 20)}`));
    });
  });
  out.push("</g></svg>");
  return figure(
    out.join(""),
    "Median times by priority. Bars share one scale; the figures beside them are the medians.",
  );
}

/** Columns of issues raised and resolved, one pair per day. */
function daysChart(days: DayRow[], f: Formats, desc: string): string {
  const left = 44;
  const right = 26;
  const top = 30;
  const plotH = 200;
  const bottom = 30;
  const height = top + plotH + bottom;
  const plotW = CHART_WIDTH - left - right;
  const scale = niceScale(Math.max(1, ...days.map((d) => Math.max(d.raised, d.resolved))));
  const y = (v: number) => top + plotH - (v / scale.max) * plotH;
  const groupW = plotW / days.length;
  const barW = Math.max(0.6, groupW * 0.38);
  const every = Math.max(1, Math.ceil(days.length / 9));
  const out: string[] = [
    svgOpen("chart-days", height, "Issues raised and resolved per day", desc),
    `<g font-family="Arial, Helvetica, sans-serif" font-size="11" fill="${INK}">`,
    legendItem(left, 14, BLUE, "Raised"),
    legendItem(left + 90, 14, ORANGE, "Resolved"),
  ];
  for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
    out.push(
      `<line x1="${left}" y1="${c(y(v))}" x2="${left + plotW}" y2="${c(y(v))}" stroke="${GRID}" stroke-width="0.8"/>`,
      svgText(left - 6, y(v) + 4, num(v), 'text-anchor="end"'),
    );
  }
  days.forEach((d, i) => {
    const x0 = left + i * groupW;
    if (d.raised > 0) {
      out.push(
        `<rect x="${c(x0 + groupW * 0.1)}" y="${c(y(d.raised))}" width="${c(barW)}" height="${c(top + plotH - y(d.raised))}" fill="${BLUE}"/>`,
      );
    }
    if (d.resolved > 0) {
      out.push(
        `<rect x="${c(x0 + groupW * 0.52)}" y="${c(y(d.resolved))}" width="${c(barW)}" height="${c(top + plotH - y(d.resolved))}" fill="${ORANGE}"/>`,
      );
    }
    if (i % every === 0) {
      out.push(
        `<line x1="${c(x0 + groupW / 2)}" y1="${top + plotH}" x2="${c(x0 + groupW / 2)}" y2="${top + plotH + 4}" stroke="${INK}"/>`,
        svgText(x0 + groupW / 2, top + plotH + 17, clip(f.dayMonth(d.date), 8), 'text-anchor="middle"'),
      );
    }
  });
  out.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="${INK}"/>`,
    "</g></svg>",
  );
  return figure(out.join(""), "Issues raised (left column) and resolved (right column) on each day.");
}

function marker(shape: number, x: number, y: number, colour: string): string {
  const [cx, cy] = [c(x), c(y)];
  switch (shape % 5) {
    case 0:
      return `<circle cx="${cx}" cy="${cy}" r="4" fill="${colour}"/>`;
    case 1:
      return `<rect x="${c(x - 4)}" y="${c(y - 4)}" width="8" height="8" fill="${colour}"/>`;
    case 2:
      return `<path d="M${c(x)} ${c(y - 5)}L${c(x + 5)} ${c(y + 4)}L${c(x - 5)} ${c(y + 4)}Z" fill="${colour}"/>`;
    case 3:
      return `<path d="M${c(x)} ${c(y - 5)}L${c(x + 5)} ${c(y)}L${c(x)} ${c(y + 5)}L${c(x - 5)} ${c(y)}Z" fill="${colour}"/>`;
    default:
      return `<path d="M${c(x - 4)} ${c(y - 4)}L${c(x + 4)} ${c(y + 4)}M${c(x + 4)} ${c(y - 4)}L${c(x - 4)} ${c(y + 4)}" stroke="${colour}" stroke-width="2.5"/>`;
  }
}

/** One line per measure across the audits, with the thresholds dashed. */
function auditTrendChart(audits: AuditRow[], f: Formats): string {
  const measures: string[] = [];
  for (const a of audits)
    for (const x of a.measures) if (!measures.includes(x.measure)) measures.push(x.measure);
  if (measures.length === 0) return '<p class="nothing">No measures recorded.</p>';
  const all = audits.flatMap((a) => a.measures.flatMap((x) => [x.percent, x.threshold]));
  const lo = Math.max(0, Math.min(90, Math.floor((Math.min(...all) - 2) / 10) * 10));
  const hi = 100;
  const left = 44;
  const right = 118;
  const top = 16;
  const plotH = 210;
  const plotW = CHART_WIDTH - left - right;
  const legendRows = Math.ceil(measures.length / 2);
  const height = top + plotH + 40 + legendRows * 18 + 6;
  const y = (v: number) => top + plotH - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * plotH;
  const pad = 24;
  const x = (i: number) =>
    audits.length === 1 ? left + plotW / 2 : left + pad + (i * (plotW - 2 * pad)) / (audits.length - 1);
  const step = hi - lo > 50 ? 20 : 10;
  const desc = measures
    .map(
      (name) =>
        `${label(name)}: ${audits
          .map((a) => {
            const m = a.measures.find((x) => x.measure === name);
            return m ? `${a.id} ${pct(m.percent)}` : undefined;
          })
          .filter((v) => v !== undefined)
          .join(", ")}`,
    )
    .join("; ");
  const out: string[] = [
    svgOpen("chart-audits", height, "Audit measures across audits, against their thresholds", `${desc}.`),
    `<g font-family="Arial, Helvetica, sans-serif" font-size="11" fill="${INK}">`,
  ];
  for (let v = lo; v <= hi; v += step) {
    out.push(
      `<line x1="${left}" y1="${c(y(v))}" x2="${left + plotW}" y2="${c(y(v))}" stroke="${GRID}" stroke-width="0.8"/>`,
      svgText(left - 6, y(v) + 4, `${v}%`, 'text-anchor="end"'),
    );
  }
  // Thresholds: dashed, labelled at the right, labels nudged apart so they never overlap.
  const thresholds = [...new Set(audits.flatMap((a) => a.measures.map((x) => x.threshold)))].sort(
    (a, b) => b - a,
  );
  let lastLabelY = -Infinity;
  for (const t of thresholds) {
    const ty = y(t);
    const labelY = Math.max(ty + 4, lastLabelY + 12);
    lastLabelY = labelY;
    out.push(
      `<line x1="${left}" y1="${c(ty)}" x2="${left + plotW}" y2="${c(ty)}" stroke="${INK}" stroke-width="1.2" stroke-dasharray="6 4"/>`,
      svgText(left + plotW + 6, labelY, `${pct(t)} threshold`),
    );
  }
  measures.forEach((name, k) => {
    const colour = SERIES[k % SERIES.length] ?? INK;
    const points: Array<[number, number]> = [];
    audits.forEach((a, i) => {
      const m = a.measures.find((x) => x.measure === name);
      if (m) points.push([x(i), y(m.percent)]);
    });
    if (points.length > 1) {
      out.push(
        `<polyline points="${points.map(([px, py]) => `${c(px)},${c(py)}`).join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`,
      );
    }
    for (const [px, py] of points) out.push(marker(k, px, py, colour));
  });
  const every = Math.max(1, Math.ceil(audits.length / 8));
  audits.forEach((a, i) => {
    if (i % every !== 0) return;
    out.push(
      svgText(x(i), top + plotH + 16, clip(a.id, 12), 'text-anchor="middle" font-weight="bold"'),
      svgText(x(i), top + plotH + 30, f.dayMonth(a.at), 'text-anchor="middle"'),
    );
  });
  out.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="${INK}"/>`,
  );
  measures.forEach((name, k) => {
    const colour = SERIES[k % SERIES.length] ?? INK;
    const lx = left + (k % 2) * 300;
    const ly = top + plotH + 54 + Math.floor(k / 2) * 18;
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"/>`,
      marker(k, lx + 11, ly - 4, colour),
      svgText(lx + 30, ly, clip(label(name), 40)),
    );
  });
  out.push("</g></svg>");
  return figure(
    out.join(""),
    "Each measure's result in each audit (a different marker for each measure); dashed lines are the thresholds.",
  );
}

// ---------------------------------------------------------------------------------------------------
// Style: screen and A4 print
// ---------------------------------------------------------------------------------------------------

const STYLE = `
@page { size: A4; margin: 15mm; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; padding: 10mm 8mm; max-width: 190mm;
  font-family: "Segoe UI", Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.4;
  color: #1f2933; background: #fff;
  overflow-wrap: anywhere; word-break: break-word;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
h1, h2, h3, h4 { line-height: 1.2; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 22pt; margin: 0 0 4pt; }
h2 { font-size: 15pt; margin: 0 0 8pt; padding-bottom: 3pt; border-bottom: 2px solid #0b5394; color: #0b3d6e; }
h3 { font-size: 12pt; margin: 12pt 0 6pt; }
h4 { font-size: 10.5pt; margin: 10pt 0 4pt; }
section { margin: 0 0 14mm; }
.cover { border-bottom: 4px solid #0b5394; margin-bottom: 8mm; padding-bottom: 4mm; }
.cover .kicker { margin: 0; text-transform: uppercase; letter-spacing: 0.06em; font-size: 9pt; color: #52606d; }
.cover .range { margin: 0; font-size: 13pt; }
p, ul, ol, dl { margin: 0 0 6pt; }
ul, ol { padding-left: 1.3em; }
li { margin: 0 0 2pt; }
a { color: #0b5394; }
code { font-family: "DejaVu Sans Mono", Consolas, "Liberation Mono", monospace; font-size: 0.92em; }
.hash { word-break: break-all; overflow-wrap: anywhere; }
.note { color: #323f4b; }
.muted { color: #52606d; }
.nothing { font-style: italic; color: #52606d; }
.question { font-style: italic; }
table { width: 100%; max-width: 100%; table-layout: fixed; border-collapse: collapse; margin: 0 0 8pt; font-size: 8.5pt; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9pt; padding: 0 0 3pt; }
th, td {
  border: 1px solid #c8cdd2; padding: 3pt 4pt; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; word-break: break-word; hyphens: auto;
}
thead { display: table-header-group; }
thead th { background: #e8eef4; }
th.num, td.num { text-align: right; }
tbody th { background: #f4f6f8; font-weight: 600; }
tr, tbody.pair, .card, figure, .figures > div, .facts > div, li { break-inside: avoid; page-break-inside: avoid; }
tr.flag td { background: #fdf1ec; }
tr.detail td { border-top: 0; padding-top: 0; }
tbody.pair > tr:first-child td { border-bottom: 0; }
.label { color: #323f4b; }
td ul { margin: 0; padding-left: 1.1em; }
.facts { border-top: 1px solid #e1e5e9; }
.facts > div { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 7fr); border-bottom: 1px solid #e1e5e9; }
.facts dt, .facts dd { margin: 0; padding: 3pt 4pt; min-width: 0; }
.facts dt { font-weight: 600; color: #323f4b; }
.facts dd ul { margin: 0; }
.figures { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 4pt; }
.figures > div { border: 1px solid #c8cdd2; border-radius: 4px; padding: 4pt 6pt; min-width: 0; }
.figures dt { font-size: 8.5pt; color: #52606d; }
.figures dd { margin: 0; font-size: 16pt; font-weight: bold; }
.toc { columns: 2; column-gap: 8mm; padding-left: 2.2em; }
.card { border: 1px solid #c8cdd2; border-radius: 4px; padding: 4pt 8pt 6pt; margin: 0 0 8pt; }
.card > h3 { margin-top: 4pt; }
.badge { display: inline-block; max-width: 100%; padding: 0 3pt; font-size: 0.95em; border-radius: 3px; border: 1px solid currentColor; font-weight: 600; }
.badge.ok { color: #14532d; background: #e3f4e8; }
.badge.bad { color: #8a1c12; background: #fbe4e0; }
.badge.warn { color: #6b4700; background: #fdf3d8; }
.badge.plain { color: #323f4b; background: #f4f6f8; }
.criteria { list-style: none; padding-left: 0; }
figure.chart { margin: 6pt 0 10pt; }
svg.chart { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { font-size: 8.5pt; color: #52606d; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 10pt; }
  .new-page { break-before: page; page-break-before: always; }
  section { margin-bottom: 8mm; }
  a { color: inherit; text-decoration: none; }
}
`
  .trim()
  .replace(/\n\s*/g, " ");
