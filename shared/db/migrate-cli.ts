/**
 * `npm run migrate`               apply every pending migration
 * `npm run migrate -- down`       roll back the last one
 * `npm run migrate -- to <name>`  move to exactly that migration (`to 0`: empty schema)
 * `npm run migrate -- status`     list migrations and whether each is applied
 * Targets DATABASE_URL (or CLOUD_SQL_INSTANCE) when set, else the embedded PGlite folder.
 */
import type { MigrationResultSet } from 'kysely/migration';
import { loadDatabaseConfig } from './config.js';
import { openDatabase } from './connect.js';
import { createMigrator, migrateDown, migrateTo, migrateToLatest } from './migrate.js';

const [command = 'latest', target] = process.argv.slice(2);
const config = loadDatabaseConfig();
const where = config.kind === 'pglite' ? `PGlite at ${config.dataDir}` : config.kind === 'postgres' ? 'DATABASE_URL' : `Cloud SQL ${config.instanceConnectionName}`;
const handle = await openDatabase(config);

function report(result: MigrationResultSet): void {
  const done = result.results ?? [];
  if (done.length === 0) console.log(`${where}: nothing to do`);
  for (const r of done) console.log(`${where}: ${r.direction === 'Up' ? 'applied' : 'rolled back'} ${r.migrationName}`);
}

try {
  switch (command) {
    case 'latest':
    case 'up':
      report(await migrateToLatest(handle));
      break;
    case 'down':
      report(await migrateDown(handle));
      break;
    case 'to':
      if (!target) throw new Error('usage: npm run migrate -- to <migration name | 0>');
      report(await migrateTo(handle, target));
      break;
    case 'status':
      for (const m of await createMigrator(handle).getMigrations()) {
        console.log(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}`);
      }
      break;
    default:
      throw new Error(`unknown command "${command}": use latest, down, to <name|0> or status`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
