/**
 * Repeated themes in the go-live command log, for the morning digest (domain page default: "3 or more issues on
 * one theme within 48 h"). The method is deterministic and explainable — word lists and counting; no model, no
 * scores, no randomness — so a manager can check every theme against the issues' own words:
 *
 * 1. Window. An issue counts when raised within `windowHours` before `now`, both ends included
 *    (now − windowHours ≤ raisedAt ≤ now). One raised after `now` (a clock running ahead) or with an unreadable
 *    time does not count. An id given twice counts once.
 * 2. Picked themes. Issues whose lead-picked `theme` is the same (trimmed, inner spaces collapsed, case ignored),
 *    at least `minIssues` of them, make a "picked" theme, named as most of them spelled it.
 * 3. Concepts in the text. The description is lower-cased and split into words at anything but letters, digits,
 *    apostrophes and hyphens. Apostrophes are dropped ("can't" → cant); a hyphenated word is joined when the
 *    joined word is in the lexicon ("e-MAR", "wi-fi", "log-in"), split otherwise. Each word loses simple endings
 *    (plural -s/-es/-ies, -ing, -ed, a final -e: syncing/synced/syncs → sync; update/updating → updat). Then,
 *    left to right, the longest run of up to three words found in LEXICON names its concept ("log in", "signed
 *    on", "locked out", "password" → logins and access; "mar chart", "emar", "meds" → medication records). A word
 *    outside the lexicon is a concept of its own — so an unforeseen word such as "fob" or "Ashby" can still
 *    repeat — only if it is all letters, at least 3 long, and not in STOP_WORDS or GENERIC_WORDS: words that say
 *    nothing about what is wrong here (not, working, issue, staff, resident, today, system, care …).
 * 4. Text themes. A concept mentioned by at least `minIssues` issues in the window is a theme; concepts mentioned
 *    by exactly the same issues are one theme, named together ("medication records + syncing and saving"). A text
 *    theme over exactly the issues of a picked theme is not repeated: its words join the picked theme's reason.
 *    Themes are ordered by number of issues (most first), then by name; their ids oldest first.
 * 5. Reasons. `because` quotes the words, as typed (lower-cased), that matched in those issues' texts.
 */

export interface ThemeOptions {
  /** How many issues make a repeated theme (at least 2). */
  minIssues: number;
  /** How far back from now an issue still counts, in hours. */
  windowHours: number;
}

export const DEFAULT_THEME_OPTIONS: ThemeOptions = Object.freeze({ minIssues: 3, windowHours: 48 });

export interface RepeatedTheme {
  /** Short name people read, e.g. "medication records + syncing and saving" or the picked theme "eMAR sync". */
  name: string;
  /** Why: e.g. 'picked as the theme "eMAR sync"' or 'the words "emar", "mar chart" (medication records)'. */
  because: string;
  /** The issues behind it, oldest first (ids). */
  issueIds: string[];
  /** "picked" when from the leads' chosen theme, "text" when found in the words. */
  source: "picked" | "text";
}

export interface ThemeIssue {
  id: string;
  number: number;
  description: string;
  theme?: string;
  raisedAt: string;
}

/**
 * The domain lexicon: concepts an ECM go-live in adult social care (care homes, home care) raises, each with the
 * words and phrases (up to three words) that mention it. Terms go through the same word endings as the texts.
 */
const LEXICON: ReadonlyArray<{ name: string; terms: readonly string[] }> = [
  {
    name: "medication records",
    terms: [
      "emar",
      "mar",
      "mar chart",
      "mar sheet",
      "tmar",
      "medication",
      "medication record",
      "medication round",
      "med round",
      "drug round",
      "meds",
      "medicine",
      "prn",
      "controlled drug",
      "cd",
      "dose",
      "dosage",
      "drug",
      "pharmacy",
      "prescription",
      "blister pack",
      "dosette",
      "topical",
      "cream",
      "insulin",
      "stock",
    ],
  },
  {
    name: "syncing and saving",
    terms: [
      "sync",
      "resync",
      "synchronise",
      "synchronize",
      "not updating",
      "didnt update",
      "doesnt update",
      "wont update",
      "not saving",
      "didnt save",
      "doesnt save",
      "wont save",
      "cant save",
      "couldnt save",
      "unable to save",
      "not uploading",
      "upload",
      "offline",
      "out of date",
      "not coming through",
      "not pulling through",
    ],
  },
  {
    name: "devices",
    terms: [
      "tablet",
      "ipad",
      "iphone",
      "android",
      "handset",
      "phone",
      "mobile",
      "smartphone",
      "device",
      "laptop",
      "bluetooth",
    ],
  },
  {
    name: "logins and access",
    terms: [
      "login",
      "logon",
      "log in",
      "log on",
      "log out",
      "sign in",
      "sign on",
      "signin",
      "password",
      "account",
      "user account",
      "locked out",
      "lock out",
      "access",
      "access rights",
      "credentials",
      "username",
      "user name",
      "pin",
      "mfa",
      "2fa",
      "two factor",
      "authenticator",
      "permission",
    ],
  },
  {
    name: "wifi and network",
    terms: [
      "wifi",
      "internet",
      "network",
      "signal",
      "connection",
      "connectivity",
      "connect",
      "broadband",
      "router",
      "mobile data",
      "4g",
      "5g",
    ],
  },
  {
    name: "battery and charging",
    terms: ["battery", "charge", "charger", "flat battery", "dock", "docking station", "power bank"],
  },
  {
    name: "app crashing or freezing",
    terms: [
      "crash",
      "freeze",
      "frozen",
      "froze",
      "keeps closing",
      "kicked out",
      "force close",
      "shut down",
      "blank screen",
      "white screen",
      "black screen",
      "restart",
      "reboot",
    ],
  },
  {
    name: "slow loading",
    terms: ["slow", "loading", "lag", "laggy", "spinning", "buffering", "takes ages", "timed out", "timeout"],
  },
  {
    name: "alerts, sensors and nurse call",
    terms: [
      "alert",
      "alarm",
      "sensor",
      "sensor mat",
      "mat",
      "pressure mat",
      "nurse call",
      "call bell",
      "bell",
      "acoustic",
      "acoustic monitoring",
      "notification",
      "pendant",
      "motion sensor",
      "door sensor",
      "falls sensor",
      "buzzer",
    ],
  },
  {
    name: "care plans and assessments",
    terms: ["care plan", "careplan", "support plan", "risk assessment", "assessment"],
  },
  {
    name: "rota and visits",
    terms: [
      "rota",
      "roster",
      "visit",
      "schedule",
      "late visit",
      "missed call",
      "late call",
      "double up",
      "care run",
      "run sheet",
      "travel time",
      "call time",
      "shift pattern",
      "timesheet",
    ],
  },
  {
    name: "clocking in and out",
    terms: [
      "clock in",
      "clock out",
      "check in",
      "check out",
      "nfc",
      "nfc tag",
      "qr code",
      "qr",
      "tag",
      "gps",
      "location",
    ],
  },
  { name: "handover", terms: ["handover", "hand over"] },
  {
    name: "body maps and wounds",
    terms: [
      "body map",
      "bodymap",
      "wound",
      "skin integrity",
      "pressure sore",
      "pressure ulcer",
      "pressure area",
      "bruise",
      "skin tear",
    ],
  },
  {
    name: "food and fluid charts",
    terms: [
      "fluid",
      "fluid chart",
      "fluid intake",
      "food chart",
      "food and fluid",
      "food intake",
      "intake",
      "nutrition",
      "diet",
      "weight",
    ],
  },
  {
    name: "repositioning",
    terms: ["repositioning", "reposition", "turn chart", "turning chart", "positional change"],
  },
  {
    name: "daily notes",
    terms: ["daily note", "care note", "progress note", "daily record", "daily log", "care record"],
  },
  { name: "care tasks", terms: ["task", "task list", "checklist"] },
  {
    name: "incidents and falls",
    terms: [
      "incident",
      "accident",
      "fall",
      "fell",
      "fallen",
      "incident form",
      "incident report",
      "near miss",
      "unwitnessed",
    ],
  },
  { name: "safeguarding", terms: ["safeguarding", "abuse", "neglect"] },
  {
    name: "observations and NEWS2",
    terms: [
      "news2",
      "news score",
      "observation",
      "obs",
      "vital sign",
      "blood pressure",
      "bp",
      "temperature",
      "pulse",
      "oxygen",
      "blood sugar",
      "glucose",
    ],
  },
  { name: "printing", terms: ["printer", "print", "printout", "print out"] },
  {
    name: "training and how-to",
    terms: ["training", "how to", "guidance", "user guide", "super user", "superuser", "not sure how"],
  },
  {
    name: "paper and double recording",
    terms: [
      "paper",
      "paper copy",
      "paper record",
      "duplicate",
      "duplication",
      "double entry",
      "double recording",
      "written down",
      "handwritten",
    ],
  },
  {
    name: "resident records and admissions",
    terms: [
      "resident profile",
      "resident record",
      "client record",
      "client profile",
      "service user record",
      "wrong resident",
      "admission",
      "admit",
      "discharge",
    ],
  },
  {
    name: "consent and capacity",
    terms: ["consent", "mental capacity", "capacity", "dols", "best interest", "lpa", "power of attorney"],
  },
  {
    name: "family portal",
    terms: ["family portal", "portal", "relative app", "family app", "family access"],
  },
  { name: "photos", terms: ["photo", "camera", "picture", "image"] },
];

/** Function words: never a concept on their own. */
const STOP_WORDS = `a about above across after against ago all along also although am among an and another any are
around as at away be because been before behind being below between both but by can could did do does doing
down during each either else etc even ever every few for from further had has have having he her here hers
herself him himself his how however i if in into is it its itself just me more most my myself neither no nor
not now of off on once only onto or other others our ours ourselves out over own per plus rather same she
should since so some such than that the their theirs them themselves then there these they this those though
through till to too towards under until up upon very via was we were what whatever when where whether which
while whilst who whom whose why will with within without would yet you your yours yourself yourselves
im ive id ill youre youve hes shes theyre theyve weve wed lets thats theres whats wheres whos
cant cannot couldnt didnt doesnt dont hadnt hasnt havent isnt wasnt werent wont wouldnt shouldnt arent mustnt
neednt aint may might must shall ought
get gets got gotten getting go goes going gone went come comes came coming make makes made making take takes
took taken give gives gave given put puts set sets say says said see sees saw seen seem seems seemed look
looks looked know knows knew known think thought tell told ask asked keep keeps kept let try tried trying
use used using want wants wanted need needs needed find found mean means meant become became
yes ok okay hi hello thanks thank please pls sorry asap
one two three four five six seven eight nine ten first second third last next
many much lot lots several whole half already always never sometimes often still really quite instead anyway
someone somebody anyone anybody everyone everybody something anything everything nothing nobody none thing
things stuff way bit pm`;

/**
 * Generic words of this setting: common in issue texts, but they say nothing about what is wrong — who, where,
 * when, or that something is wrong. ("care" is here; "care plan" is a concept in the lexicon.)
 */
const GENERIC_WORDS = `reach reaching review reviewed check checked show showing need needs use used look keep find stop start seem not working work issue problem error fault faulty fail failure broken broke wrong bug glitch
staff carer worker colleague member senior nurse manager lead leader team
resident client service user person people patient family relative gentleman lady man woman mum dad mr mrs ms dr
room home house site floor unit area place office lounge
today yesterday tomorrow tonight morning afternoon evening night day daily week weekend weekly hour minute time
date shift early late earlier later lunchtime
monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
again still unable able help urgent urgently priority risk concern concerned worried query question
system ecm app application software platform tool new old current currently
care caring
chart screen button page option section click tap press field form entry data information info detail list
record change fix sort resolve support ticket helpdesk supplier vendor call message
happen appear show display properly correctly correct right missing lost gone
report raise log golive live back around sure unsure start stop complete add open close view enter select
wait ring rang spoke speak contact aware ongoing impact affect multiple number name normal normally usual
usually manual manually`;

interface Token {
  /** As typed, lower-cased ("e-mar", "didn't"). */
  surface: string;
  /** Letters and digits only ("emar", "didnt"). */
  norm: string;
  stem: string;
}

const VOWELS = /[aeiouy]/;

/** Simple endings off: plural -s/-es/-ies, then -ing/-ed, then a final -e. Deliberately plain and predictable. */
function stemOf(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ss|ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  let base: string | undefined;
  if (w.endsWith("ing") && w.length >= 6) base = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length >= 5) base = w.slice(0, -2);
  if (base !== undefined && VOWELS.test(base)) {
    if (/([^aeiouylsz])\1$/.test(base)) {
      w = base.slice(0, -1); // logging → log, running → run (but falling → fall, missed → miss)
    } else if (/^[^aeiou][aeiou][^aeiouwxy]$/.test(base)) {
      w = `${base}e`; // saving → save, timed → time
    } else {
      w = base;
    }
  }
  // A final -e goes from longer words, so that update and updating meet at "updat".
  if (w.length >= 5 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

const normOf = (surface: string) => surface.replace(/['’-]/g, "");

interface Concept {
  key: string;
  name: string;
  lexicon: boolean;
}

/** Lexicon terms by their stemmed words joined with a space; the first words of the longer terms. */
const TERMS = new Map<string, Concept>();
const PHRASE_STARTS = new Set<string>();
let LONGEST_TERM = 1;
for (const [index, { name, terms }] of LEXICON.entries()) {
  const concept: Concept = { key: `lexicon:${index}`, name, lexicon: true };
  for (const term of terms) {
    const words = term.split(" ").map((w) => stemOf(normOf(w)));
    TERMS.set(words.join(" "), concept);
    if (words.length > 1) PHRASE_STARTS.add(words[0] as string);
    LONGEST_TERM = Math.max(LONGEST_TERM, words.length);
  }
}

const COMMON = new Set<string>();
for (const word of `${STOP_WORDS} ${GENERIC_WORDS}`.split(/\s+/)) {
  if (word === "") continue;
  COMMON.add(word);
  COMMON.add(stemOf(word));
}

const MIN_WORD_LETTERS = 3;
const LETTERS_ONLY = /^\p{L}+$/u;
const CHUNK = /[\p{L}\p{N}'’-]+/gu;

/** Words to their stems, kept for one run over many texts (a run's words repeat a lot). */
type StemCache = Map<string, string>;

function cachedStem(norm: string, cache: StemCache): string {
  let stem = cache.get(norm);
  if (stem === undefined) {
    stem = stemOf(norm);
    cache.set(norm, stem);
  }
  return stem;
}

const NOT_ASCII = /[\u0080-\uffff]/;
const MARKS = /['’-]/;

function tokensOf(text: string, cache: StemCache): Token[] {
  const tokens: Token[] = [];
  const lower = (NOT_ASCII.test(text) ? text.normalize("NFKC") : text).toLowerCase();
  for (const match of lower.matchAll(CHUNK)) {
    let chunk = match[0];
    if (!MARKS.test(chunk)) {
      tokens.push({ surface: chunk, norm: chunk, stem: cachedStem(chunk, cache) });
      continue;
    }
    chunk = chunk.replace(/^['’-]+|['’-]+$/g, "");
    if (chunk === "") continue;
    const joined = !chunk.includes("-") || TERMS.has(cachedStem(normOf(chunk), cache));
    for (const surface of joined ? [chunk] : chunk.split("-")) {
      const norm = normOf(surface);
      if (norm !== "") tokens.push({ surface, norm, stem: cachedStem(norm, cache) });
    }
  }
  return tokens;
}

interface Mention {
  concept: Concept;
  surface: string;
}

const tellingWord = (token: Token) =>
  token.stem.length >= MIN_WORD_LETTERS &&
  !COMMON.has(token.norm) &&
  !COMMON.has(token.stem) &&
  LETTERS_ONLY.test(token.norm);

/** Every concept mention in a text, left to right: the longest lexicon term first, else a telling word. */
function mentionsOf(text: string, cache: StemCache = new Map()): Mention[] {
  const tokens = tokensOf(text, cache);
  const mentions: Mention[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    let matched = 0;
    if (PHRASE_STARTS.has(token.stem)) {
      for (let length = Math.min(LONGEST_TERM, tokens.length - i); length >= 2 && matched === 0; length--) {
        let key = token.stem;
        let surface = token.surface;
        for (let k = i + 1; k < i + length; k++) {
          const t = tokens[k] as Token;
          key += ` ${t.stem}`;
          surface += ` ${t.surface}`;
        }
        const concept = TERMS.get(key);
        if (concept) {
          mentions.push({ concept, surface });
          matched = length;
        }
      }
    }
    if (matched === 0) {
      const concept = TERMS.get(token.stem);
      if (concept) mentions.push({ concept, surface: token.surface });
      else if (tellingWord(token)) {
        mentions.push({
          concept: { key: `word:${token.stem}`, name: token.norm, lexicon: false },
          surface: token.surface,
        });
      }
      matched = 1;
    }
    i += matched;
  }
  return mentions;
}

/** Distinct concepts of one text: lexicon concepts first, each group in order of first mention. */
function conceptOrder(mentions: readonly Mention[]): Concept[] {
  const seen = new Map<string, Concept>();
  for (const m of mentions) if (!seen.has(m.concept.key)) seen.set(m.concept.key, m.concept);
  const all = [...seen.values()];
  return [...all.filter((c) => c.lexicon), ...all.filter((c) => !c.lexicon)];
}

/** The concepts one text mentions, for explaining (exported for tests and the digest). */
export function conceptsOf(text: string): string[] {
  return conceptOrder(mentionsOf(text)).map((c) => c.name);
}

function optionsOf(options: Partial<ThemeOptions> | undefined): ThemeOptions {
  const minIssues = options?.minIssues ?? DEFAULT_THEME_OPTIONS.minIssues;
  const windowHours = options?.windowHours ?? DEFAULT_THEME_OPTIONS.windowHours;
  if (!Number.isInteger(minIssues) || minIssues < 2) {
    throw new RangeError("minIssues: a repeated theme needs a whole number of at least 2 issues");
  }
  if (!Number.isFinite(windowHours) || windowHours <= 0) {
    throw new RangeError("windowHours: a positive number of hours");
  }
  return { minIssues, windowHours };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const quote = (s: string) => `"${s}"`;
const SURFACES_SHOWN = 6;
const NAMES_SHOWN = 3;

interface Found {
  concept: Concept;
  /** Indexes into the window's issues, ascending (oldest first). */
  issues: number[];
  /** Matched words as typed, in order of first use, with how often. */
  surfaces: Map<string, number>;
}

/** Repeated themes among the issues raised in the window before `now`; see the method at the top of this file. */
export function repeatedThemes(
  issues: ReadonlyArray<ThemeIssue>,
  now: Date,
  options?: Partial<ThemeOptions> & {
    /** Words that name places, not problems (the project's site names): never a theme of their own. */
    ignore?: readonly string[];
  },
): RepeatedTheme[] {
  const { minIssues, windowHours } = optionsOf(options);
  const ignored = new Set(
    (options?.ignore ?? [])
      .flatMap((name) => name.toLowerCase().split(/[^\p{L}]+/u))
      .filter((word) => word !== "")
      .map((word) => stemOf(word)),
  );
  const end = now.getTime();
  if (!Number.isFinite(end)) throw new RangeError("now: not a valid time");
  const start = end - windowHours * 3_600_000;

  // 1. The window, oldest first (then by number, id, text: the same order whatever order they came in).
  const dated = issues
    .map((issue) => ({ issue, at: Date.parse(issue.raisedAt) }))
    .filter(({ at }) => Number.isFinite(at) && at >= start && at <= end)
    .sort(
      (a, b) =>
        a.at - b.at ||
        a.issue.number - b.issue.number ||
        compareText(a.issue.id, b.issue.id) ||
        compareText(a.issue.description, b.issue.description) ||
        compareText(a.issue.theme ?? "", b.issue.theme ?? ""),
    );
  const seenIds = new Set<string>();
  const window: ThemeIssue[] = [];
  for (const { issue } of dated) {
    if (seenIds.has(issue.id)) continue;
    seenIds.add(issue.id);
    window.push(issue);
  }

  // 2. Picked themes.
  const picked = new Map<string, { spellings: Map<string, number>; issues: number[] }>();
  window.forEach((issue, index) => {
    const spelling = (issue.theme ?? "").trim().replace(/\s+/g, " ");
    if (spelling === "") return;
    const key = spelling.toLowerCase();
    const entry = picked.get(key) ?? { spellings: new Map<string, number>(), issues: [] };
    entry.spellings.set(spelling, (entry.spellings.get(spelling) ?? 0) + 1);
    entry.issues.push(index);
    picked.set(key, entry);
  });

  // 3. Concepts in each text.
  const found = new Map<string, Found>();
  const cache: StemCache = new Map();
  const orderIn: Concept[][] = window.map((issue, index) => {
    const mentions = mentionsOf(issue.description, cache).filter(
      ({ concept }) => concept.lexicon || !ignored.has(concept.key.slice("word:".length)),
    );
    for (const { concept, surface } of mentions) {
      let entry = found.get(concept.key);
      if (!entry) {
        entry = { concept, issues: [], surfaces: new Map() };
        found.set(concept.key, entry);
      }
      if (entry.issues[entry.issues.length - 1] !== index) entry.issues.push(index);
      entry.surfaces.set(surface, (entry.surfaces.get(surface) ?? 0) + 1);
    }
    return conceptOrder(mentions);
  });

  // 4. Text themes: concepts shared by the same issues, together.
  const groups = new Map<string, Found[]>();
  for (const entry of found.values()) {
    if (entry.issues.length < minIssues) continue;
    const signature = entry.issues.join(",");
    const group = groups.get(signature);
    if (group) group.push(entry);
    else groups.set(signature, [entry]);
  }

  const idsOf = (indexes: readonly number[]) => indexes.map((i) => (window[i] as ThemeIssue).id);
  const themes: RepeatedTheme[] = [];
  const pickedBySignature = new Map<string, RepeatedTheme>();
  for (const entry of picked.values()) {
    if (entry.issues.length < minIssues) continue;
    const name = mostUsed(entry.spellings);
    const others = [...entry.spellings.keys()].filter((s) => s !== name).map(quote);
    const theme: RepeatedTheme = {
      name,
      because: `picked as the theme ${quote(name)}${others.length > 0 ? ` (also written ${others.join(", ")})` : ""}`,
      issueIds: idsOf(entry.issues),
      source: "picked",
    };
    themes.push(theme);
    pickedBySignature.set(entry.issues.join(","), theme);
  }

  for (const [signature, entries] of groups) {
    // Named as the oldest issue's text has them: lexicon concepts first, then words, each by first mention.
    const oldest = orderIn[entries[0]?.issues[0] ?? 0] ?? [];
    const rank = new Map(oldest.map((c, i) => [c.key, i]));
    entries.sort((a, b) => (rank.get(a.concept.key) ?? 0) - (rank.get(b.concept.key) ?? 0));

    // Each lexicon concept's words with its name; words outside the lexicon together at the end.
    const shown = (surfaces: ReadonlyMap<string, number>) => {
      const words = [...surfaces.keys()].slice(0, SURFACES_SHOWN).map(quote);
      return surfaces.size > SURFACES_SHOWN ? [...words, "…"] : words;
    };
    const parts = entries
      .filter((e) => e.concept.lexicon)
      .map((e) => `${shown(e.surfaces).join(", ")} (${e.concept.name})`);
    const plainWords = entries.filter((e) => !e.concept.lexicon).flatMap((e) => shown(e.surfaces));
    if (plainWords.length > 0) parts.push(plainWords.join(", "));
    const because = `the words ${parts.join("; ")}`;

    const samePicked = pickedBySignature.get(signature);
    if (samePicked) {
      samePicked.because = `${samePicked.because}; their texts also share ${because}`;
      continue;
    }
    const names = entries.map(({ concept, surfaces }) =>
      concept.lexicon ? concept.name : mostUsed(surfaces),
    );
    const name =
      names.length > NAMES_SHOWN
        ? `${names.slice(0, NAMES_SHOWN).join(" + ")} + ${names.length - NAMES_SHOWN} more`
        : names.join(" + ");
    themes.push({ name, because, issueIds: idsOf(entries[0]?.issues ?? []), source: "text" });
  }

  return themes.sort(
    (a, b) =>
      b.issueIds.length - a.issueIds.length ||
      compareText(a.name.toLowerCase(), b.name.toLowerCase()) ||
      compareText(a.name, b.name) ||
      compareText(a.source, b.source) ||
      compareText(a.issueIds.join(","), b.issueIds.join(",")),
  );
}

/** The form most used (ties: the first used, i.e. the oldest issue's). */
function mostUsed(forms: ReadonlyMap<string, number>): string {
  let best = "";
  let most = 0;
  for (const [form, count] of forms) {
    if (count > most) [best, most] = [form, count];
  }
  return best;
}
