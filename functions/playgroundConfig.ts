import { DEMO_LEAD, DEMO_PEOPLE, DEMO_TEAM, DEMO_TENANT_ID, type DemoPerson } from "./demoData.js";

/** The bot as the Playground presents it. */
export const PLAYGROUND_BOT = { id: "28:go-live-governance-bot", name: "Go-Live Governance" };

function user(p: DemoPerson): Record<string, string> {
  const [givenName = p.name, ...rest] = p.name.split(" ");
  const handle = p.name.toLowerCase().replace(/[^a-z]+/g, ".");
  return {
    id: p.teamsId ?? p.objectId,
    name: p.name,
    userPrincipleName: `${handle}@oakriverside.example`, // the Playground's own spelling of the key
    aadObjectId: p.objectId,
    givenName,
    surname: rest.join(" ") || givenName,
    email: `${handle}@oakriverside.example`,
  };
}

/**
 * The Agents Playground's configuration (YAML; JSON is valid YAML): the demo provider's tenant, team, channels
 * and people, with Entra-shaped ids, so that setup, roles and mentions behave as in Teams. The Playground allows
 * exactly five users besides the current one.
 */
export function playgroundConfig(): string {
  const others = DEMO_PEOPLE.filter((p) => p.teamsId).slice(0, 5);
  if (others.length !== 5) throw new Error("The Playground needs exactly five other users with Teams ids.");
  const config = {
    version: "0.1.1",
    tenantId: DEMO_TENANT_ID,
    bot: PLAYGROUND_BOT,
    currentUser: user(DEMO_LEAD),
    users: others.map(user),
    personalChat: { id: "a:personal-chat-priya-shah" },
    groupChat: { id: "19:golive-managers@thread.v2", name: "Go-live managers" },
    team: {
      id: DEMO_TEAM.id,
      name: DEMO_TEAM.name,
      aadGroupId: DEMO_TEAM.aadGroupId,
      channels: [DEMO_TEAM.otherChannel],
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
