import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { recordStep } from '../operations/steps.js';
import { addToOutbox, topicMessage } from '../outbox/outbox.js';

/** Seconds an auto-run waits for more files before it starts, unless the deployment says otherwise. */
export const DEFAULT_AUTO_RUN_DEBOUNCE_SECONDS = 30;

/**
 * Auto-run on upload (seed 003: an upload answers at once and extraction starts in the
 * background), a job setting (`extraction_jobs.auto_run`). Files that arrive by upload or
 * import join the job's open batch (`auto_run_batches`, one per job) and are listed for its
 * run (`run_files`); each arrival pushes the batch's due time `debounceSeconds` out and
 * writes a `run.requested` delivered at that time (the outbox's `delaySeconds`: Cloud Tasks
 * publishes it when due, the local dispatcher holds it). The initializer starts the
 * run on the first message that finds the batch due (`closeDueAutoRun`), over exactly the
 * listed files; earlier messages find it not due and do nothing. Files arriving together
 * therefore share one run, and a file arriving after the run started opens the next batch.
 *
 * Call it in the transaction that makes the files available; relay the returned ids after
 * commit.
 */
export async function addFilesToAutoRun(
  trx: Kysely<Database>, input: { userId: string; jobId: string; fileIds: string[]; debounceSeconds?: number },
): Promise<number[]> {
  if (input.fileIds.length === 0) return [];
  // The job row lock orders this against the initializer closing the batch. FOR NO KEY
  // UPDATE, not FOR UPDATE: the source_files insert of this same transaction, and of every
  // concurrent upload to the job, holds FOR KEY SHARE on the job row through its foreign
  // key; FOR UPDATE would wait for those, and two uploads at once deadlocked.
  const job = await trx.selectFrom('extraction_jobs').select('auto_run').where('id', '=', input.jobId).where('user_id', '=', input.userId).forNoKeyUpdate().executeTakeFirst();
  if (!job?.auto_run) return [];
  const debounce = Math.max(0, Math.round(input.debounceSeconds ?? DEFAULT_AUTO_RUN_DEBOUNCE_SECONDS));
  const dueAt = sql<Date>`now() + make_interval(secs => ${debounce})`;
  let batch = await trx.updateTable('auto_run_batches as b').from('operations as o').set({ due_at: dueAt })
    .whereRef('o.id', '=', 'b.operation_id').where('b.job_id', '=', input.jobId).where('b.closed_at', 'is', null).where('o.status', '=', 'pending')
    .returning(['b.operation_id', 'b.run_id']).executeTakeFirst();
  if (!batch) {
    // A waiting run the user cancelled takes no more files: the next file opens a new batch.
    await trx.updateTable('auto_run_batches').set({ closed_at: sql`now()` }).where('job_id', '=', input.jobId).where('closed_at', 'is', null).execute();
    const runId = randomUUID();
    const operation = await trx.insertInto('operations')
      .values({ user_id: input.userId, kind: 'run', subject_id: runId, status: 'pending', stage: 'Auto-run: waiting for more files' })
      .returning('id').executeTakeFirstOrThrow();
    batch = await trx.insertInto('auto_run_batches').values({ operation_id: operation.id, job_id: input.jobId, run_id: runId, due_at: dueAt })
      .returning(['operation_id', 'run_id']).executeTakeFirstOrThrow();
  }
  await trx.insertInto('run_files').values(input.fileIds.map((id) => ({ operation_id: batch.operation_id, source_file_id: id })))
    .onConflict((oc) => oc.doNothing()).execute();
  const listed = await trx.selectFrom('run_files').select((eb) => eb.fn.countAll<number>().as('n')).where('operation_id', '=', batch.operation_id).executeTakeFirstOrThrow();
  await recordStep(trx, {
    operationId: batch.operation_id, key: `auto_run.files:${Number(listed.n)}`, name: 'auto_run.files_added', status: 'completed',
    data: { added: input.fileIds.length, listed: Number(listed.n), debounceSeconds: debounce },
  });
  return addToOutbox(trx, [topicMessage('run.requested', {
    runId: batch.run_id, jobId: input.jobId, userId: input.userId, operationId: batch.operation_id, trigger: 'upload', fileSet: 'listed',
  }, `run.requested:${batch.run_id}:${Number(listed.n)}`, { delaySeconds: debounce })]);
}

/**
 * The initializer's half: true when the run of `operationId` may start now (it is not an
 * auto-run, or its batch is due: then the batch is closed, and later files open a new one);
 * false while files may still join it. Takes the batch row's lock.
 */
export async function closeDueAutoRun(trx: Kysely<Database>, operationId: string): Promise<boolean> {
  const batch = await trx.selectFrom('auto_run_batches')
    .select(['closed_at', sql<boolean>`due_at <= now()`.as('due')])
    .where('operation_id', '=', operationId).forUpdate().executeTakeFirst();
  if (!batch || batch.closed_at) return true;
  if (!batch.due) return false;
  await trx.updateTable('auto_run_batches').set({ closed_at: sql`now()` }).where('operation_id', '=', operationId).execute();
  return true;
}
