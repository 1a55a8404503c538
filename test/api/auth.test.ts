import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { createAuthenticator } from '../../shared/auth/identity.js';
import { startJwksServer, type JwksServer } from '../doubles/firebase-jwks.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let jwks: JwksServer;
let platform: TestPlatform;
let api: ReturnType<typeof request>;
beforeAll(async () => {
  jwks = await startJwksServer('bytereview-test');
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  platform.authenticate = createAuthenticator({ mode: 'production', firebaseProjectId: 'bytereview-test', jwksUrl: jwks.url }, { APP_ENV: 'production' });
  api = request(createApiApp(async () => platform));
});
afterAll(async () => {
  await platform.close();
  await jwks.close();
});

describe('the api in production configuration', () => {
  it('a valid Firebase ID token signs in as its uid and creates the user row', async () => {
    const token = await jwks.signIdToken({ sub: 'firebase-uid-1', email: 'ann@example.com' });
    await api.get('/v1/jobs').set('Authorization', `Bearer ${token}`).expect(200, { items: [], nextCursor: null });
    const user = await platform.database.db.selectFrom('users').selectAll().where('id', '=', 'firebase-uid-1').executeTakeFirstOrThrow();
    expect(user.email).toBe('ann@example.com');
  });

  it('no token, a bad token and the development identity are 401 with the JSON error shape', async () => {
    const none = await api.get('/v1/jobs').expect(401);
    expect(none.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String), requestId: none.headers['x-request-id'] } });
    const expired = await jwks.signIdToken({ exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 });
    const bad = await api.get('/v1/jobs').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(bad.body.error.message).not.toContain(expired);
    const dev = await api.get('/v1/jobs').set('Authorization', 'Bearer dev:alice').expect(401);
    expect(dev.body.error.message).toMatch(/refused in production/);
  });
});
