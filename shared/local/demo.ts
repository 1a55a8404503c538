/**
 * `npm run demo`: pushes the sample invoices through the pipeline end to end and prints
 * the extracted rows, then exports the run as XLSX and CSV to the download destination and
 * prints each file's signed link and its path under the data folder. Uses the local stack at BYTEREVIEW_URL (default
 * http://127.0.0.1:8080) when one is running, else starts one in this process.
 *
 * `npm run demo -- --automation` shows an automation firing end to end instead: it connects
 * the simulated Google account, creates an automation for the job, writes a message with a
 * sample invoice to the simulated inbox, and prints the run and the export it produced.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalBlobStore } from '../blobs/local.js';
import { startLocalStack, type LocalStack } from './stack.js';

const samplesDir = path.dirname(fileURLToPath(import.meta.url)) + '/samples';
const auth = { Authorization: 'Bearer dev:demo-user' };

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { ...auth } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

let stack: LocalStack | undefined;
let base = process.env.BYTEREVIEW_URL ?? 'http://127.0.0.1:8080';
if (!(await reachable(base))) {
  console.log(`No local stack at ${base}; starting one in this process...`);
  stack = await startLocalStack({ port: 0, sweepSeconds: 5 });
  base = stack.url;
}
const api = `${base}/api/v1`;
try {
  const fields = JSON.parse(await readFile(path.join(samplesDir, 'fields.json'), 'utf8'));
  const job = await call<{ id: string }>('POST', `${api}/jobs`, { name: `Demo invoices ${new Date().toISOString().slice(0, 16)}`, fields });
  console.log(`Created job ${job.id} with ${fields.length} fields`);
  if (process.argv.includes('--automation')) {
    await automationDemo(job.id);
  } else {
    for (const name of (await readdir(samplesDir)).filter((f) => f.endsWith('.pdf')).sort()) {
      const form = new FormData();
      form.append('file', new Blob([await readFile(path.join(samplesDir, name))], { type: 'application/pdf' }), name);
      await call('POST', `${api}/jobs/${job.id}/files`, form);
      console.log(`Uploaded ${name}`);
    }
    const { runId, operationId } = await call<{ runId: string; operationId: string }>('POST', `${api}/jobs/${job.id}/runs`);
    console.log(`Started run ${runId}`);
    let op: { status: string; pct: number; stage: string | null };
    const deadline = Date.now() + 120_000;
    do {
      await new Promise((r) => setTimeout(r, 300));
      op = await call('GET', `${api}/operations/${operationId}`);
      process.stdout.write(`\r  ${op.pct}% ${op.stage ?? ''}`.padEnd(60));
    } while (!['completed', 'failed', 'cancelled'].includes(op.status) && Date.now() < deadline);
    console.log('');
    const run = await call<{ status: string; runNumber: number; tasksCompleted: number; tasksFailed: number }>('GET', `${api}/runs/${runId}`);
    console.log(`Run #${run.runNumber}: ${run.status} (${run.tasksCompleted} extracted, ${run.tasksFailed} failed)`);
    const results = await call<{ items: { sourceFileName: string; columns: string[]; rows: unknown[][]; engine: string }[] }>('GET', `${api}/runs/${runId}/results?limit=100`);
    const table = results.items.flatMap((item) => item.rows.map((row) => ({
      file: item.sourceFileName,
      ...Object.fromEntries(item.columns.map((c, i) => [c, Array.isArray(row[i]) ? (row[i] as unknown[]).join('; ') : row[i]])),
    })));
    console.table(table);
    const engine = results.items[0]?.engine ?? 'n/a';
    const how = engine === 'gemini-vertex' ? 'Gemini on Vertex AI read the files (EXTRACTOR=gemini)' : 'the local extractor reads the PDF text layer; EXTRACTOR=gemini asks Gemini instead';
    console.log(`Engine: ${engine} (${how})`);

    // Export the run as XLSX and CSV through the download destination, and say where each file is.
    const blobRoot = stack?.platform.blobs instanceof LocalBlobStore
      ? stack.platform.blobs.root
      : path.resolve(process.env.DATA_DIR ?? '.data', 'blobs');
    for (const fileType of ['xlsx', 'csv'] as const) {
      const requested = await call<{ id: string }>('POST', `${api}/runs/${runId}/exports`, { destType: 'download', fileType });
      let exported: { status: string; fileName: string | null; rowsExported: number | null; externalId: string | null; downloadUrl?: string; errorMessage: string | null };
      const exportDeadline = Date.now() + 60_000;
      do {
        await new Promise((r) => setTimeout(r, 200));
        exported = await call('GET', `${api}/exports/${requested.id}`);
      } while (!['completed', 'failed'].includes(exported.status) && Date.now() < exportDeadline);
      if (exported.status !== 'completed') {
        console.log(`${fileType.toUpperCase()} export ${exported.status}: ${exported.errorMessage ?? 'timed out'}`);
        continue;
      }
      console.log(`${fileType.toUpperCase()} export: ${exported.fileName} (${exported.rowsExported} rows)`);
      console.log(`  download link (7 days): ${exported.downloadUrl}`);
      console.log(`  file on disk:           ${path.join(blobRoot, 'exports', exported.externalId!)}`);
    }
  }
} finally {
  await stack?.close();
}

/** Polls `read` every 200 ms until `done` says so (or 90 s pass); answers the last value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 90_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

async function automationDemo(jobId: string): Promise<void> {
  // Connect: the simulated consent screen approves at once, oauth-callback lands on the
  // frontend page with a one-time code, and the user who started connecting finishes with it.
  const { authorizationUrl } = await call<{ authorizationUrl: string }>('POST', `${api}/integrations/google/connect`, { scopes: ['drive', 'gmail'] });
  const landed = await fetch(authorizationUrl, { redirect: 'follow' });
  const code = new URL(landed.url).searchParams.get('code');
  if (!code) throw new Error(`connecting the simulated Google account failed: landed on ${new URL(landed.url).search}`);
  await call('POST', `${api}/integrations/google/complete`, { code });
  const accounts = await call<{ items: { id: string; email: string; status: string }[] }>('GET', `${api}/integrations`);
  const account = accounts.items.find((a) => a.status === 'connected');
  if (!account) throw new Error('the simulated Google account did not connect');
  console.log(`Connected the simulated Google account ${account.email}`);
  const automation = await call<{ id: string }>('POST', `${api}/automations`, {
    name: 'Demo: invoices by email', jobId, accountId: account.id,
    trigger: { query: 'from:billing@supplier.example', mimeTypes: ['application/pdf'] },
    export: { destType: 'download', fileType: 'xlsx' },
  });
  console.log(`Created automation ${automation.id}: mail from billing@supplier.example with a PDF -> run -> XLSX download`);

  const sample = (await readdir(samplesDir)).filter((f) => f.endsWith('.pdf')).sort()[0]!;
  const form = new FormData();
  form.append('from', 'Billing <billing@supplier.example>');
  form.append('subject', 'Invoice attached');
  form.append('file', new Blob([await readFile(path.join(samplesDir, sample))], { type: 'application/pdf' }), sample);
  const sentAt = Date.now();
  const delivered = await fetch(`${base}/local/mailbox/${encodeURIComponent(account.email)}/messages`, { method: 'POST', body: form });
  if (!delivered.ok) throw new Error(`the simulated mailbox answered ${delivered.status}: ${await delivered.text()}`);
  console.log(`Sent a message with ${sample} to the simulated inbox (the same as: curl -F from=... -F subject=... -F file=@... ${base}/local/mailbox/${account.email}/messages)`);

  type Fired = { items: { status: string; runId: string | null; error: string | null }[] };
  const fired = await until(() => call<Fired>('GET', `${api}/automations/${automation.id}/runs`), (r) => r.items.some((i) => i.runId !== null || i.status === 'failed'));
  const runId = fired.items[0]?.runId;
  if (!runId) throw new Error(`the automation did not start a run: ${fired.items[0]?.error ?? 'nothing fired within 90 s'}`);
  type Exports = { items: { status: string; fileName: string | null; rowsExported: number | null; downloadUrl?: string; errorMessage: string | null }[] };
  const exports = await until(() => call<Exports>('GET', `${api}/runs/${runId}/exports`), (e) => e.items.some((x) => x.status === 'completed' || x.status === 'failed'));
  const run = await call<{ runNumber: number; status: string }>('GET', `${api}/runs/${runId}`);
  const done = exports.items[0];
  console.log(`The automation fired: run #${run.runNumber} ${run.status}; export ${done?.status ?? 'not made'} ${done?.fileName ?? ''} (${done?.rowsExported ?? 0} rows)`);
  if (done?.downloadUrl) console.log(`  download link (7 days): ${done.downloadUrl}`);
  console.log(`From the message arriving to the export delivered: ${((Date.now() - sentAt) / 1000).toFixed(2)} s (polled every 0.2 s)`);
  if (done?.status !== 'completed') process.exitCode = 1;
}
