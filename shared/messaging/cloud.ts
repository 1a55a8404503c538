import type { GoogleAuth } from 'google-auth-library';
import { z } from 'zod';
import { optionalString, parseEnv } from '../config.js';
import { lazy } from '../lazy.js';
import type { MessageBus } from './bus.js';
import type { CloudTasksEnqueuerOptions, DelayedPublishTarget } from './cloud-tasks.js';
import type { PubSubBusOptions } from './pubsub.js';

/** The messaging settings of a deployed function (README "Settings"). */
export const cloudMessagingEnv = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1),
  PUBSUB_TOPIC_PREFIX: optionalString,
  TASKS_LOCATION: z.string().min(1),
  EXTRACTION_QUEUE: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('extraction')),
  EXTRACTION_URL: z.url(),
  WEBHOOK_QUEUE: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('webhook')),
  WEBHOOK_URL: z.url(),
  TASKS_INVOKER_SERVICE_ACCOUNT: z.email(),
  DELAYED_MESSAGES_QUEUE: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('delayed-messages')),
});

export interface CloudMessagingConfig {
  pubsub: PubSubBusOptions;
  tasks: CloudTasksEnqueuerOptions;
  /** Where a delayed publish (a scheduled connector job retry) waits for its time. */
  delayed: DelayedPublishTarget;
}

/**
 * Reads the production messaging configuration from the environment (Terraform sets it):
 * `GOOGLE_CLOUD_PROJECT`, `PUBSUB_TOPIC_PREFIX`, `TASKS_LOCATION`, `EXTRACTION_QUEUE`,
 * `EXTRACTION_URL`, `WEBHOOK_QUEUE`, `WEBHOOK_URL`, `TASKS_INVOKER_SERVICE_ACCOUNT`,
 * `DELAYED_MESSAGES_QUEUE`. A bad value throws ConfigError naming it.
 */
export function cloudMessagingConfigFromEnv(env: NodeJS.ProcessEnv = process.env, auth?: GoogleAuth): CloudMessagingConfig {
  const e = parseEnv(cloudMessagingEnv, env);
  return {
    pubsub: { topicPrefix: e.PUBSUB_TOPIC_PREFIX, pubsub: { projectId: e.GOOGLE_CLOUD_PROJECT, ...(auth ? { auth } : {}) } },
    delayed: {
      project: e.GOOGLE_CLOUD_PROJECT, location: e.TASKS_LOCATION, queue: e.DELAYED_MESSAGES_QUEUE,
      topicPrefix: e.PUBSUB_TOPIC_PREFIX, serviceAccountEmail: e.TASKS_INVOKER_SERVICE_ACCOUNT,
    },
    tasks: {
      ...(auth ? { client: { auth } } : {}),
      queues: {
        extraction: {
          project: e.GOOGLE_CLOUD_PROJECT,
          location: e.TASKS_LOCATION,
          queue: e.EXTRACTION_QUEUE,
          url: e.EXTRACTION_URL,
          serviceAccountEmail: e.TASKS_INVOKER_SERVICE_ACCOUNT,
        },
        webhook: {
          project: e.GOOGLE_CLOUD_PROJECT,
          location: e.TASKS_LOCATION,
          queue: e.WEBHOOK_QUEUE,
          url: e.WEBHOOK_URL,
          serviceAccountEmail: e.TASKS_INVOKER_SERVICE_ACCOUNT,
        },
      },
    },
  };
}

/**
 * The production MessageBus: topics on Pub/Sub (a delayed publish goes through Cloud Tasks,
 * which publishes it at its time), queues on Cloud Tasks. Each client library is imported
 * on its first message and kept (Google's cold-start advice): importing Pub/Sub costs about
 * 0.3 s and Cloud Tasks 0.25 s here, and most functions only publish, or send nothing on
 * most requests.
 *
 * @example const bus = createCloudMessageBus(cloudMessagingConfigFromEnv());
 */
export function createCloudMessageBus(config: CloudMessagingConfig): MessageBus & { close(): Promise<void> } {
  const direct = lazy(async () => (await import('./pubsub.js')).createPubSubPublisher(config.pubsub));
  // One Cloud Tasks client for extraction tasks and delayed publishes, closed once.
  const tasks = lazy(async () => {
    const { CloudTasksClient } = await import('@google-cloud/tasks');
    const { createCloudTasksEnqueuer, createCloudTasksDelayedPublisher } = await import('./cloud-tasks.js');
    const client = config.tasks.client instanceof CloudTasksClient ? config.tasks.client : new CloudTasksClient({ ...config.tasks.client, fallback: true });
    return {
      client,
      enqueuer: createCloudTasksEnqueuer({ ...config.tasks, client }),
      later: createCloudTasksDelayedPublisher(config.delayed, { client }),
    };
  });
  return {
    publish: async (topic, message, opts) => ((opts?.delaySeconds ?? 0) > 0
      ? (await tasks.get()).later.publish(topic, message, opts)
      : (await direct.get()).publish(topic, message, opts)),
    enqueue: async (queue, task, opts) => (await tasks.get()).enqueuer.enqueue(queue, task, opts),
    close: async () => {
      await Promise.all([direct.current()?.then((p) => p.close()), tasks.current()?.then((t) => t.client.close())]);
    },
  };
}
