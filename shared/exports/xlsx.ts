import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { headerLabels, SOURCES_HEADER, xlsxRecord, xlsxSourceRecords } from './cells.js';
import { destroyOnFailure } from './sink.js';
import type { ExportColumn, ExportRow, ExportSummary, FieldType } from './types.js';
import { XlsxBackpressure } from './xlsx-backpressure.js';

/** Number formats of typed columns; the others keep Excel's General format. */
const NUMBER_FORMATS: Partial<Record<FieldType, string>> = {
  currency: '#,##0.00',
  date: 'yyyy-mm-dd',
};

const DEFAULT_SHEET_NAME = 'Results';

/**
 * A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ], not starting or
 * ending with an apostrophe, not empty ("Results" then).
 */
export function safeSheetName(name: string | undefined): string {
  const cleaned = Array.from((name ?? '').replace(/[:\\/?*[\]\u0000-\u001f]/g, ' ').trim())
    .slice(0, 31)
    .join('')
    .replace(/^'+|'+$/g, '')
    .trim();
  return cleaned || DEFAULT_SHEET_NAME;
}

function columnWidth(label: string, type: FieldType | 'source'): number {
  const minimum = type === 'text' || type === 'list' || type === 'source' ? 18 : 12;
  return Math.min(60, Math.max(minimum, label.length + 2));
}

/**
 * Writes the export as XLSX into `out` with exceljs's streaming WorkbookWriter, ends it and
 * resolves once it is flushed. Cells are typed: numbers and currency (`#,##0.00`) as
 * numbers, dates as real dates (`yyyy-mm-dd`), booleans as booleans, lists as "a; b", text
 * as string cells (exceljs never turns a string into a formula) with the same quote prefix
 * as CSV. The header row is bold and frozen. Rows are committed as they are added and the
 * zip's backlog is bounded, so memory stays flat. On failure `out` is destroyed.
 *
 * @example await writeXlsx(columns, streamResults(db, runId), file.createWriteStream(), { sheetName: job.name })
 */
export async function writeXlsx(
  columns: ExportColumn[],
  batches: AsyncIterable<ExportRow[]>,
  out: Writable,
  opts: {
    sheetName?: string;
    /** The same rows again with their citations: written to a second sheet, "Sources", one row per value. */
    sources?: AsyncIterable<ExportRow[]>;
  } = {},
): Promise<ExportSummary> {
  return destroyOnFailure(out, async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      // Inline strings: shared strings would keep every distinct text of the run in a map
      // until the end, which a million-row export cannot afford.
      useSharedStrings: false,
      // The zip is left at compress-commons's default, deflate level 1 (best speed).
    });
    const sheet = workbook.addWorksheet(safeSheetName(opts.sheetName), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    const backpressure = new XlsxBackpressure(workbook, sheet, out);

    const labels = headerLabels(columns);
    const types: (FieldType | 'source')[] = [...columns.map((column) => column.type), 'source', 'source'];
    // One style object per column (and one for rows), shared by all cells: exceljs caches a
    // style's id by object identity, and a fresh object per cell (its default) made it
    // serialise and look up every cell's style: 100,000 x 12 rows took 7.4 s of CPU that
    // way against 2.7 s shared (best of three runs each).
    const cellStyles = types.map((type): Partial<ExcelJS.Style> => {
      const numFmt = type === 'source' ? undefined : NUMBER_FORMATS[type];
      return numFmt ? { numFmt } : {};
    });
    const rowStyle: Partial<ExcelJS.Style> = {};
    sheet.columns = types.map((type, i) => ({ width: columnWidth(labels[i]!, type), style: cellStyles[i]! }));

    const header = sheet.addRow(labels);
    header.font = { bold: true };
    header.commit();

    let rows = 0;
    for await (const batch of batches) {
      for (const row of batch) {
        const added = sheet.addRow(xlsxRecord(columns, row));
        (added as unknown as { style: Partial<ExcelJS.Style> }).style = rowStyle; // typed as absent, exists
        for (let i = 0; i < cellStyles.length; i++) added.getCell(i + 1).style = cellStyles[i]!;
        added.commit();
      }
      rows += batch.length;
      await backpressure.caughtUp();
    }
    sheet.commit();
    if (opts.sources) await writeSourcesSheet(workbook, columns, opts.sources, out, safeSheetName(opts.sheetName));
    await workbook.commit();
    return { rows };
  });
}

/**
 * The "Sources" sheet after the results sheet: for each results row, in the same order, one
 * row per value with its page, quote and whether the quote was found on that page. Its
 * `Sheet row` is the row's number on the results sheet.
 */
async function writeSourcesSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter, columns: ExportColumn[], batches: AsyncIterable<ExportRow[]>, out: Writable, resultsSheet: string,
): Promise<void> {
  const name = resultsSheet.toLowerCase() === 'sources' ? 'Sources of values' : 'Sources';
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const backpressure = new XlsxBackpressure(workbook, sheet, out);
  sheet.columns = SOURCES_HEADER.map((label) => ({ width: label === 'Quote' ? 60 : columnWidth(label, 'source') }));
  const header = sheet.addRow(SOURCES_HEADER);
  header.font = { bold: true };
  header.commit();
  // Row 1 of the results sheet is its header.
  let sheetRow = 1;
  for await (const batch of batches) {
    for (const row of batch) {
      sheetRow++;
      for (const record of xlsxSourceRecords(columns, row, sheetRow)) sheet.addRow(record).commit();
    }
    await backpressure.caughtUp();
  }
  sheet.commit();
}
