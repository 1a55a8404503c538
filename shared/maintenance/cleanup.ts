import type { Platform } from '../platform.js';
import { relayAfterCommit, relayOutbox } from '../outbox/outbox.js';
import { deleteExpiredDownloadExports } from '../export-runs/retention.js';
import { sweepStuckExports } from '../export-runs/sweep.js';
import { sweepStuckTasks } from './stuck-tasks.js';

export interface CleanupReport {
  outboxRelayed: number;
  outboxFailed: number;
  stuckTasksRequeued: number;
  /** Exports asked for again: their worker died, or their message was given up. */
  stuckExportsRequeued: number;
  /** Download exports past retention, object and row deleted. */
  expiredExportsDeleted: number;
}

/**
 * The `cleanup` stage's periodic work: relay outbox rows a crash left behind (older than
 * `outboxAgeSeconds`, so rows whose writer is relaying them right now are left alone) and
 * re-enqueue stuck tasks and exports, and delete download exports past their retention
 * (object, then row).
 */
export async function runCleanup(platform: Platform, opts: { outboxAgeSeconds?: number; now?: Date } = {}): Promise<CleanupReport> {
  const outbox = await relayOutbox(platform.database.db, platform.bus, { olderThanSeconds: opts.outboxAgeSeconds ?? 30 });
  const requeued = await sweepStuckTasks(platform.database.db);
  await relayAfterCommit(platform, requeued);
  const exportsRequeued = await sweepStuckExports(platform.database.db);
  await relayAfterCommit(platform, exportsRequeued);
  const expiredExportsDeleted = await deleteExpiredDownloadExports(platform.database.db, platform.blobs, opts.now ?? new Date());
  return {
    outboxRelayed: outbox.relayed, outboxFailed: outbox.failed, stuckTasksRequeued: requeued.length,
    stuckExportsRequeued: exportsRequeued.length, expiredExportsDeleted,
  };
}
