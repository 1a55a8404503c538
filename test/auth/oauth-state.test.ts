import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOAuthState, verifyOAuthState } from '../../shared/auth/oauth-state.js';
import { PermanentError } from '../../shared/errors.js';

const secret = 'state-secret-for-tests-0123456789abcdef';
const issuedAt = new Date('2026-03-01T10:00:00Z');
const seconds = (n: number) => new Date(issuedAt.getTime() + n * 1000);

async function failure(promise: Promise<unknown>): Promise<PermanentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PermanentError);
  return error as PermanentError;
}

/** Flips one character of the JWS segment at `index` (0 header, 1 payload, 2 signature). */
function tamper(state: string, index: number): string {
  const parts = state.split('.');
  const segment = parts[index]!;
  const at = Math.floor(segment.length / 2);
  parts[index] = segment.slice(0, at) + (segment[at] === 'A' ? 'B' : 'A') + segment.slice(at + 1);
  return parts.join('.');
}

describe('OAuth state', () => {
  it('a state verifies back to the user, provider, nonce, redirect and expiry it was made with', async () => {
    const created = await createOAuthState({ userId: 'user-1', provider: 'google', redirectAfter: '/integrations?tab=gmail', secret, now: issuedAt });
    const claims = await verifyOAuthState(created.state, { secret, now: seconds(60) });
    expect(claims).toEqual({
      userId: 'user-1',
      provider: 'google',
      nonce: created.nonce,
      redirectAfter: '/integrations?tab=gmail',
      expiresAt: issuedAt.getTime() / 1000 + 600,
    });
  });

  it('the state carries neither the code verifier nor anything unsigned', async () => {
    const created = await createOAuthState({ userId: 'user-1', provider: 'google', secret, now: issuedAt });
    const payload = Buffer.from(created.state.split('.')[1]!, 'base64url').toString('utf8');
    expect(payload).not.toContain(created.codeVerifier);
    expect(created.state.split('.')).toHaveLength(3);
  });

  it('the PKCE verifier is 43-128 unreserved characters and the challenge is its base64url SHA-256', async () => {
    const created = await createOAuthState({ userId: 'user-1', provider: 'google', secret, now: issuedAt });
    expect(created.codeVerifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    const digest = await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode(created.codeVerifier));
    expect(created.codeChallenge).toBe(Buffer.from(digest).toString('base64url'));
  });

  it('every state has its own nonce and verifier', async () => {
    const a = await createOAuthState({ userId: 'user-1', provider: 'google', secret, now: issuedAt });
    const b = await createOAuthState({ userId: 'user-1', provider: 'google', secret, now: issuedAt });
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(a.state).not.toBe(b.state);
  });

  it('a state is accepted just before its expiry and refused as expired after it', async () => {
    const { state } = await createOAuthState({ userId: 'user-1', provider: 'google', secret, ttlSeconds: 600, now: issuedAt });
    await expect(verifyOAuthState(state, { secret, now: seconds(599) })).resolves.toMatchObject({ userId: 'user-1' });
    expect((await failure(verifyOAuthState(state, { secret, now: seconds(601) }))).code).toBe('expired_state');
  });

  it('a state with a tampered payload, header or signature is refused as bad', async () => {
    const { state } = await createOAuthState({ userId: 'user-1', provider: 'google', secret, now: issuedAt });
    for (const index of [0, 1, 2]) {
      expect((await failure(verifyOAuthState(tamper(state, index), { secret, now: seconds(1) }))).code).toBe('bad_state');
    }
  });

  it('a state whose payload names another user is refused even with the original signature', async () => {
    const { state } = await createOAuthState({ userId: 'user-1', provider: 'google', secret, now: issuedAt });
    const [header, payload, signature] = state.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'user-2' })).toString('base64url');
    expect((await failure(verifyOAuthState(`${header}.${forged}.${signature}`, { secret, now: seconds(1) }))).code).toBe('bad_state');
  });

  it('a state signed with another secret is refused as bad', async () => {
    const { state } = await createOAuthState({ userId: 'user-1', provider: 'google', secret: `${secret}-other`, now: issuedAt });
    expect((await failure(verifyOAuthState(state, { secret, now: seconds(1) }))).code).toBe('bad_state');
  });

  it('an unsigned state (alg none) and plain garbage are refused as bad', async () => {
    const { state } = await createOAuthState({ userId: 'user-1', provider: 'google', secret, now: issuedAt });
    const payload = state.split('.')[1];
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'oauth-state+jwt' })).toString('base64url')}.${payload}.`;
    expect((await failure(verifyOAuthState(unsigned, { secret, now: seconds(1) }))).code).toBe('bad_state');
    expect((await failure(verifyOAuthState('garbage', { secret, now: seconds(1) }))).code).toBe('bad_state');
  });

  it('a redirect to another origin is refused when the state is made', async () => {
    for (const redirectAfter of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
      await expect(createOAuthState({ userId: 'user-1', provider: 'google', redirectAfter, secret, now: issuedAt })).rejects.toThrow(/redirectAfter/);
    }
  });

  it('a secret shorter than 32 bytes is refused', async () => {
    await expect(createOAuthState({ userId: 'user-1', provider: 'google', secret: 'short', now: issuedAt })).rejects.toThrow(/32 bytes/);
  });
});
