import { z } from 'zod';
import { PermanentError } from '../errors.js';
import { currentLogContext, logContextAttributes } from '../log.js';
import type { PublishOptions } from './bus.js';

/**
 * Message contracts: one strict schema per topic or queue, imported by publisher and
 * handler alike. Messages carry ids, not rows, and name what happened. No transforms, so
 * the type a publisher builds is exactly the type a handler receives.
 */

// `z.guid()` accepts any 8-4-4-4-12 hex id, as Postgres's `uuid` type does; `z.uuid()`
// would also demand an RFC 9562 version nibble, which the database never checks.
const id = z.guid();

const runRequested = z.strictObject({
  runId: id,
  jobId: id,
  userId: z.string().min(1),
  operationId: id,
  trigger: z.enum(['manual', 'automation', 'upload']),
  automationRunId: id.optional(),
  // `listed`: only the files listed for the operation (`run_files`), not all of the job's.
  fileSet: z.enum(['job', 'listed']).optional(),
});

const runCompleted = z.strictObject({
  runId: id,
  jobId: id,
  userId: z.string().min(1),
  status: z.enum(['completed', 'partially_completed', 'failed', 'cancelled']),
});

const exportRequested = z.strictObject({ exportId: id });
const connectorImportRequested = z.strictObject({ connectorJobId: id });
const extractionTask = z.strictObject({ taskId: id, runId: id });
// The Standard Webhooks message id of a `webhook_deliveries` row (`msg_...`).
const webhookDelivery = z.strictObject({ deliveryId: z.string().regex(/^msg_[A-Za-z0-9_-]{1,60}$/) });

// What Gmail publishes to the watch topic (not one of ours: Gmail writes it, so no `topic`
// attribute). Gmail sends `historyId` as a JSON number; the handler reads it as a string.
const gmailNotification = z.object({
  emailAddress: z.string().min(1).max(320),
  historyId: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]),
});

/** Pub/Sub topics: fan-out notifications that something happened. */
export const topicSchemas = {
  'run.requested': runRequested,
  'run.completed': runCompleted,
  'export.requested': exportRequested,
  'drive.import.requested': connectorImportRequested,
  'gmail.import.requested': connectorImportRequested,
  'gmail.notification': gmailNotification,
} as const;

/** Cloud Tasks queues: one unit of work for one target, rate-limited. */
export const queueSchemas = {
  extraction: extractionTask,
  webhook: webhookDelivery,
} as const;

const schemas = { ...topicSchemas, ...queueSchemas };

export type Topic = keyof typeof topicSchemas;
export type Queue = keyof typeof queueSchemas;
export type MessageName = Topic | Queue;
export type MessageOf<N extends MessageName> = z.infer<(typeof schemas)[N]>;

/** Pub/Sub attributes every published message carries (the wire names the topic it was sent to). */
export const messageAttributes = { topic: 'topic', dedupeKey: 'dedupeKey' } as const;

/**
 * The Pub/Sub attributes of one publish of `topic`: the topic, the dedupe key when given,
 * and the log context (trace, request id: `opts.logContext`, else the running one) that
 * the receiving stage carries on. One definition for every publisher, direct
 * (`./pubsub.ts`) or delayed through Cloud Tasks (`./cloud-tasks.ts`), so a delayed
 * message arrives exactly as a direct one would.
 */
export function publishAttributes(topic: Topic, opts: Pick<PublishOptions, 'dedupeKey' | 'logContext'> = {}): Record<string, string> {
  const attributes: Record<string, string> = { [messageAttributes.topic]: topic };
  if (opts.dedupeKey) attributes[messageAttributes.dedupeKey] = opts.dedupeKey;
  const context = opts.logContext ?? currentLogContext();
  if (context.trace) attributes[logContextAttributes.trace] = context.trace;
  if (context.requestId) attributes[logContextAttributes.requestId] = context.requestId;
  return attributes;
}

export const topics = Object.keys(topicSchemas) as Topic[];
export const queues = Object.keys(queueSchemas) as Queue[];

/** True when `name` is a Pub/Sub topic of the contract. */
export function isTopic(name: string): name is Topic {
  return Object.hasOwn(topicSchemas, name);
}

/** True when `name` is a Cloud Tasks queue of the contract. */
export function isQueue(name: string): name is Queue {
  return Object.hasOwn(queueSchemas, name);
}

/**
 * Checks `data` against the contract of `name` and returns it typed. A malformed message
 * throws PermanentError (code `invalid_message`) naming each bad field, so it is
 * acknowledged and reported, never retried forever.
 *
 * @example const { runId } = parseMessage('run.requested', JSON.parse(body));
 */
export function parseMessage<N extends MessageName>(name: N, data: unknown): MessageOf<N> {
  if (!Object.hasOwn(schemas, name)) {
    throw new PermanentError(`Unknown topic or queue "${String(name)}"`, 'invalid_message');
  }
  const result = (schemas[name] as z.ZodType).safeParse(data);
  if (result.success) return result.data as MessageOf<N>;
  const problems = result.error.issues.map(describeIssue).join('; ');
  throw new PermanentError(`Invalid ${name} message: ${problems}`, 'invalid_message');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unexpected field(s) ${issue.keys.join(', ')}`;
  const field = issue.path.length > 0 ? issue.path.join('.') : '(message)';
  return `${field}: ${issue.message}`;
}
