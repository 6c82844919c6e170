import { type Activity, TurnContext } from "botbuilder";
import type { ConversationReferenceStore } from "../store/conversationReferences.js";
import { type Origin, originOf } from "./activity.js";

/**
 * Keeps each conversation's reference fresh: stored on install and refreshed from every activity (Teams may
 * move a conversation to another serviceUrl). Writes only when something changed, so a busy channel costs no
 * extra storage writes.
 */
export class ConversationReferenceKeeper {
  /** The reference as this process last wrote it, per conversation. */
  private readonly written = new Map<string, string>();
  /** The tenant that owns each channel, once known: a project's tenant never changes. */
  private readonly owners = new Map<string, string>();

  /**
   * @param ownerTenantOf The tenant a conversation belongs to — for a channel with a go-live project, the
   *   project's tenant — or undefined when nobody owns it yet.
   */
  constructor(
    private readonly store: ConversationReferenceStore,
    private readonly clock: () => Date,
    private readonly ownerTenantOf: (origin: Origin) => Promise<string | undefined>,
  ) {}

  /**
   * Returns "foreign-tenant", and stores nothing, for an activity from a tenant other than the owner's: the
   * reference that proactive posts (digests, reminders) use must keep pointing at the project's own tenant.
   */
  async refresh(activity: Activity, installed = true): Promise<"stored" | "unchanged" | "foreign-tenant"> {
    const origin = originOf(activity);
    if (!origin.conversationKey || !activity.serviceUrl) return "unchanged";
    const tenantId = origin.tenantId ?? "";
    const owner = await this.ownerOf(origin);
    if (owner !== undefined && owner !== tenantId) return "foreign-tenant";

    const reference = TurnContext.getConversationReference(activity);
    // A channel's reference points at the channel, not at the thread this message was in, and keeps no person:
    // posting to a channel needs none, and who acted last (and when) must not sit beside an anonymous answer.
    if (origin.scope === "channel" && reference.conversation) {
      reference.conversation = { ...reference.conversation, id: origin.conversationKey };
      delete (reference as { user?: unknown; locale?: unknown }).user;
      delete (reference as { locale?: unknown }).locale;
    }
    delete reference.activityId;
    // An install or removal is always written: the stored flag may have been changed meanwhile (a post refused
    // with 403 marks the channel as not installed), and re-adding the app must undo that.
    if (activity.type === "installationUpdate") this.written.delete(origin.conversationKey);
    const fingerprint = JSON.stringify([reference, installed, tenantId]);
    if (this.written.get(origin.conversationKey) === fingerprint) return "unchanged";
    await this.store.save({
      conversationKey: origin.conversationKey,
      tenantId,
      reference: reference as unknown as Record<string, unknown>,
      installed,
      updatedAt: this.clock().toISOString(),
    });
    if (this.written.size > 10_000) this.written.clear();
    this.written.set(origin.conversationKey, fingerprint);
    return "stored";
  }

  private async ownerOf(origin: Origin): Promise<string | undefined> {
    const known = this.owners.get(origin.conversationKey);
    if (known !== undefined) return known;
    const owner = await this.ownerTenantOf(origin);
    if (owner !== undefined) {
      if (this.owners.size > 10_000) this.owners.clear();
      this.owners.set(origin.conversationKey, owner);
    }
    return owner;
  }
}
