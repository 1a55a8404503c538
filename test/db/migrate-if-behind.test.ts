import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrateDown, migrateIfBehind } from '../../shared/db/migrate.js';
import { createEmptyDatabase, type TestDatabase } from '../support/database.js';

// The local stack's start skips the Migrator when the database is current (issue 13).
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

const applied = async (db: TestDatabase) => (await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(db.db)).rows[0]!.n;

it('migrates a new database, skips a current one, and migrates again once one is missing', async () => {
  database = await createEmptyDatabase();
  expect(await migrateIfBehind(database)).toBe(true);
  const all = await applied(database);
  expect(all).toBeGreaterThan(10);
  expect(await migrateIfBehind(database)).toBe(false);
  await migrateDown(database);
  expect(await applied(database)).toBe(all - 1);
  expect(await migrateIfBehind(database)).toBe(true);
  expect(await applied(database)).toBe(all);
}, 120_000);
