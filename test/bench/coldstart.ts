/**
 * Cold-start benchmark: `npm run bench:coldstart -- [--runs 5] [--only api,export]`.
 *
 * Builds every deployed function (`npm run build`'s `buildFunction`), then for each one:
 * - import: a fresh Node process imports `dist/functions/<name>/index.mjs` and reports the
 *   time from its own start (`performance.now()`, whose origin is the process's start) to
 *   the function being registered with the functions framework, and its RSS then; `--runs`
 *   times, fastest and median;
 * - first answer: the functions framework serves the built folder as Cloud Functions does
 *   (`functions-framework --target=<name>` with the folder as its source) with the
 *   production platform on a fresh migrated PostgreSQL database, and one request that
 *   reaches the function's code is sent until it is answered: the time from spawning the
 *   process to that answer. Pub/Sub functions get a binary-mode CloudEvent, extraction a
 *   Cloud Tasks body, api an authenticated GET, cleanup the scheduler's POST; the messages
 *   name ids the database does not hold, so each stage looks them up and acknowledges.
 *
 * The last line of output is one JSON object: `{ functions: { <name>: { import_seconds,
 * rss_mb, first_answer_seconds, ... } }, targets_met, load_average }`.
 * Environment: BENCH_DATABASE_URL (admin connection; default the local trust server).
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildFunction, deployedFunctions, type DeployedFunction } from '../../build/functions.js';
import { openDatabase } from '../../shared/db/connect.js';
import { migrateToLatest } from '../../shared/db/migrate.js';
import { adminQuery, withDatabase } from '../support/global-setup.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const require = createRequire(import.meta.url);
// The framework's command (`functions-framework`), as the Cloud Functions runtime starts it.
const FRAMEWORK_MAIN = path.join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
const FRAMEWORK_TESTING = pathToFileURL(require.resolve('@google-cloud/functions-framework/testing')).href;

/** Targets on this 2-core machine (issue 11): the HTTPS functions a person waits on, and the rest. */
const TARGETS: Record<'interactive' | 'background', { seconds: number; rssMb: number }> = {
  interactive: { seconds: 0.35, rssMb: 110 },
  background: { seconds: 0.6, rssMb: 140 },
};
const INTERACTIVE = new Set<DeployedFunction>(['api', 'oauth-callback']);

// The child: import the built entry, note the time since this process started and the RSS,
// then check that the function is registered under its name.
const IMPORT_PROBE = `
const [entry, name, testing] = process.argv.slice(2);
await import(entry);
const seconds = performance.now() / 1000;
const usage = process.cpuUsage();
const cpuSeconds = (usage.user + usage.system) / 1e6;
const rssMb = process.memoryUsage().rss / 2 ** 20;
const { getFunction } = await import(testing);
if (typeof getFunction(name) !== 'function') throw new Error(name + ' is not registered');
console.log(JSON.stringify({ seconds, cpuSeconds, rssMb }));
`;

interface ImportRun {
  seconds: number;
  /** CPU time of the process up to then: steadier than wall time on a busy host. */
  cpuSeconds: number;
  rssMb: number;
}

function runNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`))));
  });
}

/** One request per function that reaches its code: path, method, headers and body. */
function firstRequest(name: DeployedFunction): { method: string; path: string; headers: Record<string, string>; body?: string } {
  const id = () => randomUUID();
  const cloudEvent = (message: unknown) => ({
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/json',
      'ce-id': id(),
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-source': '//pubsub.googleapis.com/projects/bench/topics/bench',
    },
    body: JSON.stringify({
      message: { data: Buffer.from(JSON.stringify(message)).toString('base64'), messageId: id(), attributes: {} },
      subscription: 'projects/bench/subscriptions/bench',
    }),
  });
  switch (name) {
    case 'api':
      return { method: 'GET', path: '/v1/jobs', headers: { authorization: 'Bearer dev:bench-user' } };
    case 'oauth-callback':
      return { method: 'GET', path: '/?error=access_denied&state=bench', headers: {} };
    case 'cleanup':
      return { method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: '{}' };
    case 'extraction':
      return { method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ taskId: id(), runId: id() }) };
    case 'webhook':
      return { method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deliveryId: 'msg_bench0000000000000000000' }) };
    case 'run-initializer':
      return cloudEvent({ runId: id(), jobId: id(), userId: 'bench-user', operationId: id(), trigger: 'manual' });
    case 'drive-import':
    case 'gmail-import':
      return cloudEvent({ connectorJobId: id() });
    case 'gmail-push':
      return cloudEvent({ emailAddress: 'nobody@example.com', historyId: '1' });
    case 'export':
      return cloudEvent({ exportId: id() });
    case 'export-on-run-completed':
      return cloudEvent({ runId: id(), jobId: id(), userId: 'bench-user', status: 'completed' });
  }
}

/** The production settings, pointed at `databaseUrl`; nothing here is reached on these requests but the database. */
function productionEnv(databaseUrl: string, name: DeployedFunction, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    // No K_SERVICE: on Google Cloud the api takes Firebase tokens only and extraction and
    // cleanup OIDC-signed callers only; these requests use the development identity and no
    // token, so they run as a development deployment (APP_ENV below) and reach the code.
    FUNCTION_TARGET: name,
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: '1',
    APP_ENV: 'development', // the api accepts the development identity of the request above
    GOOGLE_CLOUD_PROJECT: 'bench-project',
    UPLOADS_BUCKET: 'bench-uploads',
    EXPORTS_BUCKET: 'bench-exports',
    GOOGLE_OAUTH_CLIENT_ID: 'bench-client',
    GOOGLE_OAUTH_CLIENT_SECRET: 'bench-secret',
    OAUTH_REDIRECT_URI: 'http://127.0.0.1:1/oauth-callback',
    FRONTEND_URL: 'http://127.0.0.1:1/app',
    OAUTH_STATE_SECRET: randomBytes(24).toString('hex'),
    TOKEN_KEYS_SECRET_VERSION: 'projects/bench-project/secrets/token-keys/versions/1',
    GMAIL_WATCH_TOPIC: 'projects/bench-project/topics/gmail-watch',
    TASKS_LOCATION: 'us-central1',
    EXTRACTION_URL: 'http://127.0.0.1:1/extraction',
    WEBHOOK_URL: 'http://127.0.0.1:1/webhook',
    TASKS_INVOKER_SERVICE_ACCOUNT: 'tasks-invoker@bench-project.iam.gserviceaccount.com',
    // No metadata server here: the Google clients are never asked for a token on these requests.
    METADATA_SERVER_DETECTION: 'none',
  };
}

/** Serves the built function and times spawn -> first answer of `firstRequest`. */
async function firstAnswer(name: DeployedFunction, databaseUrl: string, port: number): Promise<{ seconds: number; status: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [FRAMEWORK_MAIN, `--target=${name}`, '--source=.'], {
    cwd: path.join(ROOT, 'dist', 'functions', name),
    env: productionEnv(databaseUrl, name, port),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${stderr.slice(-2000)}`))));
  exited.catch(() => {});
  try {
    const request = firstRequest(name);
    for (;;) {
      try {
        const response = await Promise.race([
          fetch(`http://127.0.0.1:${port}${request.path}`, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' }),
          exited,
        ]);
        await response.arrayBuffer();
        const seconds = (performance.now() - started) / 1000;
        if (response.status >= 500) throw new Error(`${name} answered ${response.status}: ${stderr.slice(-2000)}`);
        return { seconds, status: response.status };
      } catch (error) {
        if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw error;
        if (performance.now() - started > 30_000) throw new Error(`${name} did not listen within 30 s: ${stderr.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
}

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const runs = Number(argument('runs', '5'));
  const only = argument('only', '');
  const names = (Object.keys(deployedFunctions) as DeployedFunction[]).filter((name) => !only || only.split(',').includes(name));
  const loadBefore = loadavg()[0]!;
  for (const name of names) await buildFunction(name);
  console.log(`built ${names.length} functions into dist/functions/`);

  const dbName = `br_coldstart_${randomBytes(4).toString('hex')}`;
  await adminQuery(ADMIN_URL, `CREATE DATABASE ${dbName}`);
  const databaseUrl = withDatabase(ADMIN_URL, dbName);
  const probeDir = await mkdtemp(path.join(tmpdir(), 'coldstart-'));
  const probe = path.join(probeDir, 'probe.mjs');
  await writeFile(probe, IMPORT_PROBE);
  const results: Record<string, Record<string, number | boolean>> = {};
  try {
    const handle = await openDatabase({ kind: 'postgres', url: databaseUrl, poolMax: 1, statementTimeoutMs: 60_000 });
    await migrateToLatest(handle);
    await handle.close();
    let port = 18_400 + Math.floor(Math.random() * 1000);
    for (const name of names) {
      const entry = pathToFileURL(path.join(ROOT, 'dist', 'functions', name, 'index.mjs')).href;
      const imports: ImportRun[] = [];
      for (let run = 0; run < runs; run++) imports.push(JSON.parse((await runNode([probe, entry, name, FRAMEWORK_TESTING])).trim().split('\n').at(-1)!) as ImportRun);
      const answer = await firstAnswer(name, databaseUrl, port++);
      const target = INTERACTIVE.has(name) ? TARGETS.interactive : TARGETS.background;
      const fastest = imports.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const result = {
        import_seconds: round(fastest.seconds),
        import_seconds_median: round(median(imports.map((run) => run.seconds))),
        import_cpu_seconds: round(Math.min(...imports.map((run) => run.cpuSeconds))),
        rss_mb: round(fastest.rssMb, 1),
        rss_mb_median: round(median(imports.map((run) => run.rssMb)), 1),
        first_answer_seconds: round(answer.seconds),
        first_answer_status: answer.status,
        target_seconds: target.seconds,
        target_rss_mb: target.rssMb,
        meets_target: fastest.seconds <= target.seconds && fastest.rssMb <= target.rssMb,
      };
      results[name] = result;
      console.log(
        `${name}: import ${result.import_seconds} s (median ${result.import_seconds_median}, cpu ${result.import_cpu_seconds} s), RSS ${result.rss_mb} MB (median ${result.rss_mb_median}); ` +
          `first answer ${result.first_answer_seconds} s (HTTP ${answer.status}); target ${target.seconds} s / ${target.rssMb} MB: ${result.meets_target ? 'met' : 'MISSED'}`,
      );
    }
  } finally {
    await rm(probeDir, { recursive: true, force: true });
    await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
  console.log(
    JSON.stringify({
      functions: results,
      runs,
      targets_met: Object.values(results).every((result) => result.meets_target),
      node: process.version,
      load_average: [round(loadBefore, 2), round(loadavg()[0]!, 2)],
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
