import { coerceCell, type CoerceOptions } from './cells.js';
import { MIN_VALUE_CONFIDENCE } from './ocr-trust.js';
import type { Cell } from './pdf-layout.js';
import { labelAmountPairs, lineText } from './cell-lines.js';

/**
 * The total of an OCR'd receipt or invoice, vouched for by the other amounts printed
 * around it (issue 14, precision first). A scan's total line is easy to misread ("9.60"
 * for "9.00") and a receipt prints several totals: before and after rounding, the cash
 * tendered, the change. Arithmetic tells them apart where a word's confidence cannot:
 *  - a total plus the rounding line is the rounded total, which is the one to pay
 *    ("TOTAL 60.31", "ROUNDING -0.01", "TOTAL ROUNDED 60.30");
 *  - the cash tendered minus the change is the total paid ("CASH 70.30", "CHANGE 10.00");
 *  - the subtotal plus the tax lines is the total ("Subtotal 80.00", "VAT 16.00").
 * A total line's amount that one of these sums lands on is read right with near
 * certainty (two misreads that still add up are rare); the answer is that amount when
 * the sums land on one value only, null otherwise (the caller then keeps its own rules).
 */

type Kind = 'total' | 'rounding' | 'tendered' | 'change' | 'subtotal' | 'tax';

/** One line that ends with an amount: what its label says it is, and the amount. */
export interface AmountLine {
  index: number;
  kind: Kind | null;
  amount: number;
  /** The amount as printed, for the citation. */
  text: string;
  /** A "-" printed before the amount (rounding down: "-RM 0.02", "- 0.01"). */
  negative: boolean;
  /** Tesseract's lowest confidence among the words of the amount's cell that hold figures. */
  confidence: number;
}

/** Words that make a line a total to pay (before its exclusions). */
const TOTAL = /\b(?:total|totaal|summe|gesamt\w*|endbetrag|montant|importe|grand|amount\s+due|balance\s+due|net\s+payable|amount\s+payable|to\s+be\s+paid|due|jumlah)\b/i;
/** ... unless it counts items, or is only part of the total. */
const NOT_TOTAL =
  /\b(?:qty|quantity|items?|pcs|count|sub|sub-?total|excl\w*|exkl\w*|exclusive|before|net|netto|ht|hors|tax|vat|gst|sst|mwst|ust|tva|iva|btw|saving|savings|discount|disc|rabatt|remise|descuento|points?|weight)\b/i;
/**
 * "Total incl. GST" and "Total (Inclusive of GST)" are the total, tax words and all; so is
 * "Total Sales Inci GST", the "l" of "Incl" read as an "i" or a "1" (OCR's commonest confusion).
 */
const INCLUSIVE = /\b(?:incl\w*|inkl\w*|inclusive|including|ttc|tvac|inc[i1|])\b/i;
const ROUNDING = /\bround(?:ing)?\b|\brounding\s*adj/i;
/** An amount the total includes: "GST included in total", "Tax included in the total". */
const INCLUDED_IN_TOTAL = /\bincluded\s+in\s+(?:the\s+)?total\b/i;
/** The rounded total: "Rounded Total", "Total Rounded", "After Rounding" (the amount after it). */
const ROUNDED_TOTAL = /\bround(?:ed)?\b.*\btotal\b|\btotal\b.*\brounded\b|\bafter\s+rounding\b/i;
const TENDERED = /\b(?:cash|tendered|tender|paid|payment|received|visa|mastercard|master|card|credit|debit|bargeld|gegeben|espèces|especes|efectivo|contant)\b/i;
const CHANGE = /\b(?:change|changes|rückgeld|wechselgeld|rendu|monnaie|cambio|wisselgeld)\b/i;
const SUBTOTAL = /\b(?:sub-?\s?total|subtotaal|zwischensumme|netto(?:betrag)?|sous-total|total\s+h\.?t\.?|base\s+imponible|net\s+(?:amount|total)|excl\w*|exkl\w*|hors\s+taxes?)\b/i;
/** Tax words, German compounds of "Steuer" included ("Umsatzsteuer", "Versicherungsteuer"). */
const TAX = /\b(?:tax|vat|gst|sst|mwst|ust|tva|iva|btw|\p{L}*steuer)\b/iu;
/** The word "subtotal" itself, in the five languages, not a net or exclusive total. */
const SUB_TOTAL = /\b(?:sub-?\s?total|subtotaal|zwischensumme|sous-total)\b/i;
const NOT_TAX = /\b(?:id|no|nr|number|n°|reg|rate|summary|code)\b|idnr|ust-id/i;

/** What a line's label says its amount is. */
export function amountKind(label: string): Kind | null {
  const text = label.replace(/[^\p{L}\s-]+/gu, ' ').replace(/\s+/g, ' ');
  // A rate beside a total word is a tax line ("TOTAL INCLUDES 6% GST"), never the total.
  if (/%/.test(label)) return TAX.test(text) && !NOT_TAX.test(text) ? 'tax' : null;
  if (CHANGE.test(text)) return 'change';
  // "GST included in total RM 0.36": a part of the total (its tax), never the total.
  if (INCLUDED_IN_TOTAL.test(text)) return TAX.test(text) && !NOT_TAX.test(text) ? 'tax' : null;
  if (ROUNDED_TOTAL.test(text)) return 'total';
  if (ROUNDING.test(text)) return 'rounding';
  if (TENDERED.test(text) && !TOTAL.test(text)) return 'tendered';
  // "Sub Total (Incl. GST)" is the items' sum with their tax, still before a service charge or rounding: a subtotal.
  if (SUBTOTAL.test(text) && (!INCLUSIVE.test(text) || SUB_TOTAL.test(text))) return 'subtotal';
  // "Total GST" is the tax; "Total (Inclusive of GST)" the total.
  if (TAX.test(text) && !INCLUSIVE.test(text)) return NOT_TAX.test(text) ? null : 'tax';
  if (TOTAL.test(text) && (INCLUSIVE.test(text) || !NOT_TOTAL.test(text))) return 'total';
  return null;
}

/** An amount with cents at the end of a cell, after a currency word or sign ("RM 60.30", "$4.11", "60.30"). */
const AMOUNT = /(-)?\s*(?:[A-Z]{1,3}\$?|[$€£¥₹])?\s?(\d{1,3}(?:[,.' ]\d{3})*[.,]\d{2}|\d+[.,]\d{2})\s*(?:[A-Z]{1,3}|[€$£])?$/;

/**
 * An amount's text without the space OCR put after its decimal mark ("84. 40", "-20. 00"):
 * tesseract splits the cents off as a word of their own, two figures after a mark.
 */
function withoutCentsGap(text: string): string {
  return text.replace(/(\d[.,]) (\d{2})$/, '$1$2');
}

/**
 * The lines of OCR'd cells that end with an amount with cents (OCR-read lines only: a
 * text layer has its own rules), with the kind their label names. A line with no label
 * right after a rounding line is the rounded total some receipts print unlabelled.
 */
export function amountLines(grid: readonly Cell[][], coerce: CoerceOptions): AmountLine[] {
  const lines: AmountLine[] = [];
  // Each pair of label and amount of a line (`labelAmountPairs`: two columns printed on one row) is read on its own.
  grid.forEach((whole, index) => labelAmountPairs(whole).forEach((line) => {
    if (line.length === 0 || !line.every((cell) => cell.words)) return;
    // The last cell with a figure: a stray mark after it ("6.37 .") is noise.
    const at = line.findLastIndex((cell) => /\d/.test(cell.text));
    const last = line[at];
    const text = last ? withoutCentsGap(last.text) : '';
    const match = last ? AMOUNT.exec(text) : null;
    if (!last || !match) return;
    const amount = coerceCell('currency', match[2]!, coerce);
    if (typeof amount !== 'number') return;
    const before = [...line.slice(0, at).map((cell) => cell.text), text.slice(0, match.index)].join(' ');
    const negative = Boolean(match[1]) || /-\s*(?:[A-Z]{1,3})?\s*$/.test(before);
    // The amount's figures (a stray mark before them, a "₹" read "t" at 64, is no part of it).
    const confidence = Math.min(...(last.words ?? []).filter((word) => /\d/.test(word.text)).map((word) => word.confidence));
    const kind = amountKind(before);
    // A total word over two amounts is a table's row ("TOTAL: 52.00 3.12", amount and tax), not the total.
    lines.push({ index, kind: kind === 'total' && severalAmounts(line) ? null : kind, amount, text: last.text, negative, confidence });
  }));
  return lines;
}

const same = (a: number, b: number) => Math.abs(a - b) < 0.005;

/** True when the OCR'd line `index` prints a subtotal ("SUB TOTAL (INCL. GST) 18.60"): a total label's word in it names no total to pay. */
export function subtotalLine(grid: readonly Cell[][], index: number, coerce: CoerceOptions): boolean {
  return amountLines(grid, coerce).some((line) => line.index === index && line.kind === 'subtotal');
}

/**
 * The unit a receipt's "Rounding" line rounds the total to: 5 cents, the smallest coin in
 * the countries that round cash totals (Malaysia, Australia, Switzerland, Canada...).
 */
const CASH_ROUNDING = 0.05;

/**
 * What the printed amounts say of the total (see above): `vouched`, the amount a sum lands
 * on, with the text and line it was read from (null when no sum lands on a total line, or
 * sums land on different ones); `sums`, every value the sums give, which a total read
 * from its label alone must be one of when there are any (`contradicts`); `single`, the one
 * total line; `doubt`, when the amounts make every total line doubtful (two sure total
 * lines no printed rounding tells apart, or a rounding after the only total).
 */
export function totalEvidence(grid: readonly Cell[][], coerce: CoerceOptions): { vouched: AmountLine | null; sums: number[]; single: AmountLine | null; doubt: boolean } {
  const lines = amountLines(grid, coerce);
  const labelOf = (line: AmountLine) => gridLabel(grid[line.index]!, line.text);
  // Total lines, and lines whose label has a total word beside others (a misread "Total (Inclusive of GST)").
  const totals = lines.filter((line) => line.amount > 0 && (line.kind === 'total' || (TOTAL.test(labelOf(line)) && (line.kind === null || line.kind === 'tax' || line.kind === 'subtotal'))));
  // An unlabelled amount just under the rounding line is the rounded total.
  const roundingLines = grid.flatMap((line, index) => (ROUNDING.test(lineText(line)) ? [index] : []));
  lines.forEach((line) => {
    if (line.kind === null && roundingLines.some((index) => line.index > index && line.index - index <= 2) && /^[^\p{L}]*(?:[A-Z]{1,3})?[^\p{L}]*$/u.test(labelOf(line))) totals.push(line);
  });
  const of = (kind: Kind) => lines.filter((line) => line.kind === kind);
  const vouched = new Map<number, AmountLine>();
  const sums: number[] = [];
  const vouch = (value: number, pool: readonly AmountLine[] = totals) => {
    sums.push(value);
    const line = pool.filter((total) => same(total.amount, value)).at(-1);
    if (line) vouched.set(Math.round(line.amount * 100), line);
  };
  const roundings = of('rounding').filter((line) => !same(line.amount, 0));
  // The total before rounding plus the rounding is the rounded total, printed after it.
  for (const rounding of roundings) {
    for (const before of totals) {
      for (const after of totals) {
        if (after.index <= before.index) continue;
        const delta = after.amount - before.amount;
        if (same(Math.abs(delta), rounding.amount) && (!rounding.negative || delta < 0)) vouch(after.amount);
      }
    }
  }
  // Cash tendered minus change; the subtotal plus the tax lines (and the rounding), one subtotal only.
  const paid = of('tendered').flatMap((tendered) => of('change').filter((change) => change.index > tendered.index).map((change) => tendered.amount - change.amount));
  const subtotals = new Set(of('subtotal').map((line) => Math.round(line.amount * 100)));
  // A tax is a part of its subtotal: a "tax" line as large ("Total RM Including GST 6% 99.80") is a total with its rate.
  // And a tax printed under the total while the subtotal is above it is the tax the total includes ("Sub Total 84.70",
  // "Amt Due 84.70", "GST 6% 4.79"), not a part to add: the parts of a sum are printed on one side of its total.
  const firstTotal = Math.min(...totals.filter((line) => line.kind === 'total').map((line) => line.index));
  const subtotalAbove = of('subtotal').some((line) => line.index < firstTotal);
  const taxes = of('tax').filter((line) => (subtotals.size !== 1 || line.amount * 100 < [...subtotals][0]!) && !(subtotalAbove && line.index > firstTotal));
  const parts: number[] = [];
  if (subtotals.size === 1 && taxes.length > 0) {
    const sum = [...subtotals][0]! / 100 + taxes.reduce((total, line) => total + line.amount, 0);
    parts.push(sum, ...roundings.flatMap((rounding) => (rounding.negative ? [sum - rounding.amount] : [sum - rounding.amount, sum + rounding.amount])));
    // A rounding line whose amount OCR did not read: the total was rounded to the smallest coin the till pays out.
    if (roundingLines.length > 0 && of('rounding').length === 0) parts.push(Math.round(sum / CASH_ROUNDING) * CASH_ROUNDING);
  }
  for (const value of paid) if (value > 0) vouch(value);
  // A total line with tax lines under it, then their sum ("Gesamtbeitrag 50,00", "Versicherungsteuer 19 % 9,50",
  // "Rechnungsbeitrag 59,50"): that total was the net, and the sum printed after the taxes is the one to pay.
  for (const net of totals) {
    const after = of('tax').filter((tax) => tax.index > net.index && tax.amount < net.amount);
    if (after.length === 0) continue;
    const gross = net.amount + after.reduce((sum, tax) => sum + tax.amount, 0);
    const lastTax = Math.max(...after.map((tax) => tax.index));
    const printed = lines.filter((line) => line.index > lastTax && (line.kind === null || line.kind === 'total') && same(line.amount, gross));
    if (printed.length > 0) vouch(gross, printed);
  }
  // The subtotal plus tax also lands on an amount printed with no label but its currency ("RM 73.00" under the tax line).
  const unlabelled = lines.filter((line) => line.kind === null && /^[^\p{L}]*(?:[A-Z]{1,3})?[^\p{L}]*$/u.test(labelOf(line)));
  for (const value of parts) if (value > 0) vouch(value, [...totals, ...unlabelled]);
  // An amount read the same on two total lines ("Total (incl GST) 26.60", "Total Rounded 26.60"), the largest total printed, is read right.
  const totalLines = lines.filter((line) => line.kind === 'total' && line.amount > 0);
  const largest = Math.max(...totalLines.map((line) => line.amount));
  for (const line of totalLines) if (same(line.amount, largest) && totalLines.filter((other) => same(other.amount, line.amount)).length >= 2) vouch(line.amount);
  // Both sums landing on one amount vouch for it on any line but the cash and change ones.
  const others = lines.filter((line) => line.kind !== 'tendered' && line.kind !== 'change');
  for (const value of paid) if (parts.some((part) => same(part, value))) vouch(value, others);
  // One total line only, read surely with its cents: the total, when no sum says otherwise (the caller checks).
  const amounts = new Set(totalLines.map((line) => Math.round(line.amount * 100)));
  // Never less than a subtotal printed (a "153.35" read "3.35", sure as ever).
  const floor = Math.max(0, ...of('subtotal').map((line) => line.amount));
  // A rounding printed after the one total makes the amount to pay another, which OCR did not read as a total line;
  // a change printed without the amount tendered leaves the "total" possibly the amount tendered ("Accepted total").
  const roundedAfter = roundings.some((rounding) => totalLines.every((line) => rounding.index > line.index));
  const untendered = of('change').some((line) => !same(line.amount, 0)) && of('tendered').length === 0;
  const single =
    amounts.size === 1 && !roundedAfter && !untendered && totalLines.every((line) => line.confidence >= MIN_VALUE_CONFIDENCE && line.amount >= floor - 0.005) ? totalLines.at(-1)! : null;
  // Total lines read surely, no less than the subtotal, that differ by no printed rounding ("Total 14.90", "Round Adj 0.00", "Final Total 14.99"):
  // one is misread, which one is a guess. So is a total followed by a rounding, when no rounded total was read.
  const sure = totalLines.filter((line) => line.confidence >= MIN_VALUE_CONFIDENCE && line.amount >= floor - 0.005);
  const doubt = conflictingTotals(sure, of('rounding')) || (roundedAfter && vouched.size === 0);
  if (doubt) return { vouched: null, sums, single: null, doubt };
  return { vouched: vouched.size === 1 ? [...vouched.values()][0]! : totals.length === 0 ? paidWithoutTotal(of('tendered'), of('change'), floor) : null, sums, single, doubt };
}

/**
 * The total of a receipt whose total line OCR read no amount on: the cash tendered minus
 * the change, when one tender and one change after it are printed, both read surely, and
 * the difference is no less than the subtotal. Cited by the tender's line. Null otherwise
 * (two tenders may split the bill; an unsure figure may be misread).
 */
function paidWithoutTotal(tendered: readonly AmountLine[], change: readonly AmountLine[], floor: number): AmountLine | null {
  const [cash] = tendered;
  const [back] = change;
  if (tendered.length !== 1 || change.length !== 1 || !cash || !back || back.index <= cash.index) return null;
  if (cash.confidence < MIN_VALUE_CONFIDENCE || back.confidence < MIN_VALUE_CONFIDENCE) return null;
  const amount = Math.round((cash.amount - back.amount) * 100) / 100;
  return amount > 0 && amount >= floor - 0.005 ? { ...cash, kind: 'total', amount } : null;
}

/** True when two total lines print different amounts and no rounding line printed is their difference. */
function conflictingTotals(totals: readonly AmountLine[], roundings: readonly AmountLine[]): boolean {
  const amounts = [...new Set(totals.map((line) => Math.round(line.amount * 100)))];
  return amounts.some((a, i) => amounts.slice(i + 1).some((b) => !roundings.some((rounding) => same(Math.abs(a - b) / 100, rounding.amount))));
}

/**
 * True when the printed amounts give sums and `total` is none of them, or they cast doubt on
 * every total line (`doubt`): a total read from its label alone is then in doubt.
 */
export function contradicts(evidence: { sums: readonly number[]; doubt?: boolean }, total: number): boolean {
  return evidence.doubt === true || (evidence.sums.length > 0 && !evidence.sums.some((sum) => same(sum, total)));
}

/** The text of a line before its amount. */
function gridLabel(line: readonly Cell[], amount: string): string {
  const text = lineText(line);
  const at = text.lastIndexOf(amount);
  return at >= 0 ? text.slice(0, at) : text;
}

/**
 * True when an OCR'd line prints two amounts with cents or more (a tax summary's "TOTAL:
 * 52.00 3.12", a table's totals row): which of them a label names is a guess.
 */
export function severalAmounts(line: readonly Cell[] | undefined): boolean {
  if (!line?.every((cell) => cell.words)) return false;
  const text = lineText(line);
  return (text.match(/\d[.,]\d{2}(?![\d.,])/g) ?? []).length >= 2;
}

/**
 * True when an OCR'd row's amounts are parts and their sum, the sum last ("Total facture | 24.99 | 5.00 | 29.99":
 * net, tax, gross), every figure read sure: the arithmetic tells the total among them, where `severalAmounts` alone
 * leaves it a guess. Returns the sum, or null.
 */
export function rowSum(line: readonly Cell[] | undefined, coerce: CoerceOptions): number | null {
  if (!line?.every((cell) => cell.words)) return null;
  const amounts = line.flatMap((cell) => {
    if (!/^\d[\d.,' ]*[.,]\d{2}$/.test(cell.text.trim())) return [];
    const amount = coerceCell('currency', cell.text.trim(), coerce);
    const sure = (cell.words ?? []).every((word) => word.confidence >= MIN_VALUE_CONFIDENCE);
    return typeof amount === 'number' && sure ? [amount] : [Number.NaN];
  });
  if (amounts.length < 3 || amounts.some(Number.isNaN)) return null;
  const last = amounts.at(-1)!;
  const parts = amounts.slice(0, -1).reduce((sum, amount) => sum + amount, 0);
  return last > 0 && same(parts, last) ? last : null;
}
