import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { GoogleService } from '../google/scopes.js';
import { recordActivity } from './activity.js';

/**
 * The connector events of seed 001 §3, each with its context shape and a sentence the
 * frontend shows. Every helper writes inside the caller's transaction when given one and is
 * idempotent through a dedupe key derived from the job or account (a redelivered message
 * writes the event once).
 *
 * `provider` in the context names the service (`google_drive`, `gmail`) for sync and job
 * events, and the identity provider (`google`) for connection events, where one Google
 * account carries both services.
 */

/** A service a connector job talks to. */
export type ConnectorService = 'google_drive' | 'gmail';
/** `connector_jobs.job_type`. */
export type ConnectorJobType = 'initial_sync' | 'incremental_sync' | 'drive_import' | 'gmail_import';

/** Which connector job an event is about. */
export interface ConnectorJobRef {
  userId: string;
  /** `integration_accounts.id` (seed 001's `connector_account_id`). */
  accountId: string;
  provider: ConnectorService;
  /** `connector_jobs.id`. */
  jobId: string;
  jobType: ConnectorJobType;
}

const SERVICE_NAMES: Record<ConnectorService, string> = { google_drive: 'Google Drive', gmail: 'Gmail' };

function jobContext(job: ConnectorJobRef): Record<string, unknown> {
  return { provider: job.provider, connector_account_id: job.accountId, job_id: job.jobId, job_type: job.jobType };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * `connector_sync_started`: a worker began (or, with `attempt`, began again) a connector job.
 * Written once per job and attempt.
 *
 * @example await recordSyncStarted(trx, { userId, accountId, provider: 'google_drive', jobId, jobType: 'drive_import' }, { attempt: 1 });
 */
export async function recordSyncStarted(db: Kysely<Database>, job: ConnectorJobRef, options: { attempt?: number } = {}): Promise<void> {
  await recordActivity(db, {
    userId: job.userId,
    kind: 'connector_sync_started',
    context: jobContext(job),
    description: `${SERVICE_NAMES[job.provider]} sync started`,
    dedupeKey: `connector_sync_started:${job.jobId}:${options.attempt ?? 1}`,
  });
}

/**
 * `connector_sync_completed`: the job finished; written once per job.
 * Description: "Google Drive sync completed - 37 files imported" (", 2 skipped" when any were).
 */
export async function recordSyncCompleted(db: Kysely<Database>, job: ConnectorJobRef, counts: { filesImported: number; filesSkipped: number }): Promise<void> {
  const skipped = counts.filesSkipped > 0 ? `, ${counts.filesSkipped} skipped` : '';
  await recordActivity(db, {
    userId: job.userId,
    kind: 'connector_sync_completed',
    context: { ...jobContext(job), files_imported: counts.filesImported, files_skipped: counts.filesSkipped },
    description: `${SERVICE_NAMES[job.provider]} sync completed - ${plural(counts.filesImported, 'file')} imported${skipped}`,
    dedupeKey: `connector_sync_completed:${job.jobId}`,
  });
}

/**
 * `connector_sync_failed`: the job gave up (permanent error or attempts exhausted); written
 * once per job. `errorMessage` must be safe to show (never a token or a response body).
 */
export async function recordSyncFailed(db: Kysely<Database>, job: ConnectorJobRef, error: { errorCode?: string; errorMessage?: string }): Promise<void> {
  const context: Record<string, unknown> = jobContext(job);
  if (error.errorCode) context.error_code = error.errorCode;
  if (error.errorMessage) context.error_message = error.errorMessage;
  await recordActivity(db, {
    userId: job.userId,
    kind: 'connector_sync_failed',
    context,
    description: `${SERVICE_NAMES[job.provider]} sync failed${error.errorMessage ? `: ${error.errorMessage}` : ''}`,
    dedupeKey: `connector_sync_failed:${job.jobId}`,
  });
}

/** `connector_job_scheduled`: a connector job was enqueued; written once per job. */
export async function recordJobScheduled(db: Kysely<Database>, job: ConnectorJobRef, options: { scheduledAt: Date }): Promise<void> {
  await recordActivity(db, {
    userId: job.userId,
    kind: 'connector_job_scheduled',
    context: { ...jobContext(job), scheduled_at: options.scheduledAt.toISOString() },
    description: `${SERVICE_NAMES[job.provider]} ${job.jobType === 'gmail_import' || job.jobType === 'drive_import' ? 'import' : 'sync'} scheduled`,
    dedupeKey: `connector_job_scheduled:${job.jobId}`,
  });
}

/**
 * `connector_job_retried`: attempt `attempts` of `maxAttempts` failed and the job will run
 * again; written once per job and attempt.
 */
export async function recordJobRetried(db: Kysely<Database>, job: ConnectorJobRef, options: { attempts: number; maxAttempts: number; errorMessage?: string }): Promise<void> {
  const context: Record<string, unknown> = { ...jobContext(job), attempts: options.attempts, max_attempts: options.maxAttempts };
  if (options.errorMessage) context.error_message = options.errorMessage;
  await recordActivity(db, {
    userId: job.userId,
    kind: 'connector_job_retried',
    context,
    description: `${SERVICE_NAMES[job.provider]} sync will be retried (attempt ${options.attempts} of ${options.maxAttempts} failed)`,
    dedupeKey: `connector_job_retried:${job.jobId}:${options.attempts}`,
  });
}

// ---- Connection lifecycle (written by the connections module) ----


function servicesLabel(services: readonly GoogleService[]): string {
  const names = services.map((s) => (s === 'drive' ? 'Drive' : 'Gmail'));
  return names.length > 0 ? ` (${names.join(', ')})` : '';
}

/** `connector_connect_started`: the user asked to connect (no account exists yet). */
export async function recordConnectStarted(db: Kysely<Database>, input: { userId: string; nonce: string; services: readonly GoogleService[] }): Promise<void> {
  await recordActivity(db, {
    userId: input.userId,
    kind: 'connector_connect_started',
    context: { provider: 'google', connector_account_id: null, services: [...input.services] },
    description: `Connecting a Google account${servicesLabel(input.services)}`,
    dedupeKey: `connector_connect_started:${input.nonce}`,
  });
}

/** `connector_connect_succeeded`: "Connected Google account ann@example.com (Drive, Gmail)". */
export async function recordConnectSucceeded(
  db: Kysely<Database>,
  input: { userId: string; accountId: string; email: string; services: readonly GoogleService[]; nonce: string },
): Promise<void> {
  await recordActivity(db, {
    userId: input.userId,
    kind: 'connector_connect_succeeded',
    context: { provider: 'google', connector_account_id: input.accountId, email: input.email, services: [...input.services] },
    description: `Connected Google account ${input.email}${servicesLabel(input.services)}`,
    dedupeKey: `connector_connect_succeeded:${input.nonce}`,
  });
}

/** `connector_connect_failed`: connecting did not work (consent denied, state reused, code rejected). */
export async function recordConnectFailed(
  db: Kysely<Database>,
  input: { userId: string; accountId?: string | null; email?: string | null; errorCode: string; errorMessage: string; dedupeKey?: string },
): Promise<void> {
  const who = input.email ? `Google account ${input.email}` : 'a Google account';
  const description = `Could not connect ${who}: ${input.errorMessage}`;
  await recordActivity(db, {
    userId: input.userId,
    kind: 'connector_connect_failed',
    context: { provider: 'google', connector_account_id: input.accountId ?? null, error_code: input.errorCode, error_message: input.errorMessage },
    description,
    ...(input.dedupeKey ? { dedupeKey: input.dedupeKey } : {}),
  });
}

/** `connector_account_revoked`: Google refused the stored grant; nothing is tried until the user reconnects. */
export async function recordAccountRevoked(
  db: Kysely<Database>, input: { userId: string; accountId: string; email: string | null; errorMessage: string; dedupeKey: string },
): Promise<void> {
  const who = input.email ? `Google account ${input.email}` : 'a Google account';
  await recordActivity(db, {
    userId: input.userId,
    kind: 'connector_account_revoked',
    context: { provider: 'google', connector_account_id: input.accountId, error_code: 'account_revoked', error_message: input.errorMessage },
    description: `Google revoked access to ${who}; reconnect it to resume imports and automations`,
    dedupeKey: input.dedupeKey,
  });
}

/** `connector_account_error`: several imports in a row failed; the account is still tried, and a success clears it. */
export async function recordAccountError(
  db: Kysely<Database>,
  input: { userId: string; accountId: string; email: string | null; errorCode: string; errorMessage: string; failures: number; dedupeKey: string },
): Promise<void> {
  const who = input.email ? `Google account ${input.email}` : 'a Google account';
  await recordActivity(db, {
    userId: input.userId,
    kind: 'connector_account_error',
    context: { provider: 'google', connector_account_id: input.accountId, error_code: input.errorCode, error_message: input.errorMessage, failures: input.failures },
    description: `${input.failures} imports in a row failed for ${who}: ${input.errorMessage}`,
    dedupeKey: input.dedupeKey,
  });
}

/** `connector_disconnect_started` / `_succeeded` / `_failed` for one account. */
export async function recordDisconnect(
  db: Kysely<Database>,
  phase: 'started' | 'succeeded' | 'failed',
  input: { userId: string; accountId: string; email: string | null; errorCode?: string; errorMessage?: string },
): Promise<void> {
  const who = input.email ? `Google account ${input.email}` : 'Google account';
  const context: Record<string, unknown> = { provider: 'google', connector_account_id: input.accountId };
  if (input.errorCode) context.error_code = input.errorCode;
  if (input.errorMessage) context.error_message = input.errorMessage;
  const description = {
    started: `Disconnecting ${who}`,
    succeeded: `Disconnected ${who}`,
    failed: `Could not disconnect ${who}${input.errorMessage ? `: ${input.errorMessage}` : ''}`,
  }[phase];
  await recordActivity(db, { userId: input.userId, kind: `connector_disconnect_${phase}`, context, description });
}
