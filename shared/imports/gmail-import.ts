import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { gmail_v1 } from '@googleapis/gmail';
import { detectContentType, isArchiveType, sniffSampleBytes } from '../archives/content-type.js';
import { isZip, unpackZip, type ZipMember } from '../archives/unzip.js';
import { PermanentError, errorMessage } from '../errors.js';
import { formatBytes } from '../files/content-type.js';
import { classifyGoogleError, isJobLevelError } from './google-errors.js';
import { gmailQuota, type GmailMethod } from './gmail-quota.js';
import { markImportedFileFailed, markImportedFileStored, recordFailedImport, reserveImportedFile, type Reservation } from './imported-files.js';
import { gmailApi, type ImportContext } from './import-context.js';
import { forEachConcurrently } from './concurrency.js';
import { RefusedFileError, storeImportedBytes } from './store-bytes.js';
import { sql } from 'kysely';

/**
 * The gmail-import stage's work (seed 002 §4.2): attachments into `source_files`
 * (`external_id = msgId:attachmentId`), ZIP archives kept as their own row
 * (`file_type = 'archive'`) and unpacked, bounded, into one row per member
 * (`msgId:attachmentId/<member path>`, `parent_file_id` = the archive). Per-file and
 * per-member problems fail that row with the reason; job-level ones are thrown.
 */

export interface GmailAttachmentRef {
  messageId: string;
  attachmentId: string;
}

// Attachments fetched at once: each costs 10 quota units (messages.get + attachments.get);
// the quota pacer decides the rate, this only bounds memory (an attachment is held whole:
// attachments.get answers base64 JSON).
const ATTACHMENT_CONCURRENCY = 3;

/** `gmail_import`: the attachments in the payload. */
export async function importGmailAttachments(ctx: ImportContext, payload: { attachments?: GmailAttachmentRef[] }): Promise<{ stage: string }> {
  const refs = dedupe(payload.attachments ?? []);
  const api = gmailApi(ctx.platform, ctx.auth);
  const messages = new Map<string, Promise<gmail_v1.Schema$Message>>();
  // Several attachments of one message cost one messages.get.
  const messageOf = (id: string): Promise<gmail_v1.Schema$Message> => {
    const known = messages.get(id);
    if (known) return known;
    const pending = gmailCall(ctx, 'messages.get', async () => (await api.users.messages.get({ userId: 'me', id, format: 'full', fields: 'id,payload' })).data);
    pending.catch(() => messages.delete(id));
    messages.set(id, pending);
    return pending;
  };
  ctx.tally.total = refs.length;
  await ctx.tally.progress(true);
  await forEachConcurrently(refs, ATTACHMENT_CONCURRENCY, async (ref) => {
    await importAttachment(ctx, api, ref, messageOf);
    await ctx.tally.progress();
  });
  const { imported, skipped, failed } = ctx.tally.result();
  return { stage: `Imported ${imported} files from Gmail${skipped ? `, ${skipped} already there` : ''}${failed ? `, ${failed} failed` : ''}` };
}

async function importAttachment(
  ctx: ImportContext, api: gmail_v1.Gmail, ref: GmailAttachmentRef, messageOf: (id: string) => Promise<gmail_v1.Schema$Message>,
): Promise<void> {
  const db = ctx.platform.database.db;
  const externalId = `${ref.messageId}:${ref.attachmentId}`;
  const key = fileKey(ctx, externalId);
  const failBeforeReserve = async (filename: string, message: string) => {
    const id = await recordFailedImport(db, key, { filename }, message);
    ctx.tally.add({ externalId, filename, sourceFileId: id, outcome: id ? 'failed' : 'skipped', ...(id ? { error: message } : {}) });
  };

  let part: gmail_v1.Schema$MessagePart | undefined;
  try {
    part = findAttachmentPart((await messageOf(ref.messageId)).payload, ref.attachmentId);
  } catch (error) {
    const failure = classifyGoogleError(error);
    if (isJobLevelError(failure)) throw failure;
    return failBeforeReserve('attachment', `The Gmail message ${ref.messageId} cannot be read: ${failure.message}`);
  }
  if (!part) return failBeforeReserve('attachment', `The Gmail message ${ref.messageId} has no attachment with this id`);
  const filename = safeFilename(part.filename) ?? 'attachment';
  const declaredSize = part.body?.size ?? 0;
  if (declaredSize > ctx.limitBytes) return failBeforeReserve(filename, `The file is larger than your upload limit of ${formatBytes(ctx.limitBytes)}`);

  const reservation = await reserveImportedFile(db, key, { filename, declaredType: part.mimeType ?? undefined, declaredSize });
  const outcome = { externalId, filename, sourceFileId: reservation.id };
  if (reservation.kind === 'stored') return ctx.tally.add({ ...outcome, outcome: 'skipped' });

  let bytes: Buffer;
  try {
    const { data } = await gmailCall(ctx, 'messages.attachments.get', () =>
      api.users.messages.attachments.get({ userId: 'me', messageId: ref.messageId, id: ref.attachmentId }));
    bytes = Buffer.from(data.data ?? '', 'base64url');
  } catch (error) {
    const failure = classifyGoogleError(error);
    const message = isJobLevelError(failure) ? `Not imported yet: ${errorMessage(failure)}; the import will try again` : `The attachment cannot be downloaded: ${failure.message}`;
    await markImportedFileFailed(db, reservation.id, message);
    if (isJobLevelError(failure)) throw failure;
    return ctx.tally.add({ ...outcome, outcome: 'failed', error: message });
  }

  if (isZip(bytes) && isArchiveType(await detectContentType(bytes.subarray(0, sniffSampleBytes), filename))) {
    return importArchive(ctx, { ...ref, externalId, filename, bytes, reservation });
  }
  try {
    const stored = await storeImportedBytes(ctx.platform.blobs, reservation.objectName, Readable.from([bytes]), { filename, limitBytes: ctx.limitBytes, fileId: reservation.id });
    await markImportedFileStored(db, reservation.id, stored);
    ctx.tally.add({ ...outcome, outcome: 'imported' });
  } catch (error) {
    if (!(error instanceof RefusedFileError)) throw error;
    await markImportedFileFailed(db, reservation.id, error.message);
    ctx.tally.add({ ...outcome, outcome: 'failed', error: error.message });
  }
}

interface MemberRecord {
  id: string | null;
  outcome: 'imported' | 'skipped' | 'failed';
  error?: string;
}

/**
 * A ZIP attachment: the archive is stored as its own row (`file_type = 'archive'`,
 * `unpacking` until every member is settled, then `unpacked`), and each member becomes a
 * row of its own. What unpackZip refuses (bombs, unsafe names, nesting past the limit,
 * encrypted or truncated members) fails that member's row with unpackZip's message; an
 * archive that cannot be opened at all fails the archive's row.
 */
async function importArchive(
  ctx: ImportContext,
  zip: GmailAttachmentRef & { externalId: string; filename: string; bytes: Buffer; reservation: Extract<Reservation, { kind: 'reserved' }> },
): Promise<void> {
  const db = ctx.platform.database.db;
  const archiveId = zip.reservation.id;
  await ctx.platform.blobs.write('uploads', zip.reservation.objectName, zip.bytes, { contentType: 'application/zip', metadata: { fileId: archiveId } });
  await db.updateTable('source_files').set({
    status: 'unpacking', file_type: 'archive', file_size_bytes: zip.bytes.length,
    checksum_sha256: createHash('sha256').update(zip.bytes).digest('hex'), updated_at: sql`now()`,
  }).where('id', '=', archiveId).execute();

  const records = new Map<string, MemberRecord>();
  // Two members may share a path (a ZIP can hold `same.pdf` twice): each is its own file.
  // The first keeps the path as its key, the n-th is `<path>#<n>`, in the archive's order,
  // which every redelivery walks the same way.
  const keys = new WeakMap<object, string>();
  const seen = new Map<string, number>();
  const keyOf = (member: { path: string }): string => {
    let key = keys.get(member);
    if (key === undefined) {
      const n = (seen.get(member.path) ?? 0) + 1;
      seen.set(member.path, n);
      key = n === 1 ? member.path : `${member.path}#${n}`;
      keys.set(member, key);
    }
    return key;
  };
  const store = async (member: ZipMember, content: Readable): Promise<void> => {
    const key = keyOf(member);
    const memberKey = fileKey(ctx, `${zip.externalId}/${key}`);
    const reservation = await reserveImportedFile(db, memberKey, {
      filename: member.name, originalPath: member.path, parentFileId: archiveId, declaredType: member.contentType, declaredSize: member.size,
    });
    if (reservation.kind === 'stored') {
      for await (const _ of content) { /* already imported: read past it */ }
      records.set(key, { id: reservation.id, outcome: 'skipped' });
      return;
    }
    if (member.size > ctx.limitBytes) {
      for await (const _ of content) { /* refused: read past it so the walk goes on */ }
      const message = `${member.path}: larger than your upload limit of ${formatBytes(ctx.limitBytes)}`;
      await markImportedFileFailed(db, reservation.id, message);
      records.set(key, { id: reservation.id, outcome: 'failed', error: message });
      return;
    }
    try {
      const stored = await storeImportedBytes(ctx.platform.blobs, reservation.objectName, content, {
        filename: member.name, limitBytes: ctx.limitBytes, fileId: reservation.id, drainRefused: true,
      });
      await markImportedFileStored(db, reservation.id, stored);
      records.set(key, { id: reservation.id, outcome: 'imported' });
    } catch (error) {
      const message = error instanceof RefusedFileError ? `${member.path}: ${error.message}` : `${member.path}: ${errorMessage(error)}`;
      await markImportedFileFailed(db, reservation.id, message);
      records.set(key, { id: reservation.id, outcome: 'failed', error: message });
      if (!(error instanceof RefusedFileError)) throw error; // the stream broke: unpackZip reports why
    }
  };

  let unpacked;
  try {
    unpacked = await unpackZip(zip.bytes, store);
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    const message = `${zip.filename}: ${error.message}`;
    await markImportedFileFailed(db, archiveId, message);
    return ctx.tally.add({ externalId: zip.externalId, filename: zip.filename, sourceFileId: archiveId, outcome: 'failed', error: message });
  }

  for (const result of unpacked.members) {
    const memberPath = result.member.path;
    const key = keyOf(result.member);
    let record = records.get(key);
    if (!result.ok) {
      const message = result.error?.message ?? `${memberPath}: not unpacked`;
      const id = record?.id ?? (await recordFailedImport(db, fileKey(ctx, `${zip.externalId}/${key}`), {
        filename: path.posix.basename(memberPath) || memberPath, originalPath: memberPath, parentFileId: archiveId,
      }, message));
      if (record?.id) await markImportedFileFailed(db, record.id, message);
      record = { id, outcome: 'failed', error: message };
    }
    if (!record) continue;
    ctx.tally.add({ externalId: `${zip.externalId}/${key}`, filename: path.posix.basename(memberPath), sourceFileId: record.id, outcome: record.outcome, ...(record.error ? { error: record.error } : {}) });
  }
  ctx.tally.total += unpacked.members.length;
  const archiveProblem = unpacked.archiveError ? `${zip.filename}: ${unpacked.archiveError.message}` : null;
  await db.updateTable('source_files')
    .set({ status: archiveProblem ? 'failed' : 'unpacked', error_message: archiveProblem, updated_at: sql`now()` })
    .where('id', '=', archiveId).execute();
  ctx.tally.add({ externalId: zip.externalId, filename: zip.filename, sourceFileId: archiveId, outcome: 'unpacked', ...(archiveProblem ? { error: archiveProblem } : {}) });
  ctx.tally.total -= 1; // the archive stands for its members in the count
}

/** The part carrying `attachmentId`, searched depth-first through multipart bodies. */
function findAttachmentPart(part: gmail_v1.Schema$MessagePart | undefined, attachmentId: string): gmail_v1.Schema$MessagePart | undefined {
  if (!part) return undefined;
  if (part.body?.attachmentId === attachmentId) return part;
  for (const child of part.parts ?? []) {
    const found = findAttachmentPart(child, attachmentId);
    if (found) return found;
  }
  return undefined;
}

/** The sender's file name, for display only (object names use ids): no path, no control characters. */
function safeFilename(name: string | null | undefined): string | undefined {
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base ? base.slice(0, 255) : undefined;
}

function dedupe(refs: GmailAttachmentRef[]): GmailAttachmentRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.messageId}:${r.attachmentId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fileKey(ctx: ImportContext, externalId: string) {
  return { userId: ctx.claim.userId, jobId: ctx.claim.jobId, sourceType: 'gmail' as const, externalId };
}

/** One Gmail call, paced inside the account's quota. */
async function gmailCall<T>(ctx: ImportContext, method: GmailMethod, fn: () => Promise<T>): Promise<T> {
  await gmailQuota.take(ctx.claim.accountId, method);
  return fn();
}
