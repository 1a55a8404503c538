import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { PermanentError } from '../errors.js';

/**
 * The OAuth `state` of "connect Google": a compact JWS (HS256) that the callback can check
 * without a lookup, plus the PKCE pair (RFC 7636, method S256).
 *
 * The state is signed, not encrypted: it travels in URLs. So the `codeVerifier` is NOT in
 * it; the caller stores `{ nonce, userId, codeVerifier }` in the database when it builds the
 * authorization URL, and the callback reads the verifier back by nonce.
 */

const STATE_TYPE = 'oauth-state+jwt';
const STATE_AUDIENCE = 'oauth-callback';
const MIN_SECRET_BYTES = 32;

export interface OAuthStateClaims {
  userId: string;
  provider: string;
  nonce: string;
  /** Where the frontend goes after the callback: a same-site path, never another origin. */
  redirectAfter?: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

export interface CreatedOAuthState {
  state: string;
  nonce: string;
  codeVerifier: string;
  codeChallenge: string;
}

export interface CreateOAuthStateInput {
  userId: string;
  provider: string;
  redirectAfter?: string;
  /** HMAC secret, at least 32 bytes. */
  secret: string | Uint8Array;
  ttlSeconds?: number;
  now?: Date;
}

const provider = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/);
/** A path on our own site: starts with one `/`, no scheme, no `//host`, no backslash tricks. */
const sameSitePath = z.string().max(2048).regex(/^\/(?![/\\])[^\s\\]*$/);

const stateInput = z.object({
  userId: z.string().min(1).max(128),
  provider,
  redirectAfter: sameSitePath.optional(),
  ttlSeconds: z.number().int().min(1).max(3600),
});

const statePayload = z.object({
  sub: z.string().min(1).max(128),
  provider,
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  redirect_after: sameSitePath.optional(),
  exp: z.number().int(),
});

/**
 * Creates a signed state for `userId` connecting `provider`, valid for `ttlSeconds`
 * (default 600), and a fresh PKCE pair: a 64-character verifier from 48 random bytes and
 * `codeChallenge = base64url(SHA-256(codeVerifier))`.
 *
 * @example const { state, nonce, codeVerifier, codeChallenge } =
 *   await createOAuthState({ userId, provider: 'google', secret: stateSecret });
 */
export async function createOAuthState(input: CreateOAuthStateInput): Promise<CreatedOAuthState> {
  const checked = stateInput.safeParse({ ...input, ttlSeconds: input.ttlSeconds ?? 600 });
  if (!checked.success) {
    const field = checked.error.issues[0]?.path.join('.') ?? 'input';
    throw new Error(`createOAuthState: "${field}" is invalid`);
  }
  const { userId, redirectAfter, ttlSeconds } = checked.data;
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const nonce = randomBytes(32).toString('base64url');
  const codeVerifier = randomBytes(48).toString('base64url');
  const claims: Record<string, string> = { provider: checked.data.provider, nonce };
  if (redirectAfter) claims['redirect_after'] = redirectAfter;
  const state = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: STATE_TYPE })
    .setSubject(userId)
    .setAudience(STATE_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(secretKey(input.secret));
  return { state, nonce, codeVerifier, codeChallenge: pkceChallenge(codeVerifier) };
}

/**
 * Checks a state's signature and expiry and returns its claims. Throws PermanentError with
 * code `bad_state` (tampered, malformed, signed with another secret) or `expired_state`.
 *
 * This does NOT make the state single-use: the caller must consume the nonce in the
 * database (delete the row keyed by `nonce` and proceed only if one row went), which also
 * yields the stored PKCE `codeVerifier`.
 *
 * @example const { userId, nonce } = await verifyOAuthState(req.query.state, { secret: stateSecret });
 */
export async function verifyOAuthState(
  state: string,
  options: { secret: string | Uint8Array; now?: Date },
): Promise<OAuthStateClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(state, secretKey(options.secret), {
      algorithms: ['HS256'],
      typ: STATE_TYPE,
      audience: STATE_AUDIENCE,
      requiredClaims: ['exp', 'sub'],
      currentDate: options.now ?? new Date(),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new PermanentError('the sign-in link has expired; start again', 'expired_state');
    throw new PermanentError('the OAuth state is invalid', 'bad_state');
  }
  const parsed = statePayload.safeParse(payload);
  if (!parsed.success) throw new PermanentError('the OAuth state is invalid', 'bad_state');
  const { sub, nonce, redirect_after, exp } = parsed.data;
  const claims: OAuthStateClaims = { userId: sub, provider: parsed.data.provider, nonce, expiresAt: exp };
  if (redirect_after) claims.redirectAfter = redirect_after;
  return claims;
}

/** The S256 PKCE challenge of a verifier: base64url(SHA-256(verifier)), unpadded. */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

function secretKey(secret: string | Uint8Array): Uint8Array {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (key.byteLength < MIN_SECRET_BYTES) throw new Error(`the OAuth state secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return key;
}
