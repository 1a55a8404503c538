import { extractTextItems, getDocumentProxy } from 'unpdf';
import { PermanentError, errorMessage } from '../errors.js';

/**
 * A document as the local extractor sees it: lines of text, or the cells of a CSV. A PDF's
 * lines also say which page each is on (from 1) and, for lines printed in columns, the
 * text of each column (`cells`), which is how tables are read.
 */
export type DocumentText =
  | { kind: 'lines'; lines: string[]; pages?: number[]; cells?: string[][] }
  | { kind: 'csv'; rows: string[][] };

/**
 * Reads the text of a PDF (its text layer, pages merged), a plain-text file or a CSV
 * (rows without blank ones, cells trimmed). Throws PermanentError for a PDF without
 * text (`no_text_layer`), an unreadable PDF and a type it does not read.
 */
export async function readDocumentText(bytes: Buffer, file: { mimeType: string; filename: string }): Promise<DocumentText> {
  const mimeType = file.mimeType.split(';')[0]!.trim().toLowerCase();
  switch (mimeType) {
    case 'application/pdf':
      return { kind: 'lines', ...(await pdfLines(bytes, file.filename)) };
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
        `${file.filename} is ${file.mimeType}; the local extractor reads PDF, plain text and CSV only`,
        'unsupported_type',
      );
  }
}

/** A gap wider than this many font sizes between two runs of text on a line starts a new column. */
const COLUMN_GAP = 1.5;

/**
 * The text layer's lines, page after page, as pdf.js orders its text runs (the lines are
 * unpdf's `extractText` lines), each with its page and the text of its columns.
 */
async function pdfLines(bytes: Buffer, filename: string): Promise<{ lines: string[]; pages: number[]; cells: string[][] }> {
  let items: Awaited<ReturnType<typeof extractTextItems>>['items'];
  try {
    // A copy: pdf.js may take over (detach) the buffer it is given. Verbosity 0: a broken
    // file is reported once, as our error, not as pdf.js warnings on stderr.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      ({ items } = await extractTextItems(pdf));
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    throw new PermanentError(`${filename} is not a readable PDF: ${errorMessage(error)}`, 'unreadable_file', { cause: error });
  }
  const lines: string[] = [];
  const pages: number[] = [];
  const cells: string[][] = [];
  items.forEach((pageItems, p) => {
    let text = '';
    let columns = [''];
    const endLine = () => {
      for (const line of splitLines(text)) {
        lines.push(line);
        pages.push(p + 1);
        cells.push(columns.map((cell) => cell.replace(/\s+/g, ' ').trim()).filter((cell) => cell !== ''));
      }
      text = '';
      columns = [''];
    };
    for (const item of pageItems) {
      text += item.str;
      if (item.str.trim() === '' && item.width > COLUMN_GAP * item.fontSize) columns.push('');
      else columns[columns.length - 1] += item.str;
      if (item.hasEOL) endLine();
    }
    if (text !== '') endLine();
  });
  if (lines.every((line) => line === '')) {
    throw new PermanentError(
      `${filename} has no text layer (scanned image?); the local extractor reads only text PDFs`,
      'no_text_layer',
    );
  }
  return { lines, pages, cells };
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
