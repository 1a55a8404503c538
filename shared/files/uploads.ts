import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { BlobNotFoundError, type BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { acceptedTypes, emptyFileMessage, formatBytes, sniffContentType } from './content-type.js';
import { storableFileName } from '../text/storable-text.js';
import { ByteMeter } from './byte-meter.js';
import { addFilesToAutoRun } from '../runs/auto-run.js';
import { addUsage } from '../usage/usage.js';

export interface FileView {
  id: string;
  jobId: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sourceType: 'upload' | 'gdrive' | 'gmail';
  externalId: string | null;
  status: string;
  errorMessage: string | null;
  createdAt: string;
}

export interface UploadContext {
  db: Kysely<Database>;
  blobs: BlobStore;
  /** Seconds an auto-run waits for more files (`shared/runs/auto-run.ts`). */
  autoRunDebounceSeconds?: number;
  /** Relays the outbox rows a stored file wrote (its auto-run's `run.requested`). */
  relay?: (outboxIds: number[]) => Promise<void>;
}

/**
 * In one transaction with the change that makes a file available: its bytes counted in
 * today's usage and, when the job runs on upload, the file added to its auto-run.
 */
async function fileArrived(ctx: UploadContext, trx: Kysely<Database>, file: { userId: string; jobId: string; fileId: string; bytes: number }): Promise<number[]> {
  await addUsage(trx, file.userId, { importedBytes: file.bytes });
  return addFilesToAutoRun(trx, { userId: file.userId, jobId: file.jobId, fileIds: [file.fileId], debounceSeconds: ctx.autoRunDebounceSeconds });
}

/** The per-user upload limit (user_settings.max_upload_bytes, 25 MB unless changed). */
export async function uploadLimit(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db.selectFrom('user_settings').select('max_upload_bytes').where('user_id', '=', userId).executeTakeFirst();
  return row ? Number(row.max_upload_bytes) : 25 * 1024 * 1024;
}

async function requireJob(db: Kysely<Database>, userId: string, jobId: string): Promise<void> {
  const job = await db.selectFrom('extraction_jobs').select('id').where('id', '=', jobId).where('user_id', '=', userId).executeTakeFirst();
  if (!job) throw new HttpError(404, 'not_found', 'Extraction job not found');
}

/** Object names carry ids only: a filename is data, never part of a path. */
export function uploadObjectName(userId: string, jobId: string, fileId: string): string {
  return `${encodeURIComponent(userId)}/${jobId}/${fileId}`;
}

/**
 * Where a browser upload lands: the signed link names this staging object, never the
 * object runs read. Finalize copies the checked bytes to `uploadObjectName`, so whatever
 * the link writes afterwards changes nothing a run sees.
 */
export function stagingObjectName(objectName: string): string {
  return `${objectName}.staging`;
}

const tooLarge = (limit: number) => new HttpError(413, 'file_too_large', `The file is larger than your upload limit of ${formatBytes(limit)}`);
const emptyFile = () => new HttpError(400, 'empty_file', emptyFileMessage);
const unsupported = () => new HttpError(415, 'unsupported_type', 'Unsupported file type: upload a PDF, an image (PNG, JPEG, TIFF, WebP, GIF), or a text or CSV file');

/**
 * Stores a directly uploaded file (the local stack's multipart upload): streams it to the
 * uploads bucket while counting bytes and hashing, decides its type from its first bytes,
 * and records it. Over the limit -> 413, unknown type -> 415; either way nothing is kept.
 */
export async function storeUpload(ctx: UploadContext, input: { userId: string; jobId: string; filename: string; body: Readable }): Promise<FileView> {
  await requireJob(ctx.db, input.userId, input.jobId);
  const limit = await uploadLimit(ctx.db, input.userId);
  const fileId = randomUUID();
  const objectName = uploadObjectName(input.userId, input.jobId, fileId);
  const meter = new ByteMeter(limit);
  const head = await meter.readHead(input.body);
  if (head.length === 0) throw emptyFile();
  const contentType = await sniffContentType(head, input.filename);
  if (!contentType || !acceptedTypes.has(contentType)) {
    input.body.resume();
    throw unsupported();
  }
  try {
    await ctx.blobs.write('uploads', objectName, Readable.from(meter.replay(head, input.body)), { contentType, metadata: { fileId } });
  } catch (error) {
    await ctx.blobs.delete('uploads', objectName).catch(() => {});
    if (meter.exceeded) throw tooLarge(limit);
    throw error;
  }
  const { row, outboxIds } = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('source_files').values({
      id: fileId, job_id: input.jobId, original_filename: input.filename, gcs_object_name: objectName, file_type: contentType,
      file_size_bytes: meter.bytes, status: 'uploaded', source_type: 'upload', checksum_sha256: meter.sha256(),
    }).returningAll().executeTakeFirstOrThrow();
    return { row, outboxIds: await fileArrived(ctx, trx, { userId: input.userId, jobId: input.jobId, fileId, bytes: meter.bytes }) };
  });
  await ctx.relay?.(outboxIds);
  return toFileView(row);
}

/**
 * Starts a browser upload straight to the uploads bucket (production): records the file as
 * `uploading` and returns a signed resumable-upload link. `finalizeUpload` checks the bytes.
 */
export async function createUpload(ctx: UploadContext, input: { userId: string; jobId: string; filename: string; contentType: string; sizeBytes: number }) {
  await requireJob(ctx.db, input.userId, input.jobId);
  const limit = await uploadLimit(ctx.db, input.userId);
  if (input.sizeBytes > limit) throw tooLarge(limit);
  const fileId = randomUUID();
  const objectName = stagingObjectName(uploadObjectName(input.userId, input.jobId, fileId));
  const upload = await ctx.blobs.signedUploadUrl('uploads', objectName, { contentType: input.contentType, maxBytes: limit, expiresInSeconds: 3600 });
  await ctx.db.insertInto('source_files').values({
    id: fileId, job_id: input.jobId, original_filename: storableFileName(input.filename), gcs_object_name: objectName, file_type: input.contentType,
    file_size_bytes: input.sizeBytes, status: 'uploading', source_type: 'upload',
  }).execute();
  return { fileId, upload };
}

/**
 * Checks an uploaded object and makes the file usable: it must exist, fit the limit and be
 * of an accepted type by its bytes; otherwise the object is deleted and the file marked
 * failed with the reason. The bytes it checks are copied, as they are read, from the
 * staging object the signed link wrote to the file's own object, and the staging object
 * is deleted: the link can still write (it lives an hour) but never again changes what
 * a run reads, which is exactly what was checked, hashed and measured here.
 * Finalizing twice answers the same file.
 */
export async function finalizeUpload(ctx: UploadContext, input: { userId: string; jobId: string; fileId: string }): Promise<FileView> {
  const file = await findFileRow(ctx.db, input.userId, input.jobId, input.fileId);
  if (file.status !== 'uploading') return toFileView(file);
  const staging = file.gcs_object_name;
  const info = await ctx.blobs.stat('uploads', staging);
  if (!info) throw new HttpError(409, 'upload_incomplete', 'No bytes have arrived for this file yet: finish the upload first');
  const limit = await uploadLimit(ctx.db, input.userId);
  const meter = new ByteMeter(limit);
  const stream = ctx.blobs.read('uploads', staging);
  let head: Buffer;
  try {
    head = await meter.readHead(stream);
  } catch (error) {
    // A concurrent finalize copied and deleted the staging object first: answer its result.
    if (!(error instanceof BlobNotFoundError)) throw error;
    return toFileView(await findFileRow(ctx.db, input.userId, input.jobId, input.fileId));
  }
  const contentType = head.length === 0 ? null : await sniffContentType(head, file.original_filename);
  let problem: HttpError | undefined;
  if (info.size > limit) problem = tooLarge(limit);
  else if (head.length === 0) problem = emptyFile();
  else if (!contentType || !acceptedTypes.has(contentType)) problem = unsupported();
  const objectName = uploadObjectName(input.userId, input.jobId, file.id);
  if (!problem) {
    try {
      await ctx.blobs.write('uploads', objectName, Readable.from(meter.replay(head, stream)), { contentType: contentType!, metadata: { fileId: file.id } });
    } catch (error) {
      await ctx.blobs.delete('uploads', objectName).catch(() => {});
      // The object grew past the limit after it was measured.
      if (!meter.exceeded) throw error;
      problem = tooLarge(limit);
    }
  }
  if (problem) {
    stream.destroy();
    await ctx.blobs.delete('uploads', staging);
    await ctx.db.updateTable('source_files').set({ status: 'failed', error_message: problem.message, updated_at: sql`now()` }).where('id', '=', file.id).execute();
    throw problem;
  }
  // Files started before staging names existed were uploaded to their own object name.
  if (staging !== objectName) await ctx.blobs.delete('uploads', staging);
  const { row, outboxIds } = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('source_files').set({
      status: 'uploaded', gcs_object_name: objectName, file_type: contentType!, file_size_bytes: meter.bytes, checksum_sha256: meter.sha256(), updated_at: sql`now()`,
    }).where('id', '=', file.id).where('status', '=', 'uploading').returningAll().executeTakeFirst();
    // Finalized twice at once: only the call that moved it counts it.
    const outboxIds = row ? await fileArrived(ctx, trx, { userId: input.userId, jobId: input.jobId, fileId: file.id, bytes: meter.bytes }) : [];
    return { row, outboxIds };
  });
  await ctx.relay?.(outboxIds);
  return toFileView(row ?? (await findFileRow(ctx.db, input.userId, input.jobId, input.fileId)));
}

async function findFileRow(db: Kysely<Database>, userId: string, jobId: string, fileId: string) {
  const row = await db.selectFrom('source_files as f').innerJoin('extraction_jobs as j', 'j.id', 'f.job_id')
    .selectAll('f').where('f.id', '=', fileId).where('f.job_id', '=', jobId).where('j.user_id', '=', userId).executeTakeFirst();
  if (!row) throw new HttpError(404, 'not_found', 'File not found');
  return row;
}

/** The files of one of the user's jobs, oldest first. */
export async function listFiles(db: Kysely<Database>, userId: string, jobId: string): Promise<FileView[]> {
  await requireJob(db, userId, jobId);
  const rows = await db.selectFrom('source_files').selectAll().where('job_id', '=', jobId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toFileView);
}

/** Removes a file and its object. Runs that already read it keep their results. */
export async function deleteFile(ctx: UploadContext, input: { userId: string; jobId: string; fileId: string }): Promise<void> {
  const file = await findFileRow(ctx.db, input.userId, input.jobId, input.fileId);
  await ctx.db.deleteFrom('source_files').where('id', '=', file.id).execute();
  await ctx.blobs.delete('uploads', file.gcs_object_name);
  if (file.source_type === 'upload') await ctx.blobs.delete('uploads', stagingObjectName(uploadObjectName(input.userId, input.jobId, file.id)));
}

export function toFileView(r: { id: string; job_id: string; original_filename: string; file_type: string; file_size_bytes: number; source_type: string; external_id: string | null; status: string; error_message: string | null; created_at: Date }): FileView {
  return {
    id: r.id, jobId: r.job_id, filename: r.original_filename, contentType: r.file_type, sizeBytes: Number(r.file_size_bytes), sourceType: r.source_type as FileView['sourceType'],
    externalId: r.external_id, status: r.status, errorMessage: r.error_message, createdAt: r.created_at.toISOString(),
  };
}
