import { loadDatabaseConfig } from './config.js';
import { openDatabase, type DatabaseHandle } from './connect.js';
import { migrateToLatest } from './migrate.js';

export type { Database, DatabaseHandle } from './connect.js';
export type * from './schema.js';

let current: Promise<DatabaseHandle> | undefined;

/**
 * The process's one database handle, created on first use and reused by every
 * invocation. The embedded PGlite default migrates itself on first use; a server
 * database is migrated by the deploy step (`npm run migrate`), never on a cold start.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  current ??= (async () => {
    const config = loadDatabaseConfig();
    const handle = await openDatabase(config);
    if (config.kind === 'pglite') await migrateToLatest(handle);
    return handle;
  })();
  current.catch(() => {
    current = undefined;
  });
  return current;
}

/** Closes the process's handle (shutdown, tests). Safe to call twice. */
export async function closeDatabase(): Promise<void> {
  const handle = current;
  current = undefined;
  if (handle) await (await handle).close();
}
