import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it, vi } from 'vitest';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import { cellsFromOcrLines, type OcrLine } from '../../shared/extraction/ocr.js';
import { amountKind, totalEvidence } from '../../shared/extraction/ocr-totals.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { ocrRow, scannedAnswer } from '../support/ocr-lines.js';

// Totals of OCR'd receipts and invoices (issue 14, precision first): the total the other
// printed amounts add up to. No OCR here: tesseract's words are given with their
// confidences (as `recognizeImage` passes them to `cellsFromOcrLines`), and the extractor
// reads an image whose "OCR" returns them.

let page: OcrLine[] = [];
vi.mock('../../shared/extraction/ocr.js', async (importOriginal) =>
  (await import('../support/ocr-lines.js')).ocrReading(await importOriginal<typeof import('../../shared/extraction/ocr.js')>(), () => page),
);

/** The `index`th printed line of a receipt (ocr-lines.ts). */
const row = (index: number, cells: Array<Array<[string, number]>>): OcrLine => ocrRow(index * 60, cells);

/** A receipt's lines from "label | amount" pairs (label words split on spaces), all read at `confidence`. */
const receipt = (pairs: Array<[string, string]>, confidence = 95) =>
  pairs.map(([label, amount], i) =>
    row(
      i,
      [label.split(' ').map((word): [string, number] => [word, confidence]), amount === '' ? [] : amount.split(' ').map((word): [string, number] => [word, confidence])].filter((cell) => cell.length > 0),
    ),
  );

const fields: FieldSpec[] = [
  { name: 'invoice_date', type: 'date', description: null, required: false },
  { name: 'total', type: 'currency', description: null, required: false },
];
const blank = createCanvas(400, 600).toBuffer('image/png');
const extractor = createLocalExtractor({ readFile: async () => blank });

async function totalOf(lines: OcrLine[]): Promise<unknown> {
  return answerOf(lines, fields, 'total');
}

async function answerOf(lines: OcrLine[], asked: FieldSpec[], name: string): Promise<unknown> {
  page = lines;
  return scannedAnswer(extractor, asked, name);
}

describe('the kind of amount a receipt line prints', () => {
  it('tells totals from rounding, cash, change, subtotals and taxes', () => {
    expect(amountKind('TOTAL RM')).toBe('total');
    expect(amountKind('TOTAL ROUNDED RM')).toBe('total');
    expect(amountKind('Total (Inclusive of GST):')).toBe('total');
    expect(amountKind('ROUNDING ADJUSTMENT -RM')).toBe('rounding');
    expect(amountKind('CASH')).toBe('tendered');
    expect(amountKind('CHANGE RM')).toBe('change');
    expect(amountKind('Total Sales (Excluding GST):')).toBe('subtotal');
    // "Amount To Be Paid" is the total, not a payment; "After Rounding" the rounded total, not the rounding.
    expect(amountKind('Amount To Be Paid:')).toBe('total');
    expect(amountKind('After Rounding')).toBe('total');
    expect(amountKind('GST Payable:')).toBe('tax');
    // The tax included in the total is no total, its tax word misread or not.
    expect(amountKind('GST included in total RM')).toBe('tax');
    expect(amountKind('6ST included in total RM')).toBeNull();
    // A subtotal with its tax is still a subtotal, never the total to pay.
    expect(amountKind('SUB TOTAL (INCL. GST)')).toBe('subtotal');
    expect(amountKind('Total GST:')).toBe('tax');
    expect(amountKind('Total Qty:')).toBeNull();
    expect(amountKind('GST ID:')).toBeNull();
  });
});

describe('a scanned receipt\'s total', () => {
  it('is the rounded total, which the total before rounding plus the rounding gives, not the cash or the change', async () => {
    const lines = receipt([
      ['TOTAL AMT RM', '60.31'],
      ['ROUNDING ADJ', '-0.01'],
      ['TOTAL ROUNDED RM', '60.30'],
      ['CASH RM', '70.30'],
      ['CHANGE RM', '10.00'],
    ]);
    expect(totalEvidence(cellsFromOcrLines(lines, 1), {}).vouched?.amount).toBe(60.3);
    expect(await totalOf(lines)).toBe(60.3);
  });

  it('is the amount the cash tendered minus the change lands on, even when OCR was unsure of it or misread its label', async () => {
    // The subtotal, tax and rounding add up to what the cash minus the change gives: that line is the total, whatever its label reads.
    const lines = receipt([
      ['Total Sales (Excluding GST):', '31.03'],
      ['Total GST:', '1.65'],
      ['Rounding:', '0.02'],
      ['Ttal Sales (Inclusive of GST):', '32.70'],
      ['CASH:', '40.00'],
      ['Change:', '7.30'],
      ['Total:', '31.03'],
    ]);
    expect(await totalOf(lines)).toBe(32.7);
    const unsure = receipt([['Total Amount:', '31.00'], ['Cash Received', '101.00'], ['Change:', '70.00']]);
    unsure[0]!.words.at(-1)!.confidence = 68;
    expect(await totalOf(unsure)).toBe(31);
  });

  it('is null when a labelled total is not what the cash minus the change gives (one of them is misread)', async () => {
    expect(await totalOf(receipt([['Total:', '9.60'], ['Cash', '10.00'], ['Change', '1.00']]))).toBeNull();
    expect(await totalOf(receipt([['Total:', '9.00'], ['Cash', '10.00'], ['Change', '1.00']]))).toBe(9);
  });

  it('is an amount read the same on two total lines, the largest total printed, not a tax line beside a rate', async () => {
    expect(amountKind('TOTAL INCLUDES 6% GST')).toBe('tax');
    const lines = receipt([
      ['TakeOut Total (incl GST)', '26.60'],
      ['Total Rounded', '26.60'],
      ['TOTAL INCLUDES 6% GST', '1.51'],
    ]);
    expect(await totalOf(lines)).toBe(26.6);
  });

  it('is the subtotal plus the tax when they land on an amount printed with its currency alone', async () => {
    expect(await totalOf(receipt([['Sub Total RM', '68.87'], ['GST/TAX 6% : RM', '4.13'], ['RM', '73.00'], ['CA. : RM', '73.00']]))).toBe(73);
  });

  it('is the one total line printed when no sum contradicts it, never less than the subtotal', async () => {
    expect(await totalOf(receipt([['Sub Total RM', '37.55'], ['TOTAL: RM', '39.80']]))).toBe(39.8);
    expect(await totalOf(receipt([['SUB-TOTAL >', '144.88'], ['TOTAL = y', '3.35']]))).toBeNull();
  });

  it('is the subtotal plus the tax when a "tax" line as large as the subtotal is the total with its rate ("Total Including GST 6%")', async () => {
    expect(amountKind('Total Sales Inci GST')).toBe('total');
    const lines = receipt([
      ['Total RM Including GST 6%', '50.00'],
      ['Rounding Adj.', '0.00'],
      ['Total Rounded', '50.00'],
      ['GST SR 6%', '2.83'],
      ['Amt. Excl. GST', '47.17'],
    ]);
    expect(await totalOf(lines)).toBe(50);
  });

  it('is null when two total lines differ by no printed rounding (one is misread), even when cash minus change lands on one', async () => {
    expect(await totalOf(receipt([['Total', '23.40'], ['Round Adj', '0.00'], ['Final Total', '23.46'], ['CASH', '30.06'], ['CHANGE', '6.60']]))).toBeNull();
    expect(await totalOf(receipt([['Total', '23.40'], ['Round Adj', '0.00'], ['Final Total', '23.40'], ['CASH', '30.00'], ['CHANGE', '6.60']]))).toBe(23.4);
  });

  it('is null when a rounding follows the only total line read (the rounded total to pay was not read)', async () => {
    expect(await totalOf(receipt([['Total (Inclusive of GST):', '41.98'], ['Rounding Adj:', '0.02'], ['VISA', '42.00']]))).toBeNull();
    expect(await totalOf(receipt([['Total (Inclusive of GST):', '41.98'], ['Rounding Adj:', '0.00'], ['VISA', '41.98']]))).toBe(41.98);
  });

  it('is null when a change is printed without the amount tendered (the "total" may be what was tendered)', async () => {
    expect(await totalOf(receipt([['Accepted total', '10.00'], ['Change', '5.00']]))).toBeNull();
    expect(await totalOf(receipt([['Total', '5.00'], ['Cash', '10.00'], ['Change', '5.00']]))).toBe(5);
  });

  it('is the subtotal plus the tax rounded to 5 cents when a rounding line is printed whose amount OCR did not read', async () => {
    const lines = receipt([
      ['Sub Total (RM):', '271.40'],
      ['Total GST (RM):', '16.28'],
      ['Rounding (RM):', ''],
      ['Total (RM):', '287.70'],
      ['CASH:', '287.70'],
      ['Change (RM):', '0.30'],
    ]);
    expect(await totalOf(lines)).toBe(287.7);
    // Rounded to 5 cents the sum is 287.70: a total read 287.75 is a misread one.
    lines[3]!.words.at(-1)!.text = '287.75';
    expect(await totalOf(lines)).toBeNull();
  });

  it('is the cash tendered minus the change when OCR read no amount on the total line, with one tender read surely', async () => {
    expect(await totalOf(receipt([['GST Payable:', '8.40'], ['Total (Inclusive of GST):', ''], ['CASH:', '150.00'], ['CHANGE:', '20.00']]))).toBe(130);
    // Two tenders may split the bill; a change OCR was unsure of may be misread.
    expect(await totalOf(receipt([['Total:', ''], ['CASH:', '50.00'], ['VISA:', '150.00'], ['CHANGE:', '10.00']]))).toBeNull();
    const unsure = receipt([['Total:', ''], ['CASH:', '200.00'], ['CHANGE:', '10.00']]);
    unsure[2]!.words.at(-1)!.confidence = 80;
    expect(await totalOf(unsure)).toBeNull();
  });

  it('reads an amount whose cents OCR spaced off its decimal mark ("84. 40")', async () => {
    expect(await totalOf(receipt([['Total RM Incl. of GST', '7.35'], ['Cash', '-20. 00'], ['CHANGE', '12.65']]).map((line, i) => (i === 0 ? { ...line, words: line.words.map((word) => ({ ...word, confidence: 74 })) } : line)))).toBe(7.35);
    expect(await totalOf(receipt([['Sales Incl. GST', '84. 38'], ['After Rounding', '84. 40'], ['VISA', '84. 40']]))).toBe(84.4);
  });

  it('is the total, not the tax "included in total" under it, when the cash minus the change agrees', async () => {
    expect(await totalOf(receipt([['TOTAL INCL. RM', '6.40'], ['CASH RM', '10.00'], ['CHANGE RM', '3.60'], ['6ST included in total RM', '0.36']]))).toBe(6.4);
  });

  it('is the one total line when the tax printed under it is the tax it includes, not a part to add', async () => {
    expect(await totalOf(receipt([['Sub Total', '84.70'], ['Amt Due', '84.70'], ['GST 6%', '4.79']]))).toBe(84.7);
    // Printed between the subtotal and the total, the tax is a part: the total is then their sum or nothing.
    expect(await totalOf(receipt([['Sub Total', '84.70'], ['GST 6%', '4.79'], ['Amt Due', '84.70']]))).toBeNull();
  });

  it('is never a subtotal with its tax ("SUB TOTAL (INCL. GST)"), when the total line under it was misread', async () => {
    expect(await totalOf(receipt([['SUB TOTAL (INCL. GST)', '18.60'], ['CASH', '30.00']]))).toBeNull();
    // ... nor when OCR spaced its words into cells, "TOTAL" a label of its own beside the amount, and the total line's amount was misread.
    const words = (text: string, confidence = 95) => text.split(' ').map((word): [string, number] => [word, confidence]);
    const misread = [
      row(0, ['SUB', 'TOTAL', '(INCL.', 'GST)', '18.60'].map((word) => words(word))),
      row(1, [words('TOTAL RN'), words('28,60', 68)]),
      row(2, [words('CASH'), words('30.00')]),
      row(3, [words('CHANGE'), words('1,4)')]),
    ];
    expect(await totalOf(misread)).toBeNull();
  });

  it('is the amount a table\'s totals row and the one total line under it read alike, null when they differ', async () => {
    const cells = (...texts: string[]) => texts.map((text) => text.split(' ').map((word): [string, number] => [word, 95]));
    const table = [row(0, cells('Item', 'Qty', 'Price', 'Tax', 'Amount')), row(1, cells('Pencils', '1', '278.61', '40.39', '319.00')), row(2, cells('Total', '1', '278.61', '40.39', '319.00'))];
    // The rupee sign before the grand total read "t", at 64: the label's cell is unsure, its figures are not.
    const grand = (amount: string) => row(3, [cells('Grand Total')[0]!, [['t', 64], [amount, 96]]]);
    expect(await totalOf([...table, grand('319.00')])).toBe(319);
    expect(await totalOf([...table, grand('318.00')])).toBeNull();
    // Alone, the totals row answers its last amount when the ones before it add up to it (278.61 + 40.39: rowSum), null when not.
    expect(await totalOf(table)).toBe(319);
    const misread = [table[0]!, table[1]!, row(2, cells('Total', '1', '278.61', '40.39', '318.00'))];
    expect(await totalOf(misread)).toBeNull();
  });

  it('is null from a line printing two amounts (a tax summary\'s "TOTAL: 52.00 3.12")', async () => {
    expect(await totalOf(receipt([['TOTAL:', '52.00 3.12']]))).toBeNull();
    expect(await totalOf(receipt([['TOTAL:', '55.10']]))).toBe(55.1);
  });
});
