import type { ControlKind, IssueType, Priority, Triage } from "../governance/commandLog.js";
import type { SupportChoice } from "../governance/digestTypes.js";
import type { ChannelBinding } from "../governance/project.js";
import type { Role } from "../governance/roles.js";
import type { AuditMeasure, MeasureResult } from "../governance/stabilisation.js";

/**
 * A small, realistic provider for trying the product: a residential care home and a home-care branch going live
 * on a new ECM together. The same people are the Agents Playground's users, so what a person tries in the
 * Playground (mentions, roles) matches the demo project. Later features add their own data here.
 */
export interface DemoPerson {
  objectId: string;
  name: string;
  /** The Teams user id, for people who are also in the Playground's team. */
  teamsId?: string;
  roles: Array<{ role: Role; site?: string }>;
}

export const DEMO_TENANT_ID = "6d2f4c1a-8b3e-4f7a-9c5d-0e1f2a3b4c5d";
export const DEMO_PROJECT_NAME = "Oak House & Riverside ECM go-live";
const OAK = "Oak House care home";
const RIVERSIDE = "Riverside home care";
export const DEMO_SITES = [OAK, RIVERSIDE];
export const DEMO_TEAM = {
  id: "19:golive-general@thread.tacv2",
  name: "Oak House & Riverside",
  aadGroupId: "b1c2d3e4-0000-4000-8000-00000000a001",
  /** The General channel's id is the team's id in Teams. */
  generalChannelId: "19:golive-general@thread.tacv2",
  otherChannel: { id: "19:golive-cutover@thread.tacv2", name: "Cutover" },
};

const id = (n: number) => `d0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** The person using the Playground: the demo project's lead (and a board member, to try every command). */
export const DEMO_LEAD: DemoPerson = {
  objectId: id(100),
  name: "Priya Shah",
  teamsId: "29:priya-shah",
  roles: [{ role: "project-lead" }, { role: "board-member" }],
};

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    objectId: id(1),
    name: "Margaret Ellis",
    teamsId: "29:margaret-ellis",
    roles: [{ role: "board-chair" }, { role: "slt" }],
  },
  {
    objectId: id(4),
    name: "Grace Mensah",
    teamsId: "29:grace-mensah",
    roles: [{ role: "registered-manager", site: "Oak House care home" }],
  },
  {
    objectId: id(5),
    name: "Tom Okafor",
    teamsId: "29:tom-okafor",
    roles: [{ role: "registered-manager", site: "Riverside home care" }],
  },
  { objectId: id(6), name: "Aisha Rahman", teamsId: "29:aisha-rahman", roles: [{ role: "quality-lead" }] },
  /** Day team leader at Oak House (only a registered manager's role is held for one site). */
  { objectId: id(8), name: "Lucy Evans", teamsId: "29:lucy-evans", roles: [{ role: "team-leader" }] },
  { objectId: id(2), name: "David Okoye", roles: [{ role: "board-member" }] },
  { objectId: id(3), name: "Sarah Lin", roles: [{ role: "board-member" }] },
  { objectId: id(7), name: "Ben Carter", roles: [{ role: "operations-lead" }] },
  /** Team leader at Riverside. */
  { objectId: id(9), name: "Jamal Hussain", roles: [{ role: "team-leader" }] },
  { objectId: id(10), name: "Nina Kowalski (CareSys support)", roles: [{ role: "supplier" }] },
  { objectId: id(11), name: "Helen Price", roles: [{ role: "slt" }] },
  /** Night team leader at Oak House. */
  { objectId: id(12), name: "Femi Adeyemi", roles: [{ role: "team-leader" }] },
  /** Evening and weekend care coordinator at Riverside. */
  { objectId: id(13), name: "Chloe Barnes", roles: [{ role: "team-leader" }] },
  /** The provider's own system lead for devices, accounts and Wi-Fi. */
  { objectId: id(14), name: "Owen Davies (IT systems lead)", roles: [{ role: "supplier" }] },
];

/** Where the demo project lives: the Playground's General channel, led by the Playground's user. */
export const DEMO_BINDING: ChannelBinding = {
  tenantId: DEMO_TENANT_ID,
  teamId: DEMO_TEAM.id,
  channelId: DEMO_TEAM.generalChannelId,
};

/**
 * A change to a demo issue, as the person made it: like the command log's own changes, but the owner is named and
 * the timescale is given in minutes after the issue was raised.
 */
export type DemoIssueChange =
  | { kind: "triage"; triage: Partial<Triage> }
  | { kind: "workaround"; unsafe: boolean }
  | { kind: "assign"; owner: string; dueAfter?: number }
  | { kind: "update"; update: "update" | "action"; text: string }
  | { kind: "control"; control: { kind: ControlKind; text: string } }
  | { kind: "resolve"; evidence: string }
  | { kind: "reopen"; reason: string }
  | { kind: "verify"; note: string };

export interface DemoIssueStep {
  /** Minutes after the issue was raised. */
  after: number;
  /** The demo person who made the change. */
  by: string;
  change: DemoIssueChange;
}

/** An issue of the live fortnight: raised on a day after go-live (0 = go-live day) at a UK time, then its steps. */
export interface DemoIssue {
  day: number;
  time: string;
  by: string;
  type: IssueType;
  site?: string;
  careImpacting?: boolean;
  workaround?: boolean;
  /** Set by the raiser; otherwise the bot proposes one and triage confirms or changes it. */
  priority?: Priority;
  description: string;
  steps: DemoIssueStep[];
}

const H = 60;
const D = 24 * H;
const PRIYA = "Priya Shah";
const GRACE = "Grace Mensah";
const TOM = "Tom Okafor";
const AISHA = "Aisha Rahman";
const BEN = "Ben Carter";
const LUCY = "Lucy Evans";
const JAMAL = "Jamal Hussain";
const FEMI = "Femi Adeyemi";
const CHLOE = "Chloe Barnes";
const NINA = "Nina Kowalski (CareSys support)";
const OWEN = "Owen Davies (IT systems lead)";

const triage = (after: number, by: string, theme: string, more: Partial<Triage> = {}): DemoIssueStep => ({
  after,
  by,
  change: { kind: "triage", triage: { theme, ...more } },
});
const judge = (after: number, by: string, unsafe: boolean): DemoIssueStep => ({
  after,
  by,
  change: { kind: "workaround", unsafe },
});
const assign = (after: number, by: string, owner: string, dueAfter?: number): DemoIssueStep => ({
  after,
  by,
  change: { kind: "assign", owner, ...(dueAfter !== undefined ? { dueAfter } : {}) },
});
const update = (after: number, by: string, text: string): DemoIssueStep => ({
  after,
  by,
  change: { kind: "update", update: "update", text },
});
const action = (after: number, by: string, text: string): DemoIssueStep => ({
  after,
  by,
  change: { kind: "update", update: "action", text },
});
const control = (after: number, by: string, kind: ControlKind, text: string): DemoIssueStep => ({
  after,
  by,
  change: { kind: "control", control: { kind, text } },
});
const resolve = (after: number, by: string, evidence: string): DemoIssueStep => ({
  after,
  by,
  change: { kind: "resolve", evidence },
});
const verify = (after: number, by: string, note: string): DemoIssueStep => ({
  after,
  by,
  change: { kind: "verify", note },
});
const reopen = (after: number, by: string, reason: string): DemoIssueStep => ({
  after,
  by,
  change: { kind: "reopen", reason },
});

/**
 * The first fortnight live at both sites, in the order the issues were raised: the go-live surge (logins, eMAR
 * sync, sensor mats, visit scheduling), fewer issues in the second week, and a few still open at the end — one
 * care-impacting without a control yet, one past the supplier's timescale, an unsafe workaround. Residents and
 * clients are named only by room or ECM record id: never a name or an NHS number.
 */
export const DEMO_ISSUES: DemoIssue[] = [
  // Day 0: go-live day.
  {
    day: 0,
    time: "07:25",
    by: LUCY,
    type: "access",
    site: OAK,
    description:
      "Three day carers on the Rowan unit cannot log in to the handsets: 'account not activated'. They are working alongside a colleague and recording with her until it is fixed.",
    steps: [
      triage(10, BEN, "Logins & passwords"),
      assign(15, BEN, OWEN, 2 * H),
      action(
        40,
        OWEN,
        "The three accounts were created but never activated after the last import. Activated them and checked the rest of that batch.",
      ),
      resolve(
        45,
        OWEN,
        "Three accounts activated at 08:10; each carer logged in on the Rowan handset and completed a test note. No other inactive accounts in the batch.",
      ),
      verify(3 * H, LUCY, "All three recording on their own logins on the morning round."),
    ],
  },
  {
    day: 0,
    time: "09:40",
    by: JAMAL,
    type: "workflow",
    site: RIVERSIDE,
    workaround: true,
    priority: "P3",
    description:
      "Access notes (key safe location, parking, entry instructions) were migrated into the care plan but do not show on the carer's visit screen. The office is phoning carers before each first call.",
    steps: [
      triage(20, TOM, "Visit details"),
      assign(25, TOM, NINA, D),
      update(
        3 * H,
        NINA,
        "Access notes are a separate field in CareSys; the migration put them in the care plan summary. A script to copy them across is being tested.",
      ),
      resolve(
        D + 2 * H,
        NINA,
        "Script run for all 64 Riverside clients at 12:30; access notes now on the visit screen. Checked on 10 visits on two carers' phones.",
      ),
      verify(D + 4 * H, TOM, "Checked on the afternoon round: notes showing for every visit."),
    ],
  },
  {
    day: 0,
    time: "11:15",
    by: GRACE,
    type: "request",
    site: OAK,
    priority: "P3",
    description:
      "The MAR back-up printer on the first floor is out of toner: we could not print the 24-hour back-up MAR for the downtime folder.",
    steps: [
      triage(10, BEN, "Back-up printing"),
      resolve(
        2 * H,
        BEN,
        "Toner fitted at 13:20, two spares in the clinic room cupboard; 24-hour back-up MAR printed for both floors and placed in the downtime folder.",
      ),
      verify(3 * H, GRACE, "Back-up MAR present in the downtime folder on both floors."),
    ],
  },
  {
    day: 0,
    time: "14:30",
    by: JAMAL,
    type: "coaching",
    site: RIVERSIDE,
    description:
      "Two carers on the town round do not know how to record a visit where the client declined personal care; they are leaving the task open.",
    steps: [
      triage(40, TOM, "Training & coaching"),
      assign(45, TOM, JAMAL, 2 * D),
      update(2 * H, JAMAL, "Will go through it with both carers at tomorrow's 07:00 huddle."),
      update(D, JAMAL, "Showed both carers 'Declined – reason' on the task at the morning huddle."),
      resolve(
        D + 2 * H,
        JAMAL,
        "Both carers recorded declined tasks correctly on three visits each (checked in the visit log); tip added to the Riverside huddle sheet.",
      ),
      verify(D + 5 * H, TOM, "Spot-checked the visit log: no tasks left open after declined care."),
    ],
  },
  {
    day: 0,
    time: "19:50",
    by: FEMI,
    type: "access",
    site: OAK,
    careImpacting: true,
    workaround: true,
    description:
      "Two agency carers on tonight's shift have no ECM logins. I am recording their care under my own login so nothing is missed.",
    steps: [
      triage(12, GRACE, "Agency logins", { priority: "P2" }),
      judge(14, GRACE, true),
      control(
        25,
        GRACE,
        "paper-backup",
        "Agency carers record on paper care sheets tonight, countersigned by the night team leader, and enter them under their own logins once their accounts exist. No recording under another person's login.",
      ),
      assign(30, GRACE, OWEN, 12 * H),
      update(
        11 * H + 30,
        OWEN,
        "Agency accounts need the agency's confirmation of identity; agreeing a standing process with both agencies this morning.",
      ),
      resolve(
        16 * H,
        OWEN,
        "Temporary agency accounts (expiring after 14 days) are now created from the agency's booking confirmation before the shift. Both carers from last night have accounts and entered their paper notes at 11:30.",
      ),
      verify(
        D + 2 * H,
        GRACE,
        "Paper sheets matched against the entries; the process is on the night checklist.",
      ),
    ],
  },
  {
    day: 0,
    time: "22:35",
    by: FEMI,
    type: "risk",
    site: OAK,
    careImpacting: true,
    workaround: true,
    description:
      "The sensor mat in room 12 alarmed on the old pager but nothing reached the ECM handset. The resident in room 12 is at high risk of falls. Carers are carrying the old pager as well tonight.",
    steps: [
      triage(10, GRACE, "Sensor mat alerts"),
      control(
        15,
        GRACE,
        "additional-checks",
        "Resident in room 12 on 30-minute checks; the senior carer carries the old pager until the mat is re-paired; the night nurse checks pager and handset at each round.",
      ),
      assign(20, GRACE, NINA, 4 * H),
      update(
        35,
        NINA,
        "Go-live desk: the mat is paired to the old nurse-call zone, not the ECM alert group. Engineer on site at 07:30.",
      ),
      resolve(
        9 * H + 20,
        NINA,
        "Mat re-paired to the ECM alert group at 07:55; three test alerts reached both first-floor handsets within 10 seconds. All 44 mats re-checked against the pairing list: one more (room 27) corrected.",
      ),
      verify(
        10 * H,
        GRACE,
        "Test alert witnessed on both handsets; the resident's checks are back to the care plan.",
      ),
    ],
  },
  // Day 1.
  {
    day: 1,
    time: "06:50",
    by: JAMAL,
    type: "access",
    site: RIVERSIDE,
    workaround: true,
    description:
      "The agency carer starting at 07:00 on the Oakfield run has no app login. The office is reading her visit tasks to her by phone.",
    steps: [
      triage(5, TOM, "Agency logins", { priority: "P2" }),
      judge(8, TOM, false),
      assign(10, TOM, OWEN, 2 * H),
      resolve(
        50,
        OWEN,
        "Temporary agency account created at 07:40 from the booking confirmation; the carer logged in before her second visit and the office entered the first visit's notes with her name.",
      ),
      verify(3 * H, JAMAL, "Recording on her own login for the rest of the run."),
    ],
  },
  {
    day: 1,
    time: "10:30",
    by: AISHA,
    type: "workflow",
    site: OAK,
    careImpacting: true,
    description:
      "Day 1 audit: repositioning is recorded in two places (the task and the skin integrity chart). 6 of the 11 residents on 2-hourly turns have entries in only one of them.",
    steps: [
      triage(20, GRACE, "Repositioning"),
      control(
        30,
        GRACE,
        "additional-checks",
        "The nurse in charge checks the turning record for all 11 residents at each handover until there is one place to record.",
      ),
      assign(40, PRIYA, NINA, D),
      update(H + 20, NINA, "Looking at linking the task and the chart so staff record once; back by 15:00."),
      update(
        4 * H,
        NINA,
        "CareSys can link the task to the chart so one entry fills both; configuration change scheduled for 21:00 tonight.",
      ),
      resolve(
        D,
        NINA,
        "The repositioning task now writes to the skin integrity chart (configuration changed at 21:00). Tested on the Rowan unit: one entry shows in both places.",
      ),
      verify(2 * D, AISHA, "Re-audit on day 3: turns for 11 of 11 residents recorded once and complete."),
    ],
  },
  {
    day: 1,
    time: "14:05",
    by: LUCY,
    type: "coaching",
    site: OAK,
    description:
      "Day carers are unsure how to record fluids offered but declined; some leave the fluid chart blank.",
    steps: [
      triage(H, GRACE, "Fluid charts"),
      assign(H + 5, GRACE, LUCY, 2 * D),
      update(2 * H, LUCY, "Huddles planned at the 15:00 handover and tomorrow at 07:00."),
      resolve(
        D,
        LUCY,
        "Huddles on both day shifts showing 'offered – declined' on the fluid chart; 14 of 15 day carers demonstrated it, the one off sick will be shown on return.",
      ),
      verify(D + 3 * H, GRACE, "Checked 8 fluid charts: declined drinks are recorded."),
    ],
  },
  {
    day: 1,
    time: "16:20",
    by: BEN,
    type: "system",
    priority: "P2",
    description:
      "The ECM was very slow at both sites from 15:50 to 16:15: care notes took over a minute to save and tablets sat on 'saving…'.",
    steps: [
      triage(10, PRIYA, "Performance"),
      assign(12, PRIYA, NINA, 4 * H),
      update(
        30,
        NINA,
        "CareSys confirms a database failover in their hosting; service recovered at 16:15. Root cause report to follow.",
      ),
      resolve(
        D,
        NINA,
        "Root cause: a scheduled index rebuild ran in UK daytime. Moved to 02:00. No slow saves reported since.",
      ),
      verify(
        2 * D,
        PRIYA,
        "No repeat in 48 hours; the supplier's root cause report is filed with the go-live evidence.",
      ),
    ],
  },
  {
    day: 1,
    time: "22:15",
    by: FEMI,
    type: "system",
    site: OAK,
    careImpacting: true,
    workaround: true,
    description:
      "eMAR not syncing on the first-floor tablet: the 22:00 round was given and signed on the tablet, but the nurse's handset still shows those doses as due, so a second dose could be given. Using the paper back-up MAR for the rest of the round.",
    steps: [
      triage(8, GRACE, "eMAR sync"),
      control(
        15,
        GRACE,
        "paper-backup",
        "Paper back-up MAR for the first floor until sync is confirmed; the nurse signs each dose on paper and checks the tablet before every PRN; reconciliation at 06:00.",
      ),
      assign(20, GRACE, NINA, 4 * H),
      action(30, NINA, "Go-live desk: the tablet's offline queue looks stuck; checking it remotely."),
      update(
        2 * H,
        NINA,
        "The tablet is on app build 4.2.1 (the others on 4.3.0) and its offline queue is stuck. Remote re-provision at 07:00 once the morning round is done.",
      ),
      resolve(
        9 * H,
        NINA,
        "Tablet re-provisioned to 4.3.0 at 07:05; 14 queued administrations uploaded; the night nurse reconciled all 14 against the paper back-up: no missed or double doses.",
      ),
      verify(11 * H, AISHA, "Reconciliation sheet seen; all four Oak House tablets confirmed on 4.3.0."),
      reopen(
        10 * D + 8 * H + 25,
        FEMI,
        "The same tablet stopped syncing again after last night's app update: the 06:00 doses show as due on the handset.",
      ),
      control(
        10 * D + 8 * H + 35,
        GRACE,
        "paper-backup",
        "Paper back-up MAR again for the first floor, with a second nurse countersigning, until the supplier confirms the fix holds.",
      ),
      assign(10 * D + 9 * H, PRIYA, NINA, 11 * D + 14 * H),
      action(10 * D + 9 * H + 10, NINA, "Checking the tablet's sync log remotely now."),
      update(
        10 * D + 11 * H,
        NINA,
        "Update 4.3.2 switched the battery optimiser back on, which stops background sync. Turning it off by device policy for all Oak House tablets.",
      ),
      resolve(
        11 * D + 12 * H,
        NINA,
        "Battery optimiser off by device policy on all Oak House tablets since 09:40 yesterday; monitored for 24 hours: every administration synced within a minute. The policy is now pinned so app updates cannot change it.",
      ),
    ],
  },
  // Day 2.
  {
    day: 2,
    time: "07:40",
    by: LUCY,
    type: "system",
    site: OAK,
    careImpacting: true,
    description:
      "The Rowan unit tablet shows last night's 22:00 doses as not given, though the night nurse signed them on the tablet. The day nurse nearly re-administered for the resident in room 6.",
    steps: [
      triage(10, GRACE, "eMAR sync", { priority: "P1" }),
      control(
        20,
        GRACE,
        "additional-checks",
        "Before any dose on the Rowan unit the nurse checks the paper back-up MAR and the night handover, and a second nurse countersigns.",
      ),
      assign(25, GRACE, NINA, 4 * H),
      update(35, NINA, "Same stuck offline queue as the first-floor tablet last night; re-provisioning now."),
      resolve(
        3 * H,
        NINA,
        "Rowan tablet re-provisioned to 4.3.0 at 10:20; 9 queued administrations uploaded and reconciled by the day nurse; no dose was given twice.",
      ),
      verify(
        6 * H,
        AISHA,
        "Reconciled MAR seen; near miss recorded as an incident and taken to the daily review.",
      ),
    ],
  },
  {
    day: 2,
    time: "09:15",
    by: GRACE,
    type: "risk",
    site: OAK,
    careImpacting: true,
    workaround: true,
    description:
      "Two carers photographed the paper back-up MAR on their personal phones to show the nurse on the other floor while the Rowan tablet was out of sync.",
    steps: [
      judge(5, GRACE, true),
      triage(10, AISHA, "Personal devices", { priority: "P2" }),
      control(
        15,
        GRACE,
        "senior-oversight",
        "Photos deleted in front of the nurse in charge; personal phones are not to be used for care records; the paper back-up stays in the clinic room and the nurse goes to it.",
      ),
      resolve(
        4 * H,
        PRIYA,
        "Both carers reminded of the device policy and confirmed deletion; message sent to all Oak House staff. The Rowan tablet is syncing again, so the paper back-up is no longer in use on that floor.",
      ),
      verify(6 * H, GRACE, "Confirmed with both carers; no further use seen on the floor walk."),
    ],
  },
  {
    day: 2,
    time: "11:00",
    by: JAMAL,
    type: "coaching",
    site: RIVERSIDE,
    description:
      "New starters (week 2) do not know how to record a refused or cancelled visit; two visits were left 'in progress' overnight.",
    steps: [
      triage(H, TOM, "Training & coaching"),
      assign(H + 5, TOM, JAMAL, 3 * D),
      update(3 * H, JAMAL, "Walked two new starters through cancelled and refused visits this afternoon."),
      update(D, JAMAL, "Four more new starters shown at the morning huddle."),
      resolve(
        2 * D,
        JAMAL,
        "All six week-2 starters shown; no visits left in progress overnight for two nights running (visit log checked each morning).",
      ),
      verify(2 * D + 3 * H, TOM, "Visit log clean for both nights."),
    ],
  },
  {
    day: 2,
    time: "14:10",
    by: CHLOE,
    type: "system",
    site: RIVERSIDE,
    description:
      "Carer app: the medication task for ECM record 40877, completed offline at 08:10, did not upload until 11:30. The office showed the visit as missed and rang the family.",
    steps: [
      triage(30, TOM, "eMAR sync"),
      assign(35, TOM, NINA, D),
      update(
        4 * H,
        NINA,
        "Offline uploads retry every 3 hours on the home-care app; changing it to retry within 5 minutes of signal returning.",
      ),
      resolve(
        D + 2 * H,
        NINA,
        "Retry interval set to 5 minutes in app configuration 4.3.1 (pushed at 13:00); tested in a no-signal spot on the Fernhill round: upload within 4 minutes of signal.",
      ),
      verify(D + 5 * H, CHLOE, "Fernhill round: every medication task uploaded within minutes today."),
    ],
  },
  {
    day: 2,
    time: "17:40",
    by: LUCY,
    type: "access",
    site: OAK,
    priority: "P2",
    description:
      "The agency nurse for the twilight shift is locked out after three wrong passwords and nobody on site can unlock accounts after 17:00, so she is using paper.",
    steps: [
      triage(20, GRACE, "Agency logins"),
      assign(25, GRACE, OWEN, 8 * H),
      update(
        40,
        OWEN,
        "Unlocked remotely at 18:20. Out-of-hours unlocks are the gap: asking for the nurse in charge to hold the unlock permission.",
      ),
      resolve(
        D,
        OWEN,
        "The nurse in charge at Oak House now holds 'unlock user' so lockouts are cleared on site at any hour; the agency nurse's paper notes were entered at 19:00.",
      ),
      verify(D + 2 * H, GRACE, "Permission checked on both night nurses' profiles."),
    ],
  },
  {
    day: 2,
    time: "20:30",
    by: FEMI,
    type: "system",
    site: OAK,
    careImpacting: true,
    description:
      "PRN paracetamol given at 19:05 and recorded on the ground-floor tablet is not showing on the nurse's handset, so the 4-hour gap cannot be checked from the handset.",
    steps: [
      triage(10, GRACE, "eMAR sync"),
      control(
        20,
        GRACE,
        "additional-checks",
        "PRN only after the nurse checks the tablet that recorded the last dose; PRN times written on tonight's handover sheet.",
      ),
      assign(25, BEN, NINA, 8 * H),
      update(50, NINA, "The handset caches the MAR for 60 minutes; reducing it to 2 minutes tonight."),
      resolve(
        14 * H,
        NINA,
        "Handset MAR cache set to 2 minutes (configuration changed at 21:40); test PRN doses on two handsets showed within 2 minutes.",
      ),
      verify(D, GRACE, "PRN times on the handsets matched the tablets on this evening's round."),
    ],
  },
  // Day 3.
  {
    day: 3,
    time: "08:30",
    by: JAMAL,
    type: "risk",
    site: RIVERSIDE,
    careImpacting: true,
    description:
      "The double-up visit for ECM record 41502 (hoist transfer) shows only one carer on tomorrow's rota since the scheduler import; the second carer cannot see it.",
    steps: [
      triage(15, TOM, "Visit scheduling", { priority: "P2" }),
      control(
        30,
        TOM,
        "senior-oversight",
        "The coordinator checks every double-up visit on the rota each afternoon and phones both carers the evening before. No single-handed hoist transfers.",
      ),
      assign(35, TOM, NINA, 8 * H),
      update(H + 15, NINA, "Checking the scheduler import for other double-up visits."),
      update(
        3 * H,
        NINA,
        "The import dropped the second carer where 'double-up' was a note rather than a requirement: 7 clients affected.",
      ),
      resolve(
        7 * H,
        NINA,
        "All 7 double-up clients now carry the 'two carers' requirement; rota regenerated; each of tomorrow's 19 double-up visits shows two named carers.",
      ),
      verify(D, TOM, "Checked the rota for the next 3 days: every double-up has two carers."),
    ],
  },
  {
    day: 3,
    time: "10:05",
    by: LUCY,
    type: "system",
    site: OAK,
    careImpacting: true,
    description:
      "The care plan for the resident in room 8 does not show the new falls risk assessment completed yesterday; carers are following the old mobility guidance (one carer and a frame).",
    steps: [
      triage(10, GRACE, "Care plan display"),
      control(
        25,
        GRACE,
        "paper-backup",
        "New falls assessment printed and placed in the room 8 folder; handover briefed: two carers and the wheelchair for transfers until the care plan shows it.",
      ),
      assign(30, GRACE, NINA, 8 * H),
      update(
        H + 15,
        NINA,
        "The assessment was saved as a draft, not published, so the care plan kept the old one.",
      ),
      resolve(
        3 * H + 15,
        NINA,
        "Assessment published at 13:10; the care plan shows the new guidance on all handsets. Three more draft assessments found at Oak House and published by the nurses.",
      ),
      verify(5 * H, GRACE, "Room 8 care plan checked on two handsets."),
    ],
  },
  {
    day: 3,
    time: "11:30",
    by: GRACE,
    type: "coaching",
    site: OAK,
    priority: "P3",
    description:
      "Nurses do not know that a new risk assessment must be published before it reaches the care plan: three more drafts were found today.",
    steps: [
      triage(30, AISHA, "Care plan display"),
      assign(35, AISHA, AISHA, 3 * D),
      update(
        3 * H,
        AISHA,
        "Checking every Oak House assessment for drafts, then coaching the nurses unit by unit.",
      ),
      update(2 * D, AISHA, "Publish step added to the nurses' quick guide; 8 of 12 nurses shown so far."),
      resolve(
        3 * D,
        AISHA,
        "12 of 12 nurses shown the publish step; quick guide updated; no draft older than an hour in today's check.",
      ),
      verify(3 * D + 2 * H, GRACE, "Draft check repeated today: none outstanding."),
    ],
  },
  {
    day: 3,
    time: "13:15",
    by: CHLOE,
    type: "system",
    site: RIVERSIDE,
    careImpacting: true,
    workaround: true,
    description:
      "Tomorrow's visits for the Hillside round are not appearing in the carers' app. The coordinator is phoning each carer with their run.",
    steps: [
      triage(10, TOM, "Visit scheduling", { priority: "P2" }),
      control(
        20,
        TOM,
        "paper-backup",
        "Printed run-sheets for the Hillside round collected from the office; the coordinator confirms each carer's first and last visit by phone.",
      ),
      assign(25, TOM, NINA, 4 * H),
      update(H, NINA, "The rota was published but not pushed: the 12:00 push job failed. Re-running it."),
      resolve(
        2 * H,
        NINA,
        "Push job re-run at 15:10; all 6 Hillside carers confirmed tomorrow's visits in the app. CareSys now alerts its desk if the push fails.",
      ),
      verify(5 * H, CHLOE, "All six carers checked in: visits showing."),
    ],
  },
  {
    day: 3,
    time: "16:40",
    by: JAMAL,
    type: "workflow",
    site: RIVERSIDE,
    priority: "P3",
    description:
      "Travel time between visits is not counted, so three visits on the Ashby run overlap and the carer arrives late at the third.",
    steps: [
      triage(H, TOM, "Visit scheduling"),
      assign(H + 5, TOM, NINA, 2 * D),
      update(3 * H, NINA, "Checking the branch's scheduling settings."),
      update(
        D,
        NINA,
        "Travel time was switched off at branch level; switching it on needs the rota republished.",
      ),
      resolve(
        2 * D,
        NINA,
        "Travel time switched on and the rota republished; the Ashby run now has 10–15 minutes between visits, with no overlaps on next week's rota.",
      ),
      verify(2 * D + 4 * H, JAMAL, "Ashby carer arrived on time at every visit today."),
    ],
  },
  {
    day: 3,
    time: "23:20",
    by: FEMI,
    type: "workflow",
    site: OAK,
    careImpacting: true,
    workaround: true,
    description:
      "Fluid chart totals reset at midnight, not at 07:00 like our paper charts, so the night intake for the resident in room 4 is split over two days and looks below target. Nights are adding it up by hand.",
    steps: [
      triage(15, GRACE, "Fluid charts", { priority: "P2" }),
      judge(20, GRACE, false),
      control(
        25,
        GRACE,
        "paper-backup",
        "The night nurse keeps a 07:00–07:00 paper fluid total for the 6 residents on fluid targets and hands it over.",
      ),
      assign(30, GRACE, NINA, D),
      update(
        9 * H,
        NINA,
        "The chart's day start is set per site; changing it to 07:00 needs tonight's configuration window.",
      ),
      resolve(
        D,
        NINA,
        "The fluid chart day now runs 07:00–07:00 at Oak House (configuration changed at 22:00); totals checked for the 6 residents on targets.",
      ),
      verify(D + 8 * H, AISHA, "Totals for the 6 residents match the paper totals for the last night."),
    ],
  },
  // Day 4.
  {
    day: 4,
    time: "07:10",
    by: LUCY,
    type: "workflow",
    site: OAK,
    description: "The shift handover report leaves out notes written in the last 30 minutes of the shift.",
    steps: [
      triage(H, GRACE, "Handover notes", { priority: "P3" }),
      assign(H + 5, GRACE, NINA, 2 * D),
      update(3 * H, NINA, "Checking when the handover report is generated."),
      update(D, NINA, "The report is generated 30 minutes before handover; moving it to handover time."),
      resolve(
        2 * D,
        NINA,
        "Handover report now runs at handover time; checked three handovers: late notes included.",
      ),
      verify(2 * D + 6 * H, LUCY, "Late notes in this morning's handover."),
    ],
  },
  {
    day: 4,
    time: "12:20",
    by: TOM,
    type: "request",
    site: RIVERSIDE,
    priority: "P3",
    description:
      "The office printer is not set up for the ECM's downtime run-sheets; we could not print tomorrow's runs during yesterday's push failure.",
    steps: [
      triage(30, BEN, "Back-up printing"),
      assign(35, BEN, OWEN, D),
      resolve(
        4 * H,
        OWEN,
        "Office printer added to the ECM print server; a test run-sheet and back-up MAR printed at 16:40; instructions pinned by the printer.",
      ),
      verify(D, TOM, "Printed tomorrow's runs this morning as a test."),
    ],
  },
  {
    day: 4,
    time: "15:45",
    by: CHLOE,
    type: "access",
    site: RIVERSIDE,
    description:
      "As weekend coordinator I cannot see the rota screen: my role has care notes access but not scheduling.",
    steps: [
      triage(20, TOM, "Role permissions"),
      assign(25, TOM, OWEN, 4 * H),
      resolve(
        2 * H,
        OWEN,
        "Coordinator role given scheduling access in the ECM role profile; Chloe confirmed she can see and edit the rota.",
      ),
      verify(2 * H + 30, CHLOE, "Rota visible and editable."),
    ],
  },
  {
    day: 4,
    time: "21:30",
    by: FEMI,
    type: "request",
    site: OAK,
    description:
      "Could the night checks list sort by room number instead of surname? Nights walk the corridor in room order.",
    steps: [
      triage(10 * H, GRACE, "Requests"),
      assign(10 * H + 5, GRACE, NINA, 3 * D),
      update(12 * H, NINA, "Checking whether the list can follow the building's layout."),
      update(2 * D, NINA, "Available as a user setting: 'sort by location'."),
      resolve(
        2 * D + H,
        NINA,
        "'Sort by location' switched on for the Oak House night profile; the night team was shown at the 21:00 huddle.",
      ),
      verify(3 * D, FEMI, "Working on nights: the list follows the corridor."),
    ],
  },
  // Day 5.
  {
    day: 5,
    time: "03:10",
    by: FEMI,
    type: "risk",
    site: OAK,
    careImpacting: true,
    description:
      "The sensor mat alert from room 27 reached the handset about 4 minutes after the mat triggered; the carer found the resident sitting on the floor, no injury.",
    steps: [
      triage(20, GRACE, "Sensor mat alerts", { priority: "P1" }),
      control(
        35,
        GRACE,
        "additional-checks",
        "Resident in room 27 on 15-minute checks overnight, low bed and crash mat in place; the fall is recorded as an incident in the ECM.",
      ),
      assign(40, GRACE, NINA, 6 * H),
      update(
        4 * H,
        NINA,
        "Alert log shows the handset dropping off the second-floor Wi-Fi access point; IT to check.",
      ),
      assign(5 * H, BEN, OWEN, 9 * H),
      action(5 * H + 10, OWEN, "On my way to the second floor with a replacement access point."),
      resolve(
        8 * H + 40,
        OWEN,
        "Second-floor Wi-Fi access point replaced at 11:50; 20 test alerts from rooms 20–30 all under 10 seconds. Wi-Fi survey booked for the whole building.",
      ),
      verify(10 * H, GRACE, "Test alerts from room 27 witnessed on two handsets."),
    ],
  },
  {
    day: 5,
    time: "10:45",
    by: LUCY,
    type: "workflow",
    site: OAK,
    workaround: true,
    priority: "P3",
    description:
      "The body map will not let carers add a second mark on the same day; a skin tear on the resident in room 19 was written in the daily notes instead.",
    steps: [
      triage(H, AISHA, "Body map", { careImpacting: true }),
      control(
        H + 10,
        GRACE,
        "additional-checks",
        "The nurse reviews daily notes for skin findings at each handover and adds them to the body map.",
      ),
      assign(H + 15, AISHA, NINA, D),
      update(
        4 * H,
        NINA,
        "A second mark is added with 'add observation' on the existing body map, not 'new body map'.",
      ),
      resolve(
        5 * H,
        NINA,
        "Confirmed with the Oak House nurses that 'add observation' adds further marks the same day; the room 19 skin tear moved onto the body map; guidance sent.",
      ),
      verify(D, AISHA, "Body maps for 5 residents checked: same-day marks present."),
    ],
  },
  {
    day: 5,
    time: "14:00",
    by: JAMAL,
    type: "system",
    site: RIVERSIDE,
    priority: "P4",
    description:
      "GPS check-in fails at the flats on Mill Lane; carers have to tap 'check in manually' and give a reason every time.",
    steps: [
      triage(2 * H, TOM, "GPS check-in"),
      assign(2 * H + 5, TOM, NINA, 3 * D),
      update(4 * H, NINA, "Checking the check-in logs for Mill Lane."),
      update(2 * D, NINA, "The geofence for the block is drawn on the car park, not the building."),
      resolve(
        3 * D,
        NINA,
        "Geofence for the Mill Lane flats widened to 150 m; 12 check-ins there today, all automatic.",
      ),
      verify(3 * D + 2 * H, JAMAL, "No manual check-ins at Mill Lane today."),
    ],
  },
  // Day 6.
  {
    day: 6,
    time: "09:30",
    by: AISHA,
    type: "risk",
    site: OAK,
    careImpacting: true,
    priority: "P1",
    description:
      "The resident in room 3's penicillin allergy is not on the medication screen banner; it is only in the care plan notes. Other migrated allergies may be the same.",
    steps: [
      triage(10, GRACE, "Allergies"),
      control(
        20,
        GRACE,
        "additional-checks",
        "Allergy cards in the MAR folder for every resident with an allergy; the nurse reads the card before every first dose of a new medicine.",
      ),
      assign(25, PRIYA, NINA, 4 * H),
      update(
        35,
        NINA,
        "Allergies for 7 residents were migrated as free text, not coded, so the banner does not show them.",
      ),
      resolve(
        3 * H + 30,
        NINA,
        "Allergies recoded for all 7 residents; the banner was checked on each MAR by the quality lead and the nurse on duty at 13:00.",
      ),
      verify(4 * H, GRACE, "All 7 banners seen on the ground and first-floor tablets."),
    ],
  },
  {
    day: 6,
    time: "13:20",
    by: LUCY,
    type: "system",
    site: OAK,
    description:
      "The fluid target is shown on the tablet but not on the handset, so carers cannot see whether a resident is behind.",
    steps: [
      triage(H, GRACE, "Fluid charts"),
      assign(H + 5, GRACE, NINA, D),
      update(3 * H, NINA, "The handset summary can show it; configuration change tonight."),
      resolve(D, NINA, "Fluid target added to the handset's resident summary; checked on 3 handsets."),
      verify(D + 3 * H, LUCY, "Targets showing on the Rowan and first-floor handsets."),
    ],
  },
  {
    day: 6,
    time: "19:15",
    by: CHLOE,
    type: "coaching",
    site: RIVERSIDE,
    description:
      "Evening carers are writing visit notes as one line ('all fine'); they need coaching on what a good visit note says.",
    steps: [
      triage(14 * H, TOM, "Training & coaching"),
      assign(14 * H + 5, TOM, JAMAL, 4 * D),
      update(16 * H, JAMAL, "Collecting good and poor examples (without names) for the evening huddles."),
      resolve(
        3 * D,
        JAMAL,
        "Note-writing huddles at both evening handovers with examples; in the last two days 12 of 14 evening carers' notes describe care given, mood, food and fluids.",
      ),
      verify(
        3 * D + 3 * H,
        AISHA,
        "Sampled 20 evening notes: 17 good, the other 3 carers seen individually.",
      ),
    ],
  },
  // Day 7.
  {
    day: 7,
    time: "08:10",
    by: GRACE,
    type: "system",
    site: OAK,
    priority: "P3",
    description:
      "Nurse call events are not appearing in the ECM resident timeline, so call response times cannot be audited from the ECM.",
    steps: [
      triage(30, PRIYA, "Nurse call integration"),
      assign(40, PRIYA, NINA, 4 * D + 8 * H + 50),
      update(
        D,
        NINA,
        "The nurse call system sends the events but CareSys rejects the room codes. Building a mapping table with the nurse call supplier.",
      ),
      update(
        3 * D,
        NINA,
        "Mapping done for 38 of 44 rooms; the other 6 rooms have duplicate codes on the nurse call side.",
      ),
      update(
        5 * D + 2 * H,
        GRACE,
        "Still no nurse call events in the timeline and the timescale has passed; this month's response-time audit cannot be done from the ECM.",
      ),
    ],
  },
  {
    day: 7,
    time: "11:50",
    by: JAMAL,
    type: "access",
    site: RIVERSIDE,
    description:
      "Two carers' app logins expired on their days off under the 30-day password rule; they could not check in at their first visit.",
    steps: [
      triage(30, TOM, "Logins & passwords"),
      assign(35, TOM, OWEN, 4 * H),
      resolve(
        2 * H,
        OWEN,
        "Both passwords reset at 13:40; carer app password expiry set to 90 days with a reminder 7 days ahead, in line with the IT policy.",
      ),
      verify(3 * H, JAMAL, "Both carers checked in at their afternoon visits."),
    ],
  },
  {
    day: 7,
    time: "22:50",
    by: FEMI,
    type: "workflow",
    site: OAK,
    description:
      "The night checks task list includes residents who are in hospital; carers have to skip them one by one.",
    steps: [
      triage(9 * H, GRACE, "Night checks"),
      assign(9 * H + 5, GRACE, NINA, 3 * D),
      update(11 * H, NINA, "A status filter can hide residents who are away; testing it."),
      resolve(
        2 * D,
        NINA,
        "Residents marked 'in hospital' are now hidden from task lists until they return; 2 residents currently hidden.",
      ),
      verify(2 * D + 10 * H, FEMI, "Night checks list correct tonight."),
    ],
  },
  // Day 8.
  {
    day: 8,
    time: "09:20",
    by: JAMAL,
    type: "system",
    site: RIVERSIDE,
    description:
      "Body map photos taken in the carer app are not visible in the office view, so the district nurse referral for ECM record 40655 is waiting.",
    steps: [
      triage(40, TOM, "Body map"),
      assign(45, TOM, NINA, D),
      update(3 * H, NINA, "The photos are stored, but the office role lacks 'view media'."),
      resolve(
        7 * H,
        NINA,
        "'View media' added to the Riverside office role; the coordinator confirmed 4 body map photos visible and the referral was sent.",
      ),
      verify(D, TOM, "Photos visible from the office; referral acknowledged by the district nurses."),
    ],
  },
  {
    day: 8,
    time: "15:30",
    by: TOM,
    type: "request",
    site: RIVERSIDE,
    description: "Could the office have a daily report of visits that started more than 30 minutes late?",
    steps: [
      triage(H, PRIYA, "Reports"),
      assign(H + 5, PRIYA, NINA, 3 * D),
      update(3 * H, NINA, "Looking at the standard reports first."),
      update(2 * D, NINA, "The late-visit report exists; adding a daily email at 08:00."),
      resolve(
        2 * D + 2 * H,
        NINA,
        "Daily late-visits report emailed to the Riverside office at 08:00; test email received.",
      ),
      verify(3 * D, TOM, "First two daily reports received."),
    ],
  },
  // Day 9.
  {
    day: 9,
    time: "02:40",
    by: FEMI,
    type: "system",
    site: OAK,
    priority: "P4",
    description: "The nurse call bell in room 30 raises the ECM alert twice for one press.",
    steps: [
      triage(6 * H, GRACE, "Nurse call integration"),
      assign(6 * H + 5, GRACE, NINA, 3 * D),
      update(
        8 * H,
        NINA,
        "Room 30 appears twice in the nurse call pairing list; checking with the nurse call supplier.",
      ),
      resolve(D, NINA, "A duplicate pairing for room 30 removed; one alert per press in 10 tests."),
      verify(D + 18 * H, FEMI, "One alert per press on tonight's checks."),
    ],
  },
  {
    day: 9,
    time: "11:10",
    by: LUCY,
    type: "coaching",
    site: OAK,
    description:
      "Two day carers who started this week have not had ECM training; they are shadowing but cannot record care.",
    steps: [
      triage(H, GRACE, "Training & coaching"),
      assign(H + 5, GRACE, LUCY, 2 * D),
      update(
        3 * H,
        LUCY,
        "E-learning booked for both this afternoon; floor session with a super-user tomorrow.",
      ),
      resolve(
        D,
        LUCY,
        "Both completed the e-learning and a one-hour floor session with a super-user; each recorded a full shift's care, signed off by a team leader.",
      ),
      verify(D + 3 * H, GRACE, "Both recording independently."),
    ],
  },
  {
    day: 9,
    time: "18:30",
    by: CHLOE,
    type: "workflow",
    site: RIVERSIDE,
    careImpacting: true,
    description:
      "No medication prompt on the evening visit for ECM record 41377's new antibiotic: the pharmacy change was added to the care plan but not to the visit tasks.",
    steps: [
      triage(20, TOM, "Medication tasks"),
      control(
        35,
        TOM,
        "senior-oversight",
        "The coordinator checks every medication change since go-live against the visit tasks tonight; carers phone the office before prompting any new medicine.",
      ),
      assign(40, TOM, NINA, 8 * H),
      update(
        H + 20,
        NINA,
        "Care plan medication changes do not create visit tasks unless the workflow rule is on.",
      ),
      resolve(
        15 * H,
        NINA,
        "Workflow rule enabled: medication changes now create visit tasks. The 5 changes since go-live were checked: all on the visit tasks.",
      ),
      verify(17 * H, TOM, "Antibiotic prompts present on all of today's visits."),
    ],
  },
  // Day 10.
  {
    day: 10,
    time: "10:00",
    by: AISHA,
    type: "workflow",
    site: OAK,
    priority: "P3",
    description:
      "Audit: 4 of 20 sampled incident records have no link to the resident's ECM record because staff used the standalone incident form.",
    steps: [
      triage(30, GRACE, "Incident recording"),
      assign(35, GRACE, BEN, 2 * D),
      action(2 * H, BEN, "Asked CareSys to take the standalone form off the handset home screen."),
      resolve(
        D,
        BEN,
        "Standalone incident form removed from the handset home screen; the 4 records linked to the residents' ECM records; staff message sent.",
      ),
      verify(D + 3 * H, AISHA, "Re-sample of 10 incidents since: all linked."),
    ],
  },
  {
    day: 10,
    time: "16:15",
    by: JAMAL,
    type: "system",
    site: RIVERSIDE,
    workaround: true,
    priority: "P3",
    description:
      "Carers on the Fernhill rural round lose signal and the app does not show the next visit's details until it reconnects; they ring the office for them.",
    steps: [
      triage(30, TOM, "Offline working"),
      assign(40, TOM, NINA, 2 * D),
      update(3 * H, NINA, "Checking the offline settings on the Riverside app profile."),
      update(D, NINA, "Offline mode only caches the next two visits; setting it to the whole day."),
      resolve(
        2 * D,
        NINA,
        "Offline mode now downloads the whole day's visits at first login; tested in flight mode: all visit details available.",
      ),
    ],
  },
  {
    day: 10,
    time: "21:45",
    by: FEMI,
    type: "coaching",
    site: OAK,
    description:
      "Night carers record PRN doses but not the effect an hour later; the follow-up prompt is being dismissed.",
    steps: [
      triage(11 * H, GRACE, "PRN recording"),
      assign(11 * H + 5, GRACE, FEMI, 4 * D),
      update(14 * H, FEMI, "Starting with tonight's huddle."),
      update(2 * D, FEMI, "Covered at two night huddles; 6 of 9 night carers shown so far."),
    ],
  },
  // Day 11.
  {
    day: 11,
    time: "09:00",
    by: PRIYA,
    type: "request",
    priority: "P4",
    description:
      "The supplier's go-live desk closes at 22:00 from next week; night staff at both sites need a route for ECM faults after 22:00.",
    steps: [
      triage(H, BEN, "Support cover"),
      assign(H + 5, BEN, NINA, 2 * D),
      update(3 * H, NINA, "Asking our service desk manager about cover after 22:00."),
      update(
        D,
        NINA,
        "The CareSys out-of-hours line takes P1 and P2 faults; details to go into the support plan.",
      ),
      resolve(
        D + 2 * H,
        NINA,
        "Out-of-hours number added to the escalation card on every Oak House unit and in the Riverside office; a test call at 23:00 was answered in 2 minutes.",
      ),
      verify(2 * D, PRIYA, "Escalation cards seen at both sites."),
    ],
  },
  {
    day: 11,
    time: "14:30",
    by: LUCY,
    type: "system",
    site: OAK,
    description: "Two ground-floor handsets keep logging users out every 10 minutes, in the middle of tasks.",
    steps: [
      triage(40, BEN, "Logins & passwords"),
      assign(45, BEN, OWEN, D),
      resolve(
        4 * H + 30,
        OWEN,
        "Session timeout on the 2 shared handsets raised from 10 to 30 minutes under the IT policy for care devices; the screen still locks after 5 minutes.",
      ),
    ],
  },
  // Day 12.
  {
    day: 12,
    time: "07:30",
    by: LUCY,
    type: "workflow",
    site: OAK,
    description:
      "The handover summary does not include notes from the Rowan unit; the day nurse had to read the night notes resident by resident.",
    steps: [
      triage(30, GRACE, "Handover notes", { priority: "P3" }),
      assign(35, GRACE, NINA, D),
      update(
        4 * H,
        NINA,
        "The Rowan unit dropped out of the handover report's unit filter with the 4.3.2 update.",
      ),
      resolve(
        6 * H + 45,
        NINA,
        "Rowan unit added back to the handover report filter; the 14:00 handover report includes every unit.",
      ),
      verify(D, LUCY, "This morning's handover had the Rowan notes."),
    ],
  },
  {
    day: 12,
    time: "11:00",
    by: CHLOE,
    type: "access",
    site: RIVERSIDE,
    workaround: true,
    description:
      "Carers' app logins are expiring mid-shift since the update; some are logging visits on the office's shared phone under the coordinator's login.",
    steps: [
      judge(10, TOM, true),
      triage(15, TOM, "Logins & passwords", { priority: "P2" }),
      control(
        20,
        TOM,
        "senior-oversight",
        "Shared-phone use stopped: a carer who is logged out phones the office, which records the visit with the carer's name in the note, and the coordinator reviews each one.",
      ),
      assign(25, TOM, OWEN, D + 2 * H),
      action(H, OWEN, "Reproduced on two carers' phones; collecting logs for CareSys."),
      update(5 * H, OWEN, "Token refresh has failed since the 4.3.2 update; raised with CareSys."),
      update(D, OWEN, "CareSys has a fix in their next release; no date yet. Chasing daily."),
    ],
  },
  {
    day: 12,
    time: "20:10",
    by: FEMI,
    type: "system",
    site: OAK,
    description:
      "The night handover printout is cut off after page 2; the rest of the residents are missing from the paper copy.",
    steps: [triage(12 * H, GRACE, "Handover notes"), assign(12 * H + 5, GRACE, OWEN, D + 12 * H)],
  },
  // Day 13.
  {
    day: 13,
    time: "06:50",
    by: FEMI,
    type: "system",
    site: OAK,
    description:
      "Handover notes typed on the handset are lost if the app goes into the background before they are saved.",
    steps: [
      triage(H + 20, GRACE, "Handover notes"),
      assign(H + 25, GRACE, NINA, 2 * D),
      update(
        3 * H,
        NINA,
        "Reproduced: the draft is not kept when switching apps. Fix due in 4.3.3; until then, save first.",
      ),
    ],
  },
  {
    day: 13,
    time: "10:30",
    by: JAMAL,
    type: "request",
    site: RIVERSIDE,
    description:
      "Could the carer app show the client's preferred name on the visit screen? Several clients dislike being called by their full name.",
    steps: [triage(2 * H, TOM, "Requests")],
  },
  {
    day: 13,
    time: "15:20",
    by: LUCY,
    type: "coaching",
    site: OAK,
    description:
      "Bank staff on their first shift this week need a quick ECM walk-through; two asked for help with the fluid chart.",
    steps: [],
  },
  {
    day: 13,
    time: "20:40",
    by: CHLOE,
    type: "risk",
    site: RIVERSIDE,
    careImpacting: true,
    description:
      "The evening call for ECM record 41890 dropped off the carer's run after the rota was republished at 17:00; the family rang at 20:30 to say nobody had come. A carer is on the way now.",
    steps: [
      triage(15, BEN, "Visit scheduling"),
      assign(25, BEN, NINA, 8 * H),
      update(
        35,
        NINA,
        "Looking at the 17:00 republish: 3 visits lost their carer when the travel-time rule moved them.",
      ),
    ],
  },
];

/**
 * Stabilisation in the live fortnight (domain page §4), told by the people who hold the roles: the quality lead's
 * weekly audits of both sites, the project lead's anonymous staff confidence pulse, two risks in the risk log, and
 * the senior leadership team's decision at the end of week 2. Days are after go-live (0 = go-live day), times UK.
 */
export const DEMO_QUALITY_LEAD = AISHA;
export const DEMO_SLT_MEMBER = "Helen Price";

export interface DemoAudit {
  day: number;
  time: string;
  site: string;
  measures: Record<AuditMeasure, MeasureResult>;
  /** Plain notes: what was sampled and what fell short, never a resident, service user or member of staff. */
  notes: string;
}

const of = (checked: number, passed: number): MeasureResult => ({ checked, passed });

/** Week 1: Riverside below the 98% care plan access threshold. Week 2: both sites meet every threshold. */
export const DEMO_AUDITS: DemoAudit[] = [
  {
    day: 6,
    time: "14:30",
    site: OAK,
    measures: {
      "record-quality": of(40, 38),
      "task-completion": of(60, 57),
      "alerts-actioned": of(30, 29),
      "care-plan-access": of(50, 50),
      "incident-recording": of(20, 19),
    },
    notes:
      "Sampled across day and night shifts on all three units. The two record-quality gaps were one-line notes; one sensor alert was closed without an action note; one incident was on the standalone form, not linked to the resident's record.",
  },
  {
    day: 6,
    time: "16:10",
    site: RIVERSIDE,
    measures: {
      "record-quality": of(48, 46),
      "task-completion": of(60, 58),
      "alerts-actioned": of(25, 24),
      "care-plan-access": of(40, 37),
      "incident-recording": of(20, 20),
    },
    notes:
      "Care plan access below threshold: on 3 of 40 sampled visits the carer could not open the care plan at the door, all on the rural rounds without signal; the office read the plan out by phone. Offline settings to be reviewed with CareSys.",
  },
  {
    day: 13,
    time: "13:30",
    site: OAK,
    measures: {
      "record-quality": of(60, 58),
      "task-completion": of(60, 59),
      "alerts-actioned": of(40, 39),
      "care-plan-access": of(50, 50),
      "incident-recording": of(20, 20),
    },
    notes:
      "Every measure at or above threshold. Incidents sampled since the standalone form was removed are all linked to the resident's record. PRN effect recording at night is improving but not yet consistent.",
  },
  {
    day: 13,
    time: "15:45",
    site: RIVERSIDE,
    measures: {
      "record-quality": of(50, 49),
      "task-completion": of(60, 58),
      "alerts-actioned": of(30, 30),
      "care-plan-access": of(50, 49),
      "incident-recording": of(20, 20),
    },
    notes:
      "Every measure at or above threshold. Care plan access recovered once offline mode downloaded the whole day's visits; the one miss was a handset that had run out of charge. Evening visit notes now describe the care given.",
  },
];

/** The project lead opens the (anonymous) pulse on the Monday of week 2. */
export const DEMO_PULSE_OPENED = { day: 10, time: "09:30", by: PRIYA };

export interface DemoPulseAnswer {
  day: number;
  time: string;
  /** As the bot counts an answer: a project role's title, or staff without one; never a role only one person holds. */
  role: "Team leader" | "Staff (no project role)";
  site: string;
  score: number;
  comment?: string;
}

/** Twelve answers over three days and nights, 9 of them at 4 or 5 (75%, below the 80% threshold). */
export const DEMO_PULSE_ANSWERS: DemoPulseAnswer[] = [
  { day: 10, time: "11:20", role: "Team leader", site: OAK, score: 5 },
  {
    day: 10,
    time: "14:05",
    role: "Staff (no project role)",
    site: OAK,
    score: 4,
    comment: "Quicker than paper once you know where things are.",
  },
  {
    day: 10,
    time: "17:40",
    role: "Staff (no project role)",
    site: RIVERSIDE,
    score: 3,
    comment: "Fine until I lose signal on the rural round.",
  },
  { day: 10, time: "19:05", role: "Team leader", site: RIVERSIDE, score: 4 },
  {
    day: 11,
    time: "03:15",
    role: "Staff (no project role)",
    site: OAK,
    score: 2,
    comment: "The PRN follow-up prompt still catches me out on nights.",
  },
  { day: 11, time: "08:30", role: "Team leader", site: RIVERSIDE, score: 4 },
  { day: 11, time: "12:10", role: "Staff (no project role)", site: RIVERSIDE, score: 5 },
  { day: 11, time: "15:50", role: "Staff (no project role)", site: OAK, score: 4 },
  {
    day: 11,
    time: "22:40",
    role: "Staff (no project role)",
    site: OAK,
    score: 3,
    comment: "I still ask a super-user about fluid charts most shifts.",
  },
  { day: 12, time: "07:05", role: "Team leader", site: OAK, score: 5 },
  { day: 12, time: "13:30", role: "Staff (no project role)", site: RIVERSIDE, score: 4 },
  {
    day: 12,
    time: "18:20",
    role: "Staff (no project role)",
    site: RIVERSIDE,
    score: 5,
    comment: "Having the whole day's visits offline has made a big difference.",
  },
];

export interface DemoRisk {
  raised: { day: number; time: string; by: string; text: string };
  /** The owner, scores and review date set after it was raised (review: days after go-live). */
  reviewed?: {
    day: number;
    time: string;
    by: string;
    owner: string;
    likelihood: number;
    impact: number;
    reviewDay: number;
  };
  closed?: { day: number; time: string; by: string; evidence: string };
}

export const DEMO_RISKS: DemoRisk[] = [
  {
    raised: {
      day: 7,
      time: "10:00",
      by: TOM,
      text: "Agency carers booked at short notice may start a shift without an ECM login and fall back on paper records, so care given is missing from the record.",
    },
    reviewed: { day: 7, time: "10:40", by: PRIYA, owner: TOM, likelihood: 3, impact: 4, reviewDay: 11 },
    closed: {
      day: 11,
      time: "16:00",
      by: TOM,
      evidence:
        "Temporary agency accounts are created from the booking confirmation before every shift and nurses in charge unlock accounts on site. All 23 agency shifts in the last 7 days were checked against the login report: every carer logged in before their first visit or task, and no paper records.",
    },
  },
  {
    raised: {
      day: 13,
      time: "09:40",
      by: BEN,
      text: "Supplier updates change care workflows without warning: the 4.3.2 update dropped a unit from the handover report and broke carer app logins. A further update could do the same before anyone notices.",
    },
    reviewed: { day: 13, time: "11:15", by: PRIYA, owner: OWEN, likelihood: 4, impact: 4, reviewDay: 20 },
  },
];

/**
 * The SLT's decision at the end of week 2, after the week 2 audits: extend stabilisation, reviewed a week later.
 * Recorded that evening by the on-call director, once the missed evening visit (the fortnight's last issue, a P1)
 * had been escalated to her under the support plan.
 */
export const DEMO_SLT_DECISION = { day: 13, time: "21:40", by: DEMO_SLT_MEMBER, reviewAfterDays: 7 };

/** The demo project's digest time (UK): the daily digest of each morning live is posted then. */
export const DEMO_DIGEST_TIME = "08:00";

/**
 * The board's decision on a morning's digest (domain page §3): continue, increase or reduce go-live support, with
 * the rationale in the words of the board member who recorded it, after reading that morning's digest. Days are
 * after go-live (0 = go-live day), times UK, after the digest time and before the next morning's; `recommended` is
 * what that morning's digest recommends (a decision is left out if the digest says otherwise), so the rationale
 * answers the recommendation and the triggers it names.
 */
export interface DemoSupportDecision {
  day: number;
  time: string;
  by: string;
  recommended: SupportChoice;
  choice: SupportChoice;
  rationale: string;
}

/**
 * Ten of the thirteen mornings (none on days 4, 7 and 9): the board follows the recommendation, except on day 8 (the
 * only trigger is a supplier's late answer on a P3, escalated instead) and day 11 (a cautious step down on a quiet
 * morning, reversed the next day when an eMAR P1 comes back).
 */
export const DEMO_SUPPORT_DECISIONS: DemoSupportDecision[] = [
  {
    day: 1,
    time: "08:45",
    by: PRIYA,
    recommended: "increase",
    choice: "increase",
    rationale:
      "Increase: GL-5 is an unsafe workaround (the agency carers' care was recorded under the night team leader's login; now on countersigned paper), and logins, handsets and visit details repeat across both sites after 6 new issues on go-live day. The CareSys trainer stays at Oak House for three more days, a second super-user joins the Riverside early shift for logins, and Owen creates agency accounts from every booking before the shift starts.",
  },
  {
    day: 2,
    time: "09:10",
    by: "Margaret Ellis",
    recommended: "increase",
    choice: "increase",
    rationale:
      "Increase: P1 GL-12 on the Rowan unit (last night's doses showing as not given; the day nurse nearly gave a second dose) is the second eMAR sync failure in a day, and medication records is now a repeated theme. Grace's countersigning control went in at 08:00. Two more super-users on the Oak House medication rounds, morning and night, until CareSys confirms every tablet is on the same build; Aisha to check the MAR reconciliation each morning.",
  },
  {
    day: 3,
    time: "08:50",
    by: PRIYA,
    recommended: "increase",
    choice: "increase",
    rationale:
      "Increase: eMAR sync has repeated four times in 48 hours (GL-11, GL-12, GL-15, GL-17) and carers photographed the back-up MAR on their own phones (GL-13). Keep the extra super-users on the medication rounds and ask CareSys for a named engineer on the sync fault instead of the go-live desk queue. GL-17's control (PRN only after checking the tablet that recorded the last dose) stays until the handset fix is proven.",
  },
  {
    day: 5,
    time: "09:20",
    by: "Margaret Ellis",
    recommended: "increase",
    choice: "increase",
    rationale:
      "Increase: P1 GL-28, the room 27 mat alert took four minutes to reach the handset and the resident was found on the floor. Grace's 15-minute checks, low bed and crash mat are in place; Owen to survey the second-floor Wi-Fi today. At Riverside visit scheduling keeps repeating (GL-18, GL-21, GL-22): a super-user in the office for the afternoon rota check until the rota is republished with travel time.",
  },
  {
    day: 6,
    time: "10:05",
    by: "David Okoye",
    recommended: "continue",
    choice: "continue",
    rationale:
      "Continue: no P1 and no care-impacting issue open this morning for the first time since go-live, and only GL-20 (nurses not publishing risk assessments) is past its target, with Aisha's coaching under way. Too early to reduce before today's week 1 audits. Condition C1 (Riverside carers' training) is still open: Tom to bring the completion figure and close it with evidence.",
  },
  {
    day: 8,
    time: "09:35",
    by: "Margaret Ellis",
    recommended: "increase",
    choice: "continue",
    rationale:
      "Continue, not increase: the only trigger is the supplier's late response on GL-34 (nurse call events missing from the ECM timeline), a P3 with no care impact. More super-users on the floor will not make CareSys answer faster, so I have escalated it to their account manager for a reply today. Otherwise steady: 3 new issues yesterday and no P1 or P2 open.",
  },
  {
    day: 10,
    time: "08:50",
    by: "David Okoye",
    recommended: "continue",
    choice: "continue",
    rationale:
      "Continue: GL-41 at Riverside (a new antibiotic not on the evening visit tasks) is care-impacting but controlled: Tom's coordinator checked every medication change since go-live and carers phone the office before prompting a new medicine. Riverside's office super-user stays until the supplier's workflow rule is in. GL-34 still waits on CareSys; the chair's escalation stands.",
  },
  {
    day: 11,
    time: "09:05",
    by: PRIYA,
    recommended: "continue",
    choice: "reduce",
    rationale:
      "Reduce, a step further than recommended: no P1 or P2 open, about 3 new issues a day all week, and the two past their targets are a P3 waiting on the supplier (GL-34) and PRN follow-up coaching on nights (GL-44, with Femi). The CareSys trainer moves from Oak House nights to days only from tomorrow; super-users stay on every shift at both sites, and the Riverside office cover is unchanged.",
  },
  {
    day: 12,
    time: "09:30",
    by: "Margaret Ellis",
    recommended: "increase",
    choice: "increase",
    rationale:
      "Increase: P1 GL-11 on eMAR at Oak House is back; the first-floor tablet stopped syncing after last night's app update. Paper back-up MAR with a second nurse countersigning has been in place since 06:50. This reverses yesterday's step-down: the CareSys trainer returns to Oak House nights and two more super-users join the early shift until the supplier fix lands. No further app update at either site without the board's agreement.",
  },
  {
    day: 13,
    time: "09:15",
    by: PRIYA,
    recommended: "increase",
    choice: "increase",
    rationale:
      "Increase: the 4.3.2 update is behind P1 GL-11 (eMAR sync at Oak House, still on paper back-up) and GL-48 at Riverside, where carers logged visits on the office's shared phone under the coordinator's login, an unsafe workaround Tom has stopped. Handover notes repeat at Oak House (GL-47, GL-49, GL-50). Two super-users on the Riverside early shift for logins, the trainer stays on Oak House nights, Owen pins device settings before any further update and Ben puts supplier updates on the risk log.",
  },
];
