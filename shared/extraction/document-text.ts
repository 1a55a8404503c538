import { getDocumentProxy } from 'unpdf';
import { PermanentError, errorMessage } from '../errors.js';
import { pdfCells, type Cell } from './pdf-layout.js';

/** A document as the local extractor sees it: lines of text, or the cells of a CSV. */
export type DocumentText = { kind: 'lines'; lines: string[]; cells?: Cell[][] } | { kind: 'csv'; rows: string[][] };

/**
 * Reads the text of a PDF (its text layer, pages merged), a plain-text file or a CSV
 * (rows without blank ones, cells trimmed). Throws PermanentError for a PDF without
 * text (`no_text_layer`), an unreadable PDF and a type it does not read.
 */
export async function readDocumentText(bytes: Buffer, file: { mimeType: string; filename: string }): Promise<DocumentText> {
  const mimeType = file.mimeType.split(';')[0]!.trim().toLowerCase();
  switch (mimeType) {
    case 'application/pdf':
    {
      // A PDF's lines keep their cells (positions), parallel to the lines.
      const cells = await pdfText(bytes, file.filename);
      return { kind: 'lines', lines: cells.map((line) => line.map((cell) => cell.text).join(' ')), cells };
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
        `${file.filename} is ${file.mimeType}; the local extractor reads PDF, plain text and CSV only`,
        'unsupported_type',
      );
  }
}

async function pdfText(bytes: Buffer, filename: string): Promise<Cell[][]> {
  let cells: Cell[][];
  try {
    // A copy: pdf.js may take over (detach) the buffer it is given. Verbosity 0: a broken
    // file is reported once, as our error, not as pdf.js warnings on stderr.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      cells = await pdfCells(pdf);
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    throw new PermanentError(`${filename} is not a readable PDF: ${errorMessage(error)}`, 'unreadable_file', { cause: error });
  }
  if (cells.every((line) => line.length === 0)) {
    throw new PermanentError(
      `${filename} has no text layer (scanned image?); the local extractor reads only text PDFs`,
      'no_text_layer',
    );
  }
  return cells;
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
