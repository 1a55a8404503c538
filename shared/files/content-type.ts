import { fileTypeFromBuffer } from 'file-type';

/** Types a run can read. Decided from the bytes (magic numbers), never from the client's word. */
export const acceptedTypes = new Set([
  'application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'image/webp', 'image/gif', 'text/plain', 'text/csv',
]);

/** What a zero-byte file is told, instead of "unsupported type" (uploads and imports alike). */
export const emptyFileMessage = 'The file is empty (0 bytes): there is nothing to extract';

/** Bytes enough for every signature file-type knows. */
export const SNIFF_BYTES = 4100;

/**
 * The content type of a document from its first bytes: a known signature, else text when
 * the bytes are UTF-8 without NUL (CSV by its name), else null (unsupported).
 */
export async function sniffContentType(head: Buffer, filename: string): Promise<string | null> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  if (head.length === 0 || head.includes(0)) return null;
  // A multi-byte character may be cut at the end of the head: ignore the last 3 bytes.
  const probe = head.length === SNIFF_BYTES ? head.subarray(0, head.length - 3) : head;
  if (!isUtf8(probe)) return null;
  return /\.csv$/i.test(filename) ? 'text/csv' : 'text/plain';
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** "25 MB" for limits in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
