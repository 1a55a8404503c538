import type { Kysely } from 'kysely';
import type { ConnectorJobType } from '../activity/connector-events.js';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { requireGmailEnabled } from '../google/gmail-feature.js';
import { scheduleConnectorJob, type ImportedFileOutcome } from './connector-jobs.js';
import type { GmailAttachmentRef } from './gmail-import.js';
import { isUsableAccountStatus } from '../google/credentials.js';

/** What a request to import asks for, by kind. */
export type ImportRequest =
  | { kind: 'drive_import'; fileIds: string[]; folderIds: string[] }
  | { kind: 'incremental_sync'; folderId: string }
  | { kind: 'gmail_import'; attachments: GmailAttachmentRef[] };

/**
 * Schedules an import into one of the user's jobs from one of their connected Google
 * accounts: owner checks (404 for a job or account that is not theirs), the account must
 * be `connected` (409), Gmail must be turned on (403 `feature_disabled`), a sync needs the
 * changes token of an earlier import (409). The connector job, its operation, message and
 * `connector_job_scheduled` event commit together; relay `outboxIds` after.
 */
export async function requestImport(
  db: Kysely<Database>,
  input: { userId: string; jobId: string; accountId: string; gmailEnabled: boolean; request: ImportRequest },
): Promise<{ connectorJobId: string; operationId: string; outboxIds: number[] }> {
  const { request } = input;
  if (request.kind === 'gmail_import') requireGmailEnabled(input.gmailEnabled, 'Gmail imports');
  const job = await db.selectFrom('extraction_jobs').select('id').where('id', '=', input.jobId).where('user_id', '=', input.userId).executeTakeFirst();
  if (!job) throw new HttpError(404, 'not_found', 'Extraction job not found');
  const account = await db.selectFrom('integration_accounts').select(['id', 'status', 'provider'])
    .where('id', '=', input.accountId).where('user_id', '=', input.userId).executeTakeFirst();
  if (!account || account.provider !== 'google') throw new HttpError(404, 'not_found', 'Google account not found');
  if (!isUsableAccountStatus(account.status)) {
    throw new HttpError(409, 'account_not_connected', `The Google account is ${account.status}: reconnect it before importing`);
  }
  if (request.kind === 'incremental_sync') {
    const token = await db.selectFrom('drive_sync_folders').select('page_token')
      .where('job_id', '=', input.jobId).where('integration_account_id', '=', input.accountId).where('folder_id', '=', request.folderId).executeTakeFirst();
    if (!token) throw new HttpError(409, 'no_sync_token', 'Import the folder into this job once before syncing it');
  }
  const payload: Record<string, unknown> =
    request.kind === 'drive_import' ? { fileIds: request.fileIds, folderIds: request.folderIds }
      : request.kind === 'incremental_sync' ? { folderId: request.folderId }
        : { attachments: request.attachments };
  return scheduleConnectorJob(db, { userId: input.userId, accountId: input.accountId, jobId: input.jobId, jobType: request.kind, payload });
}

/** `GET /v1/imports/{id}`: a connector job as its owner sees it. */
export interface ImportView {
  id: string;
  jobId: string | null;
  accountId: string;
  jobType: ConnectorJobType;
  status: 'pending' | 'running' | 'success' | 'failed' | 'cancelled';
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  operationId: string | null;
  counts: { imported: number; skipped: number; failed: number } | null;
  files: ImportedFileOutcome[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** One of the user's connector jobs, with per-file outcomes once it has finished (404 for anyone else's). */
export async function findImport(db: Kysely<Database>, userId: string, connectorJobId: string): Promise<ImportView> {
  const row = await db.selectFrom('connector_jobs as c')
    .innerJoin('integration_accounts as a', 'a.id', 'c.integration_account_id')
    .selectAll('c')
    .where('c.id', '=', connectorJobId).where('a.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new HttpError(404, 'not_found', 'Import not found');
  const result = row.result as { imported?: number; skipped?: number; failed?: number; files?: ImportedFileOutcome[] } | null;
  return {
    id: row.id, jobId: row.job_id, accountId: row.integration_account_id, jobType: row.job_type as ConnectorJobType, status: row.status as ImportView['status'],
    attempts: row.attempts, maxAttempts: row.max_attempts, lastError: row.last_error_message,
    nextAttemptAt: row.status === 'pending' && row.next_attempt_at ? row.next_attempt_at.toISOString() : null,
    operationId: row.operation_id,
    counts: result ? { imported: result.imported ?? 0, skipped: result.skipped ?? 0, failed: result.failed ?? 0 } : null,
    files: result?.files ?? [],
    createdAt: row.created_at.toISOString(), startedAt: row.started_at?.toISOString() ?? null, finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
