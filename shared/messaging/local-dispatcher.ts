import { PermanentError, RetryAfterError, TransientError, errorMessage } from '../errors.js';
import type { EnqueueOptions, MessageBus, PublishOptions } from './bus.js';
import { isTopic, parseMessage, type MessageName, type MessageOf, type Queue, type Topic } from './contracts.js';
import { logMessaging } from './log.js';

/** A message the dispatcher gave up on. */
export interface DeadLetter {
  name: MessageName;
  /** The payload as it travelled (parsed JSON; it may not satisfy the contract). */
  message: unknown;
  attempts: number;
  /** `permanent`: the handler threw PermanentError (never retried); `exhausted`: maxAttempts reached. */
  reason: 'permanent' | 'exhausted';
  error: unknown;
}

export type MessageHandler<N extends MessageName> = (message: MessageOf<N>) => unknown;

export interface LocalDispatcherOptions {
  /** Deliveries per message before it is dead-lettered; 5 by default. */
  maxAttempts?: number;
  /** Milliseconds to wait after failed attempt number `attempt` (1-based); see `defaultBackoff`. */
  backoff?: (attempt: number) => number;
  /** Receives every message given up on; a log line is written as well. */
  onDeadLetter?: (letter: DeadLetter) => unknown;
  /** Deliver every message twice, concurrently, to prove handlers idempotent. */
  duplicateDelivery?: boolean;
  /** How long an enqueue's dedupe key is remembered (Cloud Tasks: about an hour). */
  dedupeWindowSeconds?: number;
  /** Where log lines go; structured JSON on stderr by default. */
  log?: typeof logMessaging;
}

export interface LocalDispatcher extends MessageBus {
  /**
   * Delivers messages of a topic (every subscriber gets its own copy) or a queue (one
   * handler) to `handler`. Returns the unsubscribe function.
   */
  subscribe<N extends MessageName>(name: N, handler: MessageHandler<N>): () => void;
  /** Resolves when no delivery is running or scheduled. */
  drain(): Promise<void>;
  /** Cancels scheduled deliveries and waits for running ones; later sends are refused. */
  close(): Promise<void>;
}

interface Delivery {
  name: MessageName;
  data: string;
  attempt: number;
  /** Topics bind the subscriber at publish time; queues find their handler when the task runs. */
  handler: () => MessageHandler<MessageName> | undefined;
}

/** Exponential backoff: 1 s, 2 s, 4 s, ... capped at one minute. */
export function defaultBackoff(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 60_000);
}

/**
 * The embedded MessageBus for `npm start` and tests, with the platform's delivery
 * semantics: asynchronous (never inside the sender's call stack), at least once, retried
 * with backoff (RetryAfterError's delay honoured), PermanentError and exhausted messages
 * dead-lettered, `delaySeconds` honoured (a delayed publish as well as a delayed task, as
 * production does through Cloud Tasks), and a queue's dedupe key suppressing a second
 * enqueue while it is remembered.
 *
 * @example
 * const bus = createLocalDispatcher({ onDeadLetter: (l) => console.error(l) });
 * bus.subscribe('run.requested', (m) => initializeRun(db, m, model));
 * await bus.publish('run.requested', message);
 * await bus.drain();
 */
export function createLocalDispatcher(options: LocalDispatcherOptions = {}): LocalDispatcher {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? defaultBackoff;
  const dedupeWindowMs = (options.dedupeWindowSeconds ?? 3600) * 1000;
  const log = options.log ?? logMessaging;
  const copies = options.duplicateDelivery ? 2 : 1;

  const topicHandlers = new Map<Topic, Set<MessageHandler<MessageName>>>();
  const queueHandlers = new Map<Queue, MessageHandler<MessageName>>();
  const dedupeKeys = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const idleWaiters: (() => void)[] = [];
  let running = 0;
  let closed = false;

  const notifyIfIdle = (): void => {
    if (running > 0 || timers.size > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const schedule = (delivery: Delivery, delayMs: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void run(delivery);
    }, Math.max(0, delayMs));
    timers.add(timer);
  };

  const send = (delivery: Omit<Delivery, 'attempt'>, delayMs: number): void => {
    for (let i = 0; i < copies; i++) schedule({ ...delivery, attempt: 1 }, delayMs);
  };

  const run = async (delivery: Delivery): Promise<void> => {
    running++;
    try {
      const handler = delivery.handler();
      if (!handler) throw new TransientError(`No handler is subscribed to ${delivery.name}`);
      await handler(parseMessage(delivery.name, JSON.parse(delivery.data)));
    } catch (error) {
      if (!closed) await retryOrGiveUp(delivery, error);
    } finally {
      running--;
      notifyIfIdle();
    }
  };

  const retryOrGiveUp = async (delivery: Delivery, error: unknown): Promise<void> => {
    const permanent = error instanceof PermanentError;
    if (!permanent && delivery.attempt < maxAttempts) {
      const delayMs = error instanceof RetryAfterError ? error.retryAfterSeconds * 1000 : backoff(delivery.attempt);
      log('WARNING', `${delivery.name} delivery failed, retrying`, { attempt: delivery.attempt, delayMs, error: errorMessage(error) });
      schedule({ ...delivery, attempt: delivery.attempt + 1 }, delayMs);
      return;
    }
    const letter: DeadLetter = {
      name: delivery.name,
      message: JSON.parse(delivery.data),
      attempts: delivery.attempt,
      reason: permanent ? 'permanent' : 'exhausted',
      error,
    };
    log('ERROR', `${delivery.name} message dead-lettered (${letter.reason})`, { attempts: letter.attempts, message: letter.message, error: errorMessage(error) });
    try {
      await options.onDeadLetter?.(letter);
    } catch (callbackError) {
      log('ERROR', 'dead-letter callback failed', { error: errorMessage(callbackError) });
    }
  };

  const refuseIfClosed = (): void => {
    if (closed) throw new Error('The local dispatcher is closed');
  };

  /** True when the key was seen within the window; otherwise remembers it. */
  const seenBefore = (queue: Queue, dedupeKey: string): boolean => {
    const key = `${queue}\u0000${dedupeKey}`;
    const now = Date.now();
    const expiresAt = dedupeKeys.get(key);
    if (expiresAt !== undefined && expiresAt > now) return true;
    dedupeKeys.set(key, now + dedupeWindowMs);
    return false;
  };

  return {
    async publish<T extends Topic>(topic: T, message: MessageOf<T>, opts: PublishOptions = {}): Promise<void> {
      refuseIfClosed();
      // Like Pub/Sub: no publish-side dedupe, and a topic without subscribers drops the message.
      const data = JSON.stringify(parseMessage(topic, message));
      for (const handler of topicHandlers.get(topic) ?? []) {
        send({ name: topic, data, handler: () => handler }, (opts.delaySeconds ?? 0) * 1000);
      }
    },

    async enqueue<Q extends Queue>(queue: Q, task: MessageOf<Q>, opts: EnqueueOptions = {}): Promise<void> {
      refuseIfClosed();
      const data = JSON.stringify(parseMessage(queue, task));
      if (opts.dedupeKey !== undefined && seenBefore(queue, opts.dedupeKey)) return;
      send({ name: queue, data, handler: () => queueHandlers.get(queue) }, (opts.delaySeconds ?? 0) * 1000);
    },

    subscribe<N extends MessageName>(name: N, handler: MessageHandler<N>): () => void {
      const anyHandler = handler as MessageHandler<MessageName>;
      if (isTopic(name)) {
        const set = topicHandlers.get(name) ?? new Set();
        set.add(anyHandler);
        topicHandlers.set(name, set);
        return () => void set.delete(anyHandler);
      }
      const queue = name as Queue;
      if (queueHandlers.has(queue)) throw new Error(`Queue ${queue} already has a handler`);
      queueHandlers.set(queue, anyHandler);
      return () => void (queueHandlers.get(queue) === anyHandler && queueHandlers.delete(queue));
    },

    drain(): Promise<void> {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        notifyIfIdle();
      });
    },

    async close(): Promise<void> {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notifyIfIdle();
      });
    },
  };
}
