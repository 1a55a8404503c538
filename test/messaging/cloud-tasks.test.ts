import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudTasksClient } from '@google-cloud/tasks';
import { PermanentError } from '../../shared/errors.js';
import { logContextFromHeaders, withLogContext } from '../../shared/log.js';
import { createCloudTasksEnqueuer, taskIdFor, type QueueTarget } from '../../shared/messaging/cloud-tasks.js';
import type { MessageOf } from '../../shared/messaging/contracts.js';
import { startCloudTasksDouble, type CloudTasksDouble } from '../doubles/cloud-tasks.js';

const extractionTarget: QueueTarget = {
  project: 'bytereview-test',
  location: 'europe-west1',
  queue: 'extraction',
  url: 'https://europe-west1-bytereview-test.cloudfunctions.net/extraction',
  serviceAccountEmail: 'tasks-invoker@bytereview-test.iam.gserviceaccount.com',
};
const parent = 'projects/bytereview-test/locations/europe-west1/queues/extraction';
const fixedNow = Date.parse('2026-03-01T12:00:00.250Z');

let double: CloudTasksDouble;
let client: CloudTasksClient;

beforeAll(async () => {
  double = await startCloudTasksDouble();
  client = new CloudTasksClient({ ...double.clientOptions, fallback: true });
});
afterAll(async () => {
  await client.close();
  await double.close();
});
beforeEach(() => {
  double.tasks.length = 0;
  double.duplicates = 0;
});

const enqueuer = (target: Partial<QueueTarget> = {}) =>
  createCloudTasksEnqueuer({ queues: { extraction: { ...extractionTarget, ...target } }, client, now: () => fixedNow });
const task = (): MessageOf<'extraction'> => ({ taskId: randomUUID(), runId: randomUUID() });

describe('Cloud Tasks enqueue through the real client', () => {
  it('a task enqueued inside a log context carries its trace (traceparent) and request id (X-Request-Id) as headers', async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    await withLogContext({ trace, requestId: 'req-7' }, () => enqueuer().enqueue('extraction', task()));
    const headers = double.tasks[0]!.headers;
    expect(headers.traceparent).toMatch(new RegExp(`^00-${trace}-[0-9a-f]{16}-01$`));
    expect(headers['X-Request-Id']).toBe('req-7');
    expect(logContextFromHeaders((name) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1])).toEqual({ trace, requestId: 'req-7' });
  });

  it('creates an HTTP task that POSTs the JSON task to the target function with an OIDC token', async () => {
    const message = task();
    await enqueuer().enqueue('extraction', message);
    expect(double.tasks).toHaveLength(1);
    const [created] = double.tasks;
    expect(created).toMatchObject({
      parent,
      httpMethod: 'POST',
      url: extractionTarget.url,
      headers: { 'Content-Type': 'application/json' },
      oidcToken: { serviceAccountEmail: extractionTarget.serviceAccountEmail, audience: extractionTarget.url },
      named: false,
    });
    expect(JSON.parse(created!.body)).toEqual(message);
  });

  it('uses the configured audience when one is given', async () => {
    await enqueuer({ audience: 'https://extraction-abc-ew.a.run.app' }).enqueue('extraction', task());
    expect(double.tasks[0]!.oidcToken).toEqual({ serviceAccountEmail: extractionTarget.serviceAccountEmail, audience: 'https://extraction-abc-ew.a.run.app' });
  });

  it('schedules the task delaySeconds from now, to the millisecond', async () => {
    await enqueuer().enqueue('extraction', task(), { delaySeconds: 30 });
    await enqueuer().enqueue('extraction', task());
    expect(double.tasks.map((t) => t.scheduleTime?.toISOString())).toEqual(['2026-03-01T12:00:30.250Z', '2026-03-01T12:00:00.250Z']);
  });

  it('names the task after a hash of the dedupe key', async () => {
    const message = task();
    await enqueuer().enqueue('extraction', message, { dedupeKey: `extraction:${message.taskId}:attempt-1` });
    await enqueuer().enqueue('extraction', message, { dedupeKey: `extraction:${message.taskId}:attempt-2` });
    const expected = [1, 2].map((n) => `${parent}/tasks/${taskIdFor('extraction', `extraction:${message.taskId}:attempt-${n}`)}`);
    expect(double.tasks.map((t) => t.name)).toEqual(expected);
    expect(expected[0]).toMatch(/\/tasks\/[0-9a-f]{64}$/);
  });

  it('treats a duplicate enqueue (ALREADY_EXISTS) as success and creates nothing new', async () => {
    const message = task();
    await enqueuer().enqueue('extraction', message, { dedupeKey: message.taskId });
    await expect(enqueuer().enqueue('extraction', message, { dedupeKey: message.taskId })).resolves.toBeUndefined();
    expect(double.tasks).toHaveLength(1);
    expect(double.duplicates).toBe(1);
  });

  it('creates a new task for every enqueue without a dedupe key', async () => {
    const message = task();
    await enqueuer().enqueue('extraction', message);
    await enqueuer().enqueue('extraction', message);
    expect(new Set(double.tasks.map((t) => t.name)).size).toBe(2);
  });

  it('refuses a malformed task before anything is sent', async () => {
    await expect(enqueuer().enqueue('extraction', { taskId: 'x', runId: randomUUID() })).rejects.toBeInstanceOf(PermanentError);
    expect(double.tasks).toHaveLength(0);
  });

  it('surfaces any other refusal from Cloud Tasks as an error with its gRPC code', async () => {
    double.failNext(404, 'NOT_FOUND', 'Queue does not exist.');
    await expect(enqueuer().enqueue('extraction', task(), { dedupeKey: 'k' })).rejects.toMatchObject({ code: 5, message: expect.stringContaining('Queue does not exist.') });
    expect(double.tasks).toHaveLength(0);
  });

  it('fails when Cloud Tasks cannot be reached', async () => {
    const unreachable = createCloudTasksEnqueuer({ queues: { extraction: extractionTarget }, client: { ...double.clientOptions, port: 1 } });
    await expect(unreachable.enqueue('extraction', task())).rejects.toThrow();
    await unreachable.close();
  });
});
