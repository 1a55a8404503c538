import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it, vi } from 'vitest';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import type { OcrLine } from '../../shared/extraction/ocr.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { at, firstRow, printedPdf } from '../support/printed-invoice.js';
import { ocrLineAt, ocrPage, scannedAnswer } from '../support/ocr-lines.js';

// Dates of OCR'd receipts (issue 14, precision first): as tills print them, two-digit years,
// the time beside the date, the date inside a longer cell or spaced into cells. No OCR here:
// tesseract's words are given with their confidences (as `recognizeImage` passes them to
// `cellsFromOcrLines`), and the extractor reads an image whose "OCR" returns them.

let page: OcrLine[] = [];
vi.mock('../../shared/extraction/ocr.js', async (importOriginal) =>
  (await import('../support/ocr-lines.js')).ocrReading(await importOriginal<typeof import('../../shared/extraction/ocr.js')>(), () => page),
);

/** The `index`th printed line of a receipt, and a receipt of lines (ocr-lines.ts). */
const row = ocrLineAt;
const receipt = ocrPage;

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
    // The month and year OCR read as one cell, the day apart: "Jun 2019" is the date's own part, no second date.
    expect(await dateOf(receipt([['KEDAI MAJU'], ['07', 'Jun 2019', '11:42'], ['TOTAL', '9.00']]))).toBe('2019-06-07');
  });

  it('reads a till\'s date with the month\'s name and a two-digit year, the same date printed again agreeing', async () => {
    expect(await dateOf(receipt([['KEDAI MAJU'], ['24', 'Nov', '19', '09:14:51'], ['TOTAL', '9.00']]))).toBe('2019-11-24');
    expect(await dateOf(receipt([['KEDAI MAJU'], ['27 Oct 19 13:05:22'], [[['27/10/19', 74]]], ['TOTAL', 'RM 9.00']]))).toBe('2019-10-27');
    // Another date, or no such day, is no answer.
    expect(await dateOf(receipt([['KEDAI MAJU'], ['27 Oct 19 13:05:22'], [[['27/09/19', 74]]], ['TOTAL', 'RM 9.00']]))).toBeNull();
    expect(await dateOf(receipt([['KEDAI MAJU'], ['31', 'Feb', '18'], ['TOTAL', '9.00']]))).toBeNull();
    // A numeric date after its label, cells apart, is read in the document's day order, not as a date in words.
    expect(await dateOf(receipt([['GST Reg No: 000123456789'], [[['Date', 96]], [['‚', 90], ['04/09/2019', 96], ['10:37:26', 96], ['PM', 96]]], ['TOTAL', 'RM 9.00']]))).toBe('2019-09-04');
    // A four-digit year OCR read against the month's name.
    expect(await dateOf(receipt([['KEDAI MAJU'], ['12 Sep2019 08:47'], ['TOTAL', '9.00']]))).toBe('2019-09-12');
  });

  it('answers null for a year OCR misread into the future ("2049" for 2019), labelled or alone', async () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    expect(await dateOf(receipt([['KEDAI MAJU'], ['14', 'Jul 2049', '15:10'], ['TOTAL', '9.00']]))).toBeNull();
    expect(await dateOf(receipt([['GST Reg No: 000123456789'], ['Date:', '14/07/2049'], ['TOTAL', 'RM 9.00']]))).toBeNull();
    expect(await dateOf(receipt([['GST Reg No: 000123456789'], ['Date:', `14/07/${nextYear}`], ['TOTAL', 'RM 9.00']]))).toBe(`${nextYear}-07-14`);
  });

  it('holds a date OCR read in one cell with its label to the date\'s own words, not the label\'s', async () => {
    expect(await dateOf(receipt([['KEDAI MAJU'], ['Doc No.: KM00042719', [['Date:', 73], ['23/05/2019', 96]]], ['TOTAL', 'RM 9.00']]))).toBe('2019-05-23');
    expect(await dateOf(receipt([['KEDAI MAJU'], ['Doc No.: KM00042719', [['Date:', 96], ['23/05/2019', 80]]], ['TOTAL', 'RM 9.00']]))).toBeNull();
  });

  it('answers null for a labelled date when another date printed is one figure apart (one of them misread)', async () => {
    expect(await dateOf(receipt([['GST Reg No: 000123456789'], ['Date:', '21/03/2019'], ['DD: 21/08/2019', '16:08'], ['TOTAL', 'RM 9.00']]))).toBeNull();
    expect(await dateOf(receipt([['GST Reg No: 000123456789'], ['Date:', '21/03/2019'], ['DD: 21/03/2019', '16:08'], ['TOTAL', 'RM 9.00']]))).toBe('2019-03-21');
    // A due date a month on is no misread: its figures are not alike (1 and 2), or its line names it.
    expect(await dateOf(receipt([['Acme SARL'], ['Date de facture', '13/11/2019'], ["Date d'échéance", '13/12/2019'], ['TOTAL', '9.00 €']]))).toBe('2019-11-13');
    expect(await dateOf(receipt([['Acme SARL'], ['Date de facture', '15/05/2019'], ["Date d'échéance", '15/06/2019'], ['TOTAL', '9.00 €']]))).toBe('2019-05-15');
    // A day apart is a later date, not a misread one: the bill closed after midnight.
    expect(await dateOf(receipt([['GST Reg No: 000123456789'], ['Date:', '15-08-2019', '23:41:19'], ['Closed:', '16-08-2019', '00:12:45'], ['TOTAL', 'RM 9.00']]))).toBe('2019-08-15');
  });

  it('answers null for an unlabelled date on a page OCR was unsure of mostly, however sure of the date', async () => {
    const unsure = (text: string) => text.split(' ').map((word): [string, number] => [word, 70]);
    expect(await dateOf(receipt([[unsure('88 KEDAI RUNCIT')], [unsure('LOT 4417 JALAN MAWAR')], ['7120388', '23-07-19'], [unsure('Total Sales RQ')]]))).toBeNull();
    expect(await dateOf(receipt([['88 KEDAI RUNCIT'], ['LOT 4417 JALAN MAWAR'], ['7120388', '23-07-19'], ['Total Sales RQ']]))).toBe('2019-07-23');
  });

  it('takes no article code printed against letters for a date ("KB05-07-08")', async () => {
    expect(await dateOf(receipt([['KEDAI MAJU'], ['KB05-07-08', '6/20/180'], ['22-10-19', '12:26'], ['TOTAL', 'RM 9.00']]))).toBe('2019-10-22');
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
