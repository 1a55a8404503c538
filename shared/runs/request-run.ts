import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { addToOutbox, topicMessage } from '../outbox/outbox.js';

export interface RunRequest {
  userId: string;
  jobId: string;
  trigger: 'manual' | 'automation';
  automationRunId?: string;
}

/**
 * Asks for a new run of a job: records an operation to follow it and, in the same
 * transaction, a `run.requested` message for the run initializer. Returns the ids the
 * frontend polls (the run row itself appears when the initializer has numbered it).
 */
export async function requestRun(db: Kysely<Database>, request: RunRequest): Promise<{ runId: string; operationId: string; outboxIds: number[] }> {
  const runId = randomUUID();
  return db.transaction().execute(async (trx) => {
    const job = await trx.selectFrom('extraction_jobs').select(['id']).where('id', '=', request.jobId).where('user_id', '=', request.userId).executeTakeFirst();
    if (!job) throw new HttpError(404, 'not_found', 'Extraction job not found');
    const files = await trx
      .selectFrom('source_files')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('job_id', '=', request.jobId)
      .where('status', 'in', extractableFileStatuses)
      .where('file_type', '<>', 'archive')
      .executeTakeFirstOrThrow();
    if (Number(files.n) === 0) throw new HttpError(422, 'no_files', 'The job has no uploaded files to extract: add files first');
    const operation = await trx
      .insertInto('operations')
      .values({ user_id: request.userId, kind: 'run', subject_id: runId, status: 'pending', stage: 'Waiting to start' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const outboxIds = await addToOutbox(trx, [
      topicMessage('run.requested', {
        runId, jobId: request.jobId, userId: request.userId, operationId: operation.id, trigger: request.trigger,
        ...(request.automationRunId ? { automationRunId: request.automationRunId } : {}),
      }),
    ]);
    return { runId, operationId: operation.id, outboxIds };
  });
}

/** Source file states a run reads. */
export const extractableFileStatuses = ['uploaded', 'ready', 'unpacked'] as const;
