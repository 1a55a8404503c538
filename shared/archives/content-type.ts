import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';

/** Bytes of a member's head given to the sniffer (file-type's own default sample). */
export const sniffSampleBytes = 4100;

const byExtension: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.eml': 'message/rfc822',
  '.doc': 'application/msword',
  '.xls': 'application/vnd.ms-excel',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.zip': 'application/zip',
};

const zipType = 'application/zip';

/**
 * The member's MIME type: sniffed from its first bytes, else guessed from its extension,
 * else `application/octet-stream`. A sniffed generic ZIP whose extension names a ZIP-based
 * document (.docx, .xlsx, .odt, ...) takes the document's type, because a short sample
 * can hide the parts that tell them apart.
 */
export async function detectContentType(head: Uint8Array, name: string): Promise<string> {
  const fromName = byExtension[path.extname(name).toLowerCase()];
  const sniffed = await fileTypeFromBuffer(head).catch(() => undefined);
  if (sniffed?.mime === zipType && fromName && fromName !== zipType && isZipBased(fromName)) return fromName;
  return sniffed?.mime ?? fromName ?? 'application/octet-stream';
}

/** Whether a content type is a plain ZIP archive (to be unpacked in turn). */
export function isArchiveType(contentType: string): boolean {
  return contentType === zipType;
}

function isZipBased(mime: string): boolean {
  return mime.includes('openxmlformats') || mime.includes('opendocument');
}
