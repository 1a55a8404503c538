import { describe, expect, it } from 'vitest';
import { loadDatabaseConfig } from '../../shared/db/config.js';

describe('database configuration', () => {
  it('DATABASE_URL selects a pg pool', () => {
    expect(loadDatabaseConfig({ DATABASE_URL: 'postgres://u@h:5432/db', DB_POOL_MAX: '3' })).toMatchObject({ kind: 'postgres', url: 'postgres://u@h:5432/db', poolMax: 3 });
  });

  it('a Cloud SQL instance selects the connector with IAM authentication', () => {
    expect(loadDatabaseConfig({ CLOUD_SQL_INSTANCE: 'proj:europe-west1:main', CLOUD_SQL_IAM_USER: 'api-sa@proj.iam' })).toMatchObject({
      kind: 'cloud-sql', instanceConnectionName: 'proj:europe-west1:main', user: 'api-sa@proj.iam', database: 'bytereview', ipType: 'PRIVATE',
    });
  });

  it('neither selects PGlite in the data folder', () => {
    expect(loadDatabaseConfig({ DATA_DIR: '/tmp/x' })).toEqual({ kind: 'pglite', dataDir: '/tmp/x/pglite' });
    expect(loadDatabaseConfig({ DATABASE_URL: '' })).toEqual({ kind: 'pglite', dataDir: '.data/pglite' });
  });

  it('a bad value stops start-up with a message naming the variable but not its value', () => {
    const secretish = 'mysql://root:hunter2@db/x';
    expect(() => loadDatabaseConfig({ DATABASE_URL: secretish })).toThrow(/DATABASE_URL: must be a postgres:\/\//);
    try {
      loadDatabaseConfig({ DATABASE_URL: secretish });
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
    expect(() => loadDatabaseConfig({ DB_POOL_MAX: 'lots' })).toThrow(/DB_POOL_MAX/);
    expect(() => loadDatabaseConfig({ CLOUD_SQL_INSTANCE: 'not-an-instance' })).toThrow(/CLOUD_SQL_INSTANCE: must be an instance connection name/);
    expect(() => loadDatabaseConfig({ CLOUD_SQL_INSTANCE: 'p:r:i' })).toThrow(/CLOUD_SQL_IAM_USER: required/);
    expect(() => loadDatabaseConfig({ CLOUD_SQL_INSTANCE: 'p:r:i', DATABASE_URL: 'postgres://h/db' })).toThrow(/not both/);
  });
});
