import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { FieldSpec, FieldType } from '../extraction/types.js';
import type { MessageOf } from '../messaging/contracts.js';
import { recordActivity } from '../activity/activity.js';
import { addToOutbox, queueTask, topicMessage } from '../outbox/outbox.js';
import { extractableFileStatuses } from './request-run.js';
import { loadExtractionSettings } from './settings.js';

/**
 * Creates the run a `run.requested` message asks for (seed 002 §4.6): the next run number
 * of the job, a snapshot of its fields, files and extraction settings, one task per file,
 * and one extraction message per task, all in one transaction. The run covers the
 * message's `fileIds` when it names them (an automation's run: the files its email brought),
 * otherwise every extractable file of the job. Safe to run twice: a run
 * that exists already is left alone. Returns the outbox ids to relay.
 */
export async function initializeRun(db: Kysely<Database>, message: MessageOf<'run.requested'>, defaultModel: string): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    // Locking the job serialises concurrent starts: run N and N+1, never a duplicate or a gap.
    const job = await trx.selectFrom('extraction_jobs').select(['id', 'name']).where('id', '=', message.jobId).where('user_id', '=', message.userId).forUpdate().executeTakeFirst();
    const operation = await trx.selectFrom('operations').select(['id', 'status']).where('id', '=', message.operationId).executeTakeFirst();
    if (!job) {
      if (operation) await trx.updateTable('operations').set({ status: 'failed', error_message: 'The job was deleted before the run started', updated_at: sql`now()`, completed_at: sql`now()` }).where('id', '=', operation.id).execute();
      return [];
    }
    const existing = await trx.selectFrom('job_runs').select('id').where('id', '=', message.runId).executeTakeFirst();
    if (existing) return [];

    const [numbering, fields, settings] = await Promise.all([
      trx.selectFrom('job_runs').select((eb) => eb.fn.coalesce(eb.fn.max('run_number'), eb.lit(0)).as('last')).where('job_id', '=', job.id).executeTakeFirstOrThrow(),
      trx.selectFrom('job_fields').select(['field_name', 'data_type_id', 'ai_prompt', 'required']).where('job_id', '=', job.id).orderBy('display_order').orderBy('created_at').execute(),
      loadExtractionSettings(trx, message.userId, defaultModel),
    ]);
    const snapshot: FieldSpec[] = fields.map((f) => ({ name: f.field_name, type: f.data_type_id as FieldType, description: f.ai_prompt, required: f.required }));
    const runNumber = Number(numbering.last) + 1;
    const cancelled = operation?.status === 'cancelled';

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

    const tasks = await trx
      .insertInto('extraction_tasks')
      .columns(['run_id', 'job_id', 'source_file_id', 'source_filename', 'source_type', 'mime_type', 'object_name', 'status'])
      .expression((eb) =>
        eb.selectFrom('source_files')
          .select([
            sql<string>`${message.runId}::uuid`.as('run_id'), 'job_id', 'id', 'original_filename', 'source_type', 'file_type', 'gcs_object_name', eb.val('pending').as('status'),
          ])
          .where('job_id', '=', job.id)
          .$if(message.fileIds !== undefined, (qb) => qb.where('id', 'in', message.fileIds!))
          .where('status', 'in', extractableFileStatuses)
          .where('file_type', '<>', 'archive')
          .orderBy('created_at'))
      .returning('id')
      .execute();

    const runName = `${job.name ?? 'Extraction job'} run #${runNumber}`;
    if (tasks.length === 0) {
      // The files went away between the request and now.
      await trx.updateTable('job_runs').set({ status: 'failed', error_message: 'The job has no files to extract', completed_at: sql`now()` }).where('id', '=', message.runId).execute();
      await trx.updateTable('operations').set({ status: 'failed', error_message: 'The job has no files to extract', pct: 100, updated_at: sql`now()`, completed_at: sql`now()` }).where('id', '=', message.operationId).execute();
      await recordActivity(trx, { userId: message.userId, kind: 'run_failed', context: { jobId: job.id, runId: message.runId, runNumber }, description: `${runName} failed: the job has no files`, dedupeKey: `run_failed:${message.runId}` });
      return addToOutbox(trx, [topicMessage('run.completed', { runId: message.runId, jobId: job.id, userId: message.userId, status: 'failed' }, `run.completed:${message.runId}`)]);
    }

    await trx.updateTable('job_runs').set({ tasks_total: tasks.length }).where('id', '=', message.runId).execute();
    await trx.updateTable('operations').set({ status: 'in_progress', stage: `Extracting 0 of ${tasks.length} files`, updated_at: sql`now()` }).where('id', '=', message.operationId).execute();
    await recordActivity(trx, {
      userId: message.userId, kind: 'run_started', context: { jobId: job.id, runId: message.runId, runNumber, files: tasks.length, trigger: message.trigger },
      description: `${runName} started - ${tasks.length} ${tasks.length === 1 ? 'file' : 'files'}`, dedupeKey: `run_started:${message.runId}`,
    });
    return addToOutbox(trx, tasks.map((t) => queueTask('extraction', { taskId: t.id, runId: message.runId }, { dedupeKey: `extract-${t.id}-a0` })));
  });
}
