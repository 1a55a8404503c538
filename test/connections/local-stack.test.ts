import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../shared/local/stack.js';
import { createTestDatabase } from '../support/database.js';

let dataDir: string;
let stack: LocalStack;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'br-connect-'));
  // A test database (the stack closes it): opening PGlite in a new data folder runs initdb and
  // every migration, seconds of CPU that test/local/stack.test.ts already spends on npm start.
  stack = await startLocalStack({ port: 0, dataDir, database: await createTestDatabase(), env: { ...process.env, DATABASE_URL: '' } });
});
afterAll(async () => {
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('npm start connects the simulated Google account end to end through the browser redirects', async () => {
  const auth = { Authorization: 'Bearer dev:newcomer', 'content-type': 'application/json' };
  const started = await fetch(`${stack.url}/api/v1/integrations/google/connect`, { method: 'POST', headers: auth, body: JSON.stringify({ scopes: ['drive', 'gmail'] }) });
  const { authorizationUrl } = await started.json() as { authorizationUrl: string };
  // What a browser does: consent screen -> oauth-callback -> the frontend page.
  const landed = await fetch(authorizationUrl);
  expect(new URL(landed.url).pathname).toBe('/connected');
  const { outcome } = await landed.json() as { outcome: { status: string; code: string } };
  expect(outcome.status).toBe('consented');
  // What the frontend does on that page: finish as the signed-in user who started.
  const completed = await fetch(`${stack.url}/api/v1/integrations/google/complete`, { method: 'POST', headers: auth, body: JSON.stringify({ code: outcome.code }) });
  expect(completed.status).toBe(200);
  const { account: linked } = await completed.json() as { account: { id: string } };

  const account = await (await fetch(`${stack.url}/api/v1/integrations/${linked.id}`, { headers: auth })).json() as { status: string; services: string[]; gmailWatchExpiresAt: string | null };
  expect(account).toMatchObject({ status: 'connected', services: ['drive', 'gmail'] });
  expect(account.gmailWatchExpiresAt).not.toBeNull();
  const activity = await (await fetch(`${stack.url}/api/v1/activity?kind=connector_`, { headers: auth })).json() as { items: { kind: string }[] };
  expect(activity.items.map((e) => e.kind)).toEqual(['connector_connect_succeeded', 'connector_connect_started']);
});
