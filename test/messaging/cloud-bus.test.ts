import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/config.js';
import { cloudMessagingConfigFromEnv, createCloudMessageBus } from '../../shared/messaging/cloud.js';
import { pubsubTopicId } from '../../shared/messaging/pubsub.js';
import { startCloudTasksDouble, type CloudTasksDouble } from '../doubles/cloud-tasks.js';

const env = {
  GOOGLE_CLOUD_PROJECT: 'bytereview-prod',
  PUBSUB_TOPIC_PREFIX: 'bytereview-',
  TASKS_LOCATION: 'europe-west1',
  EXTRACTION_URL: 'https://extraction-xyz-ew.a.run.app',
  WEBHOOK_URL: 'https://webhook-xyz-ew.a.run.app',
  TASKS_INVOKER_SERVICE_ACCOUNT: 'tasks-invoker@bytereview-prod.iam.gserviceaccount.com',
};

describe('production messaging configuration', () => {
  it('maps contract topics to prefixed Pub/Sub topic ids', () => {
    expect(pubsubTopicId('run.requested', 'bytereview-')).toBe('bytereview-run-requested');
    expect(pubsubTopicId('gmail.import.requested')).toBe('gmail-import-requested');
  });

  it('reads queue targets from the environment, with the extraction queue id defaulted', () => {
    const config = cloudMessagingConfigFromEnv(env);
    expect(config.pubsub).toEqual({ topicPrefix: 'bytereview-', pubsub: { projectId: 'bytereview-prod' } });
    expect(config.tasks.queues.extraction).toEqual({
      project: 'bytereview-prod', location: 'europe-west1', queue: 'extraction',
      url: 'https://extraction-xyz-ew.a.run.app', serviceAccountEmail: 'tasks-invoker@bytereview-prod.iam.gserviceaccount.com',
    });
  });

  it('names the variable that is missing or malformed', () => {
    const { EXTRACTION_URL: _, ...withoutUrl } = env;
    expect(() => cloudMessagingConfigFromEnv(withoutUrl)).toThrow(ConfigError);
    expect(() => cloudMessagingConfigFromEnv(withoutUrl)).toThrow(/EXTRACTION_URL/);
    expect(() => cloudMessagingConfigFromEnv({ ...env, TASKS_INVOKER_SERVICE_ACCOUNT: 'nobody' })).toThrow(/TASKS_INVOKER_SERVICE_ACCOUNT/);
  });

  describe('the combined bus', () => {
    let double: CloudTasksDouble;
    beforeAll(async () => {
      double = await startCloudTasksDouble();
    });
    afterAll(() => double.close());

    it('sends queue tasks to Cloud Tasks at the configured target', async () => {
      const config = cloudMessagingConfigFromEnv(env);
      const bus = createCloudMessageBus({ ...config, tasks: { ...config.tasks, client: double.clientOptions } });
      const task = { taskId: randomUUID(), runId: randomUUID() };
      await bus.enqueue('extraction', task, { dedupeKey: task.taskId });
      await bus.close();
      expect(double.tasks).toMatchObject([{ parent: 'projects/bytereview-prod/locations/europe-west1/queues/extraction', url: env.EXTRACTION_URL }]);
      expect(JSON.parse(double.tasks[0]!.body)).toEqual(task);
    });
  });
});
