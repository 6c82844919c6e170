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

/**
 * A client for one table. `retries: false` is for entity-group transactions: had a first try failed after it
 * was sent, a refused connection on the retry would look like "never sent". Without retries, a refused
 * connection really means nothing reached storage.
 */
export function tableClient(
  target: StorageTarget,
  tableName: string,
  options: { retries?: boolean } = {},
): TableClient {
  const clientOptions: TableServiceClientOptions =
    options.retries === false ? { ...CLIENT_OPTIONS, retryOptions: { maxRetries: 0 } } : CLIENT_OPTIONS;
  if (target.kind === "connection-string") {
    const local = /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/i.test(target.connectionString);
    return TableClient.fromConnectionString(target.connectionString, tableName, {
      ...clientOptions,
      allowInsecureConnection: local,
    });
  }
  return new TableClient(
    `${target.endpoint.replace(/\/$/, "")}`,
    tableName,
    target.credential,
    clientOptions,
  );
}

export async function ensureTables(target: StorageTarget): Promise<void> {
  await Promise.all(Object.values(TABLE_NAMES).map((name) => tableClient(target, name).createTable()));
}
