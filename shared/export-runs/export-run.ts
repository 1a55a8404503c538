import type { Writable } from 'node:stream';
import { PermanentError, RetryAfterError, errorMessage } from '../errors.js';
import { writeCsv } from '../exports/csv.js';
import { exportContentType, exportFileName } from '../exports/naming.js';
import type { MessageOf } from '../messaging/contracts.js';
import type { Platform } from '../platform.js';
import { noteUnit } from '../unit-log.js';
import { claimExport, completeExport, failExport, MAX_EXPORT_ATTEMPTS, releaseExport, type ClaimedExport } from './claim.js';
import { gmailDisabledError } from '../google/gmail-feature.js';
import { deliverDownload, deliverDrive, deliverGmail, type DeliveryContext, type ExportFile } from './destinations.js';
import { relayAfterCommit } from '../outbox/outbox.js';
import { exportColumns, exportRowBatches } from './rows.js';

export interface ExportRunOptions {
  /** Gmail: seconds an interrupted send may take to show in search before it is sent again (default 120). */
  gmailSettleSeconds?: number;
  /** Drive: bytes per resumable PUT (default 8 MiB). */
  driveChunkBytes?: number;
  /** Documents per page query (default EXPORT_BATCH_DOCUMENTS, 1,000). */
  batchSize?: number;
  signal?: AbortSignal;
}

const deliver = { download: deliverDownload, gdrive: deliverDrive, gmail: deliverGmail } as const;

/**
 * The export stage (`export.requested`): claims the export, streams the run's rows from
 * Postgres as CSV or XLSX straight into the destination, and records the outcome with its
 * activity event. Safe to run twice: an export finished or held by a live worker is left
 * alone, and each destination looks up what an earlier attempt delivered before delivering.
 *
 * A PermanentError fails the export with its reason (and is not rethrown: the message is
 * done); anything else hands the export back to `pending` and is rethrown, so the message
 * is redelivered, until MAX_EXPORT_ATTEMPTS.
 */
export async function exportRun(platform: Platform, message: MessageOf<'export.requested'>, opts: ExportRunOptions = {}): Promise<void> {
  const db = platform.database.db;
  const workerId = platform.workerId;
  const claimed = await claimExport(db, message.exportId, workerId);
  if (!claimed) {
    noteUnit({ outcome: 'skipped' });
    platform.log.info('export already finished or held by another worker', { exportId: message.exportId });
    return;
  }
  noteUnit({ attempt: claimed.attempts });
  if (claimed.attempts > MAX_EXPORT_ATTEMPTS) {
    noteUnit({ outcome: 'failed', errorClass: 'AttemptsExhausted' });
    const failure = { code: 'attempts_exhausted', message: `gave up after ${MAX_EXPORT_ATTEMPTS} attempts: ${claimed.lastError ?? 'unknown error'}` };
    await relayAfterCommit(platform, (await failExport(db, claimed, workerId, failure)) ?? []);
    return;
  }
  const context: DeliveryContext = {
    platform, claimed, workerId, file: exportFile(platform, claimed, opts),
    gmailSettleSeconds: opts.gmailSettleSeconds ?? 120, driveChunkBytes: opts.driveChunkBytes,
  };
  try {
    if (claimed.destType === 'gmail' && !platform.google.gmailEnabled) throw gmailDisabledError('Gmail exports');
    const delivered = await deliver[claimed.destType](context);
    const recorded = await completeExport(db, claimed, workerId, delivered);
    if (!recorded) platform.log.warn('export delivered but its claim was lost; the new claimant finds the delivery', { exportId: claimed.id });
    else await relayAfterCommit(platform, recorded);
  } catch (error) {
    if (error instanceof PermanentError) {
      noteUnit({ outcome: 'failed', errorClass: error.name });
      await relayAfterCommit(platform, (await failExport(db, claimed, workerId, { code: error.code, message: error.message })) ?? []);
      platform.log.warn('export failed', { exportId: claimed.id, code: error.code, error: error.message });
      return;
    }
    await releaseExport(db, claimed, workerId, { code: error instanceof RetryAfterError ? 'retry_after' : 'transient', message: errorMessage(error).slice(0, 1000) });
    throw error;
  }
}

/**
 * The XLSX writer, imported by the first XLSX export rather than when the function starts
 * (ExcelJS and its zip stack are most of the function's code). `out` is destroyed if the
 * import fails, as the writer itself would on failure.
 */
async function xlsxWriter(out: Writable): Promise<typeof import('../exports/xlsx.js').writeXlsx> {
  try {
    return (await import('../exports/xlsx.js')).writeXlsx;
  } catch (error) {
    out.destroy(error as Error);
    throw error;
  }
}

/** The export's file: named from the job and run, typed columns from the run's field snapshot. */
function exportFile(platform: Platform, claimed: ClaimedExport, opts: ExportRunOptions): ExportFile {
  const columns = exportColumns(claimed.fields);
  const batches = () => exportRowBatches(platform.database.db, claimed.runId, claimed.fields, { batchSize: opts.batchSize, signal: opts.signal });
  return {
    fileName: exportFileName(claimed.jobName, claimed.runNumber, claimed.fileType),
    contentType: exportContentType(claimed.fileType),
    writeTo: async (out) => claimed.fileType === 'xlsx'
      ? (await xlsxWriter(out))(columns, batches(), out, {
          sheetName: claimed.jobName,
          ...(claimed.options.sources
            ? { sources: exportRowBatches(platform.database.db, claimed.runId, claimed.fields, { batchSize: opts.batchSize, signal: opts.signal, withCitations: true }) }
            : {}),
        })
      : writeCsv(columns, batches(), out),
  };
}
