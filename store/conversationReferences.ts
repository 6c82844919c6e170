import { createHash } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import { asStoreError, statusOf } from "./errors.js";

/**
 * A stored conversation reference: what the bot needs to post into a conversation later (serviceUrl,
 * conversation id, tenant id, bot id). Kept in Table Storage, never in a local file, so it survives restarts
 * and scale-out. The reference itself is opaque here; the bot validates it when it reads it back.
 */
export interface StoredConversationReference {
  /** The conversation key: a channel's id (without a thread's message id), or a chat's id. */
  conversationKey: string;
  tenantId: string;
  reference: Record<string, unknown>;
  /** False once the app was removed from the conversation: proactive posts would be refused. */
  installed: boolean;
  updatedAt: string;
}

export interface ConversationReferenceStore {
  save(reference: StoredConversationReference): Promise<void>;
  get(conversationKey: string): Promise<StoredConversationReference | undefined>;
  /** Every stored reference, one page at a time (a provider has tens of channels and chats, not millions). */
  list(): AsyncIterable<StoredConversationReference>;
}

const PARTITION = "reference";
const rowKey = (conversationKey: string) => createHash("sha256").update(conversationKey).digest("hex");

export class TableConversationReferences implements ConversationReferenceStore {
  constructor(private readonly table: TableClient) {}

  async save(r: StoredConversationReference): Promise<void> {
    try {
      await this.table.upsertEntity(
        {
          partitionKey: PARTITION,
          rowKey: rowKey(r.conversationKey),
          conversationKey: r.conversationKey,
          tenantId: r.tenantId,
          reference: JSON.stringify(r.reference),
          installed: r.installed,
          updatedAt: r.updatedAt,
        },
        "Replace",
      );
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async get(conversationKey: string): Promise<StoredConversationReference | undefined> {
    try {
      return fromRow(await this.table.getEntity<Record<string, unknown>>(PARTITION, rowKey(conversationKey)));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw asStoreError(error);
    }
  }

  async *list(): AsyncIterable<StoredConversationReference> {
    try {
      for await (const page of this.table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })
        .byPage({ maxPageSize: 1000 })) {
        for (const row of page) yield fromRow(row);
      }
    } catch (error) {
      throw asStoreError(error);
    }
  }
}

function fromRow(row: Record<string, unknown>): StoredConversationReference {
  return {
    conversationKey: String(row.conversationKey),
    tenantId: String(row.tenantId),
    reference: JSON.parse(String(row.reference)) as Record<string, unknown>,
    installed: row.installed === true,
    updatedAt: String(row.updatedAt),
  };
}
