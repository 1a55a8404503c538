import { ApiError } from '@google/genai';
import { PermanentError, RetryAfterError, TransientError, errorMessage } from '../errors.js';

/** Seed 002 §5: quota back-off is bounded at five minutes. */
export const MAX_RETRY_AFTER_SECONDS = 300;
/** Used when a 429 carries no hint; Vertex's usual RESOURCE_EXHAUSTED body has none. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

/** Google's error envelope (google.rpc.Status as JSON), as ApiError carries it in `message`. */
interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; details?: Array<Record<string, unknown>> };
}

/**
 * Maps whatever `generateContent` threw onto the error taxonomy (seed 002 §5):
 * 429 / RESOURCE_EXHAUSTED -> RetryAfterError, 5xx / 408 / network / timeout ->
 * TransientError, a 400 about the file -> PermanentError('unreadable_file'), any other
 * 4xx -> PermanentError('vertex_rejected'). The message quotes Vertex's own words,
 * never request headers (they hold the access token).
 */
export function classifyVertexFailure(error: unknown, context: { filename: string; model: string }): Error {
  if (!(error instanceof ApiError)) {
    // fetch failures (refused, reset, DNS), our deadline's abort, anything unforeseen.
    return new TransientError(`Vertex AI call for ${context.model} failed: ${describeNetworkFailure(error)}`, { cause: error });
  }
  const body = parseBody(error.message);
  const status = body.error?.status ?? '';
  const said = body.error?.message ?? error.message;
  if (error.status === 429 || status === 'RESOURCE_EXHAUSTED') {
    return new RetryAfterError(`Vertex AI quota exhausted for ${context.model}: ${said}`, retryAfterSeconds(body), { cause: error });
  }
  if (error.status >= 500 || error.status === 408) {
    return new TransientError(`Vertex AI failed (${error.status} ${status}): ${said}`, { cause: error });
  }
  if (error.status === 400 && mentionsTheFile(said)) {
    return new PermanentError(
      `Vertex AI cannot read ${context.filename} (unreadable or unsupported file): ${said}`,
      'unreadable_file',
      { cause: error },
    );
  }
  return new PermanentError(`Vertex AI rejected the request (${error.status} ${status}): ${said}`, 'vertex_rejected', {
    cause: error,
  });
}

/**
 * The SDK's ApiError keeps the status and body but drops the response headers, so a
 * `Retry-After` header cannot be read from it. Google APIs put the same hint in the body
 * as google.rpc.RetryInfo (`"retryDelay": "7s"`), which the SDK does pass on: use it.
 */
function retryAfterSeconds(body: GoogleErrorBody): number {
  const info = body.error?.details?.find((detail) => String(detail['@type'] ?? '').endsWith('google.rpc.RetryInfo'));
  const delay = typeof info?.['retryDelay'] === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(info['retryDelay']) : null;
  if (!delay) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(Number(delay[1]))));
}

function parseBody(message: string): GoogleErrorBody {
  try {
    const parsed: unknown = JSON.parse(message);
    return typeof parsed === 'object' && parsed !== null ? (parsed as GoogleErrorBody) : {};
  } catch {
    return {};
  }
}

/** Vertex's 400s about the input name the document, its MIME type or its URI. */
function mentionsTheFile(message: string): boolean {
  return /\b(file|document|pdf|mime|uri|gs:\/\/|page|image|unsupported|corrupt)/i.test(message);
}

function describeNetworkFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return 'no answer before the deadline';
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${errorMessage(error)}${cause}`;
}
