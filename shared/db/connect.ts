import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from './config.js';
import type { DB } from './schema.js';

export type Database = DB;

/** A connected database: the Kysely instance and what only the connection layer knows. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: 'postgres' | 'pglite';
  /** Runs a multi-statement SQL script (a migration file) inside `executor`'s transaction. */
  runScript(executor: Kysely<any>, script: string): Promise<void>;
  close(): Promise<void>;
}

// int8 (bigint, identity columns, count(*)) arrives as a number on both engines (pglite.ts
// parses it the same way): every such value here (sizes, counters, outbox ids) stays far below 2^53.
const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

/** Opens the database `config` names. Does not migrate: see `migrateToLatest`. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  switch (config.kind) {
    case 'postgres':
      return fromPool(
        new pg.Pool({
          connectionString: config.url,
          max: config.poolMax,
          idleTimeoutMillis: 30_000,
          connectionTimeoutMillis: 10_000,
          statement_timeout: config.statementTimeoutMs,
          types: pgTypes,
        }),
      );
    case 'cloud-sql':
      return openCloudSql(config);
    case 'pglite':
      // Imported on this branch only: a deployed function never loads PGlite.
      return (await import('./pglite.js')).openPgliteDatabase(config.dataDir);
  }
}

/** An in-memory PGlite database (tests, benchmarks). */
export async function openMemoryDatabase(loadDataDir?: Blob): Promise<DatabaseHandle & { pglite: PGlite }> {
  return (await import('./pglite.js')).openMemoryPglite(loadDataDir);
}

/** pg type parsers matching PGlite's (int8 as a number). */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** Wraps a pg pool the caller built (benchmarks count its statements). */
export function fromPool(pool: pg.Pool, onClose?: () => Promise<void> | void): DatabaseHandle {
  // An idle client whose connection drops (server restart, failover, a dropped test
  // database) is discarded by the pool; without a listener Node would crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    // No parameters: pg sends the simple query protocol, which runs several statements.
    runScript: async (executor, script) => {
      await sql.raw(script).execute(executor);
    },
    close: async () => {
      await db.destroy();
      await onClose?.();
    },
  };
}

async function openCloudSql(config: Extract<DatabaseConfig, { kind: 'cloud-sql' }>): Promise<DatabaseHandle> {
  // Imported here so local runs never load the connector.
  const { Connector, AuthTypes, IpAddressTypes } = await import('@google-cloud/cloud-sql-connector');
  const { processGoogleAuth } = await import('../google/process-auth.js');
  const connector = new Connector({ auth: processGoogleAuth() });
  const clientOptions = await connector.getOptions({
    instanceConnectionName: config.instanceConnectionName,
    ipType: IpAddressTypes[config.ipType],
    authType: AuthTypes.IAM,
  });
  const pool = new pg.Pool({
    ...clientOptions,
    user: config.user,
    database: config.database,
    // Sized for the function's concurrency: one connection per in-flight request.
    max: config.poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    statement_timeout: config.statementTimeoutMs,
    types: pgTypes,
  });
  return fromPool(pool, () => connector.close());
}
