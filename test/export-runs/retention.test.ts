import { afterEach, describe, expect, it } from 'vitest';
import { deleteExpiredDownloadExport, findExpiredDownloadExports } from '../../shared/export-runs/index.js';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { DOCUMENTS, exportThroughApi, seedRun, startExportWorld, type ExportWorld } from './fixtures.js';

let world: ExportWorld;
afterEach(() => world?.close());

const DAY = 86_400_000;

async function downloadExportAged(world: ExportWorld, runId: string, days: number) {
  const { export: done } = await exportThroughApi(world, runId, { destType: 'download', fileType: 'csv' });
  await world.platform.database.db.updateTable('job_exports').set({ created_at: new Date(Date.now() - days * DAY) }).where('id', '=', done.id).execute();
  return done as { id: string; externalId: string };
}

describe('retention of download exports', () => {
  it('cleanup deletes a 31-day-old download export and its object, and keeps a 29-day-old one', async () => {
    world = await startExportWorld();
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const old = await downloadExportAged(world, runId, 31);
    const recent = await downloadExportAged(world, runId, 29);
    const drive = await world.platform.database.db.insertInto('job_exports')
      .values({ run_id: runId, dest_type: 'gdrive', file_type: 'csv', status: 'completed', created_at: new Date(Date.now() - 90 * DAY) }).returning('id').executeTakeFirstOrThrow();

    expect(await findExpiredDownloadExports(world.platform.database.db, new Date())).toEqual([{ id: old.id, objectName: old.externalId }]);
    const report = await runCleanup(world.platform, { outboxAgeSeconds: 0 });
    expect(report.expiredExportsDeleted).toBe(1);

    const left = await world.platform.database.db.selectFrom('job_exports').select('id').orderBy('created_at').execute();
    expect(left.map((r) => r.id).sort()).toEqual([recent.id, drive.id].sort());
    expect(await world.blobs.exists('exports', old.externalId)).toBe(false);
    expect(await world.blobs.exists('exports', recent.externalId)).toBe(true);
  });

  it("the user's export_retention_days replaces the 30-day default, and deleting twice is harmless", async () => {
    world = await startExportWorld();
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    await world.platform.database.db.insertInto('user_settings').values({ user_id: 'alice', export_retention_days: 7 }).execute();
    const eightDays = await downloadExportAged(world, runId, 8);
    await downloadExportAged(world, runId, 6);
    const expired = await findExpiredDownloadExports(world.platform.database.db, new Date());
    expect(expired.map((e) => e.id)).toEqual([eightDays.id]);
    await deleteExpiredDownloadExport(world.platform.database.db, world.platform.blobs, expired[0]!);
    await deleteExpiredDownloadExport(world.platform.database.db, world.platform.blobs, expired[0]!);
    expect(await findExpiredDownloadExports(world.platform.database.db, new Date())).toEqual([]);
    expect(await world.blobs.exists('exports', eightDays.externalId)).toBe(false);
  });
});
