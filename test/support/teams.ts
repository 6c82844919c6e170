import type { ChannelBinding } from "../../governance/project.js";
import { type Someone, TENANT_ID } from "./fixtures.js";

/** Builders of Teams-shaped activities, as Teams sends them to `/api/messages`. */
export const BOT = { id: "28:go-live-governance-bot", name: "Go-Live Governance" };

let counter = 1_764_000_000_000;
const nextId = () => String(counter++);

export interface Where {
  serviceUrl: string;
  channel: ChannelBinding;
  tenantId?: string;
}

function channelEnvelope(where: Where, threadId: string) {
  const tenantId = where.tenantId ?? TENANT_ID;
  return {
    channelId: "msteams",
    serviceUrl: where.serviceUrl,
    conversation: {
      isGroup: true,
      conversationType: "channel",
      tenantId,
      id: `${where.channel.channelId};messageid=${threadId}`,
    },
    recipient: BOT,
    channelData: {
      teamsChannelId: where.channel.channelId,
      teamsTeamId: where.channel.teamId,
      channel: { id: where.channel.channelId },
      team: { id: where.channel.teamId },
      tenant: { id: tenantId },
    },
  };
}

/** A message in a team channel, with the bot @mentioned first, as Teams delivers it. */
export function channelMessage(
  where: Where,
  from: Someone,
  command: string,
  options: { mentions?: Someone[]; id?: string } = {},
) {
  const id = options.id ?? nextId();
  const people = options.mentions ?? [];
  let text = command;
  for (const p of people) text = text.replace(`@${p.name}`, `<at>${p.name}</at>`);
  return {
    type: "message",
    id,
    timestamp: new Date().toISOString(),
    textFormat: "plain",
    text: `<at>${BOT.name}</at> ${text}`,
    from: { id: from.teamsId, name: from.name, aadObjectId: from.objectId },
    entities: [
      { type: "mention", mentioned: BOT, text: `<at>${BOT.name}</at>` },
      ...people.map((p) => ({
        type: "mention",
        mentioned: { id: p.teamsId, name: p.name },
        text: `<at>${p.name}</at>`,
      })),
      { type: "clientInfo", locale: "en-GB", country: "GB", platform: "Web", timezone: "Europe/London" },
    ],
    locale: "en-GB",
    ...channelEnvelope(where, id),
  };
}

/** A message in a personal (one-to-one) chat with the bot. */
export function personalMessage(serviceUrl: string, from: Someone, text: string) {
  return {
    type: "message",
    id: nextId(),
    timestamp: new Date().toISOString(),
    text,
    from: { id: from.teamsId, name: from.name, aadObjectId: from.objectId },
    channelId: "msteams",
    serviceUrl,
    conversation: { conversationType: "personal", tenantId: TENANT_ID, id: `a:personal-${from.objectId}` },
    recipient: BOT,
    channelData: { tenant: { id: TENANT_ID } },
  };
}

/** Action.Execute on a card the bot posted (`replyToId` is the card message's id). */
export function cardAction(
  where: Where,
  from: Someone,
  verb: string,
  data: Record<string, unknown>,
  replyToId: string,
) {
  return {
    type: "invoke",
    name: "adaptiveCard/action",
    id: `f:${nextId()}`,
    timestamp: new Date().toISOString(),
    from: { id: from.teamsId, name: from.name, aadObjectId: from.objectId },
    replyToId,
    value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
    ...channelEnvelope(where, replyToId),
  };
}

/** The app added to (or removed from) a team: Teams' installationUpdate activity. */
export function installationUpdate(where: Where, from: Someone, action: "add" | "remove" = "add") {
  const envelope = channelEnvelope(where, nextId());
  return {
    type: "installationUpdate",
    action,
    id: nextId(),
    timestamp: new Date().toISOString(),
    from: { id: from.teamsId, name: from.name, aadObjectId: from.objectId },
    ...envelope,
    conversation: { ...envelope.conversation, id: where.channel.channelId },
  };
}
