import { describe, expect, it } from 'vitest';
import { labelledCells } from '../../shared/extraction/label-match.js';
import { cellsFromOcrLines, type OcrLine } from '../../shared/extraction/ocr.js';
import { confusableMix, hasCents, MIN_LABEL_CONFIDENCE, MIN_VALUE_CONFIDENCE, ocrValueProblem, otherDateText, totalsCheck, unsureDayOrder } from '../../shared/extraction/ocr-trust.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { ocrRow as row } from '../support/ocr-lines.js';

// Precision first on OCR'd pages (issue 14): values tesseract was unsure of, or that a
// misread character could have made, answer null. No OCR here: tesseract's output is
// given as words with confidences, as `recognizeImage` passes them to `cellsFromOcrLines`.

const fields: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: null, required: false },
  { name: 'total', type: 'currency', description: null, required: false },
];

describe('OCR confidence carried to labels and values', () => {
  it('gives each value the lowest confidence of its words and of its label\'s, in the same cell or the next', () => {
    const grid = cellsFromOcrLines([row(0, [[['Invoice', 96], ['No:', 71]], [['INV-77', 93]]]), row(100, [[['Total:', 97], ['12.50', 62]]])], 1);
    const hits = labelledCells(grid, fields);
    const number = hits.get('invoice_number')![0]!;
    expect(number.values[0]).toBe('INV-77');
    expect(number.confidence?.[0]).toEqual({ value: 93, label: 71 });
    const total = hits.get('total')![0]!;
    expect(total.values[0]).toBe('12.50');
    expect(total.confidence?.[0]).toEqual({ value: 62, label: 97 });
  });

  it('has no confidence for text-layer cells', () => {
    const hits = labelledCells([[{ text: 'Invoice No:', x: 0, right: 80 }, { text: 'INV-77', x: 200, right: 260 }]], fields);
    expect(hits.get('invoice_number')![0]!.confidence).toBeUndefined();
  });
});

describe('ocrValueProblem', () => {
  const sure = { value: 96, label: 96 };
  it('refuses a value or a label OCR was unsure of', () => {
    expect(ocrValueProblem('text', 'INV-2025-77', { value: MIN_VALUE_CONFIDENCE - 1, label: 96 }, true)).toMatch(/unsure of the value/);
    expect(ocrValueProblem('date', '2025-03-14', { value: 96, label: MIN_LABEL_CONFIDENCE - 1 }, false)).toMatch(/unsure of the label/);
    expect(ocrValueProblem('text', 'INV-2025-77', sure, true)).toBeNull();
    expect(ocrValueProblem('date', '14.03.2025', sure, false)).toBeNull();
  });

  it('refuses identifiers mixing letters and figures OCR confuses, not other identifiers', () => {
    for (const text of ['RE-2O25-0042', 'INV-1O5', 'AB12345', 'F-20S1', 'N0O-7']) expect(confusableMix(text), text).toBe(true);
    for (const text of ['INV-2025-0193', 'RE-2025-00042', 'FA-2025-118', '10092837465', 'PO 7731']) expect(confusableMix(text), text).toBe(false);
    expect(ocrValueProblem('text', 'RE-2O25-0042', sure, true)).toMatch(/confuses/);
    // Not an identifier field: a vendor's name may well hold "B2B".
    expect(ocrValueProblem('text', 'B2B Supplies', sure, false)).toBeNull();
  });

  it('refuses an amount without cents, whose decimal mark a misread would change', () => {
    for (const text of ['$1,482.50', '1.234,56 EUR', '2 345,67 €', '(3.00)', '12,50']) expect(hasCents(text), text).toBe(true);
    for (const text of ['1,482', '1.234', '12', '12.5']) expect(hasCents(text), text).toBe(false);
    expect(ocrValueProblem('currency', '1.234', sure, false)).toMatch(/no cents/);
    expect(ocrValueProblem('currency', '1.234,00', sure, false)).toBeNull();
  });

  it('takes an amount OCR was less sure of when the printed subtotal and tax vouch for it, not one without cents', () => {
    const unsure = { value: MIN_VALUE_CONFIDENCE - 10, label: 96 };
    expect(ocrValueProblem('currency', '120.00', unsure, false)).toMatch(/unsure of the value/);
    expect(ocrValueProblem('currency', '120.00', unsure, false, true)).toBeNull();
    expect(ocrValueProblem('currency', '120', unsure, false, true)).toMatch(/no cents/);
  });
});

describe('totalsCheck', () => {
  const lines = (tax: string, taxConfidence = 95) =>
    cellsFromOcrLines(
      [row(0, [[['Subtotal', 95]], [['100.00', 95]]]), row(100, [[['VAT', 95], ['20%', 95]], [[tax, taxConfidence]]]), row(200, [[['VAT', 95], ['no', 95]], [['GB123456789', 95]]]), row(300, [[['Total', 95]], [['120.00', 95]]])],
      1,
    );
  it('agrees when the subtotal plus the tax lines is the total, disagrees otherwise', () => {
    expect(totalsCheck(lines('20.00'), 120, {})).toBe('agree');
    expect(totalsCheck(lines('20.00'), 126, {})).toBe('disagree');
    expect(totalsCheck(lines('26.00'), 120, {})).toBe('disagree');
  });

  it('has nothing to say without both parts, read surely, or on text-layer lines', () => {
    expect(totalsCheck(lines('20.00', 40), 126, {})).toBeNull();
    expect(totalsCheck(cellsFromOcrLines([row(0, [[['Subtotal', 95]], [['100.00', 95]]]), row(300, [[['Total', 95]], [['120.00', 95]]])], 1), 126, {})).toBeNull();
    const textLayer = [
      [{ text: 'Subtotal', x: 0, right: 50 }, { text: '100.00', x: 200, right: 240 }],
      [{ text: 'VAT', x: 0, right: 50 }, { text: '26.00', x: 200, right: 240 }],
    ];
    expect(totalsCheck(textLayer, 120, {})).toBeNull();
  });
});

describe('dates read by OCR', () => {
  it('joins marks to the word they follow: a comma to its figure, a colon printed far off to its label', () => {
    const line = (words: Array<[string, number, number, number?]>): OcrLine => ({
      bbox: { x0: words[0]![1], x1: words.at(-1)![2], y0: 0, y1: 30 },
      words: words.map(([text, x0, x1, confidence = 95]) => ({ text, confidence, bbox: { x0, x1, y0: text === ',' || text === ':' ? 18 : 0, y1: 30 } })),
    });
    const [dated] = cellsFromOcrLines([line([['Invoice', 0, 100], ['Date:', 110, 180], ['August', 400, 500], ['3', 510, 525], [',', 528, 533, 70], ['2014', 545, 610]])], 1);
    expect(dated!.map((cell) => cell.text)).toEqual(['Invoice Date:', 'August 3, 2014']);
    // The comma's own (low) confidence does not make the date unsure: it changes no figure.
    expect(dated![1]!.words).toEqual([{ text: 'August', confidence: 95 }, { text: '3,', confidence: 95 }, { text: '2014', confidence: 95 }]);
    const [receipt] = cellsFromOcrLines([line([['Date', 0, 60], [':', 200, 205], ['09/01/2019', 260, 400]])], 1);
    expect(receipt!.map((cell) => cell.text)).toEqual(['Date:', '09/01/2019']);
  });

  it('holds an ambiguous numeric date unsure when the document does not plainly tell its day order, or tells the other one', () => {
    expect(unsureDayOrder('09/01/2019 8:01:11 PM', ['Cashier: 01', 'Total Amount: 31.00'], 'en', false)).toBe(true);
    // Another date with a day above 12, a day-first country's marks, a dotted date, another language decide it.
    expect(unsureDayOrder('09/01/2019', ['Due: 23/01/2019'], 'en', true)).toBe(false);
    expect(unsureDayOrder('09/01/2019', ['GST ID: 000849813504'], 'en', true)).toBe(false);
    expect(unsureDayOrder('09.01.2019', [], 'en', true)).toBe(false);
    expect(unsureDayOrder('09/01/2019', [], 'fr', true)).toBe(false);
    // Dollars, printed twice, tell the month first.
    expect(unsureDayOrder('03/04/2025', ['Total $12.00', 'Paid $12.00'], 'en', false)).toBe(false);
    // A lone "$" (a misread "S") beside GST marks: the day first, not what a month-first reading would give.
    expect(unsureDayOrder('10/03/2018', ['Jalan $521/39', '(GST ID No: 000504664064)'], 'en', false)).toBe(true);
    expect(unsureDayOrder('10/03/2018', ['Total $8.50', 'Cash $10.00', 'GST ID'], 'en', false)).toBe(true);
    // A "$" after an amount is a tax code ("RM6.45 $"), and a document number with two separators no date ("K05-19/204417").
    expect(unsureDayOrder('03-12-19', ['GST Summary', 'RICE CRACKERS RM6.45 $', '3316 MINT CANDY $', '0172 DETERGENT RM5,10 $'], 'en', true)).toBe(false);
    expect(unsureDayOrder('04/09/2019', ['GST Reg.:000987654321', 'Document No.: K05-19/204417'], 'en', true)).toBe(false);
    // Not ambiguous: a part above 12, or both parts the same.
    expect(unsureDayOrder('19/01/2019', [], 'en', false)).toBe(false);
    expect(unsureDayOrder('01/01/2019', [], 'en', false)).toBe(false);
  });

  it('sees date-like text OCR misread beside the one date that reads', () => {
    const grid = cellsFromOcrLines([row(0, [[['Factuurdatum', 95]], [['Vervaldatum', 95]]]), row(100, [[['augustus', 70], ['2025', 80]], [['21-08-2025', 96]]])], 1);
    expect(otherDateText(grid, '21-08-2025')).toBe(true);
    const receipt = cellsFromOcrLines([row(0, [[['JALAN', 95], ['2000', 95]]]), row(100, [[['23-01-2019', 96]], [['13:14:15', 96]]])], 1);
    expect(otherDateText(receipt, '23-01-2019')).toBe(false);
  });
});
