import { coerceCell, type CoerceOptions } from './cells.js';
import type { Cell } from './pdf-layout.js';
import { overlapping } from './cell-lines.js';

/**
 * The total of an invoice that prints it only in its tax summary table: a header of a net
 * column, a tax amount column and a gross column ("Nettobetrag | MwSt-Betrag | MwSt-% |
 * Endbetrag", "Net amount | VAT amount | Gross"), one row per tax rate, then the row of their
 * sums. No label beside the amount says "total", so the arithmetic vouches for it instead:
 * every row's gross is its net plus its tax, and the last row's gross is the sum of the
 * grosses above it (two rows at least). Anything else (a row that does not add up, a column
 * missing, a single row) gives null, never a guess.
 *
 * A band of totals is the one exception to the two rows: headings that each say "total"
 * ("TOTAL HT | TOTAL TVA | TOTAL TTC", "Total net | Total VAT | Total gross") head the
 * document's totals, one row of them, which counts when its net and tax add up to its gross.
 * Its amounts may be printed a few lines under the headings, beside the lines of a note in
 * another column (the French Factur-X layout's payment terms).
 */

/** A net column's heading: "Nettobetrag", "Netto", "Net amount", "Montant HT", "Base imponible", "Bedrag excl. btw". */
const NET_HEADING = /^(?:netto\p{L}*|net(?:\s+(?:amount|value|total))?|(?:montant|total)\s+ht|total\s+net(?:to)?|base\s+imponible|bedrag\s+excl\.?\s*btw|steuerbasis\p{L}*|basisbetrag)$/iu;

/** A tax amount column's heading: "MwSt-Betrag", "USt.-Betrag", "Steuerbetrag", "VAT amount", "Montant TVA", "BTW-bedrag", "Cuota IVA". */
const TAX_HEADING = /^(?:(?:mwst|ust|umsatzsteuer)\.?[-\s]*betrag|steuerbetrag|(?:vat|tax)\s+amount|montant\s+(?:de\s+la\s+)?tva|btw[-\s]*bedrag|cuota\s+(?:de\s+)?iva|total\s+(?:tva|vat|tax|mwst|ust|btw|iva))$/iu;

/** A gross column's heading: "Endbetrag", "Bruttobetrag", "Brutto", "Gesamtbetrag", "Gross", "Total", "Montant TTC", "Bedrag incl. btw". */
const GROSS_HEADING = /^(?:endbetrag|brutto\p{L}*|gesamtbetrag|gross(?:\s+amount)?|total(?:\s+(?:amount|gross|brutto))?|(?:montant|total)\s+ttc|bedrag\s+incl\.?\s*btw|totaal)$/iu;

/** A heading that says it heads a total ("TOTAL HT", "Total VAT"): three of them make a band of the document's totals. */
const TOTAL_HEADING = /^total\s/i;

/** Lines of another column (a note's) that may stand between a band of totals' headings and its amounts. */
const BAND_GAP_LINES = 3;

/** Two printed amounts are the same to the cent. */
const CENT = 0.005;

interface Column {
  x: number;
  right: number;
}

/** The gross total the tax summary table sums up, with the cell it was read from and its line; null when no table adds up. */
export function taxSummaryTotal(grid: readonly Cell[][], coerce: CoerceOptions): { amount: number; text: string; index: number } | null {
  for (const [index, line] of grid.entries()) {
    if (line.length < 3 || line.some((cell) => /\d/.test(cell.text))) continue;
    const heading = (pattern: RegExp) => line.find((cell) => pattern.test(cell.text.trim()));
    const [net, tax, gross] = [heading(NET_HEADING), heading(TAX_HEADING), heading(GROSS_HEADING)];
    // The gross column is right of the net and the tax ones, as net + tax = gross reads.
    if (!net || !tax || !gross || gross.x <= net.x || gross.x <= tax.x) continue;
    const band = [net, tax, gross].every((cell) => TOTAL_HEADING.test(cell.text.trim()));
    const rows: Array<{ net: number; tax: number; gross: number; cell: Cell; index: number }> = [];
    for (const [offset, row] of grid.slice(index + 1).entries()) {
      // A band's amounts may come under a note's lines in another column, nothing under the headings.
      if (band && rows.length === 0 && offset < BAND_GAP_LINES && ![net, tax, gross].some((column) => row.some((cell) => overlapping(cell, column)))) continue;
      const values = [net, tax, gross].map((column) => amountUnder(row, column, coerce));
      if (values.some((value) => value === null)) break;
      const [n, t, g] = values as [{ amount: number; cell: Cell }, { amount: number; cell: Cell }, { amount: number; cell: Cell }];
      rows.push({ net: n.amount, tax: t.amount, gross: g.amount, cell: g.cell, index: index + 1 + offset });
    }
    const sum = rows.at(-1);
    if (band && rows.length === 1 && Math.abs(sum!.net + sum!.tax - sum!.gross) < CENT) return { amount: sum!.gross, text: sum!.cell.text, index: sum!.index };
    if (!sum || rows.length < 2) continue;
    const above = rows.slice(0, -1);
    const adds = rows.every((row) => Math.abs(row.net + row.tax - row.gross) < CENT);
    const sums = Math.abs(above.reduce((total, row) => total + row.gross, 0) - sum.gross) < CENT * above.length + CENT;
    return adds && sums ? { amount: sum.gross, text: sum.cell.text, index: sum.index } : null;
  }
  return null;
}

/** The amount in `row` under a column heading (the cell overlapping its span), or null. */
function amountUnder(row: readonly Cell[], column: Column, coerce: CoerceOptions): { amount: number; cell: Cell } | null {
  const cell = row.find((other) => overlapping(other, column));
  if (!cell) return null;
  const amount = coerceCell('currency', cell.text, coerce);
  return typeof amount === 'number' ? { amount, cell } : null;
}

/** A tax line's label: a tax word, alone or as a compound's head ("Versicherungsteuer", "Umsatzsteuer"), with its rate. */
const TAX_WORD = String.raw`(?:\p{L}*steuer|\b(?:vat|tax|gst|mwst|ust|tva|btw|iva))\b`;
const TAX_LINE = new RegExp(String.raw`${TAX_WORD}.*\d\s?%|\d\s?%.*${TAX_WORD}`, 'iu');

/** How far apart (points) the right edges of amounts right-aligned in one column may be. */
const ALIGNED = 2;

/**
 * The total of an invoice that labels it with a word no vocabulary has ("Rechnungsbeitrag", an
 * insurer's premium to pay), vouched for by the two lines above it: three lines of a label and
 * an amount, the amounts right-aligned in one column, the middle one a tax line with its rate
 * ("Versicherungsteuer 19 %"), the last amount the sum of the two above, and no amount under it
 * in the column (a deduction or another total would make it a subtotal). Null when none does.
 */
export function taxLinesTotal(grid: readonly Cell[][], coerce: CoerceOptions): { amount: number; text: string; index: number } | null {
  const amountLine = (line: readonly Cell[] | undefined) => {
    if (line?.length !== 2 || /\d[.,]\d{2}/.test(line[0]!.text)) return null;
    const amount = coerceCell('currency', line[1]!.text, coerce);
    return typeof amount === 'number' ? { amount, label: line[0]!.text, cell: line[1]! } : null;
  };
  for (let index = 2; index < grid.length; index++) {
    const [net, tax, gross] = [grid[index - 2], grid[index - 1], grid[index]].map(amountLine);
    if (!net || !tax || !gross || !TAX_LINE.test(tax.label)) continue;
    if ([net, tax].some((line) => Math.abs(line.cell.right - gross.cell.right) > ALIGNED)) continue;
    if (Math.abs(net.amount + tax.amount - gross.amount) >= CENT || tax.amount <= 0) continue;
    const below = grid[index + 1]?.find((cell) => Math.abs(cell.right - gross.cell.right) <= ALIGNED && /\d/.test(cell.text));
    return below ? null : { amount: gross.amount, text: gross.cell.text, index };
  }
  return null;
}
