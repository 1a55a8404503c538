import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it, vi } from 'vitest';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import type { OcrLine } from '../../shared/extraction/ocr.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { at, firstRow, printedPdf } from '../support/printed-invoice.js';
import { ocrRow, scannedAnswer } from '../support/ocr-lines.js';

// Dates of OCR'd receipts (issue 14, precision first): as tills print them, two-digit years,
// the time beside the date, the date inside a longer cell or spaced into cells. No OCR here:
// tesseract's words are given with their confidences (as `recognizeImage` passes them to
// `cellsFromOcrLines`), and the extractor reads an image whose "OCR" returns them.

let page: OcrLine[] = [];
vi.mock('../../shared/extraction/ocr.js', async (importOriginal) =>
  (await import('../support/ocr-lines.js')).ocrReading(await importOriginal<typeof import('../../shared/extraction/ocr.js')>(), () => page),
);

/** The `index`th printed line of a receipt (ocr-lines.ts). */
const row = (index: number, cells: Array<Array<[string, number]>>): OcrLine => ocrRow(index * 60, cells);

/** A receipt from lines of cells, each cell's words read at 95 unless given `[word, confidence]`. */
const receipt = (lines: Array<Array<string | Array<[string, number]>>>) =>
  lines.map((cells, i) => row(i, cells.map((cell) => (typeof cell === 'string' ? cell.split(' ').map((word): [string, number] => [word, 95]) : cell))));

const fields: FieldSpec[] = [
  { name: 'invoice_date', type: 'date', description: null, required: false },
  { name: 'total', type: 'currency', description: null, required: false },
];
const blank = createCanvas(400, 600).toBuffer('image/png');
const extractor = createLocalExtractor({ readFile: async () => blank });

async function dateOf(lines: OcrLine[]): Promise<unknown> {
  page = lines;
  return scannedAnswer(extractor, fields, 'invoice_date');
}

describe('a scanned receipt\'s date', () => {
  it('reads a two-digit year in this century, labelled or alone, when the day order is told', async () => {
    expect(await dateOf(receipt([['GST Reg No: 000123456789'], ['Date', '21/11/19'], ['TOTAL', 'RM 12.40']]))).toBe('2019-11-21');
    expect(await dateOf(receipt([['GST Reg No: 000123456789'], ['Date:', '04/02/19'], ['TOTAL', '12.40']]))).toBe('2019-02-04');
    expect(await dateOf(receipt([['KEDAI MAJU'], ['19-11-21', '14:02'], ['TOTAL', 'RM 12.40']]))).toBe('2021-11-19');
  });

  it('answers null for an ambiguous two-digit-year date on a document that does not tell its day order', async () => {
    expect(await dateOf(receipt([['Date:', '04/02/19'], ['TOTAL', '12.40']]))).toBeNull();
  });

  it('takes ringgit amounts for a day-first country\'s currency, before a lone "$" OCR misread', async () => {
    expect(await dateOf(receipt([['KEDAI MAJU'], ['07/04/2018', '20:15'], ['TOTAL', 'RM 170.00']]))).toBe('2018-04-07');
    expect(await dateOf(receipt([['Date', '07/04/18'], ['GST (6%)', '2 $6'], ['TOTAL', 'RM 53.50']]))).toBe('2018-04-07');
    expect(await dateOf(receipt([['KEDAI MAJU'], ['07/04/2018', '20:15'], ['TOTAL', '170.00']]))).toBeNull();
  });

  it('holds the date to its own words, not the time OCR was less sure of beside it', async () => {
    expect(await dateOf(receipt([['KEDAI MAJU'], [[['23/08/2018', 95], ['9:34:40', 80], ['AM', 93]]], ['TOTAL', '9.00']]))).toBe('2018-08-23');
    // The date's own figures unsure: a "2016" for 2018 reads just as well.
    expect(await dateOf(receipt([['KEDAI MAJU'], [[['23/08/2016', 88], ['9:34:40', 95]]], ['TOTAL', '9.00']]))).toBeNull();
  });

  it('reads a numeric date inside a longer cell, and a month-name date spaced into cells', async () => {
    expect(await dateOf(receipt([['KEDAI MAJU'], ['Bill No.: A77/1203 Date: 14/02/2019'], ['TOTAL', '9.00']]))).toBe('2019-02-14');
    expect(await dateOf(receipt([['KEDAI MAJU'], ['17', 'Aug', '2018', '12:15'], ['TOTAL', '9.00']]))).toBe('2018-08-17');
  });

  it('answers null when a second date is printed, or the date inside a cell was unsure', async () => {
    expect(await dateOf(receipt([['Bill No.: A77/1203 Date: 14/02/2019'], ['Valid until 28/02/2019'], ['TOTAL', '9.00']]))).toBeNull();
    expect(await dateOf(receipt([[[['Bill', 95], ['Date:', 95], ['14/02/2019', 84]]], ['TOTAL', '9.00']]))).toBeNull();
  });
});

describe('a text PDF\'s two-digit-year date', () => {
  it('reads "25.03.19" day first, as a dotted date always is', async () => {
    const pdf = await printedPdf([at([40, 'Nordlicht Handel GmbH']), at([40, 'Rechnungsdatum: 25.03.19']), at([40, 'Gesamtbetrag: 119,00 EUR'])]);
    expect((await firstRow(pdf, fields)).invoice_date).toBe('2019-03-25');
  });
});
