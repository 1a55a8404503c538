/**
 * How the held-out bench decides an answer is right ("exact match"), and the tallies it
 * keeps. Per field:
 * - text (`invoice_number`): equal after Unicode NFC, whitespace collapsed, trimmed, case
 *   ignored, and a leading `#` or `No.`/`Nr.`/`N°`/`Nº` and edge punctuation dropped
 *   (`#661` = `661`; `661-A` is not `661`);
 * - `vendor`: the same text comparison against every spelling of the issuer printed on the
 *   document (brand as in the letterhead, legal name in the footer), any one counts;
 * - dates: the same calendar day; the answer may be `YYYY-MM-DD` or an ISO date-time, any
 *   other string is wrong;
 * - amounts: a number (or numeric string) within half a cent of the truth;
 * - `currency`: the ISO code, case ignored, a symbol (€, $, £) counts as its code;
 * - line items: a description equal under the text comparison (each answer used once); for
 *   record rows also the quantity (exactly) and the amount (to the cent).
 * A null answer is "not answered"; an answer that is not right is "garbage".
 */
import type { HoldoutTruth, LineItemTruth } from './model.js';

export type HeaderField = 'invoice_number' | 'invoice_date' | 'total' | 'vendor' | 'currency';
export const HEADER_FIELDS: readonly HeaderField[] = ['invoice_number', 'invoice_date', 'total', 'vendor', 'currency'];
/** The fields issue 14's goal is stated for; `currency` is scored too but kept out of the headline mean. */
export const CORE_FIELDS: readonly HeaderField[] = ['invoice_number', 'invoice_date', 'total', 'vendor'];

export function normalText(value: unknown): string {
  return String(value).normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

function normalNumber(value: unknown): string {
  return normalText(value)
    .replace(/^(#|no\.?|nr\.?|n°|nº)\s*/u, '')
    .replace(/^[\s.:;,]+|[\s.:;,]+$/g, '');
}

function calendarDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value.trim());
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

function amount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

const SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP' };

/** True when `answer` (non-null) is the truth of `field`. */
export function isRight(field: HeaderField, answer: unknown, truth: HoldoutTruth): boolean {
  switch (field) {
    case 'invoice_number':
      return normalNumber(answer) === normalNumber(truth.invoice_number);
    case 'vendor':
      return truth.vendor.some((name) => normalText(name) === normalText(answer));
    case 'invoice_date':
      return calendarDay(answer) === truth.invoice_date;
    case 'total': {
      const value = amount(answer);
      return value !== null && Math.abs(value - truth.total) < 0.005;
    }
    case 'currency': {
      const text = String(answer).trim();
      return (SYMBOLS[text] ?? text.toUpperCase()) === truth.currency;
    }
  }
}

export interface Tally {
  documents: number;
  answered: number;
  correct: number;
  garbage: number;
}

export const emptyTally = (): Tally => ({ documents: 0, answered: 0, correct: 0, garbage: 0 });

export function count(tally: Tally, answer: unknown, right: boolean): void {
  tally.documents++;
  if (answer === null || answer === undefined || answer === '') return;
  tally.answered++;
  if (right) tally.correct++;
  else tally.garbage++;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

/**
 * Every truth in the set is non-null, so exact match (documents whose answer equals the
 * truth) and recall (right answers / values on the documents) are the same figure here;
 * precision is right answers / answers given.
 */
export function figures(tally: Tally) {
  return { exact_match: ratio(tally.correct, tally.documents), precision: ratio(tally.correct, tally.answered), recall: ratio(tally.correct, tally.documents), garbage: tally.garbage, answered: tally.answered, documents: tally.documents };
}

export interface ItemTally {
  truth: number;
  answered: number;
  found: number;
}

export const emptyItems = (): ItemTally => ({ truth: 0, answered: 0, found: 0 });

/** Line items as a list field: truth descriptions found among the answered strings, each used once. */
export function countListItems(tally: ItemTally, answer: unknown, truth: readonly LineItemTruth[]): void {
  const left = Array.isArray(answer) ? answer.map(normalText) : [];
  tally.truth += truth.length;
  tally.answered += left.length;
  for (const item of truth) {
    const at = left.indexOf(normalText(item.description));
    if (at >= 0) {
      left.splice(at, 1);
      tally.found++;
    }
  }
}

/** Line items as records (one answer row per item): description, quantity and amount must all match. */
export function countRecordItems(tally: ItemTally, rows: ReadonlyArray<Record<string, unknown>>, truth: readonly LineItemTruth[]): void {
  const left = rows.filter((row) => row.description !== null && row.description !== undefined);
  tally.truth += truth.length;
  tally.answered += left.length;
  for (const item of truth) {
    const at = left.findIndex((row) => normalText(row.description) === normalText(item.description) && amount(row.quantity) === item.quantity && Math.abs((amount(row.amount) ?? Number.NaN) - item.amount) < 0.005);
    if (at >= 0) {
      left.splice(at, 1);
      tally.found++;
    }
  }
}

export function itemFigures(tally: ItemTally) {
  return { precision: ratio(tally.found, tally.answered), recall: ratio(tally.found, tally.truth), found: tally.found, answered: tally.answered, truth: tally.truth };
}

export { ratio };
