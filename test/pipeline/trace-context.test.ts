import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { createLogger, currentLogContext, type LogContext } from '../../shared/log.js';
import { tasksHandler } from '../../shared/messaging/edge.js';
import { UNIT_FINISHED_EVENT } from '../../shared/unit-log.js';
import { scriptedExtractor } from '../support/extractors.js';
import { alice, createJobWithFiles, pdfOfPages } from '../support/jobs.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
afterEach(() => platform?.close());

const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceField = `projects/local/traces/${trace}`;

describe('one trace across every stage', () => {
  it('the api request\'s trace and request id travel in every message it causes and mark every log line and completion line of every stage', async () => {
    const lines: Record<string, unknown>[] = [];
    platform = await createTestPlatform({ extractor: scriptedExtractor(), log: createLogger('test', (line) => lines.push(JSON.parse(line)), 'local') });
    const api = request(createApiApp(async () => platform));
    const pdf = await pdfOfPages(1);
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': pdf, 'flaky.pdf': pdf });
    await platform.dispatcher.drain();
    lines.length = 0;

    const headers = { ...alice, traceparent: `00-${trace}-00f067aa0ba902b7-01`, 'X-Request-Id': 'req-123' };
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(headers).expect(202);
    await platform.dispatcher.drain();
    await api.post(`/v1/runs/${started.body.runId}/exports`).set(headers).send({ destType: 'download', fileType: 'csv' }).expect(202);
    await platform.dispatcher.drain();

    // Every message the request caused, however far down the chain, kept both ids.
    const outbox = await platform.database.db.selectFrom('outbox').select(['name', 'log_context']).execute();
    expect(new Set(outbox.map((r) => r.name))).toEqual(new Set(['run.requested', 'extraction', 'run.completed', 'export.requested']));
    for (const row of outbox) expect(row.log_context).toEqual({ trace, requestId: 'req-123' });

    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ 'logging.googleapis.com/trace': traceField, requestId: 'req-123' });

    const units = lines.filter((l) => l.event === UNIT_FINISHED_EVENT);
    for (const unit of units) {
      expect(Object.keys(unit).sort()).toEqual([
        'attempt', 'component', 'durationMs', 'errorClass', 'event', 'inputTokens', 'logging.googleapis.com/trace', 'message', 'outcome',
        'outputTokens', 'requestId', 'severity', 'stage',
      ]);
      expect(unit.durationMs).toEqual(expect.any(Number));
    }
    const summary = units.map((u) => `${u.stage}:${u.outcome}:${u.attempt}:${u.errorClass}`).sort();
    expect(summary).toEqual([
      'export-on-run-completed:completed:null:null',
      'export:completed:1:null',
      'extraction:completed:1:null',
      'extraction:completed:3:null',
      'extraction:retried:1:TransientError',
      'extraction:retried:2:TransientError',
      'run-initializer:completed:null:null',
    ]);
    const extracted = units.find((u) => u.stage === 'extraction' && u.outcome === 'completed')!;
    expect(extracted).toMatchObject({ severity: 'INFO', inputTokens: 100, outputTokens: 10 });
    expect(units.find((u) => u.outcome === 'retried')).toMatchObject({ severity: 'WARNING', inputTokens: null });
  });

  it('a Cloud Tasks delivery reopens the context from traceparent / X-Cloud-Trace-Context and X-Request-Id, and starts a new trace without one', async () => {
    const seen: LogContext[] = [];
    functions.http('trace-probe', tasksHandler('extraction', () => {
      seen.push({ ...currentLogContext() });
    }));
    const server = getTestServer('trace-probe');
    const body = { taskId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-000000000002' };
    await request(server).post('/').set({ traceparent: `00-${trace}-00f067aa0ba902b7-01`, 'X-Request-Id': 'req-9' }).send(body).expect(200);
    await request(server).post('/').set({ 'X-Cloud-Trace-Context': `${trace}/1;o=1` }).send(body).expect(200);
    await request(server).post('/').set({ traceparent: 'garbage' }).send(body).expect(200);
    expect(seen[0]).toEqual({ trace, requestId: 'req-9' });
    expect(seen[1]).toEqual({ trace });
    expect(seen[2]!.trace).toMatch(/^[0-9a-f]{32}$/);
    expect(seen[2]!.trace).not.toBe(trace);
  });
});
