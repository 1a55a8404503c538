import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { loadCorsSettings } from '../../functions/api/cors.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const frontend = 'https://app.bytereview.test';
const stranger = 'https://evil.example';
let platform: TestPlatform;
let api: ReturnType<typeof request>;
beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  api = request(createApiApp(async () => platform, loadCorsSettings({ FRONTEND_ORIGINS: `${frontend}, http://localhost:5173` })));
});
afterAll(() => platform.close());

const corsHeaders = (headers: Record<string, string>) => Object.keys(headers).filter((h) => h.startsWith('access-control-'));
const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim().toLowerCase());

describe('CORS for the frontend origins', () => {
  it('answers the preflight of an allowed origin with the api\'s methods and headers, cached, never *', async () => {
    const res = await api.options('/v1/jobs/00000000-0000-4000-8000-000000000000')
      .set('Origin', frontend).set('Access-Control-Request-Method', 'PATCH').set('Access-Control-Request-Headers', 'authorization,content-type,if-match')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(frontend);
    expect(list(res.headers['access-control-allow-methods'])).toEqual(expect.arrayContaining(['get', 'post', 'patch', 'delete']));
    expect(list(res.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-match']));
    expect(res.headers['access-control-max-age']).toBe('3600');
    expect(list(res.headers.vary)).toContain('origin');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets an allowed origin read the answer and the headers it needs', async () => {
    const res = await api.post('/v1/jobs').set('Origin', 'http://localhost:5173').set('Authorization', 'Bearer dev:alice').send({ name: 'From the browser' }).expect(201);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(list(res.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(['etag', 'location', 'retry-after', 'x-request-id']));
    expect(list(res.headers.vary)).toContain('origin');
    const refused = await api.get('/v1/jobs').set('Origin', frontend).expect(401);
    expect(refused.headers['access-control-allow-origin']).toBe(frontend);
  });

  it('gives any other origin no CORS header at all, preflight or not', async () => {
    const preflight = await api.options('/v1/jobs').set('Origin', stranger).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization');
    // Express answers OPTIONS with its Allow list, but nothing a browser would take as permission.
    expect(corsHeaders(preflight.headers)).toEqual([]);
    const actual = await api.get('/v1/jobs').set('Origin', stranger).set('Authorization', 'Bearer dev:alice').expect(200);
    expect(corsHeaders(actual.headers)).toEqual([]);
    expect(list(actual.headers.vary)).toContain('origin');
    // An origin is matched exactly: no prefix, suffix or scheme tricks.
    for (const lookalike of [`${frontend}.evil.example`, 'http://app.bytereview.test', `${frontend}:8443`, 'null']) {
      const res = await api.get('/v1/jobs').set('Origin', lookalike).set('Authorization', 'Bearer dev:alice').expect(200);
      expect(corsHeaders(res.headers), lookalike).toEqual([]);
    }
  });

  it('with no FRONTEND_ORIGINS and no FRONTEND_URL, no origin is allowed', async () => {
    const closed = request(createApiApp(async () => platform, loadCorsSettings({})));
    const res = await closed.options('/v1/jobs').set('Origin', frontend).set('Access-Control-Request-Method', 'GET');
    expect(corsHeaders(res.headers)).toEqual([]);
  });
});

describe('FRONTEND_ORIGINS', () => {
  it('is a comma-separated list of origins; without it, the origin of FRONTEND_URL', () => {
    expect(loadCorsSettings({ FRONTEND_ORIGINS: ' https://a.example ,http://localhost:3000,' }).frontendOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(loadCorsSettings({ FRONTEND_URL: 'https://app.example/integrations?x=1' }).frontendOrigins).toEqual(['https://app.example']);
    expect(loadCorsSettings({ FRONTEND_ORIGINS: '', FRONTEND_URL: 'https://app.example/x' }).frontendOrigins).toEqual(['https://app.example']);
    expect(loadCorsSettings({}).frontendOrigins).toEqual([]);
  });

  it('refuses anything that is not an origin, naming the variable and the entry, never its value', () => {
    for (const bad of ['*', 'https://a.example/', 'https://a.example/app', 'app.example', 'ftp://a.example', 'https://a.example,https://*.example']) {
      expect(() => loadCorsSettings({ FRONTEND_ORIGINS: bad }), bad).toThrow(/FRONTEND_ORIGINS: entry \d is not an origin/);
      try {
        loadCorsSettings({ FRONTEND_ORIGINS: bad });
      } catch (error) {
        expect((error as Error).message).not.toMatch(/a\.example|app\.example/);
      }
    }
  });
});
