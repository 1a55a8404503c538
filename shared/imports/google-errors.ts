import { PermanentError, RetryAfterError, TransientError, errorMessage } from '../errors.js';

/**
 * Google API failures mapped once onto the error taxonomy (shared/ARCHITECTURE.md, "Retry
 * matrix"), so the import stages decide per file or per job from the class alone:
 *
 * | answer | class | import does |
 * | --- | --- | --- |
 * | `invalid_grant` on refresh | PermanentError `account_revoked` | fails the job at once |
 * | 401 after the client's own refresh | PermanentError `account_unauthorized` | fails the job at once |
 * | 429, 403 `rateLimitExceeded` / `userRateLimitExceeded` | RetryAfterError | reschedules the job, honouring `Retry-After` |
 * | 5xx, network | TransientError | reschedules the job with backoff |
 * | other 4xx (404, 403 not downloadable, export too large) | PermanentError `google_<reason>` | fails that file, the import goes on |
 *
 * An error that did not come from a Google client (a database error, a stream that broke
 * mid-copy) is returned as it is: not permanent, so the job is retried.
 */
export function classifyGoogleError(error: unknown): Error {
  if (error instanceof PermanentError || error instanceof RetryAfterError || error instanceof TransientError) return error;
  if (!isGoogleError(error)) return error instanceof Error ? error : new Error(String(error));
  const info = googleErrorInfo(error);
  if (info.oauthError === 'invalid_grant') {
    return new PermanentError('Google refused the stored grant (revoked or expired): reconnect the account', 'account_revoked', { cause: error });
  }
  if (info.status === undefined) return new TransientError(`Google could not be reached: ${errorMessage(error)}`, { cause: error });
  if (info.status === 429 || (info.status === 403 && rateLimitReasons.has(info.reason ?? ''))) {
    return new RetryAfterError(`Google answered ${info.status} ${info.reason ?? 'rate limited'}`, info.retryAfterSeconds ?? 0, { cause: error });
  }
  if (info.status >= 500 || info.status === 408) return new TransientError(`Google answered ${info.status}: ${info.message}`, { cause: error });
  if (info.status === 401) return new PermanentError('Google refused the account\'s credentials (401 after a refresh): reconnect the account', 'account_unauthorized', { cause: error });
  return new PermanentError(info.message, `google_${info.reason ?? info.status}`, { cause: error });
}

/** Codes that end the whole import, not just one file. */
const jobLevelCodes = new Set(['account_revoked', 'account_unauthorized', 'account_not_connected']);

/** True when `error` (already classified) must stop the import: retry later or give up on the account. */
export function isJobLevelError(error: Error): boolean {
  return !(error instanceof PermanentError) || jobLevelCodes.has(error.code);
}

/** A gaxios error (HTTP answer or network failure of a googleapis / google-auth-library call). */
function isGoogleError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { name?: unknown; config?: unknown; response?: unknown; message?: unknown };
  return e.name === 'GaxiosError' || (typeof e.config === 'object' && e.config !== null) || e.message === 'invalid_grant';
}

const rateLimitReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

export interface GoogleErrorInfo {
  status?: number;
  /** `error.errors[0].reason` (or `error.details[].reason`) of Google's JSON error body. */
  reason?: string;
  message: string;
  retryAfterSeconds?: number;
  /** The OAuth `error` code of a token endpoint answer (`invalid_grant`). */
  oauthError?: string;
}

/** What a gaxios error says: status, Google's reason, message and `Retry-After`. */
export function googleErrorInfo(error: unknown): GoogleErrorInfo {
  const e = error as { status?: unknown; code?: unknown; message?: unknown; response?: { status?: number; data?: unknown; headers?: unknown } };
  const status = typeof e?.response?.status === 'number' ? e.response.status : typeof e?.status === 'number' ? e.status : undefined;
  // A failed `responseType: 'stream'` request carries Google's JSON body as its message.
  let data = parseBody(e?.response?.data);
  if (!(data && typeof data === 'object' && 'error' in data) && typeof e?.message === 'string' && e.message.startsWith('{')) data = parseBody(e.message);
  const body = (data && typeof data === 'object' ? data : {}) as {
    error?: string | { message?: string; errors?: { reason?: string }[]; details?: { reason?: string }[]; status?: string };
    error_description?: string;
  };
  const oauthError = typeof body.error === 'string' ? body.error : errorMessage(error) === 'invalid_grant' ? 'invalid_grant' : undefined;
  const apiError = typeof body.error === 'object' ? body.error : undefined;
  const reason = apiError?.errors?.[0]?.reason ?? apiError?.details?.find((d) => d.reason)?.reason;
  const message = apiError?.message ?? body.error_description ?? errorMessage(error);
  return { status, reason, message, retryAfterSeconds: retryAfter(e?.response?.headers), oauthError };
}

function parseBody(data: unknown): unknown {
  if (typeof data === 'string') {
    try {
      return JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return parseBody(Buffer.from(data as ArrayBuffer).toString('utf8'));
  return data;
}

function retryAfter(headers: unknown): number | undefined {
  if (!headers) return undefined;
  const raw = typeof (headers as Headers).get === 'function'
    ? (headers as Headers).get('retry-after')
    : (headers as Record<string, string | undefined>)['retry-after'];
  if (raw === null || raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

/**
 * Reads the JSON error body of a failed `responseType: 'stream'` request, which gaxios
 * leaves as a stream, so the reason (e.g. `exportSizeLimitExceeded`) can be told.
 */
export async function withReadableErrorBody(error: unknown): Promise<unknown> {
  const response = (error as { response?: { data?: unknown } })?.response;
  const data = response?.data as AsyncIterable<Buffer> | undefined;
  if (!data || typeof data !== 'object' || typeof (data as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') return error;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of data) {
      chunks.push(Buffer.from(chunk));
      size += chunk.length;
      if (size > 64 * 1024) break;
    }
    response!.data = Buffer.concat(chunks).toString('utf8');
  } catch {
    response!.data = undefined;
  }
  return error;
}
