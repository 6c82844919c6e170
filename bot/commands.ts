import { LIMITS } from "../governance/limits.js";
import { ProjectNameSchema, SiteNameSchema } from "../governance/project.js";
import { parseRole, ROLES, type Role } from "../governance/roles.js";

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
  /** Understood as a command, but something in it is wrong: say what and how to fix it. */
  | { kind: "invalid"; problem: string }
  | { kind: "unknown"; word: string };

const ROLE_WORDS = ROLES.join(", ");

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
  return { kind: "unknown", word: text.split(" ")[0]?.slice(0, 40) ?? "" };
}
