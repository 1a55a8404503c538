import { sql, type Kysely } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/index.js';
import { PermanentError, RetryAfterError, errorMessage } from '../errors.js';
import { InvalidAnswerError, type Extractor } from '../extraction/types.js';
import type { MessageOf } from '../messaging/contracts.js';
import { loadExtractionSettings, type ExtractionSettings } from './settings.js';
import { claimTask, completeTask, failTask, scheduleTaskRetry, type ClaimedTask } from './tasks.js';

export interface ExtractionStage {
  db: Kysely<Database>;
  blobs: BlobStore;
  extractor: Extractor;
  workerId: string;
  /** The model a run uses unless the user chose another (for a legacy run's first claim). */
  defaultModel: string;
}

/** Invalid or off-schema answers are retried twice, then the task fails (seed 002 §4.3). */
export const MAX_INVALID_ANSWERS = 3;
/** Longest wait honoured from a Retry-After (seed 002 §5: "up to 5 min back-off"). */
export const MAX_RETRY_AFTER_SECONDS = 300;

/** Exponential backoff for transient failures: 2, 4, 8, 16 ... seconds, capped at 5 minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(MAX_RETRY_AFTER_SECONDS, 2 ** Math.max(1, attempts));
}

/**
 * Runs one extraction task end to end (seed 002 §4.3, §5): claim it, ask the extractor
 * about the file by its URI, and record the answer, a scheduled retry, or the failure.
 * Returns the outbox ids to relay. A duplicate delivery finds nothing to claim and does
 * nothing; a task that runs out of attempts ends `failed` with its reason, never `running`.
 */
export async function extractTask(stage: ExtractionStage, message: MessageOf<'extraction'>, signal?: AbortSignal): Promise<number[]> {
  const claimed = await claimTask(stage.db, message.taskId, stage.workerId);
  if (!claimed) return [];
  const task = claimed.settings.model ? claimed : { ...claimed, settings: await snapshotLegacyRunSettings(stage.db, claimed.runId, stage.defaultModel) };
  let answer;
  try {
    answer = await stage.extractor.extract({
      fields: task.fields,
      file: { uri: stage.blobs.uri('uploads', task.objectName), mimeType: task.mimeType, filename: task.filename },
      systemPrompt: task.settings.systemPrompt,
      model: task.settings.model,
      signal,
    });
  } catch (error) {
    return recordExtractionFailure(stage, task, error);
  }
  return completeTask(stage.db, task, stage.workerId, answer);
}

function recordExtractionFailure(stage: ExtractionStage, task: ClaimedTask, error: unknown): Promise<number[]> {
  const message = errorMessage(error);
  const outOfAttempts = task.attempts >= task.maxAttempts;
  if (error instanceof PermanentError) {
    return failTask(stage.db, task, stage.workerId, { code: error.code, message });
  }
  if (error instanceof InvalidAnswerError) {
    if (task.invalidAnswers + 1 >= MAX_INVALID_ANSWERS || outOfAttempts) {
      return failTask(stage.db, task, stage.workerId, { code: 'invalid_answer', message: `The model's answer was not valid after ${task.invalidAnswers + 1} tries: ${message}` });
    }
    return scheduleTaskRetry(stage.db, task, stage.workerId, { delaySeconds: backoffSeconds(task.attempts), code: 'invalid_answer', message, invalidAnswer: true });
  }
  if (outOfAttempts) {
    const code = error instanceof RetryAfterError ? 'rate_limited' : 'unavailable';
    return failTask(stage.db, task, stage.workerId, { code, message: `Gave up after ${task.attempts} attempts: ${message}` });
  }
  if (error instanceof RetryAfterError) {
    const delay = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(error.retryAfterSeconds)));
    return scheduleTaskRetry(stage.db, task, stage.workerId, { delaySeconds: delay, code: 'rate_limited', message, invalidAnswer: false });
  }
  return scheduleTaskRetry(stage.db, task, stage.workerId, { delaySeconds: backoffSeconds(task.attempts), code: 'unavailable', message, invalidAnswer: false });
}

/**
 * A legacy run (seeded by migration 000003) has no settings snapshot: the first task claimed
 * takes the user's current settings and writes them on the run, once (only over the empty
 * snapshot); every later task of the run reads that snapshot like any other run's.
 */
async function snapshotLegacyRunSettings(db: Kysely<Database>, runId: string, defaultModel: string): Promise<ExtractionSettings> {
  const run = await db.selectFrom('job_runs as r').innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
    .select('j.user_id').where('r.id', '=', runId).executeTakeFirstOrThrow();
  const settings = await loadExtractionSettings(db, run.user_id, defaultModel);
  const written = await db.updateTable('job_runs').set({ extraction_settings: JSON.stringify(settings) })
    .where('id', '=', runId).where(sql<boolean>`extraction_settings = '{}'::jsonb`).returning('extraction_settings').executeTakeFirst();
  if (written) return settings;
  const kept = await db.selectFrom('job_runs').select('extraction_settings').where('id', '=', runId).executeTakeFirstOrThrow();
  return kept.extraction_settings as unknown as ExtractionSettings;
}
