import { createHash } from "node:crypto";
import { EVIDENCE_MAPPING } from "../../governance/evidenceMapping.js";
import type {
  AuditRow,
  CommandLogRow,
  ConfidenceRow,
  ControlRow,
  DayRow,
  EvidenceMappingRow,
  EvidenceModel,
  IssueTimesRow,
} from "../../governance/evidenceModel.js";

/**
 * An evidence pack's model for a small provider: two care homes, Rosewood House and Elm Court, going live on the
 * ECM on 16 November 2026 after a delay and then a conditional approval; 40 issues of every priority, temporary
 * controls, three stabilisation audits, a staff pulse, risks, an SLT decision to extend stabilisation and the
 * follow-up schedule. The stress variant fills every free-text field with what people might type (a 300-letter
 * word, markup, quotes and ampersands) and caps the command log and controls at 1,000 rows each.
 */

export interface EvidenceFixtureOptions {
  /** Long unbroken words, markup in typed text, 64-character hashes, 1,000 command-log rows and controls. */
  stress?: boolean;
}

/** A 300-letter word with no place to break it. */
export const LONG_WORD = "Medicationadministrationrecordsynchronisation".repeat(7).slice(0, 300);
/** What a person might type that must never reach the page as markup. */
export const INJECTION = `<script>alert(1)</script> "quotes" & ampersands 'apostrophes' <img src=x onerror=alert(2)>`;
/** A link typed as evidence: long, with no spaces. */
export const LONG_LINK = `https://sharepoint.example/sites/rosewood/Shared%20Documents/evidence/${"a1b2c3d4".repeat(30)}`;

export const ROSEWOOD = "Rosewood House";
export const ELM_COURT = "Elm Court";

const TIME_ZONE = "Europe/London";
const GO_LIVE = "2026-11-16";
const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
const CONTROL_TARGET = 120;
const RESOLUTION_TARGET: Record<string, number> = { P1: 240, P2: 480, P3: 1440, P4: 4320 };
const TYPES = ["system", "workflow", "request", "access", "coaching", "risk"];
const THEMES = [
  "Medication round",
  "eMAR sync",
  "Login and access",
  "Care plan access",
  "Handover notes",
  "Sensor mat alerts",
  "Night checks",
];
const RAISERS = ["Sam Lewis (team leader)", "Chloe Adams (team leader)", "Ravi Kumar (team leader)"];
const OWNERS = ["CareSys support desk", "Dev Patel", "Grace Mensah", "CareSys implementation team"];
const MANAGERS: Record<string, string> = { [ROSEWOOD]: "Tom Okafor", [ELM_COURT]: "Hannah Brooks" };

export function sampleEvidenceModel(
  overrides: Partial<EvidenceModel> = {},
  options: EvidenceFixtureOptions = {},
): EvidenceModel {
  return { ...buildModel(options.stress ?? false), ...overrides };
}

/** The stress variant: every typed field long and hostile, 1,000 command-log rows and 1,000 controls. */
export function stressEvidenceModel(overrides: Partial<EvidenceModel> = {}): EvidenceModel {
  return sampleEvidenceModel(overrides, { stress: true });
}

/** A pack for a period in which nothing was recorded. */
export function emptyEvidenceModel(overrides: Partial<EvidenceModel> = {}): EvidenceModel {
  return sampleEvidenceModel({
    summary: {
      points: [],
      issuesRaised: 0,
      issuesResolved: 0,
      issuesOpenAtEnd: 0,
      careImpacting: 0,
      controlsRecorded: 0,
      refusals: 0,
      logEntriesInRange: 0,
    },
    timeline: [],
    decisions: [],
    conditions: [],
    checklist: [],
    supportPlan: undefined,
    training: [],
    assurance: [],
    commandLog: [],
    commandLogTotal: 0,
    controls: [],
    controlsTotal: 0,
    issueTimes: [],
    days: [],
    dailyDecisions: [],
    audits: [],
    confidence: [],
    risks: [],
    stabilisationReport: undefined,
    sltDecisions: [],
    followUps: [],
    mapping: [],
    files: [],
    ...overrides,
  });
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/** An instant `minutes` after local midnight of `date` (November and December: London is on UTC). */
function at(date: string, minutes: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + minutes * 60_000).toISOString();
}

const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function buildModel(stress: boolean): EvidenceModel {
  /** Typed text: as typed, or in the stress variant with a long word and markup appended. */
  const say = (text: string) => (stress ? `${text} ${LONG_WORD} ${INJECTION}` : text);
  const name = (text: string) => (stress ? `${text} ${INJECTION}` : text);
  const sites = stress ? [ROSEWOOD, `${ELM_COURT} ${LONG_WORD}`] : [ROSEWOOD, ELM_COURT];
  const [rosewood = ROSEWOOD, elm = ELM_COURT] = sites;
  const range = { from: "2026-11-01", to: "2026-12-31", timeZone: TIME_ZONE };

  // --- the command log -------------------------------------------------------------------------
  const issueCount = stress ? 1_000 : 40;
  const issues: CommandLogRow[] = [];
  for (let i = 0; i < issueCount; i++) {
    const priority = PRIORITIES[i < 4 ? i : i % 10 < 1 ? 0 : i % 10 < 3 ? 1 : i % 10 < 7 ? 2 : 3] ?? "P3";
    const day = Math.min(44, Math.floor((i % 40) ** 2 / 60) + (Math.floor(i / 40) % 3));
    const raisedAt = at(addDays(GO_LIVE, day), 7 * 60 + ((i * 37) % 600));
    const site = i % 2 === 0 ? rosewood : elm;
    const careImpacting = priority === "P1" || priority === "P2" || (priority === "P3" && i % 3 === 0);
    const minutesToControl = careImpacting ? 20 + ((i * 13) % 130) : undefined;
    const open = i % 13 === 12 || i >= issueCount - 3;
    const base = { P1: 120, P2: 240, P3: 600, P4: 1500 }[priority];
    const spread = { P1: 180, P2: 360, P3: 1200, P4: 2500 }[priority];
    const minutesToClosure = open ? undefined : base + ((i * 97) % spread);
    const resolvedAt = minutesToClosure === undefined ? undefined : plus(raisedAt, minutesToClosure);
    const careMarkedAt = careImpacting ? plus(raisedAt, i % 4 === 0 ? 30 : 0) : undefined;
    const theme = THEMES[i % THEMES.length] ?? "Other";
    issues.push({
      id: `I-${String(i + 1).padStart(4, "0")}`,
      number: i + 1,
      raisedAt,
      raisedBy: name(RAISERS[i % RAISERS.length] ?? "Sam Lewis"),
      type: TYPES[i % TYPES.length] ?? "system",
      priority,
      site,
      theme: stress && i % 5 === 0 ? `${theme} ${LONG_WORD}` : theme,
      careImpacting,
      unsafeWorkaround: i % 11 === 5,
      description: say(
        [
          "eMAR did not show the lunchtime round for two residents on the first floor.",
          "Agency carer could not log in on the handheld; used a colleague's device.",
          "Sensor mat alert in room 12 did not reach the ECM alerts list.",
          "Care plan for a new admission opened blank on the tablet.",
          "Night check tasks duplicated after the 02:00 sync.",
          "Team asked for coaching on recording PRN medication reasons.",
        ][i % 6] ?? "",
      ),
      owner: name(OWNERS[i % OWNERS.length] ?? "Dev Patel"),
      status: open ? "open" : i % 4 === 0 ? "closed" : "resolved",
      firstResponseAt: plus(raisedAt, 5 + (i % 50)),
      careMarkedAt,
      firstControlAt:
        careMarkedAt && minutesToControl !== undefined ? plus(careMarkedAt, minutesToControl) : undefined,
      minutesToControl,
      controls: careImpacting ? (stress ? 3 : 1 + (i % 2)) : 0,
      resolvedAt,
      resolvedBy: resolvedAt ? name(OWNERS[(i + 1) % OWNERS.length] ?? "Dev Patel") : undefined,
      minutesToClosure,
      closureEvidence: resolvedAt
        ? stress
          ? say(`Fix deployed; release note ${LONG_LINK} checksum ${sha256(`fix-${i}`)}`)
          : `Fix deployed by supplier (ticket CS-${4100 + i}); checked on the next round.`
        : undefined,
      verifiedBy: resolvedAt && i % 4 === 0 ? name("Grace Mensah") : undefined,
      verifiedAt: resolvedAt && i % 4 === 0 ? plus(resolvedAt, 90) : undefined,
      reopened: i % 17 === 16 ? 1 : 0,
    });
  }

  // --- temporary controls ----------------------------------------------------------------------
  const allControls: ControlRow[] = [];
  for (const issue of issues) {
    if (!issue.careMarkedAt || issue.minutesToControl === undefined) continue;
    for (let k = 0; k < issue.controls; k++) {
      const minutes = issue.minutesToControl + k * 95;
      allControls.push({
        issueId: issue.id,
        priority: issue.priority,
        site: issue.site,
        kind: ["additional-checks", "senior-oversight", "paper-backup"][(issue.number + k) % 3] ?? "other",
        text: say(
          [
            "Senior carer double-checks every eMAR entry against the paper MAR until fixed.",
            "Nurse in charge reviews alerts list hourly; sensor mats checked on each round.",
            "Paper care plan summary printed for the new admission and kept in the office.",
          ][(issue.number + k) % 3] ?? "",
        ),
        by: name(MANAGERS[issue.site === rosewood ? ROSEWOOD : ELM_COURT] ?? "Tom Okafor"),
        at: plus(issue.careMarkedAt, minutes),
        minutesAfterCareImpacting: minutes,
      });
    }
  }
  const controls = stress ? allControls.slice(0, 1_000) : allControls;
  const controlsTotal = stress ? allControls.length + 200 : allControls.length;

  // --- time to control and closure, per priority ------------------------------------------------
  const issueTimes: IssueTimesRow[] = PRIORITIES.map((priority) => {
    const rows = issues.filter((i) => i.priority === priority);
    const toControl = rows.flatMap((i) => (i.minutesToControl === undefined ? [] : [i.minutesToControl]));
    const toClosure = rows.flatMap((i) => (i.minutesToClosure === undefined ? [] : [i.minutesToClosure]));
    const target = RESOLUTION_TARGET[priority] ?? 1440;
    return {
      priority,
      issues: rows.length,
      careImpacting: rows.filter((i) => i.careImpacting).length,
      controlled: toControl.length,
      medianMinutesToControl: median(toControl),
      worstMinutesToControl: toControl.length > 0 ? Math.max(...toControl) : undefined,
      controlsWithinTarget: toControl.filter((m) => m <= CONTROL_TARGET).length,
      controlTargetMinutes: CONTROL_TARGET,
      resolved: toClosure.length,
      medianMinutesToClosure: median(toClosure),
      worstMinutesToClosure: toClosure.length > 0 ? Math.max(...toClosure) : undefined,
      resolvedWithinTarget: toClosure.filter((m) => m <= target).length,
      resolutionTargetMinutes: target,
    };
  });

  // --- issues per day -----------------------------------------------------------------------------
  const days: DayRow[] = [];
  for (let date = range.from; date <= range.to; date = addDays(date, 1)) {
    days.push({
      date,
      raised: issues.filter((i) => i.raisedAt.slice(0, 10) === date).length,
      resolved: issues.filter((i) => i.resolvedAt?.slice(0, 10) === date).length,
    });
  }

  // --- stabilisation audits -----------------------------------------------------------------------
  const measure = (title: string, checked: number, passed: number, threshold: number) => {
    const percent = Math.round((passed / checked) * 1000) / 10;
    return { measure: title, checked, passed, percent, threshold, met: percent >= threshold };
  };
  const audits: AuditRow[] = [
    {
      id: "A1",
      site: rosewood,
      kind: "stabilisation",
      at: at("2026-11-23", 14 * 60),
      by: name("Grace Mensah"),
      measures: [
        measure("Record quality", 40, 36, 95),
        measure("Task completion", 120, 110, 95),
        measure("Alerts actioned", 30, 27, 95),
        measure("Care plan access", 50, 48, 98),
        measure("Incident recording", 12, 11, 95),
      ],
      notes: say("Night staff still writing on paper first and copying in at the end of the shift."),
    },
    {
      id: "A2",
      site: elm,
      kind: "stabilisation",
      at: at("2026-11-30", 14 * 60),
      by: name("Grace Mensah"),
      measures: [
        measure("Record quality", 40, 38, 95),
        measure("Task completion", 120, 116, 95),
        measure("Alerts actioned", 30, 29, 95),
        measure("Care plan access", 50, 49, 98),
        measure("Incident recording", 12, 12, 95),
      ],
      notes: say(
        "Better; alerts now actioned within the round. Two care plans opened slowly on old tablets.",
      ),
    },
    {
      id: "A3",
      site: rosewood,
      kind: "stabilisation",
      at: at("2026-12-14", 14 * 60),
      by: name("Grace Mensah"),
      measures: [
        measure("Record quality", 40, 39, 95),
        measure("Task completion", 120, 117, 95),
        measure("Alerts actioned", 30, 30, 95),
        measure("Care plan access", 50, 50, 98),
        measure("Incident recording", 12, 12, 95),
      ],
      notes: say("All measures at or above threshold."),
      embedded: true,
    },
  ];

  // --- staff confidence ---------------------------------------------------------------------------
  const pulseRow = (role: string, site: string, scores: [number, number, number, number, number]) => {
    const answers = scores.reduce((a, b) => a + b, 0);
    return {
      pulseId: "PU1",
      question: say("Can you complete your core workflows in the ECM without extra support?"),
      anonymous: true,
      openedAt: at("2026-12-01", 9 * 60),
      role: name(role),
      site,
      answers,
      confidentPercent: Math.round(((scores[3] + scores[4]) / answers) * 100),
      scores,
    } satisfies ConfidenceRow;
  };
  const confidence: ConfidenceRow[] = [
    pulseRow("Carers", rosewood, [0, 1, 2, 9, 8]),
    pulseRow("Senior carers", rosewood, [0, 0, 1, 3, 4]),
    pulseRow("Nurses", rosewood, [0, 0, 0, 2, 3]),
    pulseRow("Carers", elm, [1, 2, 4, 7, 4]),
    pulseRow("Night carers", elm, [0, 2, 3, 3, 1]),
  ];

  // The pack's own mapping; in the stress variant, with typed-looking text and a row naming no section.
  const mapping: EvidenceMappingRow[] = stress
    ? [
        ...EVIDENCE_MAPPING.map((row) => ({
          ...row,
          section: name(row.section),
          cqc: row.cqc.map(say),
          commissioner: row.commissioner.map(say),
        })),
        {
          section: "Unknown section",
          sectionId: `nowhere" onclick="alert(3)`,
          file: "",
          cqc: [],
          commissioner: [],
        },
      ]
    : EVIDENCE_MAPPING.map((row) => ({ ...row, cqc: [...row.cqc], commissioner: [...row.commissioner] }));

  const headHash = sha256("chain-head-1842");
  const closedIssues = issues.filter((i) => i.resolvedAt).length;
  const careImpacting = issues.filter((i) => i.careImpacting).length;

  return {
    project: {
      id: "p-4f2a9c",
      name: stress ? `Rosewood & Elm ECM go-live ${LONG_WORD} ${INJECTION}` : "Rosewood & Elm ECM go-live",
      sites,
      phase: "stabilisation",
      liveFrom: GO_LIVE,
      goLiveDate: GO_LIVE,
    },
    range,
    producedAt: "2027-01-04T09:30:00.000Z",
    producedBy: name("Priya Shah"),
    chain: { entries: 1_842, headSeq: 1_842, headHash },
    summary: {
      points: [
        say(
          "The board delayed go-live on 22 October 2026 and approved it with conditions on 12 November 2026.",
        ),
        say("Both homes went live on the ECM on 16 November 2026."),
        say(
          `${issueCount} issues were raised; ${careImpacting} were care-impacting and each had a temporary control.`,
        ),
        say(
          "The SLT extended stabilisation on 18 December 2026: care plan access at Rosewood House fell short.",
        ),
      ],
      issuesRaised: issueCount,
      issuesResolved: closedIssues,
      issuesOpenAtEnd: issueCount - closedIssues,
      careImpacting,
      controlsRecorded: controlsTotal,
      refusals: 3,
      logEntriesInRange: 1_214,
    },
    timeline: [
      {
        at: "2026-10-22T15:00:00.000Z",
        kind: "Board decision",
        what: say("Delay: go-live moved to 16 November 2026."),
        by: name("Priya Shah"),
      },
      {
        at: "2026-11-12T16:30:00.000Z",
        kind: "Board decision",
        what: say("Conditional approval: two conditions."),
        by: name("Priya Shah"),
      },
      {
        at: "2026-11-16T07:00:00.000Z",
        kind: "Phase",
        what: "Live (go-live support)",
        by: name("Dev Patel"),
      },
      {
        at: "2026-11-20T12:00:00.000Z",
        kind: "Condition",
        what: say("C2 met: agency logins issued."),
        by: name("Dev Patel"),
      },
      {
        at: "2026-11-24T10:00:00.000Z",
        kind: "Condition",
        what: say("C1 met: night carers at Elm Court trained."),
        by: name("Hannah Brooks"),
      },
      { at: "2026-11-30T09:00:00.000Z", kind: "Phase", what: "Stabilisation", by: name("Dev Patel") },
      {
        at: "2026-12-18T11:00:00.000Z",
        kind: "SLT decision",
        what: say("Extend stabilisation to 15 January 2027."),
        by: name("Margaret Ellis"),
      },
    ],
    decisions: [
      {
        id: "D1",
        openedAt: "2026-10-20T10:00:00.000Z",
        openedBy: name("Dev Patel"),
        state: "closed",
        closedAt: "2026-10-22T15:00:00.000Z",
        closedBy: name("Priya Shah"),
        outcome: "delay",
        tally: { proceed: 0, delay: 4, conditional: 0 },
        newDate: GO_LIVE,
        boardMembers: ["Priya Shah", "Tom Okafor", "Grace Mensah", "Margaret Ellis"].map(name),
        votes: [
          {
            voter: name("Priya Shah"),
            choice: "delay",
            rationale: say("Medication records not yet validated."),
            at: "2026-10-21T09:00:00.000Z",
          },
          {
            voter: name("Tom Okafor"),
            choice: "delay",
            rationale: say("Only 70% of carers trained."),
            at: "2026-10-21T09:30:00.000Z",
          },
          {
            voter: name("Grace Mensah"),
            choice: "delay",
            rationale: say("Critical discrepancy in medication."),
            at: "2026-10-21T10:00:00.000Z",
          },
          {
            voter: name("Margaret Ellis"),
            choice: "delay",
            rationale: say("Agree with the above."),
            at: "2026-10-22T14:00:00.000Z",
          },
        ],
        blockers: [
          {
            area: "training",
            reason: say("Carers at Rosewood House: 70% trained, below 95%."),
            evidence: say("Training matrix 20 Oct."),
          },
        ],
        readinessEvidence: [{ area: "training", rag: "red", evidence: say("70% of carers trained.") }],
        beforeRange: true,
      },
      {
        id: "D2",
        openedAt: "2026-11-10T10:00:00.000Z",
        openedBy: name("Dev Patel"),
        state: "closed",
        closedAt: "2026-11-12T16:30:00.000Z",
        closedBy: name("Priya Shah"),
        outcome: "conditional",
        tally: { proceed: 1, delay: 0, conditional: 3 },
        goLiveDate: GO_LIVE,
        boardMembers: ["Priya Shah", "Tom Okafor", "Grace Mensah", "Margaret Ellis", "Hannah Brooks"].map(
          name,
        ),
        votes: [
          {
            voter: name("Priya Shah"),
            choice: "conditional",
            rationale: say("Go live with the night-carer training and agency logins as conditions."),
            at: "2026-11-11T09:10:00.000Z",
          },
          {
            voter: name("Tom Okafor"),
            choice: "proceed",
            rationale: say("Rosewood House is ready; paper back-up is in place."),
            at: "2026-11-11T10:05:00.000Z",
          },
          {
            voter: name("Grace Mensah"),
            choice: "conditional",
            rationale: say("Medication validation is signed off; the open items need owners and dates."),
            at: "2026-11-11T13:40:00.000Z",
          },
          {
            voter: name("Margaret Ellis"),
            choice: "conditional",
            rationale: say("Agree, with a daily review for the first fortnight."),
            at: "2026-11-12T15:55:00.000Z",
          },
        ],
        blockers: [
          {
            area: "training",
            reason: say("Night carers at Elm Court: 88% trained, below 95%."),
            evidence: say("Training matrix 10 Nov."),
          },
          {
            area: "access",
            reason: say("Three agency carers have no ECM login."),
            evidence: stress ? LONG_LINK : "Access log 11 Nov.",
          },
        ],
        readinessEvidence: [
          { area: "training", rag: "amber", evidence: say("Night carers at Elm Court 88%; others 96–100%.") },
          { area: "data-migration", rag: "green", evidence: say("Reconciliation report signed 9 Nov.") },
          {
            area: "equipment",
            rag: "green",
            evidence: say("Sensor mats and nurse call tested with the ECM."),
          },
          { area: "access", rag: "amber", evidence: say("Three agency logins outstanding.") },
          { area: "supplier-support", rag: "green", evidence: say("On-site supplier cover 16–20 Nov.") },
          {
            area: "high-risk-validation",
            rag: "green",
            evidence: say("Medication sample re-checked 10 Nov."),
          },
          { area: "live-support-plan", rag: "green", evidence: say("Support plan v3.") },
        ],
        beforeRange: false,
      },
    ],
    conditions: [
      {
        id: "C1",
        decisionId: "D2",
        text: say("Night carers at Elm Court reach 95% training."),
        blocker: say("Training below threshold (Elm Court, night carers)."),
        owner: name("Hannah Brooks"),
        due: "2026-11-23",
        state: "met",
        evidence: say("Training matrix 24 Nov: 100%."),
        closedBy: name("Hannah Brooks"),
        closedAt: "2026-11-24T10:00:00.000Z",
      },
      {
        id: "C2",
        decisionId: "D2",
        text: say("Issue ECM logins to the three agency carers."),
        blocker: say("Unresolved access problems."),
        owner: name("Dev Patel"),
        due: "2026-11-18",
        state: "met",
        evidence: stress ? LONG_LINK : "Access log 20 Nov.",
        closedBy: name("Dev Patel"),
        closedAt: "2026-11-20T12:00:00.000Z",
      },
      {
        id: "C3",
        decisionId: "D2",
        text: say("Replace the two slow tablets on the Elm Court first floor."),
        blocker: say("Care plan access below threshold."),
        owner: name("Dev Patel"),
        due: "2026-12-11",
        state: "open",
      },
    ],
    checklist: [
      {
        area: "training",
        rag: "green",
        owner: name("Hannah Brooks"),
        evidence: say("Training matrix 24 Nov."),
        note: "",
        updatedBy: name("Hannah Brooks"),
        updatedAt: "2026-11-24T10:00:00.000Z",
      },
      {
        area: "data-migration",
        rag: "green",
        owner: name("Dev Patel"),
        evidence: say("Reconciliation report."),
        note: say("Two duplicate records merged."),
        updatedBy: name("Dev Patel"),
        updatedAt: "2026-11-09T16:00:00.000Z",
      },
      {
        area: "equipment",
        rag: "amber",
        owner: name("Dev Patel"),
        evidence: stress ? LONG_LINK : "Device register.",
        note: say("Two tablets slow to open care plans."),
        updatedBy: name("Dev Patel"),
        updatedAt: "2026-12-02T11:00:00.000Z",
      },
      {
        area: "access",
        rag: "green",
        owner: name("Dev Patel"),
        evidence: say("Access log 20 Nov."),
        note: "",
        updatedBy: name("Dev Patel"),
        updatedAt: "2026-11-20T12:00:00.000Z",
      },
      {
        area: "supplier-support",
        rag: "green",
        owner: name("CareSys implementation team"),
        evidence: say("Support contract schedule 3."),
        note: "",
        updatedBy: name("Dev Patel"),
        updatedAt: "2026-11-09T16:00:00.000Z",
      },
    ],
    supportPlan: {
      escalationRoutes: say(
        "Floor → team leader → registered manager → project lead; P1 straight to the supplier line.",
      ),
      supplierContact: say("CareSys support desk, 0300 000 0000, 24 hours during go-live week."),
      onSiteCover: say("Two super-users per shift at each home, 16–29 Nov; supplier on site 16–20 Nov."),
      responsibleLeads: [
        { site: rosewood, lead: name("Tom Okafor") },
        { site: elm, lead: name("Hannah Brooks") },
      ],
      updatedBy: name("Aisha Rahman"),
      updatedAt: "2026-11-10T15:00:00.000Z",
    },
    training: [
      trainingRow(rosewood, "Carers", 24, 24, 22),
      trainingRow(rosewood, "Senior carers", 8, 8, 8),
      trainingRow(rosewood, "Nurses", 6, 6, 5),
      trainingRow(elm, "Carers", 20, 19, 17),
      trainingRow(elm, "Night carers", 9, 8, 6, say("Two night carers unsure of PRN recording.")),
      trainingRow(elm, "Team leaders", 4, 4, 4),
    ].map((r) => ({ ...r, staffRole: name(r.staffRole), updatedBy: name(r.updatedBy) })),
    trainingThresholdPercent: 95,
    assurance: [
      assuranceRow("medication", 40, 40, 2, 1, true, say("One missed allergy re-entered and re-checked.")),
      assuranceRow("safeguarding", 15, 15, 0, 0, true, ""),
      assuranceRow("care-plans", 60, 60, 3, 0, true, say("Three review dates carried over wrongly; fixed.")),
      assuranceRow("risk-assessments", 30, 28, 1, 0, false, say("Two falls assessments still to check.")),
    ],
    commandLog: issues,
    commandLogTotal: stress ? 1_250 : issues.length,
    controls,
    controlsTotal,
    issueTimes,
    days,
    dailyDecisions: Array.from({ length: 10 }, (_, d) => {
      const period = addDays(GO_LIVE, d + 1);
      const choice = d < 3 ? "increase" : d < 7 ? "continue" : "reduce";
      return {
        period,
        review: "daily-digest",
        postedAt: at(period, 8 * 60),
        newIssues: days.find((x) => x.date === addDays(period, -1))?.raised ?? 0,
        openIssues: Math.max(0, 14 - d),
        resolvedIssues: days.find((x) => x.date === addDays(period, -1))?.resolved ?? 0,
        triggers:
          d < 3
            ? say(
                "Unresolved care-impacting issues: I-0001, I-0002. Repeated theme: Medication round (4 in 48 h).",
              )
            : d < 7
              ? say("Repeated theme: Login and access (3 in 48 h).")
              : "",
        recommendation: choice,
        rule:
          choice === "increase"
            ? "Increase: an unresolved care-impacting issue or an unsafe workaround."
            : choice === "continue"
              ? "Continue: a repeated theme, no care-impacting issue open."
              : "Reduce: no trigger for three days running.",
        decisions:
          d % 2 === 0
            ? [
                {
                  by: name("Priya Shah"),
                  choice,
                  rationale: say(
                    choice === "increase"
                      ? "Extra super-user on the medication round at Elm Court."
                      : "Agree with the recommendation.",
                  ),
                  at: at(period, 9 * 60 + 15),
                },
              ]
            : [],
      };
    }),
    audits,
    confidence,
    confidenceThresholdPercent: 80,
    risks: [
      {
        id: "R1",
        text: say("Night carers at Elm Court revert to paper for PRN medication."),
        owner: name("Hannah Brooks"),
        likelihood: 3,
        impact: 5,
        score: 15,
        reviewDate: "2027-01-08",
        state: "open",
        raisedBy: name("Grace Mensah"),
        raisedAt: "2026-11-25T11:00:00.000Z",
      },
      {
        id: "R2",
        text: say("Slow tablets delay access to care plans on the Elm Court first floor."),
        owner: name("Dev Patel"),
        likelihood: 3,
        impact: 3,
        score: 9,
        reviewDate: "2027-01-08",
        state: "open",
        raisedBy: name("Grace Mensah"),
        raisedAt: "2026-12-01T11:00:00.000Z",
      },
      {
        id: "R3",
        text: say("Sensor mat alerts not reaching the ECM."),
        owner: name("Dev Patel"),
        likelihood: 2,
        impact: 5,
        score: 10,
        reviewDate: "2026-12-10",
        state: "closed",
        raisedBy: name("Tom Okafor"),
        raisedAt: "2026-11-17T08:00:00.000Z",
        closedAt: "2026-12-09T15:00:00.000Z",
        evidence: say("Gateway firmware updated; 30 test alerts all received."),
      },
    ],
    stabilisationReport: {
      openIssues: issueCount - closedIssues,
      atGoLive: {
        label: "First fortnight live (16–29 Nov)",
        raised: 34,
        careImpacting: 17,
        medianMinutesToControl: 95,
        medianMinutesToClosure: 610,
        repeatedThemes: ["Medication round", "Login and access"],
      },
      recently: {
        label: "Last 14 days (18–31 Dec)",
        raised: 3,
        careImpacting: 0,
        medianMinutesToClosure: 1_500,
        repeatedThemes: [],
      },
      criteria: [
        {
          criterion: "Rosewood House: the last two audits meet every threshold.",
          met: false,
          detail: say("A1 below threshold on record quality and care plan access."),
        },
        { criterion: "No open care-impacting, P1 or P2 issue.", met: true, detail: "" },
        {
          criterion: "Staff confidence at or above 80%.",
          met: false,
          detail: say("79% (4 or 5 of 5, 80 answers in PU1)."),
        },
      ],
    },
    sltDecisions: [
      {
        at: "2026-12-18T11:00:00.000Z",
        by: name("Margaret Ellis"),
        choice: "extend",
        rationale: say(
          "Care plan access and confidence are not yet where they need to be; review in January.",
        ),
        reviewDate: "2027-01-15",
        exitCriteria: [
          { criterion: "Rosewood House: the last two audits meet every threshold.", met: false },
          { criterion: "No open care-impacting, P1 or P2 issue.", met: true },
          { criterion: say("Staff confidence at or above 80%."), met: false },
        ],
      },
    ],
    followUps: [
      { due: "2026-12-16", months: 1, auditId: "A3", state: "done" },
      { due: "2026-12-30", months: 1, state: "overdue" },
      { due: "2027-02-15", months: 3, state: "due" },
      { due: "2027-05-15", months: 6, state: "due" },
    ],
    mapping,
    files: [
      { name: "index.html", holds: "The pack for people: printable, every section below with its charts." },
      { name: "board-decisions.csv", holds: "Board votes and rationales, blockers and readiness evidence." },
      {
        name: "command-log.csv",
        holds: "Every issue active in the period, with closure evidence and times.",
      },
      { name: "temporary-controls.csv", holds: "Every temporary control for a care-impacting issue." },
      {
        name: "log.jsonl",
        holds: "The governance log itself: every entry from the first to the last of the period.",
      },
      { name: "manifest.json", holds: "The SHA-256 of every file and the chain head." },
      ...(stress ? [{ name: `${LONG_WORD}.csv`, holds: say("A file with a long name.") }] : []),
    ],
  };

  function trainingRow(
    site: string,
    staffRole: string,
    staff: number,
    completed: number,
    confident: number,
    gaps = "",
  ) {
    const completionPercent = Math.round((completed / staff) * 100);
    return {
      site,
      staffRole,
      staff,
      completed,
      confident,
      completionPercent,
      confidencePercent: Math.round((confident / staff) * 100),
      meetsThreshold: completionPercent >= 95,
      gaps,
      updatedBy: site === rosewood ? "Tom Okafor" : "Hannah Brooks",
      updatedAt: "2026-11-24T10:00:00.000Z",
    };
  }

  function assuranceRow(
    recordType: string,
    sampleSize: number,
    checked: number,
    discrepancies: number,
    critical: number,
    signedOff: boolean,
    note: string,
  ) {
    return {
      recordType,
      sampleSize,
      checked,
      discrepancies,
      critical,
      signedOff,
      note,
      updatedBy: name("Grace Mensah"),
      updatedAt: "2026-11-10T17:00:00.000Z",
    };
  }
}
