import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import type { AdaptiveCard } from "../adaptive-cards/cards.js";
import {
  READINESS_VERBS,
  type ReadinessForm,
  readinessCard,
  readinessFormCard,
} from "../adaptive-cards/readinessCards.js";
import { dateIn } from "../governance/boardDecision.js";
import type { Decision } from "../governance/decisions.js";
import type { ProjectState } from "../governance/project.js";
import {
  AssuranceRecordSchema,
  blockersOf,
  ReadinessItemSchema,
  ReadinessThresholdsSchema,
  SupportPlanSchema,
  TrainingRecordSchema,
} from "../governance/readiness.js";
import {
  decideAssuranceRecord,
  decideReadinessItem,
  decideReadinessThresholds,
  decideSupportPlan,
  decideTrainingRecord,
  readinessFormsFor,
} from "../governance/readinessDecisions.js";
import { ROLE_TITLES } from "../governance/roles.js";
import { changeFromCard, readableIssues, runCardAction } from "./cardScope.js";
import { type ConversationDependencies, resultMessage } from "./conversation.js";

/** Card inputs arrive as text: "" is "not given", numbers are typed digits. */
const text = z
  .string()
  .optional()
  .transform((s) => s ?? "");
const wholeNumber = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : typeof v === "number" ? v : undefined),
    z
      .number({ required_error: `${label} is needed`, invalid_type_error: `${label} must be a number` })
      .int(`${label} must be a whole number`),
  );

const TrainingInputs = z.object({
  site: text,
  staffRole: text,
  staff: wholeNumber("Staff in this role"),
  completed: wholeNumber("Staff who completed training"),
  confident: wholeNumber("Staff confident"),
  gaps: text,
});
const AssuranceInputs = z.object({
  recordType: z.string({ required_error: "Record type is needed" }),
  sampleSize: wholeNumber("Sample size"),
  checked: wholeNumber("Records checked"),
  discrepancies: wholeNumber("Discrepancies"),
  critical: wholeNumber("Critical discrepancies"),
  signedOff: z.preprocess((v) => v === true || v === "true", z.boolean()),
  note: text,
});
const PlanInputs = z
  .object({ escalationRoutes: text, supplierContact: text, onSiteCover: text })
  .catchall(z.unknown());
const ItemInputs = z.object({ area: z.string(), rag: z.string(), owner: text, evidence: text, note: text });
const ThresholdInputs = z.object({ trainingCompletionPercent: wholeNumber("Training completion") });

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
function parse<T>(
  inputs: z.ZodTypeAny,
  record: z.ZodType<T>,
  data: unknown,
  map?: (inputs: never) => unknown,
): Parsed<T> {
  const raw = inputs.safeParse(data);
  if (!raw.success) return { ok: false, message: readableIssues(raw.error) };
  const shaped = record.safeParse(map ? map(raw.data as never) : raw.data);
  if (!shaped.success) return { ok: false, message: readableIssues(shaped.error) };
  return { ok: true, value: shaped.data };
}

/** The decision for a submitted form, or what was wrong with it. */
function decisionFor(
  verb: string,
  state: ProjectState,
  actor: Parameters<typeof decideTrainingRecord>[1],
  data: unknown,
): Decision | string {
  switch (verb) {
    case READINESS_VERBS.training: {
      const p = parse(TrainingInputs, TrainingRecordSchema, data);
      return p.ok ? decideTrainingRecord(state, actor, p.value) : p.message;
    }
    case READINESS_VERBS.assurance: {
      const p = parse(AssuranceInputs, AssuranceRecordSchema, data);
      return p.ok ? decideAssuranceRecord(state, actor, p.value) : p.message;
    }
    case READINESS_VERBS.plan: {
      const sites = state.project.settings.sites.length > 0 ? state.project.settings.sites : ["The service"];
      const p = parse(PlanInputs, SupportPlanSchema, data, (inputs: z.infer<typeof PlanInputs>) => ({
        escalationRoutes: inputs.escalationRoutes,
        supplierContact: inputs.supplierContact,
        onSiteCover: inputs.onSiteCover,
        responsibleLeads: sites.map((site, index) => ({
          site,
          lead: typeof inputs[`lead:${index}`] === "string" ? (inputs[`lead:${index}`] as string) : "",
        })),
      }));
      return p.ok ? decideSupportPlan(state, actor, p.value) : p.message;
    }
    case READINESS_VERBS.item: {
      const p = parse(ItemInputs, ReadinessItemSchema, data);
      return p.ok ? decideReadinessItem(state, actor, p.value) : p.message;
    }
    case READINESS_VERBS.thresholds: {
      const p = parse(ThresholdInputs, ReadinessThresholdsSchema, data);
      return p.ok ? decideReadinessThresholds(state, actor, p.value) : p.message;
    }
    default:
      return "This card's button is not one I know. Nothing was changed.";
  }
}

const FORM_ROLE: Record<ReadinessForm, keyof typeof ROLE_TITLES> = {
  training: "registered-manager",
  assurance: "quality-lead",
  plan: "operations-lead",
  item: "project-lead",
  thresholds: "project-lead",
};

/**
 * The readiness checklist's card actions: show it again, open a lead's form (for that lead only), and record
 * a form. After a change everyone in the channel sees the updated checklist.
 */
export async function handleReadinessAction(
  context: TurnContext,
  deps: ConversationDependencies,
  verb: string,
  data: unknown,
): Promise<AdaptiveCard | string> {
  return runCardAction(context, deps, verb, data, async (scope, { key, turn }) => {
    const { actor, projectId, state } = scope;

    if (verb === READINESS_VERBS.show)
      return readinessCard(state, blockersOf(state), {
        today: dateIn(state.project.settings.timeZone, deps.clock()),
      });
    if (verb === READINESS_VERBS.form) {
      const form = z
        .enum(["training", "assurance", "plan", "item", "thresholds"])
        .safeParse((data as { form?: unknown }).form);
      if (!form.success) return "This card's button is not one I know. Nothing was changed.";
      const { state: fresh = state, seq } = await deps.log.readStateAt(projectId);
      if (!readinessFormsFor(fresh, actor).includes(form.data)) {
        return `Only the ${ROLE_TITLES[FORM_ROLE[form.data]].toLowerCase()} records this part of the checklist.`;
      }
      return readinessFormCard(fresh, form.data, seq);
    }

    const result = await changeFromCard(deps, scope, { key, turn }, verb, (current) => {
      const decision = decisionFor(verb, current, actor, data);
      return typeof decision === "string"
        ? { outcome: "refused", message: `Please check: ${decision}.` }
        : decision;
    });
    if (result.status === "refused") return resultMessage(result);
    if (!result.state) return resultMessage(result);
    const note = result.status === "unchanged" ? result.message : `${resultMessage(result)}`;
    const card = readinessCard(result.state, blockersOf(result.state), {
      note,
      today: dateIn(result.state.project.settings.timeZone, deps.clock()),
    });
    if (turn.recorded && context.activity.replyToId) {
      // Everyone in the channel sees the checklist as it now stands.
      const update = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      update.id = context.activity.replyToId;
      await context.updateActivity(update);
    }
    return card;
  });
}
