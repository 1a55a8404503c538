import { PermanentError, RetryAfterError, TransientError } from '../errors.js';
import { BlobNotFoundError } from './blob-store.js';

const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Maps a Cloud Storage client failure onto the error taxonomy: 404 is
 * `BlobNotFoundError`, 429 `RetryAfterError`, 408/5xx and network faults
 * `TransientError`, other 4xx `PermanentError`. The original error is kept as `cause`.
 */
export function gcsFailure(error: unknown, bucket: string, name: string): Error {
  if (error instanceof PermanentError || error instanceof TransientError || error instanceof RetryAfterError) return error;
  const status = statusOf(error);
  const where = `${bucket}/${name}`;
  if (status === 404) return Object.assign(new BlobNotFoundError(bucket, name), { cause: error });
  if (status === 429) return new RetryAfterError(`Cloud Storage throttled ${where}`, 30, { cause: error });
  if (status === 408 || (status !== undefined && status >= 500)) {
    return new TransientError(`Cloud Storage answered ${status} for ${where}`, { cause: error });
  }
  if (status !== undefined && status >= 400) {
    return new PermanentError(`Cloud Storage refused ${where} (${status})`, `gcs_${status}`, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && transientCodes.has(code)) {
    return new TransientError(`Cloud Storage unreachable for ${where} (${code})`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function statusOf(error: unknown): number | undefined {
  const candidate = error as { code?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  for (const value of [candidate?.code, candidate?.status, candidate?.response?.status]) {
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}
