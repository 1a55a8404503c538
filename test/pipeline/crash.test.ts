import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { scriptedExtractor } from '../support/extractors.js';
import { testEngine } from '../support/database.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const run = promisify(execFile);
let platform: TestPlatform;
afterEach(() => platform?.close());

// Two processes need one database server: PostgreSQL (CI runs the suite against it).
describe.runIf(testEngine === 'postgres')('a process killed between commit and relay', () => {
  it('loses nothing: the cleanup sweep relays the message and the run completes', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor() });
    const db = platform.database.db;
    await db.insertInto('users').values({ id: 'alice' }).execute();
    const job = await db.insertInto('extraction_jobs').values({ user_id: 'alice', name: 'J' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('job_fields').values({ job_id: job.id, field_name: 'Name', data_type_id: 'text' }).execute();
    await platform.blobs.write('uploads', 'a/1', Buffer.from('%PDF-1.4'), { contentType: 'application/pdf' });
    await db.insertInto('source_files').values({ job_id: job.id, original_filename: 'a.pdf', gcs_object_name: 'a/1', file_type: 'application/pdf', file_size_bytes: 8 }).execute();

    const child = await run(process.execPath, ['--import', 'tsx', new URL('./crash-child.ts', import.meta.url).pathname, platform.database.url!, job.id]).catch((error) => error);
    expect(child.signal).toBe('SIGKILL');
    const runId = String(child.stdout).trim();
    expect(await db.selectFrom('outbox').select('relayed_at').execute()).toEqual([{ relayed_at: null }]);

    const report = await runCleanup(platform, { outboxAgeSeconds: 0 });
    expect(report.outboxRelayed).toBe(1);
    await platform.dispatcher.drain();
    const finished = await db.selectFrom('job_runs').select(['status', 'tasks_completed']).where('id', '=', runId).executeTakeFirstOrThrow();
    expect(finished).toEqual({ status: 'completed', tasks_completed: 1 });
  });
});
