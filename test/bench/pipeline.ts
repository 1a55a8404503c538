/**
 * `npm run bench:pipeline`: the extraction pipeline end to end on the real PostgreSQL
 * server, wired like the local stack (in-process dispatcher subscribed to the real stage
 * handlers), with every statement the pool executes counted.
 *
 * 1. Throughput: a job with 1,000 files and a zero-latency extractor; time from
 *    `requestRun` (+ relay) to the run's final status, and statements per task.
 *    Targets: >= 300 tasks/s, <= 8 statements per task.
 * 2. Stress (seed 002 §9): 500 tasks whose simulated model call takes 5-25 s (seeded
 *    PRNG), all concurrent; wall time from request to final status. Target: <= 30 s.
 *
 * Environment: BENCH_DATABASE_URL (admin connection; default the local trust server),
 * BENCH_POOL (pool size, 10), BENCH_ROUNDS (throughput rounds, 3), BENCH_TASKS (1000),
 * BENCH_STRESS_TASKS (500), BENCH_SEED (2), BENCH_SKIP_STRESS=1.
 * Progress goes to stdout; the LAST line is one JSON object with the figures.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { LocalBlobStore } from '../../shared/blobs/local.js';
import { fromPool, pgTypes } from '../../shared/db/connect.js';
import { migrateToLatest } from '../../shared/db/migrate.js';
import type { ExtractionAnswer, ExtractionRequest, Extractor } from '../../shared/extraction/types.js';
import { silentLogger } from '../../shared/log.js';
import type { MessageName } from '../../shared/messaging/contracts.js';
import { createLocalDispatcher } from '../../shared/messaging/local-dispatcher.js';
import { relayAfterCommit } from '../../shared/outbox/outbox.js';
import type { Platform } from '../../shared/platform.js';
import { requestRun } from '../../shared/runs/request-run.js';
import { stageHandlers } from '../../shared/stages.js';
import { backendCpuSeconds } from './backend-cpu.js';
import { createStatementCounter } from './statement-counter.js';
import { seededRandom } from '../support/seeded-random.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const POOL_SIZE = Number(process.env.BENCH_POOL ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
const STRESS_TASKS = Number(process.env.BENCH_STRESS_TASKS ?? 500);
const SEED = Number(process.env.BENCH_SEED ?? 2);
const SKIP_STRESS = process.env.BENCH_SKIP_STRESS === '1';
const TARGET_TASKS_PER_SECOND = 300;
const TARGET_STATEMENTS_PER_TASK = 8;
const TARGET_STRESS_SECONDS = 30;
const USER = 'bench-user';

const progress = (line: string): void => console.log(`[bench:pipeline] ${line}`);

/** Answers one valid row at once, or after the latency `latencyMs` gives the file. */
function benchExtractor(latencyMs?: (filename: string) => number): Extractor & { calls: number; inFlight: number; maxInFlight: number } {
  const state = {
    engine: 'bench',
    calls: 0,
    inFlight: 0,
    maxInFlight: 0,
    async extract(request: ExtractionRequest): Promise<ExtractionAnswer> {
      state.calls++;
      const wait = latencyMs?.(request.file.filename) ?? 0;
      if (wait > 0) {
        state.inFlight++;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        await new Promise((resolve) => setTimeout(resolve, wait));
        state.inFlight--;
      }
      const columns = request.fields.map((f) => f.name);
      const row = request.fields.map((f, i) => (i === 0 ? request.file.filename : f.type === 'number' ? 42.5 : null));
      return { columns, results: [row], engine: 'bench', model: request.model, usage: { inputTokens: 100, outputTokens: 10 } };
    },
  };
  return state;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const dbName = `bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${dbName}`);
  progress(`created database ${dbName}; pool size ${POOL_SIZE}`);
  const pool = new pg.Pool({
    connectionString: withDatabase(ADMIN_URL, dbName),
    max: POOL_SIZE,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 30_000,
    statement_timeout: 60_000,
    types: pgTypes,
  });
  const counter = createStatementCounter(pool);
  const database = fromPool(pool);
  const blobDir = await mkdtemp(path.join(tmpdir(), 'br-bench-blobs-'));
  let dispatcherClosed = false;
  const dispatcher = createLocalDispatcher({ maxAttempts: 5, backoff: () => 50, log: () => {}, onDeadLetter: (l) => progress(`DEAD LETTER ${l.name}: ${String(l.error)}`) });

  try {
    await migrateToLatest(database);
    progress('migrated');
    const db = database.db;
    await db.insertInto('users').values({ id: USER }).execute();

    // One platform whose extractor the scenarios swap.
    let extractor: Extractor = benchExtractor();
    const tokenKeyring = { activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
    const platform: Platform = {
      database,
      bus: dispatcher,
      blobs: new LocalBlobStore({ root: blobDir, linkBaseUrl: 'http://127.0.0.1:1/blobs', linkSecret: 'bench-link-secret-0123456789' }),
      get extractor() { return extractor; },
      // Unused by the run stages; filled in as the test platform does.
      google: {
        clientId: 'bench-client-id',
        clientSecret: 'bench-client-secret',
        redirectUri: 'http://127.0.0.1:1/oauth-callback',
        stateSecret: randomBytes(32).toString('base64url'),
        frontendUrl: 'http://frontend.test/integrations',
        gmailEnabled: false,
        gmailWatchTopic: 'projects/bench/topics/gmail-watch',
        tokenKeyring: async () => tokenKeyring,
      },
      defaultModel: 'bench-model',
      workerId: 'bench-worker',
      log: silentLogger,
      authenticate: async () => ({ uid: USER }),
    };
    // When the initializer finished (tasks created and relayed), to split the run's wall time.
    let initializedAt = 0;
    for (const [name, handler] of Object.entries(stageHandlers)) {
      dispatcher.subscribe(name as MessageName, async (message) => {
        await handler!(platform, message as never);
        if (name === 'run.requested') initializedAt = performance.now();
      });
    }
    // The run's final status arrives as `run.completed` (published right after the commit that set it).
    const finished = new Map<string, (status: string) => void>();
    dispatcher.subscribe('run.completed', (message) => finished.get(message.runId)?.(message.status));

    /** A job with `files` source files (rows only: the bench extractor reads no bytes). */
    const createJob = async (files: number, label: string): Promise<string> => {
      const job = await db.insertInto('extraction_jobs').values({ user_id: USER, name: label }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('job_fields').values([
        { job_id: job.id, field_name: 'Name', data_type_id: 'text', display_order: 0 },
        { job_id: job.id, field_name: 'Total', data_type_id: 'number', display_order: 1 },
      ]).execute();
      for (let start = 0; start < files; start += 1000) {
        const n = Math.min(1000, files - start);
        await db.insertInto('source_files').values(Array.from({ length: n }, (_, k) => ({
          job_id: job.id,
          original_filename: `doc-${String(start + k).padStart(5, '0')}.pdf`,
          gcs_object_name: `${USER}/${job.id}/doc-${start + k}`,
          file_type: 'application/pdf',
          file_size_bytes: 10,
          source_type: 'upload',
        }))).execute();
      }
      await sql`ANALYZE`.execute(db);
      return job.id;
    };

    /** Requests a run (what the api does), relays it, and waits for the final status. */
    const runJob = async (jobId: string, timeoutMs: number) => {
      await dispatcher.drain();
      const pg0 = await backendCpuSeconds(ADMIN_URL, dbName);
      counter.reset();
      initializedAt = 0;
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      let resolveStatus!: (status: string) => void;
      const done = new Promise<string>((resolve) => (resolveStatus = resolve));
      const { runId, outboxIds } = await requestRun(db, { userId: USER, jobId, trigger: 'manual' });
      finished.set(runId, (status) => resolveStatus(status));
      await relayAfterCommit(platform, outboxIds);
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        done.then((status) => ({ status, timedOut: false })),
        new Promise<{ status: string; timedOut: boolean }>((resolve) => (timer = setTimeout(() => resolve({ status: 'timeout', timedOut: true }), timeoutMs))),
      ]);
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const initSeconds = initializedAt ? (initializedAt - started) / 1000 : NaN;
      await dispatcher.drain(); // the relay of run.completed marks its outbox row
      const statements = counter.total;
      const byKind = counter.byKind();
      const pg1 = await backendCpuSeconds(ADMIN_URL, dbName);
      const pgCpuSeconds = pg0 !== null && pg1 !== null ? pg1 - pg0 : NaN;
      finished.delete(runId);
      const run = await db.selectFrom('job_runs').select(['status', 'tasks_total', 'tasks_completed', 'tasks_failed']).where('id', '=', runId).executeTakeFirst();
      const results = await db.selectFrom('extraction_results').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow();
      const unrelayed = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('relayed_at', 'is', null).executeTakeFirstOrThrow();
      return { runId, seconds, cpuSeconds, pgCpuSeconds, initSeconds, statements, byKind, outcome, run, results: Number(results.n), unrelayed: Number(unrelayed.n) };
    };

    // 1. Throughput.
    const throughput: { tasks_per_second: number; statements_per_task: number; seconds: number; status: string; cpuMsPerTask: number }[] = [];
    let lastKinds: Record<string, number> = {};
    for (let r = 1; r <= ROUNDS; r++) {
      const jobId = await createJob(TASKS, `bench throughput ${r}`);
      extractor = benchExtractor();
      const res = await runJob(jobId, 120_000);
      const completed = res.run?.tasks_completed ?? 0;
      const ok = !res.outcome.timedOut && res.run?.status === 'completed' && completed === TASKS && res.results === TASKS;
      const tps = ok ? TASKS / res.seconds : completed / res.seconds;
      const spt = res.statements / TASKS;
      const cpuMsPerTask = ((res.cpuSeconds + res.pgCpuSeconds) * 1000) / TASKS;
      throughput.push({ tasks_per_second: round(tps, 1), statements_per_task: round(spt, 3), seconds: round(res.seconds, 3), status: res.outcome.status, cpuMsPerTask: round(cpuMsPerTask, 2) });
      lastKinds = res.byKind;
      progress(`throughput round ${r}: ${ok ? 'ok' : 'NOT FINISHED'} status=${res.run?.status} completed=${completed}/${res.run?.tasks_total} results=${res.results} unrelayed=${res.unrelayed} `
        + `in ${res.seconds.toFixed(3)} s, load average ${loadavg()[0]!.toFixed(1)} (initializer done at ${res.initSeconds.toFixed(3)} s; bench process cpu ${res.cpuSeconds.toFixed(2)} s, server backends cpu ${res.pgCpuSeconds.toFixed(2)} s) -> ${tps.toFixed(1)} tasks/s, ${res.statements} statements (${spt.toFixed(2)}/task)`);
      if (!ok) break;
    }
    progress(`statements by kind (last round): ${JSON.stringify(lastKinds)}`);

    // 2. Stress: 500 tasks, 5-25 s each, concurrently.
    let stress: { seconds: number; status: string; completed: number; maxInFlight: number; slowestMs: number; statements: number } | undefined;
    if (!SKIP_STRESS) {
      const jobId = await createJob(STRESS_TASKS, 'bench stress');
      const random = seededRandom(SEED); // seeded: the same stress latencies every run
      const latency = new Map<string, number>();
      for (let i = 0; i < STRESS_TASKS; i++) latency.set(`doc-${String(i).padStart(5, '0')}.pdf`, 5000 + Math.floor(random() * 20_000));
      const slowestMs = Math.max(...latency.values());
      const stressExtractor = benchExtractor((name) => latency.get(name) ?? 5000);
      extractor = stressExtractor;
      progress(`stress: ${STRESS_TASKS} tasks, model latency 5-25 s (seed ${SEED}, slowest ${slowestMs} ms)`);
      const res = await runJob(jobId, 120_000);
      const completed = res.run?.tasks_completed ?? 0;
      stress = { seconds: round(res.seconds, 3), status: res.outcome.status, completed, maxInFlight: stressExtractor.maxInFlight, slowestMs, statements: res.statements };
      progress(`stress: status=${res.run?.status} completed=${completed}/${res.run?.tasks_total} in ${res.seconds.toFixed(3)} s `
        + `(slowest model call ${(slowestMs / 1000).toFixed(3)} s, max concurrent model calls ${stressExtractor.maxInFlight}, ${res.statements} statements)`);
    }

    const allOk = throughput.length === ROUNDS && throughput.every((t) => t.status === 'completed');
    const tps = allOk ? median(throughput.map((t) => t.tasks_per_second)) : Math.min(...throughput.map((t) => t.tasks_per_second));
    const spt = median(throughput.map((t) => t.statements_per_task));
    const stressOk = stress !== undefined && stress.status === 'completed' && stress.completed === STRESS_TASKS;
    const summary = {
      bench: 'pipeline',
      database: 'postgresql',
      pool_size: POOL_SIZE,
      tasks: TASKS,
      rounds: throughput.length,
      tasks_per_second: round(tps, 1),
      statements_per_task: round(spt, 3),
      throughput_wall_seconds: throughput.map((t) => t.seconds),
      throughput_tasks_per_second: throughput.map((t) => t.tasks_per_second),
      // CPU spent per task by this process and the server backends together: what the 2
      // cores must supply, so tasks/s on an idle machine is about 2000 / cpu_ms_per_task.
      cpu_ms_per_task: median(throughput.map((t) => t.cpuMsPerTask)),
      load_average_1m: round(loadavg()[0]!, 1),
      stress_tasks: STRESS_TASKS,
      stress_seed: SEED,
      stress_wall_seconds: stress ? stress.seconds : null,
      stress_slowest_model_call_seconds: stress ? stress.slowestMs / 1000 : null,
      stress_max_concurrent_model_calls: stress?.maxInFlight ?? null,
      stress_statements_per_task: stress ? round(stress.statements / STRESS_TASKS, 3) : null,
      targets: { tasks_per_second: TARGET_TASKS_PER_SECOND, statements_per_task: TARGET_STATEMENTS_PER_TASK, stress_wall_seconds: TARGET_STRESS_SECONDS },
      tasks_per_second_met: allOk && tps >= TARGET_TASKS_PER_SECOND,
      statements_per_task_met: allOk && spt <= TARGET_STATEMENTS_PER_TASK,
      stress_met: stressOk && stress!.seconds <= TARGET_STRESS_SECONDS,
    };
    await dispatcher.close();
    dispatcherClosed = true;
    await database.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await rm(blobDir, { recursive: true, force: true });
    progress(`dropped database ${dbName}`);
    console.log(JSON.stringify(summary));
  } catch (error) {
    if (!dispatcherClosed) await dispatcher.close().catch(() => {});
    await database.close().catch(() => {});
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await rm(blobDir, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}

main().catch((error) => {
  console.error(error);
  console.log(JSON.stringify({ bench: 'pipeline', error: String(error instanceof Error ? error.message : error) }));
  process.exitCode = 1;
});
