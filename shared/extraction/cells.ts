import { readNamedDate } from './dates.js';
import type { Language } from './locale.js';
import type { FieldType } from './types.js';

/**
 * What a cell of each field type must hold (seed 002 §4.3 rows, typed by the job's
 * fields). Returns a description of the problem, or null when the cell fits.
 */
export function cellProblem(type: FieldType, cell: unknown): string | null {
  if (cell === null) return null;
  switch (type) {
    case 'text':
      return typeof cell === 'string' ? null : `expected a string or null, got ${describeValue(cell)}`;
    case 'number':
    case 'currency':
      return typeof cell === 'number' && Number.isFinite(cell)
        ? null
        : `expected a finite number or null, got ${describeValue(cell)}`;
    case 'date':
      return typeof cell === 'string' && isIsoDate(cell)
        ? null
        : `expected an ISO date YYYY-MM-DD or null, got ${describeValue(cell)}`;
    case 'boolean':
      return typeof cell === 'boolean' ? null : `expected a boolean or null, got ${describeValue(cell)}`;
    case 'list':
      return Array.isArray(cell) && cell.every((item) => typeof item === 'string')
        ? null
        : `expected an array of strings or null, got ${describeValue(cell)}`;
  }
}

/** True for a real calendar day written YYYY-MM-DD (2025-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  return isoDate(Number(match[1]), Number(match[2]), Number(match[3])) === text;
}

export interface CoerceOptions {
  /**
   * How to read an ambiguous `03/04/2025`. Month first by default (US invoices); a part
   * above 12 or a dotted date (`03.04.2025`, the European convention) decides by itself.
   */
  dayFirst?: boolean;
  /** The document's language: month names are tried in it first ("3 mars 2025"). */
  language?: Language;
  /**
   * The document's decimal mark (locale.ts). Decides the amounts that are ambiguous
   * alone: with `,` a German `1.234` is 1234; with `.` (the default) it is 1.234.
   */
  decimal?: ',' | '.';
}

/**
 * Turns text read off a document into the typed value a field of `type` holds:
 * `"$1,234.50"` -> 1234.5, `"12/03/2025"` -> `"2025-12-03"`, `"yes"` -> true,
 * `"a; b"` -> `["a", "b"]`. Returns null for empty text or text that does not read as
 * the type, never a guess of another type.
 */
export function coerceCell(type: FieldType, raw: string, options: CoerceOptions = {}): unknown {
  const text = raw.trim();
  if (text === '') return null;
  switch (type) {
    case 'text':
      return text;
    case 'number':
    case 'currency':
      return readNumber(text, options.decimal ?? '.');
    case 'date':
      return readDate(text, options.dayFirst ?? false, options.language ?? 'en');
    case 'boolean':
      return readBoolean(text);
    case 'list':
      return readList(text);
  }
}

const CURRENCY_MARKS = /[$€£¥₹]|\b(?:USD|EUR|GBP|CHF|CAD|AUD|JPY|INR|NZD|SEK|NOK|DKK|PLN)\b|\bFr\.\s?|\bRs\.?\s?(?=\d)/gi;

function readNumber(text: string, decimal: ',' | '.'): number | null {
  // Spaces of every width and apostrophes group thousands: "1 234,56", "1'234.50"; "−" is a minus.
  let body = text.replace(CURRENCY_MARKS, '').replace(/[\s\u00a0\u202f\u2009'’]/g, '').replace(/\u2212/g, '-');
  let sign = 1;
  // Accounting notation: (12.00) and a trailing minus both mean negative.
  if (/^\(.*\)$/.test(body)) {
    sign = -1;
    body = body.slice(1, -1);
  }
  if (body.endsWith('-')) {
    sign = -sign;
    body = body.slice(0, -1);
  }
  body = body.replace(/%$/, '');
  // Scientific notation, as spreadsheets write large or small numbers: 1e3, 2.5E-4.
  if (/^[-+]?(\d+\.?\d*|\.\d+)e[-+]?\d+$/i.test(body)) return sign * Number(body);
  if (!/^[-+]?[\d.,]*\d[\d.,]*$/.test(body)) return null;
  const normalized = normalizeSeparators(body, decimal);
  if (normalized === null) return null;
  const value = Number(normalized) * sign;
  return Number.isFinite(value) ? value : null;
}

/**
 * Decides which of `.` and `,` is the decimal mark. When both appear the last one is;
 * a lone mark followed by groups of three digits (`1,234`, `1.234`) is the document's
 * thousands separator when the other one is its decimal mark (`decimal`); any other lone
 * mark is a decimal mark (`12,5` -> 12.5).
 */
function normalizeSeparators(body: string, decimal: ',' | '.'): string | null {
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    const [whole, fraction, ...rest] = body.split(decimal);
    if (rest.length > 0 || fraction === undefined || fraction.includes(thousands)) return null;
    return `${whole!.split(thousands).join('')}.${fraction}`;
  }
  if (lastComma >= 0) {
    return decimal === '.' && /^[-+]?\d{1,3}(,\d{3})+$/.test(body) ? body.replaceAll(',', '') : singleMark(body, ',');
  }
  if (lastDot >= 0 && /^[-+]?\d{1,3}(\.\d{3})+$/.test(body) && (decimal === ',' || /(\.\d{3}){2,}$/.test(body))) return body.replaceAll('.', '');
  return singleMark(body, '.');
}

function singleMark(body: string, mark: string): string | null {
  const parts = body.split(mark);
  if (parts.length > 2) return null;
  return parts.join('.');
}

function readDate(text: string, dayFirst: boolean, language: Language): string | null {
  // A time after the date ("2025-03-04 14:22") does not change the day.
  const withoutTime = text.replace(/[\sT,]+\d{1,2}:\d{2}(:\d{2})?(\s*(?:h|uhr|am|pm))?$/i, '').trim();
  const lower = withoutTime.toLowerCase();
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(lower);
  if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$/.exec(lower);
  if (match) {
    const [first, second, year] = [Number(match[1]), Number(match[3]), fullYear(match[4]!)];
    const dayLeads = first > 12 || (second <= 12 && (dayFirst || match[2] === '.'));
    return dayLeads ? isoDate(year, second, first) : isoDate(year, first, second);
  }
  // Month names in the document's language, then the others: "3 mars 2025", "March 12, 2025".
  return readNamedDate(withoutTime, language);
}

/**
 * The year of a numeric date: four figures as printed, two ("25/03/18", "12-01-19", as
 * receipts and tills print them) in this century, the only one an invoice read today
 * can carry them in.
 */
function fullYear(printed: string): number {
  return printed.length === 2 ? TWO_DIGIT_YEAR_CENTURY + Number(printed) : Number(printed);
}

/** The century a two-digit year is read in. */
const TWO_DIGIT_YEAR_CENTURY = 2000;

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', 't', '1', 'paid', 'x', '✓', 'on']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'f', '0', 'unpaid', 'not paid', 'due', 'outstanding', 'open', 'off']);

function readBoolean(text: string): boolean | null {
  const word = text.toLowerCase().replace(/[.!]$/, '').trim();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return null;
}

/** Items separated by `;`, `|` or new lines; by `,` only when none of those appear. */
function readList(text: string): string[] {
  const separator = /[;|\n]/.test(text) ? /[;|\n]/ : /,/;
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A value as JSON for an error message, cut at 60 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
