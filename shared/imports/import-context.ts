import { drive, type drive_v3 } from '@googleapis/drive';
import { gmail, type gmail_v1 } from '@googleapis/gmail';
import type { OAuth2Client } from 'google-auth-library';
import type { Platform } from '../platform.js';
import { reportImportProgress, type ClaimedConnectorJob, type ImportedFileOutcome, type ImportResult } from './connector-jobs.js';

/** Everything one claimed import works with. */
export interface ImportContext {
  platform: Platform;
  claim: ClaimedConnectorJob;
  auth: OAuth2Client;
  tally: ImportTally;
  /** The user's per-file size limit (user_settings.max_upload_bytes). */
  limitBytes: number;
}

/**
 * In-process retries of one call: network errors and 5xx a couple of times within the
 * invocation (gaxios' short exponential backoff), but never 429: a rate limit reschedules
 * the whole job honouring `Retry-After` (import-stage.ts), so the wait is data on the row
 * and not a sleeping function.
 */
const callRetry = {
  retry: true,
  retryConfig: { retry: 2, noResponseRetries: 2, statusCodesToRetry: [[500, 599]] as [number, number][], httpMethodsToRetry: ['GET', 'HEAD'] },
};

/** The Drive v3 client as production builds it; pointed at the local double when the platform says so. */
export function driveApi(platform: Platform, auth: OAuth2Client): drive_v3.Drive {
  const rootUrl = platform.google.endpoints?.rootUrl;
  return drive({ version: 'v3', auth, ...callRetry, ...(rootUrl ? { rootUrl } : {}) });
}

/** The Gmail v1 client, likewise. */
export function gmailApi(platform: Platform, auth: OAuth2Client): gmail_v1.Gmail {
  const rootUrl = platform.google.endpoints?.rootUrl;
  return gmail({ version: 'v1', auth, ...callRetry, ...(rootUrl ? { rootUrl } : {}) });
}

/** Thrown when the job was taken over by another worker (lapsed lease): stop, write nothing more. */
export class LostClaimError extends Error {
  override readonly name = 'LostClaimError';
}

// Progress writes at most this often (plus the first and the last): 200 files cost a
// handful of writes, not 400.
const PROGRESS_INTERVAL_MS = 250;

/** Per-file outcomes and counts of one import, with throttled progress on the operation. */
export class ImportTally {
  readonly files: ImportedFileOutcome[] = [];
  total = 0;
  private lastWrite = 0;

  constructor(private readonly platform: Platform, private readonly claim: ClaimedConnectorJob, private readonly noun: string) {}

  get done(): number {
    return this.files.filter((f) => f.outcome !== 'unpacked').length;
  }

  add(outcome: ImportedFileOutcome): void {
    this.files.push(outcome);
  }

  /** "Importing 37 of 200 files" on the operation, throttled; throws LostClaimError when the claim is gone. */
  async progress(force = false, stage?: string): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastWrite < PROGRESS_INTERVAL_MS) return;
    this.lastWrite = now;
    const done = Math.min(this.done, this.total);
    const pct = this.total === 0 ? 0 : (done / this.total) * 100;
    const text = stage ?? `Importing ${done} of ${this.total} ${this.noun}${this.total === 1 ? '' : 's'}`;
    if (!(await reportImportProgress(this.platform.database.db, this.claim, { pct, stage: text }))) {
      throw new LostClaimError('The connector job was taken over by another worker');
    }
  }

  result(): ImportResult {
    const count = (o: ImportedFileOutcome['outcome']) => this.files.filter((f) => f.outcome === o).length;
    return {
      imported: count('imported'), skipped: count('skipped'), failed: count('failed'),
      files: this.files.map(({ externalId, filename, sourceFileId, outcome, error }) => ({ externalId, filename, sourceFileId, outcome, ...(error ? { error } : {}) })),
    };
  }
}
