import { coerceCell, type CoerceOptions } from './cells.js';
import { implausibleYear, MIN_UNLABELLED_CONFIDENCE } from './ocr-trust.js';
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

/**
 * A numeric date inside a cell's text, day, month and year in either order's two parts, two or four figures of year.
 * Not one printed against letters: "KB05-07-08" is an article code, not 5 July 2008.
 */
const NUMERIC_DATE = /(?<![\p{L}\d/.-])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/.-]*\d)/gu;

/** English month abbreviations, as tills print them ("24 Nov 19"). */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A till's date with the month's name and a two-digit year ("24 Nov 19", "27-OCT-19"), the
 * time after it or not: day, month, year of this century. A four-digit year is coerceCell's,
 * but for one OCR read against the month ("12 Sep2019"), which it does not read.
 */
const SHORT_YEAR_NAMED_DATE = /^(\d{1,2})[\s.-]*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s.,-]*((?:20)?\d{2})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]m)?)?$/i;

/** The ISO date of a "24 Nov 19" date (see above), or null (no such date, or no such day: "31 Feb 19"). */
export function shortYearNamedDate(text: string): string | null {
  const match = SHORT_YEAR_NAMED_DATE.exec(text.trim());
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), MONTHS.indexOf(match[2]!.toLowerCase()) + 1, 2000 + (Number(match[3]) % 100)];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A cell's text as a date: coerceCell's reading, or a till's "24 Nov 19"; null for a year OCR misread into the future (ocr-trust.ts). */
function readDate(text: string, coerce: CoerceOptions): string | null {
  const read = coerceCell('date', text, coerce);
  const value = typeof read === 'string' ? read : shortYearNamedDate(text);
  return value !== null && implausibleYear(value) ? null : value;
}

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
    const whole = readDate(cell.text, coerce);
    if (whole !== null) {
      if (sure(dateWords(cell.words ?? []))) found.push({ value: whole, text: cell.text });
      return;
    }
    for (const match of cell.text.matchAll(NUMERIC_DATE)) {
      const value = readDate(match[0], coerce);
      const words = (cell.words ?? []).filter((word) => word.text.includes(match[0]));
      if (value !== null && words.length > 0 && sure(words)) found.push({ value, text: match[0] });
    }
    // Spaced into cells: this cell and the next ones, when they read as a date together.
    if (!/\d/.test(cell.text) && !/^\p{L}{3,}\.?$/u.test(cell.text)) return;
    for (let end = column + 2; end <= Math.min(line.length, column + MAX_DATE_CELLS); end++) {
      const cells = line.slice(column, end);
      if (cells.some((other) => readDate(other.text, coerce) !== null)) break;
      const text = cells.map((other) => other.text).join(' ');
      // A numeric date among them is read above, in the document's day order: joined to a label ("Date | 04/09/2019") it is no month-name date.
      if (new RegExp(NUMERIC_DATE.source, 'u').test(text)) break;
      const value = readDate(text, coerce);
      if (value !== null) {
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

/** Where the day starts in an ISO date ("2019-02-21"): figures before it are the year's and the month's. */
const DAY_AT = 8;

/** Figures OCR takes one for another, alike in shape: 3 and 8, 5 and 6, 1 and 7... (not 1 and 2: a due date a month on). */
const CONFUSED_FIGURES = new Set(['0-6', '0-8', '0-9', '1-7', '3-8', '3-9', '5-6', '5-8', '6-8', '8-9']);

/** A date another line names as a later one: a due date, an expiry ("Date d'échéance", "Due date", "Valid until"). */
const LATER_DATE_LABEL = /(?<!\p{L})(?:due|payable|expir\p{L}*|valid|until|échéance|echeance|fällig\p{L}*|zahlbar|vervaldatum|vencimiento)(?!\p{L})/iu;

/**
 * True when the page prints, besides the date `value`, a date one figure of its month or year
 * apart, a figure OCR confuses with it ("Date: 21/03/2019" and "DD: 21/08/2019"): two dates of
 * one receipt seldom differ so, and OCR misreads 3 for 8, 5 for 6 sure as ever; which one is
 * right is a guess. Every date-like cell counts, however unsure OCR was of it, but for one its
 * line names a due date or an expiry (a month on is a due date's usual distance). A day apart
 * is no sign of a misread: a bill closed after midnight ("Date: 15-08-2019", "Closed: 16-08-2019").
 */
export function oneFigureApart(grid: readonly Cell[][], value: string, coerce: CoerceOptions): boolean {
  return grid.some(
    (line) =>
      !LATER_DATE_LABEL.test(line.map((cell) => cell.text).join(' ')) &&
      line.some((cell) => {
        const texts = [cell.text, ...[...cell.text.matchAll(NUMERIC_DATE)].map((match) => match[0])];
        return texts.some((text) => {
          const other = readDate(text, coerce);
          const apart = other === null ? [] : [...other].flatMap((char, i) => (char !== value[i] ? [i] : []));
          const pair = apart.length === 1 ? [other![apart[0]!], value[apart[0]!]].sort().join('-') : '';
          return apart.length === 1 && apart[0]! < DAY_AT && CONFUSED_FIGURES.has(pair);
        });
      }),
  );
}

