import type { Role } from "./roles.js";

export interface CommandHelp {
  usage: string;
  does: string;
  /** Roles that may use it; undefined means anyone in the project's channel. */
  roles?: readonly Role[];
  /** Only before a channel has a project. */
  beforeSetupOnly?: boolean;
}

/** Every chat command, in the order help shows them. Later features add their commands here. */
export const COMMAND_HELP: readonly CommandHelp[] = [
  { usage: "help", does: "List the commands you can use here." },
  {
    usage: "setup {project name}",
    does: "Set up a go-live project in this channel. You become its project lead.",
    beforeSetupOnly: true,
  },
  { usage: "roles", does: "Show who holds which project role." },
  {
    usage: "readiness",
    does: "Show the readiness checklist and its blockers; leads record their own part from the card.",
  },
  {
    usage: "role add {role} @person [site: {site}]",
    does: "Give someone a project role (a registered manager may be given one site).",
    roles: ["project-lead"],
  },
  { usage: "role remove {role} @person", does: "Take a project role away.", roles: ["project-lead"] },
  {
    usage: "decision",
    does: "Put the go-live decision to the board: proceed, delay or conditional, on a card.",
    roles: ["project-lead", "board-chair"],
  },
  { usage: "minutes", does: "Show the governance minutes of the last closed go-live decision." },
  {
    usage: "conditions",
    does: "List the conditions of a conditional approval, with owner, due date and state.",
  },
  { usage: "condition met {id} {evidence}", does: "Mark your condition met, with the evidence." },
  {
    usage: "condition waive {id} {reason}",
    does: "Waive a condition, with the reason.",
    roles: ["project-lead"],
  },
  {
    usage: "raise [type] [P1-P4] [care] [workaround] [site: {site};] {what happened}",
    does: "Raise an issue into the go-live command log. Types: request, system, workflow, risk, coaching, access. care = it affects care; workaround = staff are working around it. Start with - if what happened begins with one of those words.",
  },
  { usage: "issue {id}", does: "Show an issue's triage card again, e.g. issue GL-42." },
  {
    usage: "issues [mine | care | overdue | P1 | resolved | site: {site}]",
    does: "List the open issues (or those resolved and awaiting verification), most urgent first.",
  },
  {
    usage: "digest",
    does: "Post today's daily digest of the command log: triggers, trend and a recommendation for the board.",
  },
  {
    usage: "audit",
    does: "Record a stabilisation or follow-up audit: five measures, checked and passed, per site.",
    roles: ["quality-lead"],
  },
  {
    usage: "pulse [anonymous]",
    does: "Ask staff whether they can complete core workflows without support (1–5); pulse results shows the answers.",
    roles: ["project-lead", "registered-manager"],
  },
  {
    usage: "audit threshold {measure} {percent}",
    does: "Change a stabilisation threshold (audit thresholds shows them): a measure, confidence or follow-ups.",
    roles: ["quality-lead", "project-lead"],
  },
  { usage: "risk {what the risk is}", does: "Add an unresolved risk to the risk log; risks lists them." },
  {
    usage: "stabilisation",
    does: "The stabilisation report: issues then and now, audits, confidence, risks, exit criteria, the SLT's decision.",
  },
  {
    usage: "targets",
    does: "Show the command log's response and resolution targets; the project lead can change them.",
  },
  {
    usage: "setup",
    does: "Show the setup card again to change dates, sites, digest time and roles.",
    roles: ["project-lead"],
  },
  {
    usage: "evidence [from {date}] [to {date}]",
    does: "The evidence pack for commissioners and CQC: a printable report, CSVs and the log, sent to you privately.",
    roles: ["project-lead", "registered-manager", "quality-lead", "board-member", "board-chair", "slt"],
  },
  {
    usage: "log verify",
    does: "Check the governance log has not been altered: its length, head hash and result.",
    roles: ["project-lead"],
  },
];

export function commandsAllowed(options: { hasProject: boolean; roles: ReadonlySet<Role> }): CommandHelp[] {
  return COMMAND_HELP.filter((c) => {
    if (c.beforeSetupOnly) return !options.hasProject;
    if (!options.hasProject) return c.usage === "help";
    return !c.roles || c.roles.some((r) => options.roles.has(r));
  });
}
