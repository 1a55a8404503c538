import { afterEach, describe, expect, it } from 'vitest';
import { requestExport } from '../../shared/export-runs/exports.js';
import { alice, counts, push, startAutomationWorld, vendorInvoice, type ImportWorld } from './world.js';

let world: ImportWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * One set of Gmail rules on every path: the feature flag for connecting, importing,
 * exporting by email, automations and the push; the granted scopes for a manual export
 * and an automation's export alike.
 */
describe('the same Gmail rules on every path', () => {
  it('with the Gmail flag off, Gmail exports, automations and pushes are refused or do nothing, and a queued Gmail export fails with the reason', async () => {
    const setup = await startAutomationWorld();
    world = setup.world;
    const api = world.api;
    await api.post(`/v1/jobs/${setup.jobId}/files`).set(alice).attach('file', Buffer.from('Total: 1\n'), 'a.txt').expect(201);
    const run = (await api.post(`/v1/jobs/${setup.jobId}/runs`).set(alice).expect(202)).body;
    await world.platform.dispatcher.drain();
    // A Gmail export asked for while Gmail was on, delivered after it was turned off.
    await world.platform.database.db.updateTable('integration_accounts')
      .set({ scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.send'] }).execute();
    // Recorded (not yet relayed) while Gmail is on; the export stage gets it after it was turned off.
    const queued = (await requestExport(world.platform.database.db, 'alice', run.runId, { destType: 'gmail', fileType: 'csv', to: 'boss@example.test' }, { gmailEnabled: true })).export;
    world.platform.google.gmailEnabled = false;
    await world.platform.bus.publish('export.requested', { exportId: queued.id });
    await world.platform.dispatcher.drain();
    const failed = (await api.get(`/v1/exports/${queued.id}`).set(alice).expect(200)).body;
    expect(failed).toMatchObject({ status: 'failed', errorMessage: 'Gmail exports are turned off (Gmail is not enabled)' });
    expect(world.google.state.requestsTo('gmail', '/messages/send')).toHaveLength(0);

    const refused = await api.post(`/v1/runs/${run.runId}/exports`).set(alice).send({ destType: 'gmail', fileType: 'csv', to: 'boss@example.test' }).expect(403);
    expect(refused.body.error).toEqual({ code: 'feature_disabled', message: 'Gmail exports are turned off (Gmail is not enabled)', requestId: refused.headers['x-request-id'] });
    const body = { name: 'Off', jobId: setup.jobId, accountId: setup.accountId, trigger: { query: 'has:attachment' } };
    expect((await api.post('/v1/automations').set(alice).send(body).expect(403)).body.error.code).toBe('feature_disabled');
    expect((await api.patch(`/v1/automations/${setup.automationId}`).set(alice).send({ name: 'Renamed' }).expect(403)).body.error.code).toBe('feature_disabled');

    const before = await counts(world);
    vendorInvoice(world);
    await push(world, setup.email);
    expect(await counts(world)).toEqual(before);
  });

  it('an automation exporting by email needs gmail.send up front, exactly as a manual email export does', async () => {
    // The account grants gmail.readonly and drive.readonly, not gmail.send or drive.file.
    const setup = await startAutomationWorld({ exportConfig: null });
    world = setup.world;
    const api = world.api;
    await api.post(`/v1/jobs/${setup.jobId}/files`).set(alice).attach('file', Buffer.from('Total: 1\n'), 'a.txt').expect(201);
    const run = (await api.post(`/v1/jobs/${setup.jobId}/runs`).set(alice).expect(202)).body;
    await world.platform.dispatcher.drain();
    const manual = await api.post(`/v1/runs/${run.runId}/exports`).set(alice).send({ destType: 'gmail', fileType: 'csv', to: 'boss@example.test' }).expect(422);
    expect(manual.body.error.code).toBe('scope_missing');

    const body = { name: 'Mail it', jobId: setup.jobId, accountId: setup.accountId, trigger: { query: 'has:attachment' }, export: { destType: 'gmail', fileType: 'csv', to: 'boss@example.test' } };
    const automation = await api.post('/v1/automations').set(alice).send(body).expect(422);
    expect({ ...automation.body.error, requestId: undefined }).toEqual({ ...manual.body.error, requestId: undefined });
    const patched = await api.patch(`/v1/automations/${setup.automationId}`).set(alice).send({ export: { destType: 'gdrive', fileType: 'xlsx' } }).expect(422);
    expect(patched.body.error.code).toBe('scope_missing');
    expect((await api.get(`/v1/automations/${setup.automationId}`).set(alice).expect(200)).body.export).toBeNull();
  });
});
