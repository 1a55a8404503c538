import { continueAutomationAfterImport } from '../automations/chain.js';
import { PermanentError, RetryAfterError, TransientError } from '../errors.js';
import { gmailDisabledError } from '../google/gmail-feature.js';
import { uploadLimit } from '../files/uploads.js';
import { googleClientFor } from '../google/credentials.js';
import type { MessageOf } from '../messaging/contracts.js';
import { relayAfterCommit } from '../outbox/outbox.js';
import type { Platform } from '../platform.js';
import {
  claimConnectorJob, completeConnectorJob, connectorJobRoutes, settleFailedAttempt, type ClaimedConnectorJob,
} from './connector-jobs.js';
import { importDriveSelection, syncDriveFolder, type DriveImportOutcome } from './drive-import.js';
import { importGmailAttachments, type GmailAttachmentRef } from './gmail-import.js';
import { classifyGoogleError } from './google-errors.js';
import { ImportTally, LostClaimError, type ImportContext } from './import-context.js';
import { importRetryDelay, importRetryPolicy } from './retry-policy.js';
import { recordAccountFailure } from '../google/credentials.js';

type ImportTopic = 'drive.import.requested' | 'gmail.import.requested';

/**
 * The drive-import and gmail-import stages: claim the connector job (a duplicate or late
 * delivery finds nothing to do), import, then in one transaction either finish it
 * (`success`, counts, `last_sync_at`, 100 %) or settle the failed attempt (retry message
 * through the outbox with backoff 15 s -> 60 s -> 5 min, or `failed` after `max_attempts`
 * or at once on a PermanentError such as a revoked account), and relay what it wrote.
 * Never throws for a failure it recorded; throws RetryAfterError for a retry message that
 * arrived before its job is due.
 */
export async function runConnectorJob<T extends ImportTopic>(platform: Platform, topic: T, message: MessageOf<T>): Promise<void> {
  const db = platform.database.db;
  const claim = await claimConnectorJob(db, message.connectorJobId);
  // A finished job: an automation's import asks for its run (again: idempotent), which heals a crash after the finish.
  if (!claim) return continueAutomationAfterImport(platform, message.connectorJobId);
  const tally = new ImportTally(platform, claim, 'file');
  try {
    if (connectorJobRoutes[claim.jobType].topic !== topic) {
      throw new PermanentError(`A ${claim.jobType} job reached the ${topic} stage`, 'invalid_message');
    }
    if (claim.jobType === 'gmail_import' && !platform.google.gmailEnabled) {
      throw gmailDisabledError('Gmail imports');
    }
    const ctx: ImportContext = { platform, claim, auth: await googleClientFor(platform, claim.accountId), tally, limitBytes: await uploadLimit(db, claim.userId) };
    const outcome = await importFor(ctx);
    await completeConnectorJob(db, claim, tally.result(), outcome);
  } catch (error) {
    if (error instanceof LostClaimError) return;
    const failure = classifyGoogleError(error);
    const retryAfter = failure instanceof RetryAfterError ? failure.retryAfterSeconds : 0;
    const delaySeconds = importRetryDelay(importRetryPolicy(), claim.attempts, retryAfter);
    const settled = await settleFailedAttempt(db, claim, { error: failure, delaySeconds, partial: tally.result() });
    if (settled.outcome === 'failed') {
      platform.log.warn('connector job failed', { connectorJobId: claim.id, error: failure.message });
      // Google kept failing (5xx, 429, a refusal): that counts towards the account's `error`;
      // a grant problem revoked or refused the account already, and our own faults are not its.
      if (isGoogleFailure(failure)) await recordAccountFailure(db, claim.accountId, { code: failureCode(failure), message: failure.message });
    }
    await relayAfterCommit(platform, settled.outboxIds);
  }
  await continueAutomationAfterImport(platform, claim.id);
}

async function importFor(ctx: ImportContext): Promise<DriveImportOutcome> {
  const { claim } = ctx;
  switch (claim.jobType) {
    case 'drive_import':
    case 'initial_sync':
      return importDriveSelection(ctx, claim.payload as { fileIds?: string[]; folderIds?: string[] });
    case 'incremental_sync':
      return syncDriveFolder(ctx, claim.payload as { folderId?: string }, await folderSyncToken(ctx.platform, claim));
    case 'gmail_import':
      return importGmailAttachments(ctx, claim.payload as { attachments?: GmailAttachmentRef[] });
  }
}

/** The changes token the job's folder syncs from (`drive_sync_folders`), null before its first import. */
async function folderSyncToken(platform: Platform, claim: ClaimedConnectorJob): Promise<string | null> {
  const folderId = (claim.payload as { folderId?: unknown }).folderId;
  if (typeof folderId !== 'string') return null;
  const row = await platform.database.db.selectFrom('drive_sync_folders').select('page_token')
    .where('job_id', '=', claim.jobId).where('integration_account_id', '=', claim.accountId).where('folder_id', '=', folderId).executeTakeFirst();
  return row?.page_token ?? null;
}

function isGoogleFailure(error: Error): boolean {
  if (error instanceof PermanentError) return error.code.startsWith('google_');
  return error instanceof RetryAfterError || error instanceof TransientError;
}

function failureCode(error: Error): string {
  if (error instanceof PermanentError) return error.code;
  return error instanceof RetryAfterError ? 'rate_limited' : 'unavailable';
}
