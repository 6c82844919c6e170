import { parseEvidenceDate } from "../governance/evidenceRules.js";
import { LIMITS } from "../governance/limits.js";
import { ProjectNameSchema, SiteNameSchema } from "../governance/project.js";
import { parseRole, ROLES, type Role } from "../governance/roles.js";
import { parseRaise, type RaiseRequest } from "./raiseCommand.js";

/** A chat command, as understood from what a person typed (the bot's own mention already removed). */
export type Command =
  | { kind: "help" }
  | { kind: "setup"; name?: string }
  | { kind: "roles" }
  | { kind: "role.add"; role: Role; site?: string }
  | { kind: "role.remove"; role: Role; site?: string }
  | { kind: "log.verify" }
  | { kind: "readiness" }
  | { kind: "decision" }
  | { kind: "minutes" }
  | { kind: "conditions" }
  | { kind: "condition.met"; conditionId: string; evidence: string }
  | { kind: "condition.waive"; conditionId: string; reason: string }
  | { kind: "raise"; request: RaiseRequest }
  | { kind: "issue.show"; issueId: string }
  | { kind: "issues.list"; filter: IssueFilter }
  | { kind: "targets" }
  | { kind: "digest" }
  | { kind: "audit" }
  | { kind: "audit.thresholds"; change?: { what: string; value: string } }
  | { kind: "pulse.open"; anonymous: boolean }
  | { kind: "pulse.results" }
  | { kind: "risk.add"; text: string }
  | { kind: "risk.show"; riskId: string }
  | { kind: "risks" }
  | { kind: "stabilisation" }
  | { kind: "evidence"; from?: string; to?: string }
  /** Understood as a command, but something in it is wrong: say what and how to fix it. */
  | { kind: "invalid"; problem: string }
  | { kind: "unknown"; word: string };

const ROLE_WORDS = ROLES.join(", ");

/** Which issues a list shows: open ones (or those resolved and awaiting verification), narrowed down. */
export interface IssueFilter {
  list: "open" | "resolved";
  mine?: boolean;
  care?: boolean;
  priority?: "P1" | "P2" | "P3" | "P4";
  site?: string;
  overdue?: boolean;
}

export const ISSUES_USAGE = "issues [mine | care | overdue | P1…P4 | resolved | site: {site}]";

/** `issues …`: the words after it narrow the list down; several may be combined ("issues care P1"). */
export function parseIssueFilter(rest: string): IssueFilter | { problem: string } {
  const filter: IssueFilter = { list: "open" };
  const siteAt = /\bsite:\s*(.*)$/i.exec(rest);
  let words = rest;
  if (siteAt) {
    const site = SiteNameSchema.safeParse((siteAt[1] ?? "").replace(/;$/, ""));
    if (!site.success) return { problem: `After site: give the site's name, e.g. issues site: Oak House.` };
    filter.site = site.data;
    words = rest.slice(0, siteAt.index);
  }
  for (const word of words
    .toLowerCase()
    .split(" ")
    .filter((w) => w !== "")) {
    if (word === "mine" || word === "my") filter.mine = true;
    else if (word === "care" || word === "care-impacting") filter.care = true;
    else if (word === "overdue") filter.overdue = true;
    else if (word === "resolved") filter.list = "resolved";
    else if (word === "open") filter.list = "open";
    else if (/^p[1-4]$/.test(word)) filter.priority = word.toUpperCase() as IssueFilter["priority"];
    else return { problem: `I don't know "${word.slice(0, 30)}" after issues. Use ${ISSUES_USAGE}.` };
  }
  return filter;
}

/**
 * Removes Teams mention markup and HTML that Teams wraps around messages, a leading `/`, and extra spaces.
 * `<at>Name</at>` tags of people (not the bot) are replaced by `@`, since the people come from the entities.
 */
export function normaliseText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, " @ ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/&amp;/gi, "&")
    .replace(/&lt;/gi, "<")
    .replace(/&gt;/gi, ">")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\/\s*/, "");
}

/** Splits "... site: Oak House" off the end of a command. */
function takeSite(rest: string): { rest: string; site?: string } | { problem: string } {
  const match = /\bsite:\s*(.*)$/i.exec(rest);
  if (!match) return { rest };
  const parsed = SiteNameSchema.safeParse((match[1] ?? "").replace(/;$/, ""));
  if (!parsed.success) {
    return { problem: `After site: give the site's name, at most ${LIMITS.siteNameCharacters} characters.` };
  }
  return { rest: rest.slice(0, match.index).trim(), site: parsed.data };
}

function parseRoleChange(kind: "role.add" | "role.remove", rest: string): Command {
  const usage = `role ${kind === "role.add" ? "add" : "remove"} {role} @person`;
  const withSite = takeSite(rest);
  if ("problem" in withSite) return { kind: "invalid", problem: withSite.problem };
  const roleWords = withSite.rest.replace(/@/g, " ").trim();
  if (roleWords === "")
    return { kind: "invalid", problem: `Say which role, e.g. ${usage}. Roles: ${ROLE_WORDS}.` };
  const role = parseRole(roleWords);
  if (!role)
    return { kind: "invalid", problem: `"${roleWords.slice(0, 40)}" is not a role. Roles: ${ROLE_WORDS}.` };
  return { kind, role, ...(withSite.site !== undefined ? { site: withSite.site } : {}) };
}

/** `evidence [from {date}] [to {date}]`, dates as 2026-11-27 or 27/11/2026. */
function parseEvidence(rest: string): Command {
  const usage =
    "Use evidence, or evidence from 2026-11-01 to 2026-11-27 (dates as YYYY-MM-DD or DD/MM/YYYY).";
  const words = rest.split(" ").filter((w) => w !== "");
  const range: { from?: string; to?: string } = {};
  for (let k = 0; k < words.length; k += 2) {
    const which = words[k]?.toLowerCase();
    const value = words[k + 1];
    if ((which !== "from" && which !== "to") || value === undefined) {
      return { kind: "invalid", problem: `I didn't understand "${rest.slice(0, 60)}". ${usage}` };
    }
    const date = parseEvidenceDate(value);
    if (!date) return { kind: "invalid", problem: `"${value.slice(0, 20)}" is not a date. ${usage}` };
    range[which] = date;
  }
  return { kind: "evidence", ...range };
}

export function parseCommand(typed: string): Command {
  const text = normaliseText(typed);
  const lower = text.toLowerCase();
  const [first = "", second = ""] = lower.split(" ");
  if (lower === "" || first === "help" || first === "?") return { kind: "help" };
  if (first === "setup") {
    const name = text.slice("setup".length).trim();
    if (name === "") return { kind: "setup" };
    const parsed = ProjectNameSchema.safeParse(name);
    if (!parsed.success) {
      return {
        kind: "invalid",
        problem: `A project name can be at most ${LIMITS.projectNameCharacters} characters.`,
      };
    }
    return { kind: "setup", name: parsed.data };
  }
  if (first === "roles" && second === "") return { kind: "roles" };
  if (first === "role" && (second === "add" || second === "remove")) {
    const rest = text.split(" ").slice(2).join(" ");
    return parseRoleChange(second === "add" ? "role.add" : "role.remove", rest);
  }
  if (first === "role")
    return { kind: "invalid", problem: "Use role add {role} @person or role remove {role} @person." };
  if (first === "log" && second === "verify") return { kind: "log.verify" };
  if (first === "readiness" && second === "") return { kind: "readiness" };
  if (first === "decision" && second === "") return { kind: "decision" };
  if (first === "minutes" && second === "") return { kind: "minutes" };
  if (first === "conditions" && second === "") return { kind: "conditions" };
  if (first === "condition") {
    const words = text.split(" ");
    const action = (words[1] ?? "").toLowerCase();
    const conditionId = (words[2] ?? "").toUpperCase();
    const rest = words.slice(3).join(" ").trim();
    if ((action === "met" || action === "waive") && /^C\d{1,6}$/.test(conditionId)) {
      return action === "met"
        ? { kind: "condition.met", conditionId, evidence: rest.slice(0, 2_000) }
        : { kind: "condition.waive", conditionId, reason: rest.slice(0, 2_000) };
    }
    return {
      kind: "invalid",
      problem:
        "Use condition met {id} {evidence} or condition waive {id} {reason}, e.g. condition met C1 All night staff retrained.",
    };
  }
  if (first === "raise") {
    const parsed = parseRaise(text.slice("raise".length));
    return parsed.ok
      ? { kind: "raise", request: parsed.request }
      : { kind: "invalid", problem: parsed.problem };
  }
  if (first === "issue") {
    const id = /^(?:gl-?)?(\d{1,7})$/i.exec(second);
    if (id && lower.split(" ").length === 2) return { kind: "issue.show", issueId: `GL-${Number(id[1])}` };
    return {
      kind: "invalid",
      problem: "Say which issue, e.g. issue GL-42. Type issues to list the open ones.",
    };
  }
  if (first === "issues") {
    const filter = parseIssueFilter(text.split(" ").slice(1).join(" "));
    return "problem" in filter
      ? { kind: "invalid", problem: filter.problem }
      : { kind: "issues.list", filter };
  }
  if (first === "targets" && second === "") return { kind: "targets" };
  if (first === "digest" && second === "") return { kind: "digest" };
  if (first === "audit" && second === "") return { kind: "audit" };
  if (first === "audit" && (second === "thresholds" || second === "threshold")) {
    const [what, value, ...extra] = lower.split(" ").slice(2);
    if (what === undefined) return { kind: "audit.thresholds" };
    if (value === undefined || extra.length > 0) {
      return {
        kind: "invalid",
        problem:
          "Use audit threshold {measure} {percent}, e.g. audit threshold care-plan-access 98, audit threshold confidence 80 or audit threshold follow-ups 1,3,6.",
      };
    }
    return { kind: "audit.thresholds", change: { what, value } };
  }
  if (first === "pulse") {
    if (second === "") return { kind: "pulse.open", anonymous: false };
    if (second === "anonymous" && lower.split(" ").length === 2)
      return { kind: "pulse.open", anonymous: true };
    if (second === "results" && lower.split(" ").length === 2) return { kind: "pulse.results" };
    return { kind: "invalid", problem: "Use pulse, pulse anonymous or pulse results." };
  }
  if (first === "risks" && second === "") return { kind: "risks" };
  if (first === "risk") {
    const rest = text.slice("risk".length).trim();
    if (/^r\d{1,6}$/i.test(rest)) return { kind: "risk.show", riskId: rest.toUpperCase() };
    if ((rest.match(/\p{L}/gu) ?? []).length < 2) {
      return {
        kind: "invalid",
        problem: "Say what the risk is, e.g. risk Night staff still unsure of PRN recording.",
      };
    }
    if (rest.length > 1_000) return { kind: "invalid", problem: "A risk can be at most 1,000 characters." };
    return { kind: "risk.add", text: rest };
  }
  if (first === "stabilisation" && second === "") return { kind: "stabilisation" };
  if (first === "evidence") return parseEvidence(text.slice("evidence".length).trim());
  return { kind: "unknown", word: text.split(" ")[0]?.slice(0, 40) ?? "" };
}
