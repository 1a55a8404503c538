import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { DRIVE_EXPORT_KEY, exportRun } from '../../shared/export-runs/index.js';
import { GMAIL_SEND } from '../../shared/google/scopes.js';
import { activity, alice, connectAccount, DOCUMENTS, expectedRows, exportThroughApi, seedRun, simulateCrashedClaim, startExportWorld, type ExportWorld } from './fixtures.js';

let world: ExportWorld;
afterEach(() => world?.close());

const resumableStarts = (w: ExportWorld) => w.google.state.requestsTo('drive', '/upload/drive/v3/files').filter((r) => r.method === 'POST' && r.query.uploadType === 'resumable');
const exportFiles = (w: ExportWorld) => [...w.google.state.drive.files.values()].filter((f) => f.appProperties?.[DRIVE_EXPORT_KEY]);

describe('Drive exports', () => {
  it('uploads the XLSX resumably into the chosen folder, tagged with the export id, and records the Drive file id', async () => {
    world = await startExportWorld();
    const accountId = await connectAccount(world, 'alice', 'alice@example.com');
    const folder = world.google.state.drive.addFolder({ name: 'Exports' });
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'gdrive', fileType: 'xlsx', folderId: folder.id, accountId });

    const files = exportFiles(world);
    expect(files).toHaveLength(1);
    const file = files[0]!;
    expect(done).toMatchObject({ status: 'completed', externalId: file.id, rowsExported: 6, accountId, options: { folderId: folder.id } });
    expect(file).toMatchObject({ name: 'Invoices - run 1.xlsx', parents: [folder.id], appProperties: { [DRIVE_EXPORT_KEY]: done.id } });
    expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(resumableStarts(world).length).toBeGreaterThan(0);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(file.bytes, { type: 'buffer' }).Sheets.Invoices!, { header: 1 });
    expect(rows.slice(1).map((row) => row.slice(6))).toEqual(expectedRows().map((row) => row.slice(6)));
    expect(await activity(world, 'export_completed')).toEqual([expect.objectContaining({ description: 'Export of Invoices run #1 as XLSX saved to Google Drive - 6 rows' })]);
  });

  it('a file larger than one chunk goes up in several 256 KiB PUTs and arrives byte for byte', async () => {
    world = await startExportWorld();
    const accountId = await connectAccount(world, 'alice', 'alice@example.com');
    const documents = Array.from({ length: 80 }, (_, d) => ({
      fileName: `doc-${String(d).padStart(2, '0')}.pdf`,
      rows: Array.from({ length: 50 }, (_, r) => [`Vendor ${d}-${r} ${'x'.repeat(200)}`, r, '2024-01-01', r * 1.5, r % 2 === 0, ['a']]),
    }));
    const { runId } = await seedRun(world, { documents });
    const row = await world.platform.database.db.insertInto('job_exports')
      .values({ run_id: runId, dest_type: 'gdrive', file_type: 'csv', account_id: accountId }).returning('id').executeTakeFirstOrThrow();
    await exportRun(world.platform, { exportId: row.id }, { driveChunkBytes: 256 * 1024, batchSize: 7 });

    const [file] = exportFiles(world);
    expect(file!.bytes!.length).toBeGreaterThan(3 * 256 * 1024);
    const puts = world.google.state.requestsTo('drive', '/upload/drive/v3/files').filter((r) => r.method === 'PUT' && r.query.upload_id);
    expect(puts.length).toBe(Math.ceil(file!.bytes!.length / (256 * 1024)));
    const records = parse(file!.bytes!, { bom: true }) as string[][];
    expect(records).toHaveLength(1 + 80 * 50);
    expect(records[1]).toEqual([`Vendor 0-0 ${'x'.repeat(200)}`, '0', '2024-01-01', '0', 'TRUE', 'a', 'doc-00.pdf', 'upload']);
  });

  it('a duplicate delivery of export.requested creates one Drive file', async () => {
    world = await startExportWorld({ duplicateDelivery: true });
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'gdrive', fileType: 'csv' });
    expect(done.status).toBe('completed');
    expect(exportFiles(world).map((f) => f.id)).toEqual([done.externalId]);
  });

  it('a retry after a crash between upload and commit finds the uploaded file by its tag and creates no second one', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'gdrive', fileType: 'csv' });
    const uploadsBefore = resumableStarts(world).length;

    await simulateCrashedClaim(world, done.id);
    await exportRun(world.platform, { exportId: done.id });

    const again = await world.api.get(`/v1/exports/${done.id}`).set(alice).expect(200);
    expect(again.body).toMatchObject({ status: 'completed', externalId: done.externalId, rowsExported: 6, attempts: 2 });
    expect(exportFiles(world)).toHaveLength(1);
    expect(resumableStarts(world).length).toBe(uploadsBefore);
  });

  it('a folder that does not exist fails the export with the reason, and the failure is in the activity log', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: failed } = await exportThroughApi(world, runId, { destType: 'gdrive', fileType: 'xlsx', folderId: 'no-such-folder' });
    expect(failed).toMatchObject({ status: 'failed', errorMessage: 'the Drive folder no-such-folder was not found, or this account may not write to it', externalId: null });
    expect(exportFiles(world)).toEqual([]);
    expect(await activity(world, 'export_failed')).toEqual([expect.objectContaining({
      description: 'Export of Invoices run #1 as XLSX to Google Drive failed - the Drive folder no-such-folder was not found, or this account may not write to it',
    })]);
  });

  it('a revoked account fails the export with account_revoked and no upload', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    world.google.state.revokeRefreshTokens('alice@example.com');
    world.google.state.expireAccessTokens('alice@example.com');
    const { export: failed } = await exportThroughApi(world, runId, { destType: 'gdrive', fileType: 'csv' });
    expect(failed).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('revoked') });
    const row = await world.platform.database.db.selectFrom('job_exports').select('error_code').where('id', '=', failed.id).executeTakeFirstOrThrow();
    expect(row.error_code).toBe('account_revoked');
    expect(resumableStarts(world)).toEqual([]);
  });

  it('passing Drive failures are retried and the export still completes once', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    world.google.faults.add({ api: 'drive', pathIncludes: '/upload/drive/v3/files', method: 'POST', status: 503, times: 2 });
    const { export: done } = await exportThroughApi(world, runId, { destType: 'gdrive', fileType: 'csv' });
    expect(done).toMatchObject({ status: 'completed', attempts: 3 });
    expect(exportFiles(world)).toHaveLength(1);
  });

  it('an account that did not grant Drive access is refused when the export is asked for (422)', async () => {
    world = await startExportWorld();
    const accountId = await connectAccount(world, 'alice', 'alice@example.com', [GMAIL_SEND]);
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const refused = await world.api.post(`/v1/runs/${runId}/exports`).set(alice).send({ destType: 'gdrive', fileType: 'csv', accountId }).expect(422);
    expect(refused.body.error.code).toBe('scope_missing');
  });
});
