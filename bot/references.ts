import { type Activity, TurnContext } from "botbuilder";
import type { ConversationReferenceStore } from "../store/conversationReferences.js";
import { originOf } from "./activity.js";

/**
 * Keeps each conversation's reference fresh: stored on install and refreshed from every activity (Teams may
 * move a conversation to another serviceUrl). Writes only when something changed, so a busy channel costs no
 * extra storage writes.
 */
export class ConversationReferenceKeeper {
  private readonly lastWritten = new Map<string, string>();

  constructor(
    private readonly store: ConversationReferenceStore,
    private readonly clock: () => Date,
  ) {}

  async refresh(activity: Activity, installed = true): Promise<void> {
    const origin = originOf(activity);
    if (!origin.conversationKey || !activity.serviceUrl) return;
    const reference = TurnContext.getConversationReference(activity);
    // A channel's reference points at the channel, not at the thread this message was in.
    if (origin.scope === "channel" && reference.conversation) {
      reference.conversation = { ...reference.conversation, id: origin.conversationKey };
    }
    delete reference.activityId;
    const fingerprint = JSON.stringify([reference, installed]);
    if (this.lastWritten.get(origin.conversationKey) === fingerprint) return;
    await this.store.save({
      conversationKey: origin.conversationKey,
      tenantId: origin.tenantId ?? "",
      reference: reference as unknown as Record<string, unknown>,
      installed,
      updatedAt: this.clock().toISOString(),
    });
    if (this.lastWritten.size > 10_000) this.lastWritten.clear();
    this.lastWritten.set(origin.conversationKey, fingerprint);
  }
}
