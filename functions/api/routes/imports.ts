import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import { findImport, requestImport, type ImportRequest } from '../../../shared/imports/request-import.js';
import { relayAfterCommit } from '../../../shared/outbox/outbox.js';
import type { Platform } from '../../../shared/platform.js';
import { jobParams, timestamp, uuid } from '../schemas.js';

const driveId = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, 'a Drive id');
const gmailId = z.string().trim().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/, 'a Gmail id');

const scheduled = z.object({ connectorJobId: uuid, operationId: uuid }).openapi('ImportScheduled');

const fileOutcome = z.object({
  externalId: z.string(),
  filename: z.string(),
  sourceFileId: uuid.nullable(),
  outcome: z.enum(['imported', 'skipped', 'failed', 'unpacked']),
  error: z.string().optional(),
}).openapi('ImportedFile');

const importView = z.object({
  id: uuid,
  jobId: uuid.nullable(),
  accountId: uuid,
  jobType: z.enum(['initial_sync', 'incremental_sync', 'drive_import', 'gmail_import']),
  status: z.enum(['pending', 'running', 'success', 'failed', 'cancelled']),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: timestamp.nullable(),
  operationId: uuid.nullable(),
  counts: z.object({ imported: z.number().int(), skipped: z.number().int(), failed: z.number().int() }).nullable(),
  files: z.array(fileOutcome),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
}).openapi('Import');

/** Imports from Google Drive and Gmail into a job, and their status (seed 002 §4.1, §4.2; seed 001 §4). */
export function importRoutes(platform: () => Promise<Platform>): Route[] {
  const schedule = async (identity: { uid: string }, jobId: string, accountId: string, request: ImportRequest) => {
    const p = await platform();
    const { connectorJobId, operationId, outboxIds } = await requestImport(p.database.db, {
      userId: identity.uid, jobId, accountId, gmailEnabled: p.google.gmailEnabled, request,
    });
    await relayAfterCommit(p, outboxIds);
    return { connectorJobId, operationId };
  };
  return [
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/imports/drive', tag: 'Imports',
      summary: 'Import Drive files and folders (recursively; Google Docs as PDF) into the job; answers 202, poll the import or its operation',
      params: jobParams,
      body: z.object({
        accountId: uuid,
        fileIds: z.array(driveId).max(500).optional(),
        folderIds: z.array(driveId).max(100).optional(),
      }).refine((b) => (b.fileIds?.length ?? 0) + (b.folderIds?.length ?? 0) > 0, { message: 'name at least one file or folder', path: ['fileIds'] }),
      status: 202, response: scheduled, errors: [404, 409], idempotent: true,
      handler: ({ params, body, identity }) =>
        schedule(identity, params.jobId, body.accountId, { kind: 'drive_import', fileIds: unique(body.fileIds), folderIds: unique(body.folderIds) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/imports/drive/sync', tag: 'Imports',
      summary: 'Import what changed in a Drive folder since the last import or sync of this account; answers 202',
      params: jobParams, body: z.object({ accountId: uuid, folderId: driveId }),
      status: 202, response: scheduled, errors: [404, 409], idempotent: true,
      handler: ({ params, body, identity }) => schedule(identity, params.jobId, body.accountId, { kind: 'incremental_sync', folderId: body.folderId }),
    }),
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/imports/gmail', tag: 'Imports',
      summary: 'Import Gmail attachments (ZIP archives unpacked) into the job; answers 202. Behind the Gmail feature flag',
      params: jobParams,
      body: z.object({ accountId: uuid, attachments: z.array(z.object({ messageId: gmailId, attachmentId: gmailId })).min(1).max(100) }),
      status: 202, response: scheduled, errors: [403, 404, 409], idempotent: true,
      handler: ({ params, body, identity }) => schedule(identity, params.jobId, body.accountId, { kind: 'gmail_import', attachments: body.attachments }),
    }),
    defineRoute({
      method: 'get', path: '/v1/imports/:connectorJobId', tag: 'Imports',
      summary: 'An import: status, attempts, last error, and per-file outcomes once finished',
      params: z.object({ connectorJobId: uuid }), status: 200, response: importView, errors: [404],
      handler: async ({ params, identity }) => findImport((await platform()).database.db, identity.uid, params.connectorJobId),
    }),
  ];
}

function unique(ids: string[] | undefined): string[] {
  return [...new Set(ids ?? [])];
}
