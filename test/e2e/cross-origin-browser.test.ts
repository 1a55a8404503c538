import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * The api as a browser meets it: a page on a second local origin (on FRONTEND_ORIGINS)
 * calls it with a bearer token, retries with an Idempotency-Key and edits with If-Match;
 * a page on an origin not on the list is refused by the browser itself. Debian's chromium
 * (`.ci/run` installs it), driven by puppeteer-core.
 */
const chromium = '/usr/bin/chromium';
// Outside CI a machine without chromium skips this file; CI installs it, so there it must run.
const skip = !existsSync(chromium) && !process.env.CI;

let platform: TestPlatform;
let browser: Browser;
const servers: Server[] = [];
let apiUrl: string;
let allowedPage: string;
let strangerPage: string;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const page = (_req: unknown, res: import('node:http').ServerResponse) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end('<!doctype html><title>frontend</title><p>a page of the frontend</p>');
};

beforeAll(async () => {
  if (skip) return;
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  allowedPage = await listen(page);
  strangerPage = await listen(page);
  // The api on its own origin (another port), allowing only the first page's origin.
  apiUrl = await listen(createApiApp(async () => platform, { frontendOrigins: [allowedPage] }));
  browser = await puppeteer.launch({
    executablePath: chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
  await platform?.close();
});

describe.skipIf(skip)('the api called from a page on another origin, in chromium', () => {
  it('a page on an allowed origin creates, retries and edits with a bearer token, and reads ETag, X-Request-Id and Idempotent-Replayed', async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(allowedPage);
      const seen = await tab.evaluate(async (api) => {
        const auth = { Authorization: 'Bearer dev:browser-user' };
        const create = () => fetch(`${api}/v1/jobs`, {
          method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'tab-1-create-invoices' },
          body: JSON.stringify({ name: 'Invoices', fields: [{ name: 'Total', type: 'currency' }] }),
        });
        const created = await create();
        const job = (await created.json()) as { id: string };
        const retried = await create();
        const edit = (etag: string, name: string) => fetch(`${api}/v1/jobs/${job.id}`, {
          method: 'PATCH', headers: { ...auth, 'Content-Type': 'application/json', 'If-Match': etag }, body: JSON.stringify({ name }),
        });
        const renamed = await edit(created.headers.get('ETag')!, 'Invoices 2026');
        const stale = await edit(created.headers.get('ETag')!, 'Lost update');
        const staleBody = (await stale.json()) as { error: { code: string; requestId: string } };
        return {
          created: { status: created.status, etag: created.headers.get('ETag'), requestId: created.headers.get('X-Request-Id'), id: job.id },
          retried: { status: retried.status, id: ((await retried.json()) as { id: string }).id, replayed: retried.headers.get('Idempotent-Replayed') },
          renamed: { status: renamed.status, etag: renamed.headers.get('ETag'), name: ((await renamed.json()) as { name: string }).name },
          stale: { status: stale.status, etag: stale.headers.get('ETag'), code: staleBody.error.code, requestId: staleBody.error.requestId, header: stale.headers.get('X-Request-Id') },
        };
      }, apiUrl);
      expect(seen.created).toMatchObject({ status: 201, etag: '"1"', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(seen.retried).toEqual({ status: 201, id: seen.created.id, replayed: 'true' });
      expect(seen.renamed).toEqual({ status: 200, etag: '"2"', name: 'Invoices 2026' });
      expect(seen.stale).toMatchObject({ status: 412, etag: '"2"', code: 'version_mismatch' });
      expect(seen.stale.requestId).toBe(seen.stale.header);
      const jobs = await platform.database.db.selectFrom('extraction_jobs').select('name').where('user_id', '=', 'browser-user').execute();
      expect(jobs).toEqual([{ name: 'Invoices 2026' }]);
    } finally {
      await tab.close();
    }
  });

  it('a page on an origin not on the list is refused by the browser: it reads nothing, and its POST is never sent', async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(strangerPage);
      const outcome = await tab.evaluate(async (api) => {
        const attempt = async (init: RequestInit) => {
          try {
            const res = await fetch(`${api}/v1/jobs`, init);
            return `answered ${res.status}`;
          } catch (error) {
            return `refused: ${(error as Error).name}`;
          }
        };
        return {
          read: await attempt({ headers: { Authorization: 'Bearer dev:stranger' } }),
          write: await attempt({ method: 'POST', headers: { Authorization: 'Bearer dev:stranger', 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Planted' }) }),
        };
      }, apiUrl);
      expect(outcome).toEqual({ read: 'refused: TypeError', write: 'refused: TypeError' });
      const planted = await platform.database.db.selectFrom('extraction_jobs').select('id').where('user_id', '=', 'stranger').execute();
      expect(planted).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
