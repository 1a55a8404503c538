import { createUpload, deleteFile, finalizeUpload, listFiles, storeUpload } from '../../../shared/files/uploads.js';
import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import type { Platform } from '../../../shared/platform.js';
import { jobParams, sourceFile, uuid } from '../schemas.js';

const fileParams = jobParams.extend({ fileId: uuid });

export function fileRoutes(platform: () => Promise<Platform>): Route[] {
  const ctx = async () => {
    const p = await platform();
    return { db: p.database.db, blobs: p.blobs };
  };
  return [
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/files', tag: 'Files', multipart: true,
      summary: 'Upload a file directly (multipart/form-data, field "file"); its type is decided from its bytes; its name is read as UTF-8 and stored NFC-normalised, a NUL in it replaced by U+FFFD',
      params: jobParams, status: 201, response: sourceFile, errors: [404, 413, 415], idempotent: true,
      // multipart routes always get their file part (shared/http/multipart.ts).
      handler: async ({ params, identity, file }) => storeUpload(await ctx(), { userId: identity.uid, jobId: params.jobId, filename: file!.filename, body: file!.body }),
    }),
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/files/uploads', tag: 'Files',
      summary: 'Start a browser upload: returns a signed resumable-upload link to the uploads bucket; call finalize when done',
      params: jobParams,
      body: z.object({ filename: z.string().trim().min(1).max(1024), contentType: z.string().min(1).max(255), sizeBytes: z.number().int().min(1) }),
      status: 201,
      response: z.object({ fileId: uuid, upload: z.object({ url: z.string(), method: z.enum(['POST', 'PUT']), headers: z.record(z.string(), z.string()) }) }),
      errors: [404, 413], idempotent: true,
      handler: async ({ params, body, identity }) => createUpload(await ctx(), { userId: identity.uid, jobId: params.jobId, ...body }),
    }),
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/files/:fileId/finalize', tag: 'Files',
      summary: 'Check an uploaded file (size limit, type from its bytes) and make it available to runs',
      params: fileParams, status: 200, response: sourceFile, errors: [404, 409, 413, 415], idempotent: true,
      handler: async ({ params, identity }) => finalizeUpload(await ctx(), { userId: identity.uid, jobId: params.jobId, fileId: params.fileId }),
    }),
    defineRoute({
      method: 'get', path: '/v1/jobs/:jobId/files', tag: 'Files', summary: 'List the files of a job',
      params: jobParams, status: 200, response: z.object({ items: z.array(sourceFile) }), errors: [404],
      handler: async ({ params, identity }) => ({ items: await listFiles((await ctx()).db, identity.uid, params.jobId) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/jobs/:jobId/files/:fileId', tag: 'Files', summary: 'Delete a file (runs that read it keep their results)',
      params: fileParams, status: 204, errors: [404],
      handler: async ({ params, identity }) => deleteFile(await ctx(), { userId: identity.uid, jobId: params.jobId, fileId: params.fileId }),
    }),
  ];
}
