/**
 * A realistic governance log for the evidence-pack bench, generated entry by entry (never held whole): two care
 * homes of one provider, Rosewood House and Elm Court (Europe/London), set up in Teams, roles given, the readiness
 * checklist filled in, the board's vote opened, cast and closed with minutes (a conditional approval), live three
 * weeks after set-up; then the go-live command log — issues raised, triaged, assigned, updated, controlled when
 * care-impacting, resolved, verified, some reopened — with each morning's digest claimed, posted and decided on,
 * weekly audits and stabilisation reviews, two staff pulses, the risk log and the SLT's decision, over about 120
 * days in all. Deterministic: the same options always give the same entries, byte for byte.
 *
 * The board decision, readiness, audits, pulses, risks and the SLT decision are made by the product's own pure
 * rules on the state the earlier entries add up to (so the minutes and exit criteria are what the bot would
 * write); the command log's events are written directly, each a step a person takes on an issue. The issue count
 * is paced so the log fills the whole span, whatever `entries` is: fewer entries give fewer issues a day.
 */
import { createHash } from "node:crypto";
import { dateIn } from "../governance/boardDecision.js";
import {
  decideCloseDecision,
  decideConditionMet,
  decideOpenDecision,
  decideVote,
} from "../governance/boardDecisionRules.js";
import { GENESIS_HASH, type LogEntry, sealEntry } from "../governance/chain.js";
import {
  type ControlKind,
  DEFAULT_ISSUE_TARGETS,
  type IssueType,
  isIssueEvent,
  issueIdOf,
  type Priority,
  proposePriority,
  type Triage,
} from "../governance/commandLog.js";
import { applyEvents, type Decision, decideRoleAdd } from "../governance/decisions.js";
import type { SupportChoice } from "../governance/digestTypes.js";
import type { Actor, GovernanceEvent } from "../governance/events.js";
import { zonedTimeToIso } from "../governance/issueClocks.js";
import type { ProjectState } from "../governance/project.js";
import { blockersDigest, blockersOf } from "../governance/readiness.js";
import {
  decideAssuranceRecord,
  decideReadinessItem,
  decideSupportPlan,
  decideTrainingRecord,
} from "../governance/readinessDecisions.js";
import type { Role } from "../governance/roles.js";
import { addDays } from "../governance/schedule.js";
import type { AuditMeasure } from "../governance/stabilisation.js";
import {
  decideAudit,
  decideOpenPulse,
  decidePulseAnswer,
  decideRiskAdd,
  decideRiskChange,
  decideSlt,
} from "../governance/stabilisationDecisions.js";
import { exitCriteria } from "../governance/stabilisationRules.js";
import { pick, random } from "./seedData.js";

export const TIME_ZONE = "Europe/London";
export const ROSEWOOD = "Rosewood House";
export const ELM_COURT = "Elm Court";
const SITES = [ROSEWOOD, ELM_COURT] as const;
type Site = (typeof SITES)[number];

/** Days from set-up to go-live, and the last planned day of the log (about 120 days in all). */
export const GO_LIVE_DAY = 21;
export const LAST_DAY = 123;

const TENANT_ID = "5f0e7c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
const TEAM_ID = "19:6b1f3c0e9d2a4c7e8f5a1b2c3d4e5f60@thread.tacv2";
const CHANNEL_ID = "19:2d7e4a9c1b3f4e6a8c0d2f4b6a8c0e1d@thread.tacv2";
const THREAD_ROOT = "1759651200000";
const CONVERSATION_ID = `${CHANNEL_ID};messageid=${THREAD_ROOT}`;

interface Someone {
  objectId: string;
  name: string;
}
const someone = (n: number, name: string): Someone => ({
  objectId: `c0ffee00-0000-4000-8000-${n.toString(16).padStart(12, "0")}`,
  name,
});

/** The cast: about ten people with roles, a chair who also sits on the SLT. */
const P = {
  priya: someone(1, "Priya Shah"),
  margaret: someone(2, "Margaret Ellis"),
  femi: someone(3, "Dr Femi Adeyemi"),
  helen: someone(4, "Helen Carter"),
  grace: someone(5, "Grace Mensah"),
  aisha: someone(6, "Aisha Rahman"),
  tom: someone(7, "Tom Okafor"),
  hannah: someone(8, "Hannah Brooks"),
  sam: someone(9, "Sam Lewis"),
  chloe: someone(10, "Chloe Adams"),
  ravi: someone(11, "Ravi Kumar"),
  dev: someone(12, "Dev Patel"),
};
const ASSIGNMENTS: Array<{ role: Role; people: Someone[]; site?: Site }> = [
  { role: "board-chair", people: [P.margaret] },
  { role: "board-member", people: [P.femi, P.helen] },
  { role: "board-member", people: [P.grace, P.aisha] },
  { role: "slt", people: [P.margaret] },
  { role: "quality-lead", people: [P.grace] },
  { role: "operations-lead", people: [P.aisha] },
  { role: "registered-manager", people: [P.tom], site: ROSEWOOD },
  { role: "registered-manager", people: [P.hannah], site: ELM_COURT },
  { role: "team-leader", people: [P.sam, P.chloe] },
  { role: "team-leader", people: [P.ravi] },
  { role: "supplier", people: [P.dev] },
];
const MANAGER: Record<Site, Someone> = { [ROSEWOOD]: P.tom, [ELM_COURT]: P.hannah };
const TEAM_LEADERS: Record<Site, Someone[]> = { [ROSEWOOD]: [P.sam, P.ravi], [ELM_COURT]: [P.chloe, P.ravi] };
const BOARD = [P.margaret, P.femi, P.helen, P.grace, P.aisha];
const SCHEDULER: Actor = { objectId: "00000000-0000-0000-0000-000000000000", name: "Scheduled review" };
const ANONYMOUS: Actor = { objectId: "anonymous", name: "Anonymous respondent" };
const OUTSIDER: Actor = {
  objectId: "0b0b0b0b-0000-4000-8000-0000000000aa",
  name: "Jordan Blake",
  tenantId: "0b0b0b0b-0000-4000-8000-0000000000ff",
};
const actor = (p: Someone): Actor => ({ objectId: p.objectId, name: p.name, tenantId: TENANT_ID });

// ---------------------------------------------------------------------------------------------------------------
// What people write. Every free text is assembled to between 100 and 300 characters.

interface Problem {
  what: string;
  type: IssueType;
  theme: string;
  care: number;
}
const PROBLEMS: Problem[] = [
  { what: "eMAR shows yesterday's medication round", type: "system", theme: "eMAR sync", care: 0.6 },
  { what: "Body map entries are not saving on the tablet", type: "system", theme: "Body maps", care: 0.3 },
  {
    what: "Care plan review dates disappeared after the overnight sync",
    type: "system",
    theme: "Care plan access",
    care: 0.3,
  },
  {
    what: "Fluid chart totals reset at midnight instead of at 07:00",
    type: "system",
    theme: "Fluid charts",
    care: 0.4,
  },
  {
    what: "Sensor mat alerts are not reaching the ECM alerts list",
    type: "system",
    theme: "Sensor mat alerts",
    care: 0.8,
  },
  { what: "The handover report prints blank pages", type: "system", theme: "Handover notes", care: 0.1 },
  {
    what: "Visit notes are lost when the Wi-Fi signal drops",
    type: "system",
    theme: "Handover notes",
    care: 0.2,
  },
  {
    what: "Night staff cannot log in with their new accounts",
    type: "access",
    theme: "Login and access",
    care: 0.2,
  },
  {
    what: "Agency carers have no ECM account for tonight's shift",
    type: "access",
    theme: "Login and access",
    care: 0.2,
  },
  {
    what: "Two-factor prompts lock carers out of the shared tablets",
    type: "access",
    theme: "Login and access",
    care: 0.1,
  },
  {
    what: "The falls risk assessment still has the old questions",
    type: "workflow",
    theme: "Risk assessments",
    care: 0.3,
  },
  {
    what: "PRN medication reasons have to be typed in twice",
    type: "workflow",
    theme: "Medication round",
    care: 0.1,
  },
  {
    what: "Wound photos cannot be attached to the body map",
    type: "workflow",
    theme: "Body maps",
    care: 0.1,
  },
  {
    what: "The team asked for a printed quick guide to recording food and fluid",
    type: "request",
    theme: "Fluid charts",
    care: 0,
  },
  {
    what: "An extra tablet is needed on the dementia unit for the evening rush",
    type: "request",
    theme: "Device charging",
    care: 0,
  },
  {
    what: "Bank staff are unsure how to record refused medication",
    type: "coaching",
    theme: "Medication round",
    care: 0.2,
  },
  {
    what: "New starters record personal care under the wrong task",
    type: "coaching",
    theme: "Night checks",
    care: 0,
  },
  {
    what: "An allergy flag is not showing on a resident's medication screen",
    type: "risk",
    theme: "Medication round",
    care: 1,
  },
  {
    what: "Controlled drugs cannot be signed for by two staff in the ECM",
    type: "risk",
    theme: "Medication round",
    care: 1,
  },
];
const WHERE = [
  "in the lounge on the ground floor",
  "for residents on the first floor",
  "on two of the four night tablets",
  "since this morning's app update",
  "for agency staff only",
  "on the dementia unit",
  "on the nurses' station PC",
];
const NOTICED = [
  "Noticed by the senior carer during the 08:00 round; three residents affected so far.",
  "Reported at handover by the night team leader, who checked three tablets with the same result.",
  "The carer logged out and back in and restarted the tablet, with no change.",
  "Seen twice this shift; the second time a colleague's tablet showed the same thing.",
  "Raised by the nurse in charge after a resident's daughter asked about the record.",
];
const WORKAROUND = [
  "Workaround: paper record kept alongside and copied in at the end of the shift.",
  "Workaround: staff use the office PC until it is fixed.",
  "Workaround: the team leader enters it for the carers.",
];
const CARE_IMPACT = [
  "Care impact: staff cannot see the latest information at the point of care.",
  "Care impact: a dose or check could be missed if nobody cross-checks.",
];
const UPDATES = [
  "The supplier has reproduced the fault on their test system and is working on a fix; next update by the end of the day.",
  "Logs sent to the CareSys support desk; they suspect the overnight sync job and are checking it against our tablets.",
  "Checked on site with the team leader: the problem only happens on tablets still on the old app version.",
  "Spoke to the night team: the problem started after 22:00 and cleared by itself at 02:00, which points to the sync window.",
];
const ACTIONS = [
  "Action: updating the app on every tablet at the home before the evening shift; the team leader confirms each one.",
  "Action: accounts re-provisioned by IT; the night team leader will test each login at the 21:30 handover.",
  "Action: the supplier is pushing a configuration change tonight; we re-test first thing tomorrow on three tablets.",
  "Action: a short huddle at each handover this week to show staff the right screen, with a one-page guide left by the tablets.",
];
const CONTROLS: Array<{ kind: ControlKind; text: string }> = [
  {
    kind: "additional-checks",
    text: "Senior carer double-checks every eMAR entry against the paper MAR on each round until the fix is confirmed.",
  },
  {
    kind: "senior-oversight",
    text: "Nurse in charge reviews the alerts list hourly and signs the oversight sheet; sensor mats are checked on each round.",
  },
  {
    kind: "paper-backup",
    text: "Paper charts printed for the affected residents and kept in the office; entries copied into the ECM at the end of each shift.",
  },
  {
    kind: "other",
    text: "Affected residents listed on the whiteboard in the office so every shift checks them by hand until the record is right.",
  },
];
const EVIDENCE = [
  "Supplier fix deployed; re-tested with the team leader on three tablets and every entry saved and synced within a minute.",
  "Accounts re-provisioned and every night-shift member logged in during the handover check; screenshots kept in the folder.",
  "Template corrected by the supplier; two completed assessments checked against the paper copy and they match line by line.",
  "App updated on all tablets at the home; the round was recorded end to end without the fault and the team leader signed it off.",
  "Quick guide printed and laminated by each tablet; the team leader watched four carers record it correctly on the next shift.",
];
const REOPEN = [
  "The same fault came back on the first-floor tablets at the 14:00 round; two entries were lost again and had to be re-entered.",
  "Night staff say the problem is still there after 22:00; one login failed again at handover, so this is not fixed yet.",
];
const VERIFY = [
  "Checked with the team leader at the next round: entries saved and synced on all tablets. Closure verified.",
  "Spot-checked five records the day after the fix and found no repeat of the problem; closure verified with the registered manager.",
  "Verified on the night shift with the team leader: every carer logged in first time and the handover report printed in full.",
];
const SUPPORT_RATIONALE: Record<SupportChoice, string[]> = {
  increase: [
    "Care-impacting issues are still open at both homes: an extra super-user on the medication round at each site until they close.",
    "A P1 came in overnight and the control was late; supplier on site tomorrow and a second super-user on nights this week.",
  ],
  continue: [
    "Issues are being closed within target and the themes are known; keep the super-users and the supplier line as they are.",
    "New issues are steady rather than falling; continue support as planned and look again at tomorrow's digest.",
  ],
  reduce: [
    "No trigger for three days and new issues well below the usual; step down to one super-user per shift from Monday.",
    "Quiet week with every care-impacting issue controlled and closed; reduce on-site supplier cover to mornings only.",
  ],
};
const AUDIT_NOTES = [
  "Night staff still write on paper first and copy in at the end of the shift; record quality is the measure to watch.",
  "Alerts are now actioned within the round. Two care plans opened slowly on the old tablets on the first floor.",
  "All measures at or near threshold. Incident recording is complete; task completion dipped on the weekend shift.",
  "Care plan access checked on every tablet and in the office; staff found the plan of the person in front of them each time.",
];
const RISKS = [
  "Night carers at Elm Court revert to paper for PRN medication when the tablets are slow, so the eMAR and the paper disagree.",
  "Slow tablets on the Rosewood first floor delay access to care plans at the busiest times of the morning round.",
  "Sensor mat alerts may not reach the ECM after a network drop, so a fall could be noticed later than it should be.",
  "Agency staff without ECM accounts on short notice record on paper, and the entries are copied in late or not at all.",
  "The supplier's support line is covered by one person at weekends, so a P1 on a Saturday may wait for the morning.",
  "Staff confidence on nights is lower than on days; some night carers avoid the ECM and ask the team leader to record.",
];
const RISK_CLOSE = [
  "Tablets replaced on the first floor; care plans opened in under three seconds on every check for two weeks running.",
  "Gateway firmware updated; thirty test alerts all reached the ECM within ten seconds, checked with the supplier on site.",
  "Agency accounts now provisioned the day before each shift; no paper records from agency staff for three weeks.",
];
const PULSE_COMMENTS = [
  "Much easier than the paper now, but the tablets are slow at the start of the morning round.",
  "I still need help with PRN reasons and with refused medication.",
  "Handover is quicker. Charging the tablets at night is a problem on our floor.",
  "Good training, but I would like another session on care plans.",
  undefined,
  undefined,
];
const STAFF_ROLES = ["Carers", "Senior carers", "Nurses", "Night carers"];

// ---------------------------------------------------------------------------------------------------------------
// A min-heap of planned entries by time, so the steps of many issues interleave in time order.

interface Made {
  actor: Actor;
  events: GovernanceEvent[];
  key: string;
  why?: string;
}
interface Planned {
  t: number;
  n: number;
  make(): Made | undefined;
}

class Agenda {
  private readonly heap: Planned[] = [];
  private n = 0;
  get size(): number {
    return this.heap.length;
  }
  push(t: number, make: () => Made | undefined): void {
    const item = { t, n: this.n++, make };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(item, h[p] as Planned)) break;
      h[i] = h[p] as Planned;
      i = p;
    }
    h[i] = item;
  }
  peek(): Planned | undefined {
    return this.heap[0];
  }
  pop(): Planned | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && before(h[r] as Planned, h[l] as Planned) ? r : l;
        if (!before(h[c] as Planned, last)) break;
        h[i] = h[c] as Planned;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
const before = (a: Planned, b: Planned) => a.t < b.t || (a.t === b.t && a.n < b.n);

// ---------------------------------------------------------------------------------------------------------------

/** One issue as the generator follows it, for the digest's counts. */
interface Tracked {
  id: string;
  priority: Priority;
  care: boolean;
  careFrom?: number;
  controlled: boolean;
  unsafe: boolean;
  dueMs: number;
  status: "open" | "resolved" | "closed";
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * The log, entry by entry: exactly `entries` sealed, hash-chained entries for `projectId`, the first at `start`,
 * every later one at a later time.
 */
export function* goLiveLog(options: {
  projectId: string;
  entries: number;
  start: Date;
}): Generator<LogEntry> {
  const { projectId } = options;
  const total = Math.max(0, Math.floor(options.entries));
  if (total === 0) return;
  const seed = createHash("sha256").update(projectId).digest().readUInt32LE(0);
  const r = random(seed ^ 0x5eed_2026);
  const chance = (p: number) => r() < p;
  const between = (lo: number, hi: number) => lo + r() * (hi - lo);
  const hex = (n: number) => {
    let s = "";
    while (s.length < n)
      s += Math.floor(r() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, "0");
    return s.slice(0, n);
  };

  const startDate = dateIn(TIME_ZONE, options.start);
  const dates: string[] = [];
  const midnights: number[] = [];
  const dateOf = (day: number) => {
    while (dates.length <= day) dates.push(addDays(startDate, dates.length));
    return dates[day] as string;
  };
  /** Local midnight of a day (its UTC offset is taken at midnight: a clock change moves that day by an hour). */
  const midnight = (day: number) => {
    while (midnights.length <= day) {
      const d = midnights.length;
      midnights.push(Date.parse(zonedTimeToIso(dateOf(d), "00:00", TIME_ZONE) as string));
    }
    return midnights[day] as number;
  };
  const at = (day: number, minutes: number) => midnight(day) + Math.round(minutes * MINUTE);
  const goLiveDate = dateOf(GO_LIVE_DAY);

  let state: ProjectState | undefined;
  let seq = 0;
  let prevHash = GENESIS_HASH;
  let lastMs = 0;
  const agenda = new Agenda();
  const messageKey = (t: number) => `message:${CONVERSATION_ID}:${t}${hex(3)}`;
  const cardKey = (p: Actor, verb: string, cardId: string) =>
    `action:${CONVERSATION_ID}:${cardId}:${p.objectId}:${verb}:${hex(64)}`;
  /** A change decided by the product's own rule on the state so far; a refusal here is a bug in this story. */
  const ruled = (who: Actor, decision: Decision, key: string): Made => {
    if (decision.outcome !== "record") {
      throw new Error(`goLiveLog: the story's change was not recorded: ${JSON.stringify(decision)}`);
    }
    return { actor: who, events: decision.events, key, ...(decision.why ? { why: decision.why } : {}) };
  };

  // --- the command log, as tracked for the digests ---------------------------------------------------------
  const open = new Map<string, Tracked>();
  let awaiting = 0;
  let raisedCount = 0;
  const raisedOn = new Map<number, number>();
  const resolvedOn = new Map<number, number>();
  const themesOn = new Map<number, Map<string, number>>();
  const dayOfMs = (t: number) => {
    let d = Math.max(0, Math.floor((t - midnight(0)) / (DAY_MINUTES * MINUTE)));
    while (d > 0 && midnight(d) > t) d--;
    while (midnight(d + 1) <= t) d++;
    return d;
  };
  const bump = (m: Map<number, number>, day: number) => m.set(day, (m.get(day) ?? 0) + 1);
  const highRisk = () =>
    [...open.values()]
      .filter((i) => i.priority === "P1" || i.priority === "P2" || i.care)
      .map((i) => ({ id: i.id, summary: `${i.priority}${i.care ? ", care-impacting" : ""}` }));

  // --- set-up: the project, its people and the readiness checklist (days 0 to 20) ---------------------------
  // Nothing of the set-up comes before the project itself, whatever the time of day `start` is.
  const setup = (day: number, minutes: number, make: () => Made | undefined) =>
    agenda.push(Math.max(at(day, minutes), options.start.getTime()), make);
  setup(0, 0, () => ({
    actor: actor(P.priya),
    key: messageKey(options.start.getTime()),
    events: [
      {
        kind: "project.created",
        projectId,
        name: "Rosewood and Elm Court ECM go-live",
        binding: { tenantId: TENANT_ID, teamId: TEAM_ID, channelId: CHANNEL_ID },
        phase: "preparing",
        settings: { goLiveDate, sites: [...SITES], timeZone: TIME_ZONE, digestTime: "08:00" },
      },
      { kind: "role.assigned", assignment: { role: "project-lead", person: P.priya } },
    ],
  }));
  ASSIGNMENTS.forEach((a, k) => {
    setup(k < 6 ? 0 : 1, 10 * 60 + 7 * k, () => {
      let working = state as ProjectState;
      const events: GovernanceEvent[] = [];
      for (const person of a.people) {
        const d = decideRoleAdd(working, actor(P.priya), {
          role: a.role,
          person,
          ...(a.site ? { site: a.site } : {}),
        });
        if (d.outcome !== "record") throw new Error(`goLiveLog: role not given: ${JSON.stringify(d)}`);
        events.push(...d.events);
        working = applyEvents(working, d.events, { at: "", actor: actor(P.priya) }) as ProjectState;
      }
      return { actor: actor(P.priya), events, key: messageKey(lastMs) };
    });
  });
  const items = [
    {
      area: "data-migration",
      rag: "green",
      owner: P.dev.name,
      evidence:
        "Reconciliation report of 214 resident records: every record matched on name, NHS-number check and date of birth.",
      note: "Two duplicate records merged with the registered managers; care plans re-checked by the quality lead.",
    },
    {
      area: "equipment",
      rag: "amber",
      owner: P.aisha.name,
      evidence:
        "Device register: 24 tablets and 6 PCs in place and charged; two tablets on the Rosewood first floor are slow.",
      note: "Replacements ordered for the two slow tablets; spare tablets kept in each office for the first fortnight.",
    },
    {
      area: "access",
      rag: "green",
      owner: P.dev.name,
      evidence:
        "Access log: every permanent member of staff logged in during training week; agency accounts set up on request.",
      note: "",
    },
    {
      area: "supplier-support",
      rag: "green",
      owner: P.dev.name,
      evidence:
        "Support contract schedule 3: CareSys on site for go-live week and on the phone 24 hours a day for the first month.",
      note: "",
    },
  ] as const;
  items.forEach((item, k) => {
    setup(2, 9 * 60 + 30 + 25 * k, () =>
      ruled(
        actor(P.priya),
        decideReadinessItem(state as ProjectState, actor(P.priya), { ...item }),
        messageKey(lastMs),
      ),
    );
  });
  setup(3, 15 * 60, () =>
    ruled(
      actor(P.aisha),
      decideSupportPlan(state as ProjectState, actor(P.aisha), {
        escalationRoutes:
          "Floor to team leader to registered manager to project lead; a P1 goes straight to the supplier's line and the nurse in charge.",
        supplierContact: "CareSys support desk, 0300 000 0000, 24 hours a day during go-live week.",
        onSiteCover:
          "Two super-users on every shift at each home for the first fortnight; the supplier on site for go-live week.",
        responsibleLeads: [
          { site: ROSEWOOD, lead: P.tom.name },
          { site: ELM_COURT, lead: P.hannah.name },
        ],
      }),
      messageKey(lastMs),
    ),
  );
  const assurance = [
    { recordType: "medication", sampleSize: 40, checked: 40, discrepancies: 2, critical: 0, signedOff: true },
    {
      recordType: "safeguarding",
      sampleSize: 15,
      checked: 15,
      discrepancies: 0,
      critical: 0,
      signedOff: true,
    },
    { recordType: "care-plans", sampleSize: 60, checked: 60, discrepancies: 3, critical: 0, signedOff: true },
    {
      recordType: "risk-assessments",
      sampleSize: 30,
      checked: 30,
      discrepancies: 1,
      critical: 0,
      signedOff: true,
    },
  ] as const;
  assurance.forEach((a, k) => {
    setup(4 + k, 16 * 60, () =>
      ruled(
        actor(P.grace),
        decideAssuranceRecord(state as ProjectState, actor(P.grace), {
          ...a,
          note: `${a.discrepancies} discrepanc${a.discrepancies === 1 ? "y" : "ies"} found in the sample of ${a.sampleSize} and corrected at source; re-checked against the old system's records before sign-off.`,
        }),
        messageKey(lastMs),
      ),
    );
  });
  const training: Array<{ site: Site; role: string; staff: number; completed: number; confident: number }> = [
    { site: ROSEWOOD, role: "Carers", staff: 24, completed: 20, confident: 17 },
    { site: ROSEWOOD, role: "Senior carers", staff: 8, completed: 8, confident: 8 },
    { site: ROSEWOOD, role: "Nurses", staff: 6, completed: 6, confident: 5 },
    { site: ELM_COURT, role: "Carers", staff: 20, completed: 20, confident: 17 },
    { site: ELM_COURT, role: "Night carers", staff: 9, completed: 8, confident: 6 },
    { site: ELM_COURT, role: "Team leaders", staff: 4, completed: 4, confident: 4 },
    // Rosewood's carers finish their training a week later.
    { site: ROSEWOOD, role: "Carers", staff: 24, completed: 24, confident: 22 },
  ];
  const trainingGaps = (t: (typeof training)[number]) =>
    t.completed < t.staff
      ? `${t.staff - t.completed} still to train (leave and nights); booked on the next session. Confidence lowest on PRN medication and care plan reviews.`
      : "All trained. Confidence lowest on PRN medication and care plan reviews; super-users will coach on shift.";
  training.forEach((t, k) => {
    setup(k < 6 ? 6 + (k >> 1) : 12, 11 * 60 + 40 * (k % 2), () => {
      const who = actor(MANAGER[t.site]);
      return ruled(
        who,
        decideTrainingRecord(state as ProjectState, who, {
          site: t.site,
          staffRole: t.role,
          staff: t.staff,
          completed: t.completed,
          confident: t.confident,
          gaps: trainingGaps(t),
        }),
        messageKey(lastMs),
      );
    });
  });

  // --- the board's vote (days 14 to 17), live from day 21 -------------------------------------------------
  const DECISION_DAY = 14;
  let cardId = "";
  setup(DECISION_DAY, 10 * 60, () =>
    ruled(actor(P.priya), decideOpenDecision(state as ProjectState, actor(P.priya)), messageKey(lastMs)),
  );
  setup(DECISION_DAY, 10 * 60 + 1, () => {
    cardId = `1${hex(12).replace(/[a-f]/g, "7")}`;
    return {
      actor: actor(P.priya),
      key: `card:${messageKey(lastMs)}`,
      events: [
        {
          kind: "decision.card-posted",
          decisionId: "D1",
          activityId: cardId,
          conversationId: CONVERSATION_ID,
        },
      ],
    };
  });
  const VOTES: Array<{ who: Someone; choice: "conditional" | "delay"; rationale: string }> = [
    {
      who: P.femi,
      choice: "conditional",
      rationale:
        "Clinically safe to go live: medication and care plan records validated. Night carers at Elm Court must finish training first week.",
    },
    {
      who: P.helen,
      choice: "delay",
      rationale:
        "I would rather wait two weeks until every night carer is trained; the supplier's cover is the same later in the month.",
    },
    {
      who: P.grace,
      choice: "conditional",
      rationale:
        "The assurance log is signed off for all four record types. Proceed on condition that the training gap closes within the week.",
    },
    {
      who: P.aisha,
      choice: "conditional",
      rationale:
        "Support plan, devices and supplier cover are in place; the one gap is training on nights, which the super-users can cover.",
    },
    {
      who: P.margaret,
      choice: "conditional",
      rationale:
        "Agree with the clinical and quality leads: go live on the planned date, with the Elm Court night training as a condition.",
    },
  ];
  VOTES.forEach((v, k) => {
    setup(DECISION_DAY + (k < 3 ? 0 : 1 + (k - 3)), 14 * 60 + 50 * k, () => {
      const s = state as ProjectState;
      const who = actor(v.who);
      const blockers = blockersOf(s);
      const today = dateOf(DECISION_DAY + (k < 3 ? 0 : 1 + (k - 3)));
      const choice = v.choice === "conditional" && blockers.length === 0 ? "proceed" : v.choice;
      const decision = decideVote(s, who, {
        decisionId: "D1",
        choice,
        rationale: v.rationale,
        blockersShown: blockersDigest(blockers),
        today,
        ...(choice === "delay" ? { newDate: addDays(goLiveDate, 14) } : {}),
        ...(choice === "conditional"
          ? {
              conditions: blockers.map((b) => ({
                blockerId: b.id,
                text: `${b.reason} Close it within the first week live: training booked for the remaining staff, each confirmed by the registered manager.`,
                owner: MANAGER[ELM_COURT],
                due: addDays(goLiveDate, 7),
              })),
            }
          : {}),
      });
      return ruled(who, decision, cardKey(who, "decision.vote", cardId));
    });
  });
  setup(DECISION_DAY + 3, 11 * 60, () => {
    const who = actor(P.margaret);
    return ruled(
      who,
      decideCloseDecision(state as ProjectState, who, { decisionId: "D1", today: dateOf(DECISION_DAY + 3) }),
      cardKey(who, "decision.close", cardId),
    );
  });
  // The condition is met in the first week live: the training record first, then the condition.
  setup(GO_LIVE_DAY + 4, 16 * 60, () => {
    const who = actor(P.hannah);
    return ruled(
      who,
      decideTrainingRecord(state as ProjectState, who, {
        site: ELM_COURT,
        staffRole: "Night carers",
        staff: 9,
        completed: 9,
        confident: 7,
        gaps: "All night carers trained, the last one on Tuesday night; two asked for coaching on PRN reasons, booked with a super-user.",
      }),
      messageKey(lastMs),
    );
  });
  setup(GO_LIVE_DAY + 4, 16 * 60 + 5, () => {
    const s = state as ProjectState;
    const condition = s.conditions.find((c) => c.state === "open");
    if (!condition) return undefined;
    return ruled(
      actor(P.hannah),
      decideConditionMet(s, actor(P.hannah), {
        conditionId: condition.id,
        evidence:
          "Training matrix for Elm Court updated: all nine night carers trained, signed off by the registered manager on the night shift.",
      }),
      messageKey(lastMs),
    );
  });

  // --- the days live: digests, support decisions, audits, reviews, pulses, risks, the SLT -----------------
  /** The entries planned for day `day` other than the issues' own (a dry run counts them for the pacing). */
  const daily = (day: number, plan: (t: number, make: () => Made | undefined) => void) => {
    const c = day - GO_LIVE_DAY;
    if (c < 1) return;
    const period = dateOf(day);
    // The morning's digest: claimed, posted with what it said, then the board's decision on it.
    const claim = at(day, 8 * 60) + 400;
    plan(claim, () => ({
      actor: SCHEDULER,
      key: `review:daily-digest:${period}:0:new`,
      events: [{ kind: "review.claimed", review: "daily-digest", period }],
    }));
    let recommended: SupportChoice = "continue";
    plan(claim + 3_900, () => {
      const now = claim + 3_900;
      const yesterday = raisedOn.get(day - 1) ?? 0;
      let usual = 0;
      for (let k = 1; k <= 7; k++) usual += raisedOn.get(day - k) ?? 0;
      usual /= 7;
      const list = [...open.values()];
      const care = list.filter((i) => i.care);
      const noControl = care.filter((i) => !i.controlled);
      const late = noControl.filter(
        (i) => (i.careFrom ?? now) + DEFAULT_ISSUE_TARGETS.controlMinutes * MINUTE < now,
      );
      const unsafe = list.filter((i) => i.unsafe);
      const breached = list.filter((i) => i.dueMs < now);
      const p1 = list.filter((i) => i.priority === "P1").length;
      const p2 = list.filter((i) => i.priority === "P2").length;
      const themes = new Map<string, number>();
      for (const d of [day - 1, day - 2]) {
        for (const [theme, n] of themesOn.get(d) ?? []) themes.set(theme, (themes.get(theme) ?? 0) + n);
      }
      const repeated = [...themes.values()].filter((n) => n >= 3);
      const triggers = [
        { kind: "care-unresolved", items: care.length },
        { kind: "care-no-control", items: noControl.length },
        { kind: "repeated-theme", items: repeated.length },
        { kind: "unsafe-workaround", items: unsafe.length },
        { kind: "breached-target", items: breached.length },
      ].filter((t) => t.items > 0);
      const reasons = [
        p1 > 0 ? `${p1} open P1${p1 === 1 ? "" : "s"}` : undefined,
        late.length > 0 ? "care-impacting issues past the time for a temporary control" : undefined,
        unsafe.length > 0 ? `${unsafe.length} unsafe workaround${unsafe.length === 1 ? "" : "s"}` : undefined,
      ].filter((x) => x !== undefined);
      let rule: string;
      if (reasons.length > 0) {
        recommended = "increase";
        rule = `Increase, because of ${reasons.join("; ")}.`;
      } else if (triggers.length === 0 && p1 + p2 === 0 && yesterday <= usual / 2) {
        recommended = "reduce";
        rule = `Reduce: no trigger for action, no open P1 or P2, and ${yesterday} new issues yesterday against a usual ${usual.toFixed(1)} a day.`;
      } else {
        recommended = "continue";
        rule =
          triggers.length > 0
            ? `Continue: triggers to watch (${triggers.map((t) => t.kind.replace(/-/g, " ")).join(", ")}) but none that calls for more support.`
            : `Continue: ${p2} open P2s still to resolve.`;
      }
      return {
        actor: SCHEDULER,
        key: `review-posted:daily-digest:${period}`,
        events: [
          {
            kind: "review.posted",
            review: "daily-digest",
            period,
            activityId: `1${String(now).slice(1)}`,
            conversationId: CHANNEL_ID,
            counts: {
              new: yesterday,
              open: open.size,
              resolved: resolvedOn.get(day - 1) ?? 0,
              awaitingVerification: awaiting,
            },
            triggers,
            recommendation: { choice: recommended, rule },
          },
        ],
      };
    });
    plan(at(day, 9 * 60 + 5 + (day % 5) * 7), () => {
      const who = actor(BOARD[day % BOARD.length] as Someone);
      const choice: SupportChoice = chance(0.85) ? recommended : "continue";
      return {
        actor: who,
        key: cardKey(who, "digest.decide", `1${period.replace(/-/g, "")}0800`),
        events: [
          {
            kind: "support.decided",
            review: "daily-digest",
            period,
            choice,
            rationale: pick(SUPPORT_RATIONALE[choice], r),
            recommended,
          },
        ],
      };
    });
    // Weekly audits at each home; the first moves the project into stabilisation.
    if (c >= 7 && c % 7 <= 1) {
      const site = SITES[c % 7] as Site;
      plan(at(day, 14 * 60 + 30 * (c % 7)), () => {
        const week = Math.floor(c / 7);
        const quality = Math.min(1, 0.86 + week * 0.012 + r() * 0.02);
        const measure = (checked: number, lift = 0) => ({
          checked,
          passed: Math.min(checked, Math.round(checked * Math.min(1, quality + lift))),
        });
        const measures: Record<AuditMeasure, { checked: number; passed: number }> = {
          "record-quality": measure(40),
          "task-completion": measure(120, 0.02),
          "alerts-actioned": measure(30, 0.03),
          "care-plan-access": measure(50, 0.05),
          "incident-recording": measure(12, 0.04),
        };
        return ruled(
          actor(P.grace),
          decideAudit(state as ProjectState, actor(P.grace), {
            site,
            kind: "stabilisation",
            measures,
            notes: pick(AUDIT_NOTES, r),
          }),
          messageKey(lastMs),
        );
      });
    }
    // The weekly stabilisation review, once stabilisation has begun.
    if (c >= 9 && c % 7 === 2) {
      plan(at(day, 8 * 60 + 30), () => ({
        actor: SCHEDULER,
        key: `review:stabilisation-review:${period}:0:new`,
        events: [{ kind: "review.claimed", review: "stabilisation-review", period }],
      }));
      plan(at(day, 8 * 60 + 30) + 5_200, () => {
        const s = state as ProjectState;
        const criteria = exitCriteria({
          sites: s.project.settings.sites,
          stabilisation: s.stabilisation,
          highRiskIssues: highRisk(),
          ...(s.project.liveFrom ? { liveFrom: s.project.liveFrom } : {}),
        });
        return {
          actor: SCHEDULER,
          key: `review-posted:stabilisation-review:${period}`,
          events: [
            {
              kind: "review.posted",
              review: "stabilisation-review",
              period,
              activityId: `1${String(lastMs).slice(1)}`,
              conversationId: CHANNEL_ID,
              exitCriteria: criteria
                .slice(0, 20)
                .map((x) => ({ criterion: x.criterion.slice(0, 300), met: x.met })),
            },
          ],
        };
      });
    }
    // Staff confidence: an anonymous pulse in week 5, a named one in week 11, answered over three days.
    for (const pulse of [
      { day: 35, anonymous: true, answers: 40 },
      { day: 80, anonymous: false, answers: 24 },
    ]) {
      if (c === pulse.day) {
        plan(at(day, 10 * 60), () =>
          ruled(
            actor(P.priya),
            decideOpenPulse(state as ProjectState, actor(P.priya), pulse.anonymous),
            messageKey(lastMs),
          ),
        );
      }
      if (c >= pulse.day && c < pulse.day + 3) {
        const perDay = Math.ceil(pulse.answers / 3);
        for (let k = 0; k < perDay && (c - pulse.day) * perDay + k < pulse.answers; k++) {
          const n = (c - pulse.day) * perDay + k;
          plan(at(day, 10 * 60 + 20 + k * 23), () => {
            const s = state as ProjectState;
            const current = s.stabilisation.pulses.at(-1);
            if (!current) return undefined;
            const staff = someone(
              1_000 + n,
              `${pick(["Amira", "Kofi", "Ellen", "Joe", "Maria", "Sunita", "Lee"], r)} ${pick(["Hussain", "Asante", "Byrne", "Novak", "Silva", "Patel", "Wong"], r)}`,
            );
            const slot = pulse.anonymous
              ? createHash("sha256").update(`${current.id}|${staff.objectId}`).digest("hex").slice(0, 40)
              : staff.objectId;
            const comment = pick(PULSE_COMMENTS, r);
            const score = Math.min(
              5,
              Math.max(1, Math.round(between(2.2, 5.4) + (pulse.anonymous ? 0 : 0.4))),
            );
            return ruled(
              pulse.anonymous ? ANONYMOUS : actor(staff),
              decidePulseAnswer(s, {
                pulseId: current.id,
                slot,
                ...(pulse.anonymous ? {} : { name: staff.name }),
                role: STAFF_ROLES[n % STAFF_ROLES.length] as string,
                site: SITES[n % 2] as string,
                score,
                ...(comment ? { comment } : {}),
              }),
              `pulse:${current.id}:${slot}:${hex(24)}`,
            );
          });
        }
      }
    }
    // The risk log: risks added, re-scored and closed over the weeks.
    const riskDays = [3, 10, 24, 40, 62, 85];
    const riskOwners = [P.hannah, P.tom, P.dev, P.aisha, P.dev, P.hannah];
    const added = riskDays.indexOf(c);
    if (added >= 0) {
      plan(at(day, 15 * 60 + 10), () => {
        const who = actor(riskOwners[added] as Someone);
        return ruled(
          who,
          decideRiskAdd(state as ProjectState, who, RISKS[added] as string, period),
          messageKey(lastMs),
        );
      });
    }
    if (c === 17 || c === 47) {
      plan(at(day, 15 * 60 + 40), () => {
        const s = state as ProjectState;
        const risk = s.stabilisation.risks.find((x) => x.state === "open");
        if (!risk) return undefined;
        return ruled(
          actor(P.priya),
          decideRiskChange(s, actor(P.priya), {
            kind: "update",
            riskId: risk.id,
            owner: risk.owner,
            likelihood: Math.max(1, risk.likelihood - 1),
            impact: Math.min(5, risk.impact + 1),
            reviewDate: addDays(period, 14),
          }),
          messageKey(lastMs),
        );
      });
    }
    const closeDays = [30, 55, 90];
    if (closeDays.includes(c)) {
      plan(at(day, 16 * 60 + 20), () => {
        const s = state as ProjectState;
        const risk = s.stabilisation.risks.find((x) => x.state === "open");
        if (!risk) return undefined;
        return ruled(
          actor(P.priya),
          decideRiskChange(s, actor(P.priya), {
            kind: "close",
            riskId: risk.id,
            evidence: RISK_CLOSE[closeDays.indexOf(c)] as string,
          }),
          messageKey(lastMs),
        );
      });
    }
    // The SLT extends stabilisation in week 11.
    if (c === 75) {
      plan(at(day, 11 * 60 + 30), () => {
        const s = state as ProjectState;
        const who = actor(P.margaret);
        return ruled(
          who,
          decideSlt({ ...s, commandLog: { ...s.commandLog, highRisk: highRisk() } }, who, {
            choice: "extend",
            rationale:
              "Audits are improving but care plan access and night-shift confidence are not yet where they need to be; review again in four weeks.",
            today: period,
            reviewDate: addDays(period, 28),
          }),
          messageKey(lastMs),
        );
      });
    }
    // Now and then someone from another organisation's tenant tries a command in the channel.
    if (c % 13 === 6) {
      plan(at(day, 13 * 60 + 17), () => ({
        actor: OUTSIDER,
        key: `refusal:${messageKey(lastMs)}`,
        events: [
          {
            kind: "access.refused",
            reason: "This project belongs to another organisation's Microsoft 365 tenant.",
            attempted: "role add",
            tenantId: OUTSIDER.tenantId,
          },
        ],
      }));
    }
  };

  // --- the issues: each one's steps planned when it is raised ---------------------------------------------
  let planned = 0;
  let issuesPlanned = 0;
  const description = (problem: Problem, care: boolean, workaround: boolean) => {
    const parts = [
      `${problem.what} ${pick(WHERE, r)}.`,
      pick(NOTICED, r),
      ...(workaround ? [pick(WORKAROUND, r)] : []),
      ...(care ? [pick(CARE_IMPACT, r)] : []),
    ];
    let text = parts.join(" ");
    while (text.length > 300) {
      parts.splice(1, 1);
      text = parts.join(" ");
    }
    return text;
  };
  const planIssue = (raisedAt: number, site: Site) => {
    const number = ++raisedCount;
    const id = issueIdOf(number);
    const problem = pick(PROBLEMS, r);
    const raisedCare = r() < problem.care * 0.5;
    const workaround = chance(0.35);
    const raiser = actor(chance(0.75) ? pick(TEAM_LEADERS[site], r) : MANAGER[site]);
    const manager = actor(MANAGER[site]);
    const proposed = proposePriority({ type: problem.type, careImpacting: raisedCare, workaround });
    const steps: Array<{ t: number; make: () => Made }> = [];
    const step = (t: number, make: () => Made) => steps.push({ t, make });
    const tracked: Tracked = {
      id,
      priority: proposed,
      care: raisedCare,
      controlled: false,
      unsafe: false,
      dueMs: Number.POSITIVE_INFINITY,
      status: "open",
    };
    step(raisedAt, () => {
      open.set(id, tracked);
      const day = dayOfMs(raisedAt);
      bump(raisedOn, day);
      if (raisedCare) tracked.careFrom = raisedAt;
      return {
        actor: raiser,
        key: messageKey(raisedAt),
        events: [
          {
            kind: "issue.raised",
            issueId: id,
            type: problem.type,
            priority: proposed,
            priorityProposed: true,
            careImpacting: raisedCare,
            workaround,
            site,
            description: description(problem, raisedCare, workaround),
          },
        ],
      };
    });
    // Triage: the theme, sometimes a different priority, sometimes marked care-impacting.
    const priorityFirst = { P1: 5, P2: 20, P3: 60, P4: 120 }[proposed];
    let t = raisedAt + between(2, priorityFirst) * MINUTE;
    const before: Triage = { type: problem.type, priority: proposed, site, careImpacting: raisedCare };
    const care = raisedCare || (problem.care > 0 && chance(0.08));
    const order = ["P1", "P2", "P3", "P4"] as const;
    const moved = order.indexOf(proposed) + (chance(0.15) ? (chance(0.4) ? -1 : 1) : 0);
    const priority: Priority =
      care && !raisedCare ? "P2" : (order[Math.min(3, Math.max(0, moved))] ?? proposed);
    const after: Triage = { type: problem.type, priority, site, theme: problem.theme, careImpacting: care };
    const triager = chance(0.6) ? manager : actor(P.aisha);
    const triagedAt = t;
    step(t, () => {
      tracked.priority = priority;
      if (care && !tracked.care) tracked.careFrom = triagedAt;
      tracked.care = care;
      const day = dayOfMs(triagedAt);
      const themes = themesOn.get(day) ?? new Map<string, number>();
      themes.set(problem.theme, (themes.get(problem.theme) ?? 0) + 1);
      themesOn.set(day, themes);
      return {
        actor: triager,
        key: cardKey(triager, "issue.triage", `1${String(raisedAt).slice(1)}`),
        events: [{ kind: "issue.triaged", issueId: id, before, after }],
      };
    });
    if (workaround && chance(0.5)) {
      t += between(2, 25) * MINUTE;
      const unsafe = chance(0.12);
      step(t, () => {
        tracked.unsafe = unsafe;
        return {
          actor: manager,
          key: cardKey(manager, "issue.workaround", `1${String(raisedAt).slice(1)}`),
          events: [{ kind: "issue.workaround-assessed", issueId: id, unsafe }],
        };
      });
    }
    // Assigned: the supplier for faults, the operations lead for workflow, a team leader for coaching.
    const owner =
      problem.type === "system" || problem.type === "access" || problem.type === "risk"
        ? P.dev
        : problem.type === "workflow"
          ? P.aisha
          : pick(TEAM_LEADERS[site], r);
    const target = DEFAULT_ISSUE_TARGETS[priority].resolutionMinutes;
    const dueBy = new Date(raisedAt + target * MINUTE).toISOString();
    t += between(3, 45) * MINUTE;
    const assigner = chance(0.5) ? triager : actor(P.aisha);
    const assignedAt = t;
    step(assignedAt, () => {
      tracked.dueMs = Date.parse(dueBy);
      return {
        actor: assigner,
        key: messageKey(assignedAt),
        events: [{ kind: "issue.assigned", issueId: id, owner, dueBy }],
      };
    });
    // A temporary control for a care-impacting issue, mostly within the two hours.
    if (care) {
      const from = before.careImpacting ? raisedAt : triagedAt;
      const controls = chance(0.2) ? 2 : 1;
      for (let k = 0; k < controls; k++) {
        const ct = Math.max(t, from + between(10, k === 0 ? 160 : 600) * MINUTE);
        const control = pick(CONTROLS, r);
        step(ct, () => {
          tracked.controlled = true;
          return {
            actor: manager,
            key: cardKey(manager, "issue.control", `1${String(raisedAt).slice(1)}`),
            events: [{ kind: "issue.control-recorded", issueId: id, control }],
          };
        });
      }
    }
    // Work on it, then resolution (sometimes late), reopening, verification.
    const resolveIn = target * between(0.15, chance(0.15) ? 2.2 : 0.95);
    // After everything above: the owner cannot resolve before being assigned, nor before the control.
    let resolvedAt = Math.max(
      raisedAt + resolveIn * MINUTE,
      ...steps.map((s) => s.t + between(5, 40) * MINUTE),
    );
    const updates = Math.floor(between(0, 3.2));
    for (let k = 1; k <= updates; k++) {
      const ut = t + ((resolvedAt - t) * k) / (updates + 1);
      const action = chance(0.4);
      const text = action ? pick(ACTIONS, r) : pick(UPDATES, r);
      step(ut, () => ({
        actor: actor(owner),
        key: messageKey(ut),
        events: [{ kind: "issue.updated", issueId: id, update: action ? "action" : "update", text }],
      }));
    }
    const resolveStep = (when: number) => {
      const evidence = pick(EVIDENCE, r);
      step(when, () => {
        tracked.status = "resolved";
        open.delete(id);
        awaiting++;
        bump(resolvedOn, dayOfMs(when));
        return {
          actor: actor(owner),
          key: messageKey(when),
          events: [{ kind: "issue.resolved", issueId: id, evidence }],
        };
      });
    };
    resolveStep(resolvedAt);
    if (chance(0.1)) {
      const reopenAt = resolvedAt + between(60, 900) * MINUTE;
      const reason = pick(REOPEN, r);
      step(reopenAt, () => {
        tracked.status = "open";
        awaiting--;
        open.set(id, tracked);
        return {
          actor: raiser,
          key: messageKey(reopenAt),
          events: [{ kind: "issue.reopened", issueId: id, reason }],
        };
      });
      const fixAt = reopenAt + between(30, 300) * MINUTE;
      const text = pick(UPDATES, r);
      step(fixAt, () => ({
        actor: actor(owner),
        key: messageKey(fixAt),
        events: [{ kind: "issue.updated", issueId: id, update: "update", text }],
      }));
      resolvedAt = fixAt + between(60, 600) * MINUTE;
      resolveStep(resolvedAt);
    }
    if (chance(0.88)) {
      const verifyAt = resolvedAt + between(40, 1_400) * MINUTE;
      const verifier = chance(0.5) ? actor(P.grace) : manager;
      const note = pick(VERIFY, r);
      step(verifyAt, () => {
        tracked.status = "closed";
        awaiting--;
        return {
          actor: verifier,
          key: cardKey(verifier, "issue.verify", `1${String(raisedAt).slice(1)}`),
          events: [{ kind: "issue.verified", issueId: id, note }],
        };
      });
    }
    for (const s of steps) agenda.push(s.t, s.make);
    planned += steps.length;
    issuesPlanned++;
  };

  // --- pacing: how many issues each day, so the log spans the whole period --------------------------------
  let fixed = agenda.size;
  for (let day = 0; day <= LAST_DAY; day++) daily(day, () => fixed++);
  const forIssues = Math.max(0, total - fixed);
  const weight = (day: number) => {
    const c = day - GO_LIVE_DAY;
    if (c < 0) return 0;
    const weekday = new Date(`${dateOf(day)}T12:00:00Z`).getUTCDay();
    return (0.3 + 2.5 * Math.exp(-c / 10)) * (weekday === 0 || weekday === 6 ? 0.75 : 1);
  };
  let allWeight = 0;
  for (let day = 0; day <= LAST_DAY; day++) allWeight += weight(day);
  let weightSoFar = 0;

  for (let day = 0; ; day++) {
    daily(day, (t, make) => agenda.push(t, make));
    if (day >= GO_LIVE_DAY) {
      // Issues for today: enough to keep the planned steps on course for the target.
      weightSoFar += weight(Math.min(day, LAST_DAY));
      const due = (forIssues * weightSoFar) / allWeight;
      const perIssue = issuesPlanned > 0 ? planned / issuesPlanned : 7;
      const count =
        day > LAST_DAY
          ? Math.max(1, Math.round(forIssues / allWeight / perIssue))
          : Math.max(0, Math.round((due - planned) / perIssue));
      const times: number[] = [];
      for (let k = 0; k < count; k++) {
        // Mostly the day shift, busiest in the morning round; some at night.
        const minutes = chance(0.08)
          ? between(22 * 60, 30 * 60)
          : between(6.5 * 60, 21.5 * 60) - (chance(0.3) ? between(0, 90) : 0);
        times.push(at(day, minutes));
      }
      times.sort((a, b) => a - b);
      for (const t of times) planIssue(t, SITES[chance(0.5) ? 0 : 1] as Site);
    }
    // Everything planned before the next day begins, in time order.
    const nextDay = midnight(day + 1);
    for (let next = agenda.peek(); next && next.t < nextDay; next = agenda.peek()) {
      agenda.pop();
      const made = next.make();
      if (!made) continue;
      lastMs = Math.max(next.t, lastMs + 1);
      const entry = sealEntry({
        projectId,
        seq: ++seq,
        at: new Date(lastMs).toISOString(),
        actor: made.actor,
        ...(made.why !== undefined ? { why: made.why } : {}),
        idempotencyKey: made.key,
        events: made.events,
        prevHash,
      });
      prevHash = entry.hash;
      // The state the rules decide on: everything but the issues (which are followed above).
      const other = made.events.filter((e) => !isIssueEvent(e));
      if (other.length > 0) state = applyEvents(state, other, { at: entry.at, actor: entry.actor });
      yield entry;
      if (seq >= total) return;
    }
  }
}
