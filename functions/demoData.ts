import type { ChannelBinding } from "../governance/project.js";
import type { Role } from "../governance/roles.js";

/**
 * A small, realistic provider for trying the product: a residential care home and a home-care branch going live
 * on a new ECM together. The same people are the Agents Playground's users, so what a person tries in the
 * Playground (mentions, roles) matches the demo project. Later features add their own data here.
 */
export interface DemoPerson {
  objectId: string;
  name: string;
  /** The Teams user id, for people who are also in the Playground's team. */
  teamsId?: string;
  roles: Array<{ role: Role; site?: string }>;
}

export const DEMO_TENANT_ID = "6d2f4c1a-8b3e-4f7a-9c5d-0e1f2a3b4c5d";
export const DEMO_PROJECT_NAME = "Oak House & Riverside ECM go-live";
export const DEMO_SITES = ["Oak House care home", "Riverside home care"];
export const DEMO_TEAM = {
  id: "19:golive-general@thread.tacv2",
  name: "Oak House & Riverside",
  aadGroupId: "b1c2d3e4-0000-4000-8000-00000000a001",
  /** The General channel's id is the team's id in Teams. */
  generalChannelId: "19:golive-general@thread.tacv2",
  otherChannel: { id: "19:golive-cutover@thread.tacv2", name: "Cutover" },
};

const id = (n: number) => `d0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** The person using the Playground: the demo project's lead (and a board member, to try every command). */
export const DEMO_LEAD: DemoPerson = {
  objectId: id(100),
  name: "Priya Shah",
  teamsId: "29:priya-shah",
  roles: [{ role: "project-lead" }, { role: "board-member" }],
};

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    objectId: id(1),
    name: "Margaret Ellis",
    teamsId: "29:margaret-ellis",
    roles: [{ role: "board-chair" }, { role: "slt" }],
  },
  {
    objectId: id(4),
    name: "Grace Mensah",
    teamsId: "29:grace-mensah",
    roles: [{ role: "registered-manager", site: "Oak House care home" }],
  },
  {
    objectId: id(5),
    name: "Tom Okafor",
    teamsId: "29:tom-okafor",
    roles: [{ role: "registered-manager", site: "Riverside home care" }],
  },
  { objectId: id(6), name: "Aisha Rahman", teamsId: "29:aisha-rahman", roles: [{ role: "quality-lead" }] },
  { objectId: id(8), name: "Lucy Evans", teamsId: "29:lucy-evans", roles: [{ role: "team-leader" }] },
  { objectId: id(2), name: "David Okoye", roles: [{ role: "board-member" }] },
  { objectId: id(3), name: "Sarah Lin", roles: [{ role: "board-member" }] },
  { objectId: id(7), name: "Ben Carter", roles: [{ role: "operations-lead" }] },
  { objectId: id(9), name: "Jamal Hussain", roles: [{ role: "team-leader" }] },
  { objectId: id(10), name: "Nina Kowalski (CareSys support)", roles: [{ role: "supplier" }] },
  { objectId: id(11), name: "Helen Price", roles: [{ role: "slt" }] },
];

/** Where the demo project lives: the Playground's General channel, led by the Playground's user. */
export const DEMO_BINDING: ChannelBinding = {
  tenantId: DEMO_TENANT_ID,
  teamId: DEMO_TEAM.id,
  channelId: DEMO_TEAM.generalChannelId,
};
