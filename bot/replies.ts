import { CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import type { AdaptiveCard } from "../adaptive-cards/cards.js";

export async function replyText(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity(MessageFactory.text(text));
}

export async function replyCard(context: TurnContext, card: AdaptiveCard, summary?: string): Promise<void> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  if (summary) activity.summary = summary;
  await context.sendActivity(activity);
}

/** Plain-language answers when something outside the person's control went wrong. */
export const FAILURE_MESSAGES = {
  storeUnavailable:
    "Nothing was recorded: the governance log could not be reached just now. Please try again in a minute.",
  storeStoppedWhileRecording:
    "The governance log stopped answering while I was recording this, so I cannot confirm it was recorded. In a minute, type roles or log verify to check before trying again.",
  storeBusy: "Nothing was recorded: many changes to this project arrived at once. Please try again.",
  recordedButNotShown:
    "Your change was recorded, but the reply could not be shown. Type roles or log verify to see the project as it is now.",
  unexpected:
    "Something went wrong and nothing was recorded. Please try again; if it keeps happening, tell your IT lead.",
  unknownPerson:
    "Teams did not say who you are (no Entra ID came with your message), so nothing can be changed. Are you signed in as a guest?",
} as const;
