import type { Actor } from "../governance/events.js";
import type { GovernanceLog } from "../store/governanceLog.js";
import type { Origin } from "./activity.js";
import type { Logger } from "./logger.js";

export const FOREIGN_TENANT_REFUSAL =
  "This project belongs to another organisation's Microsoft 365 tenant, so nothing was changed. The attempt was logged.";

/**
 * Someone from another tenant acted in a project's channel (e.g. a shared channel): nothing of theirs is applied,
 * and the attempt itself becomes a governance log entry, so an inspector sees it.
 */
export async function recordForeignTenantRefusal(
  deps: { log: GovernanceLog; logger: Logger },
  request: { projectId: string; actor: Actor; origin: Origin; attempted: string; idempotencyKey: string },
): Promise<string> {
  deps.logger.warn("refused activity from another tenant", {
    projectId: request.projectId,
    tenantId: request.origin.tenantId,
    attempted: request.attempted,
  });
  await deps.log.change({
    projectId: request.projectId,
    idempotencyKey: `refusal:${request.idempotencyKey}`,
    actor: request.actor,
    decide: () => ({
      outcome: "record",
      events: [
        {
          kind: "access.refused",
          reason: "activity from a tenant other than the project's",
          attempted: request.attempted,
          ...(request.origin.tenantId ? { tenantId: request.origin.tenantId.slice(0, 100) } : {}),
        },
      ],
    }),
  });
  return FOREIGN_TENANT_REFUSAL;
}
