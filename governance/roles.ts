import { z } from "zod";

/**
 * The project roles of the domain page. Roles are held per project, by Entra ID object id; one person can hold
 * several. A registered manager may be scoped to one site.
 */
export const ROLES = [
  "project-lead",
  "board-member",
  "board-chair",
  "registered-manager",
  "quality-lead",
  "operations-lead",
  "team-leader",
  "supplier",
  "slt",
] as const;

export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** How each role reads to a care manager. */
export const ROLE_TITLES: Record<Role, string> = {
  "project-lead": "Project lead",
  "board-member": "Project board member",
  "board-chair": "Project board chair",
  "registered-manager": "Registered manager",
  "quality-lead": "Quality lead",
  "operations-lead": "Operations lead",
  "team-leader": "Team leader",
  supplier: "Supplier / system lead",
  slt: "Senior leadership team",
};

/** Words people type for a role, mapped to the role. Keys are lower case with spaces and dashes removed. */
const ROLE_ALIASES: Record<string, Role> = {
  projectlead: "project-lead",
  lead: "project-lead",
  pl: "project-lead",
  board: "board-member",
  boardmember: "board-member",
  projectboard: "board-member",
  chair: "board-chair",
  boardchair: "board-chair",
  registeredmanager: "registered-manager",
  manager: "registered-manager",
  rm: "registered-manager",
  qualitylead: "quality-lead",
  quality: "quality-lead",
  operationslead: "operations-lead",
  operations: "operations-lead",
  opslead: "operations-lead",
  teamleader: "team-leader",
  teamlead: "team-leader",
  supplier: "supplier",
  systemlead: "supplier",
  slt: "slt",
  seniorleadershipteam: "slt",
  seniorleadership: "slt",
};

export function parseRole(word: string): Role | undefined {
  return ROLE_ALIASES[word.toLowerCase().replace(/[\s_-]+/g, "")];
}

export const EntraObjectIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "an Entra object id (a GUID)")
  .transform((id) => id.toLowerCase());

export const PersonSchema = z.object({
  /** Entra ID object id: the identity every role check uses. */
  objectId: EntraObjectIdSchema,
  /** Display name as Teams gave it when the role was given; for people reading the log, never for checks. */
  name: z.string().max(200),
});
export type Person = z.infer<typeof PersonSchema>;

export const RoleAssignmentSchema = z.object({
  role: RoleSchema,
  person: PersonSchema,
  /** Only for a registered manager: the site they are registered for. Absent means every site. */
  site: z.string().max(80).optional(),
});
export type RoleAssignment = z.infer<typeof RoleAssignmentSchema>;

export function rolesOf(assignments: readonly RoleAssignment[], objectId: string): Set<Role> {
  const id = objectId.toLowerCase();
  const roles = new Set<Role>();
  for (const a of assignments) if (a.person.objectId === id) roles.add(a.role);
  // The chair is a board member: every right of a board member is also the chair's.
  if (roles.has("board-chair")) roles.add("board-member");
  return roles;
}
