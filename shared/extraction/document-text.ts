import { getDocumentProxy } from 'unpdf';
import { PermanentError, errorMessage } from '../errors.js';
import type { OcrLanguage, OcrPage } from './ocr.js';
import { pdfCells, type Cell } from './pdf-layout.js';
import { lineText } from './cell-lines.js';

/**
 * A document as the local extractor sees it: lines of text, or the cells of a CSV. A PDF's
 * lines keep their cells (positions) and say which page each is on (from 1), parallel to
 * the lines: that page and line are a value's citation. `ocrPages` holds the text OCR
 * read on each page that had no text layer (a scan, an image upload), which is what a
 * citation on such a page is verified against.
 */
export type DocumentText =
  | { kind: 'lines'; lines: string[]; cells?: Cell[][]; pages?: number[]; ocrPages?: OcrPageText[] }
  | { kind: 'csv'; rows: string[][] };

/** The text OCR read on one page (from 1) of a document. */
export interface OcrPageText {
  page: number;
  text: string;
}

/** How scans and images are read (README "Settings": OCR_LANGUAGES, OCR_MAX_PAGES). */
export interface OcrOptions {
  /** Tesseract languages, in order of preference (default: all five shipped, `fra+spa+deu+nld+eng`). */
  languages?: readonly OcrLanguage[];
  /** A file with more pages to OCR than this fails (`too_many_scanned_pages`) before any is read (default 50). */
  maxPages?: number;
}

/**
 * French and Spanish first: their models read English words as well, while the English
 * model reads "Lefèvre" as "Lefévre" and "López" as "Lopez" (measured on scanned invoices
 * in all five languages: 20 of 20 values right in this order, 17 right and 2 wrong with
 * English first, at the same CPU time per page; README "Scans and images").
 */
export const DEFAULT_OCR_LANGUAGES: readonly OcrLanguage[] = ['fra', 'spa', 'deu', 'nld', 'eng'];
export const DEFAULT_OCR_MAX_PAGES = 50;

/** Image types read by OCR: the upload path accepts these (shared/files/content-type.ts). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/tiff', 'image/webp', 'image/gif']);

/**
 * Reads the text of a PDF (its text layer, pages merged; a page without one that paints
 * an image is OCR'd), an image (OCR, each page of a TIFF), a plain-text file or a CSV
 * (rows without blank ones, cells trimmed). Throws PermanentError for a PDF with neither
 * text nor a scanned page (`no_text_layer`), a scan or image where OCR reads no word
 * (`no_text_found`), more pages to OCR than allowed (`too_many_scanned_pages`), a page
 * tesseract fails on (`ocr_failed`), an unreadable file and a type it does not read. `signal` stops OCR between and within pages.
 */
export async function readDocumentText(
  bytes: Buffer,
  file: { mimeType: string; filename: string },
  options: { ocr?: OcrOptions; signal?: AbortSignal | undefined } = {},
): Promise<DocumentText> {
  const mimeType = file.mimeType.split(';')[0]!.trim().toLowerCase();
  if (IMAGE_TYPES.has(mimeType)) return imageText(bytes, mimeType, file.filename, options);
  switch (mimeType) {
    case 'application/pdf':
    {
      // A PDF's lines keep their cells (positions), parallel to the lines.
      const { cells, pages, ocrPages } = await pdfText(bytes, file.filename, options);
      return { kind: 'lines', lines: cells.map(lineText), cells, pages, ...(ocrPages.length > 0 ? { ocrPages } : {}) };
    }
    case 'text/plain':
      return { kind: 'lines', lines: splitLines(bytes.toString('utf8')) };
    case 'text/csv':
      return {
        kind: 'csv',
        rows: parseCsv(bytes.toString('utf8'))
          .map((row) => row.map((cell) => cell.trim()))
          .filter((row) => row.some((cell) => cell !== '')),
      };
    default:
      throw new PermanentError(
        `${file.filename} is ${file.mimeType}; the local extractor reads PDF, images (PNG, JPEG, TIFF, WebP, GIF), plain text and CSV only`,
        'unsupported_type',
      );
  }
}

async function pdfText(
  bytes: Buffer,
  filename: string,
  options: { ocr?: OcrOptions; signal?: AbortSignal | undefined },
): Promise<{ cells: Cell[][]; pages: number[]; ocrPages: OcrPageText[] }> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js may take over (detach) the buffer it is given. Verbosity 0: a broken
    // file is reported once, as our error, not as pdf.js warnings on stderr.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    throw unreadablePdf(filename, error);
  }
  try {
    let cells: Cell[][];
    let pages: number[];
    const scanned: number[] = [];
    try {
      ({ cells, pages } = await pdfCells(pdf));
      const withText = new Set(pages.filter((_, i) => cells[i]!.length > 0));
      const blank = Array.from({ length: pdf.numPages }, (_, i) => i + 1).filter((page) => !withText.has(page));
      if (blank.length > 0) {
        const { pageHasImage } = await import('./scanned-pages.js');
        for (const page of blank) if (await pageHasImage(pdf, page)) scanned.push(page);
      }
    } catch (error) {
      throw unreadablePdf(filename, error);
    }
    if (scanned.length === 0) {
      if (cells.every((line) => line.length === 0)) {
        throw new PermanentError(`${filename} has neither a text layer nor a scanned page: there is nothing to read`, 'no_text_layer');
      }
      return { cells, pages, ocrPages: [] };
    }
    const { renderPdfPage } = await import('./scanned-pages.js');
    const read = await ocrPages(scanned, (page) => renderPdfPage(pdf, page), filename, options);
    // Text-layer lines and OCR'd lines, in page order.
    const merged = [...cells.map((line, i) => ({ line, page: pages[i]! })), ...read.flatMap(({ page, cells: lines }) => lines.map((line) => ({ line, page })))]
      .map((entry, order) => ({ ...entry, order }))
      .sort((a, b) => a.page - b.page || a.order - b.order);
    return { cells: merged.map((entry) => entry.line), pages: merged.map((entry) => entry.page), ocrPages: read.map(({ page, text }) => ({ page, text })) };
  } finally {
    await pdf.destroy();
  }
}

function unreadablePdf(filename: string, error: unknown): PermanentError {
  if (error instanceof PermanentError) return error;
  return new PermanentError(`${filename} is not a readable PDF: ${errorMessage(error)}`, 'unreadable_file', { cause: error });
}

async function imageText(bytes: Buffer, mimeType: string, filename: string, options: { ocr?: OcrOptions; signal?: AbortSignal | undefined }): Promise<DocumentText> {
  const { imagePages } = await import('./scanned-pages.js');
  const images = await imagePages(bytes, mimeType, filename);
  const read = await ocrPages(images.map((_, i) => i + 1), async (page) => images[page - 1]!, filename, options);
  const entries = read.flatMap(({ page, cells }) => cells.map((line) => ({ line, page })));
  const cells = entries.map((entry) => entry.line);
  return { kind: 'lines', lines: cells.map(lineText), cells, pages: entries.map((entry) => entry.page), ocrPages: read.map(({ page, text }) => ({ page, text })) };
}

/**
 * OCR of `pages`, one after another on the process's worker, each page's image made just
 * before it is read (a rendered page is large). Fails before reading any page when there
 * are more than the limit, and when no page yields a word: a blank or unreadable scan is
 * said to be one, never answered with nulls that look like a read document.
 */
async function ocrPages(
  pages: readonly number[],
  image: (page: number) => Promise<import('./ocr.js').OcrImage>,
  filename: string,
  options: { ocr?: OcrOptions; signal?: AbortSignal | undefined },
): Promise<Array<OcrPage & { page: number }>> {
  const maxPages = options.ocr?.maxPages ?? DEFAULT_OCR_MAX_PAGES;
  if (pages.length > maxPages) {
    throw new PermanentError(
      `${filename} has ${pages.length} scanned pages to OCR, more than the ${maxPages} allowed (OCR_MAX_PAGES); split it or raise the limit`,
      'too_many_scanned_pages',
    );
  }
  const { recognizeImage } = await import('./ocr.js');
  const languages = options.ocr?.languages ?? DEFAULT_OCR_LANGUAGES;
  const read: Array<OcrPage & { page: number }> = [];
  for (const page of pages) {
    options.signal?.throwIfAborted();
    let recognized: OcrPage;
    try {
      recognized = await recognizeImage(await image(page), { languages, signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted || error instanceof PermanentError) throw error;
      // tesseract.js rejects with a string: the page's image did not decode in it, or its worker failed.
      throw new PermanentError(`OCR could not read page ${page} of ${filename}: ${errorMessage(error)}`, 'ocr_failed', { cause: error });
    }
    read.push({ page, ...recognized });
  }
  if (read.every((page) => page.cells.length === 0)) {
    const what = pages.length === 1 ? 'the scan' : `any of its ${pages.length} scanned pages`;
    throw new PermanentError(`OCR read no word it is sure of in ${what} of ${filename} (blank, too faint or not text?)`, 'no_text_found');
  }
  return read;
}

function splitLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim());
}

/** RFC 4180: commas, double-quoted cells with "" escapes, CRLF or LF rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
