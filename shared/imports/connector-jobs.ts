import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { PermanentError, RetryAfterError } from '../errors.js';
import {
  recordJobRetried, recordJobScheduled, recordSyncCompleted, recordSyncFailed, recordSyncStarted,
  type ConnectorJobRef, type ConnectorJobType, type ConnectorService,
} from '../activity/connector-events.js';
import type { Topic } from '../messaging/contracts.js';
import { addToOutbox, topicMessage } from '../outbox/outbox.js';
import { markAccountSynced } from '../google/credentials.js';

/**
 * Connector jobs (`connector_jobs`, seed 001 §2.2): one Drive or Gmail import, its state
 * machine `pending` -> `running` -> `success` | `failed` (or back to `pending` with
 * `next_attempt_at`), and its retries as data on the row. Claimed in one statement and
 * finished only by the claimant: `attempts` is the claim token (every claim increments it,
 * every finish is guarded by the value it read).
 */

/** Where a job of each type is delivered and which service it talks to. */
export const connectorJobRoutes: Record<ConnectorJobType, { topic: Extract<Topic, 'drive.import.requested' | 'gmail.import.requested'>; provider: ConnectorService; operationKind: 'drive_import' | 'gmail_import' }> = {
  drive_import: { topic: 'drive.import.requested', provider: 'google_drive', operationKind: 'drive_import' },
  initial_sync: { topic: 'drive.import.requested', provider: 'google_drive', operationKind: 'drive_import' },
  incremental_sync: { topic: 'drive.import.requested', provider: 'google_drive', operationKind: 'drive_import' },
  gmail_import: { topic: 'gmail.import.requested', provider: 'gmail', operationKind: 'gmail_import' },
};

/** What a claimed job carries into the stage. */
export interface ClaimedConnectorJob {
  id: string;
  userId: string;
  accountId: string;
  /** The extraction job the files are imported into. */
  jobId: string;
  jobType: ConnectorJobType;
  payload: Record<string, unknown>;
  /** The claim token: this claim's attempt number. */
  attempts: number;
  maxAttempts: number;
  operationId: string | null;
}

/** One file's outcome, kept on the job's `result` for `GET /v1/imports/{id}`. */
export interface ImportedFileOutcome {
  externalId: string;
  filename: string;
  sourceFileId: string | null;
  /** `unpacked`: a ZIP archive whose members are listed as their own files. */
  outcome: 'imported' | 'skipped' | 'failed' | 'unpacked';
  error?: string;
}

export interface ImportResult {
  imported: number;
  skipped: number;
  failed: number;
  files: ImportedFileOutcome[];
}

// A worker that died holding a job loses it after this long without a heartbeat (progress
// writes touch `updated_at`); the function timeout is 9 min.
export const CONNECTOR_JOB_LEASE_SECONDS = 600;

export function jobRef(job: Pick<ClaimedConnectorJob, 'id' | 'userId' | 'accountId' | 'jobType'>): ConnectorJobRef {
  return { userId: job.userId, accountId: job.accountId, provider: connectorJobRoutes[job.jobType].provider, jobId: job.id, jobType: job.jobType };
}

/**
 * Creates a pending connector job, the operation that follows it, its `*.import.requested`
 * message (outbox) and the `connector_job_scheduled` event, in one transaction. The caller
 * relays the returned outbox ids after commit.
 */
export async function scheduleConnectorJob(
  db: Kysely<Database>,
  input: { userId: string; accountId: string; jobId: string; jobType: ConnectorJobType; payload: Record<string, unknown>; maxAttempts?: number },
): Promise<{ connectorJobId: string; operationId: string; outboxIds: number[] }> {
  const route = connectorJobRoutes[input.jobType];
  const connectorJobId = randomUUID();
  const operationId = randomUUID();
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('operations').values({
      id: operationId, user_id: input.userId, kind: route.operationKind, subject_id: connectorJobId, status: 'pending', stage: 'Waiting to start',
    }).execute();
    const job = await trx.insertInto('connector_jobs').values({
      id: connectorJobId, integration_account_id: input.accountId, job_id: input.jobId, operation_id: operationId, job_type: input.jobType,
      status: 'pending', attempts: 0, max_attempts: input.maxAttempts ?? 3, payload: JSON.stringify(input.payload),
    }).returning('scheduled_at').executeTakeFirstOrThrow();
    await recordJobScheduled(trx, { userId: input.userId, accountId: input.accountId, provider: route.provider, jobId: connectorJobId, jobType: input.jobType }, { scheduledAt: job.scheduled_at });
    const outboxIds = await addToOutbox(trx, [topicMessage(route.topic, { connectorJobId }, `${route.topic}:${connectorJobId}:a0`)]);
    return { connectorJobId, operationId, outboxIds };
  });
}

/**
 * Claims a job in one statement: `pending` and due, or `running` under a lapsed lease.
 * Returns undefined when there is nothing to do (finished, or held by a live worker): a
 * duplicate delivery then changes nothing. A pending job that is not due yet (a message
 * that came early: the retry's own message is scheduled at the due time, but a late
 * redelivery of an older one may arrive first) throws RetryAfterError for the time left,
 * so the message comes back when the job is due.
 */
export async function claimConnectorJob(db: Kysely<Database>, connectorJobId: string): Promise<ClaimedConnectorJob | undefined> {
  // Two statements see two clocks: a retry that falls due between the claim and the look
  // at its due time is claimed again rather than taken for "nothing to do" (which dropped
  // the message and left the job to the stuck-job sweep). A job still unclaimable on the
  // second try can never be claimed (its job or account is gone).
  for (let tries = 0; tries < 2; tries++) {
    const row = await claimDueJob(db, connectorJobId);
    if (row) return startClaim(db, row);
    const waiting = await db.selectFrom('connector_jobs')
      .select(sql<number>`extract(epoch from (next_attempt_at - now()))::float8`.as('seconds_left'))
      .where('id', '=', connectorJobId).where('status', '=', 'pending').where('next_attempt_at', 'is not', null)
      .executeTakeFirst();
    if (!waiting) return undefined;
    const secondsLeft = Number(waiting.seconds_left);
    if (secondsLeft > 0) throw new RetryAfterError('The connector job is not due yet', Math.max(0.01, secondsLeft));
  }
  return undefined;
}

/** The claim itself: one UPDATE of a job that is `pending` and due, or `running` under a lapsed lease. */
function claimDueJob(db: Kysely<Database>, connectorJobId: string) {
  return db
    .updateTable('connector_jobs as c')
    .from('integration_accounts as a')
    .set((eb) => ({
      status: 'running',
      attempts: eb('c.attempts', '+', 1),
      started_at: sql`coalesce(c.started_at, now())`,
      updated_at: sql`now()`,
    }))
    .whereRef('a.id', '=', 'c.integration_account_id')
    .where('c.id', '=', connectorJobId)
    .where('c.job_id', 'is not', null)
    .where((eb) => eb.or([
      eb.and([eb('c.status', '=', 'pending'), eb.or([eb('c.next_attempt_at', 'is', null), eb('c.next_attempt_at', '<=', sql<Date>`now()`)])]),
      eb.and([eb('c.status', '=', 'running'), eb('c.updated_at', '<', sql<Date>`now() - make_interval(secs => ${CONNECTOR_JOB_LEASE_SECONDS})`)]),
    ]))
    .returning(['c.id', 'a.user_id', 'c.integration_account_id', 'c.job_id', 'c.job_type', 'c.payload', 'c.attempts', 'c.max_attempts', 'c.operation_id'])
    .executeTakeFirst();
}

/** The claimed job, with its operation marked started and `connector_sync_started` recorded. */
async function startClaim(db: Kysely<Database>, row: NonNullable<Awaited<ReturnType<typeof claimDueJob>>>): Promise<ClaimedConnectorJob> {
  const claim: ClaimedConnectorJob = {
    id: row.id, userId: row.user_id, accountId: row.integration_account_id, jobId: row.job_id!, jobType: row.job_type as ConnectorJobType,
    payload: (row.payload ?? {}) as Record<string, unknown>, attempts: row.attempts, maxAttempts: row.max_attempts, operationId: row.operation_id,
  };
  await db.transaction().execute(async (trx) => {
    if (claim.operationId) {
      await trx.updateTable('operations').set({ status: 'in_progress', stage: 'Starting', updated_at: sql`now()` })
        .where('id', '=', claim.operationId).where('status', 'in', ['pending', 'in_progress']).execute();
    }
    await recordSyncStarted(trx, jobRef(claim), { attempt: claim.attempts });
  });
  return claim;
}

/**
 * Writes progress (pct, stage text) on the job's operation and renews the claim's lease.
 * False when the claim was lost (another worker took the job over): the caller stops.
 */
export async function reportImportProgress(db: Kysely<Database>, claim: ClaimedConnectorJob, progress: { pct: number; stage: string }): Promise<boolean> {
  const held = await db.updateTable('connector_jobs').set({ updated_at: sql`now()` })
    .where('id', '=', claim.id).where('status', '=', 'running').where('attempts', '=', claim.attempts)
    .returning('id').executeTakeFirst();
  if (!held) return false;
  if (claim.operationId) {
    await db.updateTable('operations')
      .set({ pct: Math.max(0, Math.min(99, Math.floor(progress.pct))), stage: progress.stage.slice(0, 200), updated_at: sql`now()` })
      .where('id', '=', claim.operationId).where('status', '=', 'in_progress').execute();
  }
  return true;
}

/**
 * Finishes the job as `success` with its counts, records the account's sync
 * (`markAccountSynced`) and the Drive changes token each imported or synced folder of the
 * job syncs from next (`drive_sync_folders`), completes the operation and
 * writes `connector_sync_completed`, in one transaction guarded by the claim.
 */
export async function completeConnectorJob(
  db: Kysely<Database>, claim: ClaimedConnectorJob, result: ImportResult, options: { syncTokens?: { folderId: string; pageToken: string }[]; stage: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = await trx.updateTable('connector_jobs')
      .set({ status: 'success', finished_at: sql`now()`, updated_at: sql`now()`, next_attempt_at: null, result: JSON.stringify(result) })
      .where('id', '=', claim.id).where('status', '=', 'running').where('attempts', '=', claim.attempts)
      .returning('id').executeTakeFirst();
    if (!done) return false;
    await markAccountSynced(trx, claim.accountId);
    if (options.syncTokens && options.syncTokens.length > 0) {
      await trx.insertInto('drive_sync_folders')
        .values(options.syncTokens.map((t) => ({ job_id: claim.jobId, integration_account_id: claim.accountId, folder_id: t.folderId, page_token: t.pageToken })))
        .onConflict((oc) => oc.columns(['job_id', 'integration_account_id', 'folder_id']).doUpdateSet((eb) => ({ page_token: eb.ref('excluded.page_token'), updated_at: sql`now()` })))
        .execute();
    }
    if (claim.operationId) {
      await trx.updateTable('operations')
        .set({ status: 'completed', pct: 100, stage: options.stage.slice(0, 200), updated_at: sql`now()`, completed_at: sql`now()` })
        .where('id', '=', claim.operationId).execute();
    }
    await recordSyncCompleted(trx, jobRef(claim), { filesImported: result.imported, filesSkipped: result.skipped });
    return true;
  });
}

/**
 * After a job-level failure: a PermanentError, or the last attempt, fails the job (the
 * operation too) and writes `connector_sync_failed`; anything else puts it back to
 * `pending` due in `delaySeconds`, with its retry message (outbox, delivered at the due time) and
 * `connector_job_retried`. Guarded by the claim; returns the outbox ids to relay.
 */
export async function settleFailedAttempt(
  db: Kysely<Database>, claim: ClaimedConnectorJob, failure: { error: Error; delaySeconds: number; partial: ImportResult },
): Promise<{ outcome: 'retry' | 'failed' | 'lost'; outboxIds: number[] }> {
  const message = failure.error.message.slice(0, 1000);
  const giveUp = failure.error instanceof PermanentError || claim.attempts >= claim.maxAttempts;
  const ref = jobRef(claim);
  return db.transaction().execute(async (trx) => {
    const guard = trx.updateTable('connector_jobs')
      .where('id', '=', claim.id).where('status', '=', 'running').where('attempts', '=', claim.attempts);
    if (giveUp) {
      const done = await guard
        .set({ status: 'failed', finished_at: sql`now()`, updated_at: sql`now()`, next_attempt_at: null, last_error_message: message, result: JSON.stringify(failure.partial) })
        .returning('id').executeTakeFirst();
      if (!done) return { outcome: 'lost' as const, outboxIds: [] };
      if (claim.operationId) {
        await trx.updateTable('operations')
          .set({ status: 'failed', error_message: message, stage: 'Import failed', updated_at: sql`now()`, completed_at: sql`now()` })
          .where('id', '=', claim.operationId).execute();
      }
      const code = failure.error instanceof PermanentError ? failure.error.code : 'attempts_exhausted';
      await recordSyncFailed(trx, ref, { errorCode: code, errorMessage: message });
      return { outcome: 'failed' as const, outboxIds: [] };
    }
    const delay = Math.max(0, failure.delaySeconds);
    const done = await guard
      .set({
        status: 'pending', updated_at: sql`now()`, last_error_message: message, backoff_seconds: Math.ceil(delay),
        next_attempt_at: sql`now() + make_interval(secs => ${delay})`,
      })
      .returning('id').executeTakeFirst();
    if (!done) return { outcome: 'lost' as const, outboxIds: [] };
    if (claim.operationId) {
      await trx.updateTable('operations')
        .set({ stage: `Retrying in ${formatDelay(delay)} (attempt ${claim.attempts} of ${claim.maxAttempts} failed)`, updated_at: sql`now()` })
        .where('id', '=', claim.operationId).execute();
    }
    await recordJobRetried(trx, ref, { attempts: claim.attempts, maxAttempts: claim.maxAttempts, errorMessage: message });
    const topic = connectorJobRoutes[claim.jobType].topic;
    // Delivered at the job's due time (the documented 15 s -> 60 s -> 5 min is the real
    // wait): the outbox keeps the delay, Cloud Tasks publishes it at its scheduleTime.
    const outboxIds = await addToOutbox(trx, [topicMessage(topic, { connectorJobId: claim.id }, `${topic}:${claim.id}:a${claim.attempts}`, { delaySeconds: delay })]);
    return { outcome: 'retry' as const, outboxIds };
  });
}

function formatDelay(seconds: number): string {
  if (seconds >= 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.max(1, Math.round(seconds))} s`;
}
