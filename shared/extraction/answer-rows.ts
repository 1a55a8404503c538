import slugify from '@sindresorhus/slugify';
import { cellProblem, describeValue } from './cells.js';
import { InvalidAnswerError, type FieldSpec } from './types.js';

/**
 * The model's answer and the stored shape, converted in one place for every engine.
 *
 * An engine answers `{ "rows": [ { "<key>": value, ... }, ... ] }`: one object per record,
 * keyed by the fields' keys (`fieldKeys`), so a value says which field it belongs to and
 * two fields of one type cannot trade places unnoticed. `toStoredAnswer` checks it against
 * the fields and turns it into seed 002 §4.3's stored shape, `{ columns, results }` with
 * each row's cells in field order, which exports, the api and stored results read.
 */

/**
 * Longest key we derive. Vertex documents no limit for property names, but it rejects a
 * schema whose constraint has "too many states" and names long property names as a
 * cause; 40 characters keeps a key readable and 100 of them under 4,000 characters.
 */
export const MAX_KEY_LENGTH = 40;

/** The identifier rule Vertex applies to names in schemas and function declarations, narrowed to lower case. */
const SAFE_KEY = /^[a-z][a-z0-9_]*$/;

/** True for a key Vertex accepts as a property name and `fieldKeys` could have made. */
export function isSafeKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && SAFE_KEY.test(key);
}

/**
 * One stable, unique, Vertex-safe key per field, in field order: the name transliterated
 * to lower-case ASCII words joined by `_` ("Date d’échéance" -> `date_d_echeance`,
 * "vendor.name" -> `vendor_name`), `f_` before a leading digit ("2nd line" ->
 * `f_2nd_line`), `field` when nothing Latin is left ("金额"), cut to MAX_KEY_LENGTH, and
 * `_2`, `_3` ... after a key an earlier field already has. The same fields always give
 * the same keys.
 */
export function fieldKeys(fields: readonly FieldSpec[]): string[] {
  const taken = new Set<string>();
  return fields.map((field) => {
    const base = baseKey(field.name);
    let key = base;
    for (let n = 2; taken.has(key); n++) {
      const suffix = `_${n}`;
      key = `${base.slice(0, MAX_KEY_LENGTH - suffix.length).replace(/_+$/, '')}${suffix}`;
    }
    taken.add(key);
    return key;
  });
}

function baseKey(name: string): string {
  let key = slugify(name, { separator: '_', decamelize: false });
  if (key === '') key = 'field';
  if (/^[0-9]/.test(key)) key = `f_${key}`;
  return key.slice(0, MAX_KEY_LENGTH).replace(/_+$/, '');
}

/** Where a value was read: the page (from 1) and the words quoted from it. */
export interface Citation {
  page: number | null;
  quote: string | null;
}

export interface AnswerOptions {
  /**
   * Each value arrives as `{ value, page, quote }` instead of the bare value. Off unless
   * asked for (the citations of issue 14 turn it on).
   */
  citations?: boolean;
}

/** Seed 002 §4.3's stored shape: the field names as columns, each row's cells in field order. */
export interface StoredAnswer {
  columns: string[];
  results: unknown[][];
  /** With `citations` on: one entry per cell, parallel to `results`. */
  citations?: (Citation | null)[][];
}

/**
 * Checks an answer in the object form against `fields` and converts it to the stored
 * shape. Throws InvalidAnswerError naming the first problem: the answer is not
 * `{ rows: [...] }`, a row is not an object, a key is not one of the fields', a required
 * field's key is missing or null, or a value does not fit its field's type (rows counted
 * from 1). A missing optional key reads as null. `keys` are the fields' keys when
 * `fields` are one group of a larger job (`planAnswerRequests`); `fieldKeys(fields)` otherwise.
 *
 * @example
 * toStoredAnswer([{ name: 'Total', type: 'currency', required: true }], { rows: [{ total: 12.5 }] });
 * // { columns: ['Total'], results: [[12.5]] }
 */
export function toStoredAnswer(
  fields: readonly FieldSpec[],
  answer: unknown,
  options: AnswerOptions & { keys?: readonly string[] } = {},
): StoredAnswer {
  const rows = answerRows(answer);
  const keys = options.keys ?? fieldKeys(fields);
  const fieldOf = new Map(keys.map((key, i) => [key, fields[i]!]));
  const results: unknown[][] = [];
  const citations: (Citation | null)[][] = [];
  rows.forEach((row, r) => {
    const where = `Row ${r + 1}`;
    if (!isPlainObject(row)) throw new InvalidAnswerError(`${where} is ${describeValue(row)}, not an object keyed by field`);
    const unknown = Object.keys(row).find((key) => !fieldOf.has(key));
    if (unknown !== undefined) {
      throw new InvalidAnswerError(`${where} has the key "${unknown}", which is none of the job's fields' keys`);
    }
    const cells: unknown[] = [];
    const sources: (Citation | null)[] = [];
    fields.forEach((field, c) => {
      const key = keys[c]!;
      const named = `${where}, field "${field.name}"`;
      if (!Object.hasOwn(row, key)) {
        if (field.required) throw new InvalidAnswerError(`${named}: required field is missing (key "${key}")`);
        cells.push(null);
        sources.push(null);
        return;
      }
      const { value, citation } = options.citations ? citedValue(row[key], named) : { value: row[key], citation: null };
      if (value === null && field.required) throw new InvalidAnswerError(`${named}: required field is null`);
      const problem = cellProblem(field.type, value);
      if (problem) throw new InvalidAnswerError(`${named} (${field.type}): ${problem}`);
      cells.push(value);
      sources.push(citation);
    });
    results.push(cells);
    citations.push(sources);
  });
  const stored: StoredAnswer = { columns: fields.map((field) => field.name), results };
  if (options.citations) stored.citations = citations;
  return stored;
}

/**
 * Joins the stored answers of consecutive groups of one job's fields (one model request
 * each, see `planAnswerRequests`) into one: columns side by side, row i of every group
 * side by side. The groups read the same document, so they must find the same records;
 * different row counts are an InvalidAnswerError naming them.
 */
export function joinStoredAnswers(parts: readonly StoredAnswer[]): StoredAnswer {
  const [first, ...rest] = parts;
  if (!first) throw new Error('joinStoredAnswers needs at least one answer');
  for (const part of rest) {
    if (part.results.length !== first.results.length) {
      throw new InvalidAnswerError(
        `The answer for fields ${quoteList(first.columns)} has ${first.results.length} row(s) but the answer for fields ` +
          `${quoteList(part.columns)} has ${part.results.length}; they read the same document`,
      );
    }
  }
  const joined: StoredAnswer = {
    columns: parts.flatMap((part) => part.columns),
    results: first.results.map((_, r) => parts.flatMap((part) => part.results[r]!)),
  };
  if (parts.every((part) => part.citations)) {
    joined.citations = first.results.map((_, r) => parts.flatMap((part) => part.citations![r]!));
  }
  return joined;
}

function answerRows(answer: unknown): unknown[] {
  if (!isPlainObject(answer)) throw new InvalidAnswerError(`The answer is ${describeValue(answer)}, not an object with "rows"`);
  const extra = Object.keys(answer).find((key) => key !== 'rows');
  if (extra !== undefined) throw new InvalidAnswerError(`The answer has the key "${extra}"; only "rows" is expected`);
  if (!Array.isArray(answer['rows'])) throw new InvalidAnswerError(`The answer's "rows" is ${describeValue(answer['rows'])}, not an array`);
  return answer['rows'];
}

function citedValue(raw: unknown, named: string): { value: unknown; citation: Citation | null } {
  if (!isPlainObject(raw)) throw new InvalidAnswerError(`${named}: expected { value, page, quote }, got ${describeValue(raw)}`);
  const extra = Object.keys(raw).find((key) => !['value', 'page', 'quote'].includes(key));
  if (extra !== undefined) throw new InvalidAnswerError(`${named}: unexpected key "${extra}" beside value, page and quote`);
  const page = raw['page'] ?? null;
  const quote = raw['quote'] ?? null;
  if (page !== null && !(typeof page === 'number' && Number.isInteger(page) && page >= 1)) {
    throw new InvalidAnswerError(`${named}: page must be a page number from 1, got ${describeValue(page)}`);
  }
  if (quote !== null && typeof quote !== 'string') throw new InvalidAnswerError(`${named}: quote must be text, got ${describeValue(quote)}`);
  const value = raw['value'] ?? null;
  return { value, citation: value === null ? null : { page, quote } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((name) => `"${name}"`).join(', ');
  return names.length > 3 ? `${shown} ... (${names.length})` : shown;
}
