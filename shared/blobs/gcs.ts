import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Storage, type File, type StorageOptions } from '@google-cloud/storage';
import { PermanentError } from '../errors.js';
import {
  assertLinkLifetime,
  BlobNotFoundError,
  type BlobInfo,
  type BlobStore,
  type BucketRole,
  type SignedDownloadOptions,
  type SignedUpload,
  type SignedUploadOptions,
  type WriteOptions,
  type WrittenBlob,
} from './blob-store.js';
import { attachmentDisposition } from './content-disposition.js';
import { gcsFailure } from './gcs-errors.js';
import { assertObjectName, gcsObjectUri } from './object-names.js';
import { relay } from './relay.js';

export interface GcsBlobStoreConfig {
  /** Real bucket names behind each role. */
  buckets: Record<BucketRole, string>;
  /**
   * Passed to `new Storage()`. Leave credentials out on Cloud Functions: ADC is used,
   * and signed URLs are signed through IAM `signBlob` (the runtime service account needs
   * `roles/iam.serviceAccountTokenCreator` on itself).
   */
  storage?: StorageOptions;
}

/** The production blob store on Cloud Storage. */
export class GcsBlobStore implements BlobStore {
  readonly #storage: Storage;
  readonly #buckets: Record<BucketRole, string>;

  constructor(config: GcsBlobStoreConfig) {
    this.#storage = new Storage(config.storage);
    this.#buckets = { ...config.buckets };
  }

  /** `gs://<bucket>/<name>`, the URI Vertex AI reads a file from. */
  uri(bucket: BucketRole, name: string): string {
    return gcsObjectUri(this.#buckets[bucket], name);
  }

  /** Buffers go up in one multipart request, streams through a resumable upload. */
  async write(bucket: BucketRole, name: string, body: Readable | Buffer, opts: WriteOptions): Promise<WrittenBlob> {
    const file = this.#file(bucket, name);
    const resumable = !Buffer.isBuffer(body);
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, this.#createWriteStream(file, opts, resumable));
    } catch (error) {
      throw gcsFailure(error, file.bucket.name, name);
    }
    return writtenBlob(file);
  }

  /** A resumable upload; the object exists once the stream has finished. */
  openWriteStream(bucket: BucketRole, name: string, opts: WriteOptions): Writable {
    return this.#createWriteStream(this.#file(bucket, name), opts, true);
  }

  /** The object's bytes, checked against its CRC32C; errors carry the error taxonomy. */
  read(bucket: BucketRole, name: string): Readable {
    const file = this.#file(bucket, name);
    return relay(file.createReadStream(), (error) => gcsFailure(error, file.bucket.name, name));
  }

  /** Reads a `gs://bucket/name` URI whole (any bucket the credentials can read). */
  async readAll(uri: string): Promise<Buffer> {
    const match = /^gs:\/\/([^/]+)\/(.+)$/s.exec(uri);
    if (!match) throw new PermanentError('Not a gs://bucket/name URI', 'invalid_blob_uri');
    const [, bucketName, name] = match as unknown as [string, string, string];
    try {
      const [bytes] = await this.#storage.bucket(bucketName).file(name).download();
      return bytes;
    } catch (error) {
      throw gcsFailure(error, bucketName, name);
    }
  }

  async exists(bucket: BucketRole, name: string): Promise<boolean> {
    return (await this.stat(bucket, name)) !== null;
  }

  async stat(bucket: BucketRole, name: string): Promise<BlobInfo | null> {
    const file = this.#file(bucket, name);
    try {
      const [meta] = await file.getMetadata();
      return {
        size: Number(meta.size ?? 0),
        contentType: meta.contentType ?? 'application/octet-stream',
        metadata: stringPairs(meta.metadata),
        ...(meta.md5Hash ? { md5: meta.md5Hash } : {}),
      };
    } catch (error) {
      const failure = gcsFailure(error, file.bucket.name, name);
      if (failure instanceof BlobNotFoundError) return null;
      throw failure;
    }
  }

  async delete(bucket: BucketRole, name: string): Promise<void> {
    const file = this.#file(bucket, name);
    await file.delete({ ignoreNotFound: true }).catch((error: unknown) => {
      throw gcsFailure(error, file.bucket.name, name);
    });
  }

  /** A V4 signed GET URL that downloads as an attachment. */
  async signedDownloadUrl(bucket: BucketRole, name: string, opts: SignedDownloadOptions): Promise<string> {
    assertLinkLifetime(opts.expiresInSeconds);
    const [url] = await this.#file(bucket, name).getSignedUrl({
      version: 'v4',
      action: 'read',
      expires: Date.now() + opts.expiresInSeconds * 1000,
      responseDisposition: attachmentDisposition(opts.filename ?? lastSegment(name)),
    });
    return url;
  }

  /**
   * A V4 signed URL that starts a resumable upload (`x-goog-resumable: start`); the
   * browser POSTs to it with `headers`, then PUTs the bytes to the returned `Location`.
   */
  async signedUploadUrl(bucket: BucketRole, name: string, opts: SignedUploadOptions): Promise<SignedUpload> {
    assertLinkLifetime(opts.expiresInSeconds);
    const extensionHeaders: Record<string, string> =
      opts.maxBytes === undefined ? {} : { 'x-goog-content-length-range': `0,${opts.maxBytes}` };
    const [url] = await this.#file(bucket, name).getSignedUrl({
      version: 'v4',
      action: 'resumable',
      expires: Date.now() + opts.expiresInSeconds * 1000,
      contentType: opts.contentType,
      extensionHeaders,
    });
    return {
      url,
      method: 'POST',
      headers: { 'content-type': opts.contentType, 'x-goog-resumable': 'start', ...extensionHeaders },
    };
  }

  #file(bucket: BucketRole, name: string): File {
    assertObjectName(name);
    return this.#storage.bucket(this.#buckets[bucket]).file(name);
  }

  #createWriteStream(file: File, opts: WriteOptions, resumable: boolean): Writable {
    return file.createWriteStream({
      resumable,
      contentType: opts.contentType,
      metadata: { contentType: opts.contentType, ...(opts.metadata ? { metadata: opts.metadata } : {}) },
    });
  }
}

function writtenBlob(file: File): WrittenBlob {
  const { size, md5Hash } = file.metadata;
  return { size: Number(size ?? 0), ...(md5Hash ? { md5: md5Hash } : {}) };
}

function stringPairs(metadata: Record<string, unknown> | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (value !== null && value !== undefined) pairs[key] = String(value);
  }
  return pairs;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
