import { setTimeout as sleep } from 'node:timers/promises';
import type { KyselyPlugin } from 'kysely';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { claimConnectorJob, scheduleConnectorJob } from '../../shared/imports/connector-jobs.js';
import { setImportRetryPolicy } from '../../shared/imports/retry-policy.js';
import { activity, alice, bob, connectAccount, createJob, importedFiles, pdf, startImportWorld, type ImportWorld } from './fixtures.js';

let world: ImportWorld;
afterEach(() => world?.close());

async function driveImport(world: ImportWorld, accountId: string, jobId: string, folderIds: string[]) {
  const started = await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, folderIds }).expect(202);
  await world.platform.dispatcher.drain();
  return (await world.api.get(`/v1/imports/${started.body.connectorJobId}`).set(alice).expect(200)).body;
}

function folderOfTwo(world: ImportWorld) {
  const drive = world.google.state.drive;
  const folder = drive.addFolder({ name: 'Retry me' });
  drive.addFile({ name: 'one.pdf', mimeType: 'application/pdf', bytes: pdf('one'), parents: [folder.id] });
  drive.addFile({ name: 'two.pdf', mimeType: 'application/pdf', bytes: pdf('two'), parents: [folder.id] });
  return folder;
}

describe('connector job retries', () => {
  it('a 429 from Drive reschedules the job with backoff, and the next attempt imports everything', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const folder = folderOfTwo(world);
    const fault = world.google.faults.add({ api: 'drive', pathIncludes: '/drive/v3/files', status: 429, times: 1 });

    const view = await driveImport(world, accountId, jobId, [folder.id]);

    expect(fault.hits).toBe(1);
    expect(view).toMatchObject({ status: 'success', attempts: 2, counts: { imported: 2, skipped: 0, failed: 0 } });
    const row = await world.platform.database.db.selectFrom('connector_jobs').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow();
    expect(row.last_error_message).toContain('429');
    expect(row.backoff_seconds).toBe(1); // 50 ms, rounded up to whole seconds on the row
    const retried = await activity(world, 'connector_job_retried');
    expect(retried).toHaveLength(1);
    expect(retried[0]!.context).toMatchObject({ attempts: 1, max_attempts: 3, job_type: 'drive_import', provider: 'google_drive' });
    expect(await importedFiles(world, jobId, 'gdrive')).toHaveLength(2);
  });

  it('the retry message is delivered at the job\'s due time (the backoff is the real wait), not early and redelivered', async () => {
    world = await startImportWorld();
    const restore = setImportRetryPolicy({ backoffSeconds: [1.5], maxDelaySeconds: 5 });
    try {
      const jobId = await createJob(world);
      const accountId = await connectAccount(world, 'alice', 'alice@example.test');
      const folder = folderOfTwo(world);
      world.google.faults.add({ api: 'drive', pathIncludes: '/drive/v3/files', status: 429, times: 1 });
      const deliveries: number[] = [];
      world.platform.dispatcher.subscribe('drive.import.requested', () => void deliveries.push(Date.now()));

      const view = await driveImport(world, accountId, jobId, [folder.id]);

      expect(view).toMatchObject({ status: 'success', attempts: 2 });
      expect(deliveries).toHaveLength(2);
      expect(deliveries[1]! - deliveries[0]!).toBeGreaterThanOrEqual(1500);
      const retried = await world.platform.database.db.selectFrom('outbox').select(['name', 'delay_seconds', 'dedupe_key'])
        .where('dedupe_key', 'like', '%:a1').executeTakeFirstOrThrow();
      expect(retried).toMatchObject({ name: 'drive.import.requested', delay_seconds: 2 });
    } finally {
      restore();
    }
  });

  it('a retry that falls due between the claim and the look at its due time is claimed, not dropped', async () => {
    world = await startImportWorld();
    const db = world.platform.database.db;
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const { connectorJobId } = await scheduleConnectorJob(db, { userId: 'alice', accountId, jobId, jobType: 'drive_import', payload: { folderIds: [] } });
    await db.updateTable('connector_jobs').set({ next_attempt_at: sql`now() + interval '300 milliseconds'` }).where('id', '=', connectorJobId).execute();
    // The first claim finds the job not due; the statement after it runs once it is.
    let stalled = false;
    const updates = new WeakSet<object>();
    const slowFirstClaim: KyselyPlugin = {
      transformQuery: (args) => {
        if (args.node.kind === 'UpdateQueryNode') updates.add(args.queryId);
        return args.node;
      },
      transformResult: async (args) => {
        if (!stalled && updates.has(args.queryId) && args.result.rows.length === 0) {
          stalled = true;
          await sleep(600);
        }
        return args.result;
      },
    };

    const claim = await claimConnectorJob(db.withPlugin(slowFirstClaim), connectorJobId);

    expect(stalled).toBe(true);
    expect(claim).toMatchObject({ id: connectorJobId, attempts: 1 });
  });

  it('a Drive that answers 503 every time fails the job after max_attempts with connector_sync_failed', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const folder = folderOfTwo(world);
    world.google.faults.add({ api: 'drive', status: 503, times: Infinity });

    const view = await driveImport(world, accountId, jobId, [folder.id]);

    expect(view).toMatchObject({ status: 'failed', attempts: 3, maxAttempts: 3, lastError: expect.stringContaining('503') });
    expect(await activity(world, 'connector_job_retried')).toHaveLength(2);
    const failed = await activity(world, 'connector_sync_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.context).toMatchObject({ error_code: 'attempts_exhausted' });
    const op = await world.api.get(`/v1/operations/${view.operationId}`).set(alice).expect(200);
    expect(op.body.status).toBe('failed');
  });

  it('a revoked grant fails the job at once, without a retry, and marks the account revoked', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test', { expired: true });
    const folder = folderOfTwo(world);
    world.google.state.revokeRefreshTokens('alice@example.test');

    const view = await driveImport(world, accountId, jobId, [folder.id]);

    expect(view).toMatchObject({ status: 'failed', attempts: 1 });
    expect(view.lastError).toMatch(/revoked/i);
    expect(await activity(world, 'connector_job_retried')).toHaveLength(0);
    expect((await activity(world, 'connector_sync_failed'))[0]!.context).toMatchObject({ error_code: 'account_revoked' });
    const account = await world.platform.database.db.selectFrom('integration_accounts').select('status').where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(account.status).toBe('revoked');
    expect(world.google.state.requestsTo('drive')).toHaveLength(0);
    // A new import of a revoked account is refused up front.
    await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, folderIds: [folder.id] }).expect(409);
  });
});

describe('import endpoints', () => {
  it('only the owner of the job and the account can import, and only the owner can read the import', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const bobsJob = await createJob(world, bob);
    const bobsAccount = await connectAccount(world, 'bob', 'bob@example.test');
    const folder = folderOfTwo(world);

    await world.api.post(`/v1/jobs/${bobsJob}/imports/drive`).set(alice).send({ accountId, folderIds: [folder.id] }).expect(404);
    await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId: bobsAccount, folderIds: [folder.id] }).expect(404);
    await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId }).expect(400);
    const started = await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, folderIds: [folder.id] }).expect(202);
    await world.platform.dispatcher.drain();
    await world.api.get(`/v1/imports/${started.body.connectorJobId}`).set(bob).expect(404);
    await world.api.get(`/v1/imports/${started.body.connectorJobId}`).set(alice).expect(200);

    const job = await world.platform.database.db.selectFrom('connector_jobs').selectAll().where('id', '=', started.body.connectorJobId).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ job_type: 'drive_import', max_attempts: 3, operation_id: started.body.operationId, payload: { fileIds: [], folderIds: [folder.id] } });
    expect((await activity(world, 'connector_job_scheduled')).map((e) => e.description)).toEqual(['Google Drive import scheduled']);
  });

  it('Gmail imports answer 403 feature_disabled while the Gmail flag is off', async () => {
    world = await startImportWorld();
    world.platform.google.gmailEnabled = false;
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const res = await world.api.post(`/v1/jobs/${jobId}/imports/gmail`).set(alice)
      .send({ accountId, attachments: [{ messageId: 'm1', attachmentId: 'a1' }] }).expect(403);
    expect(res.body.error.code).toBe('feature_disabled');
  });
});
