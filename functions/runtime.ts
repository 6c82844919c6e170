import { type BotCredentials, createGovernanceBot, type GovernanceBot } from "../bot/app.js";
import type { Logger } from "../bot/logger.js";
import type { ReviewDependencies } from "../bot/reviews.js";
import { TableConversationReferences } from "../store/conversationReferences.js";
import { type BlobTarget, openEvidenceStore } from "../store/evidenceBlobs.js";
import { type GovernanceLog, openGovernanceLog } from "../store/governanceLog.js";
import { ensureTables, type StorageTarget, TABLE_NAMES, tableClient } from "../store/tables.js";

export interface Runtime {
  bot: GovernanceBot;
  log: GovernanceLog;
  /** What the scheduled reviews (timer, local schedule, `npm run review`) run with. */
  reviews: ReviewDependencies;
}

/** Wires storage and the bot together; shared by the Functions entry point, the local host, the demo and tests. */
export async function createRuntime(options: {
  storage: StorageTarget;
  credentials?: BotCredentials;
  logger: Logger;
  clock?: () => Date;
  anonymityKey?: string;
  /** Blob Storage for evidence packs (Azurite's locally), and how long a pack's link works. */
  evidence?: { blobs: BlobTarget; linkLifetimeMs: number };
}): Promise<Runtime> {
  await ensureTables(options.storage);
  const log = openGovernanceLog(options.storage, { ...(options.clock ? { clock: options.clock } : {}) });
  const references = new TableConversationReferences(tableClient(options.storage, TABLE_NAMES.conversations));
  const bot = createGovernanceBot({
    log,
    references,
    logger: options.logger,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.anonymityKey ? { anonymityKey: options.anonymityKey } : {}),
    ...(options.evidence
      ? {
          evidence: {
            store: openEvidenceStore(options.evidence.blobs),
            linkLifetimeMs: options.evidence.linkLifetimeMs,
          },
        }
      : {}),
  });
  return { bot, log, reviews: { log, references, poster: bot.reviewSender, logger: options.logger } };
}
