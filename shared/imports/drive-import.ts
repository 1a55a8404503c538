import type { Readable } from 'node:stream';
import type { drive_v3 } from '@googleapis/drive';
import { PermanentError, errorMessage } from '../errors.js';
import { formatBytes } from '../files/content-type.js';
import { classifyGoogleError, isJobLevelError, withReadableErrorBody } from './google-errors.js';
import { DRIVE_FILE_FIELDS, FOLDER_MIME, SHORTCUT_MIME, walkDriveInputs, type DriveEntry } from './drive-walk.js';
import { markImportedFileFailed, markImportedFileStored, recordFailedImport, reserveImportedFile } from './imported-files.js';
import { driveApi, type ImportContext } from './import-context.js';
import { forEachConcurrently } from './concurrency.js';
import { storeImportedBytes } from './store-bytes.js';

/**
 * The drive-import stage's work (seed 002 §4.1, seed 001 §4): Drive files and folders into
 * `source_files` of an extraction job, native Google files exported as PDF, bytes
 * streamed to the uploads bucket. Per-file problems fail that file; job-level ones
 * (429, 5xx, network, revoked) are thrown for the stage to retry or give up.
 */

/** Google's documented export limit for Docs Editors files. */
export const DRIVE_EXPORT_LIMIT_BYTES = 10 * 1024 * 1024;

// Files downloaded at once per import: Drive answers media quickly; more mostly adds 429s.
const DOWNLOAD_CONCURRENCY = 4;

/** Native types exported as PDF; other native types (Forms, Sites, Maps) cannot be. */
const exportableAsPdf = new Set([
  'application/vnd.google-apps.document',
  'application/vnd.google-apps.spreadsheet',
  'application/vnd.google-apps.presentation',
  'application/vnd.google-apps.drawing',
]);

export interface DriveImportOutcome {
  /**
   * The changes token each folder syncs from next, kept per job and folder (after an
   * import of the folder, or the sync's new one): syncing one folder never moves another's.
   */
  syncTokens?: { folderId: string; pageToken: string }[];
  stage: string;
}

/** `drive_import`: the ids in the payload (`fileIds`, `folderIds`), walked and imported. */
export async function importDriveSelection(ctx: ImportContext, payload: { fileIds?: string[]; folderIds?: string[] }): Promise<DriveImportOutcome> {
  const api = driveApi(ctx.platform, ctx.auth);
  // Taken before the walk, so a change made while it runs is seen by the next sync.
  const startToken = await call(() => api.changes.getStartPageToken({ supportsAllDrives: true }));
  await ctx.tally.progress(true, 'Listing the selected Drive files and folders');
  const walk = await walkDriveInputs(api, [...(payload.fileIds ?? []), ...(payload.folderIds ?? [])], (found) =>
    ctx.tally.progress(false, `Listing Drive folders: ${found} files found`));
  ctx.tally.total = walk.files.length + walk.failures.length;
  for (const failure of walk.failures) {
    const id = await recordFailedImport(ctx.platform.database.db, fileKey(ctx, failure.id), { filename: failure.name }, failure.message);
    if (id) ctx.tally.add({ externalId: failure.id, filename: failure.name, sourceFileId: id, outcome: 'failed', error: failure.message });
  }
  await importDriveEntries(ctx, api, walk.files);
  const truncated = walk.truncated ? ` (stopped at ${walk.files.length} files)` : '';
  const pageToken = startToken.data.startPageToken;
  return { syncTokens: pageToken ? (payload.folderIds ?? []).map((folderId) => ({ folderId, pageToken })) : [], stage: `${summary(ctx)}${truncated}` };
}

/**
 * `incremental_sync` of a folder (seed 001 §4.3): the changes since the folder's stored
 * token (paged), only files under `folderId` imported, removed and trashed files ignored,
 * and the folder's new start token stored when the sync succeeds. A file imported before
 * is skipped when Drive's `version` is the one imported, and imported again as a new
 * version of its source file when it was edited since.
 */
export async function syncDriveFolder(ctx: ImportContext, payload: { folderId?: string }, storedToken: string | null): Promise<DriveImportOutcome> {
  const folderId = payload.folderId;
  if (!folderId) throw new PermanentError('The sync names no folder', 'invalid_payload');
  if (!storedToken) throw new PermanentError('This folder has no Drive changes token yet: import it once into this job before syncing it', 'no_sync_token');
  const api = driveApi(ctx.platform, ctx.auth);
  await ctx.tally.progress(true, 'Reading Drive changes');
  const candidates = new Map<string, drive_v3.Schema$File>();
  let pageToken: string | undefined = storedToken;
  let newStartToken: string | undefined;
  while (pageToken) {
    const { data } = await call(() => api.changes.list({
      pageToken, pageSize: 1000, includeRemoved: true, supportsAllDrives: true, includeItemsFromAllDrives: true,
      fields: `nextPageToken,newStartPageToken,changes(fileId,removed,file(${DRIVE_FILE_FIELDS}))`,
    }));
    for (const change of data.changes ?? []) {
      if (change.removed || !change.file || change.file.trashed || !change.fileId) continue;
      if (change.file.mimeType === FOLDER_MIME) continue;
      candidates.set(change.fileId, change.file);
    }
    newStartToken = data.newStartPageToken ?? newStartToken;
    pageToken = data.nextPageToken ?? undefined;
  }
  const inFolder = folderMembership(api, folderId);
  const entries: DriveEntry[] = [];
  for (const file of candidates.values()) {
    if (!(await inFolder(file.parents ?? []))) continue;
    if (file.mimeType === SHORTCUT_MIME) continue; // a shortcut's target is imported in its own right, or not at all
    entries.push({
      id: file.id!, name: file.name ?? file.id!, mimeType: file.mimeType ?? 'application/octet-stream', size: file.size ? Number(file.size) : undefined,
      version: file.version ?? undefined, path: '',
    });
  }
  ctx.tally.total = entries.length;
  await importDriveEntries(ctx, api, entries);
  return { syncTokens: newStartToken ? [{ folderId, pageToken: newStartToken }] : [], stage: summary(ctx) };
}

/** Whether a file with these parents lies under `folderId` (ancestors read once each, cycles cut). */
function folderMembership(api: drive_v3.Drive, folderId: string): (parents: string[]) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>([[folderId, Promise.resolve(true)]]);
  const under = (id: string, seen: Set<string>): Promise<boolean> => {
    const cached = known.get(id);
    if (cached) return cached;
    if (seen.has(id) || seen.size > 100) return Promise.resolve(false);
    const answer = (async () => {
      let parents: string[];
      try {
        parents = (await api.files.get({ fileId: id, fields: 'id,parents', supportsAllDrives: true })).data.parents ?? [];
      } catch (error) {
        const failure = classifyGoogleError(error);
        if (isJobLevelError(failure)) throw failure;
        return false; // an ancestor we cannot read is not the folder
      }
      const next = new Set(seen).add(id);
      for (const parent of parents) if (await under(parent, next)) return true;
      return false;
    })();
    known.set(id, answer);
    return answer;
  };
  return async (parents) => {
    for (const parent of parents) if (await under(parent, new Set())) return true;
    return false;
  };
}

async function importDriveEntries(ctx: ImportContext, api: drive_v3.Drive, entries: DriveEntry[]): Promise<void> {
  await ctx.tally.progress(true);
  await forEachConcurrently(entries, DOWNLOAD_CONCURRENCY, async (entry) => {
    await importDriveFile(ctx, api, entry);
    await ctx.tally.progress();
  });
}

/** One Drive file: skipped when already stored, else downloaded (or exported) and stored, or failed with its reason. */
async function importDriveFile(ctx: ImportContext, api: drive_v3.Drive, entry: DriveEntry): Promise<void> {
  const db = ctx.platform.database.db;
  const native = entry.mimeType.startsWith('application/vnd.google-apps.');
  const filename = native && !/\.pdf$/i.test(entry.name) ? `${entry.name}.pdf` : entry.name;
  const reservation = await reserveImportedFile(db, fileKey(ctx, entry.id), {
    filename, originalPath: entry.path || null, declaredType: native ? 'application/pdf' : entry.mimeType, declaredSize: native ? 0 : entry.size ?? 0,
    ...(entry.version ? { version: entry.version } : {}),
  });
  const outcome = { externalId: entry.id, filename, sourceFileId: reservation.id };
  if (reservation.kind === 'stored') return ctx.tally.add({ ...outcome, outcome: 'skipped' });

  const fail = async (message: string) => {
    await markImportedFileFailed(db, reservation.id, message);
    ctx.tally.add({ ...outcome, outcome: 'failed', error: message });
  };
  if (native && !exportableAsPdf.has(entry.mimeType)) return fail(`This kind of Google file (${entry.mimeType}) cannot be exported as PDF`);
  if (!native && entry.size !== undefined && entry.size > ctx.limitBytes) return fail(`The file is larger than your upload limit of ${formatBytes(ctx.limitBytes)}`);
  try {
    const body = await openDriveContent(api, entry.id, native);
    const stored = await storeImportedBytes(ctx.platform.blobs, reservation.objectName, body, { filename, limitBytes: ctx.limitBytes, fileId: reservation.id });
    await markImportedFileStored(db, reservation.id, { ...stored, ...(entry.version ? { version: entry.version } : {}) });
    ctx.tally.add({ ...outcome, outcome: 'imported' });
  } catch (error) {
    const failure = classifyGoogleError(error);
    if (isJobLevelError(failure)) {
      await markImportedFileFailed(db, reservation.id, `Not imported yet: ${errorMessage(failure)}; the import will try again`);
      throw failure;
    }
    await fail(describeFileFailure(failure));
  }
}

/** The file's bytes as a stream: `alt=media`, or a PDF export for native Google files. */
async function openDriveContent(api: drive_v3.Drive, fileId: string, native: boolean): Promise<Readable> {
  try {
    const response = native
      ? await api.files.export({ fileId, mimeType: 'application/pdf' }, { responseType: 'stream' })
      : await api.files.get({ fileId, alt: 'media', supportsAllDrives: true }, { responseType: 'stream' });
    return response.data as unknown as Readable;
  } catch (error) {
    throw await withReadableErrorBody(error);
  }
}

function describeFileFailure(error: Error): string {
  if (error instanceof PermanentError) {
    if (error.code === 'google_exportSizeLimitExceeded') {
      return `Google exports Docs, Sheets and Slides only up to ${formatBytes(DRIVE_EXPORT_LIMIT_BYTES)} (Google's export limit), and this document is larger: download it as PDF from Drive and upload that instead`;
    }
    if (error.code === 'google_notFound' || error.code === 'google_404') return 'The file was not found in Drive, or is no longer shared with this Google account';
    if (error.code === 'google_fileNotDownloadable' || error.code === 'google_cannotDownloadFile') return `Drive does not allow this file to be downloaded: ${error.message}`;
  }
  return error.message;
}

function fileKey(ctx: ImportContext, externalId: string) {
  return { userId: ctx.claim.userId, jobId: ctx.claim.jobId, sourceType: 'gdrive' as const, externalId };
}

function summary(ctx: ImportContext): string {
  const { imported, skipped, failed } = ctx.tally.result();
  return `Imported ${imported} of ${ctx.tally.total} files from Google Drive${skipped ? `, ${skipped} already there` : ''}${failed ? `, ${failed} failed` : ''}`;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classifyGoogleError(error);
  }
}
