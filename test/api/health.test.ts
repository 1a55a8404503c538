import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
});
afterAll(() => platform.close());

describe('GET /healthz (the deploy smoke call)', () => {
  it('answers ok, without a caller identity, once the database answers', async () => {
    const res = await request(createApiApp(async () => platform)).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 with no detail when the platform cannot start', async () => {
    const secret = 'CLOUD_SQL_INSTANCE=secret-instance';
    const res = await request(createApiApp(async () => { throw new Error(secret); })).get('/healthz').expect(503);
    expect(res.body).toEqual({ status: 'unavailable' });
    expect(res.text).not.toContain('secret');
  });
});
