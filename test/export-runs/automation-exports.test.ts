import { afterEach, describe, expect, it } from 'vitest';
import { stageHandler } from '../../shared/stages.js';
import { activity, connectAccount, DOCUMENTS, seedRun, startExportWorld, type ExportWorld } from './fixtures.js';

let world: ExportWorld;
afterEach(() => world?.close());

async function automationFor(world: ExportWorld, jobId: string, runId: string, exportConfig: unknown) {
  const db = world.platform.database.db;
  const automation = await db.insertInto('automations').values({
    user_id: 'alice', name: 'Vendor invoices', trigger_type: 'gmail_attachment', job_id: jobId, export_config: exportConfig === null ? null : JSON.stringify(exportConfig),
  }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('automation_runs').values({ automation_id: automation.id, run_id: runId }).execute();
  return automation.id;
}

const exportsOf = (world: ExportWorld, runId: string) =>
  world.platform.database.db.selectFrom('job_exports').selectAll().where('run_id', '=', runId).execute();

describe('exports chained by automations on run.completed', () => {
  it("a run an automation started is exported once as its export_config says, however often run.completed arrives", async () => {
    world = await startExportWorld({ duplicateDelivery: true });
    const accountId = await connectAccount(world, 'alice', 'alice@example.com');
    const folder = world.google.state.drive.addFolder({ name: 'Automated' });
    const { jobId, runId } = await seedRun(world, { documents: DOCUMENTS });
    const automationId = await automationFor(world, jobId, runId, { dest: 'gdrive', fileType: 'xlsx', folderId: folder.id, accountId });

    const completed = { runId, jobId, userId: 'alice', status: 'completed' as const };
    await world.platform.bus.publish('run.completed', completed);
    await world.platform.bus.publish('run.completed', completed);
    await stageHandler('run.completed')(world.platform, completed);
    await world.platform.dispatcher.drain();

    const rows = await exportsOf(world, runId);
    expect(rows).toEqual([expect.objectContaining({ automation_id: automationId, dest_type: 'gdrive', file_type: 'xlsx', status: 'completed', account_id: accountId })]);
    const files = [...world.google.state.drive.files.values()].filter((f) => f.parents?.includes(folder.id));
    expect(files.map((f) => f.id)).toEqual([rows[0]!.external_id]);
  });

  it('a run started by hand, or a failed one, exports nothing', async () => {
    world = await startExportWorld();
    const manual = await seedRun(world, { documents: DOCUMENTS });
    await stageHandler('run.completed')(world.platform, { runId: manual.runId, jobId: manual.jobId, userId: 'alice', status: 'completed' });
    const failed = await seedRun(world, { documents: DOCUMENTS, status: 'failed' });
    await automationFor(world, failed.jobId, failed.runId, { dest: 'download', fileType: 'csv' });
    await stageHandler('run.completed')(world.platform, { runId: failed.runId, jobId: failed.jobId, userId: 'alice', status: 'failed' });
    await world.platform.dispatcher.drain();
    expect(await world.platform.database.db.selectFrom('job_exports').select('id').execute()).toEqual([]);
  });

  it('an export_config that cannot be used gives one failed export with the reason the user can read', async () => {
    world = await startExportWorld();
    const { jobId, runId } = await seedRun(world, { documents: DOCUMENTS });
    await automationFor(world, jobId, runId, { dest: 'gmail', fileType: 'csv' });
    const message = { runId, jobId, userId: 'alice', status: 'partially_completed' as const };
    await stageHandler('run.completed')(world.platform, message);
    await stageHandler('run.completed')(world.platform, message);
    const rows = await exportsOf(world, runId);
    expect(rows).toEqual([expect.objectContaining({ status: 'failed', error_message: 'Connect a Google account to export to Gmail' })]);
    expect(await activity(world, 'export_failed')).toEqual([expect.objectContaining({ description: 'Automation "Vendor invoices" could not export its run - Connect a Google account to export to Gmail' })]);
  });
});
