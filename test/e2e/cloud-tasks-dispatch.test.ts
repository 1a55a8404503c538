import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudTasksClient } from '@google-cloud/tasks';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudTasksEnqueuer, taskIdFor } from '../../shared/messaging/cloud-tasks.js';
import { startCloudTasksDouble, type CloudTasksDouble, type DispatchOptions } from '../doubles/cloud-tasks.js';

/**
 * The Cloud Tasks double's dispatch mode, which the end-to-end test leans on: tasks created
 * through the real client are delivered to their target as Cloud Tasks would deliver them.
 */

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const invoker = 'tasks-invoker@bytereview-test.iam.gserviceaccount.com';
const parent = 'projects/bytereview-test/locations/europe-west1/queues/extraction';

let double: CloudTasksDouble | undefined;
let client: CloudTasksClient | undefined;
let target: Server | undefined;
afterEach(async () => {
  await client?.close();
  await double?.close();
  await new Promise((resolve) => (target ? target.close(resolve) : resolve(undefined)));
  double = client = target = undefined;
});

/** A target that answers each request with the next of `answers` (then 200), and the queue's enqueuer aimed at it. */
async function setUp(answers: { status: number; headers?: Record<string, string> }[], dispatch: DispatchOptions = {}) {
  const received: Received[] = [];
  target = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.shift() ?? { status: 200 };
      res.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => target!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/extraction`;
  double = await startCloudTasksDouble({ dispatch });
  client = new CloudTasksClient({ ...double.clientOptions, fallback: true });
  const enqueuer = createCloudTasksEnqueuer({
    queues: { extraction: { project: 'bytereview-test', location: 'europe-west1', queue: 'extraction', url, serviceAccountEmail: invoker } },
    client,
  });
  return { received, url, enqueuer, double };
}

const task = () => ({ taskId: randomUUID(), runId: randomUUID() });

describe('the Cloud Tasks double in dispatch mode', () => {
  it('POSTs the task body to its url with an OIDC token for the service account and the X-CloudTasks headers', async () => {
    const { received, url, enqueuer, double } = await setUp([]);
    const message = task();
    await enqueuer.enqueue('extraction', message, { dedupeKey: 'k1' });
    await double.whenIdle(5000);

    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toEqual(message);
    const headers = received[0]!.headers;
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Google-Cloud-Tasks',
      'x-cloudtasks-queuename': 'extraction',
      'x-cloudtasks-taskname': taskIdFor('extraction', 'k1'),
      'x-cloudtasks-taskretrycount': '0',
      'x-cloudtasks-taskexecutioncount': '0',
    });
    const [, claims] = headers.authorization!.replace(/^Bearer /, '').split('.');
    expect(JSON.parse(Buffer.from(claims!, 'base64url').toString('utf8'))).toMatchObject({ iss: 'https://accounts.google.com', email: invoker, aud: url, email_verified: true });
    expect(double.attempts).toEqual([expect.objectContaining({ task: `${parent}/tasks/${taskIdFor('extraction', 'k1')}`, url, retryCount: 0, status: 200, oidcClaims: expect.objectContaining({ email: invoker, aud: url }) })]);
    expect(double.taskState(double.tasks[0]!.name)).toBe('succeeded');
  });

  it('waits for the scheduleTime before the first attempt', async () => {
    const { received, enqueuer, double } = await setUp([]);
    const enqueuedAt = Date.now();
    await enqueuer.enqueue('extraction', task(), { delaySeconds: 1 });
    expect(double.taskState(double.tasks[0]!.name)).toBe('scheduled');
    await double.whenIdle(5000);
    expect(received).toHaveLength(1);
    expect(received[0]!.at).toBeGreaterThanOrEqual(double.tasks[0]!.scheduleTime!.getTime());
    expect(received[0]!.at - enqueuedAt).toBeGreaterThanOrEqual(900);
  });

  it('retries a non-2xx answer with a doubling backoff until the target answers 2xx', async () => {
    const { received, enqueuer, double } = await setUp([{ status: 500 }, { status: 503 }], { minBackoffMs: 100, maxBackoffMs: 1000 });
    await enqueuer.enqueue('extraction', task());
    await double.whenIdle(5000);
    expect(double.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(received.map((r) => [r.headers['x-cloudtasks-taskretrycount'], r.headers['x-cloudtasks-taskpreviousresponse']])).toEqual([['0', undefined], ['1', '500'], ['2', '503']]);
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(90);
    expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(190);
  });

  it('honours Retry-After on a 429', async () => {
    const { received, enqueuer, double } = await setUp([{ status: 429, headers: { 'retry-after': '1' } }], { minBackoffMs: 10 });
    await enqueuer.enqueue('extraction', task());
    await double.whenIdle(5000);
    expect(double.attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives a task up after maxAttempts', async () => {
    const { double, enqueuer } = await setUp([{ status: 500 }, { status: 500 }, { status: 500 }], { maxAttempts: 2, minBackoffMs: 10 });
    await enqueuer.enqueue('extraction', task());
    await double.whenIdle(5000);
    expect(double.attempts.map((a) => a.status)).toEqual([500, 500]);
    expect(double.taskState(double.tasks[0]!.name)).toBe('exhausted');
  });

  it('without dispatch it only records tasks, as before', async () => {
    const received: Received[] = [];
    target = createServer((req, res) => {
      received.push({ at: Date.now(), headers: req.headers, body: '' });
      res.end();
    });
    await new Promise<void>((resolve) => target!.listen(0, '127.0.0.1', resolve));
    double = await startCloudTasksDouble();
    client = new CloudTasksClient({ ...double.clientOptions, fallback: true });
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    await createCloudTasksEnqueuer({ queues: { extraction: { project: 'p', location: 'l', queue: 'q', url, serviceAccountEmail: invoker } }, client }).enqueue('extraction', task());
    await double.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(double.tasks).toHaveLength(1);
    expect(double.taskState(double.tasks[0]!.name)).toBe('recorded');
    expect(double.attempts).toEqual([]);
    expect(received).toEqual([]);
  });
});
