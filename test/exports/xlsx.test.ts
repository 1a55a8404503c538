import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import type { ExportRow } from '../../shared/exports/types.js';
import { safeSheetName, writeXlsx } from '../../shared/exports/xlsx.js';
import { COLUMNS, FORMULA_LIKE, countingBatches, formulaRows, inBatches, memorySink, sampleRows, settled, stalledSink } from './fixtures.js';

async function xlsxOf(rows: ExportRow[], sheetName?: string): Promise<{ bytes: Buffer; rows: number }> {
  const { out, done } = memorySink();
  const summary = await writeXlsx(COLUMNS, inBatches(rows), out, { sheetName });
  return { bytes: await done, rows: summary.rows };
}

/** The first sheet as SheetJS reads it, dates as Date cells. */
function sheetOf(bytes: Buffer, options: XLSX.ParsingOptions = { cellDates: true }): XLSX.WorkSheet {
  const workbook = XLSX.read(bytes, { type: 'buffer', ...options });
  return workbook.Sheets[workbook.SheetNames[0]!]!;
}

/** A part of the XLSX package, as raw XML read by SheetJS's own zip reader. */
function partOf(bytes: Buffer, name: string): string {
  const entry = XLSX.CFB.find(XLSX.CFB.read(bytes, { type: 'buffer' }), `/${name}`);
  if (!entry?.content) throw new Error(`${name} missing`);
  return Buffer.from(entry.content as Uint8Array).toString('utf8');
}

/** [type, value] of a cell, or null for an empty one. */
function cell(sheet: XLSX.WorkSheet, address: string): [string, unknown] | null {
  const found = sheet[address] as XLSX.CellObject | undefined;
  return found ? [found.t, found.t === 'd' ? found.w : found.v] : null;
}

describe('writeXlsx', () => {
  it('reads back with SheetJS cell by cell, with the types of the fields', async () => {
    const { bytes, rows } = await xlsxOf(sampleRows());
    expect(rows).toBe(5);
    const sheet = sheetOf(bytes);
    expect(sheet['!ref']).toBe('A1:H6');
    const header = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((column) => cell(sheet, `${column}1`));
    expect(header).toEqual(
      ['Vendor', 'Quantity', 'Invoice date', 'Total', 'Paid', 'Tags', 'Source file', 'Source type'].map((label) => ['s', label]),
    );
    const table = [2, 3, 4, 5, 6].map((row) => ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((column) => cell(sheet, `${column}${row}`)));
    expect(table).toEqual([
      [['s', 'Café Müller'], ['n', 3], ['d', '2024-02-29'], ['n', 1234.5], ['b', true], ['s', 'office; q3'], ['s', 'invoice-é.pdf'], ['s', 'upload']],
      [['s', '株式会社日本'], ['n', -2], ['d', '1999-12-31'], ['n', -0.75], ['b', false], null, ['s', 'invoice-é.pdf'], ['s', 'upload']],
      [['s', 'Acme, "Inc."\nSecond line'], ['n', 0], null, null, null, null, ['s', '請求書.pdf'], ['s', 'gmail']],
      [['s', "'-42"], ['n', 1e21], ['s', '2023-02-29'], ['n', 10], ['b', true], ['s', 'one'], ['s', '請求書.pdf'], ['s', 'gmail']],
      [null, ['n', 0.1], ['d', '2025-01-01'], ['n', 0], ['b', false], ['s', "'=x; y"], ['s', 'Scan 7.pdf'], ['s', 'gdrive']],
    ]);
  });

  it('writes dates as Excel serial days formatted yyyy-mm-dd and currency as #,##0.00', async () => {
    const sheet = sheetOf((await xlsxOf(sampleRows())).bytes, { cellDates: false, cellNF: true });
    expect(sheet['C2']).toMatchObject({ t: 'n', v: 45351, z: 'yyyy-mm-dd' }); // 2024-02-29
    expect(sheet['C3']).toMatchObject({ t: 'n', v: 36525, z: 'yyyy-mm-dd' }); // 1999-12-31
    expect(sheet['D2']).toMatchObject({ t: 'n', v: 1234.5, z: '#,##0.00', w: '1,234.50' });
    expect(sheet['D3']).toMatchObject({ t: 'n', v: -0.75, w: '-0.75' });
  });

  it('opens with no formula anywhere: formula-like text is a string cell with a quote prefix', async () => {
    const { bytes } = await xlsxOf(formulaRows());
    const sheet = sheetOf(bytes, { cellFormula: true });
    FORMULA_LIKE.forEach(([, expected], i) => {
      for (const column of ['A', 'F', 'G']) {
        const found = sheet[`${column}${i + 2}`] as XLSX.CellObject;
        expect(found.f).toBeUndefined();
        expect([found.t, found.v]).toEqual(['s', expected]);
      }
      expect(cell(sheet, `B${i + 2}`)).toEqual(['n', -5]);
      expect(cell(sheet, `D${i + 2}`)).toEqual(['n', -12.34]);
    });
    expect(partOf(bytes, 'xl/worksheets/sheet1.xml')).not.toMatch(/<f[ >]/);
  });

  it('makes the header row bold and freezes it', async () => {
    const { bytes } = await xlsxOf(sampleRows());
    const sheetXml = partOf(bytes, 'xl/worksheets/sheet1.xml');
    expect(sheetXml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    const headerStyle = Number(/<c r="A1" s="(\d+)"/.exec(sheetXml)?.[1]);
    const bodyStyle = Number(/<c r="A2" s="(\d+)"/.exec(sheetXml)?.[1] ?? 0);
    const stylesXml = partOf(bytes, 'xl/styles.xml');
    const fonts = [...stylesXml.matchAll(/<font>(.*?)<\/font>/gs)].map((match) => match[1]!);
    const xfs = [.../<cellXfs[^>]*>(.*?)<\/cellXfs>/s.exec(stylesXml)![1]!.matchAll(/<xf [^>]*fontId="(\d+)"/g)].map((m) => Number(m[1]));
    expect(fonts[xfs[headerStyle]!]).toContain('<b/>');
    expect(fonts[xfs[bodyStyle] ?? 0]).not.toContain('<b/>');
  });

  it('names the sheet as asked, within what Excel accepts', async () => {
    const { bytes } = await xlsxOf(sampleRows().slice(0, 1), 'Invoices [2025]: Q3/Q4 — a very long job name indeed');
    const workbook = XLSX.read(bytes, { type: 'buffer' });
    expect(workbook.SheetNames).toEqual(['Invoices  2025   Q3 Q4 — a very']);
    expect(safeSheetName(undefined)).toBe('Results');
    expect(safeSheetName("''")).toBe('Results');
  });

  it('keeps rows of many documents and many rows per document in order', async () => {
    const many = Array.from({ length: 300 }, (_, i): ExportRow => ({
      values: [`row ${i}`, i, null, null, null, null],
      sourceFileName: `doc-${Math.floor(i / 3)}.pdf`,
      sourceType: 'upload',
    }));
    const { out, done } = memorySink();
    const summary = await writeXlsx(COLUMNS, inBatches(many, 7), out);
    expect(summary.rows).toBe(300);
    const records = XLSX.utils.sheet_to_json<unknown[]>(sheetOf(await done), { header: 1 }).slice(1);
    expect(records.map((record) => [record[0], record[1], record[6]])).toEqual(
      many.map((row, i) => [`row ${i}`, i, `doc-${Math.floor(i / 3)}.pdf`]),
    );
  });

  it('stops pulling batches while the destination is stalled, then finishes when it drains', async () => {
    // Random text compresses about 2:1, like real descriptions, unlike a repeated phrase.
    const rows = Array.from({ length: 60_000 }, (_, i): ExportRow => ({
      values: [randomBytes(24).toString('hex'), i, '2024-05-01', i / 100, i % 2 === 0, ['a', 'b']],
      sourceFileName: `doc-${i}.pdf`,
      sourceType: 'gdrive',
    }));
    const { out, release } = stalledSink();
    const { batches, pulled } = countingBatches(inBatches(rows, 1_000)); // about 1.1 MB of sheet XML each
    const writing = writeXlsx(COLUMNS, batches, out);
    expect(await settled(pulled)).toBeLessThan(40); // measured: 23 of 60, then no more
    release();
    expect((await writing).rows).toBe(60_000);
  });

  it('destroys the destination and rejects when the rows fail mid-way', async () => {
    const { out, done } = memorySink();
    const destinationSaw = expect(done).rejects.toThrow('cursor lost');
    async function* failing() {
      yield sampleRows();
      throw new Error('cursor lost');
    }
    await expect(writeXlsx(COLUMNS, failing(), out)).rejects.toThrow('cursor lost');
    await destinationSaw;
  });
});
