import request from 'supertest';
import { describe, it, type TestContext } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { as, connect, createWorld, type ConnectionsWorld } from '../connections/world.js';
import { scriptedExtractor } from '../support/extractors.js';
import { alice, createJobWithFiles, pdfOfPages } from '../support/jobs.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * A platform of the test's own, closed when the test ends. The tests run concurrently, so
 * the hook is the test context's own (vitest tracks no concurrent test in a global hook).
 */
async function platformForTest({ onTestFinished }: TestContext): Promise<TestPlatform> {
  const platform = await createTestPlatform({ extractor: scriptedExtractor(), limits });
  onTestFinished(() => platform.close());
  return platform;
}

async function worldForTest({ onTestFinished }: TestContext): Promise<ConnectionsWorld> {
  const world = await createWorld();
  onTestFinished(() => world.close());
  return world;
}

/**
 * The tests of this file run concurrently (each with its own platform and database): most
 * of their time is the debounce passing in real time, which they can wait out together.
 *
 * A short debounce: the `run.requested` of each arrival is published `delaySeconds` later
 * (the local dispatcher holds it as Cloud Tasks would), so draining the dispatcher lets
 * the debounce pass for real.
 */
const DEBOUNCE = 5;
const limits = { autoRunDebounceSeconds: DEBOUNCE };

async function runsOf(api: ReturnType<typeof request>, jobId: string) {
  const runs = await api.get(`/v1/jobs/${jobId}/runs`).set(alice).expect(200);
  return runs.body.items as { id: string; runNumber: number; status: string; trigger: string; tasksTotal: number }[];
}

async function filesOfRun(p: TestPlatform, runId: string) {
  return (await p.database.db.selectFrom('extraction_tasks').select('source_filename').where('run_id', '=', runId).execute()).map((t) => t.source_filename).sort();
}

describe.concurrent('auto-run on upload', () => {
  it('files uploaded together start one run of just those files after the debounce; a later file starts a run of its own', async (context) => {
    const { expect } = context;
    const p = await platformForTest(context);
    const api = request(createApiApp(async () => p));
    const pdf = await pdfOfPages(1);
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': pdf, 'b.pdf': pdf }, { autoRun: true });
    // Within the debounce: the run is asked for and waits.
    expect(await runsOf(api, jobId)).toEqual([]);
    const waiting = await p.database.db.selectFrom('operations').select(['status', 'stage']).where('kind', '=', 'run').execute();
    expect(waiting).toEqual([{ status: 'pending', stage: 'Auto-run: waiting for more files' }]);
    const held = await p.database.db.selectFrom('outbox').select('delay_seconds').where('name', '=', 'run.requested').execute();
    expect(held.map((r) => r.delay_seconds)).toEqual([DEBOUNCE, DEBOUNCE]);

    await p.dispatcher.drain();
    const [first] = await runsOf(api, jobId);
    expect(first).toMatchObject({ runNumber: 1, status: 'completed', trigger: 'upload', tasksTotal: 2 });
    expect(await filesOfRun(p, first!.id)).toEqual(['a.pdf', 'b.pdf']);

    await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', pdf, 'c.pdf').expect(201);
    await p.dispatcher.drain();
    const runs = await runsOf(api, jobId);
    expect(runs.map((r) => [r.runNumber, r.tasksTotal, r.status])).toEqual([[2, 1, 'completed'], [1, 2, 'completed']]);
    expect(await filesOfRun(p, runs[0]!.id)).toEqual(['c.pdf']);
  });

  it('a file arriving within the debounce joins the waiting run: the first file\'s message, due earlier, starts nothing', async (context) => {
    const { expect } = context;
    const p = await platformForTest(context);
    const api = request(createApiApp(async () => p));
    const pdf = await pdfOfPages(1);
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': pdf }, { autoRun: true });
    await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', pdf, 'b.pdf').expect(201);
    // a's message arrives first, finds the batch waiting for b's debounce and starts
    // nothing (else a would run alone and b in a run of its own); b's starts the run.
    await p.dispatcher.drain();
    const runs = await runsOf(api, jobId);
    expect(runs).toHaveLength(1);
    expect(await filesOfRun(p, runs[0]!.id)).toEqual(['a.pdf', 'b.pdf']);
  });

  it('a waiting auto-run the user cancelled takes no more files: the next file starts a run of its own', async (context) => {
    const { expect } = context;
    const p = await platformForTest(context);
    const api = request(createApiApp(async () => p));
    const pdf = await pdfOfPages(1);
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': pdf }, { autoRun: true });
    const waiting = await p.database.db.selectFrom('operations').select('subject_id').where('kind', '=', 'run').executeTakeFirstOrThrow();
    await api.post(`/v1/runs/${waiting.subject_id}/cancel`).set(alice).expect(200);
    await api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', pdf, 'b.pdf').expect(201);
    await p.dispatcher.drain();
    const runs = await runsOf(api, jobId);
    expect(runs.map((r) => r.status).sort()).toEqual(['cancelled', 'completed']);
    const completed = runs.find((r) => r.status === 'completed')!;
    expect(await filesOfRun(p, completed.id)).toEqual(['b.pdf']);
  });

  it('with auto-run off (the default) an upload starts nothing', async (context) => {
    const { expect } = context;
    const p = await platformForTest(context);
    const api = request(createApiApp(async () => p));
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': await pdfOfPages(1) });
    await p.dispatcher.drain();
    expect(await runsOf(api, jobId)).toEqual([]);
    expect(await p.database.db.selectFrom('operations').select('id').execute()).toEqual([]);
    const job = await api.get(`/v1/jobs/${jobId}`).set(alice).expect(200);
    expect(job.body.autoRun).toBe(false);
    await api.patch(`/v1/jobs/${jobId}`).set(alice).send({ autoRun: true }).expect(200);
    expect((await api.get(`/v1/jobs/${jobId}`).set(alice).expect(200)).body.autoRun).toBe(true);
  });

  it('files imported from Drive into a job that runs on upload start one run of just those files', async (context) => {
    const { expect } = context;
    const w = await worldForTest(context);
    w.platform.limits = limits;
    w.google.state.addUser({ email: 'ann@example.com' });
    const accountId = await connect(w, 'alice', ['drive']);
    const folder = w.google.state.drive.addFolder({ name: 'Invoices' });
    const pdf = await pdfOfPages(2);
    for (const name of ['x.pdf', 'y.pdf']) w.google.state.drive.addFile({ name, mimeType: 'application/pdf', bytes: pdf, parents: [folder.id] });
    const job = await w.http.post('/v1/jobs').set(as('alice')).send({ name: 'J', fields: [{ name: 'File', type: 'text' }], autoRun: true }).expect(201);
    await w.http.post(`/v1/jobs/${job.body.id}/files`).set(as('alice')).attach('file', pdf, 'uploaded-earlier.pdf').expect(201);
    await w.platform.dispatcher.drain();
    const imported = await w.http.post(`/v1/jobs/${job.body.id}/imports/drive`).set(as('alice')).send({ accountId, folderIds: [folder.id] }).expect(202);
    await w.platform.dispatcher.drain();
    // The import's own audit trail and usage.
    const op = await w.http.get(`/v1/operations/${imported.body.operationId}`).set(as('alice')).expect(200);
    expect(op.body.steps).toEqual([expect.objectContaining({ name: 'import', status: 'completed', retryCount: 0, data: { jobType: 'drive_import', imported: 2, skipped: 0, failed: 0 } })]);
    const usage = await w.http.get('/v1/usage').set(as('alice')).expect(200);
    expect(usage.body.totals.importedBytes).toBe(3 * pdf.length);
    await w.platform.dispatcher.drain();
    const runs = await w.http.get(`/v1/jobs/${job.body.id}/runs`).set(as('alice')).expect(200);
    expect(runs.body.items.map((r: { tasksTotal: number; trigger: string }) => [r.tasksTotal, r.trigger])).toEqual([[2, 'upload'], [1, 'upload']]);
    expect(await filesOfRun(w.platform, runs.body.items[0].id)).toEqual(['x.pdf', 'y.pdf']);
  });
});

describe.concurrent('a run over a given set of files', () => {
  it('POST /runs with fileIds runs exactly those files; a file that is not the job\'s answers 422', async (context) => {
    const { expect } = context;
    const p = await platformForTest(context);
    const api = request(createApiApp(async () => p));
    const pdf = await pdfOfPages(1);
    const { jobId, fileIds } = await createJobWithFiles(api, { 'a.pdf': pdf, 'b.pdf': pdf, 'c.pdf': pdf });
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).send({ fileIds: [fileIds[0], fileIds[2]] }).expect(202);
    await p.dispatcher.drain();
    expect(await filesOfRun(p, started.body.runId)).toEqual(['a.pdf', 'c.pdf']);
    const other = await createJobWithFiles(api, { 'z.pdf': pdf });
    const refused = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).send({ fileIds: [fileIds[1], other.fileIds[0]] }).expect(422);
    expect(refused.body.error.code).toBe('files_not_ready');
  });
});
