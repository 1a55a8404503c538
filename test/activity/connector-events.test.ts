import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  recordConnectSucceeded, recordJobRetried, recordJobScheduled, recordSyncCompleted, recordSyncFailed, recordSyncStarted, type ConnectorJobRef,
} from '../../shared/activity/connector-events.js';
import { upsertUser } from '../../shared/jobs/jobs.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
const job: ConnectorJobRef = {
  userId: 'ann', accountId: '6f1c1f4e-8a0b-4f57-9a57-0c1f7f6d2f10', provider: 'google_drive', jobId: '0b7f1c2e-3a4d-4e5f-8a9b-1c2d3e4f5a6b', jobType: 'drive_import',
};
const eventsOf = (kind: string) => platform.database.db.selectFrom('activity_events').selectAll().where('kind', '=', kind).execute();

beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  await upsertUser(platform.database.db, { uid: 'ann' });
});
afterAll(() => platform.close());

describe('connector events', () => {
  it('a completed sync reads "Google Drive sync completed - 37 files imported" with the seed\'s context, once however often it is recorded', async () => {
    await recordSyncCompleted(platform.database.db, job, { filesImported: 37, filesSkipped: 0 });
    await recordSyncCompleted(platform.database.db, job, { filesImported: 37, filesSkipped: 0 });
    const rows = await eventsOf('connector_sync_completed');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      description: 'Google Drive sync completed - 37 files imported',
      context: { provider: 'google_drive', connector_account_id: job.accountId, job_id: job.jobId, job_type: 'drive_import', files_imported: 37, files_skipped: 0 },
    });
  });

  it('started, failed, scheduled and retried events carry the job and read as sentences', async () => {
    const gmail: ConnectorJobRef = { ...job, provider: 'gmail', jobType: 'gmail_import', jobId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a' };
    await recordSyncStarted(platform.database.db, gmail);
    await recordJobScheduled(platform.database.db, gmail, { scheduledAt: new Date('2025-01-01T00:00:00Z') });
    await recordJobRetried(platform.database.db, gmail, { attempts: 1, maxAttempts: 3 });
    await recordJobRetried(platform.database.db, gmail, { attempts: 2, maxAttempts: 3 });
    await recordSyncFailed(platform.database.db, gmail, { errorCode: 'account_revoked', errorMessage: 'Google revoked access' });
    expect((await eventsOf('connector_sync_started'))[0]).toMatchObject({ description: 'Gmail sync started', context: { provider: 'gmail', job_type: 'gmail_import' } });
    expect((await eventsOf('connector_job_scheduled'))[0]).toMatchObject({ description: 'Gmail import scheduled', context: { scheduled_at: '2025-01-01T00:00:00.000Z' } });
    expect((await eventsOf('connector_job_retried')).map((e) => e.context)).toEqual([
      expect.objectContaining({ attempts: 1, max_attempts: 3 }), expect.objectContaining({ attempts: 2, max_attempts: 3 }),
    ]);
    expect((await eventsOf('connector_sync_failed'))[0]).toMatchObject({
      description: 'Gmail sync failed: Google revoked access', context: { error_code: 'account_revoked', error_message: 'Google revoked access' },
    });
  });

  it('a connection names the account and what it was connected for', async () => {
    await recordConnectSucceeded(platform.database.db, { userId: 'ann', accountId: job.accountId, email: 'ann@example.com', services: ['drive', 'gmail'], nonce: 'n1' });
    expect((await eventsOf('connector_connect_succeeded'))[0]?.description).toBe('Connected Google account ann@example.com (Drive, Gmail)');
  });
});
