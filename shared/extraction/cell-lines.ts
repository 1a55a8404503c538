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
