import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { createGeminiExtractor } from '../../shared/extraction/gemini.js';
import { gcsStoreFor } from '../blobs/gcs-store.js';
import { startGcsDouble, type GcsDouble } from '../doubles/gcs.js';
import { fixedTokenClient, quotaExhausted, startVertexDouble, type VertexDouble } from '../doubles/vertex.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

/** Runs whose extractor is the real Gemini client talking to the Vertex double. */

const alice = { Authorization: 'Bearer dev:alice' };
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

let platform: TestPlatform | undefined;
let vertex: VertexDouble | undefined;
let gcs: GcsDouble | undefined;
afterEach(async () => {
  await platform?.close();
  await vertex?.close();
  await gcs?.close();
  platform = undefined;
  vertex = undefined;
  gcs = undefined;
});

async function setUp() {
  vertex = await startVertexDouble();
  const extractor = createGeminiExtractor({
    project: 'bytereview-test', location: 'us-central1', baseUrl: vertex.url,
    googleAuthOptions: { authClient: fixedTokenClient() }, timeoutMs: 5_000,
  });
  // Gemini reads gs:// URIs: uploads go to the production GCS store on its double.
  gcs = await startGcsDouble();
  platform = await createTestPlatform({ extractor, blobs: gcsStoreFor(gcs) });
  const api = request(createApiApp(async () => platform!));
  const job = await api.post('/v1/jobs').set(alice).send({ name: 'Invoices', fields: [{ name: 'Vendor', type: 'text' }] }).expect(201);
  await api.post(`/v1/jobs/${job.body.id}/files`).set(alice).attach('file', pdf('acme'), 'acme.pdf').expect(201);
  return { api, jobId: job.body.id as string, vertex, platform };
}

describe('a run through the Gemini client', () => {
  it("the user's model and custom system prompt reach Vertex", async () => {
    const { api, jobId, vertex, platform } = await setUp();
    await api.patch('/v1/settings').set(alice).send({ modelName: 'gemini-2.5-pro', customSystemPrompt: 'Read Acme invoices; answer in JSON only.' }).expect(200);
    vertex.script({ kind: 'answer', answer: { rows: [{ vendor: 'Acme' }] }, usage: { prompt: 120, candidates: 8 } });
    const { runId } = (await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202)).body;
    await platform.dispatcher.drain();

    expect(vertex.requests).toHaveLength(1);
    const [sent] = vertex.requests;
    expect(sent!.route?.model).toBe('gemini-2.5-pro');
    expect(sent!.body.contents[0].parts).toContainEqual({ fileData: { fileUri: expect.stringMatching(/^gs:\/\/br-test-uploads\//), mimeType: 'application/pdf' } });
    expect(sent!.body.systemInstruction.parts[0].text).toBe('Read Acme invoices; answer in JSON only.');
    const results = (await api.get(`/v1/runs/${runId}/results`).set(alice).expect(200)).body.items;
    expect(results).toEqual([expect.objectContaining({ sourceFileName: 'acme.pdf', rows: [['Acme']], model: 'gemini-2.5-pro-001' })]);
  });

  it('a Vertex 429 that never clears fails the task with the reason after its attempts, and the run finishes', async () => {
    const { api, jobId, vertex, platform } = await setUp();
    const attempts = 5; // extraction_tasks.max_attempts
    vertex.script(...Array.from({ length: attempts }, () => quotaExhausted(1)));
    const { runId } = (await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202)).body;
    await platform.dispatcher.drain();

    expect(vertex.requests).toHaveLength(attempts);
    const task = await platform.database.db.selectFrom('extraction_tasks').select(['status', 'attempts', 'error_code', 'error_message']).executeTakeFirstOrThrow();
    expect(task).toMatchObject({ status: 'failed', attempts, error_code: 'rate_limited' });
    expect(task.error_message).toMatch(/^Gave up after 5 attempts: .*(quota|rate|429|exhausted)/i);
    const run = (await api.get(`/v1/runs/${runId}`).set(alice).expect(200)).body;
    expect(run).toMatchObject({ status: 'failed', tasksTotal: 1, tasksCompleted: 0, tasksFailed: 1 });
    expect(run.completedAt).not.toBeNull();
    const activity = (await api.get('/v1/activity').set(alice).expect(200)).body.items as { kind: string }[];
    expect(activity.map((a) => a.kind)).toContain('run_failed');
  }, 30_000);
});
