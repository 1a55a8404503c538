import type { MessageOf, Queue, Topic } from './contracts.js';

export interface PublishOptions {
  /** Identifies the logical message; carried as an attribute (Pub/Sub never dedupes a publish). */
  dedupeKey?: string;
  /**
   * Deliver no sooner than this many seconds from now (a scheduled retry). Pub/Sub cannot
   * delay a message: production hands a delayed one to Cloud Tasks, which publishes it at
   * its `scheduleTime` (`createCloudTasksDelayedPublisher`).
   */
  delaySeconds?: number;
}

export interface EnqueueOptions {
  /** Deliver no sooner than this many seconds from now. */
  delaySeconds?: number;
  /** Names the task: a second enqueue with the same key is a no-op while the first is known. */
  dedupeKey?: string;
}

/**
 * The messaging seam. Production: Pub/Sub topics and Cloud Tasks queues; local: the
 * in-process dispatcher. Both validate the payload against its contract before sending.
 */
export interface MessageBus {
  publish<T extends Topic>(topic: T, message: MessageOf<T>, opts?: PublishOptions): Promise<void>;
  enqueue<Q extends Queue>(queue: Q, task: MessageOf<Q>, opts?: EnqueueOptions): Promise<void>;
}
