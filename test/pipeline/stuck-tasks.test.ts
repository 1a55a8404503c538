import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { initializeRun } from '../../shared/runs/initialize-run.js';
import { requestRun } from '../../shared/runs/request-run.js';
import { claimTask } from '../../shared/runs/tasks.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
afterEach(() => platform?.close());

it('a task left running by a dead worker is reclaimed by the sweep after its lease and the run completes', async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  const db = platform.database.db;
  await db.insertInto('users').values({ id: 'alice' }).execute();
  const job = await db.insertInto('extraction_jobs').values({ user_id: 'alice', name: 'J' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('job_fields').values({ job_id: job.id, field_name: 'Name', data_type_id: 'text' }).execute();
  await db.insertInto('source_files').values({ job_id: job.id, original_filename: 'a.pdf', gcs_object_name: 'a/1', file_type: 'application/pdf', file_size_bytes: 8 }).execute();
  const { outboxIds } = await requestRun(db, { userId: 'alice', jobId: job.id, trigger: 'manual' });
  const [message] = await db.selectFrom('outbox').select('payload').where('id', 'in', outboxIds).execute();
  await initializeRun(db, message!.payload as never, 'test-model');
  await db.updateTable('outbox').set({ relayed_at: sql`now()` }).execute(); // its messages were delivered...
  const task = await db.selectFrom('extraction_tasks').select('id').executeTakeFirstOrThrow();
  expect(await claimTask(db, task.id, 'worker-that-dies')).toBeDefined(); // ...and its worker died holding it.

  // Within the lease nothing happens; a duplicate delivery cannot steal the task either.
  expect((await runCleanup(platform, { outboxAgeSeconds: 0 })).stuckTasksRequeued).toBe(0);
  expect(await claimTask(db, task.id, 'another-worker')).toBeUndefined();

  await db.updateTable('extraction_tasks').set({ locked_at: sql`now() - interval '11 minutes'` }).execute();
  expect((await runCleanup(platform, { outboxAgeSeconds: 0 })).stuckTasksRequeued).toBe(1);
  await platform.dispatcher.drain();
  const done = await db.selectFrom('extraction_tasks').select(['status', 'attempts', 'locked_by']).executeTakeFirstOrThrow();
  expect(done).toEqual({ status: 'completed', attempts: 2, locked_by: null });
  const run = await db.selectFrom('job_runs').select(['status', 'tasks_completed']).executeTakeFirstOrThrow();
  expect(run).toEqual({ status: 'completed', tasks_completed: 1 });
});
