import express from 'express';
import { generateKeyPair } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGoogleCallerCheck, type GoogleCallerCheck } from '../../shared/auth/google-oidc.js';
import { HttpError } from '../../shared/errors.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { startJwksServer, type JwksServer } from '../doubles/firebase-jwks.js';

const audience = 'https://europe-west1-bytereview-prod.cloudfunctions.net/extraction';
const invoker = 'tasks-invoker@bytereview-prod.iam.gserviceaccount.com';

let jwks: JwksServer;
let check: GoogleCallerCheck;

beforeAll(async () => {
  jwks = await startJwksServer();
  check = createGoogleCallerCheck({ audience, serviceAccountEmail: invoker, certsUrl: jwks.url });
});
afterAll(() => jwks.close());

/** An ID token shaped like the ones Cloud Tasks and Cloud Scheduler mint, signed by the local key. */
function googleIdToken(claims: Record<string, unknown> = {}): Promise<string> {
  return jwks.signIdToken({ iss: 'https://accounts.google.com', aud: audience, sub: '1234567890', email: invoker, email_verified: true, auth_time: undefined, ...claims });
}

async function refusal(header: string | undefined): Promise<HttpError> {
  const error = await check(header).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('Google OIDC caller verification', () => {
  it('a token for this URL from the expected service account passes', async () => {
    await expect(check(`Bearer ${await googleIdToken()}`)).resolves.toBeUndefined();
  });

  it('a token for another audience is a 401 naming the audience', async () => {
    const error = await refusal(`Bearer ${await googleIdToken({ aud: 'https://europe-west1-bytereview-prod.cloudfunctions.net/api' })}`);
    expect([error.status, error.message]).toEqual([401, 'the OIDC token has the wrong audience']);
  });

  it('a valid token of another service account is a 403', async () => {
    const error = await refusal(`Bearer ${await googleIdToken({ email: 'intruder@elsewhere.iam.gserviceaccount.com' })}`);
    expect([error.status, error.code]).toEqual([403, 'forbidden']);
  });

  it('a token whose email is not verified is a 403', async () => {
    expect((await refusal(`Bearer ${await googleIdToken({ email_verified: false })}`)).status).toBe(403);
  });

  it('an expired token is a 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const error = await refusal(`Bearer ${await googleIdToken({ iat: now - 7200, exp: now - 3600 })}`);
    expect([error.status, error.message]).toEqual([401, 'the OIDC token has expired']);
  });

  it('a missing or non-bearer header is a 401', async () => {
    expect((await refusal(undefined)).status).toBe(401);
    expect((await refusal('Basic YWRhOnB3')).status).toBe(401);
  });

  it('a token from another issuer or signed by another key is a 401', async () => {
    expect((await refusal(`Bearer ${await googleIdToken({ iss: 'https://securetoken.google.com/x' })}`)).status).toBe(401);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await jwks.signIdToken({ iss: 'https://accounts.google.com', aud: audience, email: invoker, email_verified: true }, {}, privateKey);
    const error = await refusal(`Bearer ${forged}`);
    expect([error.status, error.message]).toEqual([401, 'the OIDC token signature is invalid']);
  });
});

describe('the deployed extraction and cleanup functions check their caller', () => {
  let platform: TestPlatform;
  let platformBuilds = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
  });
  afterAll(async () => {
    process.env = saved;
    await platform.close();
  });

  /** Loads the real function module as Cloud Functions would, with a production environment pointing the certs at the local key. */
  async function loadFunction<T>(modulePath: string, exportName: string, env: Record<string, string>): Promise<T> {
    vi.resetModules();
    process.env = { ...saved, K_SERVICE: exportName, ...env, GOOGLE_OIDC_CERTS_URL: jwks.url };
    delete process.env.APP_ENV;
    const { setPlatformFactory } = await import('../../shared/platform.js');
    setPlatformFactory(async () => {
      platformBuilds += 1;
      return platform;
    });
    const module = (await import(modulePath)) as Record<string, T>;
    return module[exportName]!;
  }

  it('extraction refuses a missing or wrong token with 401/403 before anything touches the database, and serves the queue', async () => {
    const handler = await loadFunction<express.RequestHandler>('../../functions/extraction/index.js', 'extraction', {
      EXTRACTION_URL: audience, TASKS_INVOKER_SERVICE_ACCOUNT: invoker,
    });
    const app = express().use(express.json()).post('/', handler);
    const task = { taskId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-000000000002' };

    await request(app).post('/').send(task).expect(401);
    await request(app).post('/').set('Authorization', `Bearer ${await googleIdToken({ aud: 'https://elsewhere.example/' })}`).send(task).expect(401);
    await request(app).post('/').set('Authorization', `Bearer ${await googleIdToken({ email: 'api@bytereview-prod.iam.gserviceaccount.com' })}`).send(task).expect(403);
    expect(platformBuilds).toBe(0);

    // The queue's own token gets through: the stage runs (an unknown task: nothing to claim, 200).
    await request(app).post('/').set('Authorization', `Bearer ${await googleIdToken()}`).send(task).expect(200);
    expect(platformBuilds).toBe(1);
  });

  it('cleanup accepts only the scheduler service account for its own URL', async () => {
    platformBuilds = 0;
    const cleanupUrl = 'https://europe-west1-bytereview-prod.cloudfunctions.net/cleanup';
    const scheduler = 'scheduler@bytereview-prod.iam.gserviceaccount.com';
    const handler = await loadFunction<express.RequestHandler>('../../functions/cleanup/index.js', 'cleanup', {
      CLEANUP_URL: cleanupUrl, CLEANUP_INVOKER_SERVICE_ACCOUNT: scheduler,
    });
    const app = express().post('/', handler);
    await request(app).post('/').set('Authorization', `Bearer ${await googleIdToken({ aud: cleanupUrl })}`).expect(403);
    await request(app).post('/').set('Authorization', `Bearer ${await googleIdToken({ email: scheduler })}`).expect(401);
    expect(platformBuilds).toBe(0);
    const answer = await request(app).post('/').set('Authorization', `Bearer ${await googleIdToken({ aud: cleanupUrl, email: scheduler })}`).expect(200);
    expect(answer.body).toBeTypeOf('object');
    expect(platformBuilds).toBe(1);
  });
});
