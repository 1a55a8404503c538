import { z } from 'zod';
import { ConfigError, isProduction, optionalString, parseEnv } from '../config.js';

/** Which database a process talks to; see README "Settings". */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolMax: number; statementTimeoutMs: number }
  | {
      kind: 'cloud-sql';
      instanceConnectionName: string;
      user: string;
      database: string;
      ipType: 'PUBLIC' | 'PRIVATE' | 'PSC';
      poolMax: number;
      statementTimeoutMs: number;
    }
  | { kind: 'pglite'; dataDir: string };

const databaseEnv = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  CLOUD_SQL_INSTANCE: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9-:.]+:[a-z0-9-]+:[a-z0-9-]+$/, 'must be an instance connection name, project:region:instance')
      .optional(),
  ),
  CLOUD_SQL_IAM_USER: optionalString,
  CLOUD_SQL_DATABASE: z.string().min(1).default('bytereview'),
  CLOUD_SQL_IP_TYPE: z.enum(['PUBLIC', 'PRIVATE', 'PSC']).default('PRIVATE'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  DATA_DIR: z.string().min(1).default('.data'),
});

/**
 * What production needs to reach its database: a server (Cloud SQL with IAM
 * authentication, or a connection string), never the embedded PGlite.
 */
export const productionDatabaseEnv = z.union([
  z.object({ CLOUD_SQL_INSTANCE: z.string().min(1), CLOUD_SQL_IAM_USER: z.string().min(1) }),
  z.object({ DATABASE_URL: z.string().min(1) }),
], { error: 'CLOUD_SQL_INSTANCE: required in production with CLOUD_SQL_IAM_USER, or DATABASE_URL instead (the embedded PGlite is never used there)' });

/**
 * Chooses the database from the environment: `DATABASE_URL` -> a pg pool;
 * `CLOUD_SQL_INSTANCE` -> the Cloud SQL connector with IAM authentication;
 * neither -> PGlite in `<DATA_DIR>/pglite`, outside production only: in production
 * (APP_ENV=production or on Google Cloud) a missing database setting is a ConfigError.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const e = parseEnv(databaseEnv, env);
  if (e.DATABASE_URL && e.CLOUD_SQL_INSTANCE) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: set either DATABASE_URL or CLOUD_SQL_INSTANCE, not both');
  }
  if (e.DATABASE_URL) {
    return { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DB_POOL_MAX, statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS };
  }
  if (e.CLOUD_SQL_INSTANCE) {
    if (!e.CLOUD_SQL_IAM_USER) {
      throw new ConfigError(
        'Invalid configuration:\n  CLOUD_SQL_IAM_USER: required with CLOUD_SQL_INSTANCE (the IAM database user, e.g. the service account email without .gserviceaccount.com)',
      );
    }
    return {
      kind: 'cloud-sql',
      instanceConnectionName: e.CLOUD_SQL_INSTANCE,
      user: e.CLOUD_SQL_IAM_USER,
      database: e.CLOUD_SQL_DATABASE,
      ipType: e.CLOUD_SQL_IP_TYPE,
      poolMax: e.DB_POOL_MAX,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    };
  }
  if (isProduction(env)) parseEnv(productionDatabaseEnv, env);
  return { kind: 'pglite', dataDir: `${e.DATA_DIR}/pglite` };
}
