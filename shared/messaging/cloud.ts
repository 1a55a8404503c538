import { CloudTasksClient } from '@google-cloud/tasks';
import { z } from 'zod';
import { optionalString, parseEnv } from '../config.js';
import { combineBuses, type MessageBus } from './bus.js';
import { createCloudTasksDelayedPublisher, createCloudTasksEnqueuer, type CloudTasksEnqueuerOptions, type DelayedPublishTarget } from './cloud-tasks.js';
import { createPubSubPublisher, type PubSubBusOptions } from './pubsub.js';

/** The messaging settings of a deployed function (README "Settings"). */
export const cloudMessagingEnv = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1),
  PUBSUB_TOPIC_PREFIX: optionalString,
  TASKS_LOCATION: z.string().min(1),
  EXTRACTION_QUEUE: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('extraction')),
  EXTRACTION_URL: z.url(),
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
 * `EXTRACTION_URL`, `TASKS_INVOKER_SERVICE_ACCOUNT`, `DELAYED_MESSAGES_QUEUE`. A bad value
 * throws ConfigError naming it.
 */
export function cloudMessagingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CloudMessagingConfig {
  const e = parseEnv(cloudMessagingEnv, env);
  return {
    pubsub: { topicPrefix: e.PUBSUB_TOPIC_PREFIX, pubsub: { projectId: e.GOOGLE_CLOUD_PROJECT } },
    delayed: {
      project: e.GOOGLE_CLOUD_PROJECT, location: e.TASKS_LOCATION, queue: e.DELAYED_MESSAGES_QUEUE,
      topicPrefix: e.PUBSUB_TOPIC_PREFIX, serviceAccountEmail: e.TASKS_INVOKER_SERVICE_ACCOUNT,
    },
    tasks: {
      queues: {
        extraction: {
          project: e.GOOGLE_CLOUD_PROJECT,
          location: e.TASKS_LOCATION,
          queue: e.EXTRACTION_QUEUE,
          url: e.EXTRACTION_URL,
          serviceAccountEmail: e.TASKS_INVOKER_SERVICE_ACCOUNT,
        },
      },
    },
  };
}

/**
 * The production MessageBus: topics on Pub/Sub (a delayed publish through Cloud Tasks, which
 * publishes it at its time), queues on Cloud Tasks.
 *
 * @example const bus = createCloudMessageBus(cloudMessagingConfigFromEnv());
 */
export function createCloudMessageBus(config: CloudMessagingConfig): MessageBus & { close(): Promise<void> } {
  const direct = createPubSubPublisher(config.pubsub);
  // One Cloud Tasks client for tasks and delayed publishes, closed once.
  const tasksClient = config.tasks.client instanceof CloudTasksClient ? config.tasks.client : new CloudTasksClient({ ...config.tasks.client, fallback: true });
  const later = createCloudTasksDelayedPublisher(config.delayed, { client: tasksClient });
  const enqueuer = createCloudTasksEnqueuer({ ...config.tasks, client: tasksClient });
  const publisher: Pick<MessageBus, 'publish'> = {
    publish: (topic, message, opts) => ((opts?.delaySeconds ?? 0) > 0 ? later : direct).publish(topic, message, opts),
  };
  return {
    ...combineBuses(publisher, enqueuer),
    close: async () => {
      await Promise.all([direct.close(), tasksClient.close()]);
    },
  };
}
