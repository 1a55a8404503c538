import { PDFDocument } from 'pdf-lib';
import { extractText, getDocumentProxy } from 'unpdf';
import { PermanentError } from '../errors.js';
import type { Citation } from './answer-rows.js';
import { offsetCitationPages, verifyCitations } from './citations.js';
import { DEFAULT_WINDOW_PAGES } from './page-window-settings.js';
import {
  AnswerCutOffError,
  InvalidAnswerError,
  type ExtractionAnswer,
  type ExtractionRequest,
  type Extractor,
  type PageWindowReport,
} from './types.js';

/**
 * Long documents (issue 14): a PDF of more than `windowPages` pages is read in windows of
 * that many pages, each overlapping the one before by a page (a table row cut by a page
 * break is whole in one of them), one extractor call per window, in page order, and the
 * answers merged (`mergeWindowAnswers`). An answer cut at the model's output limit is never
 * kept: its window is split in two and each half asked again, down to one page, which
 * then fails the document with that reason. Every value's citation is checked against the
 * page it names (`citations.ts`): its text layer, or, for a page that has none, the text
 * the extractor read on it by OCR (`ExtractionAnswer.ocrPages`, the local extractor's).
 */


export interface PageWindowOptions {
  /** Bytes of the file at a request's `file.uri` (the blob seam). */
  readFile: (uri: string) => Promise<Buffer>;
  /** A PDF of more pages than this is read in windows of this many pages (at least 2; default 20). */
  windowPages?: number;
}

/** One window's answer, its citations already counted in the document's pages. */
export interface WindowAnswer {
  firstPage: number;
  lastPage: number;
  columns: string[];
  results: unknown[][];
  citations?: (Citation | null)[][];
}

/**
 * `extractor` reading long PDFs in page windows and every answer's citations verified.
 * Other files go to `extractor` whole; an answer cut at the output limit fails them
 * (`output_limit`), as it would a one-page window.
 *
 * @example
 * const extractor = withPageWindows(createGeminiExtractor({ ... }), { readFile: (uri) => blobs.readAll(uri) });
 */
export function withPageWindows(extractor: Extractor, options: PageWindowOptions): Extractor {
  const windowPages = options.windowPages ?? DEFAULT_WINDOW_PAGES;
  if (!Number.isInteger(windowPages) || windowPages < 2) throw new Error(`windowPages must be a whole number of at least 2, got ${windowPages}`);
  return {
    engine: extractor.engine,
    async extract(request: ExtractionRequest): Promise<ExtractionAnswer> {
      if (request.file.mimeType.split(';')[0]!.trim().toLowerCase() !== 'application/pdf') {
        const { ocrPages, ...answer } = await whole(extractor, request);
        return answer.citations ? { ...answer, citations: verifyCitations(answer.citations, withOcrText(null, ocrPages ?? [])) } : answer;
      }
      const bytes = request.file.bytes ?? (await options.readFile(request.file.uri));
      const pdf = await loadPdf(bytes);
      // pdf-lib cannot read it: the extractor reads it whole and names the problem.
      if (!pdf) return whole(extractor, request);
      return extractPdf(extractor, request, { pdf, bytes, windowPages });
    },
  };
}

/** The extractor on the whole file, a cut answer failing it for good. */
async function whole(extractor: Extractor, request: ExtractionRequest): Promise<ExtractionAnswer> {
  try {
    return await extractor.extract(request);
  } catch (error) {
    if (error instanceof AnswerCutOffError) throw outputLimitError(request.file.filename, null, error);
    throw error;
  }
}

function outputLimitError(filename: string, page: number | null, cause: AnswerCutOffError): PermanentError {
  const where = page === null ? filename : `page ${page} of ${filename}`;
  return new PermanentError(
    `The model's answer for ${where} alone is longer than its output limit (finish reason MAX_TOKENS), so it cannot be read completely: ${cause.message}`,
    'output_limit',
    { cause },
  );
}

/** The page windows of a `pageCount`-page document: `size` pages each, one page shared with the previous. */
export function planWindows(pageCount: number, size: number): Array<{ firstPage: number; lastPage: number }> {
  if (pageCount <= size) return [{ firstPage: 1, lastPage: Math.max(1, pageCount) }];
  const windows: Array<{ firstPage: number; lastPage: number }> = [];
  for (let first = 1; ; first += size - 1) {
    const last = Math.min(pageCount, first + size - 1);
    windows.push({ firstPage: first, lastPage: last });
    if (last === pageCount) return windows;
  }
}

async function extractPdf(
  extractor: Extractor,
  request: ExtractionRequest,
  { pdf, bytes, windowPages }: { pdf: PDFDocument; bytes: Buffer; windowPages: number },
): Promise<ExtractionAnswer> {
  const pageCount = pdf.getPageCount();
  const windows = planWindows(pageCount, windowPages);
  const windowed = windows.length > 1;
  // A window may hold none of a required field's pages: required is checked on the merged rows.
  const fields = windowed ? request.fields.map((field) => ({ ...field, required: false })) : request.fields;
  const reports: PageWindowReport[] = [];
  const answers: Array<{ window: WindowAnswer; answer: ExtractionAnswer }> = [];

  async function answerWindow(firstPage: number, lastPage: number): Promise<void> {
    const started = Date.now();
    const isWhole = firstPage === 1 && lastPage === pageCount;
    const file = isWhole ? request.file : { ...request.file, bytes: await pageRange(pdf, firstPage, lastPage) };
    let answer: ExtractionAnswer;
    try {
      answer = await extractor.extract({ ...request, fields, file });
    } catch (error) {
      if (!(error instanceof AnswerCutOffError)) throw error;
      reports.push({ firstPage, lastPage, outcome: 'split', durationMs: Date.now() - started });
      if (firstPage === lastPage) throw outputLimitError(request.file.filename, firstPage, error);
      const middle = Math.floor((firstPage + lastPage) / 2);
      await answerWindow(firstPage, middle);
      await answerWindow(middle + 1, lastPage);
      return;
    }
    reports.push({ firstPage, lastPage, outcome: 'completed', rows: answer.results.length, durationMs: Date.now() - started });
    const citations = answer.citations ? offsetCitationPages(answer.citations, firstPage) : undefined;
    answers.push({ window: { firstPage, lastPage, columns: answer.columns, results: answer.results, ...(citations ? { citations } : {}) }, answer });
  }

  // One window after another: a quota refusal stops the document before more is billed.
  for (const window of windows) await answerWindow(window.firstPage, window.lastPage);

  const merged = mergeWindowAnswers(answers.map((a) => a.window));
  if (windowed) requireMergedFields(request, merged.results);
  const first = answers[0]!.answer;
  const ocrPages = answers.flatMap(({ window, answer }) => (answer.ocrPages ?? []).map(({ page, text }) => ({ page: page + window.firstPage - 1, text })));
  const citations = merged.citations ? verifyCitations(merged.citations, withOcrText(await pageTexts(bytes), ocrPages)) : undefined;
  return {
    columns: merged.columns,
    results: merged.results,
    ...(citations ? { citations } : {}),
    ...(reports.length > 1 ? { windows: reports } : {}),
    engine: first.engine,
    model: first.model,
    usage: {
      inputTokens: sumOrNull(answers.map((a) => a.answer.usage.inputTokens)),
      outputTokens: sumOrNull(answers.map((a) => a.answer.usage.outputTokens)),
    },
  };
}

/**
 * One answer from the windows' answers, in page order:
 * - when no window answered more than one row, the document is one record: each field
 *   from the first window that has it;
 * - otherwise the rows (line items) one after another, without the rows a window repeats
 *   from the page it shares with the window before (without
 *   pages, the longest run of rows ending one window and starting the next). A row is on
 *   the page most of its values cite, and repeats a row of the window before when the
 *   values both cite on the shared page are the same. A field with
 *   one value for the whole document (a window answered it, the same, on each of two or
 *   more rows, and no window answered another) fills the rows of the windows that lacked it.
 */
export function mergeWindowAnswers(windows: readonly WindowAnswer[]): { columns: string[]; results: unknown[][]; citations?: (Citation | null)[][] } {
  const first = windows[0];
  if (!first) throw new Error('mergeWindowAnswers needs at least one window');
  const cited = windows.every((window) => window.citations);
  const rows: Array<{ cells: unknown[]; sources: (Citation | null)[] }> = [];
  const rowsOf = (window: WindowAnswer) =>
    window.results.map((cells, r) => ({ cells, sources: window.citations?.[r] ?? cells.map(() => null) }));

  if (windows.every((window) => window.results.length <= 1)) {
    const answered = windows.filter((window) => window.results.length === 1).map((window) => rowsOf(window)[0]!);
    if (answered.length > 0) {
      const row = { cells: [] as unknown[], sources: [] as (Citation | null)[] };
      first.columns.forEach((_, c) => {
        const from = answered.find((candidate) => candidate.cells[c] !== null && candidate.cells[c] !== undefined) ?? answered[0]!;
        row.cells.push(from.cells[c] ?? null);
        row.sources.push(from.sources[c] ?? null);
      });
      rows.push(row);
    }
  } else {
    let previous: WindowAnswer | undefined;
    for (const window of windows) {
      const own = rowsOf(window);
      const overlaps = previous !== undefined && previous.lastPage >= window.firstPage;
      rows.push(...(overlaps ? withoutRepeatedRows(rowsOf(previous!), own, window.firstPage) : own));
      previous = window;
    }
    fillDocumentValues(rows, windows);
  }
  return {
    columns: first.columns,
    results: rows.map((row) => row.cells),
    ...(cited ? { citations: rows.map((row) => row.sources) } : {}),
  };
}

type MergedRow = { cells: unknown[]; sources: (Citation | null)[] };

const cellsKey = (row: MergedRow) => JSON.stringify(row.cells);

/** The page most of a row's values are cited on (the later one on a tie: line items follow the header values), or null. */
function rowPage(row: MergedRow): number | null {
  const counts = new Map<number, number>();
  for (const source of row.sources) if (typeof source?.page === 'number') counts.set(source.page, (counts.get(source.page) ?? 0) + 1);
  let best: number | null = null;
  for (const [page, count] of counts) if (best === null || count > counts.get(best)! || (count === counts.get(best)! && page > best)) best = page;
  return best;
}

/** The values a row cites on `page`, with their columns: what two windows reading that page both see. */
const onPageKey = (row: MergedRow, page: number) =>
  JSON.stringify(row.cells.map((cell, c) => (row.sources[c]?.page === page ? cell : undefined)));

function withoutRepeatedRows(before: MergedRow[], rows: MergedRow[], sharedPage: number): MergedRow[] {
  if ([...before, ...rows].some((row) => rowPage(row) !== null)) {
    const seen = new Map<string, number>();
    for (const row of before) {
      if (rowPage(row) !== sharedPage) continue;
      const key = onPageKey(row, sharedPage);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return rows.filter((row) => {
      if (rowPage(row) !== sharedPage) return true;
      const key = onPageKey(row, sharedPage);
      const left = seen.get(key) ?? 0;
      if (left === 0) return true;
      seen.set(key, left - 1);
      return false;
    });
  }
  for (let k = Math.min(before.length, rows.length); k > 0; k--) {
    const tail = before.slice(-k).map(cellsKey);
    if (rows.slice(0, k).every((row, i) => cellsKey(row) === tail[i])) return rows.slice(k);
  }
  return rows;
}

function fillDocumentValues(rows: MergedRow[], windows: readonly WindowAnswer[]): void {
  const columns = windows[0]!.columns.length;
  for (let c = 0; c < columns; c++) {
    const values = new Set<string>();
    let constantOverRows = false;
    for (const window of windows) {
      const cells = window.results.map((row) => row[c] ?? null);
      const present = cells.filter((cell) => cell !== null);
      for (const cell of present) values.add(JSON.stringify(cell));
      if (cells.length >= 2 && present.length === cells.length && new Set(present.map((cell) => JSON.stringify(cell))).size === 1) constantOverRows = true;
    }
    if (!constantOverRows || values.size !== 1) continue;
    const source = rows.find((row) => row.cells[c] !== null && row.cells[c] !== undefined)!;
    for (const row of rows) {
      if (row.cells[c] === null || row.cells[c] === undefined) {
        row.cells = row.cells.with(c, source.cells[c]);
        row.sources = row.sources.with(c, source.sources[c] ?? null);
      }
    }
  }
}

function requireMergedFields(request: ExtractionRequest, results: readonly unknown[][]): void {
  results.forEach((row, r) => {
    const missing = request.fields.find((field, c) => field.required && (row[c] === null || row[c] === undefined));
    if (missing) throw new InvalidAnswerError(`Row ${r + 1}, field "${missing.name}": required field found on no page of ${request.file.filename}`);
  });
}

async function loadPdf(bytes: Buffer): Promise<PDFDocument | null> {
  try {
    return await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  } catch {
    return null;
  }
}

/** A PDF of pages `firstPage`..`lastPage` (from 1) of `pdf`. */
async function pageRange(pdf: PDFDocument, firstPage: number, lastPage: number): Promise<Buffer> {
  const out = await PDFDocument.create({ updateMetadata: false });
  const indexes = Array.from({ length: lastPage - firstPage + 1 }, (_, i) => firstPage - 1 + i);
  for (const page of await out.copyPages(pdf, indexes)) out.addPage(page);
  return Buffer.from(await out.save());
}

/** The text layer, one string per page; null when pdf.js cannot read it. */
async function pageTexts(bytes: Buffer): Promise<string[] | null> {
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      return (await extractText(pdf, { mergePages: false })).text;
    } finally {
      await pdf.destroy();
    }
  } catch {
    return null;
  }
}

/** The pages' text layer with each page that has none (blank) read from OCR instead; null when there is neither. */
function withOcrText(texts: string[] | null, ocrPages: ReadonlyArray<{ page: number; text: string }>): string[] | null {
  if (ocrPages.length === 0) return texts;
  const pages = [...(texts ?? [])];
  for (const { page, text } of ocrPages) {
    while (pages.length < page) pages.push('');
    if (pages[page - 1]!.trim() === '') pages[page - 1] = text;
  }
  return pages;
}

function sumOrNull(counts: (number | null)[]): number | null {
  const known = counts.filter((count): count is number => count !== null);
  return known.length === 0 ? null : known.reduce((sum, count) => sum + count, 0);
}
