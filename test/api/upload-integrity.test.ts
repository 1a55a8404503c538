import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import type { BlobStore } from '../../shared/blobs/blob-store.js';
import { startGcsDouble, type GcsDouble } from '../doubles/gcs.js';
import { gcsStoreFor } from '../blobs/gcs-store.js';
import { serveSignedBlobLinks } from '../support/blob-links.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const alice = { Authorization: 'Bearer dev:alice' };
const pdf = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const html = Buffer.from('<!doctype html><script>alert(1)</script>');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Starts a run of the job and answers what its task for `fileId` reads. */
async function bytesARunReads(platform: TestPlatform, api: ReturnType<typeof request>, jobId: string, fileId: string): Promise<Buffer> {
  const run = (await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202)).body;
  await platform.dispatcher.drain();
  const task = await platform.database.db.selectFrom('extraction_tasks').select('object_name').where('run_id', '=', run.runId).where('source_file_id', '=', fileId).executeTakeFirstOrThrow();
  return platform.blobs.readAll(platform.blobs.uri('uploads', task.object_name!));
}

describe('after finalize the uploaded file is immutable to the client', () => {
  describe('on the local blob store, through its signed links over HTTP', () => {
    let platform: TestPlatform;
    let api: ReturnType<typeof request>;
    let closeLinks: () => Promise<void>;
    beforeAll(async () => {
      platform = await createTestPlatform({ extractor: scriptedExtractor() });
      closeLinks = await serveSignedBlobLinks(platform);
      api = request(createApiApp(async () => platform));
    });
    afterAll(async () => {
      await closeLinks();
      await platform.close();
    });

    const uploadThrough = async (upload: { url: string; method: string; headers: Record<string, string> }, bytes: Buffer) => {
      const begin = await fetch(upload.url, { method: upload.method, headers: upload.headers });
      expect(begin.status).toBe(201);
      return fetch(begin.headers.get('location')!, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/pdf' } });
    };

    it('a PUT through the signed link after finalize changes nothing a run reads', async () => {
      const jobId = (await api.post('/v1/jobs').set(alice).send({ name: 'Immutable', fields: [{ name: 'File', type: 'text' }] }).expect(201)).body.id;
      const { fileId, upload } = (await api.post(`/v1/jobs/${jobId}/files/uploads`).set(alice).send({ filename: 'scan.pdf', contentType: 'application/pdf', sizeBytes: pdf.length }).expect(201)).body;
      expect((await uploadThrough(upload, pdf)).ok).toBe(true);
      const done = (await api.post(`/v1/jobs/${jobId}/files/${fileId}/finalize`).set(alice).expect(200)).body;
      expect(done).toMatchObject({ contentType: 'application/pdf', sizeBytes: pdf.length, status: 'uploaded' });

      // The link still lives (an hour): the client swaps the bytes for HTML.
      await uploadThrough(upload, html);

      const [file] = (await api.get(`/v1/jobs/${jobId}/files`).set(alice).expect(200)).body.items;
      expect(file).toMatchObject({ id: fileId, contentType: 'application/pdf', sizeBytes: pdf.length });
      const read = await bytesARunReads(platform, api, jobId, fileId);
      expect(read.equals(pdf)).toBe(true);
      const row = await platform.database.db.selectFrom('source_files').select('checksum_sha256').where('id', '=', fileId).executeTakeFirstOrThrow();
      expect(row.checksum_sha256).toBe(sha256(read));
    });

    it('a zero-byte file says it is empty, uploaded directly or through the link', async () => {
      const jobId = (await api.post('/v1/jobs').set(alice).send({ name: 'Empty' }).expect(201)).body.id;
      const direct = await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', Buffer.alloc(0), 'nothing.pdf').expect(400);
      expect(direct.body.error).toEqual({ code: 'empty_file', message: 'The file is empty (0 bytes): there is nothing to extract', requestId: direct.headers['x-request-id'] });
      const { fileId, upload } = (await api.post(`/v1/jobs/${jobId}/files/uploads`).set(alice).send({ filename: 'nothing.pdf', contentType: 'application/pdf', sizeBytes: 1 }).expect(201)).body;
      await uploadThrough(upload, Buffer.alloc(0));
      const finalized = await api.post(`/v1/jobs/${jobId}/files/${fileId}/finalize`).set(alice).expect(400);
      expect(finalized.body.error.code).toBe('empty_file');
      const [file] = (await api.get(`/v1/jobs/${jobId}/files`).set(alice).expect(200)).body.items;
      expect(file).toMatchObject({ status: 'failed', errorMessage: 'The file is empty (0 bytes): there is nothing to extract' });
    });
  });

  describe('on Cloud Storage (the GCS double behind the real client)', () => {
    let platform: TestPlatform;
    let api: ReturnType<typeof request>;
    let double: GcsDouble;
    let blobs: BlobStore;
    beforeAll(async () => {
      double = await startGcsDouble();
      platform = await createTestPlatform({ extractor: scriptedExtractor() });
      blobs = gcsStoreFor(double);
      platform.blobs = blobs;
      api = request(createApiApp(async () => platform));
    });
    afterAll(async () => {
      await platform.close();
      await double.close();
    });

    it('an object written again at the signed link after finalize changes nothing a run reads', async () => {
      const jobId = (await api.post('/v1/jobs').set(alice).send({ name: 'Immutable', fields: [{ name: 'File', type: 'text' }] }).expect(201)).body.id;
      const { fileId, upload } = (await api.post(`/v1/jobs/${jobId}/files/uploads`).set(alice).send({ filename: 'scan.pdf', contentType: 'application/pdf', sizeBytes: pdf.length }).expect(201)).body;
      // The object the V4 link writes to (/<bucket>/<name>); the double takes the bytes as the link would.
      const [, bucket, ...name] = new URL(upload.url).pathname.split('/');
      const linked = decodeURIComponent(name.join('/'));
      double.put(bucket!, linked, pdf, 'application/pdf');
      await api.post(`/v1/jobs/${jobId}/files/${fileId}/finalize`).set(alice).expect(200);
      expect(double.object(bucket!, linked)).toBeUndefined();

      double.put(bucket!, linked, html, 'application/pdf');

      const read = await bytesARunReads(platform, api, jobId, fileId);
      expect(read.equals(pdf)).toBe(true);
      const [file] = (await api.get(`/v1/jobs/${jobId}/files`).set(alice).expect(200)).body.items;
      expect(file).toMatchObject({ contentType: 'application/pdf', sizeBytes: pdf.length });
    });
  });
});
