import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { grantApplicationRole } from '../../shared/db/grant.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let user: string;

beforeEach(async () => {
  database = await createTestDatabase();
  // Stands in for a function's IAM database user (Terraform's google_sql_user).
  user = `br-fn-${randomBytes(4).toString('hex')}@bytereview-test.iam`;
  await sql`CREATE ROLE ${sql.id(user)} LOGIN`.execute(database.db);
});

afterEach(async () => {
  await sql`DROP OWNED BY ${sql.id(user)}`.execute(database.db);
  await sql`DROP ROLE ${sql.id(user)}`.execute(database.db);
  await database.close();
});

/** Runs `statement` as the user, in a transaction rolled back afterwards; answers the SQLSTATE it failed with, or 'ok'. */
async function asUser(statement: ReturnType<typeof sql>): Promise<string> {
  return database.db.connection().execute(async (conn) => {
    await sql`BEGIN`.execute(conn);
    try {
      await sql`SET LOCAL ROLE ${sql.id(user)}`.execute(conn);
      await statement.execute(conn);
      return 'ok';
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    } finally {
      await sql`ROLLBACK`.execute(conn);
    }
  });
}

describe('the application role (npm run db:grant)', () => {
  it('a function user can read and write the tables only once it holds the role', async () => {
    expect(await asUser(sql`SELECT count(*) FROM extraction_jobs`)).toBe('42501');
    await grantApplicationRole(database.db, [user]);
    await grantApplicationRole(database.db, [user]);
    expect(await asUser(sql`SELECT count(*) FROM extraction_jobs`)).toBe('ok');
    expect(await asUser(sql`INSERT INTO users (id, email) VALUES ('u-grant', 'grant@example.com')`)).toBe('ok');
    expect(await asUser(sql`DELETE FROM outbox`)).toBe('ok');
  });

  it('a function user may change no schema and touch no migration bookkeeping', async () => {
    await grantApplicationRole(database.db, [user]);
    expect(await asUser(sql`CREATE TABLE intruder (id int)`)).toBe('42501');
    expect(await asUser(sql`DROP TABLE outbox`)).toBe('42501');
    expect(await asUser(sql`ALTER TABLE users ADD COLUMN x int`)).toBe('42501');
    expect(await asUser(sql`SELECT * FROM kysely_migration`)).toBe('42501');
    expect(await asUser(sql`DELETE FROM kysely_migration_lock`)).toBe('42501');
  });

  it('granting to a user that does not exist names it', async () => {
    await expect(grantApplicationRole(database.db, ['nobody@bytereview-test.iam'])).rejects.toThrow('database user "nobody@bytereview-test.iam" does not exist');
  });
});
