import type { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { openMemoryDatabase, type Database, type DatabaseHandle } from '../../shared/db/connect.js';

/**
 * Migrated PGlite databases for tests, reused instead of loaded afresh.
 *
 * Loading the migrated data-directory dump costs 0.7-1 s of CPU per database (PGlite starts
 * a WebAssembly PostgreSQL and unpacks 40 MB); the suite asks for hundreds. A database a test
 * has closed is instead put back to the state of the dump and handed to the next test of the
 * same worker: TRUNCATE of every table but the migration bookkeeping (identities restart),
 * the migrations' seed rows inserted again, the session reset (`DISCARD ALL`: settings,
 * advisory locks, temporary tables). About 60 ms.
 *
 * Only rows and session state are reset. A test that changed anything else (a table, an index,
 * a role, a grant, a function, a setting of the database, the applied migrations) leaves a
 * catalog whose fingerprint differs from the dump's: that database is closed, not reused.
 *
 * Each lease is exclusive: a test holding two databases holds two instances. A closed lease
 * refuses further queries as a closed PGlite did, so a straggling query of one test cannot
 * land in the next test's database.
 */

/** What a reset database must look like: taken once per worker from a fresh load of the dump. */
interface Baseline {
  fingerprint: string;
  /** Every table to empty (all of schema public but the migration bookkeeping). */
  truncate: string;
  /** The migrations' seed rows, table by table, to insert again after the TRUNCATE. */
  seeds: { table: string; rows: string }[];
}

/** Idle instances are few: each holds its own WebAssembly heap (about 100 MB). */
const MAX_IDLE = 2;
const idle: PGlite[] = [];
let baseline: Promise<Baseline> | undefined;

/** Catalog state that TRUNCATE does not reset; any difference from the baseline retires the instance. */
const FINGERPRINT = `
SELECT md5(string_agg(item, E'\\n' ORDER BY item)) AS fingerprint FROM (
  SELECT concat_ws(' ', 'class', n.nspname, c.relname, c.relkind::text, c.relacl::text, c.reloptions::text) AS item
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL SELECT concat_ws(' ', 'column', a.attrelid::regclass::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attisdropped, pg_get_expr(d.adbin, d.adrelid), a.attacl::text)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND a.attnum > 0
  UNION ALL SELECT concat_ws(' ', 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)) FROM pg_constraint
    WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL SELECT concat_ws(' ', 'index', pg_get_indexdef(indexrelid)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace)
  UNION ALL SELECT concat_ws(' ', 'function', p.oid::regprocedure::text, md5(p.prosrc), p.proacl::text) FROM pg_proc p
    WHERE p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL SELECT concat_ws(' ', 'trigger', tgrelid::regclass::text, tgname, tgenabled::text) FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT concat_ws(' ', 'type', t.oid::regtype::text) FROM pg_type t
    WHERE t.typnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace)
  UNION ALL SELECT concat_ws(' ', 'enum', enumtypid::regtype::text, enumlabel) FROM pg_enum
  UNION ALL SELECT concat_ws(' ', 'schema', nspname, nspacl::text) FROM pg_namespace
  UNION ALL SELECT concat_ws(' ', 'role', rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls, rolconfig::text) FROM pg_roles
  UNION ALL SELECT concat_ws(' ', 'member', roleid::regrole::text, member::regrole::text, admin_option) FROM pg_auth_members
  UNION ALL SELECT concat_ws(' ', 'setting', setdatabase, setrole, setconfig::text) FROM pg_db_role_setting
  UNION ALL SELECT concat_ws(' ', 'default acl', defaclrole::regrole::text, defaclobjtype::text, defaclacl::text) FROM pg_default_acl
  UNION ALL SELECT concat_ws(' ', 'database', datname, datacl::text) FROM pg_database
  UNION ALL SELECT concat_ws(' ', 'extension', extname, extversion) FROM pg_extension
  UNION ALL SELECT concat_ws(' ', 'migration', name) FROM kysely_migration
  UNION ALL SELECT concat_ws(' ', 'migration lock', id, is_locked) FROM kysely_migration_lock
) AS catalog`;

/** A migrated database of its own for the caller; `close()` returns it to this worker's pool. */
export async function leasePglite(dump: string): Promise<DatabaseHandle> {
  const expected = await (baseline ??= loadDump(dump).then(takeBaseline));
  const pglite = idle.pop() ?? await loadDump(dump);
  return lease(pglite, expected);
}

async function loadDump(dump: string): Promise<PGlite> {
  const { readFile } = await import('node:fs/promises');
  // The handle's Kysely is dropped unused: destroying it would close the instance.
  return (await openMemoryDatabase(new Blob([await readFile(dump)]))).pglite;
}

async function takeBaseline(pglite: PGlite): Promise<Baseline> {
  const tables = (await pglite.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'
       AND tablename NOT IN ('kysely_migration', 'kysely_migration_lock') ORDER BY tablename`,
  )).rows.map((r) => r.name);
  const seeds: Baseline['seeds'] = [];
  for (const table of tables) {
    const { rows } = await pglite.query<{ rows: string | null }>(`SELECT json_agg(t)::text AS rows FROM ${table} t`);
    if (rows[0]?.rows) seeds.push({ table, rows: rows[0].rows });
  }
  const fingerprint = (await pglite.query<{ fingerprint: string }>(FINGERPRINT)).rows[0]!.fingerprint;
  idle.push(pglite);
  return { fingerprint, truncate: `TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`, seeds };
}

function lease(pglite: PGlite, expected: Baseline): DatabaseHandle {
  let open = true;
  const refuse = () => Promise.reject(new Error('this test database was closed (its PGlite instance went back to the pool)'));
  // What kysely-pglite-dialect calls: query() for statements, close() when the Kysely is destroyed.
  const client = {
    query: (...args: Parameters<PGlite['query']>) => (open ? pglite.query(...args) : refuse()),
    close: async () => {},
  };
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client as unknown as PGlite) });
  return {
    db,
    engine: 'pglite',
    runScript: async (_executor, script) => {
      if (!open) return refuse();
      await pglite.exec(script);
    },
    close: async () => {
      if (!open) return;
      open = false;
      await db.destroy();
      if (idle.length < MAX_IDLE && await reset(pglite, expected)) idle.push(pglite);
      else await pglite.close();
    },
  };
}

/** Puts `pglite` back to the dump's state; false when it cannot (the test changed more than rows). */
async function reset(pglite: PGlite, expected: Baseline): Promise<boolean> {
  try {
    if (pglite.isInTransaction()) await pglite.exec('ROLLBACK');
    await pglite.exec('DISCARD ALL');
    const { fingerprint } = (await pglite.query<{ fingerprint: string }>(FINGERPRINT)).rows[0]!;
    if (fingerprint !== expected.fingerprint) return false;
    await pglite.transaction(async (tx) => {
      await tx.exec(expected.truncate);
      for (const seed of expected.seeds) {
        await tx.query(`INSERT INTO ${seed.table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${seed.table}, $1::json)`, [seed.rows]);
      }
    });
    return true;
  } catch {
    return false;
  }
}
