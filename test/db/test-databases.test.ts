import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../support/database.js';

/**
 * Every test database starts as the migrations leave it, whatever the test before did with
 * its own (on PGlite the instance is reused: test/support/pglite-pool.ts).
 */
describe(`test databases (${testEngine})`, () => {
  it('start with no rows but the seeds, a default session, and refuse queries once closed', async () => {
    const first = await createTestDatabase();
    const seeds = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM data_types`.execute(first.db)).rows[0]!.n;
    expect(seeds).toBeGreaterThan(0);
    await sql`INSERT INTO users (id, email) VALUES ('u-left-behind', 'left@example.com')`.execute(first.db);
    await sql`DELETE FROM data_types`.execute(first.db);
    await first.db.insertInto('outbox').values([{ kind: 'topic', name: 'run.requested', payload: JSON.stringify({}) }, { kind: 'topic', name: 'run.requested', payload: JSON.stringify({}) }]).execute();
    await sql`SET TIME ZONE 'America/New_York'`.execute(first.db);
    await sql`SELECT pg_advisory_lock(42)`.execute(first.db);
    await sql`BEGIN`.execute(first.db);
    await sql`INSERT INTO users (id, email) VALUES ('u-in-open-transaction', 'open@example.com')`.execute(first.db);
    await first.close();
    await expect(sql`SELECT 1`.execute(first.db)).rejects.toThrow();

    const second = await createTestDatabase();
    try {
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(second.db)).rows[0]!.n).toBe(0);
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM data_types`.execute(second.db)).rows[0]!.n).toBe(seeds);
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(second.db)).rows[0]!.n).toBe(0);
      expect((await sql<{ tz: string }>`SELECT current_setting('TimeZone') AS tz`.execute(second.db)).rows[0]!.tz).not.toBe('America/New_York');
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`.execute(second.db)).rows[0]!.n).toBe(0);
      // Identities start again: the first outbox row of every test database is id 1.
      const { id } = await second.db.insertInto('outbox').values({ kind: 'topic', name: 'run.requested', payload: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
      expect(id).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('a database whose schema a test changed is not handed out again', async () => {
    const changed = await createTestDatabase();
    await sql`CREATE TABLE left_behind (id int)`.execute(changed.db);
    await sql`ALTER TABLE users ADD COLUMN left_behind int`.execute(changed.db);
    await changed.close();
    const next = await createTestDatabase();
    try {
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'left_behind'`.execute(next.db)).rows[0]!.n).toBe(0);
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.columns WHERE column_name = 'left_behind'`.execute(next.db)).rows[0]!.n).toBe(0);
    } finally {
      await next.close();
    }
  });

  it('two databases held at once are two databases', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      await sql`INSERT INTO users (id, email) VALUES ('only-in-a', 'a@example.com')`.execute(a.db);
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(b.db)).rows[0]!.n).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
