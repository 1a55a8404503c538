import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryAfterError, TransientError } from '../../shared/errors.js';
import type { MessageOf } from '../../shared/messaging/contracts.js';
import { createLocalDispatcher, type DeadLetter, type LocalDispatcher, type LocalDispatcherOptions } from '../../shared/messaging/local-dispatcher.js';

const open: LocalDispatcher[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

interface Harness {
  bus: LocalDispatcher;
  deadLetters: DeadLetter[];
  logs: { severity: string; message: string }[];
  backoffCalls: number[];
}

function dispatcher(options: LocalDispatcherOptions = {}): Harness {
  const deadLetters: DeadLetter[] = [];
  const logs: Harness['logs'] = [];
  const backoffCalls: number[] = [];
  const bus = createLocalDispatcher({
    backoff: (attempt) => {
      backoffCalls.push(attempt);
      return 5;
    },
    onDeadLetter: (letter) => void deadLetters.push(letter),
    log: (severity, message) => void logs.push({ severity, message }),
    ...options,
  });
  open.push(bus);
  return { bus, deadLetters, logs, backoffCalls };
}

const exportRequested = (): MessageOf<'export.requested'> => ({ exportId: randomUUID() });
const extraction = (): MessageOf<'extraction'> => ({ taskId: randomUUID(), runId: randomUUID() });

describe('local dispatcher', () => {
  it('delivers a published message after the publisher returns, never inside its call stack', async () => {
    const { bus } = dispatcher();
    const received: unknown[] = [];
    bus.subscribe('export.requested', (m) => void received.push(m));
    const message = exportRequested();
    await bus.publish('export.requested', message);
    expect(received).toEqual([]);
    await bus.drain();
    expect(received).toEqual([message]);
  });

  it('hands the handler a copy, as the wire would, not the publisher\'s object', async () => {
    const { bus } = dispatcher();
    const message = exportRequested();
    let received: unknown;
    bus.subscribe('export.requested', (m) => void (received = m));
    await bus.publish('export.requested', message);
    await bus.drain();
    expect(received).toEqual(message);
    expect(received).not.toBe(message);
  });

  it('refuses a malformed message at publish, naming the field', async () => {
    const { bus } = dispatcher();
    await expect(bus.publish('export.requested', { exportId: 'nope' })).rejects.toThrow(/exportId/);
    await expect(bus.enqueue('extraction', { taskId: randomUUID() } as MessageOf<'extraction'>)).rejects.toBeInstanceOf(PermanentError);
  });

  it('retries a handler that throws, with exponential backoff, until it succeeds', async () => {
    const { bus, deadLetters, backoffCalls } = dispatcher({ backoff: (attempt) => (backoffCalls.push(attempt), 20 * 2 ** (attempt - 1)) });
    const attemptTimes: number[] = [];
    bus.subscribe('extraction', () => {
      attemptTimes.push(performance.now());
      if (attemptTimes.length < 3) throw new TransientError('database restarting');
    });
    await bus.enqueue('extraction', extraction());
    await bus.drain();
    expect(attemptTimes).toHaveLength(3);
    expect(backoffCalls).toEqual([1, 2]);
    expect(attemptTimes[1]! - attemptTimes[0]!).toBeGreaterThanOrEqual(19);
    expect(attemptTimes[2]! - attemptTimes[1]!).toBeGreaterThanOrEqual(39);
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters a message after maxAttempts and writes a log line', async () => {
    const { bus, deadLetters, logs } = dispatcher({ maxAttempts: 3 });
    let attempts = 0;
    bus.subscribe('extraction', () => {
      attempts++;
      throw new Error('Vertex answered 503');
    });
    const task = extraction();
    await bus.enqueue('extraction', task);
    await bus.drain();
    expect(attempts).toBe(3);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({ name: 'extraction', message: task, attempts: 3, reason: 'exhausted' });
    expect((deadLetters[0]!.error as Error).message).toBe('Vertex answered 503');
    expect(logs.filter((l) => l.severity === 'ERROR').map((l) => l.message)).toEqual(['extraction message dead-lettered (exhausted)']);
  });

  it('does not retry a PermanentError and reports it like a dead letter', async () => {
    const { bus, deadLetters, backoffCalls } = dispatcher();
    let attempts = 0;
    bus.subscribe('export.requested', () => {
      attempts++;
      throw new PermanentError('the run has no results', 'empty_run');
    });
    await bus.publish('export.requested', exportRequested());
    await bus.drain();
    expect(attempts).toBe(1);
    expect(backoffCalls).toEqual([]);
    expect(deadLetters).toMatchObject([{ name: 'export.requested', attempts: 1, reason: 'permanent' }]);
  });

  it('waits as long as a RetryAfterError asks instead of the backoff', async () => {
    const { bus, backoffCalls } = dispatcher({ backoff: () => 0 });
    const attemptTimes: number[] = [];
    bus.subscribe('extraction', () => {
      attemptTimes.push(performance.now());
      if (attemptTimes.length === 1) throw new RetryAfterError('Vertex quota', 0.25);
    });
    await bus.enqueue('extraction', extraction());
    await bus.drain();
    expect(attemptTimes).toHaveLength(2);
    expect(attemptTimes[1]! - attemptTimes[0]!).toBeGreaterThanOrEqual(245);
    expect(backoffCalls).toEqual([]);
  });

  it('holds a task for delaySeconds before the first delivery', async () => {
    const { bus } = dispatcher();
    let deliveredAt = 0;
    bus.subscribe('extraction', () => void (deliveredAt = performance.now()));
    const enqueuedAt = performance.now();
    await bus.enqueue('extraction', extraction(), { delaySeconds: 0.3 });
    await bus.drain();
    expect(deliveredAt - enqueuedAt).toBeGreaterThanOrEqual(295);
  });

  it('suppresses a second enqueue with the same dedupe key, but not another key', async () => {
    const { bus } = dispatcher();
    const delivered: string[] = [];
    bus.subscribe('extraction', (task) => void delivered.push(task.taskId));
    const first = extraction();
    await bus.enqueue('extraction', first, { dedupeKey: `task:${first.taskId}:1` });
    await bus.enqueue('extraction', first, { dedupeKey: `task:${first.taskId}:1` });
    await bus.drain();
    await bus.enqueue('extraction', first, { dedupeKey: `task:${first.taskId}:1` });
    await bus.enqueue('extraction', first, { dedupeKey: `task:${first.taskId}:2` });
    await bus.drain();
    expect(delivered).toEqual([first.taskId, first.taskId]);
  });

  it('forgets a dedupe key after its window', async () => {
    const { bus } = dispatcher({ dedupeWindowSeconds: 0.05 });
    let deliveries = 0;
    bus.subscribe('extraction', () => void deliveries++);
    const task = extraction();
    await bus.enqueue('extraction', task, { dedupeKey: 'k' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    await bus.enqueue('extraction', task, { dedupeKey: 'k' });
    await bus.drain();
    expect(deliveries).toBe(2);
  });

  it('in duplicate-delivery mode delivers every message twice, at the same time', async () => {
    const { bus } = dispatcher({ duplicateDelivery: true });
    let running = 0;
    let mostAtOnce = 0;
    const received: unknown[] = [];
    bus.subscribe('run.completed', async (m) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      received.push(m);
      running--;
    });
    const message: MessageOf<'run.completed'> = { runId: randomUUID(), jobId: randomUUID(), userId: 'u1', status: 'completed' };
    await bus.publish('run.completed', message);
    await bus.drain();
    expect(received).toEqual([message, message]);
    expect(mostAtOnce).toBe(2);
  });

  it('gives every subscriber of a topic its own copy and its own retries', async () => {
    const { bus } = dispatcher();
    let exportAttempts = 0;
    let automationAttempts = 0;
    bus.subscribe('run.completed', () => {
      exportAttempts++;
      if (exportAttempts === 1) throw new TransientError('blip');
    });
    bus.subscribe('run.completed', () => void automationAttempts++);
    await bus.publish('run.completed', { runId: randomUUID(), jobId: randomUUID(), userId: 'u1', status: 'failed' });
    await bus.drain();
    expect({ exportAttempts, automationAttempts }).toEqual({ exportAttempts: 2, automationAttempts: 1 });
  });

  it('drain waits for the messages handlers send in turn', async () => {
    const { bus } = dispatcher();
    const seen: string[] = [];
    bus.subscribe('run.requested', async (m) => {
      seen.push('run.requested');
      await bus.enqueue('extraction', { taskId: randomUUID(), runId: m.runId }, { delaySeconds: 0.05 });
    });
    bus.subscribe('extraction', () => void seen.push('extraction'));
    await bus.publish('run.requested', { runId: randomUUID(), jobId: randomUUID(), userId: 'u1', operationId: randomUUID(), trigger: 'manual' });
    await bus.drain();
    expect(seen).toEqual(['run.requested', 'extraction']);
  });

  it('retries a task whose queue has no handler yet, and delivers once one subscribes', async () => {
    const backoffCalls: number[] = [];
    const { bus } = dispatcher({ backoff: (attempt) => (backoffCalls.push(attempt), 30) });
    const delivered: unknown[] = [];
    const task = extraction();
    await bus.enqueue('extraction', task);
    await new Promise((resolve) => setTimeout(resolve, 10));
    bus.subscribe('extraction', (t) => void delivered.push(t));
    await bus.drain();
    expect(backoffCalls.length).toBeGreaterThanOrEqual(1);
    expect(delivered).toEqual([task]);
  });

  it('close cancels scheduled deliveries and refuses later sends', async () => {
    const { bus } = dispatcher();
    let deliveries = 0;
    bus.subscribe('extraction', () => void deliveries++);
    await bus.enqueue('extraction', extraction(), { delaySeconds: 0.1 });
    await bus.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(deliveries).toBe(0);
    await expect(bus.enqueue('extraction', extraction())).rejects.toThrow('closed');
  });
});
