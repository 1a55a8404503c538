import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../shared/auth/identity.js';
import { ConfigError } from '../../shared/config.js';
import { HttpError } from '../../shared/errors.js';
import { startJwksServer, type JwksServer } from '../doubles/firebase-jwks.js';

let jwks: JwksServer;
beforeAll(async () => {
  jwks = await startJwksServer();
});
afterAll(() => jwks.close());

const developmentEnv = { APP_ENV: 'development' };
const productionEnv = { APP_ENV: 'production' };

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(401);
  expect((error as HttpError).code).toBe('unauthenticated');
  return error as HttpError;
}

describe('request authentication', () => {
  it('a development authenticator accepts a dev identity as that uid', async () => {
    const authenticate = createAuthenticator({ mode: 'development' }, developmentEnv);
    await expect(authenticate('Bearer dev:ada.lovelace@example.com')).resolves.toEqual({ uid: 'ada.lovelace@example.com' });
  });

  it('a development authenticator refuses a dev uid outside the allowed characters or length', async () => {
    const authenticate = createAuthenticator({ mode: 'development' }, developmentEnv);
    await refusal(authenticate('Bearer dev:'));
    await refusal(authenticate('Bearer dev:ada/../root'));
    await refusal(authenticate(`Bearer dev:${'u'.repeat(129)}`));
    await expect(authenticate(`Bearer dev:${'u'.repeat(128)}`)).resolves.toEqual({ uid: 'u'.repeat(128) });
  });

  it('a development authenticator with a Firebase project also verifies Firebase tokens', async () => {
    const authenticate = createAuthenticator({ mode: 'development', firebaseProjectId: jwks.projectId, jwksUrl: jwks.url }, developmentEnv);
    const identity = await authenticate(`Bearer ${await jwks.signIdToken({ sub: 'firebase-user' })}`);
    expect(identity.uid).toBe('firebase-user');
  });

  it('a production authenticator resolves a Firebase token to its uid', async () => {
    const authenticate = createAuthenticator({ mode: 'production', firebaseProjectId: jwks.projectId, jwksUrl: jwks.url }, productionEnv);
    const identity = await authenticate(`bearer ${await jwks.signIdToken()}`);
    expect(identity).toEqual({ uid: 'user-123', email: 'ada@example.com', emailVerified: true });
  });

  it('a production authenticator refuses a dev identity', async () => {
    const authenticate = createAuthenticator({ mode: 'production', firebaseProjectId: jwks.projectId, jwksUrl: jwks.url }, productionEnv);
    const error = await refusal(authenticate('Bearer dev:ada'));
    expect(error.message).toBe('dev identity is refused in production');
  });

  it('a production-mode authenticator refuses a dev identity even outside the production environment', async () => {
    const authenticate = createAuthenticator({ mode: 'production', firebaseProjectId: jwks.projectId, jwksUrl: jwks.url }, developmentEnv);
    const error = await refusal(authenticate('Bearer dev:ada'));
    expect(error.message).toBe('dev identity is refused in production');
  });

  it('creating a development authenticator in the production environment fails at start-up', () => {
    expect(() => createAuthenticator({ mode: 'development' }, productionEnv)).toThrow(ConfigError);
  });

  it('a development authenticator refuses dev identities once its environment says production', async () => {
    const env: NodeJS.ProcessEnv = { APP_ENV: 'development' };
    const authenticate = createAuthenticator({ mode: 'development' }, env);
    await expect(authenticate('Bearer dev:ada')).resolves.toEqual({ uid: 'ada' });
    env.APP_ENV = 'production';
    const error = await refusal(authenticate('Bearer dev:ada'));
    expect(error.message).toBe('dev identity is refused in production');
  });

  it('a production authenticator without a Firebase project fails at start-up', () => {
    expect(() => createAuthenticator({ mode: 'production' }, productionEnv)).toThrow(ConfigError);
  });

  it('a missing or non-bearer Authorization header is refused', async () => {
    const authenticate = createAuthenticator({ mode: 'development' }, developmentEnv);
    expect((await refusal(authenticate(undefined))).message).toMatch(/missing/);
    expect((await refusal(authenticate('Basic YWRhOnB3'))).message).toMatch(/Bearer/);
  });

  it('a development authenticator without a Firebase project refuses other tokens', async () => {
    const authenticate = createAuthenticator({ mode: 'development' }, developmentEnv);
    await refusal(authenticate(`Bearer ${await jwks.signIdToken()}`));
  });
});
