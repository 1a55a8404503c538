import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../shared/db/index.js';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/database.js';
import { insertWorld } from './world.js';

let database: TestDatabase;
let db: Kysely<Database>;
beforeEach(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterEach(() => database.close());

async function count(table: keyof Database): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe(`cascading deletes on ${testEngine}`, () => {
  it('deleting a run removes its tasks, results and exports and nothing of another user', async () => {
    const alice = await insertWorld(db, 'alice');
    await insertWorld(db, 'bob');
    await db.deleteFrom('job_runs').where('id', '=', alice.runId).execute();
    expect(await count('extraction_tasks')).toBe(1);
    expect(await count('extraction_results')).toBe(1);
    expect(await count('job_exports')).toBe(1);
    // The automation run outlives its job run, unlinked.
    const automationRun = await db.selectFrom('automation_runs').select('run_id').where('id', '=', alice.automationRunId).executeTakeFirstOrThrow();
    expect(automationRun.run_id).toBeNull();
    // The job, its fields and files stay.
    expect(await db.selectFrom('extraction_jobs').where('id', '=', alice.jobId).select('id').executeTakeFirst()).toBeDefined();
  });

  it('deleting a job removes its runs, fields, files, tasks, results, exports and automations', async () => {
    const alice = await insertWorld(db, 'alice');
    await insertWorld(db, 'bob');
    await db.deleteFrom('extraction_jobs').where('id', '=', alice.jobId).execute();
    for (const table of ['job_runs', 'job_fields', 'source_files', 'extraction_tasks', 'extraction_results', 'job_exports', 'automations', 'automation_runs', 'connector_jobs'] as const) {
      expect(await count(table), table).toBe(1);
    }
  });

  it('deleting a source file keeps the history of runs that read it', async () => {
    const alice = await insertWorld(db, 'alice');
    await db.deleteFrom('source_files').where('id', '=', alice.fileId).execute();
    const task = await db.selectFrom('extraction_tasks').select(['id', 'source_file_id']).where('id', '=', alice.taskId).executeTakeFirstOrThrow();
    expect(task.source_file_id).toBeNull();
    expect(await count('extraction_results')).toBe(1);
  });

  it('deleting a user removes everything they own and nothing of another user', async () => {
    await insertWorld(db, 'alice');
    await insertWorld(db, 'bob');
    await db.deleteFrom('users').where('id', '=', 'alice').execute();
    for (const table of ['extraction_jobs', 'templates', 'job_runs', 'extraction_tasks', 'extraction_results', 'job_exports', 'automations',
      'integration_accounts', 'connector_jobs', 'activity_events', 'oauth_states', 'operations', 'operation_steps', 'user_settings'] as const) {
      expect(await count(table), table).toBe(1);
    }
  });
});
