import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalStack } from '../../shared/local/stack.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'br-stack-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

// The local stack always uses the embedded PGlite default, whatever the test engine is.
const env = { ...process.env, DATABASE_URL: '' };
const auth = { Authorization: 'Bearer dev:newcomer' };

it('npm start serves the api with a working run, stops cleanly, and its data survives a restart', async () => {
  let stack = await startLocalStack({ port: 0, dataDir, env });
  const form = new FormData();
  form.append('file', new Blob(['Invoice number: INV-7\nTotal: $12.50\n']), 'note.txt');
  const job = await (await fetch(`${stack.url}/api/v1/jobs`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Notes', fields: [{ name: 'Invoice number', type: 'text' }, { name: 'Total', type: 'currency' }] }),
  })).json() as { id: string };
  expect((await fetch(`${stack.url}/api/v1/jobs/${job.id}/files`, { method: 'POST', headers: auth, body: form })).status).toBe(201);
  const { runId } = await (await fetch(`${stack.url}/api/v1/jobs/${job.id}/runs`, { method: 'POST', headers: auth })).json() as { runId: string };
  let run: { status: string };
  const deadline = Date.now() + 30_000;
  do {
    await new Promise((r) => setTimeout(r, 200));
    run = await (await fetch(`${stack.url}/api/v1/runs/${runId}`, { headers: auth })).json() as { status: string };
  } while (run.status !== 'completed' && Date.now() < deadline);
  expect(run.status).toBe('completed');
  await stack.close();

  stack = await startLocalStack({ port: 0, dataDir, env });
  try {
    const results = await (await fetch(`${stack.url}/api/v1/runs/${runId}/results`, { headers: auth })).json() as { items: { rows: unknown[][]; engine: string }[] };
    expect(results.items[0]).toMatchObject({ rows: [['INV-7', 12.5]], engine: 'local-text-v1' });
  } finally {
    await stack.close();
  }
}, 120_000);

it('the local stack lets its own pages and the origins of FRONTEND_ORIGINS call the api from a browser, and no other', async () => {
  const stack = await startLocalStack({ port: 0, dataDir, env: { ...env, FRONTEND_ORIGINS: 'http://localhost:5173' } });
  try {
    const preflight = (origin: string) => fetch(`${stack.url}/api/v1/jobs`, {
      method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' },
    });
    for (const origin of [stack.url, 'http://localhost:5173']) {
      const res = await preflight(origin);
      expect(res.status, origin).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    }
    expect((await preflight('http://localhost:3000')).headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await stack.close();
  }
}, 60_000);
