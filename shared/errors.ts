/**
 * One error taxonomy for every stage (shared/ARCHITECTURE.md, "Retry matrix").
 * Stages throw these; the transport edge maps them once:
 *  - PermanentError: record the failure on the row, then acknowledge (2xx).
 *  - RetryAfterError: answer 429/503 with Retry-After (Cloud Tasks honours it).
 *  - TransientError or anything else: throw / 500, the platform retries with backoff.
 */

/** Retrying cannot help (unreadable file, oversize input, revoked grant). */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(
    message: string,
    /** Short machine-readable reason, stored next to the message. */
    readonly code: string = 'permanent',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The far side asked us to wait (429, quota): retry no sooner than `retryAfterSeconds`. */
export class RetryAfterError extends Error {
  override readonly name = 'RetryAfterError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A passing fault (network, 5xx): retry with exponential backoff. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * An HTTP answer for the `api`: `{ error: { code, message, requestId, ...details } }` with
 * `status` and any `headers` (412's current `ETag`, 409's `Retry-After`).
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
