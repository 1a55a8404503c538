import { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import { PermanentError } from '../errors.js';
import { acceptedTypes, emptyFileMessage, formatBytes, sniffContentType } from '../files/content-type.js';
import { ByteMeter } from '../files/byte-meter.js';

export interface StoredBytes {
  contentType: string;
  size: number;
  sha256: string;
}

/** Why a file's bytes were refused: the file fails, the import goes on. */
export class RefusedFileError extends PermanentError {
  constructor(message: string, code: 'unsupported_type' | 'file_too_large' | 'empty_file') {
    super(message, code);
  }
}

export const unsupportedTypeMessage = (what: string) =>
  `Unsupported file type${what ? ` (${what})` : ''}: import a PDF, an image (PNG, JPEG, TIFF, WebP, GIF), or a text or CSV file`;

/**
 * Streams `body` into the uploads bucket under `objectName`: the type is decided from the
 * first bytes (never from the sender's word) before anything is written, and the bytes
 * are counted and hashed (sha256) as they pass, never held whole. An unsupported type or
 * a file over `limitBytes` throws RefusedFileError and leaves no object behind (check the
 * declared size first when the body must be read to its end); an error
 * of `body` itself (the network) is rethrown as it came.
 */
export async function storeImportedBytes(
  blobs: BlobStore, objectName: string, body: Readable,
  file: { filename: string; limitBytes: number; fileId: string; /** Read a refused body to its end instead of destroying it (archive members). */ drainRefused?: boolean },
): Promise<StoredBytes> {
  const meter = new ByteMeter(file.limitBytes);
  const head = await meter.readHead(body);
  if (head.length === 0) throw new RefusedFileError(emptyFileMessage, 'empty_file');
  const contentType = await sniffContentType(head, file.filename);
  if (!contentType || !acceptedTypes.has(contentType)) {
    if (file.drainRefused) for await (const _ of body) { /* read past it */ }
    else body.destroy();
    throw new RefusedFileError(unsupportedTypeMessage(contentType ?? ''), 'unsupported_type');
  }
  try {
    await blobs.write('uploads', objectName, Readable.from(meter.replay(head, body)), { contentType, metadata: { fileId: file.fileId } });
  } catch (error) {
    await blobs.delete('uploads', objectName).catch(() => {});
    if (meter.exceeded && file.drainRefused) for await (const _ of body) { /* read past it */ }
    else body.destroy();
    if (meter.exceeded) throw new RefusedFileError(`The file is larger than your upload limit of ${formatBytes(file.limitBytes)}`, 'file_too_large');
    throw error;
  }
  return { contentType, size: meter.bytes, sha256: meter.sha256() };
}
