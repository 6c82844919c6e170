import { randomUUID } from "node:crypto";
import type { Actor } from "../../governance/events.js";
import type { ChannelBinding } from "../../governance/project.js";

/** People and places of a small care provider, for tests. Object ids are fixed so failures read clearly. */
export const TENANT_ID = "7a1c2f4e-0000-4000-8000-00000000c4e1";
export const OTHER_TENANT_ID = "0b0b0b0b-0000-4000-8000-0000000000ff";

export const PEOPLE = {
  priya: { objectId: "aa000000-0000-4000-8000-000000000001", name: "Priya Shah", teamsId: "29:priya" },
  tom: { objectId: "aa000000-0000-4000-8000-000000000002", name: "Tom Okafor", teamsId: "29:tom" },
  grace: { objectId: "aa000000-0000-4000-8000-000000000003", name: "Grace Mensah", teamsId: "29:grace" },
  dev: { objectId: "aa000000-0000-4000-8000-000000000004", name: "Dev Patel", teamsId: "29:dev" },
} as const;

/** A person in Teams: their Entra object id (what roles are held by), display name and Teams user id. */
export interface Someone {
  readonly objectId: string;
  readonly name: string;
  readonly teamsId: string;
}

export function actor(person: Someone, tenantId = TENANT_ID): Actor {
  return { objectId: person.objectId, name: person.name, tenantId };
}

export function newChannel(): ChannelBinding {
  const id = randomUUID().replace(/-/g, "");
  return { tenantId: TENANT_ID, teamId: `19:team${id}@thread.tacv2`, channelId: `19:${id}@thread.tacv2` };
}
