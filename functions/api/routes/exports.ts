import { maxSignedLinkSeconds } from '../../../shared/blobs/blob-store.js';
import { exportDestinations, exportFileTypes, findExport, listExports, requestExport, type ExportView } from '../../../shared/export-runs/exports.js';
import { defineRoute, type Route } from '../../../shared/http/route.js';
import { cursorTimestamp, decodeCursor, encodeCursor, pageQuery } from '../../../shared/http/pagination.js';
import { z } from '../../../shared/http/zod.js';
import { relayAfterCommit } from '../../../shared/outbox/outbox.js';
import type { Platform } from '../../../shared/platform.js';
import { page, runParams, timestamp, uuid } from '../schemas.js';

const exportRequestBody = z.strictObject({
  destType: z.enum(exportDestinations).openapi({ description: 'download: a signed link (7 days); gdrive: a file in a Drive folder; gmail: an email with the file attached' }),
  fileType: z.enum(exportFileTypes),
  folderId: z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, 'a Drive folder id').optional().openapi({ description: 'gdrive: the folder to put the file in (My Drive when absent)' }),
  accountId: uuid.optional().openapi({ description: 'gdrive / gmail: the connected Google account to use (your only one when absent)' }),
  to: z.email().max(320).optional().openapi({ description: "gmail: the recipient (the account's own address when absent)" }),
  subject: z.string().trim().min(1).max(300).optional().openapi({ description: 'gmail: the subject ("<job> run #<n> results" when absent)' }),
}).superRefine((body, ctx) => {
  if (body.folderId !== undefined && body.destType !== 'gdrive') ctx.addIssue({ code: 'custom', path: ['folderId'], message: 'only for destType gdrive' });
  if (body.accountId !== undefined && body.destType === 'download') ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'not for destType download' });
  for (const key of ['to', 'subject'] as const) {
    if (body[key] !== undefined && body.destType !== 'gmail') ctx.addIssue({ code: 'custom', path: [key], message: 'only for destType gmail' });
  }
}).openapi('ExportRequest');

const exportView = z.object({
  id: uuid,
  runId: uuid,
  destType: z.enum(exportDestinations),
  fileType: z.enum(exportFileTypes),
  status: z.enum(['pending', 'in_progress', 'completed', 'failed']),
  accountId: uuid.nullable(),
  automationId: uuid.nullable().openapi({ description: 'Set when an automation asked for the export' }),
  options: z.object({ folderId: z.string().optional(), to: z.string().optional(), subject: z.string().optional() }),
  fileName: z.string().nullable(),
  rowsExported: z.number().int().nullable(),
  externalId: z.string().nullable().openapi({ description: 'Drive file id, Gmail message id, or the object name of a download' }),
  errorMessage: z.string().nullable(),
  attempts: z.number().int(),
  downloadUrl: z.string().optional().openapi({ description: 'download, once completed: a signed link valid for 7 days from this answer' }),
  createdAt: timestamp,
  updatedAt: timestamp,
  completedAt: timestamp.nullable(),
}).openapi('Export');

const cursor = z.object({ createdAt: cursorTimestamp, id: uuid });

export function exportRoutes(platform: () => Promise<Platform>): Route[] {
  /** The view, with a fresh signed link when it is a completed download. */
  const withLink = async (view: ExportView) => {
    if (view.destType !== 'download' || view.status !== 'completed' || !view.externalId) return view;
    const downloadUrl = await (await platform()).blobs.signedDownloadUrl('exports', view.externalId, {
      expiresInSeconds: maxSignedLinkSeconds, ...(view.fileName ? { filename: view.fileName } : {}),
    });
    return { ...view, downloadUrl };
  };
  return [
    defineRoute({
      method: 'post', path: '/v1/runs/:runId/exports', tag: 'Exports',
      summary: 'Export a finished run as CSV or XLSX to a download link, a Drive folder or an email; answers 202 at once, poll the export',
      params: runParams, body: exportRequestBody, status: 202, response: exportView, errors: [403, 404, 409, 422], idempotent: true,
      handler: async ({ params, body, identity }) => {
        const p = await platform();
        const { export: view, outboxIds } = await requestExport(p.database.db, identity.uid, params.runId, body, { gmailEnabled: p.google.gmailEnabled });
        await relayAfterCommit(p, outboxIds);
        return view;
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/runs/:runId/exports', tag: 'Exports', summary: 'The exports of a run, newest first',
      params: runParams, query: pageQuery, status: 200, response: page(exportView), errors: [404],
      handler: async ({ params, query, identity }) => {
        const before = decodeCursor(query.cursor, cursor);
        const db = (await platform()).database.db;
        const items = await listExports(db, identity.uid, params.runId, { limit: query.limit + 1, ...(before ? { before } : {}) });
        const pageItems = items.slice(0, query.limit);
        const last = pageItems[pageItems.length - 1];
        return {
          items: await Promise.all(pageItems.map(withLink)),
          nextCursor: items.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
        };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/exports/:exportId', tag: 'Exports', summary: 'An export: its status, and where the file is (downloadUrl for a completed download)',
      params: z.object({ exportId: uuid }), status: 200, response: exportView, errors: [404],
      handler: async ({ params, identity }) => withLink(await findExport((await platform()).database.db, identity.uid, params.exportId)),
    }),
  ];
}
