import { createHash } from 'node:crypto';
import { CloudTasksClient } from '@google-cloud/tasks';
import { currentLogContext, logContextHeaders } from '../log.js';
import type { MessageBus, EnqueueOptions, PublishOptions } from './bus.js';
import { parseMessage, publishAttributes, type MessageOf, type Queue, type Topic } from './contracts.js';
import { pubsubTopicId } from './pubsub.js';

/** Where a queue lives and which function its tasks call, as whom. */
export interface QueueTarget {
  project: string;
  location: string;
  /** The Cloud Tasks queue id. */
  queue: string;
  /** The target function's HTTPS URL. */
  url: string;
  /** The identity Cloud Tasks signs its OIDC token as (the target allows it to invoke). */
  serviceAccountEmail: string;
  /** The token's audience; the target URL when not given. */
  audience?: string;
}

export interface CloudTasksEnqueuerOptions {
  /** The target of each queue this process enqueues on; enqueueing on another is an error naming it. */
  queues: Partial<Record<Queue, QueueTarget>>;
  /**
   * A client to reuse, or the options to build one. The REST transport (`fallback: true`)
   * is always used, so a local HTTP double works through `apiEndpoint`, `port` and
   * `protocol: 'http'` (pass `authClient: new PassThroughClient()` when there is no credential).
   */
  client?: CloudTasksClient | ConstructorParameters<typeof CloudTasksClient>[0];
  /** Milliseconds since the epoch; injectable so schedule times can be asserted. */
  now?: () => number;
}

// gRPC status ALREADY_EXISTS (HTTP 409): a task with this name exists or existed recently.
const ALREADY_EXISTS = 6;

/**
 * The Cloud Tasks task id for a dedupe key: a SHA-256 hex digest, a valid id (letters,
 * digits, `-`, `_`) of any key, and spread evenly, as Cloud Tasks advises for task names.
 */
export function taskIdFor(queue: Queue, dedupeKey: string): string {
  return createHash('sha256').update(`${queue}\u0000${dedupeKey}`).digest('hex');
}

/**
 * Enqueues HTTP-target tasks on Cloud Tasks: POST of the JSON task to the queue's target
 * URL with an OIDC token, scheduled `delaySeconds` from now, named after the dedupe key so
 * a duplicate enqueue is answered ALREADY_EXISTS, which counts as success.
 */
export function createCloudTasksEnqueuer(options: CloudTasksEnqueuerOptions): Pick<MessageBus, 'enqueue'> & { close(): Promise<void> } {
  const client = options.client instanceof CloudTasksClient
    ? options.client
    : new CloudTasksClient({ ...options.client, fallback: true });
  const now = options.now ?? Date.now;

  return {
    async enqueue<Q extends Queue>(queue: Q, task: MessageOf<Q>, opts: EnqueueOptions = {}): Promise<void> {
      const checked = parseMessage(queue, task);
      const target = options.queues[queue];
      if (!target) throw new Error(`No Cloud Tasks target is configured for the ${queue} queue`);
      const parent = client.queuePath(target.project, target.location, target.queue);
      const scheduleMs = now() + Math.max(0, opts.delaySeconds ?? 0) * 1000;
      try {
        await client.createTask({
          parent,
          task: {
            name: opts.dedupeKey ? `${parent}/tasks/${taskIdFor(queue, opts.dedupeKey)}` : undefined,
            scheduleTime: { seconds: Math.floor(scheduleMs / 1000), nanos: (scheduleMs % 1000) * 1e6 },
            httpRequest: {
              httpMethod: 'POST',
              url: target.url,
              headers: { 'Content-Type': 'application/json', ...logContextHeaders(opts.logContext ?? currentLogContext()) },
              body: Buffer.from(JSON.stringify(checked)),
              oidcToken: { serviceAccountEmail: target.serviceAccountEmail, audience: target.audience ?? target.url },
            },
          },
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === ALREADY_EXISTS) return;
        throw error;
      }
    },
    async close(): Promise<void> {
      await client.close();
    },
  };
}

/** Where delayed Pub/Sub messages wait: a Cloud Tasks queue whose tasks publish them. */
export interface DelayedPublishTarget {
  project: string;
  location: string;
  /** The Cloud Tasks queue id holding delayed messages until their time. */
  queue: string;
  /** Prepended to every topic id (as `PubSubBusOptions.topicPrefix`). */
  topicPrefix?: string;
  /** The identity Cloud Tasks gets an OAuth token for (it must be allowed to publish to the topics). */
  serviceAccountEmail: string;
  /** Pub/Sub's REST endpoint; `https://pubsub.googleapis.com` unless told (tests: the emulator). */
  pubsubEndpoint?: string;
}

/**
 * Publishes a message to its Pub/Sub topic at a later time, which Pub/Sub itself cannot
 * do: a Cloud Tasks task scheduled `delaySeconds` from now whose HTTP request is Pub/Sub's
 * REST `topics.publish` (OAuth token of `serviceAccountEmail`), carrying the same data and
 * attributes a direct publish would. Named after the dedupe key like an enqueue, so a
 * relay that runs twice schedules one publish.
 */
export function createCloudTasksDelayedPublisher(
  target: DelayedPublishTarget, options: Pick<CloudTasksEnqueuerOptions, 'client' | 'now'> = {},
): Pick<MessageBus, 'publish'> & { close(): Promise<void> } {
  const client = options.client instanceof CloudTasksClient
    ? options.client
    : new CloudTasksClient({ ...options.client, fallback: true });
  const now = options.now ?? Date.now;
  const endpoint = (target.pubsubEndpoint ?? 'https://pubsub.googleapis.com').replace(/\/+$/, '');

  return {
    async publish<T extends Topic>(topic: T, message: MessageOf<T>, opts: PublishOptions = {}): Promise<void> {
      const checked = parseMessage(topic, message);
      // The same attributes (topic, dedupe key, log context) a direct publish carries.
      const attributes = publishAttributes(topic, opts);
      const parent = client.queuePath(target.project, target.location, target.queue);
      const scheduleMs = now() + Math.max(0, opts.delaySeconds ?? 0) * 1000;
      const topicName = `projects/${target.project}/topics/${pubsubTopicId(topic, target.topicPrefix)}`;
      const body = { messages: [{ data: Buffer.from(JSON.stringify(checked)).toString('base64'), attributes }] };
      try {
        await client.createTask({
          parent,
          task: {
            name: opts.dedupeKey ? `${parent}/tasks/${createHash('sha256').update(`publish\u0000${topic}\u0000${opts.dedupeKey}`).digest('hex')}` : undefined,
            scheduleTime: { seconds: Math.floor(scheduleMs / 1000), nanos: (scheduleMs % 1000) * 1e6 },
            httpRequest: {
              httpMethod: 'POST',
              url: `${endpoint}/v1/${topicName}:publish`,
              headers: { 'Content-Type': 'application/json' },
              body: Buffer.from(JSON.stringify(body)),
              oauthToken: { serviceAccountEmail: target.serviceAccountEmail, scope: 'https://www.googleapis.com/auth/pubsub' },
            },
          },
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === ALREADY_EXISTS) return;
        throw error;
      }
    },
    async close(): Promise<void> {
      await client.close();
    },
  };
}
