import type { Activity, CloudAdapterBase, ConversationParameters, TurnContext } from "botbuilder";

/** Sends one activity to the person behind a turn, in their one-to-one chat with the bot. */
export type PrivateSender = (context: TurnContext, activity: Partial<Activity>) => Promise<void>;

export class PrivateMessageError extends Error {
  override name = "PrivateMessageError";
}

/**
 * A private message from a channel turn: Teams opens (or finds) the one-to-one chat between the bot and the
 * person, and the message goes there, not into the channel — for what only the person may see, like an evidence
 * pack's links. Errors are thrown, never swallowed: the caller tells the person in the channel.
 */
export function privateSender(botAppId: string): PrivateSender {
  return async (context, activity) => {
    const a = context.activity;
    const tenantId =
      (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
    if (!a.serviceUrl || !a.from?.id) throw new PrivateMessageError("Teams did not say who is asking.");
    const parameters = {
      isGroup: false,
      bot: a.recipient,
      members: [{ id: a.from.id, name: a.from.name }],
      ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
    } as ConversationParameters;
    let outcome: { ok: true } | { ok: false; error: unknown } | undefined;
    const adapter = context.adapter as CloudAdapterBase;
    await adapter.createConversationAsync(
      botAppId,
      a.channelId ?? "msteams",
      a.serviceUrl,
      // The connector's default audience (the Bot Framework channel) is the right one for Teams.
      undefined as unknown as string,
      parameters,
      async (privateContext) => {
        try {
          await privateContext.sendActivity(activity);
          outcome = { ok: true };
        } catch (error) {
          outcome = { ok: false, error };
        }
      },
    );
    if (!outcome) throw new PrivateMessageError("The private chat could not be opened.");
    if (!outcome.ok) throw outcome.error;
  };
}
