import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import { BlobNotFoundError, type BlobStore } from '../../shared/blobs/blob-store.js';

export interface ContractSubject {
  store: BlobStore;
  /** Bytes of unfinished writes that have reached the storage so far. */
  bytesInFlight(): Promise<number>;
  close(): Promise<void>;
}

const mib = 1024 * 1024;

/** The behaviour every BlobStore promises, run against each implementation. */
export function describeBlobStoreContract(label: string, open: () => Promise<ContractSubject>): void {
  describe(`${label}: the BlobStore contract`, () => {
    let subject: ContractSubject;
    let store: BlobStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => subject?.close());

    it('a written buffer reads back byte for byte, by name and by uri', async () => {
      const body = Buffer.from('%PDF-1.7 invoice 42\n\u0000\u00ff binary tail');
      const written = await store.write('uploads', 'users/u1/files/f1/invoice.pdf', body, { contentType: 'application/pdf' });

      expect(written.size).toBe(body.length);
      expect(written.md5).toBe(createHash('md5').update(body).digest('base64'));
      expect(await buffer(store.read('uploads', 'users/u1/files/f1/invoice.pdf'))).toEqual(body);
      expect(await store.readAll(store.uri('uploads', 'users/u1/files/f1/invoice.pdf'))).toEqual(body);
    });

    it('stat reports the size, content type and metadata the object was written with', async () => {
      await store.write('exports', 'runs/r1/results.csv', Readable.from(['a,b\n', '1,2\n']), {
        contentType: 'text/csv; charset=utf-8',
        metadata: { runId: 'r1', format: 'csv' },
      });

      expect(await store.stat('exports', 'runs/r1/results.csv')).toMatchObject({
        size: 8,
        contentType: 'text/csv; charset=utf-8',
        metadata: { runId: 'r1', format: 'csv' },
      });
      expect(await store.stat('exports', 'runs/r1/missing.csv')).toBeNull();
    });

    it('the same name in the two buckets holds two different objects', async () => {
      await store.write('uploads', 'same/name.txt', Buffer.from('upload'), { contentType: 'text/plain' });
      await store.write('exports', 'same/name.txt', Buffer.from('export'), { contentType: 'text/plain' });

      expect(await text(store.read('uploads', 'same/name.txt'))).toBe('upload');
      expect(await text(store.read('exports', 'same/name.txt'))).toBe('export');
    });

    it('writing a name again replaces the bytes and the content type', async () => {
      await store.write('uploads', 'replace/me', Buffer.from('first version'), { contentType: 'text/plain' });
      await store.write('uploads', 'replace/me', Buffer.from('second'), { contentType: 'application/json' });

      expect(await text(store.read('uploads', 'replace/me'))).toBe('second');
      expect(await store.stat('uploads', 'replace/me')).toMatchObject({ size: 6, contentType: 'application/json' });
    });

    it('exists turns true after a write and false after delete, and deleting twice is fine', async () => {
      const name = 'tmp/delete-me.bin';
      expect(await store.exists('uploads', name)).toBe(false);
      await store.write('uploads', name, Buffer.from([1, 2, 3]), { contentType: 'application/octet-stream' });
      expect(await store.exists('uploads', name)).toBe(true);

      await store.delete('uploads', name);
      await store.delete('uploads', name);

      expect(await store.exists('uploads', name)).toBe(false);
    });

    it('reading a missing object fails with BlobNotFoundError, a permanent error', async () => {
      await expect(buffer(store.read('uploads', 'nowhere/at-all.pdf'))).rejects.toBeInstanceOf(BlobNotFoundError);
      const failure = await store.readAll(store.uri('uploads', 'nowhere/at-all.pdf')).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(BlobNotFoundError);
      expect(failure).toBeInstanceOf(PermanentError);
    });

    it('names with spaces, unicode and URL characters round-trip unchanged', async () => {
      const name = 'users/u1/Ré sumé #2 (final)?.v1%20.pdf';
      await store.write('uploads', name, Buffer.from('odd name'), { contentType: 'application/pdf' });

      expect(await text(store.read('uploads', name))).toBe('odd name');
      expect(await store.readAll(store.uri('uploads', name))).toEqual(Buffer.from('odd name'));
    });

    it.each(['../escape.txt', 'a/../../escape.txt', '/etc/passwd', 'nul\u0000byte', 'line\nbreak', 'a//b', '.', ''])(
      'the hostile name %j is refused before anything is stored',
      async (name) => {
        const failure = await store.write('uploads', name, Buffer.from('x'), { contentType: 'text/plain' }).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(PermanentError);
        expect((failure as PermanentError).code).toBe('invalid_blob_name');
        expect(() => store.uri('uploads', name)).toThrow(/Invalid blob name/);
        await expect(store.exists('uploads', name)).rejects.toThrow(/Invalid blob name/);
      },
    );

    it('a 24 MiB stream reaches storage while the source is still producing it', async () => {
      const source = new ProbedSource(24 * mib, subject);
      const written = await store.write('uploads', 'big/stream.bin', Readable.from(source.chunks()), {
        contentType: 'application/octet-stream',
      });

      expect(source.inFlightBeforeLastChunk).toBeGreaterThan(8 * mib);
      expect(written.size).toBe(24 * mib);
      expect(written.md5).toBe(source.md5());
      const readBack = createHash('md5');
      for await (const chunk of store.read('uploads', 'big/stream.bin')) readBack.update(chunk as Buffer);
      expect(readBack.digest('base64')).toBe(source.md5());
    }, 30_000);

    it('openWriteStream streams a large export and the object exists once the pipeline finishes', async () => {
      const source = new ProbedSource(12 * mib, subject);
      await pipeline(Readable.from(source.chunks()), store.openWriteStream('exports', 'runs/r2/big.xlsx', { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));

      expect(source.inFlightBeforeLastChunk).toBeGreaterThan(4 * mib);
      expect(await store.stat('exports', 'runs/r2/big.xlsx')).toMatchObject({
        size: 12 * mib,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        md5: source.md5(),
      });
    }, 30_000);

    it('a write whose source fails leaves no object behind', async () => {
      async function* failing() {
        yield Buffer.alloc(256 * 1024, 7);
        throw new Error('the source broke');
      }
      await expect(
        store.write('uploads', 'broken/upload.bin', Readable.from(failing()), { contentType: 'application/octet-stream' }),
      ).rejects.toThrow();

      expect(await store.exists('uploads', 'broken/upload.bin')).toBe(false);
    });
  });
}

/**
 * A deterministic byte source that, before yielding its last chunk, waits (up to 10 s)
 * until at least half of what it produced has reached storage. A store that buffered
 * the whole body would never let that happen and the assertion on
 * `inFlightBeforeLastChunk` fails.
 */
class ProbedSource {
  inFlightBeforeLastChunk = 0;
  readonly #hash = createHash('md5');
  #digest: string | undefined;

  constructor(
    readonly total: number,
    readonly subject: ContractSubject,
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    const size = 64 * 1024;
    const baseline = await this.subject.bytesInFlight();
    for (let offset = 0; offset < this.total; offset += size) {
      const chunk = Buffer.alloc(Math.min(size, this.total - offset), (offset / size) % 251);
      if (offset + chunk.length >= this.total) this.inFlightBeforeLastChunk = (await this.#waitForHalf(baseline)) - baseline;
      this.#hash.update(chunk);
      yield chunk;
    }
  }

  md5(): string {
    this.#digest ??= this.#hash.digest('base64');
    return this.#digest;
  }

  async #waitForHalf(baseline: number): Promise<number> {
    const deadline = Date.now() + 10_000;
    let arrived = await this.subject.bytesInFlight();
    while (arrived - baseline < this.total / 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      arrived = await this.subject.bytesInFlight();
    }
    return arrived;
  }
}
