import { type Activity, CardFactory, MessageFactory } from "botbuilder";
import type { AdaptiveCard } from "../adaptive-cards/cards.js";
import { digestCard } from "../adaptive-cards/digestCards.js";
import { stabilisationReportCard } from "../adaptive-cards/stabilisationCards.js";
import { type IssueSummary, summaryOf } from "../governance/commandLog.js";
import { replayProject } from "../governance/decisions.js";
import { buildDigest } from "../governance/digest.js";
import type { Digest } from "../governance/digestTypes.js";
import type { Actor } from "../governance/events.js";
import { issueClocks } from "../governance/issueClocks.js";
import { peopleToAlert } from "../governance/issueRules.js";
import { type ProjectState, projectIdForChannel } from "../governance/project.js";
import { reviewToRun } from "../governance/reviewRuns.js";
import type { Person } from "../governance/roles.js";
import { addDays, dueDigestPeriod, localNow } from "../governance/schedule.js";
import { buildStabilisationReport } from "../governance/stabilisationReport.js";
import { stabilisationReviewDue } from "../governance/stabilisationRules.js";
import type { ConversationReferenceStore } from "../store/conversationReferences.js";
import type { GovernanceLog } from "../store/governanceLog.js";
import { possibleOwners } from "./issueViews.js";
import { errorProperties, type Logger } from "./logger.js";
import type { ChannelPoster } from "./outbound.js";

/**
 * The scheduled reviews (domain page §3), run by the dispatcher every 15 minutes and by `npm run review`: the
 * daily digest of each live project at its digest time, and reminders. Each run is claimed in the project's
 * governance log before anything is posted, so a second run for the same period posts nothing.
 */
export interface ReviewDependencies {
  log: GovernanceLog;
  references: ConversationReferenceStore;
  poster: ChannelPoster;
  logger: Logger;
}

/** Who the scheduler acts as in the log. */
export const SCHEDULER: Actor = {
  objectId: "00000000-0000-0000-0000-000000000000",
  name: "Scheduled review",
};

/** The projects the app can post to: every channel it is installed in that holds a go-live project. */
export async function projectChannels(references: ConversationReferenceStore): Promise<string[]> {
  const channels: string[] = [];
  for await (const ref of references.list()) {
    const conversation = ref.reference.conversation as { conversationType?: string } | undefined;
    if (ref.installed && conversation?.conversationType === "channel") channels.push(ref.conversationKey);
  }
  return channels.sort();
}

/**
 * The project as it stood at `at`, replayed from its governance log: for `npm run review -- --now <past time>`,
 * so a fortnight can be replayed morning by morning with each digest showing what was known that morning.
 */
export async function projectAsOf(
  log: GovernanceLog,
  projectId: string,
  at: Date,
): Promise<{
  state: ProjectState | undefined;
  open: IssueSummary[];
  awaiting: IssueSummary[];
  all: IssueSummary[];
}> {
  const entries = [];
  for await (const entry of log.entries(projectId)) {
    if ("unreadable" in entry)
      throw new Error(`Governance log entry ${entry.seq} cannot be read: run log verify.`);
    if (Date.parse(entry.at) > at.getTime()) break;
    entries.push(entry);
  }
  const { state, issues } = replayProject(entries);
  const all = [...issues.values()].map(summaryOf).sort((a, b) => a.number - b.number);
  return {
    state,
    open: all.filter((i) => i.status === "open"),
    awaiting: all.filter((i) => i.status === "resolved"),
    all,
  };
}

/** What a digest is built from: the open and awaiting lists and the last 7 days' issues — never the history. */
export async function digestFor(
  log: GovernanceLog,
  projectId: string,
  state: ProjectState,
  period: string,
  now: Date,
  options: { asOf?: boolean } = {},
): Promise<Digest> {
  if (options.asOf) {
    const past = await projectAsOf(log, projectId, now);
    const weekAgo = Date.parse(`${addDays(period, -7)}T00:00:00Z`);
    return buildDigest({
      projectId,
      // The runs and decisions as they are now; everything else as it was then.
      state: { ...(past.state ?? state), reviews: state.reviews },
      open: past.open,
      awaiting: past.awaiting,
      recent: past.all.filter((i) => Date.parse(i.raisedAt) >= weekAgo),
      period,
      now,
    });
  }
  const weekAgo = addDays(period, -7);
  const firstRecent = state.commandLog.days
    .filter((d) => d.date >= weekAgo && d.firstNumber !== undefined)
    .map((d) => d.firstNumber as number)[0];
  const [open, awaiting, recent] = await Promise.all([
    log.listIssues(projectId, "open"),
    log.listIssues(projectId, "resolved"),
    firstRecent !== undefined
      ? log.issuesFrom(projectId, firstRecent)
      : Promise.resolve([] as IssueSummary[]),
  ]);
  return buildDigest({ projectId, state, open, awaiting, recent, period, now });
}

export type DigestOutcome =
  | { outcome: "posted"; period: string; activityId: string | undefined }
  | { outcome: "skipped"; reason: string };

/**
 * Runs the daily digest of one project if it is due (or, with `period`, for that period now): claim, build,
 * post, record. A failed post is recorded as failed, so the next tick tries again.
 */
export async function runDailyDigest(
  deps: ReviewDependencies,
  channelId: string,
  now: Date,
  options: {
    period?: string;
    /** Build the digest from the log as it stood at `now` (a replay of a past morning). */
    asOf?: boolean;
    /** Where it goes: a new post in the channel by default; `digest` in chat answers in its thread. */
    post?: (activity: Partial<Activity>) => Promise<string | undefined>;
  } = {},
): Promise<DigestOutcome> {
  const projectId = projectIdForChannel(channelId);
  const state = await deps.log.readState(projectId);
  if (!state) return { outcome: "skipped", reason: "no project" };
  const period = options.period ?? dueDigestPeriod(state.project, now);
  if (!period) return { outcome: "skipped", reason: "not due" };
  const due = reviewToRun(state.reviews, "daily-digest", period, now);
  if (due !== "run") return { outcome: "skipped", reason: due };
  const run = state.reviews.find((r) => r.review === "daily-digest" && r.period === period);
  const failures = run?.failures ?? 0;
  const claim = await deps.log.change({
    projectId,
    // One claim per period and attempt: a second dispatcher run meets the same key and posts nothing. A claim
    // left by a process that stopped (expired, never posted) is taken over under a key of its own.
    idempotencyKey: `review:daily-digest:${period}:${failures}:${run?.state === "claimed" ? run.claimedAt : "new"}`,
    actor: SCHEDULER,
    decide: (current) =>
      current && reviewToRun(current.reviews, "daily-digest", period, now) === "run"
        ? { outcome: "record", events: [{ kind: "review.claimed", review: "daily-digest", period }] }
        : { outcome: "unchanged", message: "already running or posted" },
  });
  if (claim.status !== "recorded" || !claim.state) return { outcome: "skipped", reason: "claimed elsewhere" };

  let activityId: string | undefined;
  let digest: Digest;
  try {
    digest = await digestFor(deps.log, projectId, claim.state, period, now, { asOf: options.asOf === true });
    const activity = cardActivity(digestCard(digest), digest);
    activityId = options.post
      ? await options.post(activity)
      : await deps.poster.postToChannel(channelId, activity);
  } catch (error) {
    deps.logger.error("daily digest not posted", { projectId, period, ...errorProperties(error) });
    await deps.log.change({
      projectId,
      idempotencyKey: `review-failed:daily-digest:${period}:${failures}`,
      actor: SCHEDULER,
      decide: () => ({
        outcome: "record",
        events: [
          {
            kind: "review.failed",
            review: "daily-digest",
            period,
            reason: (error instanceof Error ? error.name : "unknown").slice(0, 300),
          },
        ],
      }),
    });
    throw error;
  }
  // Posted: the record must follow, or the claim expires and the digest is posted again — so it is tried a few
  // times (the key makes a repeat harmless) before the failure is reported.
  const posted = digest;
  for (let attempt = 1; ; attempt++) {
    try {
      await recordPosted(deps, { projectId, channelId, period, activityId, digest: posted });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
  return { outcome: "posted", period, activityId };
}

async function recordPosted(
  deps: ReviewDependencies,
  request: {
    projectId: string;
    channelId: string;
    period: string;
    activityId: string | undefined;
    digest: Digest;
  },
): Promise<void> {
  const { projectId, channelId, period, activityId, digest } = request;
  await deps.log.change({
    projectId,
    idempotencyKey: `review-posted:daily-digest:${period}`,
    actor: SCHEDULER,
    decide: () => ({
      outcome: "record",
      events: [
        {
          kind: "review.posted",
          review: "daily-digest",
          period,
          activityId: (activityId ?? "").slice(0, 500),
          conversationId: channelId.slice(0, 500),
          counts: digest.counts,
          triggers: digest.triggers.slice(0, 50).map((t) => ({ kind: t.kind, items: t.items.length })),
          recommendation: {
            choice: digest.recommendation.choice,
            rule: digest.recommendation.rule.slice(0, 1_000),
          },
        },
      ],
    }),
  });
}

function cardActivity(card: AdaptiveCard, digest: Digest): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = `Daily digest ${digest.period}: ${digest.counts.open} open, recommendation ${digest.recommendation.choice}`;
  return activity;
}

/**
 * The stabilisation review (domain page §4 cadence): weekly after go-live, monthly once every site's last two
 * audits meet their thresholds, until the SLT closes or transfers the controls. Claimed, posted and recorded like
 * the digest, with the exit criteria as they stood.
 */
export async function runStabilisationReview(
  deps: ReviewDependencies,
  channelId: string,
  now: Date,
): Promise<DigestOutcome> {
  const projectId = projectIdForChannel(channelId);
  const state = await deps.log.readState(projectId);
  if (!state || !["live", "stabilisation"].includes(state.project.phase))
    return { outcome: "skipped", reason: "not in stabilisation" };
  const today = localNow(now, state.project.settings.timeZone).date;
  const last = state.reviews.find((r) => r.review === "stabilisation-review");
  const period = stabilisationReviewDue({
    liveFrom: state.project.liveFrom,
    today,
    sites: state.project.settings.sites,
    stabilisation: state.stabilisation,
    ...(last?.state === "posted" ? { lastReviewed: last.period } : {}),
  });
  if (!period || reviewToRun(state.reviews, "stabilisation-review", period, now) !== "run") {
    return { outcome: "skipped", reason: "not due" };
  }
  const run = last?.period === period ? last : undefined;
  const failures = run?.failures ?? 0;
  const claim = await deps.log.change({
    projectId,
    idempotencyKey: `review:stabilisation-review:${period}:${failures}:${run?.state === "claimed" ? run.claimedAt : "new"}`,
    actor: SCHEDULER,
    decide: (current) =>
      current && reviewToRun(current.reviews, "stabilisation-review", period, now) === "run"
        ? { outcome: "record", events: [{ kind: "review.claimed", review: "stabilisation-review", period }] }
        : { outcome: "unchanged", message: "already running or posted" },
  });
  if (claim.status !== "recorded" || !claim.state) return { outcome: "skipped", reason: "claimed elsewhere" };
  const claimed = claim.state;
  let activityId: string | undefined;
  let criteria: Array<{ criterion: string; met: boolean }> = [];
  try {
    const issues = await deps.log.issuesFrom(projectId, 1);
    const report = buildStabilisationReport({ projectId, state: claimed, issues, now, today });
    criteria = report.criteria;
    const activity = MessageFactory.attachment(
      CardFactory.adaptiveCard(stabilisationReportCard(report, { owners: possibleOwners(claimed) })),
    );
    activity.summary = `Stabilisation review ${period}: ${criteria.filter((c) => !c.met).length} exit criteria not met`;
    activityId = await deps.poster.postToChannel(channelId, activity);
  } catch (error) {
    deps.logger.error("stabilisation review not posted", { projectId, period, ...errorProperties(error) });
    await deps.log.change({
      projectId,
      idempotencyKey: `review-failed:stabilisation-review:${period}:${failures}`,
      actor: SCHEDULER,
      decide: () => ({
        outcome: "record",
        events: [
          {
            kind: "review.failed",
            review: "stabilisation-review",
            period,
            reason: (error instanceof Error ? error.name : "unknown").slice(0, 300),
          },
        ],
      }),
    });
    throw error;
  }
  await deps.log.change({
    projectId,
    idempotencyKey: `review-posted:stabilisation-review:${period}`,
    actor: SCHEDULER,
    decide: () => ({
      outcome: "record",
      events: [
        {
          kind: "review.posted",
          review: "stabilisation-review",
          period,
          activityId: (activityId ?? "").slice(0, 500),
          conversationId: channelId.slice(0, 500),
          exitCriteria: criteria
            .slice(0, 20)
            .map((c) => ({ criterion: c.criterion.slice(0, 300), met: c.met })),
        },
      ],
    }),
  });
  return { outcome: "posted", period, activityId };
}

/** A reminder due now: what about, whom to call, and the key that makes it once per state. */
export interface Reminder {
  key: string;
  kind:
    | "p1-quiet"
    | "no-control"
    | "owner-silent"
    | "condition-due"
    | "condition-overdue"
    | "audit-missing"
    | "follow-up-due"
    | "risk-review";
  subject: string;
  text: string;
  to: Person[];
}

/** A P1 with no update for this long is reminded. */
const P1_QUIET_MS = 60 * 60_000;

/**
 * The reminders due on a project now (domain page §2 triggers), each keyed by the state it is about so it is sent
 * once per state: a P1 quiet for an hour (per last change), a care-impacting issue past the time for a control
 * (per marking), an owner who has not responded (per assignment), a condition due tomorrow or overdue (per due date).
 */
export function remindersDue(state: ProjectState, open: readonly IssueSummary[], now: Date): Reminder[] {
  const reminders: Reminder[] = [];
  const leads = state.roles.filter((a) => a.role === "project-lead").map((a) => a.person);
  for (const issue of open) {
    const clocks = issueClocks(issue, state.commandLog.targets, now);
    const overdue = (name: string) => clocks.some((c) => c.name === name && c.state === "overdue");
    const owner = issue.owner?.person;
    if (issue.status !== "open") continue;
    if (issue.priority === "P1" && now.getTime() - Date.parse(issue.updatedAt) >= P1_QUIET_MS) {
      reminders.push({
        key: `reminder:p1-quiet:${issue.id}:${issue.historyCount}`,
        kind: "p1-quiet",
        subject: issue.id,
        text: `${issue.id} is P1 and has had no update for an hour: ${issue.description.slice(0, 150)}`,
        to: owner ? [owner] : peopleToAlert(state, issue.site),
      });
    }
    if (issue.careImpacting && issue.controlCount === 0 && overdue("temporary-control")) {
      reminders.push({
        key: `reminder:no-control:${issue.id}:${issue.careMarkedAt ?? ""}`,
        kind: "no-control",
        subject: issue.id,
        text: `${issue.id} affects care and still has no temporary control: ${issue.description.slice(0, 150)}`,
        to: managersOf(state, issue.site, leads),
      });
    }
    if (owner && overdue("owner-response")) {
      reminders.push({
        key: `reminder:owner-silent:${issue.id}:${issue.owner?.assignedAt ?? ""}`,
        kind: "owner-silent",
        subject: issue.id,
        text: `${issue.id} was assigned to ${owner.name}, who has not responded within the response target.`,
        to: [owner],
      });
    }
  }
  const { date: today } = localNow(now, state.project.settings.timeZone);
  const qualityLeads = state.roles.filter((a) => a.role === "quality-lead").map((a) => a.person);
  // Stabilisation: a site without an audit in the week before its review is due, to the quality lead.
  const s = state.stabilisation;
  const lastReview = state.reviews.find((r) => r.review === "stabilisation-review" && r.state === "posted");
  const reviewDue = stabilisationReviewDue({
    liveFrom: state.project.liveFrom,
    today,
    sites: state.project.settings.sites,
    stabilisation: s,
    ...(lastReview ? { lastReviewed: addDays(lastReview.period, -1) } : {}),
  });
  if (reviewDue && ["live", "stabilisation"].includes(state.project.phase)) {
    const weekBefore = addDays(reviewDue, -7);
    const sites = state.project.settings.sites.length > 0 ? state.project.settings.sites : ["All sites"];
    for (const site of sites) {
      const audited = s.audits.some(
        (a) =>
          a.kind === "stabilisation" &&
          (site === "All sites" || a.site.toLowerCase() === site.toLowerCase()) &&
          localNow(new Date(a.at), state.project.settings.timeZone).date > weekBefore,
      );
      if (!audited) {
        reminders.push({
          key: `reminder:audit-missing:${site.toLowerCase()}:${reviewDue}`,
          kind: "audit-missing",
          subject: "audit",
          text: `No stabilisation audit for ${site} this week (the stabilisation review is due ${reviewDue}). Type audit to record one.`,
          to: qualityLeads,
        });
      }
    }
  }
  // The risk log: an open risk whose review date has come, to its owner.
  for (const r of s.risks.filter((x) => x.state === "open" && x.reviewDate <= today)) {
    reminders.push({
      key: `reminder:risk-review:${r.id}:${r.reviewDate}`,
      kind: "risk-review",
      subject: r.id,
      text: `Risk ${r.id} is due for review (${r.reviewDate}): ${r.text.slice(0, 150)}. Type risk ${r.id} to update or close it.`,
      to: [r.owner],
    });
  }
  // After close or transfer: follow-up audits due and not yet recorded.
  for (const f of s.followUps.filter((x) => !x.auditId && x.due <= today)) {
    reminders.push({
      key: `reminder:follow-up-due:${f.due}`,
      kind: "follow-up-due",
      subject: "follow-up",
      text: `The ${f.months}-month follow-up audit was due ${f.due}: is system use still accurate, consistent and embedded? Type audit to record it.`,
      to: qualityLeads,
    });
  }
  for (const c of state.conditions.filter((x) => x.state === "open")) {
    if (c.due === addDays(today, 1) || c.due < today) {
      const kind = c.due < today ? "condition-overdue" : "condition-due";
      reminders.push({
        key: `reminder:${kind}:${c.id}:${c.due}`,
        kind,
        subject: c.id,
        text: `Condition ${c.id} of the go-live approval is ${kind === "condition-due" ? "due tomorrow" : `overdue (due ${c.due})`}: ${c.text.slice(0, 150)}. Close it with condition met ${c.id} {evidence}.`,
        to: [c.owner],
      });
    }
  }
  return reminders;
}

/** The registered managers of a site (or of every site), once each; the project leads when there are none. */
function managersOf(state: ProjectState, site: string | undefined, leads: Person[]): Person[] {
  const managers = new Map<string, Person>();
  for (const a of state.roles) {
    const forSite = site === undefined || a.site === undefined || a.site.toLowerCase() === site.toLowerCase();
    if (a.role === "registered-manager" && forSite) managers.set(a.person.objectId, a.person);
  }
  return managers.size > 0 ? [...managers.values()] : leads;
}

/** Sends the reminders due on one project, each once: recorded in the log first, then posted. */
export async function runReminders(deps: ReviewDependencies, channelId: string, now: Date): Promise<number> {
  const projectId = projectIdForChannel(channelId);
  const state = await deps.log.readState(projectId);
  if (!state || !["live", "stabilisation", "routine-governance"].includes(state.project.phase)) return 0;
  const open = await deps.log.listIssues(projectId, "open");
  let sent = 0;
  // After close or transfer, go-live's own reminders stop: only the follow-up audits are reminded.
  const due = remindersDue(state, open, now).filter(
    (r) => state.project.phase !== "routine-governance" || r.kind === "follow-up-due",
  );
  for (const reminder of due) {
    // Most reminders due now were sent on an earlier tick: one read says so, without deciding and committing.
    if (await deps.log.hasRecorded(projectId, reminder.key)) continue;
    // Posted first, then recorded: a post that fails is tried again on the next tick. (A record that fails after
    // the post would send it twice — the rarer and safer way round for a reminder about care.)
    await deps.poster.postToChannel(channelId, reminderActivity(reminder));
    sent++;
    await deps.log.change({
      projectId,
      idempotencyKey: reminder.key,
      actor: SCHEDULER,
      decide: () => ({
        outcome: "record",
        events: [
          {
            kind: "reminder.sent",
            reminder: reminder.kind,
            subject: reminder.subject,
            to: reminder.to.slice(0, 20),
          },
        ],
      }),
    });
  }
  return sent;
}

function reminderActivity(reminder: Reminder): Partial<Activity> {
  const mentions = reminder.to.map((p) => ({
    type: "mention",
    text: `<at>${p.name.replace(/[<>&]/g, " ")}</at>`,
    mentioned: { id: p.objectId, name: p.name },
  }));
  const who = mentions.map((m) => m.text).join(", ");
  const message = MessageFactory.text(
    `Reminder: ${reminder.text.replace(/[<>]/g, " ")}${who ? `\n\n${who} — please look now.` : ""}`,
  );
  message.entities = mentions;
  message.summary = `Reminder: ${reminder.subject}`;
  return message;
}

/**
 * One dispatcher tick: for every project channel, the daily digest if due and the reminders, with bounded
 * concurrency. A failure in one project is logged and does not stop the others; the next tick catches up.
 */
export async function runScheduledReviews(
  deps: ReviewDependencies,
  now: Date,
  options: {
    concurrency?: number;
    jobs?: ReadonlyArray<"daily" | "reminders">;
    channels?: string[];
    /** Replay: each project as its log stood at `now`. */
    asOf?: boolean;
  } = {},
): Promise<{
  projects: number;
  digests: number;
  stabilisationReviews: number;
  reminders: number;
  failures: number;
}> {
  const channels = options.channels ?? (await projectChannels(deps.references));
  const jobs = new Set(options.jobs ?? ["daily", "reminders"]);
  const totals = {
    projects: channels.length,
    digests: 0,
    stabilisationReviews: 0,
    reminders: 0,
    failures: 0,
  };
  let next = 0;
  const worker = async () => {
    while (next < channels.length) {
      const channelId = channels[next++] as string;
      // Each job on its own: a digest that keeps failing must not stop a P1's reminder.
      if (jobs.has("daily")) {
        try {
          const digest = await runDailyDigest(deps, channelId, now, { asOf: options.asOf === true });
          if (digest.outcome === "posted") totals.digests++;
        } catch (error) {
          totals.failures++;
          deps.logger.error("daily digest failed", { channelId, ...errorProperties(error) });
        }
      }
      if (jobs.has("daily") && !options.asOf) {
        try {
          const review = await runStabilisationReview(deps, channelId, now);
          if (review.outcome === "posted") totals.stabilisationReviews++;
        } catch (error) {
          totals.failures++;
          deps.logger.error("stabilisation review failed", { channelId, ...errorProperties(error) });
        }
      }
      // Reminders call people about issues as they are now: never replayed for a past time.
      if (jobs.has("reminders") && !options.asOf) {
        try {
          totals.reminders += await runReminders(deps, channelId, now);
        } catch (error) {
          totals.failures++;
          deps.logger.error("reminders failed", { channelId, ...errorProperties(error) });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return totals;
}
