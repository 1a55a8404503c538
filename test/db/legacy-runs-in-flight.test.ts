import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrateTo, migrateToLatest } from '../../shared/db/migrate.js';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createEmptyDatabase } from '../support/database.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { inFlight, insertLegacyData, insertLegacyWorkInFlight } from './legacy-data.js';

let platform: TestPlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
});

it('legacy runs in flight at migration finish through the normal sweep, with the legacy files and fields', async () => {
  const database = await createEmptyDatabase();
  await migrateTo(database, '000001_legacy_schema');
  await insertLegacyData(database.db);
  await insertLegacyWorkInFlight(database.db);
  await migrateToLatest(database);
  const extractor = scriptedExtractor();
  platform = await createTestPlatform({ extractor, database });
  const db = platform.database.db;
  const runOf = (jobId: string) => db.selectFrom('job_runs')
    .select(['id', 'status', 'tasks_total', 'tasks_completed', 'tasks_failed', 'fields_snapshot', 'extraction_settings', 'completed_at'])
    .where('job_id', '=', jobId).executeTakeFirstOrThrow();
  const counters = async (jobId: string) => {
    const r = await runOf(jobId);
    return [r.status, r.tasks_total, r.tasks_completed, r.tasks_failed];
  };

  // Right after the migration: counters are the tasks', the legacy `pending` run is in
  // progress, and a run with nothing left to do (or only a task whose file is gone) is settled.
  expect(await counters(inFlight.runningJob)).toEqual(['in_progress', 3, 1, 0]);
  expect(await counters(inFlight.pendingJob)).toEqual(['in_progress', 2, 0, 0]);
  expect(await counters(inFlight.orphanJob)).toEqual(['partially_completed', 2, 1, 1]);
  expect(await counters(inFlight.settledJob)).toEqual(['completed', 1, 1, 0]);
  const orphan = await db.selectFrom('extraction_tasks').select(['status', 'error_code', 'error_message']).where('source_file_id', 'is', null).executeTakeFirstOrThrow();
  expect(orphan).toEqual({ status: 'failed', error_code: 'source_file_missing', error_message: 'The file of this task was deleted before it was extracted' });
  expect((await runOf(inFlight.runningJob)).fields_snapshot).toEqual([
    { name: 'Vendor', type: 'text', description: 'Who sent it', required: false },
    { name: 'Amount', type: 'currency', description: null, required: false },
  ]);

  // The ordinary cleanup sweep picks up the legacy `processing` task (no lease) and the pending ones at once.
  const report = await runCleanup(platform, { outboxAgeSeconds: 0 });
  expect(report.stuckTasksRequeued).toBe(4);
  await platform.dispatcher.drain();

  expect(await counters(inFlight.runningJob)).toEqual(['completed', 3, 3, 0]);
  expect(await counters(inFlight.pendingJob)).toEqual(['completed', 2, 2, 0]);
  const runs = await db.selectFrom('job_runs').select(['job_id', 'status']).execute();
  expect(runs.filter((r) => !['completed', 'partially_completed', 'failed', 'cancelled'].includes(r.status))).toEqual([]);
  expect((await runOf(inFlight.pendingJob)).completed_at).not.toBeNull();

  // The extractor read the legacy objects with the legacy fields, under the user's settings (written once on the run).
  const asked = extractor.calls.map((c) => [c.file.filename, c.file.uri.endsWith(`legacy/${c.file.filename.startsWith('april') ? inFlight.runningJob : inFlight.pendingJob}/${c.file.filename}`), c.fields.map((f) => f.name), c.model]);
  expect(asked.sort()).toEqual([
    ['april-2.pdf', true, ['Vendor', 'Amount'], 'test-model'],
    ['april-3.pdf', true, ['Vendor', 'Amount'], 'test-model'],
    ['may-1.pdf', true, ['Vendor'], 'test-model'],
    ['may-2.pdf', true, ['Vendor'], 'test-model'],
  ]);
  expect((await runOf(inFlight.pendingJob)).extraction_settings).toMatchObject({ model: 'test-model', systemPrompt: { name: 'extraction' } });
  const results = await db.selectFrom('extraction_results').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', (await runOf(inFlight.runningJob)).id).executeTakeFirstOrThrow();
  expect(Number(results.n)).toBe(3);
  const finished = await db.selectFrom('activity_events').select('description').where('kind', '=', 'run_completed').orderBy('description').execute();
  expect(finished.map((e) => e.description)).toEqual(['April invoices run #1 completed - 3 files extracted', 'May invoices run #1 completed - 2 files extracted']);

  // A run can no longer count more finished tasks than it has.
  const run = await runOf(inFlight.settledJob);
  await expect(sql`UPDATE job_runs SET tasks_failed = 1 WHERE id = ${run.id}`.execute(db)).rejects.toThrow(/job_runs_tasks_within_total_check/);
});
