import { coerceCell, type CoerceOptions } from './cells.js';
import type { OcrConfidence } from './label-match.js';
import { DAY_FIRST_CURRENCY } from './locale.js';
import type { Cell } from './pdf-layout.js';
import { labelAmountPairs } from './cell-lines.js';
import type { FieldType } from './types.js';

/**
 * Precision first on OCR'd pages (issue 14: "when unsure it answers null, never a
 * guess"). A scan's misread character turns into a wrong invoice number, date or total
 * that looks like any other answer, so a value read by OCR is kept only when
 *  - tesseract was sure of every word of it (`MIN_VALUE_CONFIDENCE`) and of the label
 *    that selected it (`MIN_LABEL_CONFIDENCE`): a word kept for placing text on the page
 *    (`ocr.ts`, 60) is not yet a word to answer with;
 *  - an identifier does not put letters and figures that OCR confuses side by side
 *    (O/0, I/l/1, S/5, B/8: "RE2O25", "INV-1O5" could be either);
 *  - an amount prints its cents after one mark ("1,234.50", "1.234,50"): without them a
 *    misread "," for "." (or back) changes the value a thousandfold and still reads;
 *  - a total agrees with the subtotal and tax printed above it, when both are (`totalsCheck`);
 *    agreement vouches for a total tesseract was less sure of.
 * Text-layer values have no confidence and are not touched.
 */

/** Tesseract's word confidence (0-100) every word of an answered value must reach. */
export const MIN_VALUE_CONFIDENCE = 85;
/** ... and every word of the label that selected it. */
export const MIN_LABEL_CONFIDENCE = 75;
/**
 * ... and every word of a value no label selected (a receipt's lone date line): without a
 * label to place it, a misread figure ("06/03/2016" for 2018, at 88) is all there is.
 */
export const MIN_UNLABELLED_CONFIDENCE = 90;

/**
 * Why an OCR'd value is not trusted, or null when it is (`identifier`: the field names an
 * identifier). `vouched`: an amount the printed subtotal and tax add up to (`totalsCheck`
 * 'agree') needs no word confidence beyond the 60 that kept its words.
 */
export function ocrValueProblem(type: FieldType, text: string, confidence: OcrConfidence, identifier: boolean, vouched = false): string | null {
  if (confidence.value < MIN_VALUE_CONFIDENCE && !vouched) return `OCR unsure of the value (confidence ${confidence.value})`;
  if (confidence.label < MIN_LABEL_CONFIDENCE) return `OCR unsure of the label (confidence ${confidence.label})`;
  if (identifier && type === 'text' && confusableMix(text)) return `"${text}" mixes letters and figures OCR confuses`;
  if (type === 'currency' && !hasCents(text)) return `"${text}" has no cents to tell its decimal mark by`;
  return null;
}

/** A letter OCR reads for a figure touching a figure ("2O25", "AB12"), or such a figure between letters ("F0O"). */
const CONFUSABLE = /[OoIl|SB](?=[0-9])|(?<=[0-9])[OoIl|SB]|[A-Za-z][0158][A-Za-z]/;

/** True when a run of letters and figures has a confusable character where the other kind is ("RE2O25", "AB12"). */
export function confusableMix(text: string): boolean {
  return text.split(/[^A-Za-z0-9|]+/).some((run) => CONFUSABLE.test(run));
}

/** True when the amount ends in two decimals after a "." or "," ("12.50", "1 234,56 €", "(3.00)"). */
export function hasCents(text: string): boolean {
  return /\d[.,]\d{2}(?!\d)[^\d]*$/.test(text);
}

const SUBTOTAL = /\b(sub-?\s?total|subtotaal|zwischensumme|netto(?:betrag)?|sous-total|total\s+h\.?t\.?|base\s+imponible|net\s+(?:amount|total)|excl\w*|exkl\w*|hors\s+taxes?)\b/i;
const TAX = /\b(tax|vat|mwst|ust|tva|iva|btw)\b/i;
/**
 * Tax words that are not a tax amount: an id ("VAT no", "N° TVA"), a total that includes it, or a legal line naming a
 * share capital beside the VAT id ("TVA: FR11... - SARL au capital de 120 000,00 €").
 */
const NOT_TAX = /\b(id|no|nr|number|reg|incl\.?|inkl\.?|including|ttc|tvac|rate|capital|kapital|stammkapital|grundkapital)\b|n°|idnr|ust-id/i;

/**
 * The amount sanity check for a total read by OCR: the subtotal and the tax lines of the
 * OCR'd lines (each line's last amount with cents, read as sure as a value), and whether
 * `total` is their sum. Returns 'agree' or 'disagree' when a subtotal and at least one tax
 * amount are printed, null when they are not (nothing to check against).
 */
export function totalsCheck(grid: readonly Cell[][], total: number, coerce: CoerceOptions): 'agree' | 'disagree' | null {
  const subtotals = new Set<number>();
  const taxes: number[] = [];
  // Each pair of label and amount of a line (`labelAmountPairs`: two columns printed on one row).
  for (const line of grid.flatMap((cells) => labelAmountPairs(cells))) {
    if (!line.every((cell) => cell.words)) continue;
    const label = line
      .map((cell) => cell.text)
      .join(' ')
      .replace(/[-+]?[\d.,\s]*\d[\d.,]*\s*%?/g, ' ');
    const amount = lastAmount(line, coerce);
    if (amount === null) continue;
    if (SUBTOTAL.test(label)) subtotals.add(amount);
    else if (TAX.test(label) && !NOT_TAX.test(label)) taxes.push(amount);
  }
  if (subtotals.size !== 1 || taxes.length === 0) return null;
  const sum = [...subtotals][0]! + taxes.reduce((a, b) => a + b, 0);
  return Math.abs(sum - total) < 0.005 ? 'agree' : 'disagree';
}

/** The last cell of a line that is an amount with cents, OCR sure of it; null otherwise. */
function lastAmount(line: readonly Cell[], coerce: CoerceOptions): number | null {
  const cell = line.at(-1);
  if (!cell?.words || cell.words.some((word) => word.confidence < MIN_VALUE_CONFIDENCE)) return null;
  // The amount at the end of the cell ("Subtotal: 1.234,56 €", "Tax 12.00").
  const match = /[-(]?\d[\d.,'\s]*[.,]\d{2}\)?(?!\d)[^\d%]*$/.exec(cell.text);
  if (!match) return null;
  const amount = coerceCell('currency', match[0], coerce);
  return typeof amount === 'number' ? amount : null;
}

/** A numeric date whose first two parts could each be the month ("09/01/2019", "09/01/19"). */
const AMBIGUOUS_DATE = /^\D*(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})\b/;
/** What says a document writes the day first besides a numeric date with a day above 12: pounds, euros, a day-first country's marks. */
const DAY_FIRST_EVIDENCE = /[£€]|\b(?:GBP|EUR|VAT|GST|ABN|UK|Ltd|Limited)\b/;

/**
 * True when an OCR'd date cell (`text`) is ambiguous ("09/01/2019": 9 January or 1 September)
 * and the document (`lines`) does not plainly tell its day order, or tells the order other
 * than the one it would be read in (`dayFirst`, from locale.ts): a guess of the order is a
 * wrong date half the time, so it is not answered from a scan. The document tells it by a
 * numeric date with a part above 12 (a two-digit year's too), or marks of one order only: pounds, euros, VAT/GST/Ltd,
 * a day-first country's currency (ringgit, rupees: locale.ts) for the day first; dollars for the month first, printed twice at least (OCR reads a "$"
 * for an "S" or a "5" now and then). A dotted date is day first everywhere, and a
 * non-English document's order is its language's.
 */
export function unsureDayOrder(text: string, lines: readonly string[], language: string | undefined, dayFirst: boolean): boolean {
  const match = AMBIGUOUS_DATE.exec(text.trim());
  if (!match || (language !== undefined && language !== 'en') || /^\D*\d{1,2}\.\d{1,2}\./.test(text.trim())) return false;
  const [first, second] = [Number(match[1]), Number(match[2])];
  if (first > 12 || second > 12 || first === second) return false;
  const all = lines.join('\n');
  let dayEvidence = DAY_FIRST_EVIDENCE.test(all) || DAY_FIRST_CURRENCY.test(all);
  // A dollar sign before its amount ("$12.00"): one after an amount ("RM6.45 $") is a receipt's tax code OCR misread.
  let monthEvidence = (all.match(/\$ ?\d|\bUSD\b/g) ?? []).length >= 2;
  // A date writes one separator twice ("21/03/2018"); "K05-19/204417" is a document number.
  for (const other of all.matchAll(/\b(\d{1,2})([/.-])(\d{1,2})\2(?:\d{4}|\d{2})\b/g)) {
    if (Number(other[1]) > 12) dayEvidence = true;
    if (Number(other[3]) > 12) monthEvidence = true;
  }
  if (dayEvidence === monthEvidence) return true;
  return dayEvidence !== dayFirst;
}

/** The share of a page's words OCR was unsure of (under `MIN_VALUE_CONFIDENCE`) above which the page counts as poorly read. */
const POOR_READ_SHARE = 0.5;

/**
 * True when OCR was unsure of most words of the page (a faded, creased or skewed receipt):
 * there, a figure read surely is as likely misread as not ("23-07-19" for 23-01-19 at 93),
 * and a value no label places is not answered.
 */
export function poorlyRead(grid: readonly Cell[][]): boolean {
  const confidences = grid.flatMap((line) => line.flatMap((cell) => (cell.words ?? []).map((word) => word.confidence)));
  return confidences.length > 0 && confidences.filter((confidence) => confidence < MIN_VALUE_CONFIDENCE).length / confidences.length > POOR_READ_SHARE;
}

/** How many years after this one an OCR'd date may be (a contract's end, a voucher's expiry) before its year is a misread one. */
const MAX_YEARS_AHEAD = 1;

/**
 * True when an OCR'd date (ISO `value`) lies years ahead of `now`: no receipt or invoice is
 * dated so, and a misread figure of the year ("2049" for 2019) is what makes one.
 */
export function implausibleYear(value: string, now: Date = new Date()): boolean {
  return Number(value.slice(0, 4)) > now.getUTCFullYear() + MAX_YEARS_AHEAD;
}

/** Numeric dates, also with a two-digit year, and a month name (five languages) before a year. */
const DATE_LIKE =
  /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:\d{2})?\b|\b\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b|(?<!\p{L})(?:jan|feb|f[ée]v|m[äa]r|mrt|apr|avr|abr|ma[iy]|mei|jun|jui|jul|aug|ao[uû]|ago|sep|o[ck]t|nov|d[eé][cz]|dic|ene)\p{L}*\.?,?\s+(?:19|20)\d{2}\b/iu;

/**
 * True when an OCR'd page holds date-like text besides `date` (the one date that reads
 * whole): the other date was misread, so "the only date on the document" may be the due
 * date or the delivery date beside an invoice date OCR lost ("augustus 2025" without its day).
 * A cell that is part of the date is the date itself: a month-name date OCR spaced into
 * cells ("07 | Jun 2019") has a cell "Jun 2019" that reads as date-like alone; so is a cell
 * that reads as the same date (`same`), however printed.
 */
export function otherDateText(grid: readonly Cell[][], date: string, same?: { value: string; coerce: CoerceOptions }): boolean {
  return grid.some((line) =>
    line.some((cell) => cell.words !== undefined && !cell.text.includes(date) && !date.includes(cell.text) && DATE_LIKE.test(cell.text) && !sameDate(cell.text, same)),
  );
}

/** True when a cell reads as the date `same.value` itself: the date printed twice ("27 Oct 19" and "27/10/19") agrees, it is no other date. */
function sameDate(text: string, same: { value: string; coerce: CoerceOptions } | undefined): boolean {
  return same !== undefined && coerceCell('date', text, same.coerce) === same.value;
}
