import { sql, type Kysely } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Database } from '../db/index.js';
import { PermanentError, RetryAfterError, errorMessage } from '../errors.js';
import { InvalidAnswerError, type Extractor } from '../extraction/types.js';
import type { MessageOf } from '../messaging/contracts.js';
import { noteUnit } from '../unit-log.js';
import { countPages } from './pages.js';
import { loadExtractionSettings, type ExtractionSettings } from './settings.js';
import { claimTask, completeTask, failTask, scheduleTaskRetry, type AttemptMeasures, type ClaimedTask } from './tasks.js';

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
  if (!claimed) {
    noteUnit({ outcome: 'skipped' });
    return [];
  }
  noteUnit({ attempt: claimed.attempts });
  const task = claimed.settings.model ? claimed : { ...claimed, settings: await snapshotLegacyRunSettings(stage.db, claimed.runId, stage.defaultModel) };
  let answer;
  const modelStarted = performance.now();
  try {
    answer = await stage.extractor.extract({
      fields: task.fields,
      file: { uri: stage.blobs.uri('uploads', task.objectName), mimeType: task.mimeType, filename: task.filename },
      systemPrompt: task.settings.systemPrompt,
      model: task.settings.model,
      signal,
    });
  } catch (error) {
    return recordExtractionFailure(stage, task, error, { modelMs: performance.now() - modelStarted });
  }
  const modelMs = performance.now() - modelStarted;
  const pages = await countPages(stage.blobs, task.objectName, task.mimeType);
  noteUnit({ outcome: 'completed', inputTokens: answer.usage.inputTokens ?? undefined, outputTokens: answer.usage.outputTokens ?? undefined });
  return completeTask(stage.db, task, stage.workerId, answer, { modelMs, pages });
}

function recordExtractionFailure(stage: ExtractionStage, task: ClaimedTask, error: unknown, measures: AttemptMeasures): Promise<number[]> {
  const message = errorMessage(error);
  const outOfAttempts = task.attempts >= task.maxAttempts;
  const fail = (failure: { code: string; message: string }) => {
    noteUnit({ outcome: 'failed', errorClass: errorClass(error) });
    return failTask(stage.db, task, stage.workerId, failure, measures);
  };
  const retry = (retry: { delaySeconds: number; code: string; invalidAnswer: boolean }) => {
    noteUnit({ outcome: 'retried', errorClass: errorClass(error) });
    return scheduleTaskRetry(stage.db, task, stage.workerId, { ...retry, message }, measures);
  };
  if (error instanceof PermanentError) return fail({ code: error.code, message });
  if (error instanceof InvalidAnswerError) {
    if (task.invalidAnswers + 1 >= MAX_INVALID_ANSWERS || outOfAttempts) {
      return fail({ code: 'invalid_answer', message: `The model's answer was not valid after ${task.invalidAnswers + 1} tries: ${message}` });
    }
    return retry({ delaySeconds: backoffSeconds(task.attempts), code: 'invalid_answer', invalidAnswer: true });
  }
  if (outOfAttempts) {
    const code = error instanceof RetryAfterError ? 'rate_limited' : 'unavailable';
    return fail({ code, message: `Gave up after ${task.attempts} attempts: ${message}` });
  }
  if (error instanceof RetryAfterError) {
    const delay = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(error.retryAfterSeconds)));
    return retry({ delaySeconds: delay, code: 'rate_limited', invalidAnswer: false });
  }
  return retry({ delaySeconds: backoffSeconds(task.attempts), code: 'unavailable', invalidAnswer: false });
}

function errorClass(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
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
