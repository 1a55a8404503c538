import { z } from 'zod';
import { optionalString, parseEnv } from '../config.js';
import { combineBuses, type MessageBus } from './bus.js';
import { createCloudTasksEnqueuer, type CloudTasksEnqueuerOptions } from './cloud-tasks.js';
import { createPubSubPublisher, type PubSubBusOptions } from './pubsub.js';

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
export function cloudMessagingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CloudMessagingConfig {
  const e = parseEnv(cloudMessagingEnv, env);
  return {
    pubsub: { topicPrefix: e.PUBSUB_TOPIC_PREFIX, pubsub: { projectId: e.GOOGLE_CLOUD_PROJECT } },
    tasks: {
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
 * The production MessageBus: topics on Pub/Sub, queues on Cloud Tasks.
 *
 * @example const bus = createCloudMessageBus(cloudMessagingConfigFromEnv());
 */
export function createCloudMessageBus(config: CloudMessagingConfig): MessageBus & { close(): Promise<void> } {
  const publisher = createPubSubPublisher(config.pubsub);
  const enqueuer = createCloudTasksEnqueuer(config.tasks);
  return {
    ...combineBuses(publisher, enqueuer),
    close: async () => {
      await Promise.all([publisher.close(), enqueuer.close()]);
    },
  };
}
