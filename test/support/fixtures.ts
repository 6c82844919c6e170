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

/** Someone else at the provider, by a number that makes their fixed object id (9 → …000000000009). */
export function someone(n: number, name: string): Actor {
  return {
    objectId: `aa000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`,
    name,
    tenantId: TENANT_ID,
  };
}

/**
 * The care team the domain tests share, as actors: Priya (project lead), Tom (registered manager, Oak House),
 * Grace (quality lead), Dev (operations lead), Ama (registered manager, Riverside), Lucy (team leader), Sam
 * (supplier / system lead) and Nia (in the channel, with no role). Each test gives them their roles.
 */
export const CARE_TEAM = {
  priya: actor(PEOPLE.priya),
  tom: actor(PEOPLE.tom),
  grace: actor(PEOPLE.grace),
  dev: actor(PEOPLE.dev),
  ama: someone(5, "Ama Boateng"),
  lucy: someone(6, "Lucy Evans"),
  sam: someone(7, "Sam Reid"),
  nia: someone(8, "Nia Hughes"),
} as const;
