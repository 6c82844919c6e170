/**
 * Personal data the bot must never store. Domain rule: refuse text that holds an NHS number (10 digits, valid
 * modulus-11 check digit, often written 3-3-4) and ask the user to refer to the ECM record by its record id
 * instead. Teams is not the care record, and the governance log is append-only and hash-chained, so an NHS
 * number written there could never be taken out again.
 *
 * Nothing here returns, logs or puts the number itself in an error: callers get a yes/no or a field path only.
 * The number identifies a service user, so it must not reach any log, telemetry or exception message either —
 * those are kept, copied and read far more widely than the care record is.
 */

/** What the bot says when it refuses such text: plain English for care staff. */
export const NHS_NUMBER_REFUSAL =
  "That text looks like it holds an NHS number. Teams is not the care record: nothing was recorded. " +
  "Refer to the person by their ECM record id instead, and send it again.";

/**
 * True when `digits` is exactly 10 ASCII digits whose last is the NHS modulus-11 check digit: the first nine
 * are weighted 10, 9, … 2 and summed; r = sum mod 11; check = 11 − r, where 11 becomes 0 and 10 means no
 * valid NHS number has these first nine digits.
 */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^[0-9]{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/**
 * Between the 3-3-4 groups: one or two ordinary spaces, a non-breaking space, or a dash (hyphen-minus or
 * U+2010–U+2015: hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar) or a full stop
 * with at most one space either side. The two gaps may differ ("943 476-5919"). Any other run of white space
 * (a line break, a tab, thin or narrow spaces, several spaces) is read as one space first.
 */
const GAP = String.raw`(?: {1,2}|\u00A0| ?[\-\u2010-\u2015.] ?)`;

/**
 * A written NHS number: 10 digits in a row, or 3-3-4 groups, and not part of a longer digit run (no digit
 * directly before or after), so 11-digit phone numbers, dates and times are not candidates. ASCII digits only.
 * Candidates cannot overlap: each starts where a digit run starts and its groups are whole digit runs, so
 * scanning match after match sees every one.
 */
const CANDIDATE = new RegExp(`(?<![0-9])(?:[0-9]{10}|[0-9]{3}${GAP}[0-9]{3}${GAP}[0-9]{4})(?![0-9])`, "g");

/** True when the text holds a valid NHS number in a common written format (see `CANDIDATE`). */
export function holdsNhsNumber(text: string): boolean {
  // \s covers line breaks, tabs and every Unicode space (thin, narrow no-break…): a number split by any of them
  // in a card's multi-line input is still a number.
  for (const match of text.replace(/\s+/g, " ").matchAll(CANDIDATE)) {
    if (isValidNhsNumber(match[0].replace(/[^0-9]/g, ""))) return true;
  }
  return false;
}

/** Deepest nesting read: a string or container more than this many keys below the root is not read. */
const MAX_DEPTH = 10;
/** Most strings read (object keys count as strings). */
const MAX_STRINGS = 2_000;
/** Most values visited of any kind, so an array of a million numbers (or a cycle) is bounded too. */
const MAX_VALUES = 10_000;
/**
 * The path returned when the payload is beyond those bounds. Such a payload is refused rather than passed:
 * a part left unread could hold an NHS number, and no honest Teams message or card submission comes near the
 * bounds, so refusing it costs a real user nothing while passing it could store the number.
 */
const UNREAD = "…";
/** The path returned when the value itself is the string holding the number (or the path is all empty keys). */
const ROOT = "(root)";

class Unread extends Error {}

/**
 * A project's id (`p-` and 24 hex characters, from a hash of its channel) as the bot itself writes it on every
 * card's buttons. Nobody types it, and its hex can hold ten decimal digits in a row that pass the modulus-11
 * check (about one project in two hundred): read as text, every button of such a project would be refused.
 */
const PROJECT_ID = /^p-[0-9a-f]{24}$/;

/**
 * Walks a JSON-like value (strings, arrays, plain objects, nested) and returns the path of the first string
 * that holds an NHS number — object keys and array indexes joined with "." ("update", "conditions.0.text") —
 * or undefined when none does. The path is never empty: it is "(root)" when the value itself is such a
 * string, and "…" when the value is too deep (over 10 levels), too big (over 2,000 strings or 10,000 values)
 * or cannot be read (a getter that throws): unreadable is refused, see `UNREAD`.
 *
 * Object keys are checked too, and a key holding an NHS number is named "(key)" in the path, so the path
 * itself never carries the number. Numbers, booleans and other non-text values are not text and are skipped.
 */
export function firstFieldWithNhsNumber(value: unknown): string | undefined {
  const budget = { strings: 0, values: 0 };

  function readString(text: string): boolean {
    budget.strings += 1;
    if (budget.strings > MAX_STRINGS) throw new Unread();
    return holdsNhsNumber(text);
  }

  function visit(node: unknown, path: string[]): string[] | undefined {
    budget.values += 1;
    if (budget.values > MAX_VALUES) throw new Unread();
    if (typeof node === "string") {
      if (path.length > MAX_DEPTH) throw new Unread();
      return readString(node) ? path : undefined;
    }
    if (node === null || typeof node !== "object") return undefined;
    if (path.length > MAX_DEPTH) throw new Unread();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const found = visit(node[i], [...path, String(i)]);
        if (found) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(node)) {
      if (readString(key)) return [...path, "(key)"];
      const child = (node as Record<string, unknown>)[key];
      if (key === "projectId" && typeof child === "string" && PROJECT_ID.test(child)) continue;
      const found = visit(child, [...path, key]);
      if (found) return found;
    }
    return undefined;
  }

  try {
    const found = visit(value, []);
    if (!found) return undefined;
    const path = found.join(".");
    return path === "" ? ROOT : path;
  } catch {
    // Too deep, too big, or a property that throws when read: refused, as unreadable (see UNREAD).
    return UNREAD;
  }
}
