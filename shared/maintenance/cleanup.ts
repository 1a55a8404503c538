import type { Platform } from '../platform.js';
import { relayAfterCommit, relayOutbox } from '../outbox/outbox.js';
import { sweepStuckTasks } from './stuck-tasks.js';

export interface CleanupReport {
  outboxRelayed: number;
  outboxFailed: number;
  stuckTasksRequeued: number;
}

/**
 * The `cleanup` stage's periodic work: relay outbox rows a crash left behind (older than
 * `outboxAgeSeconds`, so rows whose writer is relaying them right now are left alone) and
 * re-enqueue stuck tasks.
 */
export async function runCleanup(platform: Platform, opts: { outboxAgeSeconds?: number } = {}): Promise<CleanupReport> {
  const outbox = await relayOutbox(platform.database.db, platform.bus, { olderThanSeconds: opts.outboxAgeSeconds ?? 30 });
  const requeued = await sweepStuckTasks(platform.database.db);
  await relayAfterCommit(platform, requeued);
  return { outboxRelayed: outbox.relayed, outboxFailed: outbox.failed, stuckTasksRequeued: requeued.length };
}
