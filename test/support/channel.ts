import { expect } from "vitest";
import type { BotHarness } from "./botHarness.js";
import { newChannel, type Someone } from "./fixtures.js";
import { cardAction, channelMessage, type Where } from "./teams.js";

/** One team channel with the bot, as people use it: messages, and buttons pressed on the cards the bot posted. */
export class TeamsChannel {
  readonly where: Where;

  constructor(private readonly h: BotHarness) {
    this.where = { serviceUrl: h.connector.url, channel: newChannel() };
  }

  /** Posts a message (after the bot's @mention) and returns all the text the bot sent in reply. */
  async say(from: Someone, text: string, mentions: Someone[] = []): Promise<string> {
    this.h.connector.clear();
    const response = await this.h.post(channelMessage(this.where, from, text, { mentions }));
    expect(response.status).toBe(200);
    return this.h.connector.texts().join("\n");
  }

  /** The last card the bot posted or returned that has a button with this verb. */
  lastCardWith(
    verb: string,
    cards: Array<Record<string, unknown>> = this.h.connector.cards(),
  ): Record<string, unknown> {
    const card = [...cards].reverse().find((c) => JSON.stringify(c).includes(`"verb":"${verb}"`));
    if (!card) throw new Error(`no card with a ${verb} button`);
    return card;
  }

  /** The data of the button with this verb (and, if given, matching fields) on a card. */
  buttonData(
    card: Record<string, unknown>,
    verb: string,
    match: Record<string, unknown> = {},
  ): Record<string, unknown> {
    const actions = (card.actions ?? []) as Array<{ verb?: string; data?: Record<string, unknown> }>;
    const action = actions.find(
      (a) => a.verb === verb && Object.entries(match).every(([k, v]) => a.data?.[k] === v),
    );
    if (!action?.data) throw new Error(`no ${verb} button on the card`);
    return action.data;
  }

  /**
   * Presses a button (Action.Execute) with the card's data plus the person's inputs. Returns what Teams gets
   * back: a card (`card`) or a message (`message`).
   */
  async press(
    from: Someone,
    verb: string,
    data: Record<string, unknown>,
    options: { replyToId?: string; tenantId?: string } = {},
  ): Promise<{ card?: Record<string, unknown>; message?: string; status: number }> {
    const where = options.tenantId ? { ...this.where, tenantId: options.tenantId } : this.where;
    const response = await this.h.post(
      cardAction(where, from, verb, data, options.replyToId ?? "card-message-1"),
    );
    const body = response.body ? (JSON.parse(response.body) as { type?: string; value?: unknown }) : {};
    if (body.type === "application/vnd.microsoft.card.adaptive") {
      return { card: body.value as Record<string, unknown>, status: response.status };
    }
    return { message: String(body.value ?? ""), status: response.status };
  }
}

/** The data of the button (Action.Execute) with this verb anywhere on a card, however deeply it is nested. */
export function buttonAnywhere(card: unknown, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "Action.Execute" && o.verb === verb) found = (o.data ?? {}) as Record<string, unknown>;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  if (!found) throw new Error(`no ${verb} button on the card`);
  return found;
}
