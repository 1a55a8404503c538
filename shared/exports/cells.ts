import { csvFormatValue } from 'd3-dsv';
import type { ExportColumn, ExportRow, FieldType } from './types.js';

/** Header labels of the two columns every export ends with. */
export const SOURCE_COLUMNS = ['Source file', 'Source type'] as const;

/** How list values are joined into one cell, in CSV and XLSX alike. */
export const LIST_SEPARATOR = '; ';

/**
 * An XLSX cell value: dates are already Excel serial day numbers, which the column's
 * `yyyy-mm-dd` number format shows as dates (that is all an XLSX date cell is).
 */
export type XlsxCell = string | number | boolean | null;

/**
 * Makes a text cell inert as a formula: a value starting with `=`, `+`, `-`, `@`, tab or
 * carriage return (OWASP "CSV Injection"), or the fullwidth ＝ ＋ － ＠ that Apple Numbers
 * folds to ASCII (the list csv-stringify's escape_formulas uses), gets a leading single quote.
 * Applied to every text cell of both formats, so a CSV re-saved from the XLSX is as safe.
 */
export function neutralizeFormula(text: string): string {
  switch (text.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // carriage return
    case 0xff1d:
    case 0xff0b:
    case 0xff0d:
    case 0xff20:
      return `'${text}`;
    default:
      return text;
  }
}

/** The header labels: the fields in order, then "Source file" and "Source type". */
export function headerLabels(columns: readonly ExportColumn[]): string[] {
  return [...columns.map((column) => neutralizeFormula(column.name)), ...SOURCE_COLUMNS];
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Days since 1970-01-01 of a 'YYYY-MM-DD' calendar date, or null when the text is not a
 * real date (2023-02-29 is not). Parsed by hand: through a regex and `new Date`, 200,000 dates
 * cost 470 ms of profile self time.
 */
export function parseCalendarDay(text: string): number | null {
  if (text.length !== 10 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return null;
  return daysFromCivil(year, month, day);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

// Excel's serial day 25569 is 1970-01-01. Serials before 1900-03-01 are wrong in Excel
// (its phantom 1900-02-29) and dates before 1900 have none, so those stay text.
const EXCEL_EPOCH_OFFSET = 25_569;
const FIRST_EXACT_SERIAL = 61; // 1900-03-01

/** A list's items as one text, nulls left out: `['a', null, 'b']` is "a; b". */
function joinList(items: readonly unknown[]): string {
  let text: string | undefined;
  for (const item of items) {
    if (item === null || item === undefined) continue;
    text = text === undefined ? String(item) : text + LIST_SEPARATOR + String(item);
  }
  return text ?? '';
}

/** Free text for any value that does not fit its column's type, neutralized. */
function asText(value: unknown): string {
  if (typeof value === 'string') return neutralizeFormula(value);
  if (Array.isArray(value)) return neutralizeFormula(joinList(value));
  if (typeof value === 'object') return neutralizeFormula(JSON.stringify(value));
  return neutralizeFormula(String(value));
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

/**
 * The XLSX cell for one stored value: numbers and currency as numbers, dates as serial days,
 * booleans as booleans. A value that does not match its column's type (a string in a number
 * column, an impossible date) is kept as neutralized text rather than dropped, and a
 * numeric-looking string in a text column stays text.
 */
export function xlsxCell(type: FieldType, value: unknown): XlsxCell {
  if (isEmpty(value)) return null;
  if ((type === 'number' || type === 'currency') && typeof value === 'number' && Number.isFinite(value)) return value;
  if (type === 'boolean' && typeof value === 'boolean') return value;
  if (type === 'date' && typeof value === 'string') {
    const day = parseCalendarDay(value);
    if (day !== null && day + EXCEL_EPOCH_OFFSET >= FIRST_EXACT_SERIAL) return day + EXCEL_EPOCH_OFFSET;
  }
  return asText(value);
}

/**
 * The CSV field of a value that is not of its column's type: an empty field for null and
 * empty lists, otherwise neutralized text quoted by d3-dsv where RFC 4180 asks.
 */
function csvOtherwise(value: unknown): string {
  return isEmpty(value) ? '' : csvFormatValue(asText(value));
}

/** One CSV field, already quoted where RFC 4180 asks, for one stored value. */
type CsvField = (value: unknown) => string;

// Numbers with at most four decimals below 1e11 take a shortcut: their scaled value is an
// exact integer. See numberText.
const DECIMAL_SCALE = 10_000;
const SHORTCUT_LIMIT = 1e11;

/**
 * `String(value)` for a finite number, computed faster for the common case of at most four
 * decimals (amounts, prices, quantities): V8's shortest round-trip conversion spent about a
 * third of the CSV writer's time on the benchmark rows. When `c / 10^4 === value` for the
 * integer `c = round(value * 10^4)` and |value| < 1e11, the decimal c / 10^4 is the only
 * number of four decimals or fewer that reads back as `value` (any two such numbers differ
 * by at least 10^-4, more than the double spacing below 2^39), so its digits, trailing
 * zeros dropped, are the shortest that round-trip: exactly what String gives. Everything
 * else goes to String. test/exports/number-text.test.ts compares the two on millions of values.
 */
export function numberText(value: number): string {
  const scaled = Math.round(value * DECIMAL_SCALE);
  if (scaled === 0 || scaled / DECIMAL_SCALE !== value || !(Math.abs(value) < SHORTCUT_LIMIT)) return String(value);
  const magnitude = Math.abs(scaled);
  let fraction = magnitude % DECIMAL_SCALE;
  const whole = (magnitude - fraction) / DECIMAL_SCALE;
  const sign = scaled < 0 ? '-' : '';
  if (fraction === 0) return sign + whole;
  let digits = 4;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  return `${sign}${whole}.${String(fraction).padStart(digits, '0')}`;
}

function csvNumber(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? numberText(value) : csvOtherwise(value);
}

/**
 * The CSV field of each column type: numbers in JavaScript's shortest round-trip form,
 * valid dates as stored ('YYYY-MM-DD'), booleans TRUE/FALSE (what Excel itself writes),
 * lists joined with "; ", null and empty lists an empty field; anything else (a string in
 * a number column, an impossible date) is neutralized text. Typed values never hold a
 * comma, quote or line break, so only text goes through d3-dsv's quoting, and the function
 * is chosen once per column rather than per cell.
 */
const CSV_FIELDS: Record<FieldType, CsvField> = {
  text: (value) => (typeof value === 'string' ? csvFormatValue(neutralizeFormula(value)) : csvOtherwise(value)),
  number: csvNumber,
  currency: csvNumber,
  boolean: (value) => (typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : csvOtherwise(value)),
  date: (value) => (typeof value === 'string' && parseCalendarDay(value) !== null ? value : csvOtherwise(value)),
  list: csvOtherwise,
};

/**
 * A function giving the CSV records of a batch of rows for these columns, each record the
 * field cells, then source file and source type, ended by CRLF (RFC 4180).
 */
export function csvRecordsWriter(columns: readonly ExportColumn[]): (rows: readonly ExportRow[]) => string {
  const fields = columns.map((column) => CSV_FIELDS[column.type]);
  return (rows) => {
    let text = '';
    for (const row of rows) {
      for (let i = 0; i < fields.length; i++) text += fields[i]!(row.values[i]) + ',';
      text += csvFormatValue(neutralizeFormula(row.sourceFileName)) + ',' + row.sourceType + '\r\n';
    }
    return text;
  };
}

/** The "Sources" sheet's header: one row per value of the results sheet. */
export const SOURCES_HEADER = ['Source file', 'Sheet row', 'Field', 'Value', 'Page', 'Quote', 'Verified'];

/**
 * The "Sources" sheet's rows for one results row (`sheetRow`, counted as Excel shows it):
 * one per non-empty value, with the page and quote it was read from and whether the quote
 * was found on that page (empty when it could not be checked). Dates stay as printed text.
 */
export function xlsxSourceRecords(columns: readonly ExportColumn[], row: ExportRow, sheetRow: number): XlsxCell[][] {
  const records: XlsxCell[][] = [];
  for (let i = 0; i < columns.length; i++) {
    const value = row.values[i];
    if (isEmpty(value)) continue;
    const citation = row.citations?.[i] ?? null;
    const type = columns[i]!.type;
    records.push([
      neutralizeFormula(row.sourceFileName),
      sheetRow,
      neutralizeFormula(columns[i]!.name),
      type === 'date' ? asText(value) : xlsxCell(type, value),
      citation?.page ?? null,
      citation?.quote ? neutralizeFormula(citation.quote) : null,
      citation?.verified ?? null,
    ]);
  }
  return records;
}

/** The XLSX cells of one row: field cells, then source file and source type. */
export function xlsxRecord(columns: readonly ExportColumn[], row: ExportRow): XlsxCell[] {
  const record = new Array<XlsxCell>(columns.length + 2);
  for (let i = 0; i < columns.length; i++) record[i] = xlsxCell(columns[i]!.type, row.values[i]);
  record[columns.length] = neutralizeFormula(row.sourceFileName);
  record[columns.length + 1] = row.sourceType;
  return record;
}
