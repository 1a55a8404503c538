import type { Cell } from './pdf-layout.js';

/** A line's text: its cells joined by single spaces (an absent line reads as ""). */
export function lineText(line: readonly Cell[] | undefined): string {
  return (line ?? []).map((cell) => cell.text).join(' ');
}

/**
 * True when two cells' spans overlap across, within `slack` points either side: one printed
 * under the other, in the same column.
 */
export function overlapping(a: Pick<Cell, 'x' | 'right'>, b: Pick<Cell, 'x' | 'right'>, slack = 2): boolean {
  return a.x < b.right + slack && a.right > b.x - slack;
}

/** A cell that is an amount with cents and nothing else but a currency mark ("€ 4.053,67", "RM 12.50", "9,50 €"). */
const AMOUNT_CELL = /^-?\s*(?:[A-Z]{1,3}\$?|[$€£¥₹])?\s?(?:\d{1,3}(?:[,.' ]\d{3})*[.,]\d{2}|\d+[.,]\d{2})\s*(?:[A-Z]{1,3}|[€$£])?$/;

/**
 * A line as its pairs of label and amount: "Exclusief BTW | € 4.053,67 | Subtotaal | € 4.904,94", two columns
 * printed on one row, is two lines ("Exclusief BTW | € 4.053,67" and "Subtotaal | € 4.904,94"), so each amount is
 * read with its own label; a line with fewer than two such pairs is itself. A pair is an amount cell right after a
 * cell of words without figures.
 */
export function labelAmountPairs(line: readonly Cell[]): Cell[][] {
  const ends = line.flatMap((cell, i) => (i > 0 && AMOUNT_CELL.test(cell.text.trim()) && /\p{L}/u.test(line[i - 1]!.text) && !/\d/.test(line[i - 1]!.text) ? [i] : []));
  if (ends.length < 2) return [[...line]];
  return ends.map((end, k) => line.slice(k === 0 ? 0 : ends[k - 1]! + 1, k === ends.length - 1 ? line.length : end + 1));
}
