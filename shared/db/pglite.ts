import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type Dialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database, DatabaseHandle } from './connect.js';

// int8 (bigint, identity columns, count(*)) arrives as a number, as pg's parser does it
// (connect.ts): every such value here (sizes, counters, outbox ids) stays far below 2^53.
const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

/**
 * The embedded database (PostgreSQL in WebAssembly): the local stack's and the tests'.
 * Imported only on the embedded branch of `openDatabase`, so a deployed function never
 * loads PGlite (its bundle leaves this module out).
 */
export async function openPgliteDatabase(dataDir: string): Promise<DatabaseHandle> {
  await mkdir(dataDir, { recursive: true });
  return fromPglite(new PGlite(dataDir, { parsers: { [INT8_OID]: parseInt8 } }));
}

/** An in-memory PGlite database (tests, benchmarks). */
export async function openMemoryPglite(loadDataDir?: Blob): Promise<DatabaseHandle & { pglite: PGlite }> {
  const pglite = new PGlite({ parsers: { [INT8_OID]: parseInt8 }, loadDataDir });
  await pglite.waitReady;
  return { ...fromPglite(pglite), pglite };
}

function fromPglite(pglite: PGlite): DatabaseHandle {
  const dialect: Dialect = new PGliteDialect(pglite);
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    engine: 'pglite',
    // PGlite's query() is one prepared statement; exec() runs a script. PGlite is a single
    // session, so exec() lands inside the transaction the migrator has open on it.
    runScript: async (_executor, script) => {
      await pglite.exec(script);
    },
    close: () => db.destroy(),
  };
}
