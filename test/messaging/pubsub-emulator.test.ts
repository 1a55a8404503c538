import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../shared/errors.js';
import { currentLogContext, withLogContext, type LogContext } from '../../shared/log.js';
import type { MessageOf } from '../../shared/messaging/contracts.js';
import { pubsubHandler, type PubSubDelivery } from '../../shared/messaging/edge.js';
import { createPubSubPublisher, pubsubTopicId } from '../../shared/messaging/pubsub.js';
import { pubsubEmulatorAvailable, startPubSubEmulator, type PubSubEmulator } from '../support/pubsub-emulator.js';
import { sleep, waitFor } from '../support/wait.js';

type Received = { message: MessageOf<'run.requested'>; delivery: PubSubDelivery; at: number };

/** One scenario: its own topic prefix, function, push subscription and dead-letter topic. */
interface Scenario {
  received: Received[];
  deadLetters: Message[];
  publish(message: MessageOf<'run.requested'>, dedupeKey?: string): Promise<void>;
}

const MAX_DELIVERY_ATTEMPTS = 5; // Pub/Sub's minimum for a dead-letter policy
// Measured with a 0-1 s retry policy: the emulator's first redelivery of a failed push came
// after 1.1 s, the second after 2.8 s (the redelivery test checks the first stays inside this).
const REDELIVERY_WINDOW_MS = 4000;

describe.skipIf(!pubsubEmulatorAvailable())('Pub/Sub through the real client and the emulator', { timeout: 60_000 }, () => {
  let emulator: PubSubEmulator;
  let pubsub: PubSub;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    emulator = await startPubSubEmulator('test');
    pubsub = new PubSub({ projectId: 'test', apiEndpoint: emulator.host });
  }, 120_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await pubsub?.close();
    await emulator?.stop();
  }, 30_000);

  /** Registers a functions-framework CloudEvent function running `behaviour` and wires a push subscription to it. */
  async function scenario(prefix: string, behaviour: (attempt: number) => void): Promise<Scenario> {
    const received: Received[] = [];
    const deadLetters: Message[] = [];
    const functionName = `${prefix}run-initializer`;
    functions.cloudEvent(functionName, pubsubHandler('run.requested', (message, delivery) => {
      received.push({ message, delivery, at: performance.now() });
      behaviour(received.length);
    }));
    const server: Server = getTestServer(functionName);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as AddressInfo;

    const topicId = pubsubTopicId('run.requested', prefix);
    const [topic] = await pubsub.createTopic(topicId);
    const [deadLetterTopic] = await pubsub.createTopic(`${prefix}dead-letters`);
    const [deadLetterSubscription] = await deadLetterTopic.createSubscription(`${prefix}dead-letters-pull`);
    deadLetterSubscription.on('message', (m: Message) => {
      deadLetters.push(m);
      m.ack();
    });
    cleanups.push(() => deadLetterSubscription.close());
    await topic.createSubscription(`${topicId}-push`, {
      // The framework reads the topic from a path shaped like a topic name.
      pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/projects/test/topics/${topicId}` },
      ackDeadlineSeconds: 10,
      retryPolicy: { minimumBackoff: { seconds: 0 }, maximumBackoff: { seconds: 1 } },
      deadLetterPolicy: { deadLetterTopic: deadLetterTopic.name, maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS },
    });

    const publisher = createPubSubPublisher({ topicPrefix: prefix, pubsub });
    return {
      received,
      deadLetters,
      publish: (message, dedupeKey) => publisher.publish('run.requested', message, { dedupeKey }),
    };
  }

  const runRequested = (): MessageOf<'run.requested'> => ({
    runId: randomUUID(), jobId: randomUUID(), userId: 'user-1', operationId: randomUUID(), trigger: 'manual',
  });

  it('a published message reaches the function behind a push subscription, parsed, with its attributes', async () => {
    const s = await scenario('delivered-', () => {});
    const message = runRequested();
    await s.publish(message, `run:${message.runId}:requested`);
    await waitFor(() => s.received.length >= 1);
    expect(s.received[0]!.message).toEqual(message);
    expect(s.received[0]!.delivery.attributes).toEqual({ topic: 'run.requested', dedupeKey: `run:${message.runId}:requested` });
  });

  it('a message published inside a log context carries its trace and request id as attributes, and the handler runs inside them', async () => {
    const contexts: LogContext[] = [];
    const s = await scenario('traced-', () => void contexts.push({ ...currentLogContext() }));
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    await withLogContext({ trace, requestId: 'req-42' }, () => s.publish(runRequested()));
    await waitFor(() => s.received.length >= 1);
    expect(s.received[0]!.delivery.attributes).toMatchObject({ trace, requestId: 'req-42' });
    expect(contexts).toEqual([{ trace, requestId: 'req-42' }]);
  });

  it('a message whose handler throws is redelivered until the handler succeeds, then acknowledged', async () => {
    const s = await scenario('redelivered-', (attempt) => {
      if (attempt < 3) throw new TransientError('database restarting');
    });
    const message = runRequested();
    await s.publish(message);
    await waitFor(() => s.received.length >= 3);
    await sleep(REDELIVERY_WINDOW_MS); // room for one more delivery, were the success not acknowledged
    expect(s.received.map((r) => r.message)).toEqual([message, message, message]);
    expect(new Set(s.received.map((r) => r.delivery.messageId)).size).toBe(1);
    // The window the PermanentError test waits is long enough to see a first redelivery.
    expect(s.received[1]!.at - s.received[0]!.at).toBeLessThan(REDELIVERY_WINDOW_MS);
    expect(s.deadLetters).toEqual([]);
  });

  it('after the maximum delivery attempts the message lands on the dead-letter topic', async () => {
    const s = await scenario('dead-lettered-', () => {
      throw new Error('always failing');
    });
    const message = runRequested();
    await s.publish(message);
    await waitFor(() => s.deadLetters.length >= 1);
    expect(JSON.parse(s.deadLetters[0]!.data.toString('utf8'))).toEqual(message);
    expect(s.deadLetters[0]!.attributes.topic).toBe('run.requested');
    expect(s.received).toHaveLength(MAX_DELIVERY_ATTEMPTS);
  });

  it('a PermanentError is acknowledged: no redelivery, no dead letter', async () => {
    const s = await scenario('permanent-', () => {
      throw new PermanentError('job was deleted', 'job_missing');
    });
    await s.publish(runRequested());
    await waitFor(() => s.received.length >= 1);
    await sleep(REDELIVERY_WINDOW_MS); // a failed delivery would have been redelivered by now
    expect(s.received).toHaveLength(1);
    expect(s.deadLetters).toEqual([]);
  });
});
