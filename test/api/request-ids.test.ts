import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { createLogger, currentLogContext, withLogContext } from '../../shared/log.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const alice = { Authorization: 'Bearer dev:alice' };
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let platform: TestPlatform;
let api: ReturnType<typeof request>;
const lines: Record<string, unknown>[] = [];
beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  platform.log = createLogger('api', (line) => lines.push(JSON.parse(line)));
  api = request(createApiApp(async () => platform));
});
afterAll(() => platform.close());

/** The log lines that carry `requestId`, once the answer's logging has run. */
async function linesOf(requestId: string) {
  await new Promise((r) => setTimeout(r, 20));
  return lines.filter((l) => l.requestId === requestId);
}

describe('X-Request-Id', () => {
  it('every answer has one: a new UUID, or the caller\'s own when it is well formed', async () => {
    const ok = await api.get('/v1/jobs').set(alice).expect(200);
    expect(ok.headers['x-request-id']).toMatch(uuidPattern);
    const created = await api.post('/v1/jobs').set(alice).send({ name: 'J' }).expect(201);
    expect(created.headers['x-request-id']).toMatch(uuidPattern);
    expect(created.headers['x-request-id']).not.toBe(ok.headers['x-request-id']);
    const spec = await api.get('/openapi.json').expect(200);
    expect(spec.headers['x-request-id']).toMatch(uuidPattern);

    const mine = await api.get('/v1/jobs').set(alice).set('X-Request-Id', 'frontend-7f3a9c21:retry.2').expect(200);
    expect(mine.headers['x-request-id']).toBe('frontend-7f3a9c21:retry.2');
    for (const malformed of ['', 'has spaces in it', 'x'.repeat(129), '<script>alert(1)</script>', 'a/b@c']) {
      const res = await api.get('/v1/jobs').set(alice).set('X-Request-Id', malformed).expect(200);
      expect(res.headers['x-request-id']).toMatch(uuidPattern);
    }
  });

  it('every error body carries it, whoever refused the request', async () => {
    const refusals = [
      await api.get('/v1/jobs').expect(401),
      await api.get('/v1/jobs/not-a-uuid').set(alice).expect(400),
      await api.post('/v1/jobs').set(alice).set('Content-Type', 'application/json').send('{"name":').expect(400),
      await api.get('/v1/jobs/00000000-0000-4000-8000-000000000000').set(alice).expect(404),
      await api.get('/v1/no-such-thing').set(alice).expect(404),
      await api.post('/v1/jobs').set(alice).send({ name: 'x'.repeat(2_000_000) }).expect(413),
    ];
    for (const res of refusals) {
      expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
      expect(res.body.error.requestId).toMatch(uuidPattern);
    }
  });

  it("an error's request id finds its log line", async () => {
    const res = await api.get('/v1/jobs/00000000-0000-4000-8000-000000000000').set(alice).set('X-Request-Id', 'support-case-4711').expect(404);
    expect(res.body.error.requestId).toBe('support-case-4711');
    expect(await linesOf('support-case-4711')).toEqual([
      expect.objectContaining({ severity: 'WARNING', message: 'api request refused', status: 404, code: 'not_found', method: 'GET', path: '/v1/jobs/00000000-0000-4000-8000-000000000000' }),
    ]);
  });

  it('a failure on our side logs its error with the stack under the request id the user is shown, even when the body arrived late', async () => {
    const broken = await createTestPlatform({ extractor: scriptedExtractor() });
    const brokenLines: Record<string, unknown>[] = [];
    broken.log = createLogger('api', (line) => brokenLines.push(JSON.parse(line)));
    const server = createServer(createApiApp(async () => broken)).listen(0, '127.0.0.1');
    try {
      await once(server, 'listening');
      await sql`DROP TABLE templates CASCADE`.execute(broken.database.db);
      // The body comes 200 ms after the headers: the body parser calls back from the socket's events, and the log context must survive that.
      const body = JSON.stringify({ name: 'T', fields: [{ name: 'A', type: 'text' }] });
      const req = httpRequest(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/templates`, {
        method: 'POST', headers: { ...alice, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      req.flushHeaders();
      await new Promise((r) => setTimeout(r, 200));
      req.end(body);
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      const answer = JSON.parse(Buffer.concat(chunks).toString());
      expect(res.statusCode).toBe(500);
      expect(answer.error).toEqual({ code: 'internal', message: 'Something went wrong on our side; try again', requestId: res.headers['x-request-id'] });
      await new Promise((r) => setTimeout(r, 20));
      const mine = brokenLines.filter((l) => l.requestId === answer.error.requestId);
      expect(mine).toEqual([
        expect.objectContaining({ severity: 'ERROR', message: 'unhandled error in api', error: expect.objectContaining({ message: expect.stringMatching(/templates/), stack: expect.any(String) }) }),
        expect.objectContaining({ severity: 'WARNING', message: 'api request refused', status: 500, code: 'internal', method: 'POST', path: '/v1/templates' }),
      ]);
      expect(brokenLines.filter((l) => l.requestId === undefined)).toEqual([]);
    } finally {
      server.close();
      await broken.close();
    }
  });
});

describe('the log context', () => {
  it('every line logged inside it, however deep and after however many awaits, carries its fields; fields given to the line win', async () => {
    const out: Record<string, unknown>[] = [];
    const log = createLogger('test', (line) => out.push(JSON.parse(line)));
    await withLogContext({ requestId: 'req-12345678' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      log.info('outer');
      await withLogContext({ trace: 'trace-1' }, async () => {
        await Promise.resolve();
        log.warn('inner');
        expect(currentLogContext()).toEqual({ requestId: 'req-12345678', trace: 'trace-1' });
      });
      log.error('explicit', { requestId: 'other' });
    });
    log.info('outside');
    expect(out.map((l) => [l.message, l.requestId, l.trace])).toEqual([
      ['outer', 'req-12345678', undefined], ['inner', 'req-12345678', 'trace-1'], ['explicit', 'other', undefined], ['outside', undefined, undefined],
    ]);
  });
});
