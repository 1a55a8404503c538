import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, openMemoryDatabase } from '../../shared/db/connect.js';
import { migrateToLatest } from '../../shared/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Postgres: the migrated template database every test database is cloned from. */
    templateDatabase: string | null;
    /** PGlite: a dump of a migrated data directory every test database is loaded from. */
    pgliteDump: string | null;
    /** PGlite: a dump of a new data directory before any migration (createEmptyDatabase). */
    pgliteEmptyDump: string | null;
  }
}

/**
 * Migrates once per test run, then every test gets a cheap copy: `CREATE DATABASE ...
 * TEMPLATE` on PostgreSQL (graphile/worker, immich and trigger.dev do the same), a loaded
 * data-directory dump on PGlite (reused within a worker: test/support/pglite-pool.ts). On
 * PGlite also dumps the new data directory before migrating, for createEmptyDatabase.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `br_template_${randomBytes(4).toString('hex')}`;
    await adminQuery(url, `CREATE DATABASE ${template}`);
    const handle = await openDatabase({ kind: 'postgres', url: withDatabase(url, template), poolMax: 2, statementTimeoutMs: 60_000 });
    await migrateToLatest(handle);
    await handle.close();
    project.provide('templateDatabase', template);
    project.provide('pgliteDump', null);
    project.provide('pgliteEmptyDump', null);
    return async () => {
      await adminQuery(url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'br-pglite-'));
  const handle = await openMemoryDatabase();
  const emptyFile = path.join(dir, 'empty.tar');
  await writeFile(emptyFile, Buffer.from(await (await handle.pglite.dumpDataDir('none')).arrayBuffer()));
  await migrateToLatest(handle);
  const file = path.join(dir, 'migrated.tar');
  await writeFile(file, Buffer.from(await (await handle.pglite.dumpDataDir('none')).arrayBuffer()));
  await handle.close();
  project.provide('templateDatabase', null);
  project.provide('pgliteDump', file);
  project.provide('pgliteEmptyDump', emptyFile);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
