import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { addToOutbox, relayOutbox, topicMessage, queueTask } from '../../shared/outbox/outbox.js';
import { requestRun } from '../../shared/runs/request-run.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import type { MessageBus } from '../../shared/messaging/bus.js';

let platform: TestPlatform;
afterEach(() => platform?.close());

async function jobWithFile(p: TestPlatform): Promise<string> {
  const db = p.database.db;
  await db.insertInto('users').values({ id: 'alice' }).execute();
  const job = await db.insertInto('extraction_jobs').values({ user_id: 'alice', name: 'J' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('job_fields').values({ job_id: job.id, field_name: 'Name', data_type_id: 'text' }).execute();
  await p.blobs.write('uploads', `alice/${job.id}/f1`, Buffer.from('%PDF-1.4 x'), { contentType: 'application/pdf' });
  await db.insertInto('source_files').values({ job_id: job.id, original_filename: 'a.pdf', gcs_object_name: `alice/${job.id}/f1`, file_type: 'application/pdf', file_size_bytes: 10 }).execute();
  return job.id;
}

describe('the transactional outbox', () => {
  it('a crash between commit and relay loses nothing: the sweep finishes the run', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const jobId = await jobWithFile(platform);
    // The api committed the request and "died" before relaying it.
    const { runId } = await requestRun(platform.database.db, { userId: 'alice', jobId, trigger: 'manual' });
    await platform.dispatcher.drain();
    expect(await platform.database.db.selectFrom('job_runs').selectAll().execute()).toEqual([]);

    // The cleanup sweep relays what is older than its threshold; handlers relay their own.
    const swept = await relayOutbox(platform.database.db, platform.bus, { olderThanSeconds: 0 });
    expect(swept).toEqual({ relayed: 1, failed: 0 });
    await platform.dispatcher.drain();
    const run = await platform.database.db.selectFrom('job_runs').select(['status', 'tasks_completed']).where('id', '=', runId).executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'completed', tasks_completed: 1 });
    const unrelayed = await platform.database.db.selectFrom('outbox').select('id').where('relayed_at', 'is', null).execute();
    expect(unrelayed).toEqual([]);
  });

  it('a message and the change it announces commit together or not at all', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const db = platform.database.db;
    await db.insertInto('users').values({ id: 'alice' }).execute();
    await expect(db.transaction().execute(async (trx) => {
      await addToOutbox(trx, [topicMessage('export.requested', { exportId: '00000000-0000-4000-8000-000000000001' })]);
      await trx.insertInto('users').values({ id: 'alice' }).execute(); // duplicate key: the transaction fails
    })).rejects.toThrow(/duplicate key/);
    expect(await db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });

  it('a bad payload is refused when written, not when relayed', () => {
    expect(() => topicMessage('run.completed', { runId: 'nope' } as never)).toThrow(/Invalid run.completed message/);
  });

  it('a failed send stays for the sweep with its error, and concurrent relays send each row once', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const db = platform.database.db;
    const sent: string[] = [];
    let down = true;
    const bus: MessageBus = {
      publish: async () => {},
      enqueue: async (_q, task) => {
        if (down) throw new Error('Cloud Tasks unavailable');
        if ('taskId' in task) sent.push(task.taskId);
      },
    };
    const ids = await addToOutbox(db, Array.from({ length: 20 }, (_, i) =>
      queueTask('extraction', { taskId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, runId: '00000000-0000-4000-8000-000000000999' })));
    expect(await relayOutbox(db, bus, { ids })).toEqual({ relayed: 0, failed: 20 });
    const row = await db.selectFrom('outbox').select(['last_error', 'relayed_at', 'attempts']).where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ last_error: 'Cloud Tasks unavailable', relayed_at: null, attempts: 1 });

    down = false;
    await db.updateTable('outbox').set({ claimed_until: sql`now() - interval '1 second'` }).execute();
    const results = await Promise.all([relayOutbox(db, bus), relayOutbox(db, bus), relayOutbox(db, bus)]);
    expect(results.reduce((n, r) => n + r.relayed, 0)).toBe(20);
    expect(new Set(sent).size).toBe(20);
    expect(sent).toHaveLength(20);
  });

  it('a delayed task relayed late keeps its original due time', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const db = platform.database.db;
    const delays: (number | undefined)[] = [];
    const bus: MessageBus = { publish: async () => {}, enqueue: async (_q, _t, opts) => void delays.push(opts?.delaySeconds) };
    const [id] = await addToOutbox(db, [queueTask('extraction', { taskId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-000000000002' }, { delaySeconds: 60 })]);
    await db.updateTable('outbox').set({ created_at: sql`now() - interval '45 seconds'` }).where('id', '=', id!).execute();
    await relayOutbox(db, bus, { ids: [id!] });
    expect(delays[0]).toBeGreaterThanOrEqual(14);
    expect(delays[0]).toBeLessThanOrEqual(15);
  });
});
