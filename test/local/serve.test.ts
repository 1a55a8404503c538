import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunction, type DeployedFunction } from '../../build/functions.js';
import { createApiApp } from '../../functions/api/app.js';
import { LocalBlobStore } from '../../shared/blobs/local.js';
import { openDatabase } from '../../shared/db/connect.js';
import { migrateToLatest } from '../../shared/db/migrate.js';
import type { MessageBus } from '../../shared/messaging/bus.js';
import type { MessageName } from '../../shared/messaging/contracts.js';
import { createTestPlatform } from '../support/platform.js';
import { scriptedExtractor } from '../support/extractors.js';

// `npm run serve` against the real bundles of `npm run build` (built here into a folder of
// the repository, so the bundle resolves the functions framework from node_modules as the
// deployed one does from its installed dependencies), on the Node 24 this suite runs on.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const builds = path.join(ROOT, 'dist', `.serve-test-${process.pid}`);
const sourceOf = (name: DeployedFunction) => path.join(builds, name);
const auth = { Authorization: 'Bearer dev:server' };
// The local stack's own default, PGlite in DATA_DIR, whatever the suite's engine is.
const baseEnv = { ...process.env, DATABASE_URL: '' };

const started: ChildProcess[] = [];
const dataDirs: string[] = [];
// One data folder for the file's tests, one after the other (PGlite allows one process at a
// time): the first to start the stack creates its cluster and migrates it, the second finds it
// current, as a user's later `npm run serve` does. Creating a cluster costs ~5 s of CPU.
let dataDir: Promise<string> | undefined;
const servedDataDir = () => (dataDir ??= mkdtemp(path.join(tmpdir(), 'br-serve-')).then((dir) => {
  dataDirs.push(dir);
  return dir;
}));

beforeAll(async () => {
  for (const name of ['api', 'run-initializer'] as const) await buildFunction(name, { outdir: sourceOf(name) });
}, 300_000);

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all([builds, ...dataDirs].map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Served {
  /** The served function's URL. */
  url: string;
  /** The local stack's (its api is at `${stackUrl}/api`). */
  stackUrl: string;
  node: string;
  stop(): Promise<void>;
}

/** `npm run serve -- --target=<name> --source=<bundle> --port=0` (the script's command), until its banner names the port. */
async function serve(name: DeployedFunction, dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'shared/local/serve.ts', `--target=${name}`, `--source=${sourceOf(name)}`, '--port=0'], {
    cwd: ROOT, env: { ...baseEnv, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const banner = /on (http:\/\/127\.0\.0\.1:\d+)\/ \(Node ([\d.]+)\)[\s\S]*its other functions at (http:\/\/[\d.:]+)\)/.exec(output);
    if (banner) {
      return {
        url: banner[1]!, node: banner[2]!, stackUrl: banner[3]!,
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`serve ${name} exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`serve ${name} printed no banner within 60 s: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runStatus(apiUrl: string, runId: string, until: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  let status = '';
  while (Date.now() < deadline) {
    const res = await fetch(`${apiUrl}/v1/runs/${runId}`, { headers: auth });
    status = ((await res.json()) as { status: string }).status;
    if (status === until) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return status;
}

const note = () => {
  const form = new FormData();
  form.append('file', new Blob(['Invoice number: INV-7\nTotal: $12.50\n']), 'note.txt');
  return form;
};
const fields = [{ name: 'Invoice number', type: 'text' }, { name: 'Total', type: 'currency' }];

describe('npm run serve runs one built function on the local stack', () => {
  it('api: answers real requests against the stack, its messages are handled by the stack\'s stages', async () => {
    const served = await serve('api', await servedDataDir());
    try {
      expect(served.node.split('.')[0]).toBe('24');
      // An error of the stack's authenticator (another copy of HttpError than the bundle's) is still a 401.
      expect((await fetch(`${served.url}/v1/jobs`)).status).toBe(401);
      const job = await fetch(`${served.url}/v1/jobs`, {
        method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Served', fields }),
      });
      expect(job.status).toBe(201);
      const { id: jobId } = await job.json() as { id: string };
      expect((await fetch(`${served.url}/v1/jobs/${jobId}/files`, { method: 'POST', headers: auth, body: note() })).status).toBe(201);
      const run = await fetch(`${served.url}/v1/jobs/${jobId}/runs`, { method: 'POST', headers: auth });
      expect(run.status).toBe(202);
      const { runId } = await run.json() as { runId: string };
      expect(await runStatus(served.url, runId, 'completed')).toBe('completed');
      const results = await (await fetch(`${served.url}/v1/runs/${runId}/results`, { headers: auth })).json() as { items: { rows: unknown[][]; engine: string }[] };
      expect(results.items[0]).toMatchObject({ rows: [['INV-7', 12.5]], engine: 'local-text-v1' });
    } finally {
      await served.stop();
    }
  }, 120_000);

  it('run-initializer: a Pub/Sub CloudEvent POST initializes a requested run, whose tasks the stack extracts', async () => {
    const dataDir = await servedDataDir();
    // A run requested through the real api on the served data folder, its run.requested
    // message kept instead of delivered: the served function is the one to handle it.
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    await migrateToLatest(database);
    const platform = await createTestPlatform({
      extractor: scriptedExtractor(), database: { ...database, url: null },
      blobs: new LocalBlobStore({ root: path.join(dataDir, 'blobs'), linkBaseUrl: 'http://127.0.0.1:1/blobs', linkSecret: 'serve-test-link-secret-0123456789' }),
    });
    const kept: { name: MessageName; message: unknown }[] = [];
    const keeping: MessageBus = {
      publish: async (name, message) => void kept.push({ name, message }),
      enqueue: async (name, message) => void kept.push({ name, message }),
    };
    const api = request(createApiApp(async () => ({ ...platform, bus: keeping })));
    const job = await api.post('/v1/jobs').set(auth).send({ name: 'Requested', fields }).expect(201);
    await api.post(`/v1/jobs/${job.body.id}/files`).set(auth).attach('file', Buffer.from('Invoice number: INV-7\nTotal: $12.50\n'), 'note.txt').expect(201);
    const { runId } = (await api.post(`/v1/jobs/${job.body.id}/runs`).set(auth).expect(202)).body as { runId: string };
    await platform.close();
    const requested = kept.find((entry) => entry.name === 'run.requested');
    expect(requested?.message).toMatchObject({ runId });

    const served = await serve('run-initializer', dataDir);
    try {
      const stackApi = `${served.stackUrl}/api`;
      expect(await runStatus(stackApi, runId, 'pending')).toBe('pending');
      const answer = await fetch(served.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'ce-id': 'serve-test-1',
          'ce-specversion': '1.0',
          'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
          'ce-source': '//pubsub.googleapis.com/projects/local/topics/run-requested',
        },
        body: JSON.stringify({
          message: { data: Buffer.from(JSON.stringify(requested!.message)).toString('base64'), messageId: 'serve-test-1', attributes: { topic: 'run.requested' } },
          subscription: 'projects/local/subscriptions/run-initializer',
        }),
      });
      expect(answer.status).toBeLessThan(300);
      expect(await runStatus(stackApi, runId, 'completed')).toBe('completed');
      const results = await (await fetch(`${stackApi}/v1/runs/${runId}/results`, { headers: auth })).json() as { items: { rows: unknown[][] }[] };
      expect(results.items[0]?.rows).toEqual([['INV-7', 12.5]]);
    } finally {
      await served.stop();
    }
  }, 180_000);
});

describe('a built function on Google Cloud refuses the local platform and PGlite', () => {
  /** Imports the api bundle in a fresh Node process with `env`, the launcher's hook set or not; its exit code and output. */
  async function startBundle(env: NodeJS.ProcessEnv, offerPlatform: boolean): Promise<{ code: number | null; output: string }> {
    const entry = pathToFileURL(path.join(sourceOf('api'), 'index.mjs')).href;
    // What shared/platform.ts's offerLauncherPlatform does: the hook a launcher sets before the import.
    const offer = offerPlatform ? "globalThis[Symbol.for('bytereview.launcher-platform')] = { log: console };" : '';
    const child = spawn(process.execPath, ['--input-type=module', '-e', `${offer} await import(${JSON.stringify(entry)}); console.log('STARTED');`], {
      cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, output };
  }

  const production = {
    PATH: process.env.PATH, HOME: process.env.HOME, FUNCTION_TARGET: 'api', K_SERVICE: 'api',
    // Whatever APP_ENV says: K_SERVICE makes it production.
    APP_ENV: 'development',
    GOOGLE_CLOUD_PROJECT: 'p', UPLOADS_BUCKET: 'p-uploads', EXPORTS_BUCKET: 'p-exports',
    GOOGLE_OAUTH_CLIENT_ID: 'c', GOOGLE_OAUTH_CLIENT_SECRET: 's', OAUTH_REDIRECT_URI: 'https://p.example/oauth-callback',
    FRONTEND_URL: 'https://p.example/app', OAUTH_STATE_SECRET: 'x'.repeat(40),
    TOKEN_KEYS_SECRET_VERSION: 'projects/p/secrets/token-keys/versions/1', GMAIL_WATCH_TOPIC: 'projects/p/topics/gmail-watch',
    TASKS_LOCATION: 'us-central1', EXTRACTION_URL: 'https://p.example/extraction', WEBHOOK_URL: 'https://p.example/webhook',
    TASKS_INVOKER_SERVICE_ACCOUNT: 'tasks@p.iam.gserviceaccount.com',
  };

  it('with every production setting, the bundle starts (the control of the two below)', async () => {
    const { code, output } = await startBundle({ ...production, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, false);
    expect(output).toContain('STARTED');
    expect(code).toBe(0);
  }, 60_000);

  it('with K_SERVICE set, a platform offered by a launcher stops the start-up', async () => {
    const { code, output } = await startBundle({ ...production, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, true);
    expect(code).not.toBe(0);
    expect(output).not.toContain('STARTED');
    expect(output).toContain('A local platform was offered to api in production');
  }, 60_000);

  it('with K_SERVICE set and no database setting, the bundle refuses to start rather than use PGlite', async () => {
    const { code, output } = await startBundle({ ...production, DATA_DIR: '/tmp/never-used' }, false);
    expect(code).not.toBe(0);
    expect(output).not.toContain('STARTED');
    expect(output).toMatch(/CLOUD_SQL_INSTANCE: required in production .* DATABASE_URL/);
  }, 60_000);
});
