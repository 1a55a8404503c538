import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PubSubEmulator {
  /** `127.0.0.1:<port>`: pass as `apiEndpoint` (or `PUBSUB_EMULATOR_HOST`). */
  host: string;
  projectId: string;
  stop(): Promise<void>;
}

/**
 * Whether the gcloud Pub/Sub emulator can run here. Without `gcloud` on the PATH the
 * caller's tests are skipped, except in CI (`CI=true`), where this throws so the run fails.
 *
 * @example describe.skipIf(!pubsubEmulatorAvailable())('Pub/Sub', () => { ... });
 */
export function pubsubEmulatorAvailable(): boolean {
  if (findOnPath('gcloud')) return true;
  if (process.env.CI === 'true') {
    throw new Error('gcloud is not on the PATH: the Pub/Sub emulator tests cannot run, and CI must not skip them.');
  }
  return false;
}

/**
 * Starts `gcloud beta emulators pubsub start` on a free loopback port with its own data
 * folder and resolves once it answers (a few seconds; Java starts it).
 */
export async function startPubSubEmulator(projectId = 'test'): Promise<PubSubEmulator> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pubsub-emulator-'));
  // Own process group: gcloud starts Java as a child, and stop() must end both.
  const child = spawn('gcloud', ['beta', 'emulators', 'pubsub', 'start', `--project=${projectId}`, `--host-port=${host}`, `--data-dir=${dataDir}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (running && child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    killGroup('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!gone) {
      killGroup('SIGKILL');
      await exited;
    }
    await waitUntilClosed(host, 5000); // Java can outlive the gcloud wrapper by a moment
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilAnswering(host, () => running, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`The Pub/Sub emulator did not start: ${(error as Error).message}\n${output}`);
  }
  return { host, projectId, stop };
}

async function waitUntilAnswering(host: string, isRunning: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning()) throw new Error('the process exited');
    try {
      const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

async function waitUntilClosed(host: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://${host}/`, { signal: AbortSignal.timeout(500) });
    } catch {
      return;
    }
    await sleep(100);
  }
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
