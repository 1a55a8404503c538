import type { MessageOf } from '../messaging/contracts.js';
import { relayAfterCommit } from '../outbox/outbox.js';
import type { Platform } from '../platform.js';
import { extractTask } from '../runs/extract-task.js';

/** `extraction` (Cloud Tasks): one claimed task, one model call, one result row. */
export async function extractionStage(platform: Platform, message: MessageOf<'extraction'>, signal?: AbortSignal): Promise<void> {
  const stage = { db: platform.database.db, blobs: platform.blobs, extractor: platform.extractor, workerId: platform.workerId, defaultModel: platform.defaultModel };
  await relayAfterCommit(platform, await extractTask(stage, message, signal));
}
