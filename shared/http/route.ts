import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { HttpError } from '../errors.js';
import { findUnstorableText, textProblemMessages } from '../text/storable-text.js';
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
  /** A multipart body documented by hand (uploads). */
  multipart?: boolean;
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
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

const errorDescriptions: Record<number, string> = {
  400: 'Invalid request', 401: 'Not signed in', 404: 'Not found (or not yours)', 409: 'Conflicts with the current state',
  413: 'Too large', 415: 'Unsupported file type', 422: 'Cannot be done as asked', 429: 'Slow down',
};

/** The OpenAPI description of a route. */
export function routeConfig(route: Route): RouteConfig {
  const responses: RouteConfig['responses'] = {
    [route.status]: route.response
      ? { description: 'Success', content: { 'application/json': { schema: route.response } } }
      : { description: 'Success, no content' },
  };
  for (const status of [400, 401, ...(route.errors ?? [])]) {
    responses[status] = { description: errorDescriptions[status] ?? 'Error', content: { 'application/json': { schema: errorBody } } };
  }
  return {
    method: route.method,
    path: route.path.replace(/:(\w+)/g, '{$1}'),
    summary: route.summary,
    tags: [route.tag],
    security: [{ firebase: [] }],
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body ? { body: { content: { 'application/json': { schema: route.body } }, required: !route.body.safeParse(undefined).success } } : {}),
      ...(route.multipart
        ? { body: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().openapi({ format: 'binary' }) }) } }, required: true } }
        : {}),
    },
    responses,
  };
}

/** Mounts routes on an express router, behind `authenticate`. */
export function mountRoutes(router: Router, routes: Route[], authenticate: (req: Request) => Promise<Identity>): void {
  for (const route of routes) {
    const handler: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
      try {
        const identity = await authenticate(req);
        const params = parse(route.params, req.params, 'path');
        const query = parse(route.query, req.query, 'query');
        const body = route.body ? parse(route.body, req.body, 'body') : undefined;
        const result = await route.handler({ params, query, body, identity, req, res });
        if (res.headersSent) return;
        if (route.response) res.status(route.status).json(route.response.parse(result));
        else res.status(route.status).end();
      } catch (error) {
        next(error);
      }
    };
    router[route.method](route.path, handler);
  }
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

/** Express error handler: HttpError -> its status and `{ error: { code, message } }`; body errors -> their 4xx; anything else -> 500. */
export function answerErrors(log: (message: string, error: unknown) => void) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (error instanceof HttpError) {
      if (error.status === 429 || error.status === 503) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterSeconds ?? 30)));
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const { status, type, expose, message } = error as { status?: number; type?: string; expose?: boolean; message?: string };
    const known = type ? bodyErrors[type] : undefined;
    if (known) {
      res.status(known.status).json({ error: { code: known.code, message: known.message(String(message)) } });
      return;
    }
    if (error instanceof URIError && status === 400) {
      // express could not decode a path parameter (`%E0%A4%A`, `%ED%A0%80`).
      res.status(400).json({ error: { code: 'invalid_path', message: 'path: a parameter is not a valid percent-encoded UTF-8 string' } });
      return;
    }
    if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser's other refusals, e.g. a gzip body that does not decompress (400).
      const code = status === 400 ? 'invalid_body' : 'invalid_request';
      res.status(status).json({ error: { code, message: `The request body could not be read: ${String(message)}` } });
      return;
    }
    log('unhandled error in api', error);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side; try again' } });
  };
}
