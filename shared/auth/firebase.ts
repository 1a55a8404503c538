import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { HttpError, TransientError } from '../errors.js';

/** Google's published keys for Firebase ID tokens (rotated by Google; jose caches them). */
export const FIREBASE_JWKS_URL = 'https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com';

/** Who a verified request belongs to. `uid` is the Firebase user id (or the development uid). */
export interface Identity {
  uid: string;
  email?: string;
  emailVerified?: boolean;
}

export interface FirebaseVerifierOptions {
  projectId: string;
  /** Where the signing keys are served; tests point this at a local JWKS server. */
  jwksUrl?: string;
  /** Seconds of clock skew tolerated on exp / iat / auth_time. Default 0, as Firebase documents. */
  clockToleranceSeconds?: number;
  /** The verification clock; defaults to the current time. */
  now?: () => Date;
}

/** Verifies one Firebase ID token and returns its identity, or throws. */
export type FirebaseVerifier = (idToken: string) => Promise<Identity>;

const MAX_UID_LENGTH = 128;

/**
 * Creates a Firebase ID token verifier: RS256 only, key chosen by `kid` from the JWKS
 * (fetched once and cached by jose), issuer `https://securetoken.google.com/<projectId>`,
 * audience `<projectId>`, non-empty `sub` of at most 128 chars, `iat` and `auth_time`
 * not in the future, `exp` not passed.
 *
 * A token that fails throws `HttpError(401, 'unauthenticated', reason)`; the reason never
 * echoes the token. Unreachable signing keys throw `TransientError` (our fault, not the
 * caller's: the request may be retried).
 *
 * @example const verify = createFirebaseVerifier({ projectId: 'bytereview-prod' });
 *          const { uid } = await verify(idToken);
 */
export function createFirebaseVerifier(options: FirebaseVerifierOptions): FirebaseVerifier {
  const { projectId } = options;
  if (!projectId) throw new Error('createFirebaseVerifier needs a Firebase project id');
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? FIREBASE_JWKS_URL));
  const tolerance = options.clockToleranceSeconds ?? 0;
  const clock = options.now ?? (() => new Date());

  return async (idToken) => {
    if (!idToken) throw unauthenticated('the ID token is empty');
    if (!hasKeyId(idToken)) throw unauthenticated('the ID token is malformed or has no key id');
    const now = clock();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, jwks, {
        algorithms: ['RS256'],
        issuer: `https://securetoken.google.com/${projectId}`,
        audience: projectId,
        requiredClaims: ['exp', 'iat', 'auth_time'],
        clockTolerance: tolerance,
        currentDate: now,
      }));
    } catch (error) {
      throw explainFailure(error);
    }
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0) throw unauthenticated('the ID token has no subject');
    if (sub.length > MAX_UID_LENGTH) throw unauthenticated('the ID token subject is too long');
    if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + tolerance) {
      throw unauthenticated('the ID token was issued in the future');
    }
    const authTime = payload['auth_time'];
    if (typeof authTime !== 'number' || authTime > nowSeconds + tolerance) {
      throw unauthenticated('the ID token auth_time is missing or in the future');
    }
    const identity: Identity = { uid: sub };
    if (typeof payload['email'] === 'string') identity.email = payload['email'];
    if (typeof payload['email_verified'] === 'boolean') identity.emailVerified = payload['email_verified'];
    return identity;
  };
}

function hasKeyId(token: string): boolean {
  try {
    const header = decodeProtectedHeader(token);
    return typeof header.kid === 'string' && header.kid.length > 0;
  } catch {
    return false;
  }
}

function unauthenticated(reason: string): HttpError {
  return new HttpError(401, 'unauthenticated', reason);
}

/** Turns a jose failure into a reason a client can act on, without the token. */
function explainFailure(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return unauthenticated('the ID token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return unauthenticated('the ID token has the wrong issuer');
      case 'aud':
        return unauthenticated('the ID token has the wrong audience');
      default:
        return unauthenticated(`the ID token claim "${error.claim}" is missing or invalid`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return unauthenticated('the ID token is not signed with RS256');
  if (error instanceof errors.JWKSNoMatchingKey) return unauthenticated('the ID token is signed with an unknown key');
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthenticated('the ID token signature is invalid');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new TransientError('the Firebase signing keys could not be fetched');
  }
  // A bare JOSEError is jose's "the JWKS answer was not 200 / not JSON"; subclasses are token faults.
  if (error instanceof errors.JOSEError && error.code !== 'ERR_JOSE_GENERIC') return unauthenticated('the ID token is malformed');
  // Network failures reach us as plain fetch errors.
  return new TransientError('the Firebase signing keys could not be fetched', { cause: error });
}
