import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fieldKeys } from '../../shared/extraction/answer-rows.js';
import { startLocalStack } from '../../shared/local/stack.js';
import { startVertexDouble, type VertexDouble } from '../doubles/vertex.js';
import { createTestDatabase } from '../support/database.js';
import { sampleFields, sampleRows, samplesDir } from '../support/samples.js';
import { sleep } from '../support/wait.js';

/**
 * `EXTRACTOR=gemini npm start` with an express-mode API key: the local stack reads each
 * uploaded sample from its folder and sends the bytes inline to "Vertex" (the double, at
 * VERTEX_BASE_URL), which answers the rows a person reads on that sample.
 */

const auth = { Authorization: 'Bearer dev:laptop-user' };
const apiKey = 'test-express-mode-key';
const keys = fieldKeys(sampleFields);

let dataDir: string;
let vertex: VertexDouble;
const samples = new Map<string, string>();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'br-gemini-stack-'));
  vertex = await startVertexDouble();
  for (const file of Object.keys(sampleRows)) samples.set((await readFile(path.join(samplesDir, file))).toString('base64'), file);
  // Gemini's answer for whichever sample the request carries, keyed by field.
  vertex.respondWith((sent) => {
    const inline = sent.body.contents[0].parts.find((part: { inlineData?: unknown }) => part.inlineData)?.inlineData;
    const file = inline ? samples.get(inline.data) : undefined;
    if (!file) return { kind: 'error', status: 400, googleStatus: 'INVALID_ARGUMENT', message: 'No inline document the double knows' };
    // Citations are always asked for: each value with the page and words it was read from.
    const cited = (value: unknown) => (value === null ? { value, page: null, quote: null } : { value, page: 1, quote: Array.isArray(value) ? value.join(', ') : String(value) });
    const row = Object.fromEntries(keys.map((key, i) => [key, cited(sampleRows[file]![i])]));
    return { kind: 'answer', answer: { rows: [row] }, usage: { prompt: 1500, candidates: 80 } };
  });
});
afterAll(async () => {
  await vertex.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });
  expect(res.ok, `${init.method ?? 'GET'} ${url}: ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

it('EXTRACTOR=gemini extracts the samples with Gemini: typed schema, inline bytes, the API key, and the rows stored', async () => {
  const env = {
    ...process.env,
    DATABASE_URL: '',
    EXTRACTOR: 'gemini',
    GOOGLE_API_KEY: apiKey,
    GOOGLE_CLOUD_PROJECT: '',
    VERTEX_BASE_URL: vertex.url,
  };
  // A test database (the stack closes it): a new data folder's PGlite would run initdb and every
  // migration first, which test/local/stack.test.ts covers.
  const stack = await startLocalStack({ port: 0, dataDir, database: await createTestDatabase(), env, sweepSeconds: 1 });
  try {
    expect(stack.extraction).toContain('SENT TO');
    const api = `${stack.url}/api/v1`;
    const job = await call<{ id: string }>(`${api}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Samples through Gemini', fields: sampleFields }),
    });
    for (const file of Object.keys(sampleRows)) {
      const form = new FormData();
      form.append('file', new Blob([await readFile(path.join(samplesDir, file))], { type: 'application/pdf' }), file);
      await call(`${api}/jobs/${job.id}/files`, { method: 'POST', body: form });
    }
    const { runId } = await call<{ runId: string }>(`${api}/jobs/${job.id}/runs`, { method: 'POST' });
    let run: { status: string; tasksCompleted: number; tasksFailed: number };
    const deadline = Date.now() + 60_000;
    do {
      await sleep(200);
      run = await call(`${api}/runs/${runId}`);
    } while (!['completed', 'partially_completed', 'failed'].includes(run.status) && Date.now() < deadline);
    expect(run).toMatchObject({ status: 'completed', tasksCompleted: 4, tasksFailed: 0 });

    expect(vertex.requests).toHaveLength(4);
    for (const sent of vertex.requests) {
      expect(sent.apiKey).toBe(apiKey);
      expect(sent.authorization).toBeUndefined();
      expect(sent.route).toEqual({ version: 'v1', project: null, location: null, model: 'gemini-2.5-flash' });
      const rowSchema = sent.body.generationConfig.responseSchema.properties.rows.items;
      expect(rowSchema.propertyOrdering).toEqual(keys);
      expect(rowSchema.properties.invoice_date.properties.value).toMatchObject({ type: 'STRING', nullable: true });
      expect(rowSchema.properties.total_amount.properties.value).toMatchObject({ type: 'NUMBER', nullable: true });
      expect(rowSchema.properties.total_amount.required).toEqual(['value', 'page', 'quote']);
      const parts = sent.body.contents[0].parts;
      expect(parts.some((part: { fileData?: unknown }) => part.fileData)).toBe(false);
      expect(parts.find((part: { inlineData?: { mimeType: string } }) => part.inlineData).inlineData.mimeType).toBe('application/pdf');
    }
    const sentFiles = vertex.requests.map((sent) => samples.get(sent.body.contents[0].parts.find((part: { inlineData?: unknown }) => part.inlineData).inlineData.data));
    expect(sentFiles.sort()).toEqual(Object.keys(sampleRows).sort());

    const results = await call<{ items: { sourceFileName: string; columns: string[]; rows: unknown[][]; citations: unknown[][]; engine: string; model: string }[] }>(
      `${api}/runs/${runId}/results?limit=100`,
    );
    expect(results.items).toHaveLength(4);
    for (const item of results.items) {
      expect(item).toMatchObject({ columns: sampleFields.map((field) => field.name), engine: 'gemini-vertex', model: 'gemini-2.5-flash-001' });
      expect(item.rows).toEqual([sampleRows[item.sourceFileName]]);
      // Each value's citation, checked against the sample's text layer.
      expect(item.citations[0]).toEqual(sampleRows[item.sourceFileName]!.map((value) =>
        value === null ? null : { page: 1, quote: expect.any(String), verified: expect.any(Boolean) }));
    }
  } finally {
    await stack.close();
  }
}, 120_000);

it('EXTRACTOR=gemini without a key or a project stops the stack with a message naming what to set', async () => {
  const env = { ...process.env, DATABASE_URL: '', EXTRACTOR: 'gemini', GOOGLE_API_KEY: '', GOOGLE_CLOUD_PROJECT: '' };
  await expect(startLocalStack({ port: 0, dataDir, env })).rejects.toThrow(/EXTRACTOR: EXTRACTOR=gemini needs GOOGLE_API_KEY .* or GOOGLE_CLOUD_PROJECT/);
}, 60_000);
