import { LIMITS } from "../governance/limits.js";
import { SiteNameSchema } from "../governance/project.js";

export const ISSUE_TYPE_WORDS = ["request", "system", "workflow", "risk", "coaching", "access"] as const;

/** An issue for the go-live command log, as understood from `raise …`. */
export type RaiseRequest = {
  type: (typeof ISSUE_TYPE_WORDS)[number];
  /** Left out when the person gave none: the bot proposes one. */
  priority?: "P1" | "P2" | "P3" | "P4";
  careImpacting: boolean;
  workaround: boolean;
  site?: string;
  description: string;
};

export const RAISE_USAGE = "raise [type] [P1-P4] [care] [workaround] [site: {site};] {what happened}";

const DESCRIPTION_CHARACTERS = 1_000;
const EXAMPLE = "raise system P2 care site: Oak House; eMAR not loading on the tablets";
const SITE_EXAMPLE = "raise P2 site: Oak House; eMAR not loading";
const TYPE_LIST = ISSUE_TYPE_WORDS.join(", ");
const PRIORITY_LIST = "P1, P2, P3 or P4 (P1 is the most urgent)";

type IssueType = RaiseRequest["type"];
type Priority = NonNullable<RaiseRequest["priority"]>;
type RaiseResult = { ok: true; request: RaiseRequest } | { ok: false; problem: string };

function problem(text: string): RaiseResult {
  return { ok: false, problem: text };
}

function isIssueType(word: string): word is IssueType {
  return (ISSUE_TYPE_WORDS as readonly string[]).includes(word);
}

function twice(first: string, second: string): string {
  return first === second ? `"${first}" twice` : `"${first}" and "${second}"`;
}

/** Reads `site: {name};` at the start of `text`: the name runs to the next semicolon. */
function takeSite(text: string): { site: string; rest: string } | { problem: string } | undefined {
  const match = /^site\s*:/i.exec(text);
  if (!match) return undefined;
  const after = text.slice(match[0].length);
  const end = after.indexOf(";");
  if (end === -1) {
    return { problem: `End the site's name with a semicolon, e.g. ${SITE_EXAMPLE}.` };
  }
  const name = after.slice(0, end).replace(/\s+/g, " ").trim();
  if (name === "") {
    return { problem: `After site: give the site's name and a semicolon, e.g. ${SITE_EXAMPLE}.` };
  }
  const parsed = SiteNameSchema.safeParse(name);
  if (!parsed.success) {
    return {
      problem: `A site name can be at most ${LIMITS.siteNameCharacters} characters. End the site's name with a semicolon, e.g. ${SITE_EXAMPLE}.`,
    };
  }
  return { site: parsed.data, rest: after.slice(end + 1) };
}

/**
 * `rest` is the normalised text after the word "raise".
 *
 * Flags come first, in any order and any case: a type word, a priority (P1–P4), `care`, `workaround` and
 * `site: {name};`. The description starts at the first word that is not a flag; one leading `-`, `–`, `—` or
 * `:` before it is dropped, so "raise P3 - care plans not syncing" keeps "care plans not syncing". A flag word
 * may carry a trailing comma ("raise system, P2, …"); a trailing colon ("raise P3: care plans …") ends the flags.
 * A second `care` or `workaround` starts the description ("raise care care home lost power").
 */
export function parseRaise(rest: string): RaiseResult {
  let text = rest.trim();
  if (text === "") return problem(`Say what happened, e.g. ${EXAMPLE}. The full form is ${RAISE_USAGE}.`);

  let type: IssueType | undefined;
  let priority: Priority | undefined;
  let careImpacting = false;
  let workaround = false;
  let site: string | undefined;

  for (;;) {
    const withSite = takeSite(text);
    if (withSite !== undefined) {
      if ("problem" in withSite) return problem(withSite.problem);
      if (site !== undefined) return problem(`Give one site, e.g. ${SITE_EXAMPLE}.`);
      site = withSite.site;
      text = withSite.rest.trimStart();
      continue;
    }
    const match = /^(\S+?)([,:]?)(?=\s|$)/.exec(text);
    const written = match?.[1];
    if (match === null || written === undefined) break;
    const word = written.toLowerCase();
    if (isIssueType(word)) {
      if (type !== undefined) {
        return problem(`Give one type, not two: you wrote ${twice(type, word)}. Types: ${TYPE_LIST}.`);
      }
      type = word;
    } else if (/^p\d+$/.test(word)) {
      const given = word.toUpperCase().slice(0, 10);
      if (!/^P[1-4]$/.test(given)) {
        return problem(
          `"${given}" is not a priority. Use ${PRIORITY_LIST}, or leave it out and the bot will propose one.`,
        );
      }
      if (priority !== undefined) {
        return problem(
          `Give one priority, not two: you wrote ${twice(priority, given)}. Use ${PRIORITY_LIST}.`,
        );
      }
      priority = given as Priority;
    } else if (word === "care" && !careImpacting) {
      careImpacting = true;
    } else if (word === "workaround" && !workaround) {
      workaround = true;
    } else {
      break;
    }
    // A trailing comma goes with the flag; a trailing colon stays, to be dropped as the description's marker.
    text = text.slice(written.length + (match[2] === "," ? 1 : 0)).trimStart();
    if (match[2] === ":") break;
  }

  if (/^[-–—:]/.test(text)) text = text.slice(1);
  const description = text.trim();
  if (description === "") return problem(`Say what happened, e.g. ${EXAMPLE}.`);
  if ((description.match(/\p{L}/gu) ?? []).length < 2) {
    return problem(`Describe what happened in words, e.g. ${EXAMPLE}.`);
  }
  if (description.length > DESCRIPTION_CHARACTERS) {
    return problem(
      `A description can be at most ${DESCRIPTION_CHARACTERS.toLocaleString("en-GB")} characters; yours has ${description.length.toLocaleString("en-GB")}. Shorten it and send it again.`,
    );
  }

  return {
    ok: true,
    request: {
      type: type ?? "request",
      ...(priority !== undefined ? { priority } : {}),
      careImpacting,
      workaround,
      ...(site !== undefined ? { site } : {}),
      description,
    },
  };
}
