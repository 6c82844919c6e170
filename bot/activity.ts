import type { Activity } from "botbuilder";
import type { Actor } from "../governance/events.js";
import type { ChannelBinding } from "../governance/project.js";

export type ConversationScope = "channel" | "groupChat" | "personal";

/** Where an activity came from, in the terms the governance rules use. */
export interface Origin {
  scope: ConversationScope;
  /** A channel's id (threads of one channel share it), or the chat's id. */
  conversationKey: string;
  tenantId: string | undefined;
  /** For a team channel: the binding a project set up here would have. */
  binding?: ChannelBinding;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
  channel?: { id?: string };
}

export function originOf(activity: Partial<Activity>): Origin {
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const tenantId = channelData.tenant?.id ?? activity.conversation?.tenantId;
  const conversationId = activity.conversation?.id ?? "";
  const type = activity.conversation?.conversationType;
  const channelId =
    channelData.channel?.id ?? (type === "channel" ? conversationId.split(";")[0] : undefined);
  if (channelId) {
    return {
      scope: "channel",
      conversationKey: channelId,
      tenantId,
      binding: {
        tenantId: tenantId ?? "",
        ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
        channelId,
      },
    };
  }
  return {
    scope: type === "groupChat" || activity.conversation?.isGroup ? "groupChat" : "personal",
    conversationKey: conversationId,
    tenantId,
  };
}

/** The person acting, by Entra object id. Undefined when Teams did not say (then nothing may be changed). */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function actorOf(activity: Partial<Activity>): Actor | undefined {
  const from = activity.from;
  // Roles are held by Entra object id: anything else (a guest without one, a malformed id) can change nothing.
  if (!from?.aadObjectId || !GUID.test(from.aadObjectId)) return undefined;
  const origin = originOf(activity);
  return {
    objectId: from.aadObjectId.toLowerCase(),
    name: (from.name ?? "Unknown person").slice(0, 200),
    ...(origin.tenantId ? { tenantId: origin.tenantId } : {}),
  };
}
