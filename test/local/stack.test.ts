import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalStack } from '../../shared/local/stack.js';
import { waitFor } from '../support/wait.js';

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

/** Starts `npm start` on a free port; resolves with the process and its URL once the banner is printed. */
async function npmStart(): Promise<{ npm: ChildProcess; url: string; node: number }> {
  const npm = spawn('npm', ['start'], { env: { ...env, PORT: '0', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    npm.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /console\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve(match[1]!);
    });
    npm.on('exit', (code) => reject(new Error(`npm start exited (${code}) before answering:\n${output}`)));
  });
  // npm runs the script as `sh -c "exec node ..."`: its one child is the stack's node process.
  const children = (await readFile(`/proc/${npm.pid}/task/${npm.pid}/children`, 'utf8')).trim().split(/\s+/).map(Number);
  expect(children).toHaveLength(1);
  expect(output).toContain(`database     PGlite in ${dataDir}`);
  return { npm, url, node: children[0]! };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it.each(['SIGTERM', 'SIGINT'] as const)('%s to npm start stops the stack\'s node process and frees its port', async (signal) => {
  const { npm, url, node } = await npmStart();
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  npm.kill(signal);
  await exited;
  await waitFor(() => !alive(node), 10_000);
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
}, 120_000);
