/**
 * The scheduled reviews at scale: (1) building one morning's digest (`digestFor` + `digestCard`, all but the post)
 * for a project with 10,000 issues, 500 open and 5,000 open; (2) the storage requests one digest makes, counted
 * at the table client, for the same open and recent issues with 1,000 and with 10,000 issues of history; (3) one
 * dispatcher tick (`runScheduledReviews`) over 100 live projects, then the next tick with nothing due. The big
 * command logs are seeded as in issueList.ts (`applyIssueEvent` + `issueRows`, straight into the partition); the
 * 100 projects are set up through the governance log. Called from messages.bench.ts after the issue lists.
 */

import { performance } from "node:perf_hooks";
import type { TableClient } from "@azure/data-tables";
import type { Activity } from "botbuilder";
import { digestCard } from "../adaptive-cards/digestCards.js";
import { consoleLogger } from "../bot/logger.js";
import type { ChannelPoster } from "../bot/outbound.js";
import { digestFor, type ReviewDependencies, runScheduledReviews } from "../bot/reviews.js";
import { dateIn } from "../governance/boardDecision.js";
import {
  applyIssueEvent,
  countDay,
  type DayStats,
  EMPTY_COMMAND_LOG,
  ISSUE_TYPES,
  type Issue,
  type IssueEvent,
  type IssueType,
  issueIdOf,
  type Triage,
} from "../governance/commandLog.js";
import { type Decision, decideSettings, decideSetup } from "../governance/decisions.js";
import { buildDigest } from "../governance/digest.js";
import type { Digest } from "../governance/digestTypes.js";
import type { Actor } from "../governance/events.js";
import { decideRaise, type RaiseRequest } from "../governance/issueRules.js";
import { type ChannelBinding, type ProjectState, projectIdForChannel } from "../governance/project.js";
import { EMPTY_READINESS } from "../governance/readiness.js";
import { addDays, dueDigestPeriod, localNow } from "../governance/schedule.js";
import { EMPTY_STABILISATION } from "../governance/stabilisation.js";
import { TableConversationReferences } from "../store/conversationReferences.js";
import { GovernanceLog, openGovernanceLog } from "../store/governanceLog.js";
import { type StorageTarget, TABLE_NAMES, tableClient } from "../store/tables.js";
import { newChannel, PEOPLE, TENANT_ID } from "../test/support/fixtures.js";
import { count, ms, printTable, seedIssueRows, timeRuns } from "./measure.js";
import {
  EVIDENCE,
  OWNERS,
  person,
  pick,
  pickPriority,
  RAISERS,
  random,
  VERIFIERS,
  WHERE,
} from "./seedData.js";

const { priya, tom, grace, dev } = PEOPLE;

const ISSUES = 10_000;
/** The smaller history of the request-count comparison: the same open and recent issues, less closed history. */
const SMALL_HISTORY = 1_000;
/** Issues raised in the last 7 days: the quiet end of a go-live whose first weeks were busy. */
const RECENT_ISSUES = 60;
/** Resolved with closure evidence, awaiting verification (their own list). */
const AWAITING = 40;
const WARMUP_RUNS = 2;
const RUNS = 20;
const time = (work: () => Promise<void>) => timeRuns(work, { warmups: WARMUP_RUNS, runs: RUNS });
const AIM_MS = 200;
/** Rows per page of a query (the store asks for 1,000, Table Storage's maximum). */
const PAGE_ROWS = 1_000;
/** Set-up changes in flight at once. */
const SEED_CONCURRENCY = 4;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const SPREAD_DAYS = 60;
/** The go-live surge: issues raised per day fall by e (2.7 times) every this many days. */
const DECAY_DAYS = 11;
const ZONE = "Europe/London";
const SITES = ["Oak House", "Riverside"] as const;
/** The dispatcher tick: live projects, issues raised in each, and how long the simulated Teams call takes. */
const PROJECTS = 100;
const POST_MS = 5;

/** What goes wrong, each with the theme a lead would pick for it in triage. */
const WHAT: ReadonlyArray<{ text: string; theme: string }> = [
  { text: "Body map not saving on the tablet", theme: "Body maps" },
  { text: "eMAR shows yesterday's medication round", theme: "eMAR" },
  { text: "Care plan review date missing after sync", theme: "Care plans" },
  { text: "Night staff cannot log in with their new accounts", theme: "Logins" },
  { text: "Fluid chart totals do not add up after midnight", theme: "Fluid charts" },
  { text: "Handover report prints blank pages", theme: "Handover" },
  { text: "Visit notes lost when the signal drops", theme: "Wi-fi" },
  { text: "Risk assessment template has the old falls questions", theme: "Risk assessments" },
];
/** This week's problem: most of the last two days' issues are about it, so a repeated theme shows. */
const HOT_WHAT = 1;
/** What staff do meanwhile, said differently each time (one shared phrase would itself be a repeated theme). */
const WORKAROUNDS = [
  "paper chart until fixed",
  "entries made on the office PC",
  "the nurse in charge checks each round",
  "details phoned through to the office",
];

/**
 * The command log of one project with ISSUES issues, as the pure rule builds it. Raised over 60 days, most in the
 * first weeks (falling by e every DECAY_DAYS days) and RECENT_ISSUES in the last 7; about 70% triaged with a
 * theme; open ones partly assigned and controlled; AWAITING resolved with evidence, the rest also verified.
 */
function buildIssues(options: { open: number; seed: number; now: number }): Issue[] {
  const r = random(options.seed);
  const { now } = options;
  const span = SPREAD_DAYS - 7;
  const older = Array.from({ length: ISSUES - RECENT_ISSUES }, () => {
    // Days after go-live, drawn from the falling rate (inverse of its distribution).
    const sinceGoLive = -DECAY_DAYS * Math.log(1 - r() * (1 - Math.exp(-span / DECAY_DAYS)));
    return now - SPREAD_DAYS * DAY_MS + sinceGoLive * DAY_MS;
  });
  const recent = Array.from({ length: RECENT_ISSUES }, () => now - 7 * DAY_MS + r() * (7 * DAY_MS - 600_000));
  const raisedTimes = [...older, ...recent].sort((a, b) => a - b);
  const iso = (t: number) => new Date(Math.round(t)).toISOString();

  // Which stay open: most of the last week's, the rest drawn from the older ones; which await verification: drawn
  // from the closed among the newest 2,000.
  const openSet = new Set<number>();
  for (let n = ISSUES - RECENT_ISSUES + 1; n <= ISSUES && openSet.size < options.open; n++) {
    if (r() < 0.6) openSet.add(n);
  }
  while (openSet.size < options.open) openSet.add(1 + Math.floor(r() * (ISSUES - RECENT_ISSUES)));
  const awaitingSet = new Set<number>();
  while (awaitingSet.size < AWAITING) {
    const n = ISSUES - 2_000 + 1 + Math.floor(r() * 2_000);
    if (!openSet.has(n)) awaitingSet.add(n);
  }

  const issues: Issue[] = [];
  for (let n = 1; n <= ISSUES; n++) {
    const issueId = issueIdOf(n);
    const raisedAt = raisedTimes[n - 1] as number;
    const careImpacting = r() < 0.1;
    const type: IssueType = pick(ISSUE_TYPES, r);
    const what =
      now - raisedAt <= 48 * HOUR_MS && r() < 0.4 ? (WHAT[HOT_WHAT] as (typeof WHAT)[number]) : pick(WHAT, r);
    const workaround = r() < 0.3;
    const apply = (
      issue: Issue | undefined,
      event: IssueEvent,
      at: number,
      actor: { objectId: string; name: string },
    ) => applyIssueEvent(issue, event, { at: iso(at), actor });
    let issue = apply(
      undefined,
      {
        kind: "issue.raised",
        issueId,
        type,
        priority: pickPriority(r),
        priorityProposed: r() < 0.2,
        careImpacting,
        workaround,
        site: pick(SITES, r),
        description: `${what.text} ${pick(WHERE, r)}.${workaround ? ` For now: ${pick(WORKAROUNDS, r)}.` : ""}`,
      },
      raisedAt,
      pick(RAISERS, r),
    );
    // Later steps happen in the time left before now, in order.
    let at = raisedAt;
    const later = (share: number) => {
      at += (now - at) * share * r();
      return at;
    };
    if (r() < 0.7) {
      const before: Triage = {
        type: issue.type,
        priority: issue.priority,
        careImpacting: issue.careImpacting,
        ...(issue.site !== undefined ? { site: issue.site } : {}),
      };
      issue = apply(
        issue,
        { kind: "issue.triaged", issueId, before, after: { ...before, theme: what.theme } },
        later(0.01),
        pick(VERIFIERS, r),
      );
    }
    const isOpen = openSet.has(n);
    const owner = pick(OWNERS, r);
    if (!isOpen || r() < 0.5) {
      issue = apply(issue, { kind: "issue.assigned", issueId, owner }, later(0.05), pick(VERIFIERS, r));
    }
    if (careImpacting && (!isOpen || r() < 0.5)) {
      issue = apply(
        issue,
        {
          kind: "issue.control-recorded",
          issueId,
          control: { kind: "additional-checks", text: "Paper chart kept beside the tablet until fixed." },
        },
        later(0.05),
        pick(VERIFIERS, r),
      );
    }
    if (!isOpen) {
      issue = apply(
        issue,
        { kind: "issue.resolved", issueId, evidence: pick(EVIDENCE, r) },
        later(0.1),
        owner,
      );
      if (!awaitingSet.has(n)) {
        issue = apply(
          issue,
          { kind: "issue.verified", issueId, note: "Checked on the floor with the team." },
          later(0.2),
          pick(VERIFIERS, r),
        );
      }
    }
    issues.push(issue);
  }
  return issues;
}

/**
 * The day counts the log would keep for these issues (the newest 15 local days): `countDay` over their raises
 * and resolutions in time order. Triage comes before resolution here, so an issue as it ends is as it stood when
 * resolved.
 */
function dayCounts(issues: readonly Issue[]): DayStats[] {
  const events: Array<{ at: string; event: IssueEvent; issue: Issue }> = [];
  for (const issue of issues) {
    events.push({
      at: issue.raisedAt,
      issue,
      event: {
        kind: "issue.raised",
        issueId: issue.id,
        type: issue.type,
        priority: issue.priority,
        priorityProposed: issue.priorityProposed,
        careImpacting: issue.careImpacting,
        workaround: issue.workaround,
        description: issue.description,
      },
    });
    if (issue.resolution) {
      const resolved = { kind: "issue.resolved" as const, issueId: issue.id, evidence: "-" };
      events.push({ at: issue.resolution.at, issue, event: resolved });
    }
  }
  events.sort((a, b) => a.at.localeCompare(b.at) || a.issue.number - b.issue.number);
  let days: DayStats[] = [];
  for (const e of events) days = countDay(days, e.event, e.issue, dateIn(ZONE, new Date(e.at)));
  return days;
}

/** A live project with both sites, the people above in roles, and its day counts: what a digest is built from. */
function projectState(projectId: string, name: string, now: number, issues: readonly Issue[]): ProjectState {
  const liveFrom = dateIn(ZONE, new Date(now - SPREAD_DAYS * DAY_MS));
  return {
    project: {
      id: projectId,
      name,
      binding: newChannel(),
      phase: "live",
      settings: { goLiveDate: liveFrom, sites: [...SITES], timeZone: ZONE, digestTime: "08:00" },
      createdAt: new Date(now - (SPREAD_DAYS + 30) * DAY_MS).toISOString(),
      createdBy: priya.objectId,
      liveFrom,
    },
    roles: [
      { role: "project-lead", person: person(priya.objectId, priya.name) },
      { role: "registered-manager", person: person(grace.objectId, grace.name), site: "Oak House" },
      { role: "team-leader", person: person(tom.objectId, tom.name) },
      { role: "supplier", person: person(dev.objectId, dev.name) },
    ],
    readiness: EMPTY_READINESS,
    decisions: [],
    conditions: [],
    commandLog: { ...EMPTY_COMMAND_LOG, raised: issues.length, days: dayCounts(issues) },
    reviews: [],
    stabilisation: EMPTY_STABILISATION,
  };
}

/** Writes exactly the rows the store writes for each issue (its record, and its list row while not closed). */
async function seed(table: TableClient, projectId: string, issues: readonly Issue[]): Promise<number> {
  return seedIssueRows(table, projectId, issues);
}

const seconds = (began: number) => `${((performance.now() - began) / 1000).toFixed(1)} s`;

/** Counts every HTTP request the table clients it is given send — retries included, as it runs after the retry policy. */
function requestCounter(): { counted: (table: TableClient) => TableClient; requests: () => number } {
  let requests = 0;
  return {
    counted: (table) => {
      table.pipeline.addPolicy(
        {
          name: "countRequests",
          sendRequest: async (request, next) => {
            requests++;
            return next(request);
          },
        },
        { afterPhase: "Retry" },
      );
      return table;
    },
    requests: () => requests,
  };
}

/**
 * A fresh governance log on the governance table, wired as `openGovernanceLog` wires it (a retrying client for
 * reads, a non-retrying one for commits), whose clients count the requests they send.
 */
function countingLog(
  target: StorageTarget,
  counter = requestCounter(),
): { log: GovernanceLog; requests: () => number } {
  const log = new GovernanceLog(counter.counted(tableClient(target, TABLE_NAMES.governance)), {
    transactionTable: counter.counted(tableClient(target, TABLE_NAMES.governance, { retries: false })),
  });
  return { log, requests: counter.requests };
}

/** Requests a range read of `rows` rows takes: at least one page, and one more when the last page is full. */
const pages = (rows: number) => ({
  fewest: Math.max(1, Math.ceil(rows / PAGE_ROWS)),
  most: Math.floor(rows / PAGE_ROWS) + 1,
});

/** The issue numbers a digest reads as recent: from the first day on or after a week before its period. */
function recentFrom(state: ProjectState, period: string): number | undefined {
  const weekAgo = addDays(period, -7);
  return state.commandLog.days.find((d) => d.date >= weekAgo && d.firstNumber !== undefined)?.firstNumber;
}

interface BigProject {
  label: string;
  what: string;
  projectId: string;
  issues: Issue[];
  state: ProjectState;
  open: number;
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export async function benchReviews(options: { connectionString: string }): Promise<void> {
  const target: StorageTarget = { kind: "connection-string", connectionString: options.connectionString };
  const table = tableClient(target, TABLE_NAMES.governance);
  const stamp = Date.now().toString(36);
  const aims: string[] = [];

  // -------------------------------------------------------------------------------------------------------------
  // 1. One digest for a 10,000-issue project.
  console.log("\nreviews: the daily digest of a project with 10,000 issues, on the same Azurite");
  console.log(
    `note: ${count(ISSUES)} issues over ${SPREAD_DAYS} days (most in the first weeks, ${RECENT_ISSUES} in the last 7, many of the last two days' about one problem), about 70% triaged with a theme, ${AWAITING} awaiting verification; built with applyIssueEvent and seeded with issueRows, in transactions of 100, as in the issue-list bench. The state's day counts are countDay over their raises and resolutions.`,
  );
  const now = Date.now();
  const nowDate = new Date(now);
  const big: BigProject[] = [];
  for (const p of [
    { label: "A", open: 500, what: "a mature command log", seed: 11 },
    { label: "B", open: 5_000, what: "the worst case", seed: 12 },
  ]) {
    const projectId = `p-bench-reviews-${stamp}-${p.label.toLowerCase()}`;
    const issues = buildIssues({ open: p.open, seed: p.seed, now });
    const state = projectState(projectId, `Bench digest ${p.label}`, now, issues);
    process.stdout.write(`seeding project ${p.label} (${count(ISSUES)} issues, ${count(p.open)} open)... `);
    const began = performance.now();
    const rows = await seed(table, projectId, issues);
    console.log(`${count(rows)} rows in ${seconds(began)}`);
    big.push({ label: p.label, what: p.what, projectId, issues, state, open: p.open });
  }

  const timingRows: string[][] = [];
  const described: string[] = [];
  for (const p of big) {
    const period = dueDigestPeriod(p.state.project, nowDate);
    if (!period) throw new Error("bench set-up failed: no digest is due for the seeded project");
    const awaiting = p.issues.filter((i) => i.status === "resolved").length;
    // The check that this measures the right thing: the digest counts what was seeded and shows a repeated theme.
    const digest = await digestFor(openGovernanceLog(target), p.projectId, p.state, period, nowDate);
    if (digest.counts.open !== p.open || digest.counts.awaitingVerification !== awaiting) {
      throw new Error(
        `bench set-up failed: the digest counts ${digest.counts.open} open and ${digest.counts.awaitingVerification} awaiting, ${p.open} and ${awaiting} were seeded`,
      );
    }
    const themes = digest.triggers.filter((t) => t.kind === "repeated-theme").map((t) => t.title);
    if (themes.length === 0) throw new Error("bench set-up failed: the digest shows no repeated theme");
    const cardBytes = Buffer.byteLength(JSON.stringify(digestCard(digest)));
    described.push(describe(p.label, digest, themes, cardBytes));

    process.stdout.write(`timing the digest of project ${p.label}... `);
    // Cold: a new store object each run, as on the timer's instance the first time it builds this morning's digest.
    const took = await time(async () => {
      const built = await digestFor(openGovernanceLog(target), p.projectId, p.state, period, nowDate);
      digestCard(built);
    });
    // Of which building and rendering: the same digest from the lists already in hand (no storage).
    const reader = openGovernanceLog(target);
    const first = recentFrom(p.state, period);
    const [open, awaitingList, recent] = await Promise.all([
      reader.listIssues(p.projectId, "open"),
      reader.listIssues(p.projectId, "resolved"),
      first === undefined ? Promise.resolve([]) : reader.issuesFrom(p.projectId, first),
    ]);
    const built = await time(async () => {
      const input = { projectId: p.projectId, state: p.state, period, now: nowDate };
      digestCard(buildDigest({ ...input, open, awaiting: awaitingList, recent }));
    });
    console.log("done");
    const name = `${p.label}: ${count(p.open)} open of ${count(ISSUES)}`;
    timingRows.push([
      name,
      "digestFor + digestCard, cold",
      String(RUNS),
      ms(took.p50),
      ms(took.p99),
      ms(took.max),
    ]);
    timingRows.push([
      name,
      "of which buildDigest + digestCard",
      String(RUNS),
      ms(built.p50),
      ms(built.p99),
      ms(built.max),
    ]);
    const verdict = took.p99 < AIM_MS ? "PASS" : "MISS";
    aims.push(
      `aim "build one digest for a 10,000-issue project under ${AIM_MS} ms", ${p.label} (${count(p.open)} open, ${p.what}): ${verdict} (p99 ${ms(took.p99)} ms)`,
    );
  }
  console.log("");
  printTable(["project", "measured", "runs", "p50 ms", "p99 ms", "max ms"], timingRows);
  console.log(
    `the whole morning's work but the post: the open and awaiting lists and the recent issues read (from a new store object each run, so every row is read), the digest built (clocks, breakdowns, trend, triggers, themes, recommendation), and its card rendered; "of which" is the same digest built and rendered from the lists already read (no storage). ${RUNS} runs each, one at a time, after ${WARMUP_RUNS} warm-up runs (so p99 is the slowest run).`,
  );
  for (const d of described) console.log(d);

  // -------------------------------------------------------------------------------------------------------------
  // 2. Storage requests per digest: the same open and recent issues, with 1,000 and with 10,000 issues in all.
  const a = big[0] as BigProject;
  const small = smallerHistory(a.issues, SMALL_HISTORY, now);
  const smallId = `p-bench-reviews-${stamp}-a1k`;
  const smallProject: BigProject = {
    label: "A'",
    what: "project A with less closed history",
    projectId: smallId,
    issues: small,
    state: projectState(smallId, "Bench digest A'", now, small),
    open: a.open,
  };
  process.stdout.write(
    `\nseeding project A' (project A's open, awaiting and last 15 days' issues, ${count(SMALL_HISTORY)} issues in all)... `,
  );
  const smallBegan = performance.now();
  console.log(`${count(await seed(table, smallId, small))} rows in ${seconds(smallBegan)}`);

  const requestRows: string[][] = [];
  const counted = new Map<string, { requests: number; fewest: number; most: number }>();
  for (const p of [smallProject, a, big[1] as BigProject]) {
    const period = dueDigestPeriod(p.state.project, nowDate) as string;
    const first = recentFrom(p.state, period);
    const recent = first === undefined ? 0 : p.issues.filter((i) => i.number >= first).length;
    const awaiting = p.issues.filter((i) => i.status === "resolved").length;
    // Two list reads (each: the head, then the list's pages) and one range read of the recent issues.
    const fewest =
      2 + pages(p.open).fewest + pages(awaiting).fewest + (first === undefined ? 0 : pages(recent).fewest);
    const most =
      2 + pages(p.open).most + pages(awaiting).most + (first === undefined ? 0 : pages(recent).most);
    const { log, requests } = countingLog(target);
    await digestFor(log, p.projectId, p.state, period, nowDate);
    const made = requests();
    counted.set(p.label, { requests: made, fewest, most });
    requestRows.push([
      `${p.label}: ${count(p.open)} open of ${count(p.issues.length)}`,
      count(p.issues.length - p.open - awaiting),
      count(awaiting),
      count(recent),
      String(made),
      fewest === most ? String(fewest) : `${fewest}-${most}`,
    ]);
    if (made < fewest || made > most) {
      throw new Error(
        `project ${p.label}: one digest made ${made} storage requests, the page arithmetic allows ${fewest} to ${most}`,
      );
    }
  }
  const smallCount = counted.get("A'") as { requests: number; fewest: number; most: number };
  const bigCount = counted.get("A") as { requests: number; fewest: number; most: number };
  const slack = Math.max(smallCount.most - smallCount.fewest, bigCount.most - bigCount.fewest);
  if (Math.abs(smallCount.requests - bigCount.requests) > slack) {
    throw new Error(
      `one digest made ${smallCount.requests} storage requests with ${count(SMALL_HISTORY)} issues and ${bigCount.requests} with ${count(ISSUES)}: it grows with history`,
    );
  }
  console.log("\nstorage requests per digest (counted at the table clients of a new store object)");
  printTable(["project", "closed", "awaiting", "recent read", "requests", "expected"], requestRows);
  console.log(
    `expected: the head and the pages (${count(PAGE_ROWS)} rows each) of the open list, the same for the awaiting list, and the pages of the issues read as recent (from the first number of the first day within the week). A' holds A's open, awaiting and last 15 days' issues with ${count(ISSUES - SMALL_HISTORY)} fewer closed ones (renumbered): ${smallCount.requests} requests with ${count(SMALL_HISTORY)} issues, ${bigCount.requests} with ${count(ISSUES)} — bounded by the open issues, not the history.`,
  );

  // -------------------------------------------------------------------------------------------------------------
  // 3. One dispatcher tick over 100 live projects.
  await benchDispatcher(target, stamp);

  console.log(
    "note: Azurite scans the whole table for a query, so its figures grow with everything else stored (the earlier scenarios' rows included); Azure Table Storage reads a key range.",
  );
  console.log("");
  for (const aim of aims) console.log(aim);
}

/** One line on what a digest holds, for the reader to see it is a real morning's digest. */
function describe(label: string, digest: Digest, themes: string[], cardBytes: number): string {
  return `digest ${label}: ${count(digest.counts.open)} open, ${digest.counts.awaitingVerification} awaiting verification, ${digest.counts.new} new and ${digest.counts.resolved} resolved yesterday; ${digest.triggers.length} triggers, repeated themes: ${themes.map((t) => `"${t}"`).join(", ")}; recommendation ${digest.recommendation.choice}; card ${(cardBytes / 1024).toFixed(1)} KB`;
}

/**
 * The same project with less history: every open and awaiting issue and every one raised in the last 15 days are
 * kept, then the newest closed ones until `total`; renumbered GL-1 onwards in the order they were raised.
 */
function smallerHistory(issues: readonly Issue[], total: number, now: number): Issue[] {
  const recentSince = now - 15 * DAY_MS;
  const keep = new Set(
    issues.filter((i) => i.status !== "closed" || Date.parse(i.raisedAt) >= recentSince).map((i) => i.number),
  );
  if (keep.size > total)
    throw new Error(`bench set-up failed: ${keep.size} issues must be kept, over ${total}`);
  for (let k = issues.length - 1; k >= 0 && keep.size < total; k--) keep.add((issues[k] as Issue).number);
  return issues
    .filter((i) => keep.has(i.number))
    .map((issue, k) => ({ ...issue, id: issueIdOf(k + 1), number: k + 1 }));
}

/** What each of the 100 projects has raised: enough for a digest with triggers and a reminder or two. */
const RAISES: RaiseRequest[] = [
  {
    type: "risk",
    priority: "P1",
    careImpacting: true,
    workaround: false,
    site: "Oak House",
    description: "eMAR not showing the lunchtime medication round on the tablets",
  },
  {
    type: "system",
    careImpacting: false,
    workaround: true,
    site: "Oak House",
    description: "Body map not saving on the tablet in the lounge",
  },
  {
    type: "access",
    careImpacting: false,
    workaround: false,
    description: "Night staff cannot log in with their new accounts",
  },
  {
    type: "workflow",
    careImpacting: false,
    workaround: true,
    site: "Oak House",
    description: "Handover report prints blank pages",
  },
  {
    type: "system",
    careImpacting: true,
    workaround: true,
    site: "Oak House",
    description: "Fluid chart totals do not add up after midnight",
  },
];

async function benchDispatcher(target: StorageTarget, stamp: string): Promise<void> {
  const now = new Date();
  const lead: Actor = { objectId: priya.objectId, name: priya.name, tenantId: TENANT_ID };
  const zones = ["Europe/London", "Europe/Dublin"];
  /** Each zone's digest time: the quarter hour just passed there, so every digest is due at `now`. */
  const digestTime = (zone: string) => {
    const [hours, minutes] = localNow(now, zone).time.split(":");
    return `${hours}:${String(Math.floor(Number(minutes) / 15) * 15).padStart(2, "0")}`;
  };

  console.log(`\nreviews: one dispatcher tick over ${PROJECTS} live projects, on the same Azurite`);
  process.stdout.write(
    `setting up ${PROJECTS} projects through the governance log (${RAISES.length} issues each, channel references stored)... `,
  );
  const setUpBegan = performance.now();
  // The set-up log's clock steps through the project's life: set up 3 days ago, live yesterday, issues since.
  let at = now.getTime() - 3 * DAY_MS;
  const setUpLog = openGovernanceLog(target, { clock: () => new Date(at) });
  const refsTable = tableClient(target, `benchrefs${stamp}`);
  await refsTable.createTable();
  const references = new TableConversationReferences(refsTable);
  const projects = Array.from({ length: PROJECTS }, (_, k) => ({
    binding: newChannel(),
    name: `Bench dispatcher ${k + 1}`,
    zone: zones[k % zones.length] as string,
  }));
  const record = async (channel: ChannelBinding, key: string, decide: (s: ProjectState) => Decision) => {
    const result = await setUpLog.change({
      projectId: projectIdForChannel(channel.channelId),
      idempotencyKey: `bench:${key}`,
      actor: lead,
      decide: (state) => (state ? decide(state) : { outcome: "refused", message: "no project" }),
    });
    if (result.status !== "recorded") throw new Error(`bench set-up failed: ${key} was ${result.status}`);
  };
  const steps: Array<{ at: number; run: (p: (typeof projects)[number]) => Promise<void> }> = [
    {
      at: now.getTime() - 3 * DAY_MS,
      run: async (p) => {
        const result = await setUpLog.change({
          projectId: projectIdForChannel(p.binding.channelId),
          idempotencyKey: `bench:setup:${p.binding.channelId}`,
          actor: lead,
          decide: (state) => decideSetup(state, { name: p.name, binding: p.binding, actor: lead }),
        });
        if (result.status !== "recorded") throw new Error(`bench set-up failed: setup was ${result.status}`);
        await references.save({
          conversationKey: p.binding.channelId,
          tenantId: TENANT_ID,
          reference: {
            serviceUrl: "http://127.0.0.1:1/",
            channelId: "msteams",
            conversation: { id: p.binding.channelId, conversationType: "channel", tenantId: TENANT_ID },
            bot: { id: "28:bench-bot", name: "Go-live" },
          },
          installed: true,
          updatedAt: new Date(at).toISOString(),
        });
      },
    },
    {
      at: now.getTime() - 3 * DAY_MS + 60_000,
      run: (p) =>
        record(p.binding, `settings:${p.binding.channelId}`, (state) =>
          decideSettings(state, lead, {
            settings: { sites: [...SITES], timeZone: p.zone, digestTime: digestTime(p.zone) },
            assignments: [
              { role: "registered-manager", person: person(grace.objectId, grace.name), site: "Oak House" },
              { role: "supplier", person: person(dev.objectId, dev.name) },
            ],
          }),
        ),
    },
    {
      at: now.getTime() - 2 * DAY_MS,
      run: (p) =>
        record(p.binding, `live:${p.binding.channelId}`, (state) => ({
          outcome: "record",
          events: [
            {
              kind: "project.phase-changed",
              from: state.project.phase,
              to: "live",
              effectiveFrom: addDays(localNow(now, p.zone).date, -1),
              reason: "Go-live approved by the board (bench).",
            },
          ],
        })),
    },
    ...RAISES.map((raise, k) => ({
      at: now.getTime() - (20 - 3 * k) * HOUR_MS,
      run: (p: (typeof projects)[number]) =>
        record(p.binding, `raise:${k}:${p.binding.channelId}`, (state) => decideRaise(state, lead, raise)),
    })),
  ];
  for (const step of steps) {
    at = step.at;
    await eachLimited(projects, SEED_CONCURRENCY * 2, step.run);
  }
  console.log(`${PROJECTS * steps.length} changes in ${seconds(setUpBegan)}`);

  // The simulated Teams call: each post answers after POST_MS, as a Bot Connector round trip might.
  const posts: Array<{ channelId: string; kind: "digest" | "reminder" }> = [];
  const poster: ChannelPoster = {
    async postToChannel(channelId: string, activity: Partial<Activity>) {
      posts.push({ channelId, kind: activity.attachments?.length ? "digest" : "reminder" });
      await new Promise((resolve) => setTimeout(resolve, POST_MS));
      return `bench-activity-${posts.length}`;
    },
  };
  // The timer's instance: a store object that has not read these projects yet, as after a cold start. Its
  // clients and the references' count their requests.
  const counter = requestCounter();
  const { log, requests } = countingLog(target, counter);
  const timerReferences = new TableConversationReferences(
    counter.counted(tableClient(target, refsTable.tableName)),
  );
  const deps: ReviewDependencies = {
    log,
    references: timerReferences,
    poster,
    logger: consoleLogger("error"),
  };

  const tick = async (when: Date) => {
    const requestsBefore = requests();
    const postsBefore = posts.length;
    const began = performance.now();
    const totals = await runScheduledReviews(deps, when);
    const took = performance.now() - began;
    const made = posts.slice(postsBefore);
    return {
      totals,
      took,
      requests: requests() - requestsBefore,
      digestsPosted: made.filter((p) => p.kind === "digest").length,
      remindersPosted: made.filter((p) => p.kind === "reminder").length,
      channels: new Set(made.map((p) => p.channelId)).size,
    };
  };
  process.stdout.write("running the first tick (every digest due)... ");
  const first = await tick(now);
  console.log("done");
  process.stdout.write("running the next tick, 15 minutes later (nothing due)... ");
  const second = await tick(new Date(now.getTime() + 15 * 60_000));
  console.log("done");

  for (const [name, t, digests] of [
    ["first", first, PROJECTS],
    ["next", second, 0],
  ] as const) {
    if (t.totals.projects !== PROJECTS || t.totals.failures > 0) {
      throw new Error(
        `${name} tick: ${t.totals.projects} projects, ${t.totals.failures} failures (${PROJECTS} projects, no failures expected)`,
      );
    }
    if (t.totals.digests !== digests || t.digestsPosted !== digests) {
      throw new Error(
        `${name} tick: ${t.totals.digests} digests counted, ${t.digestsPosted} posted; ${digests} expected`,
      );
    }
  }
  if (first.channels !== PROJECTS) {
    throw new Error(`first tick: posts reached ${first.channels} channels, not ${PROJECTS}`);
  }
  if (second.remindersPosted !== 0) throw new Error(`next tick: ${second.remindersPosted} reminders again`);

  console.log("");
  printTable(
    [
      "tick",
      "projects",
      "digests",
      "reminders",
      "took ms",
      "ms per project",
      "storage requests",
      "per project",
    ],
    [first, second].map((t, k) => [
      k === 0 ? "first (every digest due)" : "next, 15 min later (nothing due)",
      String(t.totals.projects),
      String(t.digestsPosted),
      String(t.remindersPosted),
      ms(t.took),
      ms(t.took / PROJECTS),
      count(t.requests),
      (t.requests / PROJECTS).toFixed(1),
    ]),
  );
  console.log(
    `one runScheduledReviews tick as the timer runs it (4 projects at a time): the channel references listed, then per project its state read, the digest claimed, built, posted and recorded, and the reminders due posted and recorded (each project has ${RAISES.length} issues, two of them care-impacting P1s raised hours ago, each quiet for over an hour and without a temporary control: 4 reminders), and the stabilisation review if due (not yet: go-live was yesterday). The next tick posts nothing: per project the head, the state and open list (cached), and one read per standing reminder to find it already sent. The poster is a stub that records each post and answers after ${POST_MS} ms, a simulated Teams call (the real outbound sender's rate limits would space posts within one thread, not across ${PROJECTS} threads). The store object is new for the first tick (a cold instance) and kept for the next, as one instance runs both. Storage requests: all of them, the references' listing included.`,
  );
}
