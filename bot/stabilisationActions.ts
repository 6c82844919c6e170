import { createHash, createHmac } from "node:crypto";
import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import type { AdaptiveCard } from "../adaptive-cards/cards.js";
import {
  auditFormCard,
  auditResultCard,
  pulseCard,
  pulseResultsCard,
  riskCard,
  risksCard,
  STABILISATION_VERBS,
  stabilisationReportCard,
} from "../adaptive-cards/stabilisationCards.js";
import type { Decision } from "../governance/decisions.js";
import type { Actor } from "../governance/events.js";
import type { ProjectState } from "../governance/project.js";
import { ROLE_TITLES, ROLES, rolesOf } from "../governance/roles.js";
import { localNow } from "../governance/schedule.js";
import {
  AUDIT_MEASURES,
  MEASURE_TITLES,
  type Pulse,
  SltChoiceSchema,
  StabilisationThresholdsSchema,
} from "../governance/stabilisation.js";
import {
  decideAudit,
  decideOpenPulse,
  decidePulseAnswer,
  decideRiskAdd,
  decideRiskChange,
  decideSlt,
  decideStabilisationThresholds,
  mayReadPulse,
} from "../governance/stabilisationDecisions.js";
import { buildStabilisationReport } from "../governance/stabilisationReport.js";
import type { ChangeResult } from "../store/governanceLog.js";
import {
  cardFailureMessage,
  changeFromCard,
  recordRefusal,
  resolveCardScope,
  runCardAction,
} from "./cardScope.js";
import { type ConversationDependencies, resultMessage, type TurnRecord } from "./conversation.js";
import { possibleOwners } from "./issueViews.js";
import { errorProperties } from "./logger.js";
import { replyCard, replyText } from "./replies.js";

/**
 * Stabilisation in Teams (domain page §4): the quality lead's audits, the staff confidence pulse (optionally
 * anonymous), the risk log, the stabilisation report and the senior leadership team's decision on it.
 */

const today = (state: ProjectState, now: Date) => localNow(now, state.project.settings.timeZone).date;

/** A chat command's change: recorded, or refused with the refusal logged (who tried what, and why). */
async function changeFromChat(
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: { projectId: string; actor: Actor; key: string },
  attempted: string,
  rule: (state: ProjectState) => Decision,
): Promise<ChangeResult> {
  const result = await deps.log.change({
    projectId: request.projectId,
    idempotencyKey: request.key,
    actor: request.actor,
    decide: (state) => (state ? rule(state) : { outcome: "refused", message: "No go-live project here." }),
  });
  turn.recorded = result.status === "recorded" || result.status === "duplicate";
  if (result.status === "refused") {
    await recordRefusal(deps, request, { attempted, reason: result.message, idempotencyKey: request.key });
  }
  return result;
}

/** `audit`: the quality lead's audit form. */
export async function showAuditForm(
  context: TurnContext,
  deps: ConversationDependencies,
  request: { projectId: string; state: ProjectState; actor: Actor; key: string },
): Promise<void> {
  const { state, actor, projectId } = request;
  if (!rolesOf(state.roles, actor.objectId).has("quality-lead")) {
    const reason = "Only the quality lead records stabilisation audits. Nothing was changed.";
    await recordRefusal(
      deps,
      { projectId, actor },
      { attempted: "audit", reason, idempotencyKey: request.key },
    );
    return replyText(context, reason);
  }
  const followUpDue = state.stabilisation.followUps.find(
    (f) => !f.auditId && f.due <= today(state, deps.clock()),
  );
  await replyCard(
    context,
    auditFormCard({
      projectId,
      projectName: state.project.name,
      sites: state.project.settings.sites,
      thresholds: state.stabilisation.thresholds,
      ...(followUpDue ? { followUpDue: followUpDue.due } : {}),
    }),
    "Stabilisation audit",
  );
}

const count = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v),
  z.number({ required_error: "a number", invalid_type_error: "a number" }).int().min(0),
);

/** Save on the audit form. */
export async function handleAuditSave(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key, turn }) => {
    const input = (data ?? {}) as Record<string, unknown>;
    const measures: Record<string, { checked: number; passed: number }> = {};
    for (const measure of AUDIT_MEASURES) {
      const checked = count.safeParse(input[`${measure}:checked`]);
      const passed = count.safeParse(input[`${measure}:passed`]);
      if (!checked.success || !passed.success) {
        return "Give the number of records checked and passed for each of the five measures. Nothing was changed.";
      }
      if (checked.data === 0) return "Each measure needs at least one record checked. Nothing was changed.";
      if (passed.data > checked.data) return "Passed cannot be more than checked. Nothing was changed.";
      measures[measure] = { checked: checked.data, passed: passed.data };
    }
    const kind = input.kind === "follow-up" ? "follow-up" : "stabilisation";
    const result = await changeFromCard(deps, scope, { key, turn }, verb, (state) =>
      decideAudit(state, scope.actor, {
        site: typeof input.site === "string" ? input.site : "",
        kind,
        measures: measures as never,
        notes: typeof input.notes === "string" ? input.notes.trim().slice(0, 2_000) : "",
        ...(kind === "follow-up" ? { embedded: input.embedded === true || input.embedded === "true" } : {}),
      }),
    );
    if (result.status === "refused") return resultMessage(result);
    const audit = result.state?.stabilisation.audits.at(-1);
    if (!result.state || !audit) return resultMessage(result);
    return auditResultCard({
      projectName: result.state.project.name,
      audit,
      thresholds: result.state.stabilisation.thresholds,
      timeZone: result.state.project.settings.timeZone,
      notice: resultMessage(result),
    });
  });
}

/** `pulse [anonymous]`: opens a staff confidence pulse and posts its card in the channel. */
export async function openPulse(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: { projectId: string; actor: Actor; key: string; anonymous: boolean },
): Promise<void> {
  const result = await changeFromChat(deps, turn, request, "pulse", (state) =>
    decideOpenPulse(state, request.actor, request.anonymous),
  );
  if (result.status === "refused") return replyText(context, resultMessage(result));
  const pulse = result.state?.stabilisation.pulses.at(-1);
  if (!result.state || !pulse) return replyText(context, resultMessage(result));
  await replyCard(
    context,
    pulseCard({ projectId: request.projectId, projectName: result.state.project.name, pulse }),
    "Staff confidence pulse",
  );
}

/**
 * The role and site an answer is counted under. Named: the person's first project role. Anonymous: only a group
 * several people share — staff, team leaders, or managers and leads (whose roles are often held by one person,
 * so they are not told apart, nor by site).
 */
function roleAndSite(
  state: ProjectState,
  objectId: string,
  anonymous: boolean,
): { role: string; site: string } {
  const held = state.roles.filter((a) => a.person.objectId === objectId.toLowerCase());
  const first = ROLES.find((r) => held.some((a) => a.role === r));
  const site = held.find((a) => a.site)?.site;
  if (anonymous) {
    if (!first) return { role: "Staff (no project role)", site: "All sites" };
    if (held.every((a) => a.role === "team-leader")) return { role: "Team leader", site: "All sites" };
    return { role: "Manager or lead", site: "All sites" };
  }
  return { role: first ? ROLE_TITLES[first] : "Staff (no project role)", site: site ?? "All sites" };
}

/** Results of an anonymous pulse never single anyone out: no breakdown while any group has fewer than three. */
const SMALLEST_GROUP = 3;
function resultsSafe(pulse: Pulse): { pulse: Pulse; note?: string } {
  if (!pulse.anonymous) return { pulse };
  const counts = new Map<string, number>();
  for (const a of pulse.answers) counts.set(a.role, (counts.get(a.role) ?? 0) + 1);
  if ([...counts.values()].every((n) => n >= SMALLEST_GROUP)) return { pulse };
  return {
    pulse: {
      ...pulse,
      answers: pulse.answers.map((a) => ({ ...a, role: "All respondents", site: "All sites" })),
    },
    note: "Results by group are hidden while a group has fewer than three answers, so no one can be singled out.",
  };
}

/**
 * An answer to a pulse. For an anonymous pulse the person is never written down: the log entry's actor is
 * "Anonymous respondent", the respondent's slot is a keyed hash (HMAC with a key kept outside storage) of the
 * pulse and their id, and the idempotency key is built from that slot — so neither storage nor the log can say
 * who answered what, while a second answer by the same person still replaces the first.
 */
export async function handlePulseAnswer(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  const turn: TurnRecord = { recorded: false };
  try {
    const parsed = z
      .object({
        pulseId: z.string().max(12),
        score: z.coerce.number().int().min(1).max(5),
        comment: z
          .string()
          .optional()
          .transform((s) => (s ?? "").trim().slice(0, 500)),
      })
      .safeParse(data);
    if (!parsed.success) return "Pick a score from 1 to 5, then send your answer. Nothing was recorded.";
    // Scope checks without a key derived from what was submitted (a refusal must not tie a person to a score).
    const neutralKey = `pulse-scope:${context.activity.conversation?.id ?? ""}:${context.activity.id ?? ""}`;
    const scope = await resolveCardScope(context, deps, data, {
      attempted: verb,
      idempotencyKey: neutralKey,
    });
    if (typeof scope === "string") return scope;
    const pulse = scope.state.stabilisation.pulses.find((p) => p.id === parsed.data.pulseId);
    if (!pulse) return "This pulse is not one of this project's. Nothing was recorded.";
    const person = scope.actor.objectId.toLowerCase();
    const slot = pulse.anonymous
      ? createHmac("sha256", deps.anonymityKey ?? "")
          .update(`${pulse.id}|${person}`)
          .digest("hex")
          .slice(0, 40)
      : person;
    const { role, site } = roleAndSite(scope.state, person, pulse.anonymous);
    const answer = parsed.data;
    const actor: Actor = pulse.anonymous
      ? { objectId: "anonymous", name: "Anonymous respondent" }
      : scope.actor;
    // Keyed by the activity (a redelivery), not by the answer: answering 4, then 2, then 4 again is three answers.
    const activity = createHash("sha256")
      .update(`${context.activity.conversation?.id ?? ""}|${context.activity.id ?? ""}`)
      .digest("hex")
      .slice(0, 24);
    const result = await deps.log.change({
      projectId: scope.projectId,
      idempotencyKey: `pulse:${pulse.id}:${slot}:${activity}`,
      actor,
      decide: (state) =>
        state
          ? decidePulseAnswer(state, {
              pulseId: pulse.id,
              slot,
              ...(pulse.anonymous ? {} : { name: scope.actor.name }),
              role,
              site,
              score: answer.score,
              ...(answer.comment ? { comment: answer.comment } : {}),
            })
          : { outcome: "refused", message: "No project." },
    });
    turn.recorded = result.status === "recorded" || result.status === "duplicate";
    if (result.status === "refused") return resultMessage(result);
    return `Thank you: your answer to ${pulse.id} is recorded${pulse.anonymous ? " anonymously" : ""}. You can change it by answering again.`;
  } catch (error) {
    return cardFailureMessage(context, deps, error, turn);
  }
}

/** The results of a pulse, for the project lead and registered managers only (shown to the one who asked). */
export async function handlePulseResults(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key }) => {
    const pulseId = (data as { pulseId?: unknown } | undefined)?.pulseId;
    const state = (await deps.log.readState(scope.projectId)) ?? scope.state;
    const pulse =
      state.stabilisation.pulses.find((p) => p.id === pulseId) ?? state.stabilisation.pulses.at(-1);
    if (!mayReadPulse(state, scope.actor)) {
      const reason = "Only the project lead and the registered managers see the pulse's results.";
      await recordRefusal(deps, scope, { attempted: verb, reason, idempotencyKey: key });
      return reason;
    }
    if (!pulse) return "No staff confidence pulse has been opened yet: type pulse to open one.";
    if (pulse.anonymous && pulse.answers.length < SMALLEST_GROUP) {
      return `Results of ${pulse.id} show once three people have answered, so no one can be singled out.`;
    }
    const safe = resultsSafe(pulse);
    return pulseResultsCard({
      projectName: state.project.name,
      pulse: safe.pulse,
      threshold: state.stabilisation.thresholds.confidencePercent,
      ...(safe.note ? { note: safe.note } : {}),
    });
  });
}

/** `pulse results` in chat. */
export async function showPulseResults(
  context: TurnContext,
  request: { state: ProjectState; actor: Actor },
): Promise<void> {
  const { state, actor } = request;
  if (!mayReadPulse(state, actor)) {
    return replyText(context, "Only the project lead and the registered managers see the pulse's results.");
  }
  const pulse = state.stabilisation.pulses.at(-1);
  if (!pulse)
    return replyText(context, "No staff confidence pulse has been opened yet: type pulse to open one.");
  // Results are for the one who asks: a reply in the thread would show them to the whole channel.
  await replyText(
    context,
    `Press "Show results" on the card of pulse ${pulse.id}: the results are shown to you alone, not to the channel.`,
  );
}

/** `risk {text}`: adds an unresolved risk, owned by whoever added it until changed on its card. */
export async function addRisk(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: { projectId: string; actor: Actor; key: string; text: string },
): Promise<void> {
  const now = deps.clock();
  const result = await changeFromChat(deps, turn, request, "risk", (state) =>
    decideRiskAdd(state, request.actor, request.text, today(state, now)),
  );
  if (result.status === "refused") return replyText(context, resultMessage(result));
  const risk = result.state?.stabilisation.risks.at(-1);
  if (!result.state || !risk) return replyText(context, resultMessage(result));
  await replyCard(
    context,
    riskCard({
      projectId: request.projectId,
      projectName: result.state.project.name,
      risk,
      owners: possibleOwners(result.state),
      timeZone: result.state.project.settings.timeZone,
      notice: `${resultMessage(result)} Set its owner, likelihood, impact and review date below.`,
    }),
    `Risk ${risk.id}`,
  );
}

export async function showRisks(
  context: TurnContext,
  deps: ConversationDependencies,
  request: { projectId: string; state: ProjectState; riskId?: string },
): Promise<void> {
  const { state, projectId } = request;
  if (request.riskId) {
    const risk = state.stabilisation.risks.find((r) => r.id === request.riskId);
    if (!risk) return replyText(context, `There is no risk ${request.riskId}. Type risks to list them.`);
    return replyCard(
      context,
      riskCard({
        projectId,
        projectName: state.project.name,
        risk,
        owners: possibleOwners(state),
        timeZone: state.project.settings.timeZone,
      }),
      `Risk ${risk.id}`,
    );
  }
  const open = await deps.log.listIssues(projectId, "open");
  await replyCard(
    context,
    risksCard({
      projectName: state.project.name,
      risks: state.stabilisation.risks,
      careIssues: open.filter((i) => i.careImpacting).map((i) => ({ id: i.id, text: i.description })),
    }),
    "Risk log",
  );
}

const RiskUpdateInputs = z.object({
  riskId: z.string().max(12),
  owner: z.string().max(100),
  likelihood: z.coerce.number().int().min(1).max(5),
  impact: z.coerce.number().int().min(1).max(5),
  reviewDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

/** Update or Close on a risk's card. */
export async function handleRiskAction(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key, turn }) => {
    const state = (await deps.log.readState(scope.projectId)) ?? scope.state;
    let request: Parameters<typeof decideRiskChange>[2];
    if (verb === STABILISATION_VERBS.riskClose) {
      const riskId = String((data as { riskId?: unknown }).riskId ?? "").slice(0, 12);
      const evidence = String((data as { evidence?: unknown }).evidence ?? "").slice(0, 2_000);
      request = { kind: "close", riskId, evidence };
    } else {
      const parsed = RiskUpdateInputs.safeParse(data);
      if (!parsed.success)
        return "Pick the owner, likelihood and impact, and give a review date. Nothing was changed.";
      const owner = state.roles.find((a) => a.person.objectId === parsed.data.owner.toLowerCase())?.person;
      if (!owner)
        return "The owner must hold a role in this project: pick one from the list. Nothing was changed.";
      request = { kind: "update", ...parsed.data, owner };
    }
    const result = await changeFromCard(deps, scope, { key, turn }, verb, (current) =>
      decideRiskChange(current, scope.actor, request),
    );
    if (result.status === "refused") return resultMessage(result);
    const risk = result.state?.stabilisation.risks.find((r) => r.id === request.riskId);
    if (!result.state || !risk) return resultMessage(result);
    return riskCard({
      projectId: scope.projectId,
      projectName: result.state.project.name,
      risk,
      owners: possibleOwners(result.state),
      timeZone: result.state.project.settings.timeZone,
      notice: result.status === "unchanged" ? result.message : resultMessage(result),
    });
  });
}

/** The stabilisation report with the SLT's decision form, as the project stands now. */
export async function stabilisationReport(
  deps: ConversationDependencies,
  projectId: string,
  state: ProjectState,
) {
  const now = deps.clock();
  const issues = await deps.log.issuesFrom(projectId, 1);
  const report = buildStabilisationReport({ projectId, state, issues, now, today: today(state, now) });
  return stabilisationReportCard(report, { owners: possibleOwners(state) });
}

/** `stabilisation`: the report, in the thread. */
export async function showStabilisation(
  context: TurnContext,
  deps: ConversationDependencies,
  request: { projectId: string; state: ProjectState },
): Promise<void> {
  const current = (await deps.log.readState(request.projectId)) ?? request.state;
  await replyCard(
    context,
    await stabilisationReport(deps, request.projectId, current),
    "Stabilisation report",
  );
}

const SltInputs = z.object({
  choice: SltChoiceSchema,
  rationale: z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim()),
  reviewDate: z
    .string()
    .optional()
    .transform((s) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined)),
  owner: z.string().max(100).optional(),
});

/** The SLT's close / extend / transfer on the report card: close refused while the exit criteria fail. */
export async function handleSltDecision(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key, turn }) => {
    const parsed = SltInputs.safeParse(data);
    if (!parsed.success) {
      const reason = "Pick close, extend or transfer, and give the rationale. Nothing was changed.";
      await recordRefusal(deps, scope, { attempted: verb, reason, idempotencyKey: key });
      return reason;
    }
    const input = parsed.data;
    const owner = input.owner
      ? scope.state.roles.find((a) => a.person.objectId === input.owner?.toLowerCase())?.person
      : undefined;
    const result = await changeFromCard(deps, scope, { key, turn }, verb, (state) =>
      decideSlt(state, scope.actor, {
        choice: input.choice,
        rationale: input.rationale,
        today: today(state, deps.clock()),
        ...(input.reviewDate ? { reviewDate: input.reviewDate } : {}),
        ...(owner ? { owner } : {}),
      }),
    );
    if (result.status === "refused") return resultMessage(result);
    if (!result.state) return resultMessage(result);
    const card = await stabilisationReport(deps, scope.projectId, result.state);
    if (turn.recorded && context.activity.replyToId) {
      try {
        const update = MessageFactory.attachment(CardFactory.adaptiveCard(card));
        update.id = context.activity.replyToId;
        await context.updateActivity(update);
      } catch (error) {
        deps.logger.warn("posted stabilisation report not updated", { ...errorProperties(error) });
      }
    }
    return card;
  });
}

/**
 * `audit thresholds` shows the thresholds; `audit threshold {measure|confidence|follow-ups} {value}` changes one
 * (quality lead or project lead), before and after in the log.
 */
export async function auditThresholds(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: {
    projectId: string;
    state: ProjectState;
    actor: Actor;
    key: string;
    change?: { what: string; value: string };
  },
): Promise<void> {
  const current = request.state.stabilisation.thresholds;
  const describe = (t: typeof current) =>
    `${AUDIT_MEASURES.map((m) => `${MEASURE_TITLES[m]} ${t.measures[m]}%`).join(", ")}; staff confidence ${t.confidencePercent}% (4 or 5 of 5); follow-up audits at ${t.followUpMonths.join(", ")} months.`;
  if (!request.change) {
    return replyText(
      context,
      `Stabilisation thresholds: ${describe(current)} The quality lead or project lead changes one with audit threshold {measure} {percent}, e.g. audit threshold care-plan-access 98.`,
    );
  }
  const { what, value } = request.change;
  const after = structuredClone(current);
  if (what === "confidence") after.confidencePercent = Number(value);
  else if (what === "follow-ups" || what === "followups") {
    after.followUpMonths = value.split(",").map((v) => Number(v.trim()));
  } else if ((AUDIT_MEASURES as readonly string[]).includes(what)) {
    after.measures[what as (typeof AUDIT_MEASURES)[number]] = Number(value);
  } else {
    return replyText(
      context,
      `"${what.slice(0, 30)}" is not a threshold. Use one of ${AUDIT_MEASURES.join(", ")}, confidence or follow-ups. Nothing was changed.`,
    );
  }
  const valid = StabilisationThresholdsSchema.safeParse(after);
  if (!valid.success) {
    return replyText(
      context,
      "Percentages are whole numbers from 1 to 100; follow-ups are months from 1 to 24, e.g. 1,3,6. Nothing was changed.",
    );
  }
  const result = await changeFromChat(deps, turn, request, "audit threshold", (state) =>
    decideStabilisationThresholds(state, request.actor, valid.data),
  );
  if (result.status === "refused") return replyText(context, resultMessage(result));
  const now = result.state?.stabilisation.thresholds ?? valid.data;
  await replyText(context, `${resultMessage(result)} Now: ${describe(now)}`);
}
