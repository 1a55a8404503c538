import { sql, type Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { recordActivity } from '../activity/activity.js';
import type { Database } from '../db/index.js';
import { errorMessage } from '../errors.js';
import type { MessageOf } from '../messaging/contracts.js';
import { addToOutbox, queueTask, relayAfterCommit } from '../outbox/outbox.js';
import type { Platform } from '../platform.js';
import { createTokenCipher, tokenBinding } from '../secrets/token-cipher.js';
import { vetWebhookUrl } from './address.js';
import { deliveryTaskKey } from './events.js';
import { postToVettedTarget, type AttemptOutcome } from './send.js';
import { webhookSettingsOf } from './endpoints.js';

/**
 * The `webhook` stage: one attempt of one delivery. Vets the endpoint's URL again (every
 * address its host resolves to now), signs the body per Standard Webhooks with the
 * endpoint's secret and the delivery's id (the same `webhook-id` on every attempt), POSTs
 * it to the vetted address, and records the outcome. A failure schedules the next attempt
 * (a delayed task, written in the outbox with the outcome) until the schedule is spent;
 * `disableAfterFailures` failures in a row disable the endpoint with a `webhook_disabled`
 * activity event. Safe to run twice: only a pending delivery at the attempt this task was
 * made for is attempted, and only that attempt's outcome is recorded.
 */
export async function deliverWebhook(platform: Platform, message: MessageOf<'webhook'>): Promise<void> {
  const db = platform.database.db;
  const settings = webhookSettingsOf(platform);
  const row = await db.selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.status', 'd.attempts', 'd.payload', 'e.id as endpoint_id', 'e.user_id', 'e.url', 'e.secret', 'e.status as endpoint_status'])
    // A task that came early (a duplicate of an earlier attempt's task) waits for its own.
    .select(sql<boolean>`d.next_attempt_at > now() + interval '2 seconds'`.as('early'))
    .where('d.id', '=', message.deliveryId)
    .executeTakeFirst();
  if (!row || row.status !== 'pending') return;
  if (row.endpoint_status !== 'enabled') {
    await db.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null, last_error: 'The endpoint is disabled' })
      .where('id', '=', row.id).where('status', '=', 'pending').execute();
    return;
  }
  if (row.early) return;

  const body = JSON.stringify(row.payload);
  const outcome = await attempt(platform, row, body);
  const outboxIds = await db.transaction().execute((trx) => recordOutcome(trx, row, outcome, settings));
  await relayAfterCommit(platform, outboxIds);
}

async function attempt(platform: Platform, row: { id: string; endpoint_id: string; url: string; secret: Buffer }, body: string): Promise<AttemptOutcome> {
  const settings = webhookSettingsOf(platform);
  let target;
  try {
    target = await vetWebhookUrl(row.url, settings);
  } catch (error) {
    return { ok: false, status: null, error: errorMessage(error) };
  }
  const secret = createTokenCipher(await platform.google.tokenKeyring()).decrypt(row.secret, tokenBinding('webhook_endpoints', row.endpoint_id, 'secret'));
  const sentAt = new Date();
  const signature = new Webhook(secret).sign(row.id, sentAt, body);
  return postToVettedTarget(target, {
    'content-type': 'application/json',
    'user-agent': 'ByteReview-Webhooks/1',
    'webhook-id': row.id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signature,
  }, body, settings.timeoutMs);
}

async function recordOutcome(
  trx: Kysely<Database>,
  row: { id: string; attempts: number; endpoint_id: string; user_id: string; url: string },
  outcome: AttemptOutcome,
  settings: { retryDelaysSeconds: readonly number[]; disableAfterFailures: number },
): Promise<number[]> {
  const attempts = row.attempts + 1;
  const guard = (qb: ReturnType<typeof updateDelivery>) => qb.where('id', '=', row.id).where('status', '=', 'pending').where('attempts', '=', row.attempts);
  const updateDelivery = () => trx.updateTable('webhook_deliveries');
  if (outcome.ok) {
    const done = await guard(updateDelivery().set({
      status: 'succeeded', attempts, last_status_code: outcome.status, last_error: null, next_attempt_at: null,
      last_attempt_at: sql`now()`, delivered_at: sql`now()`,
    })).returning('id').executeTakeFirst();
    if (done) await trx.updateTable('webhook_endpoints').set({ consecutive_failures: 0 }).where('id', '=', row.endpoint_id).execute();
    return [];
  }
  const delay = settings.retryDelaysSeconds[attempts - 1];
  const done = await guard(updateDelivery().set({
    status: delay === undefined ? 'failed' : 'pending', attempts, last_status_code: outcome.status, last_error: outcome.error.slice(0, 1000),
    last_attempt_at: sql`now()`,
    next_attempt_at: delay === undefined ? null : sql<Date>`now() + make_interval(secs => ${delay})`,
  })).returning('id').executeTakeFirst();
  if (!done) return [];
  const endpoint = await trx.updateTable('webhook_endpoints')
    .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
    .where('id', '=', row.endpoint_id)
    .returning(['consecutive_failures', 'status'])
    .executeTakeFirstOrThrow();
  if (endpoint.status === 'enabled' && endpoint.consecutive_failures >= settings.disableAfterFailures) {
    await disableEndpoint(trx, row, endpoint.consecutive_failures, outcome.error);
    return [];
  }
  if (delay === undefined) return [];
  return addToOutbox(trx, [queueTask('webhook', { deliveryId: row.id }, { dedupeKey: deliveryTaskKey(row.id, attempts + 1), delaySeconds: delay })]);
}

/** Disables the endpoint, fails what it still had pending, and writes `webhook_disabled` once. */
async function disableEndpoint(trx: Kysely<Database>, row: { endpoint_id: string; user_id: string; url: string }, failures: number, lastError: string): Promise<void> {
  const reason = `Disabled after ${failures} failed deliveries in a row; the last: ${lastError}`.slice(0, 1000);
  const disabled = await trx.updateTable('webhook_endpoints')
    .set({ status: 'disabled', disabled_reason: reason, updated_at: sql`now()` })
    .where('id', '=', row.endpoint_id).where('status', '=', 'enabled')
    .returning('updated_at').executeTakeFirst();
  if (!disabled) return;
  await trx.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null, last_error: 'The endpoint was disabled' })
    .where('endpoint_id', '=', row.endpoint_id).where('status', '=', 'pending').execute();
  await recordActivity(trx, {
    userId: row.user_id, kind: 'webhook_disabled',
    context: { webhookId: row.endpoint_id, failures },
    description: `Webhook to ${new URL(row.url).host} disabled after ${failures} failed deliveries in a row - ${lastError}`,
    dedupeKey: `webhook_disabled:${row.endpoint_id}:${disabled.updated_at.toISOString()}`,
  });
}

// A pending delivery this far past its attempt time lost its task (or its task came early
// and was skipped): the cleanup sweep asks for the attempt again.
const OVERDUE_MINUTES = 10;

/**
 * The cleanup sweep's share: a new task for every pending delivery of an enabled endpoint
 * whose attempt is more than 10 minutes overdue, in the outbox (relay the ids). The task
 * name carries the minute, so it is not refused as a duplicate of the lost one.
 */
export async function sweepOverdueWebhookDeliveries(db: Kysely<Database>, limit = 500): Promise<number[]> {
  const overdue = await db.selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.attempts'])
    .where('d.status', '=', 'pending').where('e.status', '=', 'enabled')
    .where('d.next_attempt_at', '<', sql<Date>`now() - make_interval(mins => ${OVERDUE_MINUTES})`)
    .orderBy('d.next_attempt_at').limit(limit)
    .execute();
  const minute = Math.floor(Date.now() / 60_000);
  return addToOutbox(db, overdue.map((d) => queueTask('webhook', { deliveryId: d.id }, { dedupeKey: `${deliveryTaskKey(d.id, d.attempts + 1)}-sweep-${minute}` })));
}
