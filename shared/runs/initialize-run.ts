import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { FieldSpec, FieldType } from '../extraction/types.js';
import type { MessageOf } from '../messaging/contracts.js';
import { recordActivity } from '../activity/activity.js';
import { addToOutbox, queueTask, topicMessage } from '../outbox/outbox.js';
import { millisecondsSince, recordStep } from '../operations/steps.js';
import { startRunWithinLimits } from '../usage/limits.js';
import { closeDueAutoRun } from './auto-run.js';
import { extractableFileStatuses } from './request-run.js';
import { loadExtractionSettings } from './settings.js';

/**
 * Creates the run a `run.requested` message asks for (seed 002 §4.6): the next run number
 * of the job, a snapshot of its fields, files and extraction settings, one task per file,
 * and one extraction message per task, all in one transaction. The run covers the
 * files listed for its operation (`run_files`) when the message says `fileSet: 'listed'` (an
 * automation's run: the files its email brought; an auto-run; a manual run over some files),
 * otherwise every extractable file of the job. Safe to run twice: a run
 * that exists already is left alone. Returns the outbox ids to relay.
 */
export async function initializeRun(db: Kysely<Database>, message: MessageOf<'run.requested'>, defaultModel: string): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    // Locking the job serialises concurrent starts: run N and N+1, never a duplicate or a gap.
    const job = await trx.selectFrom('extraction_jobs').select(['id', 'name']).where('id', '=', message.jobId).where('user_id', '=', message.userId).forUpdate().executeTakeFirst();
    const operation = await trx.selectFrom('operations').select(['id', 'status', waitedMs]).where('id', '=', message.operationId).executeTakeFirst();
    if (!job) {
      if (operation) await trx.updateTable('operations').set({ status: 'failed', error_message: 'The job was deleted before the run started', updated_at: sql`now()`, completed_at: sql`now()` }).where('id', '=', operation.id).execute();
      return [];
    }
    const existing = await trx.selectFrom('job_runs').select('id').where('id', '=', message.runId).executeTakeFirst();
    if (existing) return [];
    const listed = message.fileSet === 'listed';
    // An auto-run still collecting files starts on a later message (the one for its last file).
    if (listed && !(await closeDueAutoRun(trx, message.operationId))) return [];

    const [numbering, fields, settings] = await Promise.all([
      trx.selectFrom('job_runs').select((eb) => eb.fn.coalesce(eb.fn.max('run_number'), eb.lit(0)).as('last')).where('job_id', '=', job.id).executeTakeFirstOrThrow(),
      trx.selectFrom('job_fields').select(['field_name', 'data_type_id', 'ai_prompt', 'required']).where('job_id', '=', job.id).orderBy('display_order').orderBy('created_at').execute(),
      loadExtractionSettings(trx, message.userId, defaultModel),
    ]);
    const snapshot: FieldSpec[] = fields.map((f) => ({ name: f.field_name, type: f.data_type_id as FieldType, description: f.ai_prompt, required: f.required }));
    const runNumber = Number(numbering.last) + 1;
    const cancelled = operation?.status === 'cancelled';
    const limit = cancelled ? null : await startRunWithinLimits(trx, message.userId);

    await trx.insertInto('job_runs').values({
      id: message.runId,
      job_id: job.id,
      run_number: runNumber,
      status: cancelled ? 'cancelled' : 'in_progress',
      trigger: message.trigger,
      fields_snapshot: JSON.stringify(snapshot),
      extraction_settings: JSON.stringify(settings),
      operation_id: operation?.id ?? null,
      started_at: sql`now()`,
      completed_at: cancelled ? sql`now()` : null,
    }).execute();
    if (message.automationRunId) {
      await trx.updateTable('automation_runs').set({ run_id: message.runId }).where('id', '=', message.automationRunId).execute();
    }
    if (cancelled) return [];
    const runName = `${job.name ?? 'Extraction job'} run #${runNumber}`;
    if (limit) return failNewRun(trx, message, { runNumber, runName, reason: limit.message, activity: `${runName} was not started: ${limit.message}` });

    const tasks = await trx
      .insertInto('extraction_tasks')
      .columns(['run_id', 'job_id', 'source_file_id', 'source_filename', 'source_type', 'mime_type', 'object_name', 'status'])
      .expression((eb) =>
        eb.selectFrom('source_files')
          .select([
            sql<string>`${message.runId}::uuid`.as('run_id'), 'job_id', 'id', 'original_filename', 'source_type', 'file_type', 'gcs_object_name', eb.val('pending').as('status'),
          ])
          .where('job_id', '=', job.id)
          .where('status', 'in', extractableFileStatuses)
          .where('file_type', '<>', 'archive')
          .$if(listed, (qb) => qb.where('id', 'in', eb.selectFrom('run_files').select('source_file_id').where('operation_id', '=', message.operationId)))
          .orderBy('created_at'))
      .returning('id')
      .execute();

    if (tasks.length === 0) {
      // The files went away between the request and now.
      return failNewRun(trx, message, { runNumber, runName, reason: 'The job has no files to extract', activity: `${runName} failed: the job has no files` });
    }

    await trx.updateTable('job_runs').set({ tasks_total: tasks.length }).where('id', '=', message.runId).execute();
    await trx.updateTable('operations').set({ status: 'in_progress', stage: `Extracting 0 of ${tasks.length} files`, updated_at: sql`now()` }).where('id', '=', message.operationId).execute();
    await recordActivity(trx, {
      userId: message.userId, kind: 'run_started', context: { jobId: job.id, runId: message.runId, runNumber, files: tasks.length, trigger: message.trigger },
      description: `${runName} started - ${tasks.length} ${tasks.length === 1 ? 'file' : 'files'}`, dedupeKey: `run_started:${message.runId}`,
    });
    if (operation) await recordInitializeStep(trx, message, operation.waited_ms, { status: 'completed', tasks: tasks.length });
    return addToOutbox(trx, tasks.map((t) => queueTask('extraction', { taskId: t.id, runId: message.runId }, { dedupeKey: `extract-${t.id}-a0` })));
  });
}

/** A run numbered but not started (no files left, a usage limit reached): failed with the reason, and announced. */
async function failNewRun(
  trx: Kysely<Database>, message: MessageOf<'run.requested'>, failure: { runNumber: number; runName: string; reason: string; activity: string },
): Promise<number[]> {
  await trx.updateTable('job_runs').set({ status: 'failed', error_message: failure.reason, completed_at: sql`now()` }).where('id', '=', message.runId).execute();
  const operation = await trx.updateTable('operations').set({ status: 'failed', error_message: failure.reason, pct: 100, updated_at: sql`now()`, completed_at: sql`now()` })
    .where('id', '=', message.operationId).returning(waitedMs).executeTakeFirst();
  await recordActivity(trx, {
    userId: message.userId, kind: 'run_failed', context: { jobId: message.jobId, runId: message.runId, runNumber: failure.runNumber },
    description: failure.activity, dedupeKey: `run_failed:${message.runId}`,
  });
  if (operation) await recordInitializeStep(trx, message, operation.waited_ms, { status: 'failed', tasks: 0, error: failure.reason });
  return addToOutbox(trx, [topicMessage('run.completed', { runId: message.runId, jobId: message.jobId, userId: message.userId, status: 'failed' }, `run.completed:${message.runId}`)]);
}

/** Milliseconds from the run's request (its operation) to now: how long `run.requested` waited. */
const waitedMs = sql<number>`greatest(0, round(extract(epoch from (now() - created_at)) * 1000))::int`.as('waited_ms');

/** The `run.initialize` step: how long the request waited for the initializer, and the initializer's own time. */
function recordInitializeStep(trx: Kysely<Database>, message: MessageOf<'run.requested'>, waited: number, outcome: { status: 'completed' | 'failed'; tasks: number; error?: string }) {
  return recordStep(trx, {
    operationId: message.operationId, key: 'initialize', name: 'run.initialize', status: outcome.status,
    durationMs: millisecondsSince(sql<Date>`now()`), errorMessage: outcome.error,
    data: { queueWaitMs: Number(waited), tasks: outcome.tasks, trigger: message.trigger, fileSet: message.fileSet ?? 'job' },
  });
}
