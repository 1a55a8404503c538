import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { PermanentError } from '../../shared/errors.js';
import { relayOutbox } from '../../shared/outbox/outbox.js';
import { initializeRun } from '../../shared/runs/initialize-run.js';
import { requestRun } from '../../shared/runs/request-run.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const alice = { Authorization: 'Bearer dev:alice' };
const bob = { Authorization: 'Bearer dev:bob' };
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

let platform: TestPlatform;
afterEach(() => platform?.close());

async function setUp(opts: Parameters<typeof createTestPlatform>[0] = { extractor: scriptedExtractor() }) {
  platform = await createTestPlatform(opts);
  const api = request(createApiApp(async () => platform));
  return api;
}

async function jobWithFiles(api: ReturnType<typeof request>, names: string[]) {
  const job = await api.post('/v1/jobs').set(alice).send({
    name: 'Invoices',
    fields: [{ name: 'File', type: 'text' }, { name: 'Total', type: 'currency', required: true }, { name: 'Paid', type: 'boolean' }],
  }).expect(201);
  for (const name of names) {
    await api.post(`/v1/jobs/${job.body.id}/files`).set(alice).attach('file', pdf(name), name).expect(201);
  }
  return job.body.id as string;
}

describe('a run, from upload to rows', () => {
  it('upload -> 202 -> completed run with one typed row per document', async () => {
    const api = await setUp();
    const jobId = await jobWithFiles(api, ['a.pdf', 'b.pdf']);
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    expect(started.body).toEqual({ runId: expect.any(String), operationId: expect.any(String) });
    await platform.dispatcher.drain();

    const run = await api.get(`/v1/runs/${started.body.runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ runNumber: 1, status: 'completed', tasksTotal: 2, tasksCompleted: 2, tasksFailed: 0, jobId });
    const op = await api.get(`/v1/operations/${started.body.operationId}`).set(alice).expect(200);
    expect(op.body).toMatchObject({ status: 'completed', pct: 100 });
    const results = await api.get(`/v1/runs/${started.body.runId}/results`).set(alice).expect(200);
    expect(results.body.items.map((r: { rows: unknown[][] }) => r.rows[0]).sort()).toEqual([['a.pdf', 42.5, true], ['b.pdf', 42.5, true]]);
    expect(results.body.items[0]).toMatchObject({ columns: ['File', 'Total', 'Paid'], sourceType: 'upload', engine: 'scripted-test', model: 'test-model' });
  });

  it('the extractor gets the file by its URI with the run snapshot of fields and the versioned system prompt', async () => {
    const extractor = scriptedExtractor();
    const api = await setUp({ extractor });
    const jobId = await jobWithFiles(api, ['a.pdf']);
    await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    expect(extractor.calls).toHaveLength(1);
    expect(extractor.calls[0]).toMatchObject({
      file: { uri: expect.stringMatching(/^file:\/\//), mimeType: 'application/pdf', filename: 'a.pdf' },
      model: 'test-model',
      systemPrompt: { version: '1', text: expect.stringContaining('JSON') },
      fields: [{ name: 'File', type: 'text', required: false }, { name: 'Total', type: 'currency', required: true }, { name: 'Paid', type: 'boolean', required: false }],
    });
  });

  it('editing the job after a run never changes that run', async () => {
    const api = await setUp();
    const jobId = await jobWithFiles(api, ['a.pdf']);
    const first = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    await api.patch(`/v1/jobs/${jobId}`).set(alice).send({ fields: [{ name: 'Vendor', type: 'text' }] }).expect(200);
    const second = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const r1 = await api.get(`/v1/runs/${first.body.runId}/results`).set(alice).expect(200);
    const r2 = await api.get(`/v1/runs/${second.body.runId}/results`).set(alice).expect(200);
    expect(r1.body.items[0].columns).toEqual(['File', 'Total', 'Paid']);
    expect(r2.body.items[0].columns).toEqual(['Vendor']);
    const runs = await api.get(`/v1/jobs/${jobId}/runs`).set(alice).expect(200);
    expect(runs.body.items.map((r: { runNumber: number }) => r.runNumber)).toEqual([2, 1]);
  });

  it('two runs started at the same moment get numbers N and N+1', async () => {
    const api = await setUp();
    const jobId = await jobWithFiles(api, ['a.pdf']);
    await Promise.all(Array.from({ length: 5 }, () => api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202)));
    await platform.dispatcher.drain();
    const runs = await api.get(`/v1/jobs/${jobId}/runs`).set(alice).expect(200);
    expect(runs.body.items.map((r: { runNumber: number }) => r.runNumber).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('every message delivered twice at once creates no duplicate run, task or result', async () => {
    const api = await setUp({ extractor: scriptedExtractor(), duplicateDelivery: true });
    const jobId = await jobWithFiles(api, ['a.pdf', 'b.pdf', 'c.pdf']);
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const db = platform.database.db;
    const count = async (table: 'job_runs' | 'extraction_tasks' | 'extraction_results') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('job_runs')).toBe(1);
    expect(await count('extraction_tasks')).toBe(3);
    expect(await count('extraction_results')).toBe(3);
    const run = await api.get(`/v1/runs/${started.body.runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ status: 'completed', tasksCompleted: 3, tasksFailed: 0 });
    const completedEvents = await db.selectFrom('activity_events').select('kind').where('kind', '=', 'run_completed').execute();
    expect(completedEvents).toHaveLength(1);
  });

  it('when the last tasks of a run finish at the same moment, each is counted once and the run completes once', async () => {
    const files = Array.from({ length: 24 }, (_, i) => `doc-${i}.pdf`);
    const base = scriptedExtractor();
    let waiting: (() => void)[] = [];
    // Every call waits until all of them are in flight, then all answer together.
    const barrier: typeof base = { ...base, extract: async (req) => {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === files.length) { waiting.forEach((r) => r()); waiting = []; }
      });
      return base.extract(req);
    } };
    const api = await setUp({ extractor: barrier });
    const jobId = await jobWithFiles(api, files);
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const run = await api.get(`/v1/runs/${started.body.runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ status: 'completed', tasksTotal: 24, tasksCompleted: 24, tasksFailed: 0 });
    const db = platform.database.db;
    expect(await db.selectFrom('outbox').select('id').where('name', '=', 'run.completed').execute()).toHaveLength(1);
    expect(await db.selectFrom('activity_events').select('id').where('kind', '=', 'run_completed').execute()).toHaveLength(1);
  });

  it('a bad file fails its task with the reason while the others complete', async () => {
    const api = await setUp();
    const jobId = await jobWithFiles(api, ['good.pdf', 'unreadable.pdf']);
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const run = await api.get(`/v1/runs/${started.body.runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ status: 'partially_completed', tasksCompleted: 1, tasksFailed: 1 });
    const failed = await platform.database.db.selectFrom('extraction_tasks').select(['status', 'error_code', 'error_message', 'attempts']).where('status', '=', 'failed').executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: 'failed', error_code: 'unreadable_file', error_message: 'unreadable.pdf cannot be read', attempts: 1 });
  });

  it('transient errors and 429s are retried; an answer off-schema three times fails the task with the reason', async () => {
    const api = await setUp();
    const jobId = await jobWithFiles(api, ['flaky.pdf', 'quota.pdf', 'garbled.pdf']);
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const tasks = await platform.database.db.selectFrom('extraction_tasks').select(['source_filename', 'status', 'attempts', 'invalid_answers', 'error_message']).orderBy('source_filename').execute();
    expect(tasks).toEqual([
      { source_filename: 'flaky.pdf', status: 'completed', attempts: 3, invalid_answers: 0, error_message: null },
      { source_filename: 'garbled.pdf', status: 'failed', attempts: 3, invalid_answers: 2, error_message: "The model's answer was not valid after 3 tries: results.0.1: expected a number" },
      { source_filename: 'quota.pdf', status: 'completed', attempts: 2, invalid_answers: 0, error_message: null },
    ]);
    const run = await api.get(`/v1/runs/${started.body.runId}`).set(alice).expect(200);
    expect(run.body.status).toBe('partially_completed');
  }, 30_000);

  it('cancel a pending run: it is recorded as cancelled and none of its tasks runs', async () => {
    const extractor = scriptedExtractor();
    const api = await setUp({ extractor });
    const jobId = await jobWithFiles(api, ['a.pdf', 'b.pdf']);
    // The run is requested but its message not yet delivered (as if the initializer were busy).
    const { runId, outboxIds } = await requestRun(platform.database.db, { userId: 'alice', jobId, trigger: 'manual' });
    const pending = await api.get(`/v1/runs/${runId}`).set(alice).expect(200);
    expect(pending.body).toMatchObject({ status: 'pending', runNumber: null });
    await api.post(`/v1/runs/${runId}/cancel`).set(alice).expect(200);
    await relayOutbox(platform.database.db, platform.bus, { ids: outboxIds });
    await platform.dispatcher.drain();
    const run = await api.get(`/v1/runs/${runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ status: 'cancelled', runNumber: 1, tasksTotal: 0 });
    expect(extractor.calls).toHaveLength(0);
    await api.post(`/v1/runs/${runId}/cancel`).set(alice).expect(409);
  });

  it('cancel a run in progress: its pending tasks are cancelled and never run', async () => {
    const extractor = scriptedExtractor();
    const api = await setUp({ extractor });
    const jobId = await jobWithFiles(api, ['a.pdf', 'b.pdf']);
    const { runId, outboxIds } = await requestRun(platform.database.db, { userId: 'alice', jobId, trigger: 'manual' });
    const [message] = await platform.database.db.selectFrom('outbox').select('payload').where('id', 'in', outboxIds).execute();
    // Initialise without relaying the extraction tasks yet.
    const taskMessages = await initializeRun(platform.database.db, message!.payload as never, 'test-model');
    const cancelled = await api.post(`/v1/runs/${runId}/cancel`).set(alice).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', runNumber: 1, tasksTotal: 2 });
    await relayOutbox(platform.database.db, platform.bus, { ids: taskMessages });
    await platform.dispatcher.drain();
    expect(extractor.calls).toHaveLength(0);
    const tasks = await platform.database.db.selectFrom('extraction_tasks').select('status').execute();
    expect(tasks.map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('retry the failed tasks of a run: they run again and the run completes', async () => {
    let broken = true;
    const base = scriptedExtractor();
    const api = await setUp({
      extractor: { engine: base.engine, extract: (req) => (broken ? Promise.reject(new PermanentError('the file is locked', 'locked')) : base.extract(req)) },
    });
    const jobId = await jobWithFiles(api, ['a.pdf', 'b.pdf']);
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    let run = await api.get(`/v1/runs/${started.body.runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ status: 'failed', tasksFailed: 2, tasksCompleted: 0 });
    broken = false;
    const retried = await api.post(`/v1/runs/${started.body.runId}/retry`).set(alice).expect(202);
    expect(retried.body.retried).toBe(2);
    await platform.dispatcher.drain();
    run = await api.get(`/v1/runs/${started.body.runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ status: 'completed', tasksCompleted: 2, tasksFailed: 0 });
    const finished = await platform.database.db.selectFrom('activity_events').select('kind').where('kind', 'in', ['run_completed', 'run_failed']).orderBy('created_at').execute();
    expect(finished.map((e) => e.kind)).toEqual(['run_failed', 'run_completed']);
    await api.post(`/v1/runs/${started.body.runId}/retry`).set(alice).expect(409);
  });

  it("another user's run, job and operation answer 404 exactly like missing ones", async () => {
    const api = await setUp();
    const jobId = await jobWithFiles(api, ['a.pdf']);
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/v1/runs/${started.body.runId}`, `/v1/jobs/${jobId}`, `/v1/operations/${started.body.operationId}`, `/v1/runs/${started.body.runId}/results`]) {
      // The same X-Request-Id for both, so that the answers may be identical.
      const theirs = await api.get(path).set(bob).set('X-Request-Id', 'probe-0001').expect(404);
      const none = await api.get(path.replace(/[0-9a-f-]{36}/, missing)).set(bob).set('X-Request-Id', 'probe-0001').expect(404);
      expect(theirs.body).toEqual(none.body);
    }
    await api.post(`/v1/jobs/${jobId}/runs`).set(bob).expect(404);
    await api.delete(`/v1/jobs/${jobId}`).set(bob).expect(404);
  });
});
