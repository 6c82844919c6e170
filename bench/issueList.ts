/**
 * How long listing the open issues of a big go-live command log takes: two projects of 10,000 issues each, one
 * with 500 open (a mature command log) and one with 5,000 open (the worst case). The issues are built with the
 * pure `applyIssueEvent` and their rows written with the store's own projection (`issueRows`), straight into the
 * project's partition in transactions of 100 — not through the governance log, which would take minutes (three
 * changes per closed issue). Called from messages.bench.ts after the HTTP scenarios, on the same Azurite.
 */

import { performance } from "node:perf_hooks";
import { issueListPage } from "../bot/issueCommands.js";
import { consoleLogger } from "../bot/logger.js";
import {
  applyIssueEvent,
  EMPTY_COMMAND_LOG,
  ISSUE_TYPES,
  type Issue,
  type IssueEvent,
  type IssueType,
  issueIdOf,
} from "../governance/commandLog.js";
import type { Actor } from "../governance/events.js";
import type { ProjectState } from "../governance/project.js";
import { EMPTY_READINESS } from "../governance/readiness.js";
import { EMPTY_STABILISATION } from "../governance/stabilisation.js";
import { type GovernanceLog, openGovernanceLog } from "../store/governanceLog.js";
import { ISSUE_PREFIX, issueFromRow } from "../store/projection.js";
import { TABLE_NAMES, tableClient } from "../store/tables.js";
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
const WARMUP_RUNS = 3;
const RUNS = 30;
const time = (work: () => Promise<void>) => timeRuns(work, { warmups: WARMUP_RUNS, runs: RUNS });
const AIM_MS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
const SPREAD_DAYS = 60;
const SITES = ["Oak House", "Riverside"] as const;

const WHAT = [
  "Body map not saving on the tablet",
  "eMAR shows yesterday's medication round",
  "Care plan review date missing after sync",
  "Night staff cannot log in with their new accounts",
  "Fluid chart totals do not add up after midnight",
  "Handover report prints blank pages",
  "Visit notes lost when the signal drops",
  "Risk assessment template has the old falls questions",
];

/** A description of about 100 characters. */
function description(n: number, r: () => number): string {
  return `${pick(WHAT, r)} ${pick(WHERE, r)}; reported by the shift lead, ref ${n}. Workaround: paper notes.`;
}

/**
 * The command log of one project, issue by issue, as the pure rule builds it: raised; closed ones resolved with
 * closure evidence, then verified. Care-impacting ones get a temporary control, about half the open ones an owner.
 */
function buildIssues(options: { open: number; seed: number; now: number }): Issue[] {
  const r = random(options.seed);
  // Which issues stay open: a seeded shuffle of the numbers, the first `open` of them.
  const numbers = Array.from({ length: ISSUES }, (_, k) => k + 1);
  for (let k = numbers.length - 1; k > 0; k--) {
    const j = Math.floor(r() * (k + 1));
    [numbers[k], numbers[j]] = [numbers[j] as number, numbers[k] as number];
  }
  const openSet = new Set(numbers.slice(0, options.open));
  // Raised times: spread over 60 days, in issue-number order (GL-1 is the oldest).
  const raisedTimes = Array.from(
    { length: ISSUES },
    () => options.now - SPREAD_DAYS * DAY_MS + r() * (SPREAD_DAYS * DAY_MS - 60_000),
  ).sort((a, b) => a - b);
  const iso = (t: number) => new Date(Math.round(t)).toISOString();

  const issues: Issue[] = [];
  for (let n = 1; n <= ISSUES; n++) {
    const issueId = issueIdOf(n);
    const raisedAt = raisedTimes[n - 1] as number;
    const careImpacting = r() < 0.1;
    const type: IssueType = pick(ISSUE_TYPES, r);
    const raiser = pick(RAISERS, r);
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
        workaround: r() < 0.3,
        site: pick(SITES, r),
        description: description(n, r),
      },
      raisedAt,
      raiser,
    );
    // Later steps happen in the time left before now, in order.
    let at = raisedAt;
    const later = (share: number) => {
      at += (options.now - at) * share * r();
      return at;
    };
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
      issue = apply(
        issue,
        { kind: "issue.verified", issueId, note: "Checked on the floor with the team." },
        later(0.2),
        pick(VERIFIERS, r),
      );
    }
    issues.push(issue);
  }
  return issues;
}

/** A live project with both sites and the people above holding roles: what the `issues` answer needs. */
function projectState(projectId: string, name: string, now: number): ProjectState {
  const liveFrom = new Date(now - SPREAD_DAYS * DAY_MS).toISOString().slice(0, 10);
  return {
    project: {
      id: projectId,
      name,
      binding: newChannel(),
      phase: "live",
      settings: { goLiveDate: liveFrom, sites: [...SITES], timeZone: "Europe/London", digestTime: "08:00" },
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
    commandLog: { ...EMPTY_COMMAND_LOG, raised: ISSUES },
    reviews: [],
    stabilisation: EMPTY_STABILISATION,
  };
}

export async function benchIssueLists(options: {
  connectionString: string;
  log: GovernanceLog;
}): Promise<void> {
  const { log } = options;
  const table = tableClient(
    { kind: "connection-string", connectionString: options.connectionString },
    TABLE_NAMES.governance,
  );
  const deps = { log, clock: () => new Date(), logger: consoleLogger("error") };
  const actor: Actor = { objectId: priya.objectId, name: priya.name, tenantId: TENANT_ID };
  const stamp = Date.now().toString(36);
  const projects = [
    { label: "A", open: 500, what: "a mature command log", projectId: `p-bench-issues-${stamp}-a`, seed: 1 },
    { label: "B", open: 5_000, what: "the worst case", projectId: `p-bench-issues-${stamp}-b`, seed: 2 },
  ];

  console.log("\nissue lists: the open issues of a project with 10,000 issues, on the same Azurite");
  console.log(
    "note: the issues are built with applyIssueEvent (raised; closed ones resolved with evidence, then verified) and their rows seeded with the store's own projection (issueRows), in transactions of 100 - not through the governance log, to keep the bench short.",
  );

  const rows: string[][] = [];
  const aims: string[] = [];
  const wholeHistory: string[] = [];
  for (const p of projects) {
    const now = Date.now();
    const issues = buildIssues({ open: p.open, seed: p.seed, now });
    const state = projectState(p.projectId, `Bench issue list ${p.label}`, now);

    // Seed: exactly the rows the store writes for each issue (its record, and its list row while not closed).
    process.stdout.write(`seeding project ${p.label} (${count(ISSUES)} issues, ${count(p.open)} open)... `);
    const seedBegan = performance.now();
    const seeded = await seedIssueRows(table, p.projectId, issues);
    console.log(`${count(seeded)} rows in ${((performance.now() - seedBegan) / 1000).toFixed(1)} s`);

    // The check that this measures the right thing: the list holds exactly the open issues seeded.
    const listed = await log.listIssues(p.projectId, "open");
    if (listed.length !== p.open) {
      throw new Error(
        `bench set-up failed: listIssues found ${listed.length} open issues, ${p.open} were seeded`,
      );
    }
    const card = JSON.stringify(
      await issueListPage(deps, { projectId: p.projectId, state, actor, filter: { list: "open" }, page: 1 }),
    );
    if (!card.includes(`of ${count(p.open)}`)) {
      throw new Error(`bench set-up failed: the issues card does not say "of ${count(p.open)}"`);
    }

    process.stdout.write(`timing project ${p.label}... `);
    // Cold: a new store object each run, as on an instance that has not listed this project yet.
    const target = { kind: "connection-string" as const, connectionString: options.connectionString };
    const read = await time(async () => {
      const open = await openGovernanceLog(target).listIssues(p.projectId, "open");
      if (open.length !== p.open)
        throw new Error(`listIssues found ${open.length} open issues, not ${p.open}`);
    });
    const answer = await time(async () => {
      const cold = { ...deps, log: openGovernanceLog(target) };
      await issueListPage(cold, { projectId: p.projectId, state, actor, filter: { list: "open" }, page: 1 });
    });
    // Warm: the same store object again; nothing changed, so one read of the head confirms its list.
    const warm = await time(async () => {
      await issueListPage(deps, { projectId: p.projectId, state, actor, filter: { list: "open" }, page: 1 });
    });
    // For contrast, once: every issue record of the partition, as reading the whole history would.
    const historyBegan = performance.now();
    let records = 0;
    const filter = `PartitionKey eq '${p.projectId}' and RowKey ge '${ISSUE_PREFIX}' and RowKey lt '${ISSUE_PREFIX.slice(0, -1)}.'`;
    for await (const page of table
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: 1000 })) {
      for (const row of page) {
        issueFromRow(row);
        records++;
      }
    }
    const historyMs = performance.now() - historyBegan;
    if (records !== ISSUES) throw new Error(`read ${records} issue records, ${ISSUES} were seeded`);
    console.log("done");

    const name = `${p.label}: ${count(p.open)} open of ${count(ISSUES)}`;
    rows.push([name, "(a) listIssues open, cold", String(RUNS), ms(read.p50), ms(read.p99), ms(read.max)]);
    rows.push([
      name,
      "(b) issues answer, page 1, cold",
      String(RUNS),
      ms(answer.p50),
      ms(answer.p99),
      ms(answer.max),
    ]);
    rows.push([
      name,
      "(b) issues answer, page 1, warm",
      String(RUNS),
      ms(warm.p50),
      ms(warm.p99),
      ms(warm.max),
    ]);
    wholeHistory.push(
      `(c) every issue record instead, ${p.label}: ${ms(historyMs)} ms for ${count(records)} records (1 run)`,
    );
    aims.push(
      `aim "list open issues of a 10,000-issue project under ${AIM_MS} ms", ${p.label} (${p.what}, ${count(p.open)} open): cold ${answer.p99 < AIM_MS ? "PASS" : "MISS"} (p99 ${ms(answer.p99)} ms), warm ${warm.p99 < AIM_MS ? "PASS" : "MISS"} (p99 ${ms(warm.p99)} ms)`,
    );
  }

  console.log("");
  const header = ["project", "measured", "runs", "p50 ms", "p99 ms", "max ms"];
  printTable(header, rows, { leftAligned: 2 });
  console.log(
    `(a) reads the list-open rows (summaries) and parses them; (b) is the whole \`issues\` answer: both list reads (open and resolved), clocks, sort and the page-1 card. cold: a new store object each run (the rows are read); warm: the store object that listed them before, which re-reads only the log's head when nothing changed (its own changes patch its lists). ${RUNS} runs each, one at a time, after ${WARMUP_RUNS} warm-up runs (so p99 is the slowest run).`,
  );
  for (const w of wholeHistory) console.log(w);
  console.log(
    "note: Azurite scans the whole table for a query, so its figures grow with everything else stored (the HTTP scenarios' rows included); Azure Table Storage reads a key range.",
  );
  console.log("");
  for (const a of aims) console.log(a);
}
