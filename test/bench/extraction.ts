/**
 * Extraction accuracy benchmark: `npm run bench:extraction -- [--count 240] [--seed 14]
 * [--scanned N] [--keep <dir>] [--dir <folder> --truth <truth.csv>] [--errors <n>]`.
 *
 * Without `--dir`, writes the generated corpus (test/bench/extraction-corpus.ts: invoices
 * in five languages, receipts, purchase orders, bank statements, key-value CSVs) to a
 * temporary directory (or `--keep <dir>`) and reads every document with the local
 * extractor; with Gemini settings present (`EXTRACTOR=gemini` and `GOOGLE_API_KEY` or
 * `GOOGLE_CLOUD_PROJECT`, as the local stack reads them: shared/local/extractor.ts) also
 * with Gemini, so the two engines are compared on the same documents. `--scanned N` adds
 * N scanned copies of each PDF layout (layout `scanned-<layout>`, no text layer: read by
 * OCR), so OCR accuracy shows per layout beside the text layer's.
 *
 * With `--dir`, reads the user's own files instead, scored against `--truth`, a CSV with
 * the header `file,field,type,value`: one row per value (a `list` field one row per item,
 * `type` one of text, number, currency, date, boolean, list); further rows of a single-value
 * field are alternatives, any of them right (a brand and its legal name: "Roomio", "Sundara
 * Stays Private Limited").
 *
 * Scores per field, against the ground truth: precision (answers that are right / answers
 * given), recall (right / values on the documents) and exact match (documents where the
 * answer equals the truth, a null answer to a null truth included), grouped by field type
 * and by layout; for `list` fields (line items) the row recall (items found / items on the
 * documents). Text compares case- and whitespace-insensitively, amounts to the cent.
 * `--errors <n>` lists the first n wrong answers beside their truth. `--ocr-cache <dir>` keeps
 * tesseract's lines of every image read there and reads them back on later runs, so a change
 * to the rules that read OCR'd lines is measured in seconds (not for a change to OCR itself). The last line of
 * output is one JSON object.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseCsv } from '../../shared/extraction/document-text.js';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import { closeOcr, useOcrLineCache, type OcrLine, type OcrLineCache } from '../../shared/extraction/ocr.js';
import type { Extractor, FieldSpec, FieldType } from '../../shared/extraction/types.js';
import { localStackExtractor } from '../../shared/local/extractor.js';
import { CORPUS_FIELDS, writeCorpus, writeScannedVariants, type CorpusDocument, type Truth } from './extraction-corpus.js';

const MIME_TYPES: Record<string, string> = { '.pdf': 'application/pdf', '.csv': 'text/csv', '.txt': 'text/plain', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

interface Tally {
  answered: number;
  truths: number;
  correct: number;
  exact: number;
  documents: number;
}

const emptyTally = (): Tally => ({ answered: 0, truths: 0, correct: 0, exact: 0, documents: 0 });

function normalText(value: unknown): string {
  return String(value).normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** True when an extracted scalar equals the truth. */
function same(type: FieldType, answer: unknown, truth: unknown): boolean {
  if (answer === null || truth === null) return answer === truth;
  if (type === 'number' || type === 'currency') return typeof answer === 'number' && Math.abs(answer - Number(truth)) < 0.005;
  return normalText(answer) === normalText(truth);
}

/** Items of `truth` found in `answer`, each answer item used once. */
function itemsFound(answer: unknown, truth: readonly string[]): number {
  const left = Array.isArray(answer) ? answer.map(normalText) : [];
  let found = 0;
  for (const item of truth) {
    const at = left.indexOf(normalText(item));
    if (at >= 0) {
      left.splice(at, 1);
      found++;
    }
  }
  return found;
}

interface EngineScore {
  engine: string;
  documents: number;
  failed: number;
  byField: Record<string, Tally>;
  byType: Record<string, Tally>;
  byLayout: Record<string, Tally>;
  rows: { found: number; truth: number };
  seconds: number;
  failures: string[];
  /** Wrong answers beside their truth, for `--errors`. */
  errors: string[];
}

async function score(extractor: Extractor, model: string, fields: FieldSpec[], documents: CorpusDocument[], dir: string): Promise<EngineScore> {
  const result: EngineScore = { engine: extractor.engine, documents: documents.length, failed: 0, byField: {}, byType: {}, byLayout: {}, rows: { found: 0, truth: 0 }, seconds: 0, failures: [], errors: [] };
  const started = performance.now();
  for (const document of documents) {
    let row: Record<string, unknown> = {};
    try {
      const answer = await extractor.extract({
        fields,
        file: { uri: path.join(dir, document.file), mimeType: document.mimeType, filename: document.file },
        systemPrompt: { version: 'bench', text: 'Extract the fields from the document.' },
        model,
      });
      row = Object.fromEntries(answer.columns.map((column, i) => [column, answer.results[0]?.[i] ?? null]));
    } catch (error) {
      result.failed++;
      if (result.failures.length < 5) result.failures.push(`${document.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const field of fields) {
      const truth = document.truth[field.name] ?? null;
      const answer = row[field.name] ?? null;
      const tallies = [field.name, field.type, document.layout].map((key, i) => {
        const group = [result.byField, result.byType, result.byLayout][i]!;
        return (group[key] ??= emptyTally());
      });
      let right: boolean;
      let exact: boolean;
      if (field.type === 'list') {
        const items = Array.isArray(truth) ? truth : [];
        const found = itemsFound(answer, items);
        result.rows.found += found;
        result.rows.truth += items.length;
        const answered = Array.isArray(answer) ? answer.length : 0;
        exact = found === items.length && answered === items.length;
        right = exact;
      } else {
        right = [truth, ...(document.alternatives?.[field.name] ?? [])].some((accepted) => same(field.type, answer, accepted));
        exact = right;
      }
      if (!exact) result.errors.push(`${document.file} ${field.name}: ${JSON.stringify(answer)}, truth ${JSON.stringify(truth)}`);
      for (const tally of tallies) {
        tally.documents++;
        if (answer !== null && !(Array.isArray(answer) && answer.length === 0)) tally.answered++;
        if (truth !== null && !(Array.isArray(truth) && truth.length === 0)) tally.truths++;
        if (right && truth !== null && answer !== null) tally.correct++;
        if (exact) tally.exact++;
      }
    }
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

function figures(tally: Tally) {
  return { precision: ratio(tally.correct, tally.answered), recall: ratio(tally.correct, tally.truths), exact_match: ratio(tally.exact, tally.documents) };
}

function table(title: string, group: Record<string, Tally>): string {
  const lines = [`  ${title.padEnd(22)} precision  recall  exact`];
  for (const [key, tally] of Object.entries(group)) {
    const f = figures(tally);
    const cell = (v: number | null) => (v === null ? '-' : v.toFixed(3)).padStart(9);
    lines.push(`  ${key.padEnd(22)}${cell(f.precision)}${cell(f.recall)}${cell(f.exact_match)}`);
  }
  return lines.join('\n');
}

/** The user's ground truth: `file,field,type,value` rows, a list field one row per item, a single-value field's further rows its alternatives. */
async function readTruth(truthPath: string): Promise<{ fields: FieldSpec[]; documents: CorpusDocument[] }> {
  const [header, ...rows] = parseCsv(await readFile(truthPath, 'utf8')).filter((row) => row.some((cell) => cell.trim() !== ''));
  if (header?.map((cell) => cell.trim().toLowerCase()).join(',') !== 'file,field,type,value') {
    throw new Error(`${truthPath}: the header must be file,field,type,value`);
  }
  const types = new Map<string, FieldType>();
  const truths = new Map<string, Truth>();
  const alternatives = new Map<string, Record<string, Array<string | number | null>>>();
  for (const [index, [file = '', field = '', type = '', value = '']] of rows.entries()) {
    if (!['text', 'number', 'currency', 'date', 'boolean', 'list'].includes(type)) throw new Error(`${truthPath} row ${index + 2}: type "${type}" is not a field type`);
    if (types.has(field) && types.get(field) !== type) throw new Error(`${truthPath} row ${index + 2}: field ${field} has two types`);
    types.set(field, type as FieldType);
    const truth = truths.get(file) ?? {};
    truths.set(file, truth);
    const cell = type === 'number' || type === 'currency' ? Number(value) : value === '' ? null : value;
    if (type === 'list') truth[field] = [...((truth[field] as string[] | undefined) ?? []), value];
    else if (field in truth) {
      const others = alternatives.get(file) ?? {};
      alternatives.set(file, others);
      (others[field] ??= []).push(cell);
    } else truth[field] = cell;
  }
  const fields = [...types].map(([name, type]): FieldSpec => ({ name, type, required: false }));
  const documents = [...truths].map(([file, truth]): CorpusDocument => {
    const mimeType = MIME_TYPES[path.extname(file).toLowerCase()];
    if (!mimeType) throw new Error(`${file}: the bench reads .pdf, .csv, .txt, .png and .jpg files`);
    return { file, layout: 'your documents', mimeType, truth, ...(alternatives.has(file) ? { alternatives: alternatives.get(file)! } : {}) };
  });
  return { fields, documents };
}

/** tesseract's lines kept as JSON files in `dir`, one per image and languages, only the parts the extractor reads. */
async function ocrLineCacheIn(dir: string): Promise<OcrLineCache> {
  await mkdir(dir, { recursive: true });
  const file = (image: Buffer, languages: readonly string[]) => path.join(dir, `${createHash('sha256').update(image).update(languages.join('+')).digest('hex')}.json`);
  const box = ({ x0, y0, x1, y1 }: OcrLine['bbox']) => ({ x0, y0, x1, y1 });
  return {
    async get(image, languages) {
      return readFile(file(image, languages), 'utf8').then((text) => JSON.parse(text) as OcrLine[], () => undefined);
    },
    async set(image, languages, lines) {
      const kept = lines.map((line) => ({ bbox: box(line.bbox), words: line.words.map((word) => ({ text: word.text, confidence: word.confidence, bbox: box(word.bbox) })) }));
      await writeFile(file(image, languages), JSON.stringify(kept));
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '240' },
      seed: { type: 'string', default: '14' },
      keep: { type: 'string' },
      scanned: { type: 'string', default: '0' },
      dir: { type: 'string' },
      truth: { type: 'string' },
      errors: { type: 'string', default: '0' },
      'ocr-cache': { type: 'string' },
    },
  });
  // --ocr-cache <dir>: tesseract's lines of each image kept there and read back on the next run.
  if (values['ocr-cache']) useOcrLineCache(await ocrLineCacheIn(path.resolve(values['ocr-cache'])));
  if (values.dir && !values.truth) throw new Error('--dir needs --truth <truth.csv> (file,field,type,value)');
  let dir: string;
  let fields = CORPUS_FIELDS;
  let documents: CorpusDocument[];
  let cleanup = false;
  if (values.dir) {
    dir = path.resolve(values.dir);
    ({ fields, documents } = await readTruth(path.resolve(values.truth!)));
    const present = new Set(await readdir(dir));
    const missing = documents.filter((document) => !present.has(document.file)).map((document) => document.file);
    if (missing.length > 0) throw new Error(`--truth names files not in ${dir}: ${missing.slice(0, 5).join(', ')}`);
  } else {
    dir = values.keep ? path.resolve(values.keep) : await mkdtemp(path.join(tmpdir(), 'bench-extraction-'));
    cleanup = !values.keep;
    documents = await writeCorpus(dir, { seed: Number(values.seed), count: Number(values.count) });
    // --scanned N: also N scanned copies of each PDF layout, read by OCR (about 2-4 s a page).
    if (Number(values.scanned) > 0) documents = [...documents, ...(await writeScannedVariants(dir, documents, Number(values.scanned)))];
  }
  const readBytes = (uri: string) => readFile(uri);
  const engines: Array<{ extractor: Extractor; model: string }> = [{ extractor: createLocalExtractor({ readFile: readBytes }), model: 'local-text-v1' }];
  const geminiAsked = process.env.EXTRACTOR === 'gemini' && Boolean(process.env.GOOGLE_API_KEY || process.env.GOOGLE_CLOUD_PROJECT);
  if (geminiAsked) {
    const gemini = await localStackExtractor(process.env, readBytes);
    engines.push({ extractor: gemini.extractor, model: gemini.defaultModel });
  }
  const layouts = new Set(documents.map((document) => document.layout)).size;
  console.log(`extraction bench: ${documents.length} documents in ${layouts} layouts from ${values.dir ? dir : `seed ${values.seed}`}`);
  const summary: Record<string, unknown> = { documents: documents.length, layouts, seed: values.dir ? null : Number(values.seed), engines: {} };
  try {
    for (const { extractor, model } of engines) {
      const result = await score(extractor, model, fields, documents, dir);
      const scalar = Object.entries(result.byField).filter(([name]) => fields.find((field) => field.name === name)?.type !== 'list');
      const mean = (key: 'precision' | 'recall' | 'exact_match') => {
        const values = scalar.map(([, tally]) => figures(tally)[key]).filter((value): value is number => value !== null);
        return values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
      };
      console.log(`\n${result.engine} (${model}): ${result.documents} documents, ${result.failed} failed, ${result.seconds.toFixed(1)} s`);
      for (const failure of result.failures) console.log(`  failed: ${failure}`);
      for (const error of result.errors.slice(0, Number(values.errors))) console.log(`  wrong: ${error}`);
      console.log(table('field', result.byField));
      console.log(table('field type', result.byType));
      console.log(table('layout', result.byLayout));
      console.log(`  line-item row recall: ${ratio(result.rows.found, result.rows.truth) ?? '-'} (${result.rows.found} of ${result.rows.truth})`);
      (summary.engines as Record<string, unknown>)[result.engine] = {
        model,
        failed: result.failed,
        seconds: Math.round(result.seconds * 10) / 10,
        mean_precision: mean('precision'),
        mean_recall: mean('recall'),
        mean_exact_match: mean('exact_match'),
        row_recall: ratio(result.rows.found, result.rows.truth),
        by_field: Object.fromEntries(Object.entries(result.byField).map(([key, tally]) => [key, figures(tally)])),
        by_type: Object.fromEntries(Object.entries(result.byType).map(([key, tally]) => [key, figures(tally)])),
        by_layout: Object.fromEntries(Object.entries(result.byLayout).map(([key, tally]) => [key, figures(tally)])),
      };
    }
  } finally {
    if (cleanup) await rm(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(summary));
  await closeOcr();
}

await main();
