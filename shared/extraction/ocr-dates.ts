import { coerceCell, type CoerceOptions } from './cells.js';
import { MIN_UNLABELLED_CONFIDENCE } from './ocr-trust.js';
import type { Cell, OcrWord } from './pdf-layout.js';

/**
 * The dates printed on a line of OCR'd cells, for a receipt's unlabelled date (the local
 * extractor's only-date fallback, issue 14). A receipt prints its date where OCR does not
 * make a cell of it alone:
 *  - with the time after it, which tesseract is often less sure of than of the date
 *    ("09/03/2018 21:28", the time at 86): the time is no part of the date, so only the
 *    date's own words must reach `MIN_UNLABELLED_CONFIDENCE`;
 *  - inside a longer cell, behind its label and other fields ("Receipt No.: CS1802/27714
 *    Date: 12/02/2018"): a numeric date is read out of the cell, as sure as its word;
 *  - a month-name date whose words OCR spaced into cells of their own ("29 | Mar | 2018"):
 *    two to four neighbouring cells are read together when none is a date alone.
 * A date word OCR was unsure of is no date: null rather than a misread figure
 * ("06/03/2016" for 2018, at 88).
 */

/** A numeric date inside a cell's text, day, month and year in either order's two parts, two or four figures of year. */
const NUMERIC_DATE = /(?<![\d/.-])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/.-]*\d)/g;

/** A word that is the time printed after a date ("21:28", "8:01:11", "PM"): not part of the date. */
const TIME_WORD = /^(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:am|pm)?|am|pm|[ap]\.m\.|h|uhr)$/i;

/** The most neighbouring cells a month-name date is read across ("29 | Mar | 2018 | 12:15" needs three). */
const MAX_DATE_CELLS = 4;

/** A date found on an OCR'd line: the ISO value and the text it was read from (for the citation). */
export interface LineDate {
  value: string;
  text: string;
}

/** The dates of one line of OCR'd cells that OCR was sure of (see above), in reading order. */
export function ocrLineDates(line: readonly Cell[], coerce: CoerceOptions): LineDate[] {
  const found: LineDate[] = [];
  line.forEach((cell, column) => {
    const whole = coerceCell('date', cell.text, coerce);
    if (typeof whole === 'string') {
      if (sure(dateWords(cell.words ?? []))) found.push({ value: whole, text: cell.text });
      return;
    }
    for (const match of cell.text.matchAll(NUMERIC_DATE)) {
      const value = coerceCell('date', match[0], coerce);
      const words = (cell.words ?? []).filter((word) => word.text.includes(match[0]));
      if (typeof value === 'string' && words.length > 0 && sure(words)) found.push({ value, text: match[0] });
    }
    // Spaced into cells: this cell and the next ones, when they read as a date together.
    if (!/\d/.test(cell.text) && !/^\p{L}{3,}\.?$/u.test(cell.text)) return;
    for (let end = column + 2; end <= Math.min(line.length, column + MAX_DATE_CELLS); end++) {
      const cells = line.slice(column, end);
      if (cells.some((other) => typeof coerceCell('date', other.text, coerce) === 'string')) break;
      const text = cells.map((other) => other.text).join(' ');
      const value = coerceCell('date', text, coerce);
      if (typeof value === 'string') {
        if (sure(dateWords(cells.flatMap((other) => other.words ?? [])))) found.push({ value, text });
        break;
      }
    }
  });
  return found;
}

/** The words of a date cell but its time. */
function dateWords(words: readonly OcrWord[]): OcrWord[] {
  return words.filter((word) => !TIME_WORD.test(word.text.replace(/[,.;]$/, '')));
}

const sure = (words: readonly OcrWord[]) => words.length > 0 && words.every((word) => word.confidence >= MIN_UNLABELLED_CONFIDENCE);
