import type { drive_v3 } from '@googleapis/drive';
import { PermanentError } from '../errors.js';
import { classifyGoogleError, isJobLevelError } from './google-errors.js';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const SHORTCUT_MIME = 'application/vnd.google-apps.shortcut';

/** The metadata the import needs of a Drive file. */
export const DRIVE_FILE_FIELDS = 'id,name,mimeType,size,md5Checksum,version,parents,trashed,shortcutDetails';

/** A file found by the walk, to be imported. */
export interface DriveEntry {
  id: string;
  name: string;
  mimeType: string;
  size?: number;
  /** Drive's `version` of the file: a different one than was imported means it changed. */
  version?: string;
  /** Folder path below the input it was found under (`Invoices/2024/`), for display. */
  path: string;
}

/** An input (or a shortcut's target) the walk could not read: that file fails, the import goes on. */
export interface DriveWalkFailure {
  id: string;
  name: string;
  message: string;
}

// A folder import stops collecting past this many files (seed 001 §4: "sensible limits").
export const MAX_FILES_PER_IMPORT = 5000;

/**
 * Expands the ids a user picked into the files to import: folders recursively (paged
 * `files.list`), shortcuts followed to their target, each id visited once, so a shortcut
 * cycle or an id given twice (or inside a folder also given) yields each file once.
 * Errors that concern one id become failures; job-level errors (429, 5xx, revoked) are thrown.
 */
export async function walkDriveInputs(
  api: drive_v3.Drive, inputIds: readonly string[], onFolder?: (found: number) => Promise<void>,
): Promise<{ files: DriveEntry[]; failures: DriveWalkFailure[]; truncated: boolean }> {
  const visited = new Set<string>();
  const files: DriveEntry[] = [];
  const failures: DriveWalkFailure[] = [];
  const folders: { id: string; path: string }[] = [];
  let truncated = false;

  const getFile = async (id: string): Promise<drive_v3.Schema$File | undefined> => {
    try {
      return (await api.files.get({ fileId: id, fields: DRIVE_FILE_FIELDS, supportsAllDrives: true })).data;
    } catch (error) {
      const failure = classifyGoogleError(error);
      if (isJobLevelError(failure)) throw failure;
      failures.push({ id, name: id, message: describeUnreadable(id, failure) });
      return undefined;
    }
  };

  /** Places one file: a folder to list, a shortcut to follow, or a file to import. */
  const place = async (file: drive_v3.Schema$File, path: string): Promise<void> => {
    if (file.trashed) return;
    if (file.mimeType === SHORTCUT_MIME) {
      const targetId = file.shortcutDetails?.targetId;
      if (!targetId || visited.has(targetId)) return;
      visited.add(targetId);
      const target = await getFile(targetId);
      if (target) await place(target, path);
      return;
    }
    if (file.mimeType === FOLDER_MIME) {
      folders.push({ id: file.id!, path: `${path}${file.name ?? file.id}/` });
      return;
    }
    if (files.length >= MAX_FILES_PER_IMPORT) {
      truncated = true;
      return;
    }
    files.push({ id: file.id!, name: file.name ?? file.id!, mimeType: file.mimeType ?? 'application/octet-stream', size: file.size ? Number(file.size) : undefined, version: file.version ?? undefined, path });
  };

  for (const id of inputIds) {
    if (visited.has(id)) continue;
    visited.add(id);
    const file = await getFile(id);
    if (file) await place(file, '');
  }
  while (folders.length > 0 && !truncated) {
    const folder = folders.shift()!;
    let pageToken: string | undefined;
    do {
      const { data } = await api.files.list({
        q: `'${folder.id.replace(/['\\]/g, '\\$&')}' in parents and trashed = false`,
        fields: `nextPageToken,files(${DRIVE_FILE_FIELDS})`,
        pageSize: 1000,
        pageToken,
        supportsAllDrives: true,
        includeItemsFromAllDrives: true,
      }).catch((error: unknown) => {
        throw classifyGoogleError(error);
      });
      for (const child of data.files ?? []) {
        if (!child.id || visited.has(child.id)) continue;
        visited.add(child.id);
        await place(child, folder.path);
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken && !truncated);
    await onFolder?.(files.length);
  }
  return { files, failures, truncated };
}

function describeUnreadable(id: string, error: Error): string {
  if (error instanceof PermanentError && (error.code === 'google_notFound' || error.code === 'google_404')) {
    return `Drive file ${id} was not found, or is not shared with this Google account`;
  }
  return `Drive file ${id} cannot be read: ${error.message}`;
}
