import type { RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { currentLogContext, newTraceId, traceFromHeaders, withLogContext } from '../log.js';

/** An incoming `X-Request-Id` is kept when it looks like an id: 1 to 128 of these characters (what messages carry on, too). */
const wellFormed = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's log context, set once for everything it does and every message it causes:
 * its id (the caller's `X-Request-Id` when well formed, else a new UUID; answered in
 * `X-Request-Id` and put in every error body) and its trace (`traceparent`, else
 * `X-Cloud-Trace-Context`, else a new one).
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming !== undefined && wellFormed.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const trace = traceFromHeaders((name) => req.get(name) ?? undefined) ?? newTraceId();
    withLogContext({ trace, requestId }, next);
  };
}

/**
 * `parser` (a body parser) with the request's log context restored after it: its callbacks
 * run from the request stream's events, outside the context `requestIds` set.
 */
export function keepingLogContext(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const context = currentLogContext();
    parser(req, res, (error?: unknown) => withLogContext(context, () => next(error)));
  };
}

/** The id `requestIds` gave the request being answered. */
export function requestIdOf(res: Response): string {
  return String(res.getHeader('X-Request-Id') ?? '');
}
