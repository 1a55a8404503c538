import type { OcrLine } from '../../shared/extraction/ocr.js';

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
