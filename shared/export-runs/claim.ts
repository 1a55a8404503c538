import { sql, type Kysely } from 'kysely';
import { recordActivity } from '../activity/activity.js';
import type { Database } from '../db/index.js';
import type { ExportFileType } from '../exports/index.js';
import type { FieldSpec } from '../extraction/types.js';
import { millisecondsSince, recordStep } from '../operations/steps.js';
import { addUsage } from '../usage/usage.js';
import { emitWebhookEvent } from '../webhooks/events.js';
import type { ExportDestination, ExportOptions } from './exports.js';

/** An export this worker holds: what the delivery needs, nothing more. */
export interface ClaimedExport {
  id: string;
  runId: string;
  jobId: string;
  userId: string;
  jobName: string;
  runNumber: number;
  destType: ExportDestination;
  fileType: ExportFileType;
  accountId: string | null;
  options: ExportOptions;
  attempts: number;
  /** The last failure of an earlier attempt, if any. */
  lastError: string | null;
  /** Set when an earlier attempt got as far as the delivering call (the Gmail send). */
  deliveryKey: string | null;
  deliveryStartedAt: Date | null;
  fields: FieldSpec[];
  /** The operation that follows the export, whose audit trail gets one `export` step per attempt. */
  operationId: string | null;
  /** When this attempt claimed the export. */
  claimedAt: Date;
}

// A worker that died holding an export loses it after this long (the function timeout is 9 min).
export const EXPORT_LEASE_SECONDS = 600;
/** Attempts before an export that keeps failing for passing reasons is failed for good. */
export const MAX_EXPORT_ATTEMPTS = 5;

/**
 * Claims an export for `workerId` in one statement: pending, or in progress under a lapsed
 * lease. Returns undefined when there is nothing to do (finished already, or held by a live
 * worker): a duplicate delivery then changes nothing.
 */
export async function claimExport(db: Kysely<Database>, exportId: string, workerId: string): Promise<ClaimedExport | undefined> {
  const row = await db
    .updateTable('job_exports as e')
    .from(['job_runs as r', 'extraction_jobs as j'])
    .set((eb) => ({
      status: 'in_progress',
      attempts: eb('e.attempts', '+', 1),
      locked_by: workerId,
      locked_at: sql`now()`,
      updated_at: sql`now()`,
    }))
    .whereRef('r.id', '=', 'e.run_id')
    .whereRef('j.id', '=', 'r.job_id')
    .where('e.id', '=', exportId)
    .where((eb) => eb.or([
      eb('e.status', '=', 'pending'),
      eb.and([eb('e.status', '=', 'in_progress'), eb('e.locked_at', '<', sql<Date>`now() - make_interval(secs => ${EXPORT_LEASE_SECONDS})`)]),
    ]))
    .returning([
      'e.id', 'e.run_id', 'r.job_id', 'j.user_id', 'j.name', 'r.run_number', 'e.dest_type', 'e.file_type', 'e.account_id', 'e.options',
      'e.attempts', 'e.error_message', 'e.delivery_key', 'e.delivery_started_at', 'r.fields_snapshot', 'e.operation_id', 'e.locked_at',
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.operation_id) {
    await db.updateTable('operations').set({ status: 'in_progress', stage: `Exporting (attempt ${row.attempts})`, updated_at: sql`now()` })
      .where('id', '=', row.operation_id).where('status', 'in', ['pending', 'in_progress']).execute();
  }
  return {
    id: row.id, runId: row.run_id, jobId: row.job_id, userId: row.user_id, jobName: row.name ?? 'Extraction job', runNumber: row.run_number,
    destType: row.dest_type as ExportDestination, fileType: row.file_type as ExportFileType, accountId: row.account_id,
    options: (row.options ?? {}) as ExportOptions, attempts: row.attempts, lastError: row.error_message,
    deliveryKey: row.delivery_key, deliveryStartedAt: row.delivery_started_at, fields: row.fields_snapshot as unknown as FieldSpec[],
    operationId: row.operation_id, claimedAt: row.locked_at!,
  };
}

/** What a finished delivery recorded. */
export interface DeliveredExport {
  /** Drive file id, Gmail message id, or the object name of a download. */
  externalId: string;
  fileName: string;
  rows: number;
  objectName?: string;
  /** Where it went, for the activity log ("saved to Google Drive", "emailed to a@b.c"). */
  where: string;
}

const DEST_NAMES: Record<ExportDestination, string> = { download: 'download', gdrive: 'Google Drive', gmail: 'Gmail' };

/**
 * Records how this attempt ended on the export's operation: its `export` step, and, when
 * it ended the export, the operation's final state. In the transaction of the outcome.
 */
async function recordExportAttempt(trx: Kysely<Database>, claimed: ClaimedExport, outcome: { status: 'completed' | 'failed' | 'retried'; error?: string; rows?: number; stage?: string }): Promise<void> {
  if (!claimed.operationId) return;
  await recordStep(trx, {
    operationId: claimed.operationId, key: `export:a${claimed.attempts}`, name: 'export', status: outcome.status,
    startedAt: claimed.claimedAt, durationMs: millisecondsSince(sql<Date>`${claimed.claimedAt}::timestamptz`), retryCount: claimed.attempts - 1,
    errorMessage: outcome.error, data: { destType: claimed.destType, fileType: claimed.fileType, ...(outcome.rows !== undefined ? { rows: outcome.rows } : {}) },
  });
  if (outcome.status === 'retried') return;
  await trx.updateTable('operations').set({
    status: outcome.status, pct: 100, stage: outcome.stage ?? null, error_message: outcome.error ?? null, updated_at: sql`now()`, completed_at: sql`now()`,
  }).where('id', '=', claimed.operationId).execute();
}

const usageOfExport = { download: 'exportsDownload', gdrive: 'exportsGdrive', gmail: 'exportsGmail' } as const;

function exportName(claimed: ClaimedExport): string {
  return `Export of ${claimed.jobName} run #${claimed.runNumber} as ${claimed.fileType.toUpperCase()}`;
}

/**
 * Records the delivery, its `export_completed` event and webhook, guarded by the claim: a
 * worker that lost its claim writes nothing (and answers null); otherwise the outbox ids to relay.
 */
export async function completeExport(db: Kysely<Database>, claimed: ClaimedExport, workerId: string, delivered: DeliveredExport): Promise<number[] | null> {
  return db.transaction().execute(async (trx) => {
    const done = await trx.updateTable('job_exports')
      .set({
        status: 'completed', external_id: delivered.externalId, file_name: delivered.fileName, rows_exported: delivered.rows,
        object_name: delivered.objectName ?? null, error_message: null, error_code: null, locked_by: null,
        completed_at: sql`now()`, updated_at: sql`now()`,
      })
      .where('id', '=', claimed.id).where('locked_by', '=', workerId).where('status', '=', 'in_progress')
      .returning('id')
      .executeTakeFirst();
    if (!done) return null;
    await recordActivity(trx, {
      userId: claimed.userId, kind: 'export_completed',
      context: { exportId: claimed.id, runId: claimed.runId, jobId: claimed.jobId, destType: claimed.destType, fileType: claimed.fileType, externalId: delivered.externalId, rows: delivered.rows },
      description: `${exportName(claimed)} ${delivered.where} - ${delivered.rows} ${delivered.rows === 1 ? 'row' : 'rows'}`,
      dedupeKey: `export_completed:${claimed.id}`,
    });
    await recordExportAttempt(trx, claimed, { status: 'completed', rows: delivered.rows, stage: `Exported ${delivered.rows} ${delivered.rows === 1 ? 'row' : 'rows'} ${delivered.where}` });
    await addUsage(trx, claimed.userId, { [usageOfExport[claimed.destType]]: 1 });
    return emitWebhookEvent(trx, {
      userId: claimed.userId, type: 'export.completed', eventKey: `export.completed:${claimed.id}`,
      data: { exportId: claimed.id, runId: claimed.runId, jobId: claimed.jobId, destType: claimed.destType, fileType: claimed.fileType, fileName: delivered.fileName, rows: delivered.rows },
    });
  });
}

/** Fails the export for good with its reason, writes `export_failed` and its webhook, guarded by the claim (null when lost). */
export async function failExport(db: Kysely<Database>, claimed: ClaimedExport, workerId: string, failure: { code: string; message: string }): Promise<number[] | null> {
  return db.transaction().execute(async (trx) => {
    const done = await trx.updateTable('job_exports')
      .set({ status: 'failed', error_code: failure.code.slice(0, 100), error_message: failure.message, locked_by: null, updated_at: sql`now()` })
      .where('id', '=', claimed.id).where('locked_by', '=', workerId).where('status', '=', 'in_progress')
      .returning('id')
      .executeTakeFirst();
    if (!done) return null;
    await recordActivity(trx, {
      userId: claimed.userId, kind: 'export_failed',
      context: { exportId: claimed.id, runId: claimed.runId, jobId: claimed.jobId, destType: claimed.destType, fileType: claimed.fileType, errorCode: failure.code },
      description: `${exportName(claimed)} to ${DEST_NAMES[claimed.destType]} failed - ${failure.message}`,
      dedupeKey: `export_failed:${claimed.id}`,
    });
    await recordExportAttempt(trx, claimed, { status: 'failed', error: failure.message, stage: 'Export failed' });
    return emitWebhookEvent(trx, {
      userId: claimed.userId, type: 'export.failed', eventKey: `export.failed:${claimed.id}`,
      data: { exportId: claimed.id, runId: claimed.runId, jobId: claimed.jobId, destType: claimed.destType, fileType: claimed.fileType, errorCode: failure.code, error: failure.message },
    });
  });
}

/**
 * Hands the export back (pending, with the reason) after a passing failure, so the redelivery
 * that follows claims it at once instead of waiting for the lease to lapse.
 */
export async function releaseExport(db: Kysely<Database>, claimed: ClaimedExport, workerId: string, failure: { code: string; message: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const released = await trx.updateTable('job_exports')
      .set({ status: 'pending', error_code: failure.code.slice(0, 100), error_message: failure.message, locked_by: null, locked_at: null, updated_at: sql`now()` })
      .where('id', '=', claimed.id).where('locked_by', '=', workerId).where('status', '=', 'in_progress')
      .returning('id').executeTakeFirst();
    if (released) await recordExportAttempt(trx, claimed, { status: 'retried', error: failure.message });
  });
}

/**
 * Commits the idempotency marker of a delivery before the call that delivers: `key` (the
 * Gmail Message-ID) and the time. False when the claim was lost (then nothing may be sent).
 */
export async function markDeliveryStarted(db: Kysely<Database>, claimed: ClaimedExport, workerId: string, key: string): Promise<boolean> {
  const row = await db.updateTable('job_exports')
    .set({ delivery_key: key, delivery_started_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', claimed.id).where('locked_by', '=', workerId).where('status', '=', 'in_progress')
    .returning('delivery_started_at')
    .executeTakeFirst();
  return row !== undefined;
}

/** Clears the marker after the far side refused the delivery outright (nothing was delivered). */
export async function clearDeliveryStarted(db: Kysely<Database>, claimed: ClaimedExport, workerId: string): Promise<void> {
  await db.updateTable('job_exports')
    .set({ delivery_started_at: null, updated_at: sql`now()` })
    .where('id', '=', claimed.id).where('locked_by', '=', workerId).where('status', '=', 'in_progress')
    .execute();
}
