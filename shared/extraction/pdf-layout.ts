import type { getDocumentProxy } from 'unpdf';

type PDFDocumentProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

/** A run of text on a line of a page, with its left and right edge in PDF points. */
export interface Cell {
  text: string;
  x: number;
  right: number;
  /**
   * OCR'd cells only (`ocr.ts`): the words the text is made of, each with tesseract's
   * confidence (0-100), in order (`text` is them joined by single spaces). A value read
   * from such a cell is trusted only when its words are (`ocr-trust.ts`); text-layer cells have none.
   */
  words?: OcrWord[];
}

/** A word OCR read, and how sure tesseract is of it (0-100). */
export interface OcrWord {
  text: string;
  confidence: number;
}

interface Item {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/**
 * The words of a PDF's text layer with their positions, as lines of cells, pages in order:
 * items on one baseline form a line (top to bottom), and neighbours on it closer than
 * about a space join into one cell, so a label and the value printed in the next column
 * stay apart ("Rechnungsnummer:" | "RE-2025-00042"). `pages` gives each line's page (from 1),
 * which is how a value read from a line is cited.
 */
export async function pdfCells(pdf: PDFDocumentProxy): Promise<{ cells: Cell[][]; pages: number[] }> {
  const lines: Cell[][] = [];
  const pages: number[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    const items = (content.items as Item[]).filter((item) => typeof item.str === 'string' && item.str.trim() !== '');
    const rows = new Map<number, Item[]>();
    for (const item of items) {
      const y = Math.round(item.transform[5]! / 2) * 2;
      const key = [...rows.keys()].find((other) => Math.abs(other - y) <= 2) ?? y;
      rows.set(key, [...(rows.get(key) ?? []), item]);
    }
    for (const y of [...rows.keys()].sort((a, b) => b - a)) {
      const cells: Cell[] = [];
      let previous: Item | undefined;
      for (const item of rows.get(y)!.sort((a, b) => a.transform[4]! - b.transform[4]!)) {
        const x = item.transform[4]!;
        const size = Math.abs(item.transform[0]!) || item.height || 10;
        const last = cells.at(-1);
        if (last && (x - last.right < size * WORD_GAP || (previous && x - last.right <= oneCharacter(previous, item)))) {
          last.text = `${last.text}${x - last.right > size * 0.1 ? ' ' : ''}${item.str}`.replace(/\s+/g, ' ');
          last.right = Math.max(last.right, x + item.width);
        } else cells.push({ text: item.str.replace(/\s+/g, ' ').trim(), x, right: x + item.width });
        previous = item;
      }
      lines.push(cells.map((cell) => ({ ...cell, text: cell.text.trim() })).filter((cell) => cell.text !== ''));
      pages.push(number);
    }
    page.cleanup();
  }
  return { cells: lines, pages };
}

/** The widest gap between two text items of one cell, in ems of the font size: about a space and a half of a proportional font. */
const WORD_GAP = 0.6;

/**
 * The width of one character in both items, when they are words set in a fixed-width font (every
 * character as wide, as in Courier: its space is 0.6 em, as wide as the cell gap above), with
 * a little slack for rounding; else 0. Words placed one character apart in such a font
 * ("Taxiunternehmen | TX | GmbH") are one cell; two characters apart or more are columns.
 */
function oneCharacter(left: Item, right: Item): number {
  // Words only: a lone ":" between a label and its value stays a cell of its own ("Beleg-Nr | : | RK21012345").
  if (left.str.trim().length < 2 || right.str.trim().length < 2) return 0;
  const widths = [left, right].map((item) => item.width / item.str.length);
  const [narrow, wide] = [Math.min(...widths), Math.max(...widths)];
  const size = Math.abs(right.transform[0]!) || right.height || 10;
  // Fixed width: both items' characters as wide (within 3%), and as wide as a monospace font's (0.55-0.65 em).
  if (wide > narrow * 1.03 || narrow < size * 0.55 || wide > size * 0.65) return 0;
  return wide * 1.05;
}
