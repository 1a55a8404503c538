import { randomUUID } from 'node:crypto';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudTasksClient } from '@google-cloud/tasks';
import { PermanentError, RetryAfterError, TransientError } from '../../shared/errors.js';
import { createCloudTasksEnqueuer } from '../../shared/messaging/cloud-tasks.js';
import type { MessageOf } from '../../shared/messaging/contracts.js';
import { pubsubHandler, tasksHandler, type PubSubDelivery, type TaskDelivery } from '../../shared/messaging/edge.js';
import { startCloudTasksDouble, type CloudTasksDouble } from '../doubles/cloud-tasks.js';

// What the registered handlers do next, and what they saw.
let outcome: () => void = () => {};
let tasks: { task: MessageOf<'extraction'>; delivery: TaskDelivery }[] = [];
let runs: { message: MessageOf<'run.completed'>; delivery: PubSubDelivery }[] = [];

functions.http('edge-extraction', tasksHandler('extraction', (task, delivery) => {
  tasks.push({ task, delivery });
  outcome();
}));
functions.cloudEvent('edge-run-completed', pubsubHandler('run.completed', (message, delivery) => {
  runs.push({ message, delivery });
  outcome();
}));

beforeEach(() => {
  outcome = () => {};
  tasks = [];
  runs = [];
});

const extraction = (): MessageOf<'extraction'> => ({ taskId: randomUUID(), runId: randomUUID() });
const runCompleted = (): MessageOf<'run.completed'> => ({ runId: randomUUID(), jobId: randomUUID(), userId: 'u1', status: 'completed' });

describe('tasksHandler answers Cloud Tasks with the status it acts on', () => {
  const post = (body: unknown) => request(getTestServer('edge-extraction')).post('/').set('Content-Type', 'application/json').send(JSON.stringify(body));

  it('answers 200 after the handler received the parsed task', async () => {
    const task = extraction();
    const res = await post(task).set('X-CloudTasks-TaskName', 'abc').set('X-CloudTasks-TaskRetryCount', '2');
    expect(res.status).toBe(200);
    expect(tasks).toMatchObject([{ task, delivery: { taskName: 'abc', retryCount: 2 } }]);
  });

  it('answers 200 to a PermanentError, so the task is not retried', async () => {
    outcome = () => {
      throw new PermanentError('file is not a PDF', 'unreadable_file');
    };
    expect((await post(extraction())).status).toBe(200);
  });

  it('answers 200 to a malformed task without calling the handler', async () => {
    expect((await post({ taskId: 'not-a-uuid' })).status).toBe(200);
    expect((await request(getTestServer('edge-extraction')).post('/').set('Content-Type', 'text/plain').send('{oops')).status).toBe(200);
    expect(tasks).toEqual([]);
  });

  it('answers 429 with Retry-After to a RetryAfterError', async () => {
    outcome = () => {
      throw new RetryAfterError('Vertex quota', 12.2);
    };
    const res = await post(extraction());
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('13');
  });

  it('answers 500 to any other error, so Cloud Tasks retries', async () => {
    outcome = () => {
      throw new TransientError('connection reset');
    };
    expect((await post(extraction())).status).toBe(500);
  });

  describe('with a task created through the real Cloud Tasks client', () => {
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

    it('the handler receives exactly the task that was enqueued', async () => {
      const enqueuer = createCloudTasksEnqueuer({
        client,
        queues: { extraction: { project: 'p', location: 'l', queue: 'extraction', url: 'http://127.0.0.1/extraction', serviceAccountEmail: 'sa@p.iam.gserviceaccount.com' } },
      });
      const task = extraction();
      await enqueuer.enqueue('extraction', task, { dedupeKey: task.taskId });
      const [created] = double.tasks;
      // Deliver it as Cloud Tasks would: the recorded method, headers and body.
      const res = await request(getTestServer('edge-extraction'))
        .post('/')
        .set(created!.headers)
        .set('X-CloudTasks-TaskName', created!.name.split('/').pop()!)
        .send(created!.body);
      expect(res.status).toBe(200);
      expect(tasks).toEqual([{ task, delivery: { taskName: created!.name.split('/').pop(), retryCount: 0, signal: expect.any(AbortSignal) } }]);
      expect(tasks[0]!.delivery.signal.aborted).toBe(false);
    });
  });
});

describe('pubsubHandler decodes Pub/Sub deliveries for a CloudEvent function', () => {
  const pushBody = (data: unknown, attributes: Record<string, string> = { topic: 'run.completed' }) => ({
    message: { data: Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)).toString('base64'), attributes, messageId: '42', publishTime: new Date().toISOString() },
    subscription: 'projects/test/subscriptions/export-run-completed',
  });
  // A raw push request, as the emulator (or a push subscription) sends it.
  const push = (body: object) => request(getTestServer('edge-run-completed')).post('/projects/test/topics/run-completed').send(body);

  it('a raw push request reaches the handler as the parsed message, then is acknowledged', async () => {
    const message = runCompleted();
    const res = await push(pushBody(message, { topic: 'run.completed', dedupeKey: 'run:1:completed' }));
    expect(res.status).toBe(204);
    expect(runs).toEqual([{ message, delivery: { messageId: '42', attributes: { topic: 'run.completed', dedupeKey: 'run:1:completed' } } }]);
  });

  it('an Eventarc CloudEvent (binary mode, as Cloud Functions delivers) reaches the handler', async () => {
    const message = runCompleted();
    const res = await request(getTestServer('edge-run-completed'))
      .post('/')
      .set({
        'ce-id': '7',
        'ce-specversion': '1.0',
        'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
        'ce-source': '//pubsub.googleapis.com/projects/p/topics/run-completed',
        'Content-Type': 'application/json',
      })
      .send(pushBody(message));
    expect(res.status).toBe(204);
    expect(runs.map((r) => r.message)).toEqual([message]);
  });

  it('a PermanentError is acknowledged, so Pub/Sub does not redeliver', async () => {
    outcome = () => {
      throw new PermanentError('run has no results');
    };
    expect((await push(pushBody(runCompleted()))).status).toBe(204);
  });

  it('any other error fails the delivery, so Pub/Sub redelivers', async () => {
    outcome = () => {
      throw new TransientError('database unavailable');
    };
    expect((await push(pushBody(runCompleted()))).status).toBe(500);
  });

  it('a malformed message is acknowledged without calling the handler', async () => {
    expect((await push(pushBody({ runId: 'x' }))).status).toBe(204);
    expect((await push(pushBody('not json'))).status).toBe(204);
    expect(runs).toEqual([]);
  });

  it('a message published to another topic is acknowledged without calling the handler', async () => {
    expect((await push(pushBody(runCompleted(), { topic: 'run.requested' }))).status).toBe(204);
    expect(runs).toEqual([]);
  });
});

describe('every delivery logs the one line the monitoring metrics read (terraform/monitoring.tf)', () => {
  /** The structured lines the edge wrote while `send` ran. */
  async function linesDuring(send: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await send();
      return spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>).filter((l) => l['component'] === 'messaging');
    } finally {
      spy.mockRestore();
    }
  }
  const postTask = () => request(getTestServer('edge-extraction')).post('/').set('Content-Type', 'application/json').send(JSON.stringify(extraction()));

  it('names the stage, the outcome and how long it took, for each outcome of the retry matrix', async () => {
    const outcomes: [() => void, string, string][] = [
      [() => {}, 'done', 'INFO'],
      [() => { throw new PermanentError('unreadable', 'bad_pdf'); }, 'given_up', 'ERROR'],
      [() => { throw new RetryAfterError('quota', 30); }, 'retry_after', 'WARNING'],
      [() => { throw new TransientError('network'); }, 'retry', 'ERROR'],
    ];
    for (const [behaviour, expected, severity] of outcomes) {
      outcome = behaviour;
      const [line, ...rest] = await linesDuring(postTask);
      expect(rest).toEqual([]);
      expect(line).toMatchObject({ severity, stage: 'extraction', outcome: expected, durationMs: expect.any(Number) });
      if (expected === 'given_up') expect(line).toMatchObject({ code: 'bad_pdf' });
    }
    outcome = () => {};
    const body = { message: { data: Buffer.from(JSON.stringify(runCompleted())).toString('base64'), attributes: { topic: 'run.completed' }, messageId: '7' }, subscription: 'projects/test/subscriptions/s' };
    const [pubsubLine] = await linesDuring(() => request(getTestServer('edge-run-completed')).post('/projects/test/topics/run-completed').send(body));
    expect(pubsubLine).toMatchObject({ severity: 'INFO', stage: 'run.completed', outcome: 'done', messageId: '7', durationMs: expect.any(Number) });
  });
});
