import type { Platform } from '../platform.js';
import { relayAfterCommit, relayOutbox } from '../outbox/outbox.js';
import { deleteExpiredDownloadExports } from '../export-runs/retention.js';
import { deleteExpiredIdempotencyKeys } from '../http/idempotency.js';
import { sweepStuckExports } from '../export-runs/sweep.js';
import { renewExpiringGmailWatches, sweepStuckConnectorJobs } from './connector-sweep.js';
import { applyRetention, type RetentionOptions, type RetentionReport } from './retention.js';
import { sweepStuckTasks } from './stuck-tasks.js';
import { sweepOverdueWebhookDeliveries } from '../webhooks/deliver.js';

export interface CleanupReport extends Omit<RetentionReport, 'oauthStatesDeleted'> {
  outboxRelayed: number;
  outboxFailed: number;
  stuckTasksRequeued: number;
  /** Exports asked for again: their worker died, or their message was given up. */
  stuckExportsRequeued: number;
  /** Download exports past retention, object and row deleted. */
  expiredExportsDeleted: number;
  /** Drive / Gmail imports asked for again: their worker died, or their message was lost. */
  stuckImportsRequeued: number;
  gmailWatchesRenewed: number;
  gmailWatchRenewalsFailed: number;
  expiredOAuthStatesDeleted: number;
  /** Webhook deliveries whose attempt was lost, asked for again. */
  overdueWebhooksRequeued: number;
  /** Idempotency-Key answers older than 24 hours, forgotten. */
  expiredIdempotencyKeysDeleted: number;
}

/**
 * The `cleanup` stage's periodic work: relay outbox rows a crash left behind (older than
 * `outboxAgeSeconds`, so rows whose writer is relaying them right now are left alone) and
 * re-enqueue stuck tasks, exports and imports, delete download exports past their
 * retention (object, then row), renew Gmail watches that expire within a day, forget
 * abandoned OAuth states and Idempotency-Key answers older than 24 hours, and ask again
 * for webhook deliveries whose attempt was lost.
 */
export async function runCleanup(platform: Platform, opts: { outboxAgeSeconds?: number; now?: Date; retention?: Omit<RetentionOptions, 'now'> } = {}): Promise<CleanupReport> {
  const outbox = await relayOutbox(platform.database.db, platform.bus, { olderThanSeconds: opts.outboxAgeSeconds ?? 30 });
  const requeued = await sweepStuckTasks(platform.database.db);
  await relayAfterCommit(platform, requeued);
  const exportsRequeued = await sweepStuckExports(platform.database.db);
  await relayAfterCommit(platform, exportsRequeued);
  const expiredExportsDeleted = await deleteExpiredDownloadExports(platform.database.db, platform.blobs, opts.now ?? new Date());
  const importsRequeued = await sweepStuckConnectorJobs(platform.database.db);
  await relayAfterCommit(platform, importsRequeued);
  const watches = await renewExpiringGmailWatches(platform);
  const { oauthStatesDeleted, ...retention } = await applyRetention(platform.database.db, platform.blobs, { ...opts.retention, now: opts.now });
  const overdueWebhooks = await sweepOverdueWebhookDeliveries(platform.database.db);
  await relayAfterCommit(platform, overdueWebhooks);
  const expiredIdempotencyKeysDeleted = await deleteExpiredIdempotencyKeys(platform.database.db);
  return {
    ...retention, expiredOAuthStatesDeleted: oauthStatesDeleted,
    outboxRelayed: outbox.relayed, outboxFailed: outbox.failed, stuckTasksRequeued: requeued.length,
    stuckExportsRequeued: exportsRequeued.length, expiredExportsDeleted, stuckImportsRequeued: importsRequeued.length,
    gmailWatchesRenewed: watches.renewed, gmailWatchRenewalsFailed: watches.failed, expiredIdempotencyKeysDeleted,
    overdueWebhooksRequeued: overdueWebhooks.length,
  };
}
