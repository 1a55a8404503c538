import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { findUnstorableText, textProblemMessages } from '../text/storable-text.js';
import { answerOnce, idempotencyKeyHours, parseIdempotencyKey, requestFingerprint, type StoredAnswer } from './idempotency.js';
import { readMultipartUpload, type MultipartUpload, type UploadedFile } from './multipart.js';
import { requestIdOf } from './request-id.js';
import { parseIfMatch, versionTag, type IfMatch } from './versions.js';
import { z } from './zod.js';

export interface Identity {
  uid: string;
  email?: string;
}

/** What a route handler gets: validated input and the caller. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  identity: Identity;
  /** `If-Match` of a `versioned` route (shared/http/versions.ts); undefined when absent or `*`. */
  ifMatch: IfMatch;
  /** The "file" part of a `multipart` route. */
  file: UploadedFile | undefined;
  req: Request;
  res: Response;
}

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express-style path, e.g. `/v1/jobs/:jobId`. */
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** A multipart body documented by hand (uploads); the handler gets its "file" part. */
  multipart?: boolean;
  /**
   * Takes an `Idempotency-Key` (shared/http/idempotency.ts): every POST that creates
   * something or costs money. Repeats with the key replay the first answer.
   */
  idempotent?: boolean;
  /**
   * With `idempotent`: a field of the answer that is a secret, never kept with the
   * Idempotency-Key answer. A replay reads it again with `restore` from where it is kept
   * (encrypted); `undefined` (the thing is gone) answers 404.
   */
  secretField?: { name: string; restore: (body: Record<string, unknown>, identity: Identity) => Promise<string | undefined> };
  /**
   * The response is one object with a `version`: sent as its `ETag`; PATCH, PUT and DELETE
   * take `If-Match` (shared/http/versions.ts) and answer 412 when it is stale.
   */
  versioned?: boolean;
  status: number;
  /** The success body; omit for 204. */
  response?: R;
  errors?: number[];
  handler: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<R extends z.ZodType ? z.input<R> : void>;
}

export type Route = RouteSpec<AnyObject, AnyObject, z.ZodType, z.ZodType>;

/** Declares one route: the same zod schemas validate requests, shape responses and document the API. */
export function defineRoute<P extends AnyObject = z.ZodObject<{}>, Q extends AnyObject = z.ZodObject<{}>, B extends z.ZodType = z.ZodUndefined, R extends z.ZodType = z.ZodVoid>(
  spec: RouteSpec<P, Q, B, R>,
): Route {
  return spec as unknown as Route;
}

export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      requestId: z.string().openapi({ description: 'The X-Request-Id of the request: quote it to support, it finds the log lines' }),
      currentVersion: z.number().int().optional().openapi({ description: '412: the version the object has now' }),
    }),
  })
  .openapi('Error');

const errorDescriptions: Record<number, string> = {
  400: 'Invalid request', 401: 'Not signed in', 404: 'Not found (or not yours)', 409: 'Conflicts with the current state',
  412: 'If-Match names a version the object no longer has (its current one is in the ETag and the body)',
  413: 'Too large', 415: 'Unsupported file type', 422: 'Cannot be done as asked', 429: 'Slow down', 502: 'Google did not answer as expected',
};

const idempotencyKeyHeader = z.string().min(1).max(255).optional().openapi({ param: {
  description: `Makes retrying this request safe: repeats with the same key within ${idempotencyKeyHours} hours get the first answer again `
    + '(status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; '
    + 'for an upload, the file\'s name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with '
    + 'the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new '
    + 'one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.',
  example: '6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90',
} });
const ifMatchHeader = z.string().max(1024).optional().openapi({ param: {
  description: 'The ETag you read ("3"): the change is made only while the object is still at that version, else 412. Without it, the last write wins.',
  example: '"3"',
} });
const requestIdResponseHeader = { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } };
const etagResponseHeader = { ETag: { $ref: '#/components/headers/ETag' } };

/** The OpenAPI description of a route. */
export function routeConfig(route: Route): RouteConfig {
  const sendsETag = route.versioned && route.response;
  const responses: RouteConfig['responses'] = {
    [route.status]: {
      description: route.response ? 'Success' : 'Success, no content',
      headers: { ...requestIdResponseHeader, ...(sendsETag ? etagResponseHeader : {}) },
      ...(route.response ? { content: { 'application/json': { schema: route.response } } } : {}),
    },
  };
  const errors = [400, 401, ...(route.errors ?? []), ...(route.idempotent ? [409, 422] : []), ...(takesIfMatch(route) ? [412] : [])];
  for (const status of [...new Set(errors)].sort()) {
    responses[status] = {
      description: errorDescriptions[status] ?? 'Error',
      headers: { ...requestIdResponseHeader, ...(status === 412 ? etagResponseHeader : {}) },
      content: { 'application/json': { schema: errorBody } },
    };
  }
  const headers = z.object({
    ...(route.idempotent ? { 'Idempotency-Key': idempotencyKeyHeader } : {}),
    ...(takesIfMatch(route) ? { 'If-Match': ifMatchHeader } : {}),
  });
  return {
    method: route.method,
    path: route.path.replace(/:(\w+)/g, '{$1}'),
    summary: route.summary,
    tags: [route.tag],
    security: [{ firebase: [] }],
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(Object.keys(headers.shape).length > 0 ? { headers } : {}),
      ...(route.body ? { body: { content: { 'application/json': { schema: route.body } }, required: !route.body.safeParse(undefined).success } } : {}),
      ...(route.multipart
        ? { body: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().openapi({ format: 'binary' }) }) } }, required: true } }
        : {}),
    },
    responses,
  };
}

function takesIfMatch(route: Route): boolean {
  return route.versioned === true && ['patch', 'put', 'delete'].includes(route.method);
}

export interface MountOptions {
  /** Verifies the caller (and makes sure their users row exists). */
  authenticate: (req: Request) => Promise<Identity>;
  /** Where Idempotency-Key answers are kept. */
  database: () => Promise<Kysely<Database>>;
}

/**
 * Mounts routes on an express router: each authenticates the caller, validates its input,
 * runs its handler and answers; an `idempotent` route with an `Idempotency-Key` answers
 * once per key, a `versioned` one sends its `ETag` and reads `If-Match`.
 */
export function mountRoutes(router: Router, routes: Route[], options: MountOptions): void {
  for (const route of routes) {
    const handler: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
      let upload: MultipartUpload | undefined;
      try {
        const identity = await options.authenticate(req);
        const params = parse(route.params, req.params, 'path');
        const query = parse(route.query, req.query, 'query');
        const body = route.body ? parse(route.body, req.body, 'body') : undefined;
        const ifMatch = takesIfMatch(route) ? parseIfMatch(req.get('if-match')) : undefined;
        const key = route.idempotent ? parseIdempotencyKey(req.get('idempotency-key')) : undefined;
        upload = route.multipart ? readMultipartUpload(req) : undefined;
        const multipart = upload;
        const answer = async (): Promise<StoredAnswer> => {
          const file = multipart ? await multipart.file : undefined;
          const result = await route.handler({ params, query, body, identity, ifMatch, file, req, res })
            .catch((error: unknown) => { throw multipart ? multipart.refusalFor(error) : error; });
          return successAnswer(route, result);
        };
        if (key === undefined) {
          sendAnswer(res, await answer());
          return;
        }
        const requestId = requestIdOf(res);
        let sentFresh: StoredAnswer | undefined;
        const fingerprintOf = (file?: { filename: string; sha256: string }) =>
          requestFingerprint({ method: route.method, path: req.path, ...(multipart ? { file } : { body: req.body ?? null }) });
        const { answer: sent, replayed } = await answerOnce((await options.database()), {
          scope: { userId: identity.uid, route: `${route.method.toUpperCase()} ${route.path}`, key },
          requestId,
          fingerprint: () => (multipart ? ifRead(multipart, fingerprintOf) : fingerprintOf()),
          readFingerprint: async () => (multipart ? fingerprintOf(await multipart.readDigest()) : fingerprintOf()),
        }, () => answer().then((fresh) => {
          sentFresh = fresh;
          return withoutSecret(route, fresh);
        }, (error: unknown) => {
          // A refusal is an answer like any other: kept and replayed (unless isKeptAnswer says otherwise).
          if (error instanceof HttpError) return errorAnswer(error, requestId, res);
          throw error;
        }));
        if (replayed) res.setHeader('Idempotent-Replayed', 'true');
        sendAnswer(res, replayed ? await withSecret(route, sent, identity) : (sentFresh ?? sent));
      } catch (error) {
        next(error);
      } finally {
        // Whatever of an upload nobody read (a refusal, a replay) flows to nowhere, freeing the connection.
        upload?.discard();
      }
    };
    router[route.method](route.path, handler);
  }
}

/** The answer as kept under its Idempotency-Key: without the route's secret field. */
function withoutSecret(route: Route, answer: StoredAnswer): StoredAnswer {
  if (!route.secretField || typeof answer.body !== 'object' || answer.body === null) return answer;
  const { [route.secretField.name]: _secret, ...kept } = answer.body as Record<string, unknown>;
  return { ...answer, body: kept };
}

/** A replayed answer with the route's secret field read again from where it is kept. */
async function withSecret(route: Route, answer: StoredAnswer, identity: Identity): Promise<StoredAnswer> {
  if (!route.secretField || answer.status >= 300 || typeof answer.body !== 'object' || answer.body === null) return answer;
  const body = answer.body as Record<string, unknown>;
  const secret = await route.secretField.restore(body, identity);
  if (secret === undefined) throw new HttpError(404, 'not_found', 'What the first request with this Idempotency-Key created was deleted since');
  return { ...answer, body: { ...body, [route.secretField.name]: secret } };
}

function ifRead(upload: MultipartUpload, fingerprintOf: (file: { filename: string; sha256: string }) => string): string | undefined {
  const digest = upload.digest();
  return digest && fingerprintOf(digest);
}

function successAnswer(route: Route, result: unknown): StoredAnswer {
  if (!route.response) return { status: route.status, headers: {} };
  const body = route.response.parse(result) as { version?: unknown };
  const headers: Record<string, string> = {};
  if (route.versioned && typeof body.version === 'number') headers.ETag = versionTag(body.version);
  return { status: route.status, headers, body };
}

function sendAnswer(res: Response, answer: StoredAnswer): void {
  if (res.headersSent) return;
  res.status(answer.status).set(answer.headers);
  if (answer.body === undefined) res.end();
  else res.json(answer.body);
}

function parse<T extends z.ZodType | undefined>(schema: T, value: unknown, where: string): T extends z.ZodType ? z.infer<T> : Record<string, never> {
  if (!schema) return {} as never;
  assertStorableText(value, where);
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data as never;
  throw new HttpError(400, 'invalid_request', describeIssues(result.error, where));
}

/**
 * Every string of a request (values and keys, path, query and body) must be text
 * PostgreSQL can store: a NUL or a lone surrogate is a 400 naming the field, checked here
 * once for every route instead of failing as a 500 deep in a query.
 */
export function assertStorableText(value: unknown, where: string): void {
  const found = findUnstorableText(value);
  if (found) throw new HttpError(400, 'invalid_text', `${[where, ...found.path].join('.')}: ${textProblemMessages[found.problem]}`);
}

/** "body.fields.0.type: Invalid option ..." — names the field, never echoes secrets. */
export function describeIssues(error: z.ZodError, where: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${[where, ...issue.path].join('.')}: ${issue.message}`)
    .join('; ');
}

/** The answer to a refusal: its status and headers, `{ error: { code, message, requestId, ...details } }`. */
export function errorAnswer(error: HttpError, requestId: string, res?: Response): StoredAnswer {
  if (res) res.locals.errorCode = error.code;
  const retryAfter: Record<string, string> = error.status === 429 || error.status === 503 ? { 'Retry-After': String(Math.ceil(error.extra.retryAfterSeconds ?? 30)) } : {};
  return {
    status: error.status,
    headers: { ...retryAfter, ...error.extra.headers },
    body: { error: { code: error.code, message: error.message, requestId, ...error.extra.details } },
  };
}

/**
 * The request-body errors express's parsers raise (http-errors with `expose`), by type:
 * each a 4xx naming what is wrong with the body. Unknown exposed 4xx keep their status.
 */
const bodyErrors: Record<string, { status: number; code: string; message: (detail: string) => string }> = {
  'entity.too.large': { status: 413, code: 'too_large', message: () => 'The request body is too large' },
  'entity.parse.failed': { status: 400, code: 'invalid_json', message: () => 'The request body is not valid JSON' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: (d) => `The request body must be UTF-8 (${d})` },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: (d) => `The request body's Content-Encoding is not supported: send identity, gzip, deflate or br (${d})` },
  'request.aborted': { status: 400, code: 'request_aborted', message: () => 'The request body ended before it was complete' },
  'request.size.invalid': { status: 400, code: 'invalid_length', message: () => 'The request body is not as long as its Content-Length says' },
};

/** The refusal an error stands for: an HttpError itself, express's body and path errors as their 4xx; undefined for a failure of ours. */
function refusalOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  const { status, type, expose, message } = error as { status?: number; type?: string; expose?: boolean; message?: string };
  const known = type ? bodyErrors[type] : undefined;
  if (known) return new HttpError(known.status, known.code, known.message(String(message)));
  // express could not decode a path parameter (`%E0%A4%A`, `%ED%A0%80`).
  if (error instanceof URIError && status === 400) return new HttpError(400, 'invalid_path', 'path: a parameter is not a valid percent-encoded UTF-8 string');
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser's other refusals, e.g. a gzip body that does not decompress (400).
    return new HttpError(status, status === 400 ? 'invalid_body' : 'invalid_request', `The request body could not be read: ${String(message)}`);
  }
  return undefined;
}

/** Express error handler: a refusal -> its 4xx answer (refusalOf); anything else -> 500. Every error body has the request id. */
export function answerErrors(log: (message: string, error: unknown) => void) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const refusal = refusalOf(error);
    if (!refusal) log('unhandled error in api', error);
    sendAnswer(res, errorAnswer(refusal ?? new HttpError(500, 'internal', 'Something went wrong on our side; try again'), requestIdOf(res), res));
  };
}
