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
 * `status` and any `headers` (412's current `ETag`, 409's `Retry-After`); a 429 or 503 says
 * when to try again (`retryAfterSeconds`, 30 when not given).
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; details?: Record<string, unknown>; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/**
 * Makes `instanceof cls` hold for an error made by ANOTHER copy of `cls`'s module in the
 * same process, as it does for its own. `npm run serve` runs a built function (a bundle,
 * with its own copies of these modules) on the local stack's platform (the source tree's
 * copies): an `HttpError` from the stack's authenticator, a `BlobNotFoundError` from its
 * blob store or a `PermanentError` from its extractor must still be recognised by the
 * bundle's edge, or each becomes a 500. Each instance carries a process-wide symbol named
 * after `name`; subclasses inherit it (a branded subclass of a branded class is an
 * instance of both) and an unbranded subclass keeps the ordinary prototype check.
 */
export function recognisedAcrossCopies(cls: abstract new (...args: never[]) => Error, name: string): void {
  const brand = Symbol.for(`bytereview.error.${name}`);
  Object.defineProperty(cls.prototype, brand, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value);
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
    },
  });
}

recognisedAcrossCopies(PermanentError, 'PermanentError');
recognisedAcrossCopies(RetryAfterError, 'RetryAfterError');
recognisedAcrossCopies(TransientError, 'TransientError');
recognisedAcrossCopies(HttpError, 'HttpError');

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
