import { defineRoute, type Route } from '../../../shared/http/route.js';
import { cursorInt, decodeCursor, encodeCursor, pageQuery } from '../../../shared/http/pagination.js';
import { z } from '../../../shared/http/zod.js';
import { relayAfterCommit } from '../../../shared/outbox/outbox.js';
import { diffRuns } from '../../../shared/runs/diff.js';
import { cancelRun, findRun, listResults, listRuns, listTasks, listUserRuns, retryFailedTasks } from '../../../shared/runs/monitoring.js';
import { findOperation } from '../../../shared/runs/operations.js';
import { requestRun } from '../../../shared/runs/request-run.js';
import type { Platform } from '../../../shared/platform.js';
import { jobParams, operation, page, resultRow, run, runDiff, runParams, runStatus, task, taskStatus, uuid } from '../schemas.js';

export function runRoutes(platform: () => Promise<Platform>): Route[] {
  const db = async () => (await platform()).database.db;
  return [
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/runs', tag: 'Runs',
      summary: 'Start a run of the job over its current fields and files; answers 202 at once, poll the run or its operation',
      params: jobParams, status: 202, response: z.object({ runId: uuid, operationId: uuid }), errors: [404, 422], idempotent: true,
      handler: async ({ params, identity }) => {
        const p = await platform();
        const { runId, operationId, outboxIds } = await requestRun(p.database.db, { userId: identity.uid, jobId: params.jobId, trigger: 'manual' });
        await relayAfterCommit(p, outboxIds);
        return { runId, operationId };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/jobs/:jobId/runs', tag: 'Runs', summary: 'List the runs of a job, newest first, optionally by status',
      params: jobParams, query: pageQuery.extend({ status: runStatus.optional() }), status: 200, response: page(run), errors: [404],
      handler: async ({ params, query, identity }) => {
        const before = decodeCursor(query.cursor, z.object({ runNumber: cursorInt }));
        const items = await listRuns(await db(), identity.uid, params.jobId, { status: query.status, limit: query.limit + 1, beforeRunNumber: before?.runNumber });
        const pageItems = items.slice(0, query.limit);
        const last = pageItems[pageItems.length - 1];
        return { items: pageItems, nextCursor: items.length > query.limit && last?.runNumber ? encodeCursor({ runNumber: last.runNumber }) : null };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/runs', tag: 'Runs', summary: 'List your runs across all your jobs, newest first, optionally by status',
      query: pageQuery.extend({ status: runStatus.optional() }), status: 200, response: page(run),
      handler: async ({ query, identity }) => {
        const after = decodeCursor(query.cursor, z.object({ runId: uuid }));
        const items = await listUserRuns(await db(), identity.uid, { status: query.status, limit: query.limit + 1, afterRunId: after?.runId });
        const pageItems = items.slice(0, query.limit);
        const last = pageItems[pageItems.length - 1];
        return { items: pageItems, nextCursor: items.length > query.limit && last ? encodeCursor({ runId: last.id }) : null };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/runs/:runId', tag: 'Runs', summary: 'Get a run: status and task counters',
      params: runParams, status: 200, response: run, errors: [404],
      handler: async ({ params, identity }) => findRun(await db(), identity.uid, params.runId),
    }),
    defineRoute({
      method: 'post', path: '/v1/runs/:runId/cancel', tag: 'Runs', summary: 'Cancel a run that has not finished',
      params: runParams, status: 200, response: run, errors: [404, 409], idempotent: true,
      handler: async ({ params, identity }) => {
        const p = await platform();
        const { run: view, outboxIds } = await cancelRun(p.database.db, identity.uid, params.runId);
        await relayAfterCommit(p, outboxIds);
        return view;
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/runs/:runId/retry', tag: 'Runs', summary: 'Retry the failed tasks of a run',
      params: runParams, status: 202, response: z.object({ run, retried: z.number().int() }), errors: [404, 409], idempotent: true,
      handler: async ({ params, identity }) => {
        const p = await platform();
        const { run: view, retried, outboxIds } = await retryFailedTasks(p.database.db, identity.uid, params.runId);
        await relayAfterCommit(p, outboxIds);
        return { run: view, retried };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/runs/:runId/results', tag: 'Runs', summary: 'The extracted rows of a run, a page of documents at a time',
      params: runParams, query: pageQuery, status: 200, response: page(resultRow), errors: [404],
      handler: async ({ params, query, identity }) => {
        const after = decodeCursor(query.cursor, z.object({ taskId: uuid }));
        const result = await listResults(await db(), identity.uid, params.runId, { limit: query.limit, after: after?.taskId });
        return { items: result.items, nextCursor: result.nextCursor ? encodeCursor({ taskId: result.nextCursor }) : null };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/runs/:runId/tasks', tag: 'Runs',
      summary: 'The tasks of a run, one per file, optionally by status: a failed task says why (errorCode, errorMessage) and names its file',
      params: runParams, query: pageQuery.extend({ status: taskStatus.optional() }), status: 200, response: page(task), errors: [404],
      handler: async ({ params, query, identity }) => {
        const after = decodeCursor(query.cursor, z.object({ taskId: uuid }));
        const result = await listTasks(await db(), identity.uid, params.runId, { limit: query.limit, ...(after ? { after: after.taskId } : {}), ...(query.status ? { status: query.status } : {}) });
        return { items: result.items, nextCursor: result.nextCursor ? encodeCursor({ taskId: result.nextCursor }) : null };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/runs/:runId/diff', tag: 'Runs',
      summary: 'How this run differs from another run of the same job: fields added or removed, and per row (matched by source file and row index) each cell added, removed, changed or the same',
      params: runParams, query: pageQuery.extend({ against: uuid.openapi({ description: 'The run to compare with (usually an earlier one)' }) }),
      status: 200, response: runDiff, errors: [404, 422],
      handler: async ({ params, query, identity }) => {
        const from = decodeCursor(query.cursor, z.object({ offset: z.number().int().min(0) }));
        const diff = await diffRuns(await db(), identity.uid, params.runId, query.against, { offset: from?.offset ?? 0, limit: query.limit });
        return { ...diff, nextCursor: diff.nextCursor === null ? null : encodeCursor({ offset: diff.nextCursor }) };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/operations/:operationId', tag: 'Operations', summary: 'Progress of a background operation: pct and stage',
      params: z.object({ operationId: uuid }), status: 200, response: operation, errors: [404],
      handler: async ({ params, identity }) => findOperation(await db(), identity.uid, params.operationId),
    }),
  ];
}
