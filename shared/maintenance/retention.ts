import { sql, type Kysely } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/index.js';

/**
 * Retention for everything that grows (seed 004 "Data retention"), run by the cleanup
 * stage. Each kind is deleted oldest first in batches of `batchSize` rows per statement, at
 * most `maxBatches` per cleanup, so one sweep never holds locks for long nor runs past the
 * function's timeout; what is left goes on the next sweep.
 *
 * | what | kept |
 * | --- | --- |
 * | activity events | the owner's `activity_retention_days` (90 unless changed) |
 * | finished operations and their steps | 30 days after they finished |
 * | relayed outbox rows | 30 days after relay |
 * | finished connector jobs (imports) | 30 days after they finished |
 * | OAuth states | until they expire (10 minutes) |
 * | uploads never finished (`uploading`) | 1 day (the upload link lasts an hour), object then row |
 *
 * Download exports have their own rule (`export_retention_days`, shared/export-runs/retention.ts).
 */
export const RETENTION = {
  defaultActivityDays: 90,
  operationDays: 30,
  outboxDays: 30,
  connectorJobDays: 30,
  unfinishedUploadHours: 24,
} as const;

export interface RetentionOptions {
  now?: Date;
  batchSize?: number;
  maxBatches?: number;
}

export interface RetentionReport {
  activityEventsDeleted: number;
  operationsDeleted: number;
  outboxRowsDeleted: number;
  connectorJobsDeleted: number;
  oauthStatesDeleted: number;
  unfinishedUploadsDeleted: number;
}

/** Applies every retention rule at `now`; answers how many rows of each kind went. */
export async function applyRetention(db: Kysely<Database>, blobs: BlobStore, opts: RetentionOptions = {}): Promise<RetentionReport> {
  const now = sql<Date>`${opts.now ?? new Date()}::timestamptz`;
  const batch = { size: opts.batchSize ?? 1000, max: opts.maxBatches ?? 20 };
  const daysBefore = (days: number | ReturnType<typeof sql>) => sql<Date>`${now} - make_interval(days => ${days})`;
  return {
    activityEventsDeleted: await inBatches(batch, (limit) => db.deleteFrom('activity_events').where('id', 'in', db.selectFrom('activity_events as e')
      .leftJoin('user_settings as s', 's.user_id', 'e.user_id')
      .select('e.id')
      .where('e.created_at', '<', daysBefore(sql`coalesce(s.activity_retention_days, ${RETENTION.defaultActivityDays})`))
      .limit(limit)).executeTakeFirst()),
    operationsDeleted: await inBatches(batch, (limit) => db.deleteFrom('operations').where('id', 'in', db.selectFrom('operations').select('id')
      .where('status', 'in', ['completed', 'failed', 'cancelled']).where('completed_at', '<', daysBefore(RETENTION.operationDays))
      .orderBy('completed_at').limit(limit)).executeTakeFirst()),
    outboxRowsDeleted: await inBatches(batch, (limit) => db.deleteFrom('outbox').where('id', 'in', db.selectFrom('outbox').select('id')
      .where('relayed_at', 'is not', null).where('relayed_at', '<', daysBefore(RETENTION.outboxDays))
      .orderBy('relayed_at').limit(limit)).executeTakeFirst()),
    connectorJobsDeleted: await inBatches(batch, (limit) => db.deleteFrom('connector_jobs').where('id', 'in', db.selectFrom('connector_jobs').select('id')
      .where('status', 'in', ['success', 'failed', 'cancelled']).where('finished_at', '<', daysBefore(RETENTION.connectorJobDays))
      .orderBy('finished_at').limit(limit)).executeTakeFirst()),
    oauthStatesDeleted: await inBatches(batch, (limit) => db.deleteFrom('oauth_states').where('nonce', 'in', db.selectFrom('oauth_states').select('nonce')
      .where('expires_at', '<', now).orderBy('expires_at').limit(limit)).executeTakeFirst()),
    unfinishedUploadsDeleted: await inBatches(batch, async (limit) => {
      const stale = await db.selectFrom('source_files').select(['id', 'gcs_object_name'])
        .where('status', '=', 'uploading').where('created_at', '<', sql<Date>`${now} - make_interval(hours => ${RETENTION.unfinishedUploadHours})`)
        .orderBy('created_at').limit(limit).execute();
      // The object first: a crash in between leaves a row the next sweep finishes, never an object no row names.
      for (const file of stale) await blobs.delete('uploads', file.gcs_object_name);
      if (stale.length === 0) return { numDeletedRows: 0n };
      return db.deleteFrom('source_files').where('id', 'in', stale.map((f) => f.id)).where('status', '=', 'uploading').executeTakeFirst();
    }),
  };
}

/** Repeats a bounded delete until it deletes less than a full batch, or `max` batches ran. */
async function inBatches(batch: { size: number; max: number }, deleteBatch: (limit: number) => Promise<{ numDeletedRows: bigint }>): Promise<number> {
  let total = 0;
  for (let i = 0; i < batch.max; i++) {
    const deleted = Number((await deleteBatch(batch.size)).numDeletedRows);
    total += deleted;
    if (deleted < batch.size) break;
  }
  return total;
}
