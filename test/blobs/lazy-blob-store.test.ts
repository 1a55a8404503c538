import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError } from '../../shared/blobs/blob-store.js';
import { lazyBlobStore } from '../../shared/blobs/lazy.js';
import { gcsObjectUri } from '../../shared/blobs/object-names.js';
import { startGcsDouble, type GcsDouble } from '../doubles/gcs.js';
import { describeBlobStoreContract } from './contract.js';
import { gcsStoreFor } from './gcs-store.js';

// The production platform's blob store: the Cloud Storage store built on first use. It keeps
// the whole contract, streams included, against the GCS double.
describeBlobStoreContract('lazyBlobStore over GcsBlobStore', async () => {
  const double = await startGcsDouble();
  const inner = gcsStoreFor(double);
  return { store: lazyBlobStore(async () => inner, (bucket, name) => inner.uri(bucket, name)), bytesInFlight: async () => double.bytesReceived(), close: () => double.close() };
});

describe('lazyBlobStore', () => {
  let double: GcsDouble;
  beforeAll(async () => {
    double = await startGcsDouble();
  });
  afterAll(async () => double?.close());

  it('builds the store on the first call that needs it, once, and answers uri without it', async () => {
    let builds = 0;
    const store = lazyBlobStore(async () => {
      builds += 1;
      return gcsStoreFor(double);
    }, (bucket, name) => gcsObjectUri(bucket === 'uploads' ? 'br-test-uploads' : 'br-test-exports', name));

    expect(store.uri('uploads', 'users/u1/a.pdf')).toBe('gs://br-test-uploads/users/u1/a.pdf');
    expect(builds).toBe(0);
    const out = store.openWriteStream('exports', 'runs/r1/lazy.csv', { contentType: 'text/csv' });
    await pipeline(Readable.from([Buffer.from('a,b\r\n'), Buffer.from('1,2\r\n')]), out);
    expect(await buffer(store.read('exports', 'runs/r1/lazy.csv'))).toEqual(Buffer.from('a,b\r\n1,2\r\n'));
    expect(await store.exists('exports', 'runs/r1/lazy.csv')).toBe(true);
    expect(builds).toBe(1);
  });

  it('a store that cannot be built fails the write stream, and the next call tries again', async () => {
    let attempts = 0;
    const store = lazyBlobStore(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('no credentials yet');
      return gcsStoreFor(double);
    }, (_bucket, name) => name);

    await expect(pipeline(Readable.from([Buffer.from('x')]), store.openWriteStream('exports', 'runs/r2/a.csv', { contentType: 'text/csv' }))).rejects.toThrow('no credentials yet');
    await expect(buffer(store.read('exports', 'runs/r2/a.csv'))).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(attempts).toBe(2);
  });
});
