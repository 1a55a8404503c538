import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcsBlobStore } from '../../shared/blobs/gcs.js';
import { startGcsDouble, type GcsDouble } from '../doubles/gcs.js';
import { describeBlobStoreContract } from './contract.js';
import { gcsStoreFor } from './gcs-store.js';

describeBlobStoreContract('GcsBlobStore', async () => {
  const double = await startGcsDouble();
  return { store: gcsStoreFor(double), bytesInFlight: async () => double.bytesReceived(), close: () => double.close() };
});

describe('GcsBlobStore against the Cloud Storage JSON API', () => {
  let double: GcsDouble;
  let store: GcsBlobStore;
  beforeAll(async () => {
    double = await startGcsDouble();
    store = gcsStoreFor(double);
  });
  afterAll(async () => double?.close());

  it('the uri is gs://<bucket>/<name> with the configured bucket of the role', () => {
    expect(store.uri('uploads', 'users/u1/a.pdf')).toBe('gs://br-test-uploads/users/u1/a.pdf');
    expect(store.uri('exports', 'runs/r1/out.csv')).toBe('gs://br-test-exports/runs/r1/out.csv');
  });

  it('a buffer goes up in one multipart request carrying the bucket, name, content type and metadata', async () => {
    const before = double.requests.length;
    await store.write('uploads', 'users/u1/files/f1/scan.pdf', Buffer.from('%PDF-1.4'), {
      contentType: 'application/pdf',
      metadata: { sourceFileId: 'f1' },
    });

    const sent = double.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      query: { uploadType: 'multipart' },
      bucket: 'br-test-uploads',
      name: 'users/u1/files/f1/scan.pdf',
      contentType: 'application/pdf',
    });
    expect(double.object('br-test-uploads', 'users/u1/files/f1/scan.pdf')).toMatchObject({
      contentType: 'application/pdf',
      metadata: { sourceFileId: 'f1' },
      bytes: Buffer.from('%PDF-1.4'),
    });
  });

  it('a stream goes up as a resumable upload into the exports bucket', async () => {
    const before = double.requests.length;
    await pipeline(
      Readable.from(['col\n', 'value\n']),
      store.openWriteStream('exports', 'runs/r9/results.csv', { contentType: 'text/csv' }),
    );

    const sent = double.requests.slice(before);
    expect(sent[0]).toMatchObject({ method: 'POST', query: { uploadType: 'resumable' }, bucket: 'br-test-exports', name: 'runs/r9/results.csv' });
    expect(sent.at(-1)).toMatchObject({ method: 'PUT', bucket: 'br-test-exports', name: 'runs/r9/results.csv', contentType: 'text/csv' });
    expect(double.object('br-test-exports', 'runs/r9/results.csv')?.bytes.toString()).toBe('col\nvalue\n');
  });

  it('readAll reads any gs:// URI, including objects this store did not write', async () => {
    double.put('someone-elses-bucket', 'shared/doc.pdf', Buffer.from('elsewhere'), 'application/pdf');

    expect((await store.readAll('gs://someone-elses-bucket/shared/doc.pdf')).toString()).toBe('elsewhere');
    await expect(store.readAll('https://example.com/doc.pdf')).rejects.toMatchObject({ code: 'invalid_blob_uri' });
  });

  it('delete sends DELETE for the object and a missing object is not an error', async () => {
    double.put('br-test-uploads', 'old/file.pdf', Buffer.from('x'));

    await store.delete('uploads', 'old/file.pdf');
    await store.delete('uploads', 'old/file.pdf');

    expect(double.object('br-test-uploads', 'old/file.pdf')).toBeUndefined();
    expect(double.requests.filter((r) => r.method === 'DELETE' && r.name === 'old/file.pdf')).toHaveLength(2);
  });
});
