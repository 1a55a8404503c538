import { Writable } from 'node:stream';
import type { OAuth2Client } from 'google-auth-library';
import { TransientError } from '../errors.js';

/** Drive wants every chunk but the last in multiples of 256 KiB. */
const CHUNK_UNIT = 256 * 1024;
/** 8 MiB chunks: the memory one upload holds, and a round trip per 8 MiB. */
export const DRIVE_CHUNK_BYTES = 32 * CHUNK_UNIT;
/** Tries per chunk after a passing failure, resuming from what Drive says it has. */
const CHUNK_TRIES = 3;

/** What Drive answers once the last chunk is in. */
export interface DriveUploadedFile {
  id: string;
  name?: string;
}

/**
 * Starts a Drive resumable upload (`uploadType=resumable`) with the file's metadata and
 * answers the session URI the bytes go to. googleapis has no resumable helper, so this is
 * the protocol by hand over the account's authorised client.
 */
export async function startResumableUpload(
  auth: OAuth2Client, rootUrl: string, metadata: { name: string; mimeType: string; parents?: string[]; appProperties: Record<string, string> },
): Promise<string> {
  const started = await auth.request({
    url: `${rootUrl}upload/drive/v3/files?uploadType=resumable&supportsAllDrives=true&fields=id,name`,
    method: 'POST',
    headers: { 'X-Upload-Content-Type': metadata.mimeType, 'Content-Type': 'application/json; charset=UTF-8' },
    data: metadata,
  });
  const session = started.headers.get('location');
  if (!session) throw new TransientError('Drive started a resumable upload without a session URI');
  return session;
}

/**
 * A Writable whose bytes become the Drive file of a resumable session: it holds one chunk
 * (`chunkBytes`, a multiple of 256 KiB) at a time and PUTs it with its `Content-Range`,
 * the last one with the total. After a failed PUT it asks Drive how much it has
 * (`bytes * /total`) and resumes from there. `file` resolves with Drive's answer once the
 * stream has finished; a destroyed stream leaves the session unfinished (no file appears).
 */
export class DriveResumableStream extends Writable {
  readonly file: Promise<DriveUploadedFile>;
  #resolve!: (file: DriveUploadedFile) => void;
  #reject!: (error: Error) => void;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes Drive has acknowledged. */
  #sent = 0;

  constructor(
    private readonly auth: OAuth2Client,
    private readonly session: string,
    private readonly chunkBytes: number = DRIVE_CHUNK_BYTES,
  ) {
    super();
    if (chunkBytes <= 0 || chunkBytes % CHUNK_UNIT !== 0) throw new RangeError('chunkBytes must be a positive multiple of 256 KiB');
    this.file = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.file.catch(() => {});
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    // Strictly more than a chunk is held before one goes: the last PUT always carries bytes.
    if (this.#pendingBytes <= this.chunkBytes) return callback();
    this.#flushFullChunks().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const rest = this.#take(this.#pendingBytes);
    const total = this.#sent + rest.length;
    this.#put(rest, total)
      .then((answer) => {
        if (!answer?.id) throw new TransientError('Drive finished the upload without a file id');
        this.#resolve(answer);
        callback();
      })
      .catch((error: Error) => {
        this.#reject(error);
        callback(error);
      });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#reject(error ?? new Error('The Drive upload was abandoned'));
    callback(error);
  }

  async #flushFullChunks(): Promise<void> {
    while (this.#pendingBytes > this.chunkBytes) await this.#put(this.#take(this.chunkBytes), undefined);
  }

  /** The first `bytes` bytes held, as one buffer. */
  #take(bytes: number): Buffer {
    const all = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    const taken = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.#pending = rest.length > 0 ? [rest] : [];
    this.#pendingBytes = rest.length;
    return taken;
  }

  /** PUTs `chunk` at the acknowledged offset; `total` on the last one. Answers the file when Drive has it all. */
  async #put(chunk: Buffer, total: number | undefined): Promise<DriveUploadedFile | undefined> {
    const start = this.#sent;
    for (let attempt = 1; ; attempt++) {
      const offset = this.#sent - start;
      const body = chunk.subarray(offset);
      const range = body.length === 0
        ? `bytes */${total ?? '*'}`
        : `bytes ${this.#sent}-${this.#sent + body.length - 1}/${total ?? '*'}`;
      try {
        const answer = await this.auth.request<DriveUploadedFile>({
          url: this.session, method: 'PUT', headers: { 'Content-Range': range }, data: body,
          validateStatus: (s) => s === 200 || s === 201 || s === 308,
        });
        if (answer.status === 308) {
          this.#sent = acknowledged(answer.headers.get('range'));
          if (this.#sent < start + chunk.length) continue; // Drive kept less than sent: send the rest
          return undefined;
        }
        this.#sent = start + chunk.length;
        return answer.data;
      } catch (error) {
        if (attempt >= CHUNK_TRIES || !isPassing(error)) throw error;
        this.#sent = await this.#askOffset(total);
        if (this.#sent < start) throw error;
      }
    }
  }

  /** How many bytes Drive has (`Content-Range: bytes * /total` answers 308 with `Range`). */
  async #askOffset(total: number | undefined): Promise<number> {
    const answer = await this.auth.request({
      url: this.session, method: 'PUT', headers: { 'Content-Range': `bytes */${total ?? '*'}` },
      validateStatus: (s) => s === 308 || s === 200 || s === 201,
    });
    return answer.status === 308 ? acknowledged(answer.headers.get('range')) : this.#sent;
  }
}

function acknowledged(range: string | null): number {
  const match = range ? /bytes=0-(\d+)/.exec(range) : null;
  return match ? Number(match[1]) + 1 : 0;
}

function isPassing(error: unknown): boolean {
  const status = (error as { response?: { status?: number } }).response?.status;
  return status === undefined || status >= 500 || status === 408 || status === 429;
}
