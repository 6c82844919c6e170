import { type Decision, onProject, refuseForeignTenant } from "./decisions.js";
import type { Actor } from "./events.js";
import { refuseUnlessAnyRole } from "./issueRules.js";
import { CalendarDateSchema, type ProjectState } from "./project.js";
import type { Role } from "./roles.js";

/**
 * Who may take the evidence pack out of Teams (domain page §5): the people who answer to commissioners and
 * inspectors for the go-live. Everyone else is refused, and the refusal is logged like any other.
 */
export const EVIDENCE_ROLES: readonly Role[] = [
  "project-lead",
  "registered-manager",
  "quality-lead",
  "board-member",
  "board-chair",
  "slt",
];

const DOING = "produce the evidence pack";

/** Refuses (saying which roles may) unless the person may produce the pack; undefined when they may. */
export function refuseEvidenceExport(
  state: ProjectState,
  actor: Actor,
  tenantId: string | undefined,
): Decision | undefined {
  return refuseForeignTenant(state, tenantId) ?? refuseUnlessAnyRole(state, actor, EVIDENCE_ROLES, DOING);
}

/** The export, recorded in the log once the pack is built and stored: who, which range, at which head, which manifest. */
export function decideEvidenceExport(
  actor: Actor,
  tenantId: string | undefined,
  exported: {
    from: string;
    to: string;
    headSeq: number;
    headHash: string;
    manifestSha256: string;
    files: number;
    bytes: number;
    destination: "blob-storage" | "folder";
  },
  options: { checkRoles: boolean } = { checkRoles: true },
): (state: ProjectState | undefined) => Decision {
  return onProject((state) => {
    const refusal = options.checkRoles ? refuseEvidenceExport(state, actor, tenantId) : undefined;
    if (refusal) return refusal;
    return { outcome: "record", events: [{ kind: "evidence.exported", ...exported }] };
  });
}

/**
 * A date as people type it for a pack: 2026-11-27, or the British 27/11/2026 (27-11-2026, 27.11.2026).
 * Undefined when it is not a real calendar date.
 */
export function parseEvidenceDate(text: string): string | undefined {
  const t = text.trim();
  let iso: string | undefined;
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const ukMatch = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (isoMatch) iso = `${isoMatch[1]}-${isoMatch[2]?.padStart(2, "0")}-${isoMatch[3]?.padStart(2, "0")}`;
  else if (ukMatch) iso = `${ukMatch[3]}-${ukMatch[2]?.padStart(2, "0")}-${ukMatch[1]?.padStart(2, "0")}`;
  return iso !== undefined && CalendarDateSchema.safeParse(iso).success ? iso : undefined;
}
