import type { CloudEvent, Request, Response } from '@google-cloud/functions-framework';
import { PermanentError, RetryAfterError, errorMessage } from '../errors.js';
import { messageAttributes, parseMessage, type MessageOf, type Queue, type Topic } from './contracts.js';
import { logMessaging } from './log.js';

/**
 * What a Pub/Sub-triggered function receives as `cloudEvent.data`: Eventarc sends
 * `{ message, subscription }`; the functions framework turns a raw push request (the
 * emulator's) into `{ message }` with the same `message` fields.
 */
export interface PubSubEventData {
  message?: { data?: string; attributes?: Record<string, string>; messageId?: string; publishTime?: string };
  subscription?: string;
}

export interface PubSubDelivery {
  messageId?: string;
  attributes: Record<string, string>;
}

/**
 * How a delivery ended, logged with `stage` and `durationMs` on one line per delivery: the
 * log-based metrics of terraform/monitoring.tf count and time them (`done`; `given_up`:
 * acknowledged without success, the application's dead letter; `retry_after`; `retry`).
 */
export type DeliveryOutcome = 'done' | 'given_up' | 'retry_after' | 'retry';

export interface TaskDelivery {
  /** Cloud Tasks' task name (`X-CloudTasks-TaskName`), when called by Cloud Tasks. */
  taskName?: string;
  /** Earlier attempts of this task (`X-CloudTasks-TaskRetryCount`). */
  retryCount: number;
  /** Aborted when the invocation times out or the caller hangs up; pass it to queries. */
  signal: AbortSignal;
}

/**
 * A functions-framework CloudEvent handler for a Pub/Sub topic: decodes the message
 * (base64 -> JSON -> the topic's contract) and calls `fn`. PermanentError (including a
 * malformed message) is logged and acknowledged; any other error is rethrown so Pub/Sub
 * redelivers.
 *
 * @example functions.cloudEvent('run-initializer', pubsubHandler('run.requested', (m) => initializeRun(db, m, model)));
 */
export function pubsubHandler<T extends Topic>(
  topic: T,
  fn: (message: MessageOf<T>, delivery: PubSubDelivery) => unknown,
): (cloudEvent: CloudEvent<PubSubEventData>) => Promise<void> {
  return async (cloudEvent) => {
    const pubsubMessage = cloudEvent.data?.message;
    const delivery: PubSubDelivery = { messageId: pubsubMessage?.messageId, attributes: pubsubMessage?.attributes ?? {} };
    const started = performance.now();
    const outcome = (name: DeliveryOutcome) => ({ topic, stage: topic, messageId: delivery.messageId, outcome: name, durationMs: Math.round(performance.now() - started) });
    try {
      const message = decodePubSubMessage(topic, pubsubMessage);
      await fn(message, delivery);
      logMessaging('INFO', `${topic} message handled`, outcome('done'));
    } catch (error) {
      if (error instanceof PermanentError) {
        logMessaging('ERROR', `${topic} message given up: ${error.message}`, { ...outcome('given_up'), code: error.code });
        return;
      }
      logMessaging('WARNING', `${topic} message failed, Pub/Sub will redeliver: ${errorMessage(error)}`, outcome('retry'));
      throw error;
    }
  };
}

function decodePubSubMessage<T extends Topic>(topic: T, message: PubSubEventData['message']): MessageOf<T> {
  const sentTo = message?.attributes?.[messageAttributes.topic];
  if (sentTo !== undefined && sentTo !== topic) {
    throw new PermanentError(`A ${sentTo} message reached the ${topic} handler`, 'invalid_message');
  }
  if (!message?.data) throw new PermanentError(`The ${topic} message has no data`, 'invalid_message');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(message.data, 'base64').toString('utf8'));
  } catch {
    throw new PermanentError(`The ${topic} message data is not JSON`, 'invalid_message');
  }
  return parseMessage(topic, json);
}

/**
 * A functions-framework HTTP handler for a Cloud Tasks queue: parses the JSON body against
 * the queue's contract and calls `fn`. The answer is what Cloud Tasks acts on: 200 done;
 * PermanentError (including a malformed task) 200, logged; RetryAfterError 429 with
 * `Retry-After`; anything else 500 (retried with the queue's backoff).
 *
 * @example functions.http('extraction', tasksHandler('extraction', (task, { signal }) => extractTask(stage, task, signal)));
 */
export function tasksHandler<Q extends Queue>(
  queue: Q,
  fn: (task: MessageOf<Q>, delivery: TaskDelivery) => unknown,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const delivery: TaskDelivery = {
      taskName: req.get('X-CloudTasks-TaskName') ?? undefined,
      retryCount: Number(req.get('X-CloudTasks-TaskRetryCount') ?? 0) || 0,
      signal: invocationSignal(req, res),
    };
    const started = performance.now();
    const outcome = (name: DeliveryOutcome) => ({
      queue, stage: queue, taskName: delivery.taskName, retryCount: delivery.retryCount, outcome: name, durationMs: Math.round(performance.now() - started),
    });
    try {
      await fn(parseMessage(queue, readJsonBody(req)), delivery);
      logMessaging('INFO', `${queue} task handled`, outcome('done'));
      res.status(200).send('OK');
    } catch (error) {
      if (error instanceof PermanentError) {
        logMessaging('ERROR', `${queue} task given up: ${error.message}`, { ...outcome('given_up'), code: error.code });
        res.status(200).send('Given up');
      } else if (error instanceof RetryAfterError) {
        const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds));
        logMessaging('WARNING', `${queue} task asked to retry after ${seconds}s: ${error.message}`, outcome('retry_after'));
        res.status(429).set('Retry-After', String(seconds)).send('Retry later');
      } else {
        logMessaging('ERROR', `${queue} task failed, Cloud Tasks will retry: ${errorMessage(error)}`, outcome('retry'));
        res.status(500).send('Failed');
      }
    }
  };
}

/** The framework's timeout signal (when it has one), also aborted if the caller hangs up first. */
function invocationSignal(req: Request, res: Response): AbortSignal {
  const hangUp = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) hangUp.abort(new Error('The caller closed the connection'));
  });
  return req.abortController ? AbortSignal.any([req.abortController.signal, hangUp.signal]) : hangUp.signal;
}

function readJsonBody(req: Request): unknown {
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body)) return body;
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  try {
    return JSON.parse(text);
  } catch {
    throw new PermanentError('The task body is not JSON', 'invalid_message');
  }
}
