import { randomBytes } from "node:crypto";
import { Application, TeamsAdapter } from "@microsoft/teams-ai";
import { ActivityTypes, type TurnContext } from "botbuilder";
import { type AdaptiveCard, SETUP_VERB } from "../adaptive-cards/cards.js";
import { DECISION_VERBS } from "../adaptive-cards/decisionCards.js";
import { DIGEST_VERBS } from "../adaptive-cards/digestCards.js";
import { ISSUE_VERBS } from "../adaptive-cards/issueCards.js";
import { READINESS_VERBS } from "../adaptive-cards/readinessCards.js";
import { STABILISATION_VERBS } from "../adaptive-cards/stabilisationCards.js";
import { projectIdForChannel } from "../governance/project.js";
import type { ConversationReferenceStore } from "../store/conversationReferences.js";
import type { GovernanceLog } from "../store/governanceLog.js";
import { handleSetupCardSave } from "./cardActions.js";
import { cardActionKey, handleUnknownCardAction, refuseIfPersonalData } from "./cardScope.js";
import { type ConversationDependencies, handleMessage, RECENTLY_CONFIRMED_MS } from "./conversation.js";
import { handleDecisionAction } from "./decisionActions.js";
import { handleDigestDecision } from "./digestActions.js";
import type { EvidenceDependencies } from "./evidenceCommand.js";
import { handleIssueAction, handleIssuePage, handleRaiseIn, handleTargetsSave } from "./issueActions.js";
import { consoleLogger, errorProperties, type Logger } from "./logger.js";
import { type ChannelPoster, channelPoster, outboundSender } from "./outbound.js";
import { privateSender } from "./privateMessage.js";
import { handleReadinessAction } from "./readinessActions.js";
import { ConversationReferenceKeeper } from "./references.js";
import { replyText } from "./replies.js";
import {
  handleAuditSave,
  handlePulseAnswer,
  handlePulseResults,
  handleRiskAction,
  handleSltDecision,
} from "./stabilisationActions.js";
import { answerBadTokensWith401 } from "./tokenRefusals.js";

/** Bot Framework credentials. Absent only on the local host, which then listens on loopback alone. */
export interface BotCredentials {
  appId: string;
  appType: "SingleTenant" | "UserAssignedMSI" | "MultiTenant";
  tenantId?: string;
  password?: string;
  /**
   * Where the Bot Framework's signing keys are published and which issuer its tokens carry. Absent (always, in
   * Azure): the public cloud's. Set only by tests, which sign tokens with their own key and serve it locally.
   */
  channelAuthentication?: { openIdMetadataUrl: string; tokenIssuer: string };
}

export interface GovernanceBotOptions {
  log: GovernanceLog;
  references: ConversationReferenceStore;
  credentials?: BotCredentials;
  clock?: () => Date;
  logger?: Logger;
  /** Key for anonymous pulse answers (ANONYMITY_KEY); kept out of storage. */
  anonymityKey?: string;
  /** Blob Storage for evidence packs, and how long their links work. Absent: `evidence` says it is not set up. */
  evidence?: { store: EvidenceDependencies["store"]; linkLifetimeMs: number };
}

export interface GovernanceBot {
  adapter: TeamsAdapter;
  app: Application;
  /**
   * Proactive posts for scheduled reviews: the full retry budget, and a channel that blocks the app (403) is
   * recorded in its project's governance log. Shares the per-thread rate limits with the bot's own posts.
   */
  reviewSender: ChannelPoster;
  /** With credentials every request must carry a Bot Framework token (production); without, none is asked. */
  requiresToken: boolean;
}

const WELCOME =
  "Hello. I keep the governance of your ECM go-live: readiness decisions, the go-live command log and its evidence. In the channel where your go-live is run, @mention me and type setup {project name} to start, or help to see what I can do.";

export function createGovernanceBot(options: GovernanceBotOptions): GovernanceBot {
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? consoleLogger();
  const c = options.credentials;
  const adapter = new TeamsAdapter(
    c
      ? {
          MicrosoftAppId: c.appId,
          MicrosoftAppType: c.appType,
          ...(c.tenantId ? { MicrosoftAppTenantId: c.tenantId } : {}),
          ...(c.password ? { MicrosoftAppPassword: c.password } : {}),
          ...(c.channelAuthentication
            ? {
                // botbuilder takes every endpoint once one is given: the rest are the public cloud's own values.
                ToBotFromChannelOpenIdMetadataUrl: c.channelAuthentication.openIdMetadataUrl,
                ToBotFromEmulatorOpenIdMetadataUrl: c.channelAuthentication.openIdMetadataUrl,
                ToBotFromChannelTokenIssuer: c.channelAuthentication.tokenIssuer,
                ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
                ToChannelFromBotOAuthScope: "https://api.botframework.com",
                OAuthUrl: "https://api.botframework.com",
                CallerId: "urn:botframework:azure",
                ValidateAuthority: true,
              }
            : {}),
        }
      : {},
  );
  if (c) answerBadTokensWith401(adapter);
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    // Only reached when a handler let an error escape: log it and answer plainly, never with the error's text.
    logger.error("unhandled turn error", { activityId: context.activity.id, ...errorProperties(error) });
    if (context.activity.type === ActivityTypes.Message) {
      await replyText(context, "Something went wrong and nothing was recorded. Please try again.");
    }
  };

  const app = new Application({
    adapter,
    // The bot answers within a second or two: no typing indicator (it would be one more call per message).
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
  });
  const poster = channelPoster(adapter, options.references, c?.appId ?? "");
  const deps: ConversationDependencies = {
    log: options.log,
    clock,
    logger,
    references: options.references,
    poster,
    // Without a configured key, one per process: anonymous answers can then be replaced until a restart.
    anonymityKey: options.anonymityKey ?? randomBytes(32).toString("hex"),
    ...(options.evidence
      ? { evidence: { ...options.evidence, sendPrivately: privateSender(c?.appId ?? "") } }
      : {}),
  };
  // A channel with a go-live project belongs to the project's tenant; other conversations to nobody in particular.
  const keeper = new ConversationReferenceKeeper(options.references, clock, async (origin) =>
    origin.scope === "channel"
      ? (
          await options.log.readState(projectIdForChannel(origin.conversationKey), {
            maxAgeMs: RECENTLY_CONFIRMED_MS,
          })
        )?.project.binding.tenantId
      : undefined,
  );

  app.turn("beforeTurn", async (context) => {
    const installed = !(
      context.activity.type === "installationUpdate" && context.activity.action?.startsWith("remove")
    );
    try {
      const outcome = await keeper.refresh(context.activity, installed);
      if (outcome === "foreign-tenant") {
        logger.warn("conversation reference kept: activity from another tenant", {
          activityId: context.activity.id,
        });
      }
    } catch (error) {
      // The person's request still deserves an answer; the reference is written again on their next activity.
      logger.error("conversation reference not saved", {
        activityId: context.activity.id,
        ...errorProperties(error),
      });
    }
    return true;
  });

  app.activity(ActivityTypes.Message, async (context) => handleMessage(context, deps));

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    if (context.activity.action === "add") await replyText(context, WELCOME);
  });

  /** Every card action: text holding an NHS number is refused before anything else looks at it. */
  const onCard = (
    verbs: string | RegExp | string[],
    handler: (context: TurnContext, verb: string, data: unknown) => Promise<AdaptiveCard | string>,
  ) =>
    app.adaptiveCards.actionExecute(verbs, async (context, _state, data) => {
      const verb = String(context.activity.value?.action?.verb ?? "").slice(0, 60);
      return (await refuseIfPersonalData(context, deps, verb, data)) ?? handler(context, verb, data);
    });

  onCard(SETUP_VERB, (context, _verb, data) => handleSetupCardSave(context, deps, data));
  onCard(Object.values(DECISION_VERBS), (context, verb, data) =>
    handleDecisionAction(context, deps, verb, data),
  );
  onCard(Object.values(READINESS_VERBS), (context, verb, data) =>
    handleReadinessAction(context, deps, verb, data),
  );
  onCard(ISSUE_VERBS.page, (context, verb, data) => handleIssuePage(context, deps, verb, data));
  onCard(DIGEST_VERBS.decide, (context, verb, data) => handleDigestDecision(context, deps, verb, data));
  onCard(STABILISATION_VERBS.audit, (context, verb, data) => handleAuditSave(context, deps, verb, data));
  onCard(STABILISATION_VERBS.pulseAnswer, (context, verb, data) =>
    handlePulseAnswer(context, deps, verb, data),
  );
  onCard(STABILISATION_VERBS.pulseResults, (context, verb, data) =>
    handlePulseResults(context, deps, verb, data),
  );
  onCard([STABILISATION_VERBS.riskUpdate, STABILISATION_VERBS.riskClose], (context, verb, data) =>
    handleRiskAction(context, deps, verb, data),
  );
  onCard(STABILISATION_VERBS.decide, (context, verb, data) => handleSltDecision(context, deps, verb, data));
  onCard(ISSUE_VERBS.targets, (context, verb, data) => handleTargetsSave(context, deps, verb, data));
  onCard(ISSUE_VERBS.raiseIn, (context, verb, data) => handleRaiseIn(context, deps, verb, data));
  onCard(
    Object.values(ISSUE_VERBS).filter(
      (v) => v !== ISSUE_VERBS.page && v !== ISSUE_VERBS.targets && v !== ISSUE_VERBS.raiseIn,
    ),
    (context, verb, data) => handleIssueAction(context, deps, verb, data),
  );

  // Registered last: any other verb (an old card, a crafted request) gets a clear refusal, which is logged.
  onCard(/.*/, (context, verb, data) =>
    handleUnknownCardAction(context, deps, verb, data, cardActionKey(context, verb, data)),
  );

  const reviewSender = outboundSender({
    adapter,
    references: options.references,
    botAppId: c?.appId ?? "",
    onBlocked: async (channelId, detail) => {
      await options.log.change({
        projectId: projectIdForChannel(channelId),
        idempotencyKey: `blocked:${channelId}:${clock().toISOString().slice(0, 13)}`,
        actor: { objectId: "00000000-0000-0000-0000-000000000000", name: "Scheduled review" },
        decide: (state) =>
          state
            ? { outcome: "record", events: [{ kind: "channel.blocked", detail: detail.slice(0, 300) }] }
            : { outcome: "unchanged", message: "no project" },
      });
    },
  });
  return { adapter, app, reviewSender, requiresToken: c !== undefined };
}
