import { sql, type Kysely } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/index.js';

/** Days a download export is kept when the user chose nothing (seed 002 §4.7). */
export const DEFAULT_EXPORT_RETENTION_DAYS = 30;

/** A download export past its retention. */
export interface ExpiredDownloadExport {
  id: string;
  objectName: string | null;
}

/**
 * Download exports older than their owner's `export_retention_days` (30 when unset) at
 * `now`, oldest first. Drive files and emails are the user's, never deleted.
 */
export async function findExpiredDownloadExports(db: Kysely<Database>, now: Date, opts: { limit?: number } = {}): Promise<ExpiredDownloadExport[]> {
  const rows = await db.selectFrom('job_exports as e')
    .innerJoin('job_runs as r', 'r.id', 'e.run_id')
    .innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
    .leftJoin('user_settings as s', 's.user_id', 'j.user_id')
    .select(['e.id', 'e.object_name'])
    .where('e.dest_type', '=', 'download')
    .where('e.created_at', '<', sql<Date>`${now}::timestamptz - make_interval(days => coalesce(s.export_retention_days, ${DEFAULT_EXPORT_RETENTION_DAYS}))`)
    .orderBy('e.created_at')
    .limit(opts.limit ?? 500)
    .execute();
  return rows.map((r) => ({ id: r.id, objectName: r.object_name }));
}

/**
 * Deletes an expired download export: its object first, then the row, so a crash in between
 * leaves a row whose object is gone (found and finished by the next sweep), never an object
 * no row points to. Deleting twice is harmless.
 */
export async function deleteExpiredDownloadExport(db: Kysely<Database>, blobs: BlobStore, expired: ExpiredDownloadExport): Promise<void> {
  if (expired.objectName) await blobs.delete('exports', expired.objectName);
  await db.deleteFrom('job_exports').where('id', '=', expired.id).where('dest_type', '=', 'download').execute();
}

/** The cleanup sweep's part: every expired download export at `now`, object then row. Returns how many. */
export async function deleteExpiredDownloadExports(db: Kysely<Database>, blobs: BlobStore, now: Date = new Date()): Promise<number> {
  const expired = await findExpiredDownloadExports(db, now);
  for (const item of expired) await deleteExpiredDownloadExport(db, blobs, item);
  return expired.length;
}
