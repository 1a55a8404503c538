import { ConfigError, isProduction } from '../config.js';
import { HttpError } from '../errors.js';
import { createFirebaseVerifier, type FirebaseVerifier, type Identity } from './firebase.js';

export type { Identity } from './firebase.js';

/**
 * How requests are authenticated.
 * - `production`: Firebase ID tokens only (`firebaseProjectId` required).
 * - `development` (local stack, tests): also `Authorization: Bearer dev:<uid>`; Firebase
 *   tokens are verified too when `firebaseProjectId` is set.
 */
export interface AuthConfig {
  mode: 'production' | 'development';
  firebaseProjectId?: string;
  /** JWKS location override (tests serve their own keys). */
  jwksUrl?: string;
}

/** Resolves the `Authorization` header of a request to an identity, or throws HttpError 401. */
export type Authenticator = (authorizationHeader: string | undefined) => Promise<Identity>;

const DEV_PREFIX = 'dev:';
const DEV_UID = /^[A-Za-z0-9_.@-]{1,128}$/;

/**
 * Creates the request authenticator for this process.
 *
 * A development authenticator is refused at start-up (ConfigError) when the environment is
 * the production configuration (`APP_ENV=production`), and a `dev:` token is refused on
 * every request that reaches a production authenticator, or a process whose environment
 * has since turned production: `HttpError(401, 'unauthenticated', 'dev identity is refused in production')`.
 *
 * @example const authenticate = createAuthenticator({ mode: 'production', firebaseProjectId: 'bytereview' });
 *          const { uid } = await authenticate(req.get('authorization'));
 */
export function createAuthenticator(config: AuthConfig, env: NodeJS.ProcessEnv = process.env): Authenticator {
  if (config.mode === 'production' && !config.firebaseProjectId) {
    throw new ConfigError('Invalid configuration: production authentication needs a Firebase project id');
  }
  if (config.mode === 'development' && isProduction(env)) {
    throw new ConfigError('Invalid configuration: a development authenticator cannot run in production');
  }
  const verifyFirebase: FirebaseVerifier | undefined = config.firebaseProjectId
    ? createFirebaseVerifier({ projectId: config.firebaseProjectId, jwksUrl: config.jwksUrl })
    : undefined;

  return async (authorizationHeader) => {
    const token = bearerToken(authorizationHeader);
    if (token.startsWith(DEV_PREFIX)) {
      if (config.mode === 'production' || isProduction(env)) {
        throw new HttpError(401, 'unauthenticated', 'dev identity is refused in production');
      }
      return developmentIdentity(token.slice(DEV_PREFIX.length));
    }
    if (!verifyFirebase) throw new HttpError(401, 'unauthenticated', 'Firebase ID tokens are not configured here; use a dev:<uid> identity');
    return verifyFirebase(token);
  };
}

function bearerToken(header: string | undefined): string {
  if (!header) throw new HttpError(401, 'unauthenticated', 'the Authorization header is missing');
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match) throw new HttpError(401, 'unauthenticated', 'the Authorization header is not "Bearer <token>"');
  return match[1]!;
}

function developmentIdentity(uid: string): Identity {
  if (!DEV_UID.test(uid)) {
    throw new HttpError(401, 'unauthenticated', 'a dev identity is dev:<uid> with 1-128 characters of A-Z a-z 0-9 _ . @ -');
  }
  return { uid };
}
