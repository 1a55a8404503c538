import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Migrator, NO_MIGRATIONS, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import type { DatabaseHandle } from './connect.js';

const MIGRATION_FILE = /^(\d{6}_[a-z0-9_]+)\.(up|down)\.sql$/;

/** The `sql/` folder, from the source tree (shared/db) or the build (dist/shared/db). */
export function findSqlDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../../sql'), path.resolve(here, '../../../sql')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`No sql/ folder found above ${here}`);
}

/**
 * Reads `NNNNNN_name.up.sql` / `NNNNNN_name.down.sql` pairs for Kysely's Migrator, which
 * keeps the bookkeeping (kysely_migration), the advisory lock and the transaction.
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor(
    private readonly handle: Pick<DatabaseHandle, 'runScript'>,
    private readonly dir: string = findSqlDir(),
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = await readdir(this.dir);
    const scripts = new Map<string, { up?: string; down?: string }>();
    for (const file of files) {
      const match = MIGRATION_FILE.exec(file);
      if (!match) continue;
      const [, name, direction] = match as unknown as [string, string, 'up' | 'down'];
      const entry = scripts.get(name) ?? {};
      entry[direction] = await readFile(path.join(this.dir, file), 'utf8');
      scripts.set(name, entry);
    }
    const migrations: Record<string, Migration> = {};
    for (const [name, { up, down }] of scripts) {
      if (up === undefined || down === undefined) {
        throw new Error(`Migration ${name} needs both ${name}.up.sql and ${name}.down.sql`);
      }
      migrations[name] = {
        up: (db) => this.handle.runScript(db, up),
        down: (db) => this.handle.runScript(db, down),
      };
    }
    return migrations;
  }
}

export function createMigrator(handle: DatabaseHandle, sqlDir?: string): Migrator {
  return new Migrator({ db: handle.db, provider: new SqlFileMigrationProvider(handle, sqlDir) });
}

/** Applies every pending migration; concurrent callers apply each one once (advisory lock). */
export function migrateToLatest(handle: DatabaseHandle): Promise<MigrationResultSet> {
  return createMigrator(handle).migrateToLatest().then(throwOnError);
}

/**
 * `migrateToLatest` when something is to do: when the bookkeeping already lists exactly
 * the migrations of `sql/` (names only: one `readdir` and one query), the Migrator, which
 * reads every script and takes the lock, is not run at all. The local stack's start uses it
 * (PGlite migrates itself there; on Google Cloud migrations are a deploy step). Answers
 * whether migrations ran.
 */
export async function migrateIfBehind(handle: DatabaseHandle, sqlDir: string = findSqlDir()): Promise<boolean> {
  const expected = new Set((await readdir(sqlDir)).map((file) => MIGRATION_FILE.exec(file)?.[1]).filter((name) => name !== undefined));
  let applied: string[];
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(handle.db);
    applied = rows.map((row) => row.name);
  } catch {
    applied = []; // no bookkeeping yet: a new database
  }
  if (applied.length === expected.size && applied.every((name) => expected.has(name))) return false;
  await migrateToLatest(handle);
  return true;
}

/** Rolls back the last applied migration. */
export function migrateDown(handle: DatabaseHandle): Promise<MigrationResultSet> {
  return createMigrator(handle).migrateDown().then(throwOnError);
}

/** Moves to exactly `target` (a migration name), or to an empty schema with `0`. */
export function migrateTo(handle: DatabaseHandle, target: string): Promise<MigrationResultSet> {
  return createMigrator(handle)
    .migrateTo(target === '0' ? NO_MIGRATIONS : target)
    .then(throwOnError);
}

function throwOnError(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const error = result.error instanceof Error ? result.error : new Error(String(result.error));
    if (failed) error.message = `Migration ${failed.migrationName} (${failed.direction}) failed: ${error.message}`;
    throw error;
  }
  return result;
}
