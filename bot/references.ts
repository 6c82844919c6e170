import { type Activity, TurnContext } from "botbuilder";
import type { ConversationReferenceStore } from "../store/conversationReferences.js";
import { originOf } from "./activity.js";

/**
 * Keeps each conversation's reference fresh: stored on install and refreshed from every activity (Teams may
 * move a conversation to another serviceUrl). Writes only when something changed, so a busy channel costs no
 * extra storage writes.
 */
export class ConversationReferenceKeeper {
  /** What is stored per conversation, as this process last wrote or read it. */
  private readonly known = new Map<string, { fingerprint: string; tenantId: string }>();

  constructor(
    private readonly store: ConversationReferenceStore,
    private readonly clock: () => Date,
  ) {}

  /**
   * Returns "foreign-tenant" (and stores nothing) when the activity comes from a tenant other than the one the
   * conversation's reference was stored for: proactive posts must keep going where the project's tenant is.
   */
  async refresh(activity: Activity, installed = true): Promise<"stored" | "unchanged" | "foreign-tenant"> {
    const origin = originOf(activity);
    if (!origin.conversationKey || !activity.serviceUrl) return "unchanged";
    const tenantId = origin.tenantId ?? "";
    const reference = TurnContext.getConversationReference(activity);
    // A channel's reference points at the channel, not at the thread this message was in.
    if (origin.scope === "channel" && reference.conversation) {
      reference.conversation = { ...reference.conversation, id: origin.conversationKey };
    }
    delete reference.activityId;
    const fingerprint = JSON.stringify([reference, installed]);
    let known = this.known.get(origin.conversationKey);
    if (!known) {
      const stored = await this.store.get(origin.conversationKey);
      if (stored)
        known = {
          fingerprint: JSON.stringify([stored.reference, stored.installed]),
          tenantId: stored.tenantId,
        };
    }
    if (known?.tenantId && known.tenantId !== tenantId) return "foreign-tenant";
    if (known?.fingerprint === fingerprint) {
      this.remember(origin.conversationKey, known);
      return "unchanged";
    }
    await this.store.save({
      conversationKey: origin.conversationKey,
      tenantId,
      reference: reference as unknown as Record<string, unknown>,
      installed,
      updatedAt: this.clock().toISOString(),
    });
    this.remember(origin.conversationKey, { fingerprint, tenantId });
    return "stored";
  }

  private remember(key: string, value: { fingerprint: string; tenantId: string }): void {
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(key, value);
  }
}
