import { pageQuery } from '../../../shared/http/pagination.js';
import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import type { Platform } from '../../../shared/platform.js';
import { webhookEventTypes } from '../../../shared/webhooks/events.js';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, webhookSecret } from '../../../shared/webhooks/endpoints.js';
import { timestamp, uuid } from '../schemas.js';

const params = z.object({ webhookId: uuid });

const webhook = z.object({
  id: uuid,
  url: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  status: z.enum(['enabled', 'disabled']).openapi({ description: '`disabled` after repeated failed deliveries (see `disabledReason`); create a new one to resume' }),
  disabledReason: z.string().nullable(),
  createdAt: timestamp,
}).openapi('Webhook');

const delivery = z.object({
  id: z.string().openapi({ description: 'The `webhook-id` header, the same on every attempt' }),
  eventType: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: timestamp.nullable(),
  createdAt: timestamp,
  lastAttemptAt: timestamp.nullable(),
  deliveredAt: timestamp.nullable(),
}).openapi('WebhookDelivery');

/** Webhooks (issue 14): Standard Webhooks deliveries of the user's events to their endpoints. */
export function webhookRoutes(platform: () => Promise<Platform>): Route[] {
  const db = async () => (await platform()).database.db;
  return [
    defineRoute({
      method: 'post', path: '/v1/webhooks', tag: 'Webhooks',
      summary: 'Register an endpoint for some events; the answer carries its signing secret (`whsec_...`), shown only this once',
      body: z.object({
        url: z.string().trim().min(1).max(2000).openapi({ description: 'https URL whose host resolves only to public addresses' }),
        events: z.array(z.enum(webhookEventTypes)).min(1).max(webhookEventTypes.length),
      }),
      status: 201, response: webhook.extend({ secret: z.string().openapi({ description: 'Verify deliveries with it (Standard Webhooks); never shown again' }) }),
      errors: [404, 422], idempotent: true,
      // The secret is not kept with the Idempotency-Key answer: a replay decrypts it from the endpoint.
      secretField: { name: 'secret', restore: async (body, identity) => webhookSecret(await platform(), identity.uid, String(body.id)) },
      handler: async ({ body, identity }) => createWebhook(await platform(), identity.uid, body),
    }),
    defineRoute({
      method: 'get', path: '/v1/webhooks', tag: 'Webhooks', summary: "The user's webhook endpoints (secrets are never shown again)",
      status: 200, response: z.object({ items: z.array(webhook) }),
      handler: async ({ identity }) => ({ items: await listWebhooks(await db(), identity.uid) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/webhooks/:webhookId', tag: 'Webhooks', summary: 'Delete an endpoint and its delivery log',
      params, status: 204, errors: [404],
      handler: async ({ params, identity }) => deleteWebhook(await db(), identity.uid, params.webhookId),
    }),
    defineRoute({
      method: 'get', path: '/v1/webhooks/:webhookId/deliveries', tag: 'Webhooks',
      summary: "An endpoint's delivery log, newest first: status, attempts, the receiver's last answer, the next attempt",
      params, query: pageQuery, status: 200,
      response: z.object({ items: z.array(delivery), nextCursor: z.string().nullable() }), errors: [404],
      handler: async ({ params, query, identity }) => listDeliveries(await db(), identity.uid, params.webhookId, query),
    }),
  ];
}
