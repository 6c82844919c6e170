import type { TokenCredential } from "@azure/core-auth";
import { TableClient, type TableServiceClientOptions } from "@azure/data-tables";

/** Where the tables are: the emulator by connection string, or Azure by endpoint and a token credential. */
export type StorageTarget =
  | { kind: "connection-string"; connectionString: string }
  | { kind: "endpoint"; endpoint: string; credential: TokenCredential };

export const TABLE_NAMES = {
  /** One partition per project: the hash-chained log, its head, idempotency keys and the projected rows. */
  governance: "governance",
  /** Conversation references by conversation, for proactive posts. */
  conversations: "conversations",
} as const;

const CLIENT_OPTIONS: TableServiceClientOptions = {
  // A person is waiting in Teams: fail within seconds and say so, rather than retry for half a minute.
  retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 500 },
};

export function tableClient(target: StorageTarget, tableName: string): TableClient {
  if (target.kind === "connection-string") {
    const local = /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/i.test(target.connectionString);
    return TableClient.fromConnectionString(target.connectionString, tableName, {
      ...CLIENT_OPTIONS,
      allowInsecureConnection: local,
    });
  }
  return new TableClient(
    `${target.endpoint.replace(/\/$/, "")}`,
    tableName,
    target.credential,
    CLIENT_OPTIONS,
  );
}

export async function ensureTables(target: StorageTarget): Promise<void> {
  await Promise.all(Object.values(TABLE_NAMES).map((name) => tableClient(target, name).createTable()));
}
