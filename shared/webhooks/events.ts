import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { addToOutbox, queueTask } from '../outbox/outbox.js';

/** The events a webhook endpoint can subscribe to. */
export const webhookEventTypes = ['run.completed', 'export.completed', 'export.failed', 'automation.failed', 'account.revoked'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** One event, as its stage emits it. */
export interface WebhookEvent {
  userId: string;
  type: WebhookEventType;
  /** The `data` of the delivered body: ids and statuses, never secrets. */
  data: Record<string, unknown>;
  /** Names the event once (e.g. `export.completed:<exportId>`): emitting it again delivers nothing new. */
  eventKey: string;
}

/** A Standard Webhooks message id: `msg_` and 24 random base32-ish characters. */
export function newDeliveryId(): string {
  return `msg_${randomBytes(15).toString('base64url')}`;
}

/** The delivery task of a delivery's attempt (the Cloud Tasks name; a second enqueue is a no-op). */
export function deliveryTaskKey(deliveryId: string, attempt: number): string {
  return `webhook-${deliveryId}-a${attempt}`;
}

/**
 * Emits an event to the user's enabled endpoints that subscribe to it: one delivery row
 * each, and its task in the outbox. Call it inside the transaction that makes the change
 * the event announces, then relay the returned outbox ids after commit. An event key seen
 * before for an endpoint adds nothing (a redelivered message emits once).
 *
 * @example const ids = await db.transaction().execute(async (trx) => { ...; return emitWebhookEvent(trx, event); });
 *          await relayAfterCommit(platform, ids);
 */
export async function emitWebhookEvent(db: Kysely<Database>, event: WebhookEvent): Promise<number[]> {
  const endpoints = await db.selectFrom('webhook_endpoints').select('id')
    .where('user_id', '=', event.userId).where('status', '=', 'enabled')
    .where(sql<boolean>`${event.type} = any(events)`)
    .execute();
  if (endpoints.length === 0) return [];
  const timestamp = new Date().toISOString();
  const inserted = await db.insertInto('webhook_deliveries')
    .values(endpoints.map((e) => ({
      id: newDeliveryId(),
      endpoint_id: e.id,
      event_type: event.type,
      event_key: event.eventKey.slice(0, 300),
      payload: JSON.stringify({ type: event.type, timestamp, data: event.data }),
      next_attempt_at: sql<Date>`now()`,
    })))
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_key']).doNothing())
    .returning('id')
    .execute();
  return addToOutbox(db, inserted.map((d) => queueTask('webhook', { deliveryId: d.id }, { dedupeKey: deliveryTaskKey(d.id, 1) })));
}

/**
 * On `run.completed`: emits the `run.completed` webhook with the run's counts, once per
 * completion (the key carries the counts, as the message's own dedupe key does, so a run
 * finished again after "retry failed tasks" is announced again). Answers the outbox ids.
 */
export async function emitRunCompleted(db: Kysely<Database>, message: { runId: string; jobId: string; userId: string; status: string }): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const run = await trx.selectFrom('job_runs').select(['run_number', 'tasks_total', 'tasks_completed', 'tasks_failed', 'completed_at'])
      .where('id', '=', message.runId).executeTakeFirst();
    if (!run) return [];
    return emitWebhookEvent(trx, {
      userId: message.userId, type: 'run.completed',
      eventKey: `run.completed:${message.runId}:${message.status}:${run.tasks_completed}-${run.tasks_failed}`,
      data: {
        runId: message.runId, jobId: message.jobId, runNumber: run.run_number, status: message.status,
        tasksTotal: run.tasks_total, tasksCompleted: run.tasks_completed, tasksFailed: run.tasks_failed,
        completedAt: run.completed_at?.toISOString() ?? null,
      },
    });
  });
}
