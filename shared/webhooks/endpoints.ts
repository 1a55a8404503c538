import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError, PermanentError } from '../errors.js';
import { decodeCursor, encodeCursor, cursorTimestamp } from '../http/pagination.js';
import { z } from '../http/zod.js';
import type { Platform } from '../platform.js';
import { createTokenCipher, tokenBinding } from '../secrets/token-cipher.js';
import { vetWebhookUrl } from './address.js';
import type { WebhookEventType } from './events.js';
import { productionWebhookSettings, type WebhookSettings } from './settings.js';

/** The platform's webhook settings; the strict production ones when it sets none. */
export function webhookSettingsOf(platform: Platform): WebhookSettings {
  return platform.webhooks ?? productionWebhookSettings();
}

export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventType[];
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  createdAt: string;
}

type EndpointRow = { id: string; url: string; events: string[]; status: string; disabled_reason: string | null; created_at: Date };

function toView(row: EndpointRow): WebhookView {
  return {
    id: row.id, url: row.url, events: row.events as WebhookEventType[], status: row.status as WebhookView['status'],
    disabledReason: row.disabled_reason, createdAt: row.created_at.toISOString(),
  };
}

const columns = ['id', 'url', 'events', 'status', 'disabled_reason', 'created_at'] as const;

/**
 * Registers an endpoint after vetting its URL (scheme, and every address its host
 * resolves to now). The signing secret (`whsec_` + 24 random bytes, base64) is returned
 * here only; it is stored encrypted with the token keyring, bound to the row.
 */
export async function createWebhook(platform: Platform, userId: string, input: { url: string; events: WebhookEventType[] }): Promise<WebhookView & { secret: string }> {
  try {
    await vetWebhookUrl(input.url, webhookSettingsOf(platform));
  } catch (error) {
    if (error instanceof PermanentError) throw new HttpError(422, error.code, `body.url: ${error.message}`);
    throw error;
  }
  const id = randomUUID();
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const encrypted = createTokenCipher(await platform.google.tokenKeyring()).encrypt(secret, tokenBinding('webhook_endpoints', id, 'secret'));
  const row = await platform.database.db.insertInto('webhook_endpoints')
    .values({ id, user_id: userId, url: input.url, events: [...new Set(input.events)], secret: encrypted })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return { ...toView(row), secret };
}

/** The signing secret of one of the user's endpoints (for an Idempotency-Key replay of its creation); undefined when it is gone. */
export async function webhookSecret(platform: Platform, userId: string, id: string): Promise<string | undefined> {
  const row = await platform.database.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row && createTokenCipher(await platform.google.tokenKeyring()).decrypt(row.secret, tokenBinding('webhook_endpoints', id, 'secret'));
}

/** The user's endpoints, oldest first (a user has few). */
export async function listWebhooks(db: Kysely<Database>, userId: string): Promise<WebhookView[]> {
  const rows = await db.selectFrom('webhook_endpoints').select(columns).where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toView);
}

/** Deletes one of the user's endpoints and its delivery log; 404 for anyone else's. */
export async function deleteWebhook(db: Kysely<Database>, userId: string, id: string): Promise<void> {
  const gone = await db.deleteFrom('webhook_endpoints').where('id', '=', id).where('user_id', '=', userId).returning('id').executeTakeFirst();
  if (!gone) throw notFound();
}

export interface DeliveryView {
  id: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

const deliveryCursor = z.object({ t: cursorTimestamp, id: z.string().max(64) });

/** One endpoint's delivery log, newest first, paginated; 404 unless the endpoint is the user's. */
export async function listDeliveries(
  db: Kysely<Database>, userId: string, endpointId: string, page: { limit: number; cursor?: string },
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  const endpoint = await db.selectFrom('webhook_endpoints').select('id').where('id', '=', endpointId).where('user_id', '=', userId).executeTakeFirst();
  if (!endpoint) throw notFound();
  const after = decodeCursor(page.cursor, deliveryCursor);
  const rows = await db.selectFrom('webhook_deliveries')
    .select(['id', 'event_type', 'status', 'attempts', 'last_status_code', 'last_error', 'next_attempt_at', 'created_at', 'last_attempt_at', 'delivered_at'])
    .where('endpoint_id', '=', endpointId)
    .$if(after !== undefined, (qb) => qb.where((eb) => eb.or([
      eb('created_at', '<', new Date(after!.t)),
      eb.and([eb('created_at', '=', new Date(after!.t)), eb('id', '<', after!.id)]),
    ])))
    .orderBy('created_at', 'desc').orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map((r) => ({
    id: r.id, eventType: r.event_type, status: r.status as DeliveryView['status'], attempts: r.attempts,
    lastStatusCode: r.last_status_code, lastError: r.last_error, nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(), lastAttemptAt: r.last_attempt_at?.toISOString() ?? null, deliveredAt: r.delivered_at?.toISOString() ?? null,
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ t: last.createdAt, id: last.id }) : null };
}

function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'No such webhook');
}
