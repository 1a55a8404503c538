import cors from 'cors';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { optionalString, parseEnv } from '../../shared/config.js';

/** An origin as browsers send it: scheme, host and port, nothing else (`https://app.example.com`). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    // Wildcards are not origins (browsers send none), and `https://*.example` would parse as one.
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value && !value.includes('*');
  } catch {
    return false;
  }
}

const origins = z.string().transform((list, ctx) => {
  const entries = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  entries.forEach((entry, i) => {
    // Never the entry itself in the message: settings are named, not echoed.
    if (!isOrigin(entry)) ctx.addIssue({ code: 'custom', message: `entry ${i + 1} is not an origin: scheme://host[:port], no path, no trailing slash, no *` });
  });
  return entries;
});

const apiEnv = z.object({
  FRONTEND_ORIGINS: z.preprocess((v) => (v === '' ? undefined : v), origins.optional()),
  FRONTEND_URL: optionalString,
});

export interface CorsSettings {
  /** Pages on these origins may call the api from a browser; no other origin gets a CORS header. */
  frontendOrigins: string[];
}

/**
 * The api's CORS settings: `FRONTEND_ORIGINS`, a comma-separated allowlist of origins;
 * when unset, the origin of `FRONTEND_URL` (where the OAuth callback sends the browser
 * back), else none.
 */
export function loadCorsSettings(env: NodeJS.ProcessEnv = process.env): CorsSettings {
  const e = parseEnv(apiEnv, env);
  if (e.FRONTEND_ORIGINS) return { frontendOrigins: e.FRONTEND_ORIGINS };
  return { frontendOrigins: e.FRONTEND_URL && URL.canParse(e.FRONTEND_URL) ? [new URL(e.FRONTEND_URL).origin] : [] };
}

/** Request headers a page may send: the bearer token, JSON, retries and conditional edits, its own request id. */
export const allowedRequestHeaders = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'];
/** Response headers a page may read. */
export const exposedResponseHeaders = ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed'];

/**
 * The api's CORS, configured once: an allowed origin is reflected (never `*`, and no
 * credentials: the api reads a bearer token, not cookies) with the api's methods and
 * headers, a preflight cached for an hour; any other origin gets no CORS header at all,
 * so its browser refuses the answer.
 */
export function corsFor(settings: CorsSettings, methods: string[]): RequestHandler {
  const allowed = new Set(settings.frontendOrigins);
  const middleware = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods,
    allowedHeaders: allowedRequestHeaders,
    exposedHeaders: exposedResponseHeaders,
    credentials: false,
    maxAge: 3600,
  });
  return (req, res, next) => {
    // Answers differ by Origin for every request, allowed or not.
    res.vary('Origin');
    middleware(req, res, next);
  };
}
