import {
  CONTROL_KINDS,
  CONTROL_TITLES,
  ISSUE_TYPE_TITLES,
  ISSUE_TYPES,
  type Issue,
  type IssueStatus,
  type IssueSummary,
  type IssueTargets,
  PRIORITIES,
} from "../governance/commandLog.js";
import { CLOCK_TITLES, type Clock, type ClockName, OVERDUE_TITLES } from "../governance/issueClocks.js";
import { Cutter } from "./cutter.js";
import { type AdaptiveCard, expand } from "./render.js";
import issueTemplate from "./templates/issue.json" with { type: "json" };
import chooseProjectTemplate from "./templates/issue-choose-project.json" with { type: "json" };
import listTemplate from "./templates/issue-list.json" with { type: "json" };
import noticeTemplate from "./templates/issue-notice.json" with { type: "json" };
import targetsTemplate from "./templates/issue-targets.json" with { type: "json" };

export const ISSUE_VERBS = {
  triage: "issue.triage",
  workaround: "issue.workaround",
  assign: "issue.assign",
  update: "issue.update",
  control: "issue.control",
  resolve: "issue.resolve",
  reopen: "issue.reopen",
  verify: "issue.verify",
  page: "issue.page",
  targets: "issue.targets",
  raiseIn: "issue.raise-in",
} as const;

export interface IssueCardView {
  projectId: string;
  projectName: string;
  issue: Issue;
  clocks: Clock[];
  timeZone: string;
  sites: string[];
  /** People who can own an issue: role holders, suppliers first. */
  owners: Array<{ objectId: string; name: string; roles: string }>;
  /** A line on top, e.g. "Recorded in the governance log (entry 42)." or a refusal. */
  notice?: string;
}

export interface IssueListView {
  projectId: string;
  projectName: string;
  /** e.g. "Open issues", "Open care-impacting issues", "Open issues at Oak House", "Your open issues" */
  title: string;
  /** Opaque filter the bot sends back when paging: put it in the page buttons' data as `filter`. */
  filter: string;
  /** Only this page's rows. */
  rows: Array<{ summary: IssueSummary; overdue: ClockName[] }>;
  total: number;
  /** 1 for the first page. */
  page: number;
  pageSize: number;
  timeZone: string;
  /** e.g. "3 resolved issues await verification: type issues resolved." */
  footnote?: string;
}

export const STATUS_TITLES: Record<IssueStatus, string> = {
  open: "Open",
  resolved: "Resolved — awaiting verification",
  closed: "Closed (verified)",
};

/** Teams' safe size for a message carrying a card: 28 KB of serialized JSON. */
const MAX_CARD_BYTES = 28 * 1024;
/** Newest history entries shown on the issue card; the governance log keeps every one. */
const HISTORY_ON_CARD = 10;
/** Projects offered when someone who belongs to several raises an issue. */
const MAX_PROJECTS_ON_CARD = 20;
/** Characters of a description shown in a list row. */
const LIST_DESCRIPTION_CHARACTERS = 100;

const byteSize = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(card), "utf8");
const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------------
// Times and durations
// ---------------------------------------------------------------------------------------------------

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const formatters = new Map<string, Intl.DateTimeFormat | undefined>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  if (!formatters.has(timeZone)) {
    let formatter: Intl.DateTimeFormat | undefined;
    try {
      formatter = new Intl.DateTimeFormat("en-GB", {
        timeZone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        hourCycle: "h23",
      });
    } catch {
      formatter = undefined; // An unknown time zone: shown in UTC, and said so.
    }
    formatters.set(timeZone, formatter);
  }
  return formatters.get(timeZone);
}

/**
 * "Fri 27 Nov 10:15": a moment in the project's time zone (24-hour clock). Names are fixed English words, so
 * the text does not change with the server's ICU data. An unknown time zone gives UTC, marked as such.
 */
export function formatWhen(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const formatter = formatterFor(timeZone) ?? formatterFor("UTC");
  if (!formatter) return iso;
  const parts = new Map(formatter.formatToParts(date).map((p) => [p.type, p.value]));
  const [year, month, day] = [
    Number(parts.get("year")),
    Number(parts.get("month")),
    Number(parts.get("day")),
  ];
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  const time = `${(parts.get("hour") ?? "00").padStart(2, "0")}:${(parts.get("minute") ?? "00").padStart(2, "0")}`;
  const text = `${weekday} ${day} ${MONTHS[month - 1]} ${time}`;
  return formatterFor(timeZone) ? text : `${text} UTC`;
}

/** 15 → "15m", 240 → "4h", 4320 → "3d": the largest whole unit. */
export function formatDuration(minutes: number): string {
  const m = Math.round(minutes);
  if (m > 0 && m % 1440 === 0) return `${m / 1440}d`;
  if (m > 0 && m % 60 === 0) return `${m / 60}h`;
  return `${m}m`;
}

const DURATION_UNITS: Record<string, number> = {
  "": 1,
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
};

/**
 * Minutes from "15m", "15 min", "4h", "4 hours", "1.5h", "3d" or "90" (a bare number is minutes), any case.
 * Undefined unless it comes to a whole number of minutes, at least 1.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const unit = DURATION_UNITS[match[2] ?? ""];
  if (unit === undefined) return undefined;
  const minutes = Number(match[1]) * unit;
  const whole = Math.round(minutes);
  if (Math.abs(minutes - whole) > 1e-9 || whole < 1 || !Number.isSafeInteger(whole)) return undefined;
  return whole;
}

// ---------------------------------------------------------------------------------------------------
// The issue card
// ---------------------------------------------------------------------------------------------------

/**
 * How much of each long text the issue card shows. The card is rendered at the first fit that stays under 28 KB;
 * the full texts stay in the governance log.
 */
interface Fit {
  scale: number;
  history: number;
  owners: number;
}
const FITS: readonly Fit[] = [
  { scale: 1, history: HISTORY_ON_CARD, owners: 50 },
  { scale: 1, history: HISTORY_ON_CARD, owners: 25 },
  { scale: 0.6, history: HISTORY_ON_CARD, owners: 25 },
  { scale: 0.4, history: HISTORY_ON_CARD, owners: 20 },
  { scale: 0.25, history: 5, owners: 15 },
  { scale: 0.1, history: 3, owners: 10 },
];

function clockLine(clock: Clock, stopped: boolean, timeZone: string) {
  const title = CLOCK_TITLES[clock.name];
  const due = formatWhen(clock.dueAt, timeZone);
  const done = clock.doneAt ? formatWhen(clock.doneAt, timeZone) : "";
  switch (clock.state) {
    case "met":
      return { text: `${title}: met · due ${due} · done ${done}`, colour: "Good", weight: "Default" };
    case "late":
      return { text: `${title}: late · due ${due} · done ${done}`, colour: "Warning", weight: "Default" };
    case "overdue":
      return { text: `${title}: OVERDUE · was due ${due}`, colour: "Attention", weight: "Bolder" };
    case "running":
      // A resolved or closed issue stops the clocks still running: nothing more is due on it.
      return stopped
        ? { text: `${title}: stopped · was due ${due}`, colour: "Default", weight: "Default" }
        : { text: `${title}: running · due ${due}`, colour: "Default", weight: "Default" };
  }
}

function priorityHeading(issue: Issue): string {
  const proposed = issue.priorityProposed
    ? issue.status === "open"
      ? " (proposed — set it below)"
      : " (proposed)"
    : "";
  return `${issue.id} · ${issue.priority}${proposed}`;
}

function workaroundLine(issue: Issue): { text: string; colour: string; weight: string } | undefined {
  if (!issue.workaround) return undefined;
  if (issue.workaroundUnsafe === undefined) {
    // Only an open issue asks (with two buttons); afterwards the question has no one to answer it.
    return issue.status === "open"
      ? { text: "Staff are using a workaround. Is it unsafe?", colour: "Warning", weight: "Bolder" }
      : {
          text: "Staff used a workaround; nobody judged whether it was unsafe.",
          colour: "Default",
          weight: "Default",
        };
  }
  if (issue.workaroundUnsafe)
    return { text: "UNSAFE workaround in use", colour: "Attention", weight: "Bolder" };
  return { text: "Staff are using a workaround, judged safe.", colour: "Default", weight: "Default" };
}

function ownerLine(issue: Issue, cutter: Cutter, timeZone: string): string {
  if (!issue.owner)
    return issue.status === "open" ? "Owner: nobody yet — assign one below." : "Owner: nobody";
  const timescale = issue.owner.dueBy ? ` · timescale ${formatWhen(issue.owner.dueBy, timeZone)}` : "";
  return `Owner: ${cutter.name(issue.owner.person.name)}${timescale} · assigned ${formatWhen(issue.owner.assignedAt, timeZone)}`;
}

/** The owner's timescale as the Assign form's date and time in the project's time zone. */
function dueInputs(dueBy: string | undefined, timeZone: string): { dueDate: string; dueTime: string } {
  if (!dueBy) return { dueDate: "", dueTime: "" };
  const date = new Date(dueBy);
  const formatter = formatterFor(timeZone) ?? formatterFor("UTC");
  if (Number.isNaN(date.getTime()) || !formatter) return { dueDate: "", dueTime: "" };
  const parts = new Map(formatter.formatToParts(date).map((p) => [p.type, p.value]));
  const two = (type: Intl.DateTimeFormatPartTypes) => (parts.get(type) ?? "").padStart(2, "0");
  return {
    dueDate: `${parts.get("year")}-${two("month")}-${two("day")}`,
    dueTime: `${two("hour")}:${two("minute")}`,
  };
}

function issueCardData(view: IssueCardView, fit: Fit, cutter: Cutter) {
  const { issue, timeZone } = view;
  const stopped = issue.status !== "open";
  const workaround = workaroundLine(issue);

  const facts = [
    { title: "Type", value: ISSUE_TYPE_TITLES[issue.type] },
    {
      title: "Status",
      value:
        issue.reopenedCount > 0
          ? `${STATUS_TITLES[issue.status]} (reopened ${plural(issue.reopenedCount, "time")})`
          : STATUS_TITLES[issue.status],
    },
    { title: "Site", value: issue.site ?? "No site" },
    ...(issue.theme ? [{ title: "Theme", value: issue.theme }] : []),
    { title: "Project", value: cutter.text(view.projectName, 100) },
  ];

  const controls = [...issue.controls].reverse().map((c) => ({
    heading: `${CONTROL_TITLES[c.kind]} · ${cutter.name(c.by.name)} · ${formatWhen(c.at, timeZone)}`,
    text: cutter.text(c.text, 300),
  }));
  const earlierControls = issue.controlCount - issue.controls.length;

  const history = [...issue.history]
    .reverse()
    .slice(0, fit.history)
    .map((h) => ({
      line: `${formatWhen(h.at, timeZone)} · ${cutter.name(h.by)} · ${h.what}`,
      text: h.text ? cutter.text(h.text, 400) : "",
    }));
  const earlierHistory = Math.max(0, issue.historyCount - history.length);

  // No site is the choice left empty (its placeholder says "No site"): a choice cannot have an empty value.
  const siteChoices = [
    ...view.sites.map((s) => ({ title: s, value: s })),
    // A site since removed from the project's settings still shows as the issue's site.
    ...(issue.site && !view.sites.includes(issue.site) ? [{ title: issue.site, value: issue.site }] : []),
  ];

  const owners = view.owners.slice(0, fit.owners);
  const currentOwner = issue.owner?.person.objectId;
  const ownerChoices = owners.map((o) => ({
    title: `${cutter.text(o.name, 60)} — ${cutter.text(o.roles, 60)}`,
    value: o.objectId,
  }));
  if (issue.owner && !owners.some((o) => o.objectId === currentOwner)) {
    ownerChoices.push({
      title: `${cutter.name(issue.owner.person.name)} — current owner`,
      value: issue.owner.person.objectId,
    });
  }
  const ownersMore = view.owners.length - owners.length;

  return {
    verbs: ISSUE_VERBS,
    projectId: view.projectId,
    issueId: issue.id,
    hasNotice: (view.notice ?? "") !== "",
    notice: view.notice ?? "",
    heading: priorityHeading(issue),
    facts,
    careImpacting: issue.careImpacting,
    hasWorkaroundText: workaround !== undefined,
    workaroundText: workaround?.text ?? "",
    workaroundColour: workaround?.colour ?? "Default",
    workaroundWeight: workaround?.weight ?? "Default",
    // The judgement can be revised while the issue is open: a workaround judged safe may turn out unsafe.
    workaroundChoice: issue.workaround && issue.status === "open",
    offerUnsafe: issue.workaroundUnsafe !== true,
    offerSafe: issue.workaroundUnsafe !== false,
    unsafeTitle: issue.workaroundUnsafe === false ? "It is unsafe after all" : "Yes, it is unsafe",
    safeTitle: issue.workaroundUnsafe === true ? "It is safe now" : "No, it is safe",
    // In every button's data: a change made again on a newer card is a new request, not a double click.
    version: String(issue.historyCount),
    description: cutter.text(issue.description, 1000),
    raised: `Raised by ${cutter.name(issue.raisedBy.name)} · ${formatWhen(issue.raisedAt, timeZone)}`,
    clocks: view.clocks.map((c) => clockLine(c, stopped, timeZone)),
    owner: ownerLine(issue, cutter, timeZone),
    hasControlsSection: issue.careImpacting || issue.controlCount > 0,
    controlsNone:
      issue.controlCount === 0
        ? issue.status === "open"
          ? "None yet: the registered manager records one below."
          : "None recorded."
        : "",
    controls,
    controlsEarlier:
      earlierControls > 0
        ? `${plural(earlierControls, "earlier control")} ${earlierControls === 1 ? "is" : "are"} in the governance log.`
        : "",
    hasResolution: issue.resolution !== undefined,
    resolutionHeading: issue.resolution
      ? `Closure evidence · ${cutter.name(issue.resolution.by.name)} · ${formatWhen(issue.resolution.at, timeZone)}`
      : "",
    evidence: issue.resolution ? cutter.text(issue.resolution.evidence, 2000) : "",
    hasVerification: issue.verification !== undefined,
    verificationHeading: issue.verification
      ? `Closure verified · ${cutter.name(issue.verification.by.name)} · ${formatWhen(issue.verification.at, timeZone)}`
      : "",
    verificationNote: issue.verification ? cutter.text(issue.verification.note, 1000) : "",
    history,
    historyEarlier:
      earlierHistory > 0
        ? `${plural(earlierHistory, "earlier entry", "earlier entries")} ${earlierHistory === 1 ? "is" : "are"} in the governance log.`
        : "",
    isOpen: issue.status === "open",
    isResolved: issue.status === "resolved",
    isClosed: issue.status === "closed",
    priority: issue.priority,
    priorityChoices: PRIORITIES.map((p) => ({ title: p, value: p })),
    type: issue.type,
    typeChoices: ISSUE_TYPES.map((t) => ({ title: ISSUE_TYPE_TITLES[t], value: t })),
    hasSites: view.sites.length > 0 || issue.site !== undefined,
    site: issue.site ?? "",
    siteChoices,
    theme: issue.theme ?? "",
    careImpactingValue: String(issue.careImpacting),
    hasOwners: ownerChoices.length > 0,
    ownerValue: currentOwner ?? "",
    ownerChoices,
    ownersMore:
      ownersMore > 0
        ? `${plural(ownersMore, "more person", "more people")} can own it: give them a role first if they are not listed.`
        : "",
    ...dueInputs(issue.owner?.dueBy, timeZone),
    timeZoneNote: `Times are in the project's time zone (${timeZone}).`,
    controlChoices: CONTROL_KINDS.map((k) => ({ title: CONTROL_TITLES[k], value: k })),
    shortened: cutter.shortened,
  };
}

/** The triage card: everything about one issue, and the actions its status allows. */
export function issueCard(view: IssueCardView): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const fit of FITS) {
    const cutter = new Cutter(fit.scale);
    card = expand(issueTemplate, issueCardData(view, fit, cutter));
    if (byteSize(card) < MAX_CARD_BYTES) return card;
  }
  return card as AdaptiveCard;
}

// ---------------------------------------------------------------------------------------------------
// The list card
// ---------------------------------------------------------------------------------------------------

function listRow(summary: IssueSummary, overdue: readonly ClockName[], cutter: Cutter) {
  const heading = [
    summary.id,
    summary.priority,
    ISSUE_TYPE_TITLES[summary.type],
    STATUS_TITLES[summary.status],
    ...(summary.site ? [summary.site] : []),
  ].join(" · ");
  const flags = [
    ...(summary.careImpacting ? ["Care-impacting"] : []),
    ...(summary.workaround && summary.workaroundUnsafe ? ["UNSAFE workaround"] : []),
  ].join(" · ");
  return {
    heading,
    flags,
    overdue: overdue.length > 0 ? `OVERDUE: ${overdue.map((c) => OVERDUE_TITLES[c]).join("; ")}` : "",
    description: cutter.text(summary.description, LIST_DESCRIPTION_CHARACTERS),
    owner: summary.owner ? `Owner: ${cutter.name(summary.owner.person.name)}` : "No owner yet",
  };
}

/** One page of issues, with Previous and Next when there are such pages. */
export function issueListCard(view: IssueListView): AdaptiveCard {
  const pageSize = Math.max(1, view.pageSize);
  const lastPage = Math.max(1, Math.ceil(view.total / pageSize));
  const first = (view.page - 1) * pageSize + 1;
  const showing =
    view.total === 0
      ? "None."
      : view.rows.length === 0
        ? `Nothing on page ${view.page.toLocaleString("en-GB")}: there ${view.total === 1 ? "is" : "are"} ${plural(view.total, "issue")}.`
        : `Showing ${first.toLocaleString("en-GB")}–${(first + view.rows.length - 1).toLocaleString("en-GB")} of ${view.total.toLocaleString("en-GB")}`;
  const cutter = new Cutter();
  const rows = view.rows.map((r) => listRow(r.summary, r.overdue, cutter));
  return expand(listTemplate, {
    projectId: view.projectId,
    projectName: new Cutter().text(view.projectName, 100),
    title: view.title,
    filter: view.filter,
    verb: ISSUE_VERBS.page,
    showing,
    rows,
    hint: rows.length > 0 ? "To open one, type issue and its number, e.g. issue GL-42." : "",
    footnote: view.footnote ?? "",
    pages: [
      ...(view.page > 1 ? [{ title: "Previous", page: Math.min(view.page - 1, lastPage) }] : []),
      ...(view.page < lastPage ? [{ title: "Next", page: view.page + 1 }] : []),
    ],
  });
}

// ---------------------------------------------------------------------------------------------------
// The targets card and the project chooser
// ---------------------------------------------------------------------------------------------------

export function issueTargetsCard(view: {
  projectId: string;
  projectName: string;
  targets: IssueTargets;
  notice?: string;
}): AdaptiveCard {
  const { targets } = view;
  return expand(targetsTemplate, {
    projectId: view.projectId,
    projectName: view.projectName,
    verb: ISSUE_VERBS.targets,
    hasNotice: (view.notice ?? "") !== "",
    notice: view.notice ?? "",
    explanation: `First response and resolution times per priority, counted from when an issue is raised; a care-impacting issue needs a temporary control within ${formatDuration(targets.controlMinutes)}.`,
    priorities: PRIORITIES.map((p) => ({
      priority: p,
      firstResponse: formatDuration(targets[p].firstResponseMinutes),
      resolution: formatDuration(targets[p].resolutionMinutes),
    })),
    control: formatDuration(targets.controlMinutes),
  });
}

/**
 * Asks which project an issue is for. Each project is a button carrying the typed text back. When the text is
 * too long to repeat on every button within 28 KB, the projects are a choice (input id `projectId`) and one
 * button carries the text: the bot receives the same `projectId` and `raiseText` either way.
 */
export function chooseProjectCard(view: {
  projects: Array<{ projectId: string; name: string }>;
  raiseText: string;
}): AdaptiveCard {
  const projects = view.projects.slice(0, MAX_PROJECTS_ON_CARD).map((p) => ({
    projectId: p.projectId,
    name: new Cutter().text(p.name, 100),
  }));
  const base = {
    verb: ISSUE_VERBS.raiseIn,
    raiseText: view.raiseText,
    quoted: `Your issue: ${new Cutter().text(view.raiseText, 300)}`,
    projects,
    more:
      view.projects.length > projects.length
        ? `You belong to ${view.projects.length.toLocaleString("en-GB")} projects; the first ${projects.length} are shown. For another, raise the issue in that project's channel.`
        : "",
  };
  const asButtons = expand(chooseProjectTemplate, { ...base, buttons: projects, asChoice: false });
  if (byteSize(asButtons) < MAX_CARD_BYTES) return asButtons;
  return expand(chooseProjectTemplate, { ...base, buttons: [], asChoice: true });
}

/**
 * What replaces the "which project?" card once a project is picked: its buttons are gone, so a second click
 * cannot raise the same issue in another project.
 */
export function issueNoticeCard(view: { title: string; text: string }): AdaptiveCard {
  return expand(noticeTemplate, {
    title: new Cutter().text(view.title, 200),
    text: new Cutter().text(view.text, 1_000),
  });
}
