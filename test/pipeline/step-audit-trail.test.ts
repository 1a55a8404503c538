import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { scriptedExtractor } from '../support/extractors.js';
import { alice, createJobWithFiles, pdfOfPages } from '../support/jobs.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
afterEach(() => platform?.close());

async function setUp(opts: { duplicateDelivery?: boolean } = {}) {
  platform = await createTestPlatform({ extractor: scriptedExtractor({ latencyMs: () => 30 }), ...opts });
  return request(createApiApp(async () => platform));
}

interface Step { name: string; status: string; startedAt: string; durationMs: number; retryCount: number; errorMessage: string | null; data: Record<string, unknown> }

describe('the step audit trail', () => {
  it('a run records its initialisation and one extract step per attempt, with retries, and shows where its time went', async () => {
    const api = await setUp();
    const pdf = await pdfOfPages(1);
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': pdf, 'flaky.pdf': pdf, 'unreadable.pdf': pdf });
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();

    const op = await api.get(`/v1/operations/${started.body.operationId}`).set(alice).expect(200);
    const steps = op.body.steps as Step[];
    expect(steps[0]).toMatchObject({ name: 'run.initialize', status: 'completed', retryCount: 0, data: { tasks: 3, trigger: 'manual', fileSet: 'job' } });
    const extracts = (file: string) => steps.filter((s) => s.name === 'extract' && s.data.file === file).map((s) => [s.status, s.retryCount]);
    expect(extracts('a.pdf')).toEqual([['completed', 0]]);
    expect(extracts('flaky.pdf')).toEqual([['retried', 0], ['retried', 1], ['completed', 2]]);
    expect(extracts('unreadable.pdf')).toEqual([['failed', 0]]);
    const failed = steps.find((s) => s.status === 'failed')!;
    expect(failed.errorMessage).toBe('unreadable.pdf cannot be read');
    for (const step of steps.filter((s) => s.name === 'extract')) {
      expect(Date.parse(step.startedAt)).not.toBeNaN();
      expect(step.data).toMatchObject({ queueWaitMs: expect.any(Number), modelMs: expect.any(Number), writeMs: expect.any(Number) });
      // The scripted model takes 30 ms; the attempt's duration holds it.
      expect(step.data.modelMs as number).toBeGreaterThanOrEqual(25);
      expect(step.durationMs).toBeGreaterThanOrEqual(step.data.modelMs as number - 1);
    }
    const completed = steps.find((s) => s.status === 'completed' && s.name === 'extract')!;
    expect(completed.data).toMatchObject({ pages: 1, inputTokens: 100, outputTokens: 10 });

    const run = await api.get(`/v1/runs/${started.body.runId}`).set(alice).expect(200);
    expect(run.body.timing).toMatchObject({ attempts: 5, initializeMs: expect.any(Number) });
    expect(run.body.timing.modelMs).toBeGreaterThanOrEqual(5 * 25);
    expect(run.body.timing.modelMs + run.body.timing.writeMs).toBeLessThanOrEqual(steps.filter((s) => s.name === 'extract').reduce((n, s) => n + s.durationMs, 0) + 5);
    expect(op.body.timing).toEqual(run.body.timing);
  });

  it('every message delivered twice at once writes each step once', async () => {
    const api = await setUp({ duplicateDelivery: true });
    const pdf = await pdfOfPages(1);
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': pdf, 'b.pdf': pdf, 'quota.pdf': pdf });
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const op = await api.get(`/v1/operations/${started.body.operationId}`).set(alice).expect(200);
    const names = (op.body.steps as Step[]).map((s) => `${s.name}:${s.data.file ?? ''}:${s.status}:${s.retryCount}`).sort();
    expect(names).toEqual([
      'extract:a.pdf:completed:0', 'extract:b.pdf:completed:0', 'extract:quota.pdf:completed:1', 'extract:quota.pdf:retried:0', 'run.initialize::completed:0',
    ]);
  });

  it('an export creates an operation whose export step records the delivery', async () => {
    const api = await setUp();
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': await pdfOfPages(1) });
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const created = await api.post(`/v1/runs/${started.body.runId}/exports`).set(alice).send({ destType: 'download', fileType: 'csv' }).expect(202);
    expect(created.body.operationId).toEqual(expect.any(String));
    await platform.dispatcher.drain();
    const op = await api.get(`/v1/operations/${created.body.operationId}`).set(alice).expect(200);
    expect(op.body).toMatchObject({ kind: 'export', subjectId: created.body.id, status: 'completed', pct: 100, timing: null });
    expect(op.body.steps).toEqual([expect.objectContaining({ name: 'export', status: 'completed', retryCount: 0, data: { destType: 'download', fileType: 'csv', rows: 1 } })]);
  });
});
