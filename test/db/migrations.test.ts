import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createMigrator, migrateDown, migrateTo, migrateToLatest } from '../../shared/db/migrate.js';
import { createEmptyDatabase, testEngine, type TestDatabase } from '../support/database.js';
import { insertLegacyData, legacy, legacyTables, snapshotLegacyRows } from './legacy-data.js';

const LEGACY = '000001_legacy_schema';
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

async function tableNames(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

async function appliedMigrations(handle: TestDatabase): Promise<string[]> {
  return (await createMigrator(handle).getMigrations()).filter((m) => m.executedAt).map((m) => m.name);
}

describe(`migrations on ${testEngine}`, () => {
  it('go up, all the way down to an empty schema, and up again', async () => {
    database = await createEmptyDatabase();
    await migrateToLatest(database);
    const tablesAfterFirstUp = await tableNames(database.db);
    expect(tablesAfterFirstUp).toEqual(expect.arrayContaining([
      'users', 'extraction_jobs', 'job_runs', 'extraction_tasks', 'extraction_results', 'job_exports',
      'integration_accounts', 'automations', 'automation_runs', 'connector_jobs', 'activity_events',
      'operations', 'operation_steps', 'user_settings', 'outbox', 'system_prompts', 'oauth_states',
    ]));

    await migrateTo(database, '0');
    expect(await tableNames(database.db)).toEqual([]);
    expect(await appliedMigrations(database)).toEqual([]);

    await migrateToLatest(database);
    expect(await tableNames(database.db)).toEqual(tablesAfterFirstUp);
  });

  it('roll back one step at a time', async () => {
    database = await createEmptyDatabase();
    await migrateToLatest(database);
    const all = await appliedMigrations(database);
    for (let i = all.length - 1; i >= 0; i--) {
      await migrateDown(database);
      expect(await appliedMigrations(database)).toEqual(all.slice(0, i));
    }
  });

  it('seed run #1 for every legacy job with tasks and re-point its tasks and results', async () => {
    database = await createEmptyDatabase();
    await migrateTo(database, LEGACY);
    await insertLegacyData(database.db);
    await migrateToLatest(database);
    const db = database.db;

    const runs = await db.selectFrom('job_runs').selectAll().orderBy('job_id').execute();
    expect(runs.map((r) => [r.job_id, r.run_number, r.status, r.trigger, r.tasks_total, r.tasks_completed, r.tasks_failed])).toEqual([
      [legacy.jobWithResults, 1, 'completed', 'legacy', 2, 2, 0],
      [legacy.jobWithTasksOnly, 1, 'failed', 'legacy', 1, 0, 1],
      [legacy.bobJob, 1, 'partially_completed', 'legacy', 2, 1, 1],
    ]);
    const first = runs.find((r) => r.job_id === legacy.jobWithResults)!;
    expect(first.started_at?.toISOString()).toBe('2025-03-01T10:01:00.000Z');
    expect(first.completed_at?.toISOString()).toBe('2025-03-01T10:03:00.000Z');

    // A job that never ran has no run (and so shows no history).
    expect(runs.some((r) => r.job_id === legacy.jobWithoutTasks)).toBe(false);

    // Historical retrieval (seed 000 §8): tasks and results linked to run #1, no exports.
    const tasks = await db.selectFrom('extraction_tasks').select(['id', 'run_id', 'job_id', 'status']).execute();
    for (const task of tasks) {
      const run = runs.find((r) => r.id === task.run_id);
      expect(run?.job_id).toBe(task.job_id);
    }
    expect(tasks.find((t) => t.status === 'running')).toBeDefined(); // legacy 'processing'
    const results = await db.selectFrom('extraction_results').innerJoin('extraction_tasks', 'extraction_tasks.id', 'extraction_results.task_id')
      .select(['extraction_results.run_id as resultRun', 'extraction_tasks.run_id as taskRun']).execute();
    expect(results).toHaveLength(3);
    for (const r of results) expect(r.resultRun).toBe(r.taskRun);
    expect(await db.selectFrom('job_exports').selectAll().execute()).toEqual([]);

    const files = await db.selectFrom('source_files').select('source_type').distinct().execute();
    expect(files).toEqual([{ source_type: 'upload' }]);
  });

  it('roll back to the legacy schema and forward again without losing or changing a legacy row', async () => {
    database = await createEmptyDatabase();
    await migrateTo(database, LEGACY);
    await insertLegacyData(database.db);
    const before = await snapshotLegacyRows(database.db);

    await migrateToLatest(database);
    // Work done after the cut-over: run #2 of a legacy job with a task and a result.
    const db = database.db;
    const run2 = await db.insertInto('job_runs').values({ job_id: legacy.jobWithResults, run_number: 2, status: 'completed' }).returning('id').executeTakeFirstOrThrow();
    const task = await db.insertInto('extraction_tasks').values({ run_id: run2.id, status: 'completed' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('extraction_results').values({ run_id: run2.id, task_id: task.id, extracted_data: JSON.stringify({ columns: [], results: [] }), engine: 'local-text-v1' }).execute();

    await migrateTo(database, LEGACY);
    const afterRollback = await snapshotLegacyRows(database.db);
    for (const table of legacyTables) {
      const added = afterRollback[table]!.length - before[table]!.length;
      expect(added, table).toBe(table === 'extraction_tasks' || table === 'extraction_results' ? 1 : 0);
      expect(afterRollback[table]!.filter((row) => before[table]!.some((b) => JSON.stringify(b) === JSON.stringify(row))), table).toEqual(before[table]);
    }
    // The post-cut-over task went back to its job through its run.
    const { rows } = await sql<{ job_id: string }>`SELECT job_id FROM extraction_tasks WHERE id = ${task.id}`.execute(database.db);
    expect(rows[0]!.job_id).toBe(legacy.jobWithResults);

    await migrateToLatest(database);
    expect(await snapshotLegacyRows(database.db)).toEqual(afterRollback);
    const runs = await database.db.selectFrom('job_runs').select(['job_id', 'run_number']).orderBy('job_id').execute();
    expect(runs.filter((r) => r.run_number === 1)).toHaveLength(3);
  });

  it('apply once when two migrate calls race', async () => {
    database = await createEmptyDatabase();
    const second = database.url
      ? await (await import('../../shared/db/connect.js')).openDatabase({ kind: 'postgres', url: database.url, poolMax: 2, statementTimeoutMs: 60_000 })
      : database;
    try {
      const [a, b] = await Promise.all([migrateToLatest(database), migrateToLatest(second)]);
      const applied = [...(a.results ?? []), ...(b.results ?? [])].map((r) => r.migrationName);
      expect(applied.sort()).toEqual((await appliedMigrations(database)).sort());
      expect(new Set(applied).size).toBe(applied.length);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(database.db);
      expect(rows[0]!.n).toBe(applied.length);
    } finally {
      if (second !== database) await second.close();
    }
  });
});
