import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';

type PDFDocumentProxy = Awaited<ReturnType<typeof getDocumentProxy>>;
type PDFPageProxy = Awaited<ReturnType<PDFDocumentProxy['getPage']>>;

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
  // The glyphs' operator lists come from the document opened without its images, once a page has words.
  let glyphs: PDFDocumentProxy | undefined;
  try {
    return await layout(pdf, async (number) => (glyphs ??= await withoutImages(pdf)).getPage(number));
  } finally {
    await glyphs?.destroy();
  }
}

/** `pdfCells` for each page, the words of a text run repaired from the page `glyphPage` gives (the same page, no images). */
async function layout(pdf: PDFDocumentProxy, glyphPage: (number: number) => Promise<PDFPageProxy>): Promise<{ cells: Cell[][]; pages: number[] }> {
  const lines: Cell[][] = [];
  const pages: number[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    const printed = acrossThePage((content.items as Item[]).filter((item) => typeof item.str === 'string' && item.str.trim() !== ''));
    // A page without a text layer (a scan, read by OCR instead) has no words to repair.
    const repairs = printed.length === 0 ? [] : await kerningRepairs(await glyphPage(number));
    const items = printed.map((item) => (repairs.length === 0 ? item : { ...item, str: repairs.reduce((text, [split, word]) => text.replace(split, word), item.str) }));
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

/** True when an item's text runs up or down the page (turned by more than 45 degrees), not across it. */
const turned = (item: Item) => Math.abs(item.transform[1]!) > Math.abs(item.transform[0]!);

/**
 * The items that run across the page when most do: a note printed up the margin ("ZUGFeRD
 * Beispielrechnung -Copyright AWV e.V. 2014", turned 90 degrees) stands at the height of
 * whatever line its start meets, and joined to that line's first cell it hid the label
 * ("...2014Rechnungssumme Brutto"). A page whose text mostly runs turned (a landscape page
 * drawn rotated) keeps all of it.
 */
function acrossThePage(items: Item[]): Item[] {
  const across = items.filter((item) => !turned(item));
  return across.length > items.length / 2 ? across : items;
}

/**
 * The same document opened again with every image left out (`maxImageSize: 0`), for its
 * glyphs' operator lists: building a page's operator list decodes the images it paints, and
 * an OCR'd PDF (a scan with a text layer) paints a page-sized one on every page (20 such
 * pages took 6 s instead of 0.4 s). The scan path renders the images from `pdf` itself.
 */
async function withoutImages(pdf: PDFDocumentProxy): Promise<PDFDocumentProxy> {
  return getDocumentProxy(await pdf.getData(), { maxImageSize: 0, verbosity: 0 });
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

/** The adjustment (thousandths of an em) between two glyphs of a text run above which pdf.js reads a word space. */
const PDFJS_SPACE = 102;

/**
 * Words pdf.js split at a kerning adjustment inside a text run, and the words whole: some
 * producers letter-space every glyph by its own adjustment ("L" -55 "i" ... "r" -110 "a" -56
 * "n"), and pdf.js reads each adjustment above 0.102 em as a space ("Liefer ant GmbH", "Ver
 * käufer", "Gr undbesitz"). A word space is an adjustment that much above the run's own
 * letter spacing (the median of its adjustments below that), so a letter-spaced run keeps its
 * words whole while a space set by kerning alone (pdfTeX's "Hello" -333 "World") stays one.
 * Each pair is the run as pdf.js wrote it (a pattern of whole words) and as it reads, for the page's text items.
 */
async function kerningRepairs(page: PDFPageProxy): Promise<Array<[RegExp, string]>> {
  const { OPS } = await getResolvedPDFJS();
  const { fnArray, argsArray } = await page.getOperatorList();
  const runs: Array<{ glyphs: string[]; gaps: number[] }> = [];
  fnArray.forEach((fn, i) => {
    if (fn !== OPS.showText && fn !== OPS.showSpacedText) return;
    const run = { glyphs: [] as string[], gaps: [] as number[] };
    let pending = 0;
    for (const entry of (argsArray[i] as [Array<number | { unicode?: string } | null>])[0] ?? []) {
      if (typeof entry === 'number') pending -= entry;
      else if (entry && typeof entry.unicode === 'string') {
        if (run.glyphs.length > 0) run.gaps.push(pending);
        run.glyphs.push(entry.unicode);
        pending = 0;
      }
    }
    runs.push(run);
  });
  // The letter spacing of a run: the median of its adjustments pdf.js reads as no space, else the page's (a short
  // run, "A" "r" -110 "t", may have none of its own); 0 when the page is not letter-spaced.
  const letterSpacing = (gaps: number[]) => gaps.filter((gap) => gap > 0 && gap <= PDFJS_SPACE).sort((a, b) => a - b);
  const pageSpacing = letterSpacing(runs.flatMap((run) => run.gaps));
  const repairs = new Map<string, string>();
  for (const { glyphs, gaps } of runs) {
    const spacing = letterSpacing(gaps);
    const tracking = spacing[Math.floor(spacing.length / 2)] ?? pageSpacing[Math.floor(pageSpacing.length / 2)] ?? 0;
    if (tracking === 0) continue;
    const read = (threshold: number) => glyphs.map((glyph, g) => (g > 0 && gaps[g - 1]! > threshold ? ' ' : '') + glyph).join('');
    const [split, whole] = [read(PDFJS_SPACE), read(PDFJS_SPACE + tracking)];
    if (split !== whole && whole.trim().length >= 3) repairs.set(split, whole);
  }
  // The longest first ("Liefer antenstr aße" before "Liefer ant", which it holds), each a whole run of words ("Ar t" is no part of "Bar tender").
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...repairs]
    .sort((a, b) => b[0].length - a[0].length)
    .map(([split, whole]): [RegExp, string] => [new RegExp(`(?<![\\p{L}\\p{N}])${escape(split)}(?![\\p{L}\\p{N}])`, 'gu'), whole]);
}
