import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { addToOutbox, queueTask, topicMessage } from '../outbox/outbox.js';

export type RunStatus = 'pending' | 'in_progress' | 'partially_completed' | 'completed' | 'failed' | 'cancelled';

export interface RunView {
  id: string;
  jobId: string;
  runNumber: number | null;
  status: RunStatus;
  trigger: string;
  tasksTotal: number;
  tasksCompleted: number;
  tasksFailed: number;
  operationId: string | null;
  errorMessage: string | null;
  startedAt: string | null;
  completedAt: string | null;
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function runColumns(db: Kysely<Database>) {
  return db
    .selectFrom('job_runs as r')
    .innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
    .select(['r.id', 'r.job_id', 'r.run_number', 'r.status', 'r.trigger', 'r.tasks_total', 'r.tasks_completed', 'r.tasks_failed', 'r.operation_id', 'r.error_message', 'r.started_at', 'r.completed_at', 'r.created_at']);
}

function toView(r: { id: string; job_id: string; run_number: number; status: string; trigger: string; tasks_total: number; tasks_completed: number; tasks_failed: number; operation_id: string | null; error_message: string | null; started_at: Date | null; completed_at: Date | null; created_at: Date }): RunView {
  return {
    id: r.id, jobId: r.job_id, runNumber: r.run_number, status: r.status as RunStatus, trigger: r.trigger,
    tasksTotal: r.tasks_total, tasksCompleted: r.tasks_completed, tasksFailed: r.tasks_failed, operationId: r.operation_id,
    errorMessage: r.error_message, startedAt: iso(r.started_at), completedAt: iso(r.completed_at), createdAt: r.created_at.toISOString(),
  };
}

/**
 * A run of `userId`'s, or 404 exactly as for a missing one. A run that was requested but not
 * yet numbered by the initializer shows as `pending` with no run number.
 */
export async function findRun(db: Kysely<Database>, userId: string, runId: string): Promise<RunView> {
  const row = await runColumns(db).where('r.id', '=', runId).where('j.user_id', '=', userId).executeTakeFirst();
  if (row) return toView(row);
  const op = await db.selectFrom('operations').select(['id', 'subject_id', 'status', 'error_message', 'created_at']).where('subject_id', '=', runId).where('kind', '=', 'run').where('user_id', '=', userId).executeTakeFirst();
  const pendingJob = op && (await db.selectFrom('outbox').select(sql<string>`payload->>'jobId'`.as('jobId')).where('name', '=', 'run.requested').where(sql`payload->>'runId'`, '=', runId).executeTakeFirst());
  if (!op) throw new HttpError(404, 'not_found', 'Run not found');
  return {
    id: runId, jobId: pendingJob?.jobId ?? '', runNumber: null, status: op.status === 'failed' ? 'failed' : op.status === 'cancelled' ? 'cancelled' : 'pending',
    trigger: 'manual', tasksTotal: 0, tasksCompleted: 0, tasksFailed: 0, operationId: op.id, errorMessage: op.error_message,
    startedAt: null, completedAt: null, createdAt: op.created_at.toISOString(),
  };
}

/** The runs of a job, newest first, optionally only those in `status`; 404 when the job is not the user's. */
export async function listRuns(db: Kysely<Database>, userId: string, jobId: string, opts: { status?: RunStatus; limit: number; beforeRunNumber?: number }): Promise<RunView[]> {
  const job = await db.selectFrom('extraction_jobs').select('id').where('id', '=', jobId).where('user_id', '=', userId).executeTakeFirst();
  if (!job) throw new HttpError(404, 'not_found', 'Extraction job not found');
  const rows = await runColumns(db)
    .where('r.job_id', '=', jobId)
    .where('j.user_id', '=', userId)
    .$if(opts.status !== undefined, (qb) => qb.where('r.status', '=', opts.status!))
    .$if(opts.beforeRunNumber !== undefined, (qb) => qb.where('r.run_number', '<', opts.beforeRunNumber!))
    .orderBy('r.run_number', 'desc')
    .limit(opts.limit)
    .execute();
  return rows.map(toView);
}

/**
 * The runs of every job of `userId`'s, newest first (seed 003 monitoring: "list by
 * status"), optionally only those in `status`; `afterRunId` is the last run of the previous page.
 */
export async function listUserRuns(
  db: Kysely<Database>, userId: string, opts: { status?: RunStatus; limit: number; afterRunId?: string },
): Promise<RunView[]> {
  // Keyset on the previous page's last run, read back in full precision (a timestamp in the
  // cursor would be cut to JavaScript's milliseconds and skip runs within the same one).
  const after = opts.afterRunId;
  const rows = await runColumns(db)
    .where('j.user_id', '=', userId)
    .$if(opts.status !== undefined, (qb) => qb.where('r.status', '=', opts.status!))
    .$if(after !== undefined, (qb) => qb.where(sql<boolean>`(r.created_at, r.id) < (SELECT created_at, id FROM job_runs WHERE id = ${after!}::uuid)`))
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(opts.limit)
    .execute();
  return rows.map(toView);
}

/**
 * Cancels a run that has not finished: its pending tasks are cancelled (a task already
 * running finishes but no longer changes the run's status) and `run.completed` says
 * `cancelled`. Cancelling a finished run is a 409.
 */
export async function cancelRun(db: Kysely<Database>, userId: string, runId: string): Promise<{ run: RunView; outboxIds: number[] }> {
  const outboxIds = await db.transaction().execute(async (trx) => {
    const run = await trx.selectFrom('job_runs as r').innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
      .select(['r.id', 'r.status', 'r.job_id', 'r.operation_id']).where('r.id', '=', runId).where('j.user_id', '=', userId).forUpdate('r').executeTakeFirst();
    if (!run) {
      // Requested but not yet initialised: cancelling the operation makes the initializer record it as cancelled.
      const op = await trx.updateTable('operations').set({ status: 'cancelled', stage: 'Cancelled', updated_at: sql`now()`, completed_at: sql`now()` })
        .where('subject_id', '=', runId).where('kind', '=', 'run').where('user_id', '=', userId).where('status', '=', 'pending').returning('id').executeTakeFirst();
      if (!op) throw new HttpError(404, 'not_found', 'Run not found');
      return [];
    }
    if (!['pending', 'in_progress'].includes(run.status)) throw new HttpError(409, 'run_finished', `The run is already ${run.status}`);
    await trx.updateTable('job_runs').set({ status: 'cancelled', completed_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', runId).execute();
    await trx.updateTable('extraction_tasks').set({ status: 'cancelled', updated_at: sql`now()` }).where('run_id', '=', runId).where('status', '=', 'pending').execute();
    if (run.operation_id) {
      await trx.updateTable('operations').set({ status: 'cancelled', stage: 'Cancelled', updated_at: sql`now()`, completed_at: sql`now()` }).where('id', '=', run.operation_id).execute();
    }
    return addToOutbox(trx, [topicMessage('run.completed', { runId, jobId: run.job_id, userId, status: 'cancelled' }, `run.completed:${runId}:cancelled`)]);
  });
  return { run: await findRun(db, userId, runId), outboxIds };
}

/**
 * Gives every failed task of a finished run a fresh set of attempts and puts the run back
 * in progress. A run with no failed task is a 409.
 */
export async function retryFailedTasks(db: Kysely<Database>, userId: string, runId: string): Promise<{ run: RunView; retried: number; outboxIds: number[] }> {
  const result = await db.transaction().execute(async (trx) => {
    const run = await trx.selectFrom('job_runs as r').innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
      .select(['r.id', 'r.status', 'r.operation_id']).where('r.id', '=', runId).where('j.user_id', '=', userId).forUpdate('r').executeTakeFirst();
    if (!run) throw new HttpError(404, 'not_found', 'Run not found');
    if (run.status === 'cancelled') throw new HttpError(409, 'run_cancelled', 'A cancelled run cannot be retried: start a new run');
    const tasks = await trx.updateTable('extraction_tasks')
      .set({ status: 'pending', attempts: 0, invalid_answers: 0, next_retry_at: null, error_code: null, error_message: null, processed_at: null, updated_at: sql`now()` })
      .where('run_id', '=', runId).where('status', '=', 'failed').returning('id').execute();
    if (tasks.length === 0) throw new HttpError(409, 'nothing_to_retry', 'The run has no failed tasks');
    await trx.updateTable('job_runs').set({
      status: 'in_progress', completed_at: null, updated_at: sql`now()`, tasks_failed: sql`tasks_failed - ${tasks.length}`,
    }).where('id', '=', runId).execute();
    if (run.operation_id) {
      await trx.updateTable('operations').set({ status: 'in_progress', error_message: null, completed_at: null, stage: `Retrying ${tasks.length} failed ${tasks.length === 1 ? 'file' : 'files'}`, updated_at: sql`now()` }).where('id', '=', run.operation_id).execute();
    }
    const stamp = Date.now();
    const outboxIds = await addToOutbox(trx, tasks.map((t) => queueTask('extraction', { taskId: t.id, runId }, { dedupeKey: `extract-${t.id}-m${stamp}` })));
    return { retried: tasks.length, outboxIds };
  });
  return { ...result, run: await findRun(db, userId, runId) };
}

export interface ResultRow {
  taskId: string;
  sourceFileName: string;
  sourceType: string;
  columns: string[];
  rows: unknown[][];
  engine: string | null;
  model: string | null;
}

/** A page of a run's results, in task order; `after` is the last task id of the previous page. */
export async function listResults(db: Kysely<Database>, userId: string, runId: string, opts: { limit: number; after?: string }): Promise<{ items: ResultRow[]; nextCursor: string | null }> {
  await findRun(db, userId, runId);
  const rows = await db.selectFrom('extraction_results as x')
    .innerJoin('extraction_tasks as t', 't.id', 'x.task_id')
    .select(['x.task_id', 't.source_filename', 't.source_type', 'x.extracted_data', 'x.engine', 'x.model_name'])
    .where('x.run_id', '=', runId)
    .$if(opts.after !== undefined, (qb) => qb.where('x.task_id', '>', opts.after!))
    .orderBy('x.task_id')
    .limit(opts.limit + 1)
    .execute();
  const page = rows.slice(0, opts.limit);
  return {
    items: page.map((r) => {
      const data = r.extracted_data as { columns?: string[]; results?: unknown[][] };
      return { taskId: r.task_id, sourceFileName: r.source_filename ?? '', sourceType: r.source_type ?? 'upload', columns: data.columns ?? [], rows: data.results ?? [], engine: r.engine, model: r.model_name };
    }),
    nextCursor: rows.length > opts.limit ? page[page.length - 1]!.task_id : null,
  };
}

export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface TaskView {
  taskId: string;
  status: TaskStatus;
  sourceFileId: string | null;
  sourceFileName: string;
  sourceType: string;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  processedAt: string | null;
}

/**
 * A page of a run's tasks, one per file, in task order, optionally only those in
 * `status`: a failed task carries why it failed and the file it belongs to, which the
 * results (rows only) cannot show.
 */
export async function listTasks(db: Kysely<Database>, userId: string, runId: string, opts: { limit: number; after?: string; status?: TaskStatus }): Promise<{ items: TaskView[]; nextCursor: string | null }> {
  await findRun(db, userId, runId);
  const rows = await db.selectFrom('extraction_tasks')
    .select(['id', 'status', 'source_file_id', 'source_filename', 'source_type', 'attempts', 'error_code', 'error_message', 'processed_at'])
    .where('run_id', '=', runId)
    .$if(opts.status !== undefined, (qb) => qb.where('status', '=', opts.status!))
    .$if(opts.after !== undefined, (qb) => qb.where('id', '>', opts.after!))
    .orderBy('id')
    .limit(opts.limit + 1)
    .execute();
  const page = rows.slice(0, opts.limit);
  return {
    items: page.map((t) => ({
      taskId: t.id, status: t.status as TaskStatus, sourceFileId: t.source_file_id, sourceFileName: t.source_filename ?? '', sourceType: t.source_type ?? 'upload',
      attempts: t.attempts, errorCode: t.error_code, errorMessage: t.error_message, processedAt: iso(t.processed_at),
    })),
    nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null,
  };
}
