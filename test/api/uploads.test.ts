import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { serveSignedBlobLinks } from '../support/blob-links.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const alice = { Authorization: 'Bearer dev:alice' };
const pdf = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const elf = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64)]);

let platform: TestPlatform;
let api: ReturnType<typeof request>;
let closeLinks: () => Promise<void>;
let jobId: string;
beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  // A real blob link server, so the signed upload flow runs over HTTP as a browser would.
  closeLinks = await serveSignedBlobLinks(platform);
  api = request(createApiApp(async () => platform));
  jobId = (await api.post('/v1/jobs').set(alice).send({ name: 'Uploads' }).expect(201)).body.id;
});
afterAll(async () => {
  await closeLinks();
  await platform.close();
});

describe('direct uploads', () => {
  it('the type comes from the bytes, not from the name or the client', async () => {
    const named = await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', pdf, { filename: 'scan.txt', contentType: 'text/plain' }).expect(201);
    expect(named.body).toMatchObject({ filename: 'scan.txt', contentType: 'application/pdf', sizeBytes: pdf.length, status: 'uploaded', sourceType: 'upload' });
    const image = await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', png, 'photo.pdf').expect(201);
    expect(image.body.contentType).toBe('image/png');
    const exe = await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', elf, { filename: 'invoice.pdf', contentType: 'application/pdf' }).expect(415);
    expect(exe.body.error.code).toBe('unsupported_type');
  });

  it('a file over the user limit is a 413 naming the limit, and nothing is kept', async () => {
    await api.patch('/v1/settings').set(alice).send({ maxUploadBytes: 2048 }).expect(200);
    try {
      const before = await api.get(`/v1/jobs/${jobId}/files`).set(alice).expect(200);
      const big = Buffer.concat([pdf, Buffer.alloc(5000, 0x20)]);
      const res = await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', big, 'big.pdf').expect(413);
      expect(res.body.error).toEqual({ code: 'file_too_large', message: 'The file is larger than your upload limit of 2 KB', requestId: res.headers['x-request-id'] });
      const after = await api.get(`/v1/jobs/${jobId}/files`).set(alice).expect(200);
      expect(after.body.items).toEqual(before.body.items);
      const signed = await api.post(`/v1/jobs/${jobId}/files/uploads`).set(alice).send({ filename: 'big.pdf', contentType: 'application/pdf', sizeBytes: 5000 }).expect(413);
      expect(signed.body.error.message).toContain('2 KB');
    } finally {
      await api.patch('/v1/settings').set(alice).send({ maxUploadBytes: 25 * 1024 * 1024 }).expect(200);
    }
  });

  it('the default limit is 25 MB', async () => {
    const settings = await api.get('/v1/settings').set(alice).expect(200);
    expect(settings.body.maxUploadBytes).toBe(25 * 1024 * 1024);
  });

  it('a filename is stored as data and never becomes part of a path', async () => {
    const hostile = '../../etc/passwd .pdf';
    const res = await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', pdf, { filepath: hostile, contentType: 'application/pdf' } as never).expect(201);
    expect(res.body.filename).toBe(hostile);
    const row = await platform.database.db.selectFrom('source_files').select('gcs_object_name').where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.gcs_object_name).toBe(`alice/${jobId}/${res.body.id}`);
  });

  it('a request without a file part says so', async () => {
    const res = await api.post(`/v1/jobs/${jobId}/files`).set(alice).field('note', 'x').expect(400);
    expect(res.body.error.message).toMatch(/no part named "file"/);
  });
});

describe('signed uploads (browser straight to the bucket, then finalize)', () => {
  it('start -> upload through the signed link -> finalize makes the file usable', async () => {
    const started = await api.post(`/v1/jobs/${jobId}/files/uploads`).set(alice).send({ filename: 'direct.pdf', contentType: 'application/pdf', sizeBytes: pdf.length }).expect(201);
    const { upload, fileId } = started.body;
    await api.post(`/v1/jobs/${jobId}/files/${fileId}/finalize`).set(alice).expect(409);
    const begin = await fetch(upload.url, { method: upload.method, headers: upload.headers });
    expect(begin.status).toBe(201);
    const put = await fetch(begin.headers.get('location')!, { method: 'PUT', body: pdf, headers: { 'content-type': 'application/pdf' } });
    expect(put.ok).toBe(true);
    const done = await api.post(`/v1/jobs/${jobId}/files/${fileId}/finalize`).set(alice).expect(200);
    expect(done.body).toMatchObject({ id: fileId, status: 'uploaded', contentType: 'application/pdf', sizeBytes: pdf.length });
    const again = await api.post(`/v1/jobs/${jobId}/files/${fileId}/finalize`).set(alice).expect(200);
    expect(again.body).toEqual(done.body);
  });

  it('finalize refuses bytes of an unsupported type and deletes them', async () => {
    const started = await api.post(`/v1/jobs/${jobId}/files/uploads`).set(alice).send({ filename: 'tool.pdf', contentType: 'application/pdf', sizeBytes: elf.length }).expect(201);
    const { upload, fileId } = started.body;
    const begin = await fetch(upload.url, { method: upload.method, headers: upload.headers });
    await fetch(begin.headers.get('location')!, { method: 'PUT', body: elf, headers: { 'content-type': 'application/pdf' } });
    await api.post(`/v1/jobs/${jobId}/files/${fileId}/finalize`).set(alice).expect(415);
    const row = await platform.database.db.selectFrom('source_files').select(['status', 'error_message', 'gcs_object_name']).where('id', '=', fileId).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.error_message).toMatch(/Unsupported file type/);
    expect(await platform.blobs.exists('uploads', row.gcs_object_name)).toBe(false);
  });

  it("another user's file cannot be finalized or deleted", async () => {
    const started = await api.post(`/v1/jobs/${jobId}/files/uploads`).set(alice).send({ filename: 'x.pdf', contentType: 'application/pdf', sizeBytes: 10 }).expect(201);
    await api.post(`/v1/jobs/${jobId}/files/${started.body.fileId}/finalize`).set({ Authorization: 'Bearer dev:bob' }).expect(404);
    await api.delete(`/v1/jobs/${jobId}/files/${started.body.fileId}`).set({ Authorization: 'Bearer dev:bob' }).expect(404);
  });
});
