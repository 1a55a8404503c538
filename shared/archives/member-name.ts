import yauzl from 'yauzl';

/** What to do with an entry, judged from its name alone. */
export type NameVerdict =
  | { kind: 'skip' }
  | { kind: 'unsafe'; display: string; reason: string }
  | { kind: 'file'; path: string; name: string };

/**
 * Decodes an entry's name (UTF-8 flag, Info-ZIP Unicode Path field, else CP437) without
 * yauzl's own validation, which fails the whole archive on one bad name; backslashes
 * are kept so that `judgeMemberName` can refuse them.
 */
export function decodeMemberName(entry: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

/**
 * Directories and macOS litter are skipped; absolute paths, drive letters, `..`
 * segments, backslashes and control characters are refused; anything else becomes a
 * normalised relative path (NFC, no empty or `.` segments).
 */
export function judgeMemberName(rawName: string): NameVerdict {
  const segments = rawName.split('/');
  if (rawName.endsWith('/')) return { kind: 'skip' };
  if (segments.includes('__MACOSX') || segments.at(-1) === '.DS_Store') return { kind: 'skip' };

  const reason = unsafeReason(rawName, segments);
  if (reason) return { kind: 'unsafe', display: displayName(rawName), reason };

  const kept = rawName.normalize('NFC').split('/').filter((s) => s !== '' && s !== '.');
  if (kept.length === 0) return { kind: 'unsafe', display: displayName(rawName), reason: 'names no file' };
  return { kind: 'file', path: kept.join('/'), name: kept.at(-1)! };
}

function unsafeReason(rawName: string, segments: string[]): string | undefined {
  if (rawName.length === 0) return 'is empty';
  if (rawName.includes('\0')) return 'contains a NUL byte';
  if (/[\u0001-\u001f\u007f]/.test(rawName)) return 'contains a control character';
  if (rawName.includes('\\')) return 'contains a backslash';
  if (rawName.startsWith('/')) return 'is an absolute path';
  if (/^[a-zA-Z]:/.test(rawName)) return 'starts with a drive letter';
  if (segments.includes('..')) return "contains a '..' segment";
  return undefined;
}

/** A refused name made printable for messages (control characters escaped). */
function displayName(rawName: string): string {
  return rawName.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
