import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openDatabase, openMemoryDatabase, type DatabaseHandle } from '../../shared/db/connect.js';
import { adminQuery, withDatabase } from './global-setup.js';
import { leasePglite } from './pglite-pool.js';

export type TestDatabase = DatabaseHandle & {
  /** The connection string of this database (PostgreSQL only), for code that opens its own pool. */
  url: string | null;
};

/** Which engine this test run uses: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const testEngine: 'postgres' | 'pglite' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A fully migrated database of its own, holding only the migrations' seed rows; `close()`
 * drops it. PostgreSQL: a clone of the migrated template. PGlite: a pooled instance put back
 * to the migrated state (test/support/pglite-pool.ts).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  if (template) return clonePostgres(template);
  const dump = inject('pgliteDump');
  if (!dump) throw new Error('test/support/global-setup.ts did not run');
  return { ...(await leasePglite(dump)), url: null };
}

/**
 * A fresh database with no schema at all (for migration tests). PGlite: loaded from a dump
 * of a new, unmigrated data directory, which skips initdb (seconds of CPU each time).
 */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) return clonePostgres('template0');
  const dump = inject('pgliteEmptyDump');
  if (!dump) throw new Error('test/support/global-setup.ts did not run');
  return { ...(await openMemoryDatabase(new Blob([await readFile(dump)]))), url: null };
}

async function clonePostgres(template: string): Promise<TestDatabase> {
  const admin = process.env.DATABASE_URL!;
  const name = `br_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(admin, name);
  const handle = await openDatabase({ kind: 'postgres', url, poolMax: 10, statementTimeoutMs: 60_000 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
