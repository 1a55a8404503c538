import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
afterEach(() => platform?.close());

const ago = (days: number) => sql<Date>`now() - make_interval(days => ${days})`;

/** One row of every kind that grows, `days` old, for alice (whose activity is kept 30 days). */
async function seedAged(days: number, tag: string) {
  const db = platform.database.db;
  await db.insertInto('users').values({ id: 'alice' }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('user_settings').values({ user_id: 'alice', activity_retention_days: 30 }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('activity_events').values({ user_id: 'alice', kind: 'run_started', description: tag, created_at: ago(days) }).execute();
  const op = await db.insertInto('operations').values({ user_id: 'alice', kind: 'run', status: 'completed', stage: tag, created_at: ago(days), completed_at: ago(days) })
    .returning('id').executeTakeFirstOrThrow();
  await db.insertInto('operation_steps').values({ operation_id: op.id, step_key: 'initialize', step_name: 'run.initialize', event_status: 'completed' }).execute();
  await db.insertInto('outbox').values({ kind: 'topic', name: 'run.completed', payload: JSON.stringify({ tag }), created_at: ago(days), relayed_at: ago(days) }).execute();
  const account = await db.insertInto('integration_accounts').values({ user_id: 'alice', provider: 'google', provider_account_id: tag }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('connector_jobs').values({ integration_account_id: account.id, job_type: 'drive_import', status: 'success', finished_at: ago(days), payload: JSON.stringify({ tag }) }).execute();
}

const tagsIn = async (table: 'activity_events' | 'operations', column: 'description' | 'stage') =>
  (await platform.database.db.selectFrom(table).select(sql<string>`${sql.ref(column)}`.as('tag')).execute()).map((r) => r.tag).sort();

describe('retention', () => {
  it('at 31 days activity, finished operations with their steps, relayed outbox rows and finished imports go; at 29 days they stay', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const db = platform.database.db;
    await seedAged(29, 'day29');
    await seedAged(31, 'day31');
    // Never deleted by age: work still going on, a message not yet relayed.
    await db.insertInto('operations').values({ user_id: 'alice', kind: 'drive_import', status: 'in_progress', stage: 'running', created_at: ago(60) }).execute();
    await db.insertInto('outbox').values({ kind: 'topic', name: 'run.completed', payload: JSON.stringify({ tag: 'unrelayed' }), created_at: ago(60) }).execute();

    const report = await runCleanup(platform, { retention: { batchSize: 1 } });
    expect(report).toMatchObject({ activityEventsDeleted: 1, operationsDeleted: 1, outboxRowsDeleted: 1, connectorJobsDeleted: 1 });

    expect(await tagsIn('activity_events', 'description')).toEqual(['day29']);
    expect(await tagsIn('operations', 'stage')).toEqual(['day29', 'running']);
    expect(await db.selectFrom('operation_steps').select('id').execute()).toHaveLength(1);
    const outbox = await db.selectFrom('outbox').select(sql<string>`payload->>'tag'`.as('tag')).execute();
    expect(outbox.map((r) => r.tag).sort()).toEqual(['day29', 'unrelayed']);
    const imports = await db.selectFrom('connector_jobs').select(sql<string>`payload->>'tag'`.as('tag')).execute();
    expect(imports.map((r) => r.tag)).toEqual(['day29']);
  });

  it('activity follows each user\'s activity_retention_days', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const db = platform.database.db;
    await db.insertInto('users').values([{ id: 'alice' }, { id: 'bob' }]).execute();
    await db.insertInto('user_settings').values({ user_id: 'alice', activity_retention_days: 30 }).execute();
    await db.insertInto('activity_events').values([
      { user_id: 'alice', kind: 'run_started', description: 'alice-31', created_at: ago(31) },
      { user_id: 'bob', kind: 'run_started', description: 'bob-31', created_at: ago(31) },
      { user_id: 'bob', kind: 'run_started', description: 'bob-91', created_at: ago(91) },
    ]).execute();
    await runCleanup(platform);
    // Bob never changed his: the default 90 days.
    expect(await tagsIn('activity_events', 'description')).toEqual(['bob-31']);
  });

  it('deletes in bounded batches: a sweep stops after maxBatches and the next one goes on', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const db = platform.database.db;
    await db.insertInto('users').values({ id: 'alice' }).execute();
    await db.insertInto('outbox').values(Array.from({ length: 5 }, (_, i) => ({ kind: 'topic', name: 'run.completed', payload: JSON.stringify({ i }), relayed_at: ago(40) }))).execute();
    const first = await runCleanup(platform, { retention: { batchSize: 2, maxBatches: 2 } });
    expect(first.outboxRowsDeleted).toBe(4);
    const second = await runCleanup(platform, { retention: { batchSize: 2, maxBatches: 2 } });
    expect(second.outboxRowsDeleted).toBe(1);
    expect(await db.selectFrom('outbox').select('id').execute()).toEqual([]);
  });

  it('expired OAuth states go, and an upload never finished goes with its object after a day', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const db = platform.database.db;
    await db.insertInto('users').values({ id: 'alice' }).execute();
    await db.insertInto('oauth_states').values([
      { nonce: 'expired', user_id: 'alice', provider: 'google', code_verifier: 'v', expires_at: sql`now() - interval '1 minute'` },
      { nonce: 'live', user_id: 'alice', provider: 'google', code_verifier: 'v', expires_at: sql`now() + interval '9 minutes'` },
    ]).execute();
    const job = await db.insertInto('extraction_jobs').values({ user_id: 'alice', name: 'J' }).returning('id').executeTakeFirstOrThrow();
    for (const [name, hours] of [['stale', 25], ['recent', 23]] as const) {
      await platform.blobs.write('uploads', `alice/${name}`, Buffer.from('%PDF-1.4'), { contentType: 'application/pdf' });
      await db.insertInto('source_files').values({
        job_id: job.id, original_filename: name, gcs_object_name: `alice/${name}`, file_type: 'application/pdf', file_size_bytes: 8,
        status: 'uploading', source_type: 'upload', created_at: sql`now() - make_interval(hours => ${hours})`,
      }).execute();
    }
    const report = await runCleanup(platform);
    expect(report).toMatchObject({ expiredOAuthStatesDeleted: 1, unfinishedUploadsDeleted: 1 });
    expect((await db.selectFrom('oauth_states').select('nonce').execute()).map((r) => r.nonce)).toEqual(['live']);
    expect((await db.selectFrom('source_files').select('original_filename').execute()).map((r) => r.original_filename)).toEqual(['recent']);
    expect(await platform.blobs.exists('uploads', 'alice/stale')).toBe(false);
    expect(await platform.blobs.exists('uploads', 'alice/recent')).toBe(true);
  });
});
