import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fieldKeys } from '../../shared/extraction/answer-rows.js';
import { startVertexDouble } from '../doubles/vertex.js';
import { CORPUS_FIELDS, writeCorpus } from './extraction-corpus.js';

const run = promisify(execFile);

// `npm run bench:extraction` on a few documents: the script must keep working and keep ending
// with the JSON line its figures are read from. The figures themselves are measured by the
// script on the full corpus, not asserted here.
describe('npm run bench:extraction', () => {
  it('scores the local extractor on every layout and ends with one JSON object of figures', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/extraction.ts', '--count', '20', '--seed', '3'], {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, EXTRACTOR: 'local' },
      maxBuffer: 1 << 20,
    });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      documents: number;
      layouts: number;
      engines: Record<string, { failed: number; row_recall: number; by_type: Record<string, unknown>; by_layout: Record<string, unknown> }>;
    };
    expect(summary).toMatchObject({ documents: 20, layouts: 10, seed: 3 });
    const local = summary.engines['local-text-v1']!;
    expect(Object.keys(local.by_type).sort()).toEqual(['currency', 'date', 'list', 'text']);
    expect(Object.keys(local.by_layout)).toHaveLength(10);
    for (const figures of Object.values(local.by_type)) {
      expect(Object.keys(figures as object).sort()).toEqual(['exact_match', 'precision', 'recall']);
    }
    expect(local.row_recall).toBeGreaterThanOrEqual(0);
    expect(local.row_recall).toBeLessThanOrEqual(1);
  }, 120_000);

  it('with Gemini settings present also scores Gemini (the Vertex double answering each document\'s truth) on the same corpus', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-extraction-gemini-'));
    const vertex = await startVertexDouble();
    try {
      // The bench rewrites the same documents into `--keep dir`: the double knows them by their bytes.
      const documents = await writeCorpus(dir, { seed: 5, count: 10 });
      const truths = new Map<string, Record<string, unknown>>();
      for (const document of documents) truths.set((await readFile(path.join(dir, document.file))).toString('base64'), document.truth);
      const keys = fieldKeys(CORPUS_FIELDS);
      vertex.respondWith((sent) => {
        const inline = sent.body.contents[0].parts.find((part: { inlineData?: unknown }) => part.inlineData)?.inlineData;
        const truth = inline ? truths.get(inline.data) : undefined;
        if (!truth) return { kind: 'error', status: 400, googleStatus: 'INVALID_ARGUMENT', message: 'No inline document the double knows' };
        // The platforms ask Gemini for cited values (README "Citations"): each as { value, page, quote }.
        const row = Object.fromEntries(keys.map((key, i) => [key, { value: truth[CORPUS_FIELDS[i]!.name] ?? null, page: null, quote: null }]));
        return { kind: 'answer', answer: { rows: [row] }, usage: { prompt: 1000, candidates: 50 } };
      });
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/extraction.ts', '--count', '10', '--seed', '5', '--keep', dir], {
        cwd: new URL('../..', import.meta.url),
        env: { ...process.env, EXTRACTOR: 'gemini', GOOGLE_API_KEY: 'test-express-mode-key', GOOGLE_CLOUD_PROJECT: '', VERTEX_BASE_URL: vertex.url },
        maxBuffer: 1 << 20,
      });
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { engines: Record<string, { failed: number; mean_exact_match: number; row_recall: number }> };
      expect(Object.keys(summary.engines).sort()).toEqual(['gemini-vertex', 'local-text-v1']);
      expect(summary.engines['gemini-vertex']).toMatchObject({ failed: 0, mean_exact_match: 1, row_recall: 1 });
    } finally {
      await vertex.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('scores a folder of the user\'s own files against their ground-truth CSV', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-extraction-dir-'));
    try {
      await writeFile(path.join(dir, 'a.txt'), 'Globex Ltd\nInvoice No: G-100\nTotal: 99.50\nItems: Paper; Pens\n');
      await writeFile(path.join(dir, 'b.txt'), 'Initech\nInvoice No: I-7\nTotal: 10.00\n');
      const truth = ['file,field,type,value', 'a.txt,invoice_number,text,G-100', 'a.txt,total,currency,99.5', 'a.txt,items,list,Paper', 'a.txt,items,list,Pens', 'b.txt,invoice_number,text,I-7', 'b.txt,total,currency,12.00'];
      await writeFile(path.join(dir, 'truth.csv'), truth.join('\n'));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/extraction.ts', '--dir', dir, '--truth', path.join(dir, 'truth.csv')], {
        cwd: new URL('../..', import.meta.url),
        env: { ...process.env, EXTRACTOR: 'local' },
        maxBuffer: 1 << 20,
      });
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { documents: number; engines: Record<string, { row_recall: number; by_field: Record<string, unknown> }> };
      expect(summary.documents).toBe(2);
      const local = summary.engines['local-text-v1']!;
      // b.txt's printed total (10.00) is not its truth (12.00): one total right of two.
      expect(local.by_field).toEqual({
        invoice_number: { precision: 1, recall: 1, exact_match: 1 },
        total: { precision: 0.5, recall: 0.5, exact_match: 0.5 },
        items: { precision: 1, recall: 1, exact_match: 1 },
      });
      expect(local.row_recall).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('takes a single-value field\'s further rows in the truth CSV as alternatives, any of them right', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-extraction-alt-'));
    try {
      await writeFile(path.join(dir, 'a.txt'), 'Vendor: Sundara Stays Private Limited\nInvoice No: G-100\n');
      await writeFile(path.join(dir, 'b.txt'), 'Vendor: Globex Ltd\nInvoice No: I-7\n');
      const truth = ['file,field,type,value', 'a.txt,vendor,text,Sundara Stays Private Limited', 'a.txt,vendor,text,Roomio', 'b.txt,vendor,text,Initech', 'b.txt,vendor,text,Initech Ltd'];
      await writeFile(path.join(dir, 'truth.csv'), truth.join('\n'));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/extraction.ts', '--dir', dir, '--truth', path.join(dir, 'truth.csv')], {
        cwd: new URL('../..', import.meta.url),
        env: { ...process.env, EXTRACTOR: 'local' },
        maxBuffer: 1 << 20,
      });
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { engines: Record<string, { by_field: Record<string, unknown> }> };
      // a.txt's answer is one of its spellings (the first: the last row does not replace it); b.txt's (Globex Ltd) is neither of its own.
      expect(summary.engines['local-text-v1']!.by_field).toEqual({ vendor: { precision: 0.5, recall: 0.5, exact_match: 0.5 } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

