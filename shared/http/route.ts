import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { HttpError } from '../errors.js';
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
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data as never;
  throw new HttpError(400, 'invalid_request', describeIssues(result.error, where));
}

/** "body.fields.0.type: Invalid option ..." — names the field, never echoes secrets. */
export function describeIssues(error: z.ZodError, where: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${[where, ...issue.path].join('.')}: ${issue.message}`)
    .join('; ');
}

/** Express error handler: HttpError -> its status and `{ error: { code, message } }`; anything else -> 500. */
export function answerErrors(log: (message: string, error: unknown) => void) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (error instanceof HttpError) {
      if (error.status === 429 || error.status === 503) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterSeconds ?? 30)));
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413 || (error as { type?: string }).type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'too_large', message: 'The request body is too large' } });
      return;
    }
    if (status === 400 && (error as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
      return;
    }
    log('unhandled error in api', error);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side; try again' } });
  };
}
