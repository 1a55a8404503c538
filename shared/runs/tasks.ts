import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { ExtractionAnswer, FieldSpec } from '../extraction/types.js';
import { recordActivity } from '../activity/activity.js';
import { addToOutbox, queueTask, topicMessage } from '../outbox/outbox.js';
import type { ExtractionSettings } from './settings.js';

/** A task this worker holds: what the extraction needs, nothing more. */
export interface ClaimedTask {
  id: string;
  runId: string;
  jobId: string;
  attempts: number;
  maxAttempts: number;
  invalidAnswers: number;
  filename: string;
  mimeType: string;
  objectName: string;
  fields: FieldSpec[];
  settings: ExtractionSettings;
}

// A worker that died holding a task loses it after this long (the function timeout is 9 min).
export const TASK_LEASE_SECONDS = 600;

/**
 * A running task's lease has lapsed: taken more than TASK_LEASE_SECONDS ago, or never taken
 * by this pipeline (a legacy `processing` task of migration 000003 has no `locked_at`).
 */
export function leaseLapsed(eb: ExpressionBuilder<{ t: Database['extraction_tasks'] }, 't'>) {
  return eb.or([eb('t.locked_at', 'is', null), eb('t.locked_at', '<', sql<Date>`now() - make_interval(secs => ${TASK_LEASE_SECONDS})`)]);
}

/**
 * Claims a task for `workerId` in one statement: pending, or running under a lapsed lease
 * (`leaseLapsed`),
 * in a run that is still in progress. Returns undefined when there is nothing to do (done
 * already, cancelled, or held by a live worker): a duplicate delivery then changes nothing.
 */
export async function claimTask(db: Kysely<Database>, taskId: string, workerId: string): Promise<ClaimedTask | undefined> {
  const row = await db
    .updateTable('extraction_tasks as t')
    .from('job_runs as r')
    .set((eb) => ({
      status: 'running',
      attempts: eb('t.attempts', '+', 1),
      locked_by: workerId,
      locked_at: sql`now()`,
      started_at: sql`coalesce(t.started_at, now())`,
      updated_at: sql`now()`,
    }))
    .whereRef('r.id', '=', 't.run_id')
    .where('t.id', '=', taskId)
    .where('r.status', '=', 'in_progress')
    .where((eb) => eb.or([
      eb('t.status', '=', 'pending'),
      eb.and([eb('t.status', '=', 'running'), leaseLapsed(eb)]),
    ]))
    .returning([
      't.id', 't.run_id', 'r.job_id', 't.attempts', 't.max_attempts', 't.invalid_answers', 't.source_filename', 't.mime_type', 't.object_name',
      'r.fields_snapshot', 'r.extraction_settings',
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id, runId: row.run_id, jobId: row.job_id, attempts: row.attempts, maxAttempts: row.max_attempts, invalidAnswers: row.invalid_answers,
    filename: row.source_filename ?? 'document', mimeType: row.mime_type ?? 'application/octet-stream', objectName: row.object_name ?? '',
    fields: row.fields_snapshot as unknown as FieldSpec[], settings: row.extraction_settings as unknown as ExtractionSettings,
  };
}

/**
 * Records the answer and counts the task in its run, in one transaction guarded by the
 * claim: a worker that lost its claim writes nothing. Returns the outbox ids to relay
 * (a `run.completed` when this was the run's last task).
 *
 * The guarded task update, the result row and the run counters are one statement (data-
 * modifying CTEs), in the same order as before: the task row, then its result, then the
 * run row, which is updated only when the task update matched (no claim, no write). Three
 * round trips instead of five; the run row lock is still taken last, just before COMMIT.
 */
export async function completeTask(db: Kysely<Database>, task: ClaimedTask, workerId: string, answer: ExtractionAnswer): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .with('done', (qc) => qc
        .updateTable('extraction_tasks')
        .set({ status: 'completed', processed_at: sql`now()`, updated_at: sql`now()`, locked_by: null, error_message: null, error_code: null })
        .where('id', '=', task.id).where('locked_by', '=', workerId).where('status', '=', 'running')
        .returning('id'))
      .with('result', (qc) => qc
        .insertInto('extraction_results')
        .columns(['run_id', 'task_id', 'extracted_data', 'engine', 'model_name', 'system_prompt_version', 'input_tokens', 'output_tokens'])
        .expression((eb) => eb.selectFrom('done').select([
          sql<string>`${task.runId}::uuid`.as('run_id'),
          'done.id',
          sql<string>`${JSON.stringify({ columns: answer.columns, results: answer.results })}::jsonb`.as('extracted_data'),
          sql<string | null>`${answer.engine}::varchar`.as('engine'),
          sql<string | null>`${answer.model}::varchar`.as('model_name'),
          sql<string | null>`${task.settings.systemPrompt.version}::varchar`.as('system_prompt_version'),
          sql<number | null>`${answer.usage.inputTokens}::int`.as('input_tokens'),
          sql<number | null>`${answer.usage.outputTokens}::int`.as('output_tokens'),
        ]))
        .returning('id'))
      .updateTable('job_runs')
      .set(runCounterUpdate('completed'))
      .where('id', '=', task.runId)
      .where((eb) => eb.exists(eb.selectFrom('result').select('result.id')))
      .returning(runCounterColumns)
      .executeTakeFirst();
    if (!run) return [];
    return finishRunIfDone(trx, run);
  });
}

/** Fails the task for good with its reason, guarded by the claim like `completeTask` (and, like it, in one statement). */
export async function failTask(db: Kysely<Database>, task: ClaimedTask, workerId: string, failure: { code: string; message: string }): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .with('done', (qc) => qc
        .updateTable('extraction_tasks')
        .set({ status: 'failed', processed_at: sql`now()`, updated_at: sql`now()`, locked_by: null, error_code: failure.code, error_message: failure.message })
        .where('id', '=', task.id).where('locked_by', '=', workerId).where('status', '=', 'running')
        .returning('id'))
      .updateTable('job_runs')
      .set(runCounterUpdate('failed'))
      .where('id', '=', task.runId)
      .where((eb) => eb.exists(eb.selectFrom('done').select('done.id')))
      .returning(runCounterColumns)
      .executeTakeFirst();
    if (!run) return [];
    return finishRunIfDone(trx, run);
  });
}

/**
 * Puts the task back to pending and schedules its next attempt `delaySeconds` from now,
 * through the outbox (retries are data on the row, not a thrown error).
 */
export async function scheduleTaskRetry(
  db: Kysely<Database>, task: ClaimedTask, workerId: string,
  retry: { delaySeconds: number; code: string; message: string; invalidAnswer: boolean },
): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('extraction_tasks')
      .set((eb) => ({
        status: 'pending', locked_by: null, updated_at: sql`now()`, error_code: retry.code, error_message: retry.message,
        next_retry_at: sql`now() + make_interval(secs => ${retry.delaySeconds})`,
        invalid_answers: retry.invalidAnswer ? eb('invalid_answers', '+', 1) : eb.ref('invalid_answers'),
      }))
      .where('id', '=', task.id).where('locked_by', '=', workerId).where('status', '=', 'running')
      .returning('attempts')
      .executeTakeFirst();
    if (!done) return [];
    return addToOutbox(trx, [queueTask('extraction', { taskId: task.id, runId: task.runId }, { dedupeKey: `extract-${task.id}-a${done.attempts}`, delaySeconds: retry.delaySeconds })]);
  });
}

/**
 * Counts one finished task in its run. The row lock on the run serialises concurrent
 * finishers, and only the update that brings completed + failed up to the total moves the
 * run to its final state, so `run.completed` is emitted exactly once per completion.
 */
export async function countTaskInRun(trx: Kysely<Database>, runId: string, outcome: 'completed' | 'failed'): Promise<number[]> {
  const run = await trx
    .updateTable('job_runs')
    .set(runCounterUpdate(outcome))
    .where('id', '=', runId)
    .returning(runCounterColumns)
    .executeTakeFirstOrThrow();
  return finishRunIfDone(trx, run);
}

const runCounterColumns = ['id', 'job_id', 'run_number', 'status', 'tasks_total', 'tasks_completed', 'tasks_failed', 'operation_id'] as const;

/** The SET of the run-counter update: one more completed or failed task, and the final status when it is the last. */
function runCounterUpdate(outcome: 'completed' | 'failed') {
  const completedInc = outcome === 'completed' ? 1 : 0;
  const failedInc = outcome === 'failed' ? 1 : 0;
  return {
    tasks_completed: sql<number>`tasks_completed + ${completedInc}`,
    tasks_failed: sql<number>`tasks_failed + ${failedInc}`,
    updated_at: sql<Date>`now()`,
    status: sql<string>`CASE WHEN status = 'in_progress' AND tasks_completed + tasks_failed + 1 >= tasks_total THEN
        CASE WHEN tasks_failed + ${failedInc} = 0 THEN 'completed'
             WHEN tasks_completed + ${completedInc} = 0 THEN 'failed'
             ELSE 'partially_completed' END
        ELSE status END`,
    completed_at: sql<Date>`CASE WHEN status = 'in_progress' AND tasks_completed + tasks_failed + 1 >= tasks_total THEN now() ELSE completed_at END`,
  };
}

/** After the counter update: finishes the run when that update brought it to its final state. */
function finishRunIfDone(
  trx: Kysely<Database>,
  run: { id: string; job_id: string; run_number: number; status: string; tasks_total: number; tasks_completed: number; tasks_failed: number; operation_id: string | null },
): Promise<number[]> | number[] {
  const finished = run.tasks_completed + run.tasks_failed === run.tasks_total && ['completed', 'partially_completed', 'failed'].includes(run.status);
  if (!finished) return [];
  return finishRun(trx, run as typeof run & { status: 'completed' | 'partially_completed' | 'failed' });
}

async function finishRun(
  trx: Kysely<Database>,
  run: { id: string; job_id: string; run_number: number; status: 'completed' | 'partially_completed' | 'failed'; tasks_total: number; tasks_completed: number; tasks_failed: number; operation_id: string | null },
): Promise<number[]> {
  const job = await trx.selectFrom('extraction_jobs').select(['user_id', 'name']).where('id', '=', run.job_id).executeTakeFirstOrThrow();
  if (run.operation_id) {
    await trx.updateTable('operations').set({
      status: run.status === 'failed' ? 'failed' : 'completed', pct: 100, updated_at: sql`now()`, completed_at: sql`now()`,
      stage: `Extracted ${run.tasks_completed} of ${run.tasks_total} files`,
      error_message: run.status === 'failed' ? 'Every file failed to extract' : null,
    }).where('id', '=', run.operation_id).execute();
  }
  const name = `${job.name ?? 'Extraction job'} run #${run.run_number}`;
  const summary = run.tasks_failed === 0 ? `${run.tasks_completed} ${run.tasks_completed === 1 ? 'file' : 'files'} extracted` : `${run.tasks_completed} extracted, ${run.tasks_failed} failed`;
  const round = `${run.tasks_completed}-${run.tasks_failed}`;
  await recordActivity(trx, {
    userId: job.user_id, kind: run.status === 'failed' ? 'run_failed' : 'run_completed',
    context: { jobId: run.job_id, runId: run.id, runNumber: run.run_number, status: run.status, tasksCompleted: run.tasks_completed, tasksFailed: run.tasks_failed },
    description: `${name} ${run.status === 'failed' ? 'failed' : 'completed'} - ${summary}`,
    dedupeKey: `run_finished:${run.id}:${round}`,
  });
  return addToOutbox(trx, [topicMessage('run.completed', { runId: run.id, jobId: run.job_id, userId: job.user_id, status: run.status }, `run.completed:${run.id}:${round}`)]);
}
