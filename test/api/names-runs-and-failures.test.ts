import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const alice = { Authorization: 'Bearer dev:alice' };
const bob = { Authorization: 'Bearer dev:bob' };
const boundary = 'namesnames';

/** A multipart body as a browser sends it: the filename's UTF-8 bytes as they are, no escaping. */
function browserForm(filename: string, bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`, 'utf8'),
    bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

let platform: TestPlatform;
let api: ReturnType<typeof request>;
let jobId: string;
beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  api = request(createApiApp(async () => platform));
  jobId = (await api.post('/v1/jobs').set(alice).send({ name: 'Names', fields: [{ name: 'File', type: 'text' }] }).expect(201)).body.id;
});
afterAll(() => platform.close());

describe('upload file names round-trip exactly, NFC-normalised', () => {
  it('a UTF-8 name is stored as sent and reaches the results, and a decomposed one is stored composed', async () => {
    const upload = (name: string) => api.post(`/v1/jobs/${jobId}/files`).set(alice).set('content-type', `multipart/form-data; boundary=${boundary}`)
      .send(browserForm(name, Buffer.from('Invoice number: 1\n'))).expect(201);
    expect((await upload('Ünïcode 中文.txt')).body.filename).toBe('Ünïcode 中文.txt');
    expect((await upload('Cafe\u0301 menu.txt')).body.filename).toBe('Café menu.txt');

    const run = (await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202)).body;
    await platform.dispatcher.drain();
    const results = (await api.get(`/v1/runs/${run.runId}/results`).set(alice).expect(200)).body.items as { sourceFileName: string; rows: unknown[][] }[];
    expect(results.map((r) => r.sourceFileName).sort()).toEqual(['Café menu.txt', 'Ünïcode 中文.txt']);
    // The scripted extractor answers the name it was given: the model sees it exactly too.
    expect(results.map((r) => r.rows[0]![0]).sort()).toEqual(['Café menu.txt', 'Ünïcode 中文.txt']);
  });
});

describe('the runs of a job follow the same 404 rule as every other route', () => {
  it("another user's job and a missing job answer 404, not an empty list", async () => {
    const bobsJob = (await api.post('/v1/jobs').set(bob).send({ name: "Bob's" }).expect(201)).body.id;
    const theirs = await api.get(`/v1/jobs/${bobsJob}/runs`).set(alice).expect(404);
    expect(theirs.body.error.code).toBe('not_found');
    await api.get('/v1/jobs/00000000-0000-4000-8000-000000000000/runs').set(alice).expect(404);
    await api.get(`/v1/jobs/${bobsJob}/runs`).set(bob).expect(200, { items: [], nextCursor: null });
  });
});

describe('why a file failed is visible through the api', () => {
  it("the run's tasks name each failed file and its reason", async () => {
    const job = (await api.post('/v1/jobs').set(alice).send({ name: 'Failures', fields: [{ name: 'File', type: 'text' }] }).expect(201)).body.id;
    const good = (await api.post(`/v1/jobs/${job}/files`).set(alice).attach('file', Buffer.from('Total: 1\n'), 'fine.txt').expect(201)).body;
    const bad = (await api.post(`/v1/jobs/${job}/files`).set(alice).attach('file', Buffer.from('Total: 2\n'), 'unreadable.txt').expect(201)).body;
    const run = (await api.post(`/v1/jobs/${job}/runs`).set(alice).expect(202)).body;
    await platform.dispatcher.drain();
    expect((await api.get(`/v1/runs/${run.runId}`).set(alice).expect(200)).body).toMatchObject({ tasksCompleted: 1, tasksFailed: 1 });

    const failed = (await api.get(`/v1/runs/${run.runId}/tasks?status=failed`).set(alice).expect(200)).body;
    expect(failed).toEqual({
      items: [{
        taskId: expect.any(String), status: 'failed', sourceFileId: bad.id, sourceFileName: 'unreadable.txt', sourceType: 'upload',
        attempts: expect.any(Number), errorCode: 'unreadable_file', errorMessage: 'unreadable.txt cannot be read', processedAt: expect.any(String),
      }],
      nextCursor: null,
    });
    const all = (await api.get(`/v1/runs/${run.runId}/tasks`).set(alice).expect(200)).body.items as { sourceFileId: string; status: string; errorMessage: string | null }[];
    expect(all.find((t) => t.sourceFileId === good.id)).toMatchObject({ status: 'completed', errorMessage: null });
    await api.get(`/v1/runs/${run.runId}/tasks`).set(bob).expect(404);
  });
});
