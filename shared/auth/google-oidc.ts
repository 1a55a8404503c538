import type { Request, Response } from 'express';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { isProduction, parseEnv } from '../config.js';
import { HttpError, TransientError } from '../errors.js';

/** Where Google publishes the keys that sign its OIDC ID tokens (Cloud Tasks', Cloud Scheduler's). */
export const GOOGLE_OIDC_CERTS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

export interface GoogleCallerOptions {
  /** The audience the caller was told to use: this function's URL. */
  audience: string;
  /** The only service account whose tokens are accepted. */
  serviceAccountEmail: string;
  /** Where the signing keys are served; tests point this at a local JWKS server. */
  certsUrl?: string;
  /** The verification clock; defaults to the current time. */
  now?: () => Date;
}

/** Checks a request's `Authorization` header; throws HttpError 401 (no valid token) or 403 (someone else's). */
export type GoogleCallerCheck = (authorizationHeader: string | undefined) => Promise<void>;

/**
 * Verifies the Google-signed OIDC ID token that Cloud Tasks or Cloud Scheduler sends:
 * RS256 with a key from Google's certs, issuer accounts.google.com, `aud` = this
 * function's URL, not expired, and `email` = the expected service account with
 * `email_verified`. IAM (`roles/run.invoker`) checks the caller too; this is the second
 * lock (DESIGN.md, `extraction`: "OIDC checked in code too").
 *
 * A missing, malformed, expired, wrongly signed or wrong-audience token is a 401; a valid
 * token of another service account is a 403. Reasons never echo the token.
 *
 * @example const check = createGoogleCallerCheck({ audience: 'https://...-extraction', serviceAccountEmail: 'tasks@p.iam.gserviceaccount.com' });
 *          await check(req.get('authorization'));
 */
export function createGoogleCallerCheck(options: GoogleCallerOptions): GoogleCallerCheck {
  const keys = createRemoteJWKSet(new URL(options.certsUrl ?? GOOGLE_OIDC_CERTS_URL));
  const clock = options.now ?? (() => new Date());
  const expected = options.serviceAccountEmail.toLowerCase();

  return async (authorizationHeader) => {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorizationHeader ?? '');
    if (!match) throw new HttpError(401, 'unauthenticated', 'a Google-signed OIDC token is required (Authorization: Bearer <token>)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1]!, keys, {
        algorithms: ['RS256'],
        issuer: GOOGLE_ISSUERS,
        audience: options.audience,
        requiredClaims: ['exp', 'iat', 'email'],
        currentDate: clock(),
      }));
    } catch (error) {
      throw explainFailure(error);
    }
    const email = typeof payload['email'] === 'string' ? payload['email'].toLowerCase() : '';
    if (email !== expected || payload['email_verified'] !== true) {
      throw new HttpError(403, 'forbidden', 'the OIDC token belongs to a service account that may not call this function');
    }
  };
}

function explainFailure(error: unknown): Error {
  const refuse = (reason: string) => new HttpError(401, 'unauthenticated', `the OIDC token ${reason}`);
  if (error instanceof errors.JWTExpired) return refuse('has expired');
  if (error instanceof errors.JWTClaimValidationFailed) return refuse(error.claim === 'aud' ? 'has the wrong audience' : `claim "${error.claim}" is missing or invalid`);
  if (error instanceof errors.JWKSNoMatchingKey) return refuse('is signed with an unknown key');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('signature is invalid');
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse('is not signed with RS256');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return new TransientError("Google's signing keys could not be fetched");
  if (error instanceof errors.JOSEError && error.code !== 'ERR_JOSE_GENERIC') return refuse('is malformed');
  return new TransientError("Google's signing keys could not be fetched", { cause: error });
}

/**
 * Wraps an HTTP handler so it runs only for the expected caller. A refused request is
 * answered 401/403 before `handler` runs, so it touches neither the platform nor the
 * database; key-fetch failures answer 503 (Cloud Tasks and Scheduler retry those).
 * With no check (outside production: the local stack, tests) the handler runs as is.
 */
export function requireGoogleCaller(
  check: GoogleCallerCheck | undefined,
  handler: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response) => Promise<void> {
  if (!check) return handler;
  return async (req, res) => {
    try {
      await check(req.get('authorization'));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 503;
      const code = error instanceof HttpError ? error.code : 'unavailable';
      console.error(JSON.stringify({ severity: 'WARNING', component: 'google-oidc', message: `caller refused: ${(error as Error).message}`, status, path: req.path }));
      res.status(status).json({ error: { code, message: (error as Error).message } });
      return;
    }
    await handler(req, res);
  };
}

/** The settings of the functions whose callers are checked; each names the URL and the caller's service account. */
export const googleCallerSettings = {
  extraction: z.object({ EXTRACTION_URL: z.url(), TASKS_INVOKER_SERVICE_ACCOUNT: z.email() }),
  cleanup: z.object({ CLEANUP_URL: z.url(), CLEANUP_INVOKER_SERVICE_ACCOUNT: z.email() }),
  webhook: z.object({ WEBHOOK_URL: z.url(), TASKS_INVOKER_SERVICE_ACCOUNT: z.email() }),
} as const;

const refuseEveryCaller: GoogleCallerCheck = async () => {
  throw new HttpError(403, 'forbidden', 'this instance does not serve this function');
};

const certsEnv = z.object({ GOOGLE_OIDC_CERTS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()) });

/**
 * The caller check of a function, from its environment, built at module load: in
 * production (on Google Cloud, whatever APP_ENV says) it is required, and a missing
 * setting throws ConfigError naming it so the revision fails its start-up; outside
 * production there is none (the local stack calls the stages in-process).
 */
export function googleCallerCheckFromEnv(fn: keyof typeof googleCallerSettings, env: NodeJS.ProcessEnv = process.env): GoogleCallerCheck | undefined {
  if (!isProduction(env)) return undefined;
  // This instance serves another function of the same source: nothing may call this one here.
  if (env.FUNCTION_TARGET && env.FUNCTION_TARGET !== fn) return refuseEveryCaller;
  const certsUrl = parseEnv(certsEnv, env).GOOGLE_OIDC_CERTS_URL;
  if (fn === 'extraction') {
    const e = parseEnv(googleCallerSettings.extraction, env);
    return createGoogleCallerCheck({ audience: e.EXTRACTION_URL, serviceAccountEmail: e.TASKS_INVOKER_SERVICE_ACCOUNT, certsUrl });
  }
  if (fn === 'webhook') {
    const e = parseEnv(googleCallerSettings.webhook, env);
    return createGoogleCallerCheck({ audience: e.WEBHOOK_URL, serviceAccountEmail: e.TASKS_INVOKER_SERVICE_ACCOUNT, certsUrl });
  }
  const e = parseEnv(googleCallerSettings.cleanup, env);
  return createGoogleCallerCheck({ audience: e.CLEANUP_URL, serviceAccountEmail: e.CLEANUP_INVOKER_SERVICE_ACCOUNT, certsUrl });
}
