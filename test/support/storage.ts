import { randomUUID } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import { type RunningAzurite, startAzurite } from "../../store/azurite.js";
import {
  type GovernanceLog,
  type GovernanceLogOptions,
  openGovernanceLog,
} from "../../store/governanceLog.js";
import { ensureTables, TABLE_NAMES, tableClient } from "../../store/tables.js";

/** A fresh in-memory Azurite for one test file. */
export async function azuriteForTests(): Promise<RunningAzurite> {
  const azurite = await startAzurite({});
  await ensureTables({ kind: "connection-string", connectionString: azurite.connectionString });
  return azurite;
}

export function governanceTable(azurite: RunningAzurite): TableClient {
  return tableClient(
    { kind: "connection-string", connectionString: azurite.connectionString },
    TABLE_NAMES.governance,
  );
}

export function governanceLog(azurite: RunningAzurite, options?: GovernanceLogOptions): GovernanceLog {
  return openGovernanceLog(
    { kind: "connection-string", connectionString: azurite.connectionString },
    options,
  );
}

export const uniqueKey = (): string => `test:${randomUUID()}`;
