import type { Readable, Writable } from 'node:stream';
import { PermanentError, recognisedAcrossCopies } from '../errors.js';

/**
 * The blob seam: where uploaded documents and produced exports live.
 * Production is Cloud Storage (`./gcs.ts`), the embedded default a folder (`./local.ts`).
 * Code above the seam names buckets by role and never imports a storage SDK.
 */
export type BucketRole = 'uploads' | 'exports';

export const bucketRoles: readonly BucketRole[] = ['uploads', 'exports'];

export interface WriteOptions {
  contentType: string;
  /** Small string pairs stored with the object (custom metadata on GCS). */
  metadata?: Record<string, string>;
}

export interface WrittenBlob {
  size: number;
  /** Base64 MD5 of the stored bytes, as GCS reports it (`md5Hash`). */
  md5?: string;
}

export interface BlobInfo {
  size: number;
  contentType: string;
  metadata: Record<string, string>;
  md5?: string;
}

export interface SignedDownloadOptions {
  /** At most 604800 (7 days), the V4 signing limit. */
  expiresInSeconds: number;
  /** Offered as `Content-Disposition: attachment; filename=...`. */
  filename?: string;
}

export interface SignedUploadOptions {
  contentType: string;
  /** Uploads larger than this are refused (413 locally, `x-goog-content-length-range` on GCS). */
  maxBytes?: number;
  expiresInSeconds: number;
}

/**
 * How a browser starts an upload: send `method` to `url` with exactly `headers` and no
 * body; the answer (201) carries a `Location` to PUT the bytes to. This is the GCS
 * resumable-upload protocol, and the local stack speaks it too, so one client serves both.
 */
export interface SignedUpload {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
}

export interface BlobStore {
  /** `gs://bucket/name` in production, a `file://` URI locally: what extraction reads. */
  uri(bucket: BucketRole, name: string): string;

  /** Stores `body` under `name`, streaming it (never holding a whole Readable in memory). */
  write(bucket: BucketRole, name: string, body: Readable | Buffer, opts: WriteOptions): Promise<WrittenBlob>;

  /**
   * A stream whose bytes become the object. The object exists once the stream has
   * finished (use `pipeline` from `node:stream/promises`); a destroyed stream leaves
   * nothing behind. Resumable upload in production.
   */
  openWriteStream(bucket: BucketRole, name: string, opts: WriteOptions): Writable;

  /** The object's bytes; the stream errors with `BlobNotFoundError` when it is missing. */
  read(bucket: BucketRole, name: string): Readable;

  /** All bytes of the object a `uri()` named (the local extractor's reader). */
  readAll(uri: string): Promise<Buffer>;

  exists(bucket: BucketRole, name: string): Promise<boolean>;

  /** Size, content type and metadata, or null when the object is missing. */
  stat(bucket: BucketRole, name: string): Promise<BlobInfo | null>;

  /** Removes the object; a missing object is fine (idempotent). */
  delete(bucket: BucketRole, name: string): Promise<void>;

  /** An expiring GET link that downloads the object as an attachment. */
  signedDownloadUrl(bucket: BucketRole, name: string, opts: SignedDownloadOptions): Promise<string>;

  /** An expiring link a browser uploads one object through (see `SignedUpload`). */
  signedUploadUrl(bucket: BucketRole, name: string, opts: SignedUploadOptions): Promise<SignedUpload>;
}

/** The object is not there: retrying will not make it appear. */
export class BlobNotFoundError extends PermanentError {
  constructor(
    readonly bucket: string,
    readonly objectName: string,
  ) {
    super(`Blob not found: ${bucket}/${objectName}`, 'blob_not_found');
  }
}

// A local launcher's blob store (npm run serve) is another copy of this module than the built function's.
recognisedAcrossCopies(BlobNotFoundError, 'BlobNotFoundError');

/** V4 signed URLs (and local links, for parity) live at most seven days. */
export const maxSignedLinkSeconds = 604_800;

/** Throws unless `seconds` is a whole number of seconds in 1..604800. */
export function assertLinkLifetime(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxSignedLinkSeconds) {
    throw new PermanentError(
      `A signed link must live 1 to ${maxSignedLinkSeconds} whole seconds, got ${seconds}`,
      'invalid_link_lifetime',
    );
  }
}
