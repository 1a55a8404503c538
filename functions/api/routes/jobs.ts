import { defineRoute, type Route } from '../../../shared/http/route.js';
import { cursorTimestamp, decodeCursor, encodeCursor, pageQuery } from '../../../shared/http/pagination.js';
import { z } from '../../../shared/http/zod.js';
import { createJob, deleteJob, findJob, listJobs, updateJob } from '../../../shared/jobs/jobs.js';
import type { Platform } from '../../../shared/platform.js';
import { fieldInput, job, jobParams, page, uuid } from '../schemas.js';

const jobCursor = z.object({ createdAt: cursorTimestamp, id: uuid });

export function jobRoutes(platform: () => Promise<Platform>): Route[] {
  const db = async () => (await platform()).database.db;
  return [
    defineRoute({
      method: 'post', path: '/v1/jobs', tag: 'Jobs', summary: 'Create an extraction job with its ordered fields',
      body: z.object({ name: z.string().trim().min(1).max(255), templateId: uuid.optional(), fields: z.array(fieldInput).max(200).optional() }),
      status: 201, response: job, errors: [404], idempotent: true, versioned: true,
      handler: async ({ body, identity }) => createJob(await db(), identity.uid, body),
    }),
    defineRoute({
      method: 'get', path: '/v1/jobs', tag: 'Jobs', summary: 'List your extraction jobs, newest first',
      query: pageQuery, status: 200, response: page(job),
      handler: async ({ query, identity }) => {
        const result = await listJobs(await db(), identity.uid, { limit: query.limit, after: decodeCursor(query.cursor, jobCursor) });
        return { items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/jobs/:jobId', tag: 'Jobs', summary: 'Get a job with its fields',
      params: jobParams, status: 200, response: job, errors: [404], versioned: true,
      handler: async ({ params, identity }) => findJob(await db(), identity.uid, params.jobId),
    }),
    defineRoute({
      method: 'patch', path: '/v1/jobs/:jobId', tag: 'Jobs', summary: 'Rename a job and/or replace its fields (earlier runs keep theirs)',
      params: jobParams, body: z.object({ name: z.string().trim().min(1).max(255).optional(), fields: z.array(fieldInput).max(200).optional() }),
      status: 200, response: job, errors: [404], versioned: true,
      handler: async ({ params, body, identity, ifMatch }) => updateJob(await db(), identity.uid, params.jobId, body, ifMatch),
    }),
    defineRoute({
      method: 'delete', path: '/v1/jobs/:jobId', tag: 'Jobs', summary: 'Delete a job with its files, runs, results and exports',
      params: jobParams, status: 204, errors: [404], versioned: true,
      handler: async ({ params, identity, ifMatch }) => {
        const p = await platform();
        const objects = await deleteJob(p.database.db, identity.uid, params.jobId, ifMatch);
        await Promise.all(objects.map((name) => p.blobs.delete('uploads', name).catch((error) => p.log.warn('could not delete an upload', { error }))));
      },
    }),
  ];
}
