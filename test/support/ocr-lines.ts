import { lineText } from '../../shared/extraction/cell-lines.js';
import type { OcrLine, OcrPage } from '../../shared/extraction/ocr.js';
import type { Extractor, FieldSpec } from '../../shared/extraction/types.js';

/**
 * One line as tesseract gives it (`recognizeImage` passes such lines to `cellsFromOcrLines`),
 * at height `y`: its cells left to right, each cell's words `[text, confidence]` a space
 * apart, cells far apart. The OCR tests state what OCR read, and how sure it was, with it.
 */
export function ocrRow(y: number, cells: Array<Array<[string, number]>>): OcrLine {
  let x = 0;
  const words = cells.flatMap((cell) => {
    const placed = cell.map(([text, confidence]) => {
      const word = { text, confidence, bbox: { x0: x, x1: x + text.length * 20, y0: y, y1: y + 30 } };
      x = word.bbox.x1 + 8;
      return word;
    });
    x += 200;
    return placed;
  });
  return { bbox: { x0: 0, x1: x, y0: y, y1: y + 30 }, words };
}

/** The `index`th printed line of a page, 60 pixels under the one before (`ocrRow`). */
export const ocrLineAt = (index: number, cells: Array<Array<[string, number]>>): OcrLine => ocrRow(index * 60, cells);

/** A page from lines of cells, each cell's words read at 95 unless given `[word, confidence]`. */
export const ocrPage = (lines: Array<Array<string | Array<[string, number]>>>): OcrLine[] =>
  lines.map((cells, i) => ocrLineAt(i, cells.map((cell) => (typeof cell === 'string' ? cell.split(' ').map((word): [string, number] => [word, 95]) : cell))));

type OcrModule = typeof import('../../shared/extraction/ocr.js');

/**
 * The OCR module with `recognizeImage` answering the lines `page()` gives instead of running
 * tesseract: a test file mocks it with `vi.mock('../../shared/extraction/ocr.js', async (original)
 * => (await import('../support/ocr-lines.js')).ocrReading(await original(), () => page))`.
 */
export function ocrReading(original: OcrModule, page: () => OcrLine[]): OcrModule {
  return {
    ...original,
    recognizeImage: async (): Promise<OcrPage> => {
      const cells = original.cellsFromOcrLines(page(), 1);
      return { cells, text: cells.map(lineText).join('\n') };
    },
  };
}

/** The answer to field `name` for an image whose OCR reads the mocked lines (`ocrReading`). */
export async function scannedAnswer(extractor: Extractor, fields: FieldSpec[], name: string): Promise<unknown> {
  const answer = await extractor.extract({
    fields,
    file: { uri: 'mem://receipt.png', mimeType: 'image/png', filename: 'receipt.png' },
    systemPrompt: { version: 'v1', text: 'unused' },
    model: 'local-text-v1',
  });
  return answer.results[0]![answer.columns.indexOf(name)];
}
