import type { IncomingMessage, ServerResponse } from 'node:http';

/** Which simulated Google surface a request belongs to. */
export type GoogleApi = 'oauth' | 'drive' | 'gmail' | 'other';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * An error answered in the JSON shape Google's REST APIs use
 * (`{ error: { code, message, errors: [{ reason, domain, message }], status } }`),
 * which gaxios turns into a `GaxiosError` whose message is `message`.
 */
export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly domain = 'global',
  ) {
    super(message);
  }

  /** The body Google would send. */
  toBody(): unknown {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, domain: this.domain, reason: this.reason }],
        status: STATUS_NAMES[this.status] ?? 'UNKNOWN',
      },
    };
  }
}

/** An error answered in the OAuth 2.0 shape (`{ error, error_description }`, RFC 6749 §5.2). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }

  /** The body Google's token endpoint would send. */
  toBody(): unknown {
    return { error: this.code, error_description: this.description };
  }
}

/** Reads a whole request body into memory (the double only ever sees small test files). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Sends raw bytes with a content type. */
export function sendBytes(res: ServerResponse, status: number, bytes: Uint8Array, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(bytes.byteLength), ...headers });
  res.end(bytes);
}

/** Parses a JSON request body; an empty body is `{}`, a malformed one a 400 like Google's. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the Google-shaped error below
  }
  throw new GoogleApiError(400, 'parseError', 'Invalid JSON payload received.');
}

/** Parses an `application/x-www-form-urlencoded` (or JSON) body, as Google's token endpoint accepts both. */
export function parseFormBody(body: Buffer, contentType: string | undefined): Record<string, string> {
  const text = body.toString('utf8');
  if (!contentType?.includes('application/json')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const value = JSON.parse(text || '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

/** The first value of each query parameter. */
export function queryOf(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;
  return query;
}

/** Parses a positive integer query parameter, or answers 400 like Google. */
export function intParam(value: string | undefined, fallback: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new GoogleApiError(400, 'invalid', `Invalid value '${value}' for ${name}. Values must be within the range: [1, ${max}]`);
  return Math.min(n, max);
}
