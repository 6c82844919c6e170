import {
  type BoardDecision,
  CHOICE_TITLES,
  type Choice,
  type Condition,
  quorumOf,
  tallyOf,
  type Vote,
} from "../governance/boardDecision.js";
import { AREA_TITLES, type Blocker, blockersDigest } from "../governance/readiness.js";
import type { Person } from "../governance/roles.js";
import { type AdaptiveCard, expand } from "./render.js";
import conditionsTemplate from "./templates/conditions.json" with { type: "json" };
import decisionTemplate from "./templates/decision.json" with { type: "json" };
import minutesTemplate from "./templates/minutes.json" with { type: "json" };

export const DECISION_VERBS = {
  proceed: "decision.proceed",
  delay: "decision.delay",
  conditional: "decision.conditional",
  close: "decision.close",
} as const;

export interface DecisionView {
  projectName: string;
  projectId: string;
  decision: BoardDecision;
  /** Who may vote (the chair included). */
  boardMembers: Person[];
  blockers: Blocker[];
  goLiveDate?: string;
  /** The governance log entry the card shows; it goes back with every button. */
  basis: number;
  chairName?: string;
  /** Shown under the title, e.g. "Your vote was recorded." */
  note?: string;
}

/** Teams' safe size for a message carrying a card: 28 KB of serialized JSON. */
const MAX_CARD_BYTES = 28 * 1024;
/** Blockers shown, each with its condition inputs; the bot accepts conditions for the same number. */
const MAX_BLOCKERS_ON_CARD = 25;

const OUTCOME_TITLES: Record<Choice, string> = {
  proceed: "Proceed",
  delay: "Delay",
  conditional: "Conditional approval",
};
const RAG_COLOURS: Record<string, string> = { red: "Attention", amber: "Warning", green: "Good" };
const LONG_MARK = "… (shortened; full text in the governance log)";

/**
 * How much of each long text a card shows. Cards are rendered at the first fit that stays under 28 KB; the full
 * texts stay in the governance log. `scale` shortens every text (never below its minimum), `list` caps how many
 * votes, blockers and conditions are listed one by one (the rest are counted).
 */
interface Fit {
  scale: number;
  list: number;
}
const FITS: readonly Fit[] = [
  { scale: 1, list: Number.POSITIVE_INFINITY },
  { scale: 0.6, list: Number.POSITIVE_INFINITY },
  { scale: 0.4, list: Number.POSITIVE_INFINITY },
  { scale: 0.25, list: Number.POSITIVE_INFINITY },
  { scale: 0.15, list: Number.POSITIVE_INFINITY },
  { scale: 0.1, list: Number.POSITIVE_INFINITY },
  { scale: 0, list: Number.POSITIVE_INFINITY },
  { scale: 0, list: 40 },
  { scale: 0, list: 25 },
  { scale: 0, list: 10 },
];

/** Cuts texts for one fit and remembers whether the card needs the note about shortened texts. */
class Cutter {
  shortened = false;
  constructor(private readonly fit: Fit) {}

  /** `text` in about `base × scale` characters, never fewer than `min` (a text cut to almost nothing is left out). */
  text(text: string, base: number, min: number): string {
    const max = Math.max(min, Math.round(base * this.fit.scale));
    const clean = text.trim();
    if (clean.length <= max) return clean;
    let kept = clean.slice(0, Math.max(0, max - 1)).trimEnd();
    if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
    // At full size few texts are cut, so each says where the rest is; smaller fits add one note to the card.
    if (this.fit.scale === 1 && max >= 12) return `${kept}${LONG_MARK}`;
    this.shortened = true;
    return max < 12 ? "" : `${kept}…`;
  }

  name(person: Person): string {
    return this.text(person.name, 100, 40);
  }

  /** Names, joined; at the smallest fits only the first few, with how many more. */
  names(people: readonly Person[]): string {
    const { shown, more } = this.list(people);
    const names = shown.map((p) => this.name(p)).join(", ");
    return more > 0 ? `${names} and ${more} more` : names;
  }

  /** Cuts a list to the fit's length; says how many more there are. */
  list<T>(items: readonly T[]): { shown: T[]; more: number } {
    const shown = items.slice(0, this.fit.list);
    if (shown.length < items.length) this.shortened = true;
    return { shown, more: items.length - shown.length };
  }
}

const byteSize = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(card), "utf8");

/** The first fit whose card stays under 28 KB (the smallest fit if none does). */
function fitted(render: (fit: Fit) => AdaptiveCard): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const fit of FITS) {
    card = render(fit);
    if (byteSize(card) < MAX_CARD_BYTES) return card;
  }
  return card as AdaptiveCard;
}

/** "2027-01-08T14:03:11.000Z" reads as "2027-01-08 14:03 UTC"; anything else as given. */
function when(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const moreText = (more: number, what: string) =>
  more > 0 ? `…and ${plural(more, what)} more: see the governance log.` : "";
const hasText = (text: string | undefined) => (text ?? "") !== "";

/** The vote's choice in words, with its new date (delay) or number of conditions (conditional). */
function choiceText(vote: Vote): string {
  const title = CHOICE_TITLES[vote.choice];
  if (vote.choice === "delay" && vote.newDate) return `${title} (new date ${vote.newDate})`;
  if (vote.choice === "conditional") return `${title} (${plural(vote.conditions?.length ?? 0, "condition")})`;
  return title;
}

function voteRows(cutter: Cutter, votes: readonly Vote[], rationaleBase: number) {
  const { shown, more } = cutter.list(votes);
  return {
    votes: shown.map((v) => ({
      voter: cutter.name(v.voter),
      choice: choiceText(v),
      rationale: cutter.text(v.rationale, rationaleBase, 24),
    })),
    votesMore: moreText(more, "vote"),
  };
}

const SHORTENED_NOTE = "Texts ending in … are shortened; the full text is in the governance log.";

/** A card's closing line, saying so when texts on it were shortened (known only once the card's texts are cut). */
function footnote(text: string, cutter: Cutter): string {
  return cutter.shortened ? `${text} ${SHORTENED_NOTE}` : text;
}

/** The board's go-live decision: the open vote, or the minutes once the chair has closed it. */
export function decisionCard(view: DecisionView): AdaptiveCard {
  if (view.decision.state === "closed") return minutesCard(view);
  // Votes of people no longer on the board do not count (closing ignores them too).
  const members = new Set(view.boardMembers.map((p) => p.objectId));
  const decision = {
    ...view.decision,
    votes: view.decision.votes.filter((v) => members.has(v.voter.objectId)),
  };
  const voted = new Set(decision.votes.map((v) => v.voter.objectId));
  const notVoted = view.boardMembers.filter((p) => !voted.has(p.objectId));
  // Every blocker shown gets condition inputs, so the cap is fixed: the smallest fits shorten texts instead.
  const blockers = view.blockers.slice(0, MAX_BLOCKERS_ON_CARD);
  const tally = tallyOf(decision.votes);

  return fitted((fit) => {
    const cutter = new Cutter(fit);
    const data = {
      projectName: view.projectName,
      projectId: view.projectId,
      decisionId: decision.id,
      basis: view.basis,
      blockersDigest: blockersDigest(view.blockers),
      note: view.note ?? "",
      hasNote: hasText(view.note),
      summary: [
        view.goLiveDate ? `Planned go-live: ${view.goLiveDate}.` : "No go-live date set yet.",
        view.chairName ? `Chair: ${cutter.text(view.chairName, 100, 40)}.` : "",
        `Opened by ${cutter.name(decision.openedBy)} on ${when(decision.openedAt)}.`,
      ]
        .filter(hasText)
        .join(" "),
      verdict:
        view.blockers.length === 0
          ? "No blockers: the board may proceed."
          : `${plural(view.blockers.length, "blocker")}: proceed is not possible while any stands.`,
      verdictColour: view.blockers.length === 0 ? "Good" : "Attention",
      blockers: blockers.map((b) => {
        const evidence = cutter.text(b.evidence, 300, 0);
        return { reason: cutter.text(b.reason, 300, 60), evidence, hasEvidence: hasText(evidence) };
      }),
      blockersMore:
        view.blockers.length > blockers.length
          ? `…and ${view.blockers.length - blockers.length} more, not shown: type readiness to see them all.`
          : "",
      tally: `Proceed ${tally.proceed} · Delay ${tally.delay} · Conditional ${tally.conditional}`,
      quorum: `Votes needed before the chair can close: ${quorumOf(view.boardMembers.length)}`,
      notVoted: notVoted.length === 0 ? "Everyone has voted." : `Not voted yet: ${cutter.names(notVoted)}`,
      ...voteRows(cutter, decision.votes, 200),
      conditions: blockers.map((b, index) => ({ index, reason: cutter.text(b.reason, 150, 40) })),
      proceedEnabled: view.blockers.length === 0,
      shortened: false,
    };
    data.shortened = cutter.shortened;
    return expand(decisionTemplate, data);
  });
}

/** The governance minutes of a closed decision, as recorded when the chair closed the vote. */
export function minutesCard(view: DecisionView): AdaptiveCard {
  const { decision } = view;
  const minutes = decision.minutes;
  if (!minutes) return expand(minutesTemplate, noMinutes(view));
  const voted = new Set(minutes.attendees.map((p) => p.objectId));
  const absent = minutes.boardMembers.filter((p) => !voted.has(p.objectId));

  return fitted((fit) => {
    const cutter = new Cutter(fit);
    const blockers = cutter.list(minutes.blockers);
    const conditions = cutter.list(minutes.conditions);
    const data = {
      projectName: view.projectName,
      note: view.note ?? "",
      hasNote: hasText(view.note),
      outcome: OUTCOME_TITLES[minutes.outcome],
      closed: `Closed by ${cutter.name(minutes.closedBy)} on ${when(minutes.closedAt)}. Opened by ${cutter.name(decision.openedBy)} on ${when(decision.openedAt)}.`,
      tally: `Votes: Proceed ${minutes.tally.proceed} · Delay ${minutes.tally.delay} · Conditional ${minutes.tally.conditional}`,
      dates: [
        minutes.goLiveDate ? `Planned go-live: ${minutes.goLiveDate}.` : "No go-live date was set.",
        minutes.newDate ? `New target or review date: ${minutes.newDate}.` : "",
      ]
        .filter(hasText)
        .join(" "),
      attendees: minutes.attendees.length === 0 ? "none" : cutter.names(minutes.attendees),
      absent: absent.length === 0 ? "none" : cutter.names(absent),
      ...voteRows(cutter, minutes.votes, 1_000),
      noBlockers: minutes.blockers.length === 0,
      blockers: blockers.shown.map((b) => {
        const evidence = cutter.text(b.evidence, 600, 40);
        return {
          reason: cutter.text(b.reason, 600, 60),
          evidence: hasText(evidence) ? ` Evidence: ${evidence}` : "",
        };
      }),
      blockersMore: moreText(blockers.more, "blocker"),
      noConditions: minutes.conditions.length === 0,
      conditions: conditions.shown.map((c) => ({
        text: cutter.text(c.text, 600, 60),
        owner: cutter.name(c.owner),
        due: c.due,
      })),
      conditionsMore: moreText(conditions.more, "condition"),
      noEvidence: minutes.readinessEvidence.length === 0,
      evidence: minutes.readinessEvidence.map((e) => {
        const text = cutter.text(e.evidence, 600, 40);
        return {
          rag: e.rag.toUpperCase(),
          colour: RAG_COLOURS[e.rag.toLowerCase()] ?? "Default",
          area: (AREA_TITLES as Record<string, string>)[e.area] ?? e.area,
          text,
          hasText: hasText(text),
        };
      }),
      footnote: "",
    };
    data.footnote = footnote("These minutes are recorded in the governance log.", cutter);
    return expand(minutesTemplate, data);
  });
}

/** Minutes-card data for a decision without minutes (still open, or closed without them): says so. */
function noMinutes(view: DecisionView) {
  const tally = tallyOf(view.decision.votes);
  return {
    projectName: view.projectName,
    note: view.note ?? "",
    hasNote: hasText(view.note),
    outcome: "not decided yet",
    closed:
      view.decision.state === "open"
        ? "The vote is still open: the minutes are written when the chair closes it."
        : "No minutes were recorded for this decision.",
    tally: `Votes: Proceed ${tally.proceed} · Delay ${tally.delay} · Conditional ${tally.conditional}`,
    dates: view.goLiveDate ? `Planned go-live: ${view.goLiveDate}.` : "No go-live date set yet.",
    attendees: "none",
    absent: "none",
    votes: [],
    votesMore: "",
    noBlockers: true,
    blockers: [],
    blockersMore: "",
    noConditions: true,
    conditions: [],
    conditionsMore: "",
    noEvidence: true,
    evidence: [],
    footnote: "Decisions are recorded in the governance log.",
  };
}

const STATE_TITLES: Record<Condition["state"], string> = { open: "Open", met: "Met", waived: "Waived" };
const STATE_COLOURS: Record<Condition["state"], string> = { open: "Default", met: "Good", waived: "Warning" };

/** The conditions of conditional approvals, with who owns each, when it is due and whether it is met. */
export function conditionsCard(projectName: string, conditions: Condition[], today: string): AdaptiveCard {
  const overdue = (c: Condition) => c.state === "open" && c.due < today;
  const open = conditions.filter((c) => c.state === "open").length;
  const late = conditions.filter(overdue).length;
  const closed = conditions.length - open;
  const summary =
    conditions.length === 0
      ? "No conditions."
      : `${plural(conditions.length, "condition")}: ${open} open${late > 0 ? ` (${late} overdue)` : ""}, ${closed} met or waived.`;

  return fitted((fit) => {
    const cutter = new Cutter(fit);
    const { shown, more } = cutter.list(conditions);
    const rows = shown.map((c) => {
      const by = [
        c.closedBy ? `by ${cutter.text(c.closedBy, 100, 40)}` : "",
        c.closedAt ? when(c.closedAt) : "",
      ]
        .filter(hasText)
        .join(" on ");
      const detail =
        c.state === "met"
          ? `Evidence: ${cutter.text(c.evidence ?? "none given", 400, 60)}`
          : c.state === "waived"
            ? `Waived because: ${cutter.text(c.reason ?? "no reason given", 400, 60)}`
            : "";
      return {
        id: c.id,
        text: cutter.text(c.text, 500, 60),
        blockerReason: cutter.text(c.blockerReason, 300, 40),
        owner: cutter.name(c.owner),
        due: c.due,
        state: overdue(c) ? `${STATE_TITLES[c.state]} — OVERDUE` : STATE_TITLES[c.state],
        stateColour: overdue(c) ? "Attention" : STATE_COLOURS[c.state],
        closure: detail === "" ? "" : `${detail}${by ? ` (${by})` : ""}`,
        hasClosure: detail !== "",
      };
    });
    const data = {
      projectName,
      summary: more > 0 ? `${summary} The first ${shown.length} are shown.` : summary,
      conditions: rows,
      footnote: "",
    };
    data.footnote = footnote(
      "The owner marks a condition met with: condition met {id} {evidence}. The project lead can waive one with: condition waive {id} {reason}.",
      cutter,
    );
    return expand(conditionsTemplate, data);
  });
}
