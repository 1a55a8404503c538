import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import type { FieldSpec } from '../../shared/extraction/types.js';

/**
 * Invoices drawn in a test as a person would lay them out: one A4 page of Helvetica text
 * lines, each a row of cells at x positions (WinAnsi text: Latin-1 only), read back through
 * the local extractor's real path (unpdf, layout, labels).
 */

/** One printed line: cells at x positions, optionally smaller, after a gap. */
export type PrintedLine = { cells: Array<[number, string]>; size?: number; gap?: number };

export const at = (...cells: Array<[number, string]>): PrintedLine => ({ cells });

export async function printedPdf(lines: readonly PrintedLine[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  let y = 800;
  for (const line of lines) {
    const size = line.size ?? 10;
    y -= size + 5 + (line.gap ?? 0);
    for (const [x, text] of line.cells) page.drawText(text, { x, y, size, font });
  }
  return Buffer.from(await pdf.save());
}

/** The local extractor's first answer row for `bytes` (a PDF unless said otherwise), by column name. */
export async function firstRow(bytes: Buffer, fields: FieldSpec[], { mimeType = 'application/pdf', filename = 'invoice.pdf' } = {}): Promise<Record<string, unknown>> {
  const extractor = createLocalExtractor({ readFile: async () => bytes });
  const answer = await extractor.extract({
    fields,
    file: { uri: `mem://${filename}`, mimeType, filename },
    systemPrompt: { version: 'v1', text: 'unused' },
    model: 'local',
  });
  return Object.fromEntries(answer.columns.map((column, i) => [column, answer.results[0]![i]]));
}
