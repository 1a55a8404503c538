import { afterEach, expect, it } from 'vitest';
import { ACCOUNT_ERROR_AFTER_FAILURES } from '../../shared/google/credentials.js';
import { activity, alice, connectAccount, createJob, pdf, startImportWorld, type ImportWorld } from './fixtures.js';

let world: ImportWorld;
afterEach(() => world?.close());

async function driveImport(accountId: string, jobId: string, folderIds: string[]) {
  const started = await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, folderIds }).expect(202);
  await world.platform.dispatcher.drain();
  return (await world.api.get(`/v1/imports/${started.body.connectorJobId}`).set(alice).expect(200)).body;
}

async function accountView(accountId: string) {
  const items = (await world.api.get('/v1/integrations').set(alice).expect(200)).body.items as { id: string }[];
  return items.find((a) => a.id === accountId)!;
}

it('repeated failed imports put the account in error with the reason, it is still tried, and the next success clears it', async () => {
  world = await startImportWorld();
  const jobId = await createJob(world);
  const accountId = await connectAccount(world, 'alice', 'alice@example.test');
  const folder = world.google.state.drive.addFolder({ name: 'Invoices' });
  world.google.state.drive.addFile({ name: 'one.pdf', mimeType: 'application/pdf', bytes: pdf('one'), parents: [folder.id] });
  world.google.faults.add({ api: 'drive', status: 503, times: Infinity });

  for (let n = 1; n < ACCOUNT_ERROR_AFTER_FAILURES; n++) {
    expect((await driveImport(accountId, jobId, [folder.id])).status).toBe('failed');
    expect(await accountView(accountId)).toMatchObject({ status: 'connected', lastError: expect.objectContaining({ code: 'unavailable' }) });
  }
  expect(await activity(world, 'connector_account_error')).toHaveLength(0);
  expect((await driveImport(accountId, jobId, [folder.id])).status).toBe('failed');

  expect(await accountView(accountId)).toMatchObject({
    status: 'error', needsReconnect: true, lastError: expect.objectContaining({ code: 'unavailable', message: expect.stringContaining('503') }),
  });
  const errors = await activity(world, 'connector_account_error');
  expect(errors).toHaveLength(1);
  expect(errors[0]!.description).toMatch(/^3 imports in a row failed for Google account alice@example.test: .*503/);
  expect(errors[0]!.context).toMatchObject({ connector_account_id: accountId, error_code: 'unavailable', failures: 3 });

  // An account in error is still tried; Google recovers, and the success clears it.
  world.google.faults.clear();
  expect(await driveImport(accountId, jobId, [folder.id])).toMatchObject({ status: 'success', counts: { imported: 1 } });
  expect(await accountView(accountId)).toMatchObject({ status: 'connected', needsReconnect: false, lastError: null, lastSyncAt: expect.any(String) });
  const row = await world.platform.database.db.selectFrom('integration_accounts').select('consecutive_failures').where('id', '=', accountId).executeTakeFirstOrThrow();
  expect(row.consecutive_failures).toBe(0);
});

it('a revoked grant is a connector_account_revoked event, not a failed connection, and does not count as an error', async () => {
  world = await startImportWorld();
  const jobId = await createJob(world);
  const accountId = await connectAccount(world, 'alice', 'alice@example.test', { expired: true });
  world.google.state.revokeRefreshTokens('alice@example.test');

  expect((await driveImport(accountId, jobId, ['any-folder'])).status).toBe('failed');

  const revoked = await activity(world, 'connector_account_revoked');
  expect(revoked).toHaveLength(1);
  expect(revoked[0]!.description).toBe('Google revoked access to Google account alice@example.test; reconnect it to resume imports and automations');
  expect(revoked[0]!.context).toMatchObject({ connector_account_id: accountId, error_code: 'account_revoked' });
  expect(await activity(world, 'connector_connect_failed')).toHaveLength(0);
  expect(await accountView(accountId)).toMatchObject({ status: 'revoked', lastError: expect.objectContaining({ code: 'account_revoked' }) });
});
