import { afterEach, describe, expect, it } from 'vitest';
import { connectAccount, createJob, startImportWorld, type ImportWorld } from '../imports/fixtures.js';
import { DRIVE_FILE, DRIVE_READONLY, GMAIL_READONLY } from '../../shared/google/scopes.js';
import { connectGoogleAccount } from '../support/google-account.js';
import { alice, bob } from './world.js';

let world: ImportWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('automations api', () => {
  it('creates, lists, reads, updates and deletes an automation, stored as the pipeline reads it; only its owner sees it', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    // The automation exports to Drive: the account grants drive.file, as a manual Drive export needs.
    const accountId = await connectGoogleAccount(world.platform, world.google, 'alice', 'alice@example.test', { scopes: [DRIVE_READONLY, DRIVE_FILE, GMAIL_READONLY] });
    const body = {
      name: 'Vendor invoices', jobId, accountId,
      trigger: { query: 'from:vendor@example.test has:attachment', mimeTypes: ['application/pdf'] },
      export: { destType: 'gdrive', fileType: 'xlsx', folderId: 'folder-1' },
    };
    const created = (await world.api.post('/v1/automations').set(alice).send(body).expect(201)).body;
    expect(created).toMatchObject({
      name: 'Vendor invoices', isEnabled: true, jobId, accountId, triggerType: 'gmail_attachment',
      trigger: body.trigger, export: { destType: 'gdrive', fileType: 'xlsx', folderId: 'folder-1' }, lastFiredAt: null,
    });
    const row = await world.platform.database.db.selectFrom('automations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      user_id: 'alice', trigger_type: 'gmail_attachment',
      trigger_config: { query: body.trigger.query, mimeTypes: ['application/pdf'], accountId },
      export_config: { dest: 'gdrive', fileType: 'xlsx', folderId: 'folder-1', accountId },
    });

    expect((await world.api.get('/v1/automations').set(alice).expect(200)).body.items.map((a: { id: string }) => a.id)).toEqual([created.id]);
    expect((await world.api.get('/v1/automations').set(bob).expect(200)).body.items).toEqual([]);
    await world.api.get(`/v1/automations/${created.id}`).set(bob).expect(404);
    await world.api.patch(`/v1/automations/${created.id}`).set(bob).send({ isEnabled: false }).expect(404);
    await world.api.get(`/v1/automations/${created.id}/runs`).set(bob).expect(404);
    await world.api.delete(`/v1/automations/${created.id}`).set(bob).expect(404);

    const off = (await world.api.patch(`/v1/automations/${created.id}`).set(alice).send({ isEnabled: false, export: null }).expect(200)).body;
    expect(off).toMatchObject({ isEnabled: false, export: null, trigger: body.trigger });
    const renamed = (await world.api.patch(`/v1/automations/${created.id}`).set(alice).send({ name: 'Renamed', trigger: { query: 'subject:invoice' } }).expect(200)).body;
    expect(renamed).toMatchObject({ name: 'Renamed', isEnabled: false, trigger: { query: 'subject:invoice', mimeTypes: [] } });
    expect((await world.api.get(`/v1/automations/${created.id}/runs`).set(alice).expect(200)).body.items).toEqual([]);

    await world.api.delete(`/v1/automations/${created.id}`).set(alice).expect(204);
    await world.api.get(`/v1/automations/${created.id}`).set(alice).expect(404);
  });

  it("refuses another user's job or account (404) and an invalid trigger (400)", async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const bobsAccount = await connectAccount(world, 'bob', 'bob@example.test');
    const trigger = { query: 'has:attachment' };
    await world.api.post('/v1/automations').set(bob).send({ name: 'x', jobId, accountId: bobsAccount, trigger }).expect(404);
    await world.api.post('/v1/automations').set(alice).send({ name: 'x', jobId, accountId: bobsAccount, trigger }).expect(404);
    await world.api.post('/v1/automations').set(alice).send({ name: 'x', jobId, accountId, trigger: { query: '' } }).expect(400);
    await world.api.post('/v1/automations').set(alice).send({ name: 'x', jobId, accountId, trigger: { query: 'a', mimeTypes: ['pdf'] } }).expect(400);
  });
});
