import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { uploadObjectName } from '../files/uploads.js';
import { storableFileName } from '../text/storable-text.js';

/**
 * `source_files` rows of imported documents, one per (job, source_type, external_id): the
 * idempotency key of every import (shared/ARCHITECTURE.md). The row is reserved before the
 * bytes are fetched and finished after they are stored, so a redelivered or repeated
 * import finds a finished file and skips it (no second download, no second row).
 */

export type ImportSource = 'gdrive' | 'gmail';

/** Statuses that mean "the bytes are stored": a later import skips the file. */
const storedStatuses = ['uploaded', 'ready', 'unpacked'];

export type Reservation =
  | { kind: 'stored'; id: string }
  | { kind: 'reserved'; id: string; objectName: string };

export interface ImportedFileKey {
  userId: string;
  jobId: string;
  sourceType: ImportSource;
  externalId: string;
}

/**
 * Finds or creates the row for `key`. A stored file answers `stored`; a new, failed or
 * half-done one is (re)set to `uploading` and answers `reserved` with the object name to
 * write (ids only, never the file's name). A stored file whose source now has another
 * `version` than the one stored (a Drive file edited since) is a new version of the same
 * row: `reserved` with a new object name (`<id>-v<version>`), so the runs that read the
 * old object keep it. Serialised per key with a transaction-scoped
 * advisory lock, since the schema's (job, source_type, external_id) index is not unique.
 */
export async function reserveImportedFile(
  db: Kysely<Database>,
  key: ImportedFileKey,
  file: { filename: string; originalPath?: string | null; parentFileId?: string | null; declaredType?: string; declaredSize?: number; version?: string },
): Promise<Reservation> {
  const filename = storableFileName(file.filename).slice(0, 1024);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`source_files:${key.jobId}:${key.sourceType}:${key.externalId}`}, 0))`.execute(trx);
    const existing = await trx.selectFrom('source_files').select(['id', 'status', 'gcs_object_name', 'external_version'])
      .where('job_id', '=', key.jobId).where('source_type', '=', key.sourceType).where('external_id', '=', key.externalId)
      .orderBy('created_at').limit(1).executeTakeFirst();
    const changed = existing && file.version !== undefined && existing.external_version !== file.version;
    if (existing && storedStatuses.includes(existing.status) && !changed) return { kind: 'stored', id: existing.id };
    if (existing && changed && storedStatuses.includes(existing.status)) {
      const objectName = `${uploadObjectName(key.userId, key.jobId, existing.id)}-v${file.version!.replace(/[^0-9A-Za-z_-]/g, '').slice(0, 40)}`;
      await trx.updateTable('source_files')
        .set({ status: 'uploading', error_message: null, original_filename: file.filename.slice(0, 1024), gcs_object_name: objectName, updated_at: sql`now()` })
        .where('id', '=', existing.id).execute();
      return { kind: 'reserved', id: existing.id, objectName };
    }
    if (existing) {
      await trx.updateTable('source_files')
        .set({ status: 'uploading', error_message: null, original_filename: filename, updated_at: sql`now()` })
        .where('id', '=', existing.id).execute();
      return { kind: 'reserved', id: existing.id, objectName: existing.gcs_object_name };
    }
    const id = randomUUID();
    const objectName = uploadObjectName(key.userId, key.jobId, id);
    await trx.insertInto('source_files').values({
      id, job_id: key.jobId, source_type: key.sourceType, external_id: key.externalId,
      original_filename: filename, original_path: file.originalPath ? storableFileName(file.originalPath).slice(0, 2048) : null,
      parent_file_id: file.parentFileId ?? null, gcs_object_name: objectName,
      file_type: file.declaredType ?? 'application/octet-stream', file_size_bytes: file.declaredSize ?? 0, status: 'uploading',
    }).execute();
    return { kind: 'reserved', id, objectName };
  });
}

/** Marks a reserved file stored, with what its bytes turned out to be. */
export async function markImportedFileStored(
  db: Kysely<Database>, id: string, stored: { contentType: string; size: number; sha256: string; status?: 'uploaded' | 'unpacked'; version?: string },
): Promise<void> {
  await db.updateTable('source_files').set({
    status: stored.status ?? 'uploaded', file_type: stored.contentType, file_size_bytes: stored.size, checksum_sha256: stored.sha256,
    ...(stored.version !== undefined ? { external_version: stored.version.slice(0, 100) } : {}),
    error_message: null, updated_at: sql`now()`,
  }).where('id', '=', id).execute();
}

/** Marks a file failed with a message the user can act on. */
export async function markImportedFileFailed(db: Kysely<Database>, id: string, message: string): Promise<void> {
  await db.updateTable('source_files').set({ status: 'failed', error_message: message.slice(0, 2000), updated_at: sql`now()` }).where('id', '=', id).execute();
}

/**
 * Records a file that failed before it could be reserved for download (a Drive id that is
 * not there, a refused archive member): reserved and failed in one go, same key rules.
 */
export async function recordFailedImport(
  db: Kysely<Database>, key: ImportedFileKey, file: { filename: string; parentFileId?: string | null; originalPath?: string | null }, message: string,
): Promise<string | null> {
  const reservation = await reserveImportedFile(db, key, file);
  if (reservation.kind === 'stored') return null;
  await markImportedFileFailed(db, reservation.id, message);
  return reservation.id;
}
