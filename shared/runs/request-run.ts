import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { addToOutbox, topicMessage } from '../outbox/outbox.js';
import { assertRunAllowed } from '../usage/limits.js';

export interface RunRequest {
  userId: string;
  jobId: string;
  trigger: 'manual' | 'automation';
  automationRunId?: string;
  /** Only these files of the job (listed in `run_files`); all of its files when absent. */
  fileIds?: string[];
}

/**
 * Asks for a new run of a job: records an operation to follow it and, in the same
 * transaction, a `run.requested` message for the run initializer. Returns the ids the
 * frontend polls (the run row itself appears when the initializer has numbered it).
 * 429 naming the limit when the user's runs per day or pages per month are used up; 422
 * when a listed file is not one of the job's files ready to extract.
 */
export async function requestRun(db: Kysely<Database>, request: RunRequest): Promise<{ runId: string; operationId: string; outboxIds: number[] }> {
  const runId = randomUUID();
  return db.transaction().execute(async (trx) => {
    const job = await trx.selectFrom('extraction_jobs').select(['id']).where('id', '=', request.jobId).where('user_id', '=', request.userId).executeTakeFirst();
    if (!job) throw new HttpError(404, 'not_found', 'Extraction job not found');
    const listed = request.fileIds !== undefined ? [...new Set(request.fileIds)] : undefined;
    const files = await trx
      .selectFrom('source_files')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('job_id', '=', request.jobId)
      .where('status', 'in', extractableFileStatuses)
      .where('file_type', '<>', 'archive')
      .$if(listed !== undefined && listed.length > 0, (qb) => qb.where('id', 'in', listed!))
      .executeTakeFirstOrThrow();
    if (listed !== undefined && Number(files.n) !== listed.length) {
      throw new HttpError(422, 'files_not_ready', 'fileIds: every listed file must be one of the job\'s files, uploaded and ready to extract');
    }
    if (Number(files.n) === 0) throw new HttpError(422, 'no_files', 'The job has no uploaded files to extract: add files first');
    if (request.trigger === 'manual') await assertRunAllowed(trx, request.userId);
    const operation = await trx
      .insertInto('operations')
      .values({ user_id: request.userId, kind: 'run', subject_id: runId, status: 'pending', stage: 'Waiting to start' })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (listed) await trx.insertInto('run_files').values(listed.map((id) => ({ operation_id: operation.id, source_file_id: id }))).execute();
    const outboxIds = await addToOutbox(trx, [
      topicMessage('run.requested', {
        runId, jobId: request.jobId, userId: request.userId, operationId: operation.id, trigger: request.trigger,
        ...(request.automationRunId ? { automationRunId: request.automationRunId } : {}),
        ...(listed ? { fileSet: 'listed' as const } : {}),
      }),
    ]);
    return { runId, operationId: operation.id, outboxIds };
  });
}

/** Source file states a run reads. */
export const extractableFileStatuses = ['uploaded', 'ready', 'unpacked'] as const;
