import { PubSub, type ClientConfig, type Topic as PubSubTopic } from '@google-cloud/pubsub';
import type { MessageBus, PublishOptions } from './bus.js';
import { parseMessage, publishAttributes, type MessageOf, type Topic } from './contracts.js';

export interface PubSubBusOptions {
  /** Prepended to every topic id, e.g. `bytereview-` gives `bytereview-run-requested`. */
  topicPrefix?: string;
  /** A client to reuse, or the options to build one (`projectId`, `apiEndpoint`). */
  pubsub?: PubSub | ClientConfig;
}

/**
 * The Pub/Sub topic id for a contract topic: dots become dashes, then the prefix.
 *
 * @example pubsubTopicId('run.requested', 'bytereview-') === 'bytereview-run-requested'
 */
export function pubsubTopicId(topic: Topic, prefix = ''): string {
  return `${prefix}${topic.replaceAll('.', '-')}`;
}

/**
 * A MessageBus that publishes to Pub/Sub (JSON data; attributes name the topic and carry
 * the dedupe key). `PUBSUB_EMULATOR_HOST` is honoured by the client library itself.
 * Queues are not Pub/Sub's: combine with the Cloud Tasks bus (`createCloudMessageBus`).
 */
export function createPubSubPublisher(options: PubSubBusOptions = {}): Pick<MessageBus, 'publish'> & { close(): Promise<void> } {
  const pubsub = options.pubsub instanceof PubSub ? options.pubsub : new PubSub(options.pubsub);
  const handles = new Map<Topic, PubSubTopic>();
  const handleFor = (topic: Topic): PubSubTopic => {
    let handle = handles.get(topic);
    if (!handle) {
      handle = pubsub.topic(pubsubTopicId(topic, options.topicPrefix));
      handles.set(topic, handle);
    }
    return handle;
  };

  return {
    async publish<T extends Topic>(topic: T, message: MessageOf<T>, opts: PublishOptions = {}): Promise<void> {
      const checked = parseMessage(topic, message);
      await handleFor(topic).publishMessage({ data: Buffer.from(JSON.stringify(checked)), attributes: publishAttributes(topic, opts) });
    },
    async close(): Promise<void> {
      await Promise.all([...handles.values()].map((handle) => handle.flush()));
      await pubsub.close();
    },
  };
}
