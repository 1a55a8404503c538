/**
 * `npm run demo`: pushes the sample invoices through the pipeline end to end and prints
 * the extracted rows, then exports the run as XLSX and CSV to the download destination and
 * prints each file's signed link and its path under the data folder. Uses the local stack at BYTEREVIEW_URL (default
 * http://127.0.0.1:8080) when one is running, else starts one in this process.
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
} finally {
  await stack?.close();
}
