import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { SNIFF_BYTES } from './content-type.js';

/**
 * Counts and hashes (SHA-256) the bytes of a stream as they pass, and stops it past
 * `limit`; `readHead` takes the first bytes off for type sniffing without losing them.
 * Used by uploads and imports, so both enforce the same limit the same way.
 */
export class ByteMeter {
  bytes = 0;
  exceeded = false;
  private readonly hash = createHash('sha256');
  constructor(private readonly limit: number) {}

  /** Reads up to SNIFF_BYTES from the start of `body` without losing them. */
  async readHead(body: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of body.iterator({ destroyOnReturn: false })) {
      const buf = Buffer.from(chunk as Buffer);
      chunks.push(buf);
      length += buf.length;
      if (length >= SNIFF_BYTES) break;
    }
    return Buffer.concat(chunks);
  }

  /**
   * The head followed by the rest of `body`, counted and hashed. Past the limit it throws
   * and leaves `body` as it is, neither read nor destroyed: the caller drains it (an
   * upload's request, an archive member) or destroys it (a download).
   */
  async *replay(head: Buffer, body: Readable): AsyncGenerator<Buffer> {
    yield this.count(head);
    for await (const chunk of body.iterator({ destroyOnReturn: false })) yield this.count(Buffer.from(chunk as Buffer));
  }

  private count(chunk: Buffer): Buffer {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.exceeded = true;
      throw new Error('size limit exceeded');
    }
    this.hash.update(chunk);
    return chunk;
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}
