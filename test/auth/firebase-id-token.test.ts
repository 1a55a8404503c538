import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirebaseVerifier, type FirebaseVerifier } from '../../shared/auth/firebase.js';
import { HttpError, TransientError } from '../../shared/errors.js';
import { startJwksServer, type JwksServer } from '../doubles/firebase-jwks.js';

let jwks: JwksServer;
let verify: FirebaseVerifier;

beforeAll(async () => {
  jwks = await startJwksServer();
  verify = createFirebaseVerifier({ projectId: jwks.projectId, jwksUrl: jwks.url });
});
afterAll(() => jwks.close());

/** Runs `verify` and returns the 401 it must throw. */
async function rejection(token: string): Promise<HttpError> {
  const error = await verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  const http = error as HttpError;
  expect(http.status).toBe(401);
  expect(http.code).toBe('unauthenticated');
  expect(http.message).not.toContain(token);
  return http;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('Firebase ID token verification', () => {
  it('a valid token resolves to its uid, email and email verification', async () => {
    const identity = await verify(await jwks.signIdToken());
    expect(identity).toEqual({ uid: 'user-123', email: 'ada@example.com', emailVerified: true });
  });

  it('a token without email claims resolves to the uid alone', async () => {
    const identity = await verify(await jwks.signIdToken({ email: undefined, email_verified: undefined, sub: 'anon-7' }));
    expect(identity).toEqual({ uid: 'anon-7' });
  });

  it('the signing keys are fetched once and reused for later tokens', async () => {
    const fresh = createFirebaseVerifier({ projectId: jwks.projectId, jwksUrl: jwks.url });
    const before = jwks.fetches();
    await fresh(await jwks.signIdToken());
    await fresh(await jwks.signIdToken({ sub: 'user-456' }));
    await fresh(await jwks.signIdToken({ sub: 'user-789' }));
    expect(jwks.fetches() - before).toBe(1);
  });

  it('a token from another project is refused for its issuer', async () => {
    const error = await rejection(await jwks.signIdToken({ iss: 'https://securetoken.google.com/someone-else' }));
    expect(error.message).toMatch(/issuer/);
  });

  it('a token for another audience is refused for its audience', async () => {
    const error = await rejection(await jwks.signIdToken({ aud: 'someone-else' }));
    expect(error.message).toMatch(/audience/);
  });

  it('an expired token is refused as expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const error = await rejection(await jwks.signIdToken({ iat: now - 7200, auth_time: now - 7200, exp: now - 3600 }));
    expect(error.message).toMatch(/expired/);
  });

  it('an HS256 token is refused even when it names the right key id', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ auth_time: now - 60 })
      .setProtectedHeader({ alg: 'HS256', kid: jwks.kid })
      .setIssuer(`https://securetoken.google.com/${jwks.projectId}`)
      .setAudience(jwks.projectId)
      .setSubject('user-123')
      .setIssuedAt(now - 10)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs256'));
    const error = await rejection(token);
    expect(error.message).toMatch(/RS256/);
  });

  it('an unsigned token (alg none) is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${base64url({ alg: 'none', kid: jwks.kid })}.${base64url({
      iss: `https://securetoken.google.com/${jwks.projectId}`,
      aud: jwks.projectId,
      sub: 'user-123',
      iat: now - 10,
      exp: now + 3600,
      auth_time: now - 60,
    })}.`;
    const error = await rejection(token);
    expect(error.message).toMatch(/RS256/);
  });

  it('a token with an empty subject is refused', async () => {
    const error = await rejection(await jwks.signIdToken({ sub: '' }));
    expect(error.message).toMatch(/subject/);
  });

  it('a token with a subject longer than 128 characters is refused', async () => {
    const error = await rejection(await jwks.signIdToken({ sub: 'u'.repeat(129) }));
    expect(error.message).toMatch(/subject is too long/);
  });

  it('a token signed with a key id the JWKS does not publish is refused as an unknown key', async () => {
    const error = await rejection(await jwks.signIdToken({}, { kid: 'rotated-away' }));
    expect(error.message).toMatch(/unknown key/);
  });

  it('a token signed by another private key under the published key id is refused for its signature', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const error = await rejection(await jwks.signIdToken({}, {}, privateKey));
    expect(error.message).toMatch(/signature/);
  });

  it('a token whose auth_time lies in the future is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const error = await rejection(await jwks.signIdToken({ auth_time: now + 600 }));
    expect(error.message).toMatch(/auth_time/);
  });

  it('a token without auth_time is refused', async () => {
    const error = await rejection(await jwks.signIdToken({ auth_time: undefined }));
    expect(error.message).toMatch(/auth_time/);
  });

  it('a token issued in the future is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejection(await jwks.signIdToken({ iat: now + 600 }));
  });

  it('garbage in place of a token is refused as malformed', async () => {
    const error = await rejection('not-a-jwt');
    expect(error.message).toMatch(/malformed/);
  });

  it('unreachable signing keys are a transient failure, not a 401', async () => {
    const gone = await startJwksServer();
    const token = await gone.signIdToken();
    await gone.close();
    const orphan = createFirebaseVerifier({ projectId: gone.projectId, jwksUrl: gone.url });
    await expect(orphan(token)).rejects.toBeInstanceOf(TransientError);
  });
});
