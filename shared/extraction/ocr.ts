import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker as TesseractWorker } from 'tesseract.js';
import { PermanentError, errorMessage } from '../errors.js';
import type { Cell, OcrWord } from './pdf-layout.js';
import { lineText } from './cell-lines.js';

/**
 * OCR for the local extractor (issue 14): the words of a scanned page or an uploaded
 * image, read by tesseract.js (WebAssembly, in a worker thread) with the traineddata the
 * `@tesseract.js-data/<code>` packages ship. Nothing is downloaded and nothing is cached:
 * each language's file is read from node_modules (a temporary folder of links to them is
 * the one `langPath`, since tesseract.js takes one folder for all languages) and
 * `cacheMethod: 'none'` keeps tesseract.js from writing `<code>.traineddata` into the
 * working directory, as it otherwise does.
 *
 * One worker per process, created on the first scan (an ordinary text PDF never loads
 * tesseract.js: it is a dynamic import, and so is out of every deployed bundle), reused
 * by later pages and ended by `closeOcr()` (the local stack's close) or with the process
 * (its thread is unref'd, so an idle worker keeps no process alive).
 *
 * The words come back as the lines of cells the PDF text layer gives (`pdf-layout.ts`):
 * words whose lines share a row of the page form a line, and neighbours closer than about
 * a space form one cell, their positions in PDF points, so label matching works unchanged.
 * Words tesseract is not sure of (confidence under `MIN_WORD_CONFIDENCE`) are dropped:
 * a missing value is null, a misread one would be a wrong answer. The kept words stay in
 * their cell with their confidence (`Cell.words`), so a value and its label can be held
 * to a higher bar (`ocr-trust.ts`) than the words that merely place it on the page.
 */

/** The languages whose traineddata packages are dependencies, so they can be asked for. */
export const OCR_LANGUAGE_CODES = ['eng', 'deu', 'fra', 'nld', 'spa'] as const;
export type OcrLanguage = (typeof OCR_LANGUAGE_CODES)[number];

/** Tesseract's word confidence (0-100) under which a word is left out. */
export const MIN_WORD_CONFIDENCE = 60;

/** An image to read: encoded bytes tesseract decodes (PNG, JPEG, WebP, TIFF) and its width in pixels. */
export interface OcrImage {
  bytes: Buffer;
  /** PDF points per pixel: 72/dpi for a rendered page; page-width based for an upload. */
  pointsPerPixel: number;
}

/** What OCR read on one page: its lines of cells, and their text (one line each) that citations are checked against. */
export interface OcrPage {
  cells: Cell[][];
  text: string;
}

interface Bbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One line as tesseract found it: its box and its words. */
export interface OcrLine {
  bbox: Bbox;
  words: Array<{ text: string; confidence: number; bbox: Bbox }>;
}

let engine: { key: string; worker: Promise<TesseractWorker>; langPath: Promise<string> } | null = null;

/**
 * Where tesseract's lines of an image may be kept and found again: the extraction bench's
 * `--ocr-cache <dir>` (OCR is the slow part of reading a scan, and the rules that read its
 * lines are what a bench run changes). Keyed by the image bytes and the languages; nothing
 * in the pipeline sets one.
 */
export interface OcrLineCache {
  get(image: Buffer, languages: readonly OcrLanguage[]): Promise<OcrLine[] | undefined>;
  set(image: Buffer, languages: readonly OcrLanguage[], lines: OcrLine[]): Promise<void>;
}

let lineCache: OcrLineCache | null = null;

/** Sets (or, with null, removes) the cache `recognizeImage` reads tesseract's lines from. */
export function useOcrLineCache(cache: OcrLineCache | null): void {
  lineCache = cache;
}

/**
 * Reads one image with a worker for `languages` (created on first use, reused while the
 * languages stay the same). When `signal` aborts mid-page, the worker is ended (tesseract
 * cannot stop a page any other way) and the next page starts a new one.
 */
export async function recognizeImage(image: OcrImage, options: { languages: readonly OcrLanguage[]; signal?: AbortSignal | undefined }): Promise<OcrPage> {
  const { signal } = options;
  signal?.throwIfAborted();
  const cached = await lineCache?.get(image.bytes, options.languages);
  const lines = cached ?? (await readLines(image, options.languages, signal));
  if (!cached) await lineCache?.set(image.bytes, options.languages, lines);
  const cells = cellsFromOcrLines(lines, image.pointsPerPixel);
  return { cells, text: cells.map(lineText).join('\n') };
}

/** Tesseract's lines of one image, with their words' boxes and confidences. */
async function readLines(image: OcrImage, languages: readonly OcrLanguage[], signal: AbortSignal | undefined): Promise<OcrLine[]> {
  const current = workerFor(languages);
  const result = await settle(
    (async () => {
      const worker = await current.worker;
      // The thread keeps the process alive while it reads a page, not while it waits for one.
      thread(worker)?.ref?.();
      try {
        return await worker.recognize(image.bytes, {}, { blocks: true, text: false });
      } finally {
        thread(worker)?.unref?.();
      }
    })(),
    current,
    signal,
  );
  return (result.data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines));
}

/** tesseract.js's worker_threads Worker (its `worker` property, not in its types). */
const thread = (worker: TesseractWorker) => (worker as unknown as { worker?: { ref?: () => void; unref?: () => void } | null }).worker;

/** The job's result, or the signal's reason when it aborts first, starting the worker included (the worker is then ended). */
async function settle<T>(job: Promise<T>, current: NonNullable<typeof engine>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return job;
  // Once aborted, the ended worker's job may still fail: nobody is waiting for it then.
  job.catch(() => {});
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      void closeEngine(current);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([job, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
/** Ends the process's OCR worker, if one was started (the local stack calls it on close). */
export async function closeOcr(): Promise<void> {
  if (engine) await closeEngine(engine);
}

async function closeEngine(current: NonNullable<typeof engine>): Promise<void> {
  if (engine === current) engine = null;
  await Promise.allSettled([current.worker.then((worker) => worker.terminate()), current.langPath.then((dir) => rm(dir, { recursive: true, force: true }))]);
}

function workerFor(languages: readonly OcrLanguage[]): NonNullable<typeof engine> {
  const key = languages.join('+');
  if (engine?.key === key) return engine;
  if (engine) void closeEngine(engine);
  const langPath = linkTraineddata(languages);
  const worker = langPath.then(async (dir) => {
    const { createWorker, OEM } = await import('tesseract.js');
    const created = await createWorker([...languages], OEM.LSTM_ONLY, workerOptions(dir));
    thread(created)?.unref?.();
    return created;
  });
  const started = { key, worker, langPath };
  engine = started;
  // A worker that failed to start is not kept: the next page tries again.
  worker.catch(() => void closeEngine(started));
  return started;
}

/**
 * tesseract.js's options: traineddata from `langPath` (a folder, not a URL, so it reads
 * files and fetches nothing), gzipped as the packages ship it, and no cache (`none`: it
 * neither reads nor writes `<code>.traineddata` in the working directory).
 */
export function workerOptions(langPath: string) {
  return {
    langPath,
    gzip: true,
    cacheMethod: 'none',
    // Without a handler tesseract.js throws a failed job's error out of its message
    // listener, which ends the process; the job's promise is rejected all the same.
    errorHandler: () => {},
  };
}

/** Whether this process has started an OCR worker (a text PDF must not). */
export function ocrWorkerStarted(): boolean {
  return engine !== null;
}

/** The folder tesseract.js reads `<code>.traineddata.gz` from: links to each language package's LSTM model. */
export async function linkTraineddata(languages: readonly OcrLanguage[]): Promise<string> {
  const require = createRequire(import.meta.url);
  const dir = await mkdtemp(path.join(tmpdir(), 'bytereview-ocr-'));
  for (const code of languages) {
    let packageDir: string;
    try {
      packageDir = path.dirname(require.resolve(`@tesseract.js-data/${code}/package.json`));
    } catch (error) {
      throw new PermanentError(`OCR language ${code} is not installed (@tesseract.js-data/${code}): ${errorMessage(error)}`, 'ocr_unavailable', { cause: error });
    }
    // The integer LSTM model (tesseract.js's own choice for LSTM-only), a fifth the size of the legacy one.
    await symlink(path.join(packageDir, '4.0.0_best_int', `${code}.traineddata.gz`), path.join(dir, `${code}.traineddata.gz`));
  }
  return dir;
}

/**
 * Tesseract's lines as lines of cells, top to bottom: lines whose vertical middles are
 * within half a line height of each other are one row (a label and its value printed in
 * another column are often two tesseract lines), their confident words ordered left to
 * right, and a word closer to the one before than 0.6 text heights (a space is about a
 * quarter; a lone ":" than one) joins its cell. Positions are in PDF points (`pointsPerPixel`).
 */
export function cellsFromOcrLines(lines: readonly OcrLine[], pointsPerPixel: number): Cell[][] {
  const kept = lines
    .map((line) => ({ ...line, words: line.words.filter((word) => word.confidence >= MIN_WORD_CONFIDENCE && word.text.trim() !== '') }))
    .filter((line) => line.words.length > 0)
    .sort((a, b) => middle(a.bbox) - middle(b.bbox));
  const rows: Array<{ middle: number; height: number; lines: OcrLine[] }> = [];
  for (const line of kept) {
    const height = line.bbox.y1 - line.bbox.y0;
    const row = rows.find((other) => Math.abs(other.middle - middle(line.bbox)) <= Math.min(other.height, height) / 2);
    if (row) {
      row.lines.push(line);
      row.height = Math.max(row.height, height);
    } else rows.push({ middle: middle(line.bbox), height, lines: [line] });
  }
  return rows
    .sort((a, b) => a.middle - b.middle)
    .map((row) => {
      const words = row.lines.flatMap((line) => line.words).sort((a, b) => a.bbox.x0 - b.bbox.x0);
      // The row's text height, from words with letters or figures (a lone ":" is short).
      const heights = words.filter((word) => /[\p{L}\p{N}]/u.test(word.text)).map((word) => word.bbox.y1 - word.bbox.y0).sort((a, b) => a - b);
      const lineHeight = heights[Math.floor(heights.length / 2)] ?? row.height;
      const cells: Array<Cell & { end: number; words: OcrWord[] }> = [];
      for (const word of words) {
        const last = cells.at(-1);
        const text = word.text.trim();
        const gap = last ? word.bbox.x0 - last.end : Infinity;
        // Punctuation read as its own word ("Date :") belongs to the word before it.
        const punctuation = /^[:;.,]+$/.test(text);
        // A colon ends the label before it however far it is printed ("Date      : 09/01/2019").
        const colon = text === ':' && last !== undefined && /\p{L}$/u.test(last.text);
        if (last && (gap < lineHeight * 0.6 || (punctuation && gap < lineHeight) || colon)) {
          last.end = Math.max(last.end, word.bbox.x1);
          if (punctuation) {
            // ... written against it, as part of its word: "August 3 , 2014" is the date
            // "August 3, 2014", as sure as its figures (tesseract is seldom sure of a lone mark).
            last.text = `${last.text}${text}`;
            const before = last.words.at(-1)!;
            last.words[last.words.length - 1] = { text: `${before.text}${text}`, confidence: before.confidence };
          } else {
            last.text = `${last.text} ${text}`;
            last.words.push({ text, confidence: word.confidence });
          }
        } else cells.push({ text, x: word.bbox.x0, right: word.bbox.x1, end: word.bbox.x1, words: [{ text, confidence: word.confidence }] });
      }
      return cells.map(({ text, x, end, words }) => ({ text, x: round(x * pointsPerPixel), right: round(end * pointsPerPixel), words }));
    });
}

const middle = (box: Bbox) => (box.y0 + box.y1) / 2;
const round = (points: number) => Math.round(points * 100) / 100;
