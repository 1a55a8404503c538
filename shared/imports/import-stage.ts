import { continueAutomationAfterImport } from '../automations/chain.js';
import { PermanentError, RetryAfterError } from '../errors.js';
import { gmailDisabledError } from '../google/gmail-feature.js';
import { uploadLimit } from '../files/uploads.js';
import { googleClientFor } from '../google/credentials.js';
import type { MessageOf } from '../messaging/contracts.js';
import { relayAfterCommit } from '../outbox/outbox.js';
import { noteUnit } from '../unit-log.js';
import type { Platform } from '../platform.js';
import {
  claimConnectorJob, completeConnectorJob, connectorJobRoutes, settleFailedAttempt, type ClaimedConnectorJob,
} from './connector-jobs.js';
import { importDriveSelection, syncDriveFolder, type DriveImportOutcome } from './drive-import.js';
import { importGmailAttachments, type GmailAttachmentRef } from './gmail-import.js';
import { classifyGoogleError } from './google-errors.js';
import { ImportTally, LostClaimError, type ImportContext } from './import-context.js';
import { importRetryDelay, importRetryPolicy } from './retry-policy.js';

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
  if (!claim) {
    noteUnit({ outcome: 'skipped' });
    return continueAutomationAfterImport(platform, message.connectorJobId);
  }
  noteUnit({ attempt: claim.attempts });
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
    const finished = await completeConnectorJob(db, claim, tally.result(), { ...outcome, autoRunDebounceSeconds: platform.limits?.autoRunDebounceSeconds });
    await relayAfterCommit(platform, finished.outboxIds);
  } catch (error) {
    if (error instanceof LostClaimError) {
      noteUnit({ outcome: 'skipped' });
      return;
    }
    const failure = classifyGoogleError(error);
    const retryAfter = failure instanceof RetryAfterError ? failure.retryAfterSeconds : 0;
    const delaySeconds = importRetryDelay(importRetryPolicy(), claim.attempts, retryAfter);
    const settled = await settleFailedAttempt(db, claim, { error: failure, delaySeconds, partial: tally.result() });
    noteUnit({ outcome: settled.outcome === 'retry' ? 'retried' : settled.outcome === 'failed' ? 'failed' : 'skipped', errorClass: failure.name });
    if (settled.outcome === 'failed') platform.log.warn('connector job failed', { connectorJobId: claim.id, error: failure.message });
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
      return syncDriveFolder(ctx, claim.payload as { folderId?: string }, await storedDriveToken(ctx.platform, claim));
    case 'gmail_import':
      return importGmailAttachments(ctx, claim.payload as { attachments?: GmailAttachmentRef[] });
  }
}

async function storedDriveToken(platform: Platform, claim: ClaimedConnectorJob): Promise<string | null> {
  const row = await platform.database.db.selectFrom('integration_accounts').select('drive_page_token').where('id', '=', claim.accountId).executeTakeFirst();
  return row?.drive_page_token ?? null;
}
