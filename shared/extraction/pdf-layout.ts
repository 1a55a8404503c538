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
      for (const item of rows.get(y)!.sort((a, b) => a.transform[4]! - b.transform[4]!)) {
        const x = item.transform[4]!;
        const size = Math.abs(item.transform[0]!) || item.height || 10;
        const last = cells.at(-1);
        if (last && x - last.right < size * 0.6) {
          last.text = `${last.text}${x - last.right > size * 0.1 ? ' ' : ''}${item.str}`.replace(/\s+/g, ' ');
          last.right = Math.max(last.right, x + item.width);
        } else cells.push({ text: item.str.replace(/\s+/g, ' ').trim(), x, right: x + item.width });
      }
      lines.push(cells.map((cell) => ({ ...cell, text: cell.text.trim() })).filter((cell) => cell.text !== ''));
      pages.push(number);
    }
    page.cleanup();
  }
  return { cells: lines, pages };
}
