import type { GoogleAuth } from 'google-auth-library';
import { z } from 'zod';
import { optionalString, parseEnv } from '../config.js';
import { lazy } from '../lazy.js';
import type { MessageBus } from './bus.js';
import type { CloudTasksEnqueuerOptions } from './cloud-tasks.js';
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
});

export interface CloudMessagingConfig {
  pubsub: PubSubBusOptions;
  tasks: CloudTasksEnqueuerOptions;
}

/**
 * Reads the production messaging configuration from the environment (Terraform sets it):
 * `GOOGLE_CLOUD_PROJECT`, `PUBSUB_TOPIC_PREFIX`, `TASKS_LOCATION`, `EXTRACTION_QUEUE`,
 * `EXTRACTION_URL`, `WEBHOOK_QUEUE`, `WEBHOOK_URL`, `TASKS_INVOKER_SERVICE_ACCOUNT`. A bad value throws ConfigError naming it.
 */
export function cloudMessagingConfigFromEnv(env: NodeJS.ProcessEnv = process.env, auth?: GoogleAuth): CloudMessagingConfig {
  const e = parseEnv(cloudMessagingEnv, env);
  return {
    pubsub: { topicPrefix: e.PUBSUB_TOPIC_PREFIX, pubsub: { projectId: e.GOOGLE_CLOUD_PROJECT, ...(auth ? { auth } : {}) } },
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
 * The production MessageBus: topics on Pub/Sub, queues on Cloud Tasks. Each client library
 * is imported on its first message and kept (Google's cold-start advice): importing
 * Pub/Sub costs about 0.3 s and Cloud Tasks 0.25 s here, and most functions only publish,
 * or send nothing on most requests.
 *
 * @example const bus = createCloudMessageBus(cloudMessagingConfigFromEnv());
 */
export function createCloudMessageBus(config: CloudMessagingConfig): MessageBus & { close(): Promise<void> } {
  const publisher = lazy(async () => (await import('./pubsub.js')).createPubSubPublisher(config.pubsub));
  const enqueuer = lazy(async () => (await import('./cloud-tasks.js')).createCloudTasksEnqueuer(config.tasks));
  return {
    publish: async (topic, message, opts) => (await publisher.get()).publish(topic, message, opts),
    enqueue: async (queue, task, opts) => (await enqueuer.get()).enqueue(queue, task, opts),
    close: async () => {
      await Promise.all([publisher.current()?.then((p) => p.close()), enqueuer.current()?.then((e) => e.close())]);
    },
  };
}
