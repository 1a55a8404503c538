import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { PermanentError } from '../errors.js';
import { zipProblem } from './limits.js';

/** Bytes inflated so far by one unpack, shared by every member at every level. */
export interface InflateBudget {
  inflatedBytes: number;
}

export interface MeterOptions {
  /** Display path, for messages. */
  path: string;
  /** What the central directory claims: the stream must produce exactly this. */
  declaredSize: number;
  declaredCrc32: number;
  budget: InflateBudget;
  /** Bytes held back until `head` resolves, so the type can be sniffed before storing. */
  headBytes: number;
}

/**
 * The stream a member's bytes flow through on their way to `store`. Headers are not
 * trusted: bytes are counted as they inflate and the stream is destroyed with a
 * PermanentError `zip_bomb` the moment they pass the declared size, and with
 * `corrupt_archive` at the end if the length or CRC-32 differs from the central
 * directory. As the declared size was already checked against the per-member, total and
 * ratio limits, holding the member to it holds it to those limits too. The first `headBytes` are exposed as `head` before any
 * byte is pushed downstream.
 */
export class MemberMeter extends Transform {
  /** The first problem met; set before the stream emits its error. */
  failure: PermanentError | undefined;
  readonly head: Promise<Buffer>;
  private bytes = 0;
  private crc = 0;
  private headChunks: Buffer[] | undefined = [];
  private headLength = 0;
  private resolveHead!: (head: Buffer) => void;
  private rejectHead!: (error: Error) => void;

  constructor(private readonly options: MeterOptions) {
    super();
    this.head = new Promise<Buffer>((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
    this.head.catch(() => {}); // awaited by the walker; never an unhandled rejection
    this.on('error', () => {}); // the error is read from `failure` and from `store`'s rejection
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.options.budget.inflatedBytes += chunk.length;
    const problem = this.boundCrossed();
    if (problem) return callback(problem);
    this.crc = crc32(chunk, this.crc);
    if (!this.headChunks) {
      this.push(chunk);
    } else {
      this.headChunks.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength >= this.options.headBytes) this.releaseHead();
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const { path, declaredSize, declaredCrc32 } = this.options;
    if (this.bytes !== declaredSize) {
      return callback(zipProblem('corrupt_archive', `${path}: inflated to ${this.bytes} bytes but the archive declares ${declaredSize} (truncated or corrupt)`));
    }
    if (this.crc >>> 0 !== declaredCrc32 >>> 0) {
      return callback(zipProblem('corrupt_archive', `${path}: CRC-32 mismatch, the member's bytes are corrupt`));
    }
    if (this.headChunks) this.releaseHead();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error && !this.failure) {
      this.failure = error instanceof PermanentError ? error
        : zipProblem('corrupt_archive', `${this.options.path}: cannot be inflated (${error.message})`, error);
    }
    this.rejectHead(this.failure ?? new Error(`${this.options.path}: stream closed before its first bytes`));
    callback(this.failure ?? error);
  }

  private releaseHead(): void {
    const head = Buffer.concat(this.headChunks ?? []);
    this.headChunks = undefined;
    this.resolveHead(head);
    if (head.length > 0) this.push(head);
  }

  private boundCrossed(): PermanentError | undefined {
    const { path, declaredSize } = this.options;
    if (this.bytes <= declaredSize) return undefined;
    return zipProblem('zip_bomb', `${path}: inflates past its declared size of ${declaredSize} bytes (header lies); aborted at ${this.bytes} bytes`);
  }
}
