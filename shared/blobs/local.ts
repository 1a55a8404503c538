import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PermanentError } from '../errors.js';
import {
  assertLinkLifetime,
  BlobNotFoundError,
  bucketRoles,
  type BlobInfo,
  type BlobStore,
  type BucketRole,
  type SignedDownloadOptions,
  type SignedUpload,
  type SignedUploadOptions,
  type WriteOptions,
  type WrittenBlob,
} from './blob-store.js';
import { readSignedLink, signLink, type SignedLink } from './local-links.js';
import { assertObjectName } from './object-names.js';
import { relay } from './relay.js';

export interface LocalBlobStoreConfig {
  /** Folder that holds `<bucket>/<name>` files (e.g. `<dataDir>/blobs`). */
  root: string;
  /** Where `serveLocalBlobs` is mounted, e.g. `http://127.0.0.1:8080/blobs`. */
  linkBaseUrl: string;
  /** HMAC key for signed links; keep it out of logs. */
  linkSecret: string;
  /** Clock for link expiry, in milliseconds (tests move it). */
  now?: () => number;
}

interface StoredMeta {
  contentType: string;
  metadata: Record<string, string>;
  md5: string;
}

/**
 * The embedded blob store: object `<bucket>/<name>` is the file `<root>/<bucket>/<name>`;
 * its content type and metadata sit in `<root>/.meta/<bucket>/<sha256(name)>.json`.
 * Bytes are written to `<root>/.tmp` and renamed into place, so a half-written object is
 * never visible. Names are checked by `assertObjectName` and every path is checked to
 * stay under the root.
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string;
  readonly linkBaseUrl: string;
  readonly #secret: string;
  readonly #now: () => number;

  constructor(config: LocalBlobStoreConfig) {
    if (config.linkSecret.length < 16) throw new PermanentError('The local link secret must be at least 16 characters', 'weak_link_secret');
    this.root = path.resolve(config.root);
    this.linkBaseUrl = config.linkBaseUrl.replace(/\/+$/, '');
    this.#secret = config.linkSecret;
    this.#now = config.now ?? Date.now;
  }

  /** `file:///<root>/<bucket>/<name>`, readable by `readAll`. */
  uri(bucket: BucketRole, name: string): string {
    return pathToFileURL(this.#objectPath(bucket, name)).href;
  }

  async write(bucket: BucketRole, name: string, body: Readable | Buffer, opts: WriteOptions): Promise<WrittenBlob> {
    const writer = new LocalObjectWriter(this.#paths(bucket, name), opts);
    await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, writer);
    return writer.written;
  }

  openWriteStream(bucket: BucketRole, name: string, opts: WriteOptions): Writable {
    return new LocalObjectWriter(this.#paths(bucket, name), opts);
  }

  read(bucket: BucketRole, name: string): Readable {
    return relay(createReadStream(this.#objectPath(bucket, name)), (error) =>
      isMissing(error) ? new BlobNotFoundError(bucket, name) : (error as Error),
    );
  }

  /** Reads a `file://` URI this store issued; any other URI is refused. */
  async readAll(uri: string): Promise<Buffer> {
    const { bucket, name } = this.#locate(uri);
    try {
      return await readFile(this.#objectPath(bucket, name));
    } catch (error) {
      throw isMissing(error) ? new BlobNotFoundError(bucket, name) : error;
    }
  }

  async exists(bucket: BucketRole, name: string): Promise<boolean> {
    return (await this.stat(bucket, name)) !== null;
  }

  async stat(bucket: BucketRole, name: string): Promise<BlobInfo | null> {
    const paths = this.#paths(bucket, name);
    let size: number;
    try {
      const info = await stat(paths.object);
      if (!info.isFile()) return null;
      size = info.size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    const meta = await readMeta(paths.meta);
    return {
      size,
      contentType: meta?.contentType ?? 'application/octet-stream',
      metadata: meta?.metadata ?? {},
      ...(meta ? { md5: meta.md5 } : {}),
    };
  }

  async delete(bucket: BucketRole, name: string): Promise<void> {
    const paths = this.#paths(bucket, name);
    await rm(paths.object, { force: true });
    await rm(paths.meta, { force: true });
  }

  /** A link to `serveLocalBlobs` that GETs the object as an attachment until it expires. */
  async signedDownloadUrl(bucket: BucketRole, name: string, opts: SignedDownloadOptions): Promise<string> {
    assertLinkLifetime(opts.expiresInSeconds);
    this.#objectPath(bucket, name);
    return signLink(
      { action: 'download', bucket, name, expiresAt: this.#expiry(opts.expiresInSeconds), ...(opts.filename === undefined ? {} : { filename: opts.filename }) },
      this.#secret,
      this.linkBaseUrl,
    );
  }

  /** Speaks the GCS resumable protocol: POST with `headers` answers 201 + Location to PUT to. */
  async signedUploadUrl(bucket: BucketRole, name: string, opts: SignedUploadOptions): Promise<SignedUpload> {
    assertLinkLifetime(opts.expiresInSeconds);
    this.#objectPath(bucket, name);
    const url = signLink(
      {
        action: 'upload',
        bucket,
        name,
        expiresAt: this.#expiry(opts.expiresInSeconds),
        contentType: opts.contentType,
        ...(opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes }),
      },
      this.#secret,
      this.linkBaseUrl,
    );
    return { url, method: 'POST', headers: { 'content-type': opts.contentType, 'x-goog-resumable': 'start' } };
  }

  /** The grant a link of this store carries; throws `SignedLinkError` if expired or altered. */
  verifySignedLink(url: string | URL): SignedLink {
    return readSignedLink(url, this.#secret, this.linkBaseUrl, Math.floor(this.#now() / 1000));
  }

  #expiry(seconds: number): number {
    return Math.floor(this.#now() / 1000) + seconds;
  }

  #locate(uri: string): { bucket: BucketRole; name: string } {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      throw new PermanentError('Not a file:// URI of the local blob store', 'invalid_blob_uri');
    }
    const relative = path.relative(this.root, file).split(path.sep);
    const [bucket, ...segments] = relative;
    const name = segments.join('/');
    if (!bucketRoles.includes(bucket as BucketRole) || segments.length === 0) {
      throw new PermanentError('The URI is outside the local blob store', 'invalid_blob_uri');
    }
    return { bucket: bucket as BucketRole, name };
  }

  #objectPath(bucket: BucketRole, name: string): string {
    if (!bucketRoles.includes(bucket)) throw new PermanentError(`Unknown bucket role: ${String(bucket)}`, 'invalid_bucket');
    assertObjectName(name);
    const bucketDir = path.join(this.root, bucket);
    const file = path.resolve(bucketDir, ...name.split('/'));
    // Defence in depth: assertObjectName already rules out every escape.
    if (!file.startsWith(bucketDir + path.sep)) throw new PermanentError('Invalid blob name: escapes the store', 'invalid_blob_name');
    return file;
  }

  #paths(bucket: BucketRole, name: string): ObjectPaths {
    const object = this.#objectPath(bucket, name);
    const digest = createHash('sha256').update(name).digest('hex');
    return {
      bucket,
      name,
      object,
      meta: path.join(this.root, '.meta', bucket, `${digest}.json`),
      tmpDir: path.join(this.root, '.tmp'),
    };
  }
}

interface ObjectPaths {
  bucket: BucketRole;
  name: string;
  object: string;
  meta: string;
  tmpDir: string;
}

/** Streams into a temporary file, then commits metadata and bytes with renames. */
class LocalObjectWriter extends Writable {
  written: WrittenBlob = { size: 0 };
  readonly #paths: ObjectPaths;
  readonly #opts: WriteOptions;
  readonly #hash = createHash('md5');
  readonly #tmp: string;
  #handle: FileHandle | undefined;
  #size = 0;
  #committed = false;

  constructor(paths: ObjectPaths, opts: WriteOptions) {
    super();
    this.#paths = paths;
    this.#opts = opts;
    this.#tmp = path.join(paths.tmpDir, randomUUID());
  }

  override _construct(callback: (error?: Error | null) => void): void {
    mkdir(this.#paths.tmpDir, { recursive: true })
      .then(() => open(this.#tmp, 'wx'))
      .then((handle) => {
        this.#handle = handle;
        callback();
      }, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    this.#handle!.write(chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#commit().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const cleanup = this.#committed ? Promise.resolve() : this.#discard();
    cleanup.then(() => callback(error), () => callback(error));
  }

  async #commit(): Promise<void> {
    await this.#handle!.close();
    this.#handle = undefined;
    const md5 = this.#hash.digest('base64');
    const meta: StoredMeta = { contentType: this.#opts.contentType, metadata: { ...this.#opts.metadata }, md5 };
    try {
      await mkdir(path.dirname(this.#paths.meta), { recursive: true });
      const metaTmp = `${this.#tmp}.json`;
      await writeFile(metaTmp, JSON.stringify(meta));
      await rename(metaTmp, this.#paths.meta);
      await mkdir(path.dirname(this.#paths.object), { recursive: true });
      await rename(this.#tmp, this.#paths.object);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
        throw new PermanentError(
          `Blob ${this.#paths.bucket}/${this.#paths.name} clashes with another object's folder on disk`,
          'blob_name_conflict',
          { cause: error },
        );
      }
      throw error;
    }
    this.#committed = true;
    this.written = { size: this.#size, md5 };
  }

  async #discard(): Promise<void> {
    await this.#handle?.close().catch(() => undefined);
    await unlink(this.#tmp).catch(() => undefined);
  }
}

async function readMeta(file: string): Promise<StoredMeta | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredMeta;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
