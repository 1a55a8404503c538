import { findAccount, disconnectAccount, listAccounts } from '../../../shared/connections/accounts.js';
import { listDriveFolders, searchGmailMessages } from '../../../shared/connections/browse.js';
import { finishGoogleConnection } from '../../../shared/connections/callback.js';
import { startGoogleConnection } from '../../../shared/connections/connect.js';
import { googleServices } from '../../../shared/google/scopes.js';
import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import type { Platform } from '../../../shared/platform.js';
import { timestamp, uuid } from '../schemas.js';

const service = z.enum(googleServices);

const account = z.object({
  id: uuid,
  provider: z.string(),
  email: z.string().nullable(),
  scopes: z.array(z.string()).openapi({ description: 'The scopes Google actually granted (users may untick some)' }),
  services: z.array(service).openapi({ description: 'What the granted scopes allow' }),
  status: z.enum(['connected', 'error', 'revoked', 'disconnected']),
  lastSyncAt: timestamp.nullable(),
  lastError: z.object({ code: z.string().nullable(), message: z.string().nullable(), at: timestamp.nullable() }).nullable(),
  gmailWatchExpiresAt: timestamp.nullable(),
  needsReconnect: z.boolean().openapi({ description: 'true when Google revoked the account or it is in error: connect it again' }),
  createdAt: timestamp,
  updatedAt: timestamp,
}).openapi('IntegrationAccount');

const accountParams = z.object({ accountId: uuid });

export function integrationRoutes(platform: () => Promise<Platform>): Route[] {
  const db = async () => (await platform()).database.db;
  return [
    defineRoute({
      method: 'post', path: '/v1/integrations/google/connect', tag: 'Integrations',
      summary: 'Start connecting a Google account: answers the consent URL to send the browser to; Google redirects back to oauth-callback, which sends the browser to the frontend with a code for POST /v1/integrations/google/complete',
      body: z.object({
        scopes: z.array(service).min(1).max(2).openapi({ description: 'What to connect: drive (read files, write exports), gmail (read attachments, send exports)' }),
        redirectAfter: z.string().max(2048).optional().openapi({ description: 'A path on the frontend to return to, e.g. /integrations' }),
      }),
      status: 200, response: z.object({ authorizationUrl: z.string() }), errors: [403], idempotent: true,
      handler: async ({ body, identity }) =>
        startGoogleConnection(await platform(), { userId: identity.uid, services: body.scopes, ...(body.redirectAfter ? { redirectAfter: body.redirectAfter } : {}) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/integrations/google/complete', tag: 'Integrations',
      summary: 'Finish connecting a Google account: the frontend sends the one-time code oauth-callback put in its URL (`status=consented&code=...`); only the user who started the connection may finish it',
      body: z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the code from the frontend URL').openapi({ description: 'The `code` query parameter oauth-callback redirected to the frontend with' }) }),
      status: 200,
      response: z.object({ account, redirectTo: z.string().openapi({ description: 'The frontend page to show next (redirectAfter, with status=connected&account=<id>)' }) }),
      errors: [403, 404, 409, 422], idempotent: true,
      handler: async ({ body, identity }) => {
        const p = await platform();
        const { accountId, redirectTo } = await finishGoogleConnection(p, { userId: identity.uid, completionCode: body.code });
        return { account: await findAccount(p.database.db, identity.uid, accountId), redirectTo };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/integrations/google/drive/folders', tag: 'Integrations',
      summary: 'Drive folders through your connection, to pick what to import: the children of `parent` (default My Drive), or every folder whose name contains `q`',
      query: z.object({
        accountId: uuid.optional().openapi({ description: 'Needed only when several connected accounts grant Drive' }),
        parent: z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, 'a Drive folder id').optional(),
        q: z.string().trim().max(200).optional().openapi({ description: 'Part of a folder name' }),
        pageToken: z.string().max(1024).optional(),
      }),
      status: 200,
      response: z.object({
        accountId: uuid, parent: z.string(),
        items: z.array(z.object({ id: z.string(), name: z.string(), modifiedTime: timestamp.nullable() }).openapi('DriveFolder')),
        nextPageToken: z.string().nullable(),
      }),
      errors: [404, 409, 429, 502],
      handler: async ({ query, identity }) => listDriveFolders(await platform(), identity.uid, query),
    }),
    defineRoute({
      method: 'get', path: '/v1/integrations/google/gmail/messages', tag: 'Integrations',
      summary: 'Gmail messages with attachments through your connection, newest first, each with its attachments\' names, types and sizes. Behind the Gmail feature flag',
      query: z.object({
        accountId: uuid.optional().openapi({ description: 'Needed only when several connected accounts grant Gmail' }),
        q: z.string().trim().max(500).optional().openapi({ description: 'A Gmail search, e.g. `from:billing@example.com newer_than:7d`' }),
        limit: z.coerce.number().int().min(1).max(50).default(20),
        pageToken: z.string().max(1024).optional(),
      }),
      status: 200,
      response: z.object({
        accountId: uuid,
        items: z.array(z.object({
          id: z.string(), threadId: z.string(), from: z.string(), subject: z.string(), date: timestamp.nullable(), snippet: z.string(),
          attachments: z.array(z.object({ attachmentId: z.string(), filename: z.string(), mimeType: z.string(), size: z.number().int().openapi({ description: 'bytes' }) })),
        }).openapi('GmailMessageSummary')),
        nextPageToken: z.string().nullable(),
      }),
      errors: [403, 404, 409, 429, 502],
      handler: async ({ query, identity }) => searchGmailMessages(await platform(), identity.uid, query),
    }),
    defineRoute({
      method: 'get', path: '/v1/integrations', tag: 'Integrations', summary: 'Your connected accounts and their health: status, granted scopes, last sync, last error',
      status: 200, response: z.object({ items: z.array(account) }),
      handler: async ({ identity }) => ({ items: await listAccounts(await db(), identity.uid) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/integrations/:accountId', tag: 'Integrations', summary: 'One connected account and its health',
      params: accountParams, status: 200, response: account, errors: [404],
      handler: async ({ params, identity }) => findAccount(await db(), identity.uid, params.accountId),
    }),
    defineRoute({
      method: 'delete', path: '/v1/integrations/:accountId', tag: 'Integrations',
      summary: 'Disconnect an account: revokes the grant at Google, stops the Gmail watch, deletes the tokens',
      params: accountParams, status: 200, response: account, errors: [404],
      handler: async ({ params, identity }) => disconnectAccount(await platform(), identity.uid, params.accountId),
    }),
  ];
}

