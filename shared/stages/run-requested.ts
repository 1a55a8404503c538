import type { MessageOf } from '../messaging/contracts.js';
import { relayAfterCommit } from '../outbox/outbox.js';
import type { Platform } from '../platform.js';
import { initializeRun } from '../runs/initialize-run.js';

/** `run.requested` (run-initializer): numbers the run, snapshots it, creates its tasks, relays their enqueues. */
export async function runRequestedStage(platform: Platform, message: MessageOf<'run.requested'>): Promise<void> {
  await relayAfterCommit(platform, await initializeRun(platform.database.db, message, platform.defaultModel));
}
