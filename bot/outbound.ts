import type { TeamsAdapter } from "@microsoft/teams-ai";
import type { Activity, ConversationReference } from "botbuilder";
import type { ConversationReferenceStore } from "../store/conversationReferences.js";

/** Nothing can be posted: the app is not installed in the channel, or Teams never told us where it is. */
export class ChannelUnreachableError extends Error {
  override readonly name = "ChannelUnreachableError";
}

/**
 * Posts into a project's channel when the person is not talking there (a raise from personal chat). Uses the
 * channel's stored conversation reference; every send is awaited and a failure is reported, never dropped.
 */
export interface ChannelPoster {
  /** Starts a new post in the channel (or replies under one); returns the posted activity's id. */
  postToChannel(
    channelId: string,
    activity: Partial<Activity>,
    options?: { replyTo?: string },
  ): Promise<string | undefined>;
}

export function channelPoster(
  adapter: TeamsAdapter,
  references: ConversationReferenceStore,
  botAppId: string,
): ChannelPoster {
  return {
    async postToChannel(channelId, activity, options = {}) {
      const stored = await references.get(channelId);
      if (!stored?.installed) {
        throw new ChannelUnreachableError("The app is not installed in the project's channel.");
      }
      let postedId: string | undefined;
      const reference = stored.reference as Partial<ConversationReference>;
      // A reply goes into the post's thread: Teams names a thread by the channel id and the post's message id.
      const target = options.replyTo
        ? {
            ...reference,
            conversation: { ...reference.conversation, id: `${channelId};messageid=${options.replyTo}` },
          }
        : reference;
      await adapter.continueConversationAsync(
        botAppId,
        target as Partial<ConversationReference>,
        async (context) => {
          postedId = (await context.sendActivity(activity))?.id;
        },
      );
      return postedId;
    },
  };
}
