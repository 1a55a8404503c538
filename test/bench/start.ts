/**
 * `npm run bench:start`: how long `npm start` takes from its spawn to the first answer of
 * the api on a route that reads the database (`GET /api/v1/jobs` as the development
 * identity, 200), as a fresh clone's first start and as later starts (issue 13: 8 s and
 * 3 s on a quiet 2-core machine).
 *
 * - first start: an empty data folder (PGlite creates its cluster, every migration runs,
 *   the keys are made), no launcher cache (`node_modules/.cache/bytereview-launch`, removed
 *   first: the stack is bundled, V8 compiles everything) and an empty tsx cache (its own
 *   TMPDIR), as after `git clone && npm install`;
 * - later starts (`--runs`, 3): the same data folder and caches, as every start after it.
 *
 * Each start reports wall seconds and the CPU seconds its process tree used until the
 * answer (user + system, from /proc: Linux only), and the load average, because wall time
 * on a shared machine says little. The last line is JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, port: { type: 'string', default: '18480' } } });
const runs = Number(values.runs);
const port = Number(values.port);
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

interface Start {
  wallSeconds: number;
  cpuSeconds: number;
  load1: number;
}

/** Spawns `npm start` with `env`, times spawn -> first 200 of the api, then stops it. */
async function timeStart(env: NodeJS.ProcessEnv): Promise<Start> {
  const started = performance.now();
  // Its own process group, so stopping it stops npm and the stack together.
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${stderr.slice(-2000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/jobs`, { headers: { authorization: 'Bearer dev:bench' }, signal: AbortSignal.timeout(60_000) });
        await res.arrayBuffer();
        if (res.status === 200) break;
        throw new Error(`the api answered ${res.status}: ${stderr.slice(-2000)}`);
      } catch (error) {
        if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw error;
        if (performance.now() - started > 120_000) throw new Error(`npm start did not listen within 120 s: ${stderr.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const cpuSeconds = await treeCpuSeconds(child.pid!);
    return { wallSeconds: round(wallSeconds), cpuSeconds: round(cpuSeconds), load1: round(loadavg()[0]!, 2) };
  } finally {
    await stop(child);
  }
}

/** User + system CPU seconds of `pid` and all its descendants, so far. */
async function treeCpuSeconds(pid: number): Promise<number> {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses: fields count from its closing one.
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) });
    } catch {
      // the process ended meanwhile
    }
  }
  let ticks = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.pop()!;
    ticks += stats.get(current)?.ticks ?? 0;
    for (const [other, stat] of stats) if (stat.ppid === current) queue.push(other);
  }
  return ticks / TICKS;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'br-bench-start-data-'));
  const tsxTmp = await mkdtemp(path.join(tmpdir(), 'br-bench-start-tmp-'));
  // PGlite in the fresh data folder whatever DATABASE_URL says: the first start of a clone.
  const env = { DATA_DIR: dataDir, TMPDIR: tsxTmp, PORT: String(port), DATABASE_URL: '' };
  // The launcher's bundle and V8 cache (shared/local/launch.mjs): a clone has none; rebuilt by this first start.
  await rm(path.join(ROOT, 'node_modules', '.cache', 'bytereview-launch'), { recursive: true, force: true });
  try {
    const first = await timeStart(env);
    console.log(`first start: ${first.wallSeconds} s wall, ${first.cpuSeconds} s CPU (load ${first.load1})`);
    const later: Start[] = [];
    for (let i = 0; i < runs; i++) {
      const start = await timeStart(env);
      later.push(start);
      console.log(`later start ${i + 1}: ${start.wallSeconds} s wall, ${start.cpuSeconds} s CPU (load ${start.load1})`);
    }
    console.log(JSON.stringify({
      bench: 'start',
      node: process.versions.node,
      first,
      later: { runs, medianWallSeconds: median(later.map((s) => s.wallSeconds)), medianCpuSeconds: median(later.map((s) => s.cpuSeconds)), each: later },
      targets: { firstWallSeconds: 8, laterWallSeconds: 3 },
    }));
  } finally {
    await Promise.all([dataDir, tsxTmp].map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

await main();
