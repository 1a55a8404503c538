/**
 * Child process of crash.test.ts: commits a run request (operation + outbox row) the way
 * the api does, then dies by SIGKILL before relaying it, as a crashed instance would.
 */
import { openDatabase } from '../../shared/db/connect.js';
import { requestRun } from '../../shared/runs/request-run.js';

const [url, jobId] = process.argv.slice(2) as [string, string];
const handle = await openDatabase({ kind: 'postgres', url, poolMax: 1, statementTimeoutMs: 10_000 });
const { runId } = await requestRun(handle.db, { userId: 'alice', jobId, trigger: 'manual' });
process.stdout.write(`${runId}\n`, () => process.kill(process.pid, 'SIGKILL'));
