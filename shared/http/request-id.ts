import type { RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { withLogContext } from '../log.js';

/** An incoming `X-Request-Id` is kept when it looks like an id: 1 to 128 of these characters (what messages carry on, too). */
const wellFormed = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id: the caller's `X-Request-Id` when well formed, else a new
 * UUID. It is answered in `X-Request-Id`, put in every error body, and set in the log
 * context, so every line logged while serving the request carries it.
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming !== undefined && wellFormed.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    withLogContext({ requestId }, next);
  };
}

/** The id `requestIds` gave the request being answered. */
export function requestIdOf(res: Response): string {
  return String(res.getHeader('X-Request-Id') ?? '');
}
