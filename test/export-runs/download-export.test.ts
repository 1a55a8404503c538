import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { readSignedLink } from '../../shared/blobs/local-links.js';
import { exportRun } from '../../shared/export-runs/index.js';
import { alice, bob, DOCUMENTS, expectedRows, exportThroughApi, readExportObject, seedRun, startExportWorld, activity, type ExportWorld } from './fixtures.js';

let world: ExportWorld;
afterEach(() => world?.close());

const HEADER = ['Vendor', 'Quantity', 'Invoice date', 'Total', 'Paid', 'Tags', 'Source file', 'Source type'];

/** A stored value as SheetJS reads the typed XLSX cell back (cellDates: dates as Date at UTC midnight). */
function asXlsxValue(value: unknown, column: number): unknown {
  if (value === null || (Array.isArray(value) && value.length === 0)) return undefined;
  if (Array.isArray(value)) return value.join('; ');
  if (column === 2 && typeof value === 'string') return new Date(`${value}T00:00:00.000Z`);
  return value;
}

/** A stored value as the CSV holds it. */
function asCsvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('; ');
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

describe('download exports', () => {
  it('an XLSX export reads back cell by cell: numbers, dates and booleans typed, one sheet row per result row, then source file and type', async () => {
    world = await startExportWorld();
    const { runId } = await seedRun(world, { documents: DOCUMENTS, jobName: 'Invoices Q3' });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'download', fileType: 'xlsx' });
    expect(done).toMatchObject({ status: 'completed', fileName: 'Invoices Q3 - run 1.xlsx', rowsExported: 6, externalId: `runs/${runId}/${done.id}.xlsx`, errorMessage: null });

    const bytes = await readExportObject(world, done.externalId);
    const workbook = XLSX.read(bytes, { type: 'buffer', cellDates: true });
    expect(workbook.SheetNames).toEqual(['Invoices Q3']);
    const sheet = workbook.Sheets['Invoices Q3']!;
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true });
    expect(rows[0]).toEqual(HEADER);
    const expected = expectedRows();
    expect(rows.length - 1).toBe(expected.length);
    expected.forEach((row, r) => {
      row.forEach((value, c) => {
        const cell = sheet[XLSX.utils.encode_cell({ r: r + 1, c })] as XLSX.CellObject | undefined;
        const want = asXlsxValue(value, c);
        if (want === undefined) return expect(cell?.v, `row ${r + 2} col ${c + 1}`).toBeUndefined();
        // A date cell is a real date shown as yyyy-mm-dd (its value is the time-zone-free day).
        if (c === 2 && want instanceof Date) expect(cell?.w, `row ${r + 2} col ${c + 1}`).toBe(value);
        else expect(cell?.v, `row ${r + 2} col ${c + 1}`).toEqual(want);
        const type = typeof value === 'number' ? 'n' : typeof value === 'boolean' ? 'b' : c === 2 ? 'd' : 's';
        expect(cell?.t, `type of row ${r + 2} col ${c + 1}`).toBe(type);
      });
    });
    // The document with three rows shows three times, with its source.
    expect(rows.filter((row) => row[6] === 'Brightline GmbH – Rechnung.pdf').map((row) => row[7])).toEqual(['gmail', 'gmail', 'gmail']);
  });

  it('a CSV export reads back with csv-parse, field for field, with the source columns', async () => {
    world = await startExportWorld();
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'download', fileType: 'csv' });
    expect(done).toMatchObject({ status: 'completed', fileName: 'Invoices - run 1.csv', rowsExported: 6 });
    const records = parse(await readExportObject(world, done.externalId), { bom: true }) as string[][];
    expect(records[0]).toEqual(HEADER);
    expect(records.slice(1)).toEqual(expectedRows().map((row) => row.map(asCsvText)));
  });

  it('formula-like text opens as text in both formats, never as a formula', async () => {
    world = await startExportWorld();
    const evil = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)'];
    const { runId } = await seedRun(world, { documents: [{ fileName: '=cmd|calc.pdf', rows: evil.map((text) => [text, 1, null, null, null, [text]]) }] });
    const xlsx = (await exportThroughApi(world, runId, { destType: 'download', fileType: 'xlsx' })).export;
    const csv = (await exportThroughApi(world, runId, { destType: 'download', fileType: 'csv' })).export;

    const sheet = XLSX.read(await readExportObject(world, xlsx.externalId), { type: 'buffer', cellFormula: true }).Sheets.Invoices!;
    const cells = Object.entries(sheet).filter(([address]) => !address.startsWith('!')).map(([, cell]) => cell as XLSX.CellObject);
    expect(cells.filter((cell) => cell.f !== undefined)).toEqual([]);
    const column = (c: number) => evil.map((_, r) => (sheet[XLSX.utils.encode_cell({ r: r + 1, c })] as XLSX.CellObject).v);
    expect(column(0)).toEqual(evil.map((text) => `'${text}`));
    expect(column(5)).toEqual(evil.map((text) => `'${text}`));
    expect(column(6)).toEqual(evil.map(() => "'=cmd|calc.pdf"));

    const records = parse(await readExportObject(world, csv.externalId), { bom: true }) as string[][];
    for (const record of records.slice(1)) for (const field of [record[0]!, record[5]!, record[6]!]) expect(field.startsWith("'")).toBe(true);
  });

  it('a completed download has a signed link to its object, valid for 7 days, offering the file name', async () => {
    world = await startExportWorld();
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'download', fileType: 'xlsx' });
    const link = readSignedLink(done.downloadUrl, 'test-link-secret-0123456789', 'http://127.0.0.1:1/blobs', Math.floor(Date.now() / 1000));
    expect(link).toMatchObject({ action: 'download', bucket: 'exports', name: done.externalId, filename: 'Invoices - run 1.xlsx' });
    expect(link.expiresAt - Date.now() / 1000).toBeGreaterThan(604_800 - 60);
    const listed = await world.api.get(`/v1/runs/${runId}/exports`).set(alice).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: done.id, status: 'completed', downloadUrl: expect.any(String) })]);
    expect(await activity(world, 'export_completed')).toEqual([
      { description: 'Export of Invoices run #1 as XLSX ready to download - 6 rows', context: expect.objectContaining({ exportId: done.id, runId }) },
    ]);
  });

  it('a duplicate delivery of export.requested writes one object and completes the export once', async () => {
    world = await startExportWorld({ duplicateDelivery: true });
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'download', fileType: 'csv' });
    expect(done).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await readdir(path.join(world.blobs.root, 'exports', 'runs', runId))).toEqual([`${done.id}.csv`]);
    expect(await activity(world, 'export_completed')).toHaveLength(1);
  });

  it('rows stream in keyset batches: a batch of 1 document gives the same file as one of 500', async () => {
    world = await startExportWorld();
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const first = (await exportThroughApi(world, runId, { destType: 'download', fileType: 'csv' })).export;
    // Written straight to the table (no message), so only this call runs it.
    const second = await world.platform.database.db.insertInto('job_exports').values({ run_id: runId, dest_type: 'download', file_type: 'csv' }).returning('id').executeTakeFirstOrThrow();
    await exportRun(world.platform, { exportId: second.id }, { batchSize: 1 });
    const shown = await world.api.get(`/v1/exports/${second.id}`).set(alice).expect(200);
    expect(shown.body).toMatchObject({ status: 'completed', rowsExported: 6 });
    expect((await readExportObject(world, shown.body.externalId)).equals(await readExportObject(world, first.externalId))).toBe(true);
  });

  it("another user's export and run are 404, as if they did not exist", async () => {
    world = await startExportWorld();
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'download', fileType: 'csv' });
    await world.api.get(`/v1/exports/${done.id}`).set(bob).expect(404);
    await world.api.get(`/v1/runs/${runId}/exports`).set(bob).expect(404);
    await world.api.post(`/v1/runs/${runId}/exports`).set(bob).send({ destType: 'download', fileType: 'csv' }).expect(404);
    await world.api.get('/v1/exports/00000000-0000-4000-8000-000000000000').set(alice).expect(404);
  });

  it('a run still in progress cannot be exported yet (409), and options of another destination are refused (400)', async () => {
    world = await startExportWorld();
    const { runId } = await seedRun(world, { documents: DOCUMENTS, status: 'in_progress' });
    const refused = await world.api.post(`/v1/runs/${runId}/exports`).set(alice).send({ destType: 'download', fileType: 'csv' }).expect(409);
    expect(refused.body.error.code).toBe('run_not_finished');
    const bad = await world.api.post(`/v1/runs/${runId}/exports`).set(alice).send({ destType: 'download', fileType: 'csv', folderId: 'abc' }).expect(400);
    expect(bad.body.error.message).toContain('body.folderId: only for destType gdrive');
    expect(await world.platform.database.db.selectFrom('job_exports').select('id').execute()).toEqual([]);
  });
});
