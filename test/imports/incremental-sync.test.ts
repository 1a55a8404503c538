import { afterEach, describe, expect, it } from 'vitest';
import { alice, connectAccount, createJob, importedFiles, pdf, startImportWorld, type ImportWorld } from './fixtures.js';

let world: ImportWorld;
afterEach(() => world?.close());

async function run(world: ImportWorld, path: string, body: object) {
  const started = await world.api.post(path).set(alice).send(body).expect(202);
  await world.platform.dispatcher.drain();
  return (await world.api.get(`/v1/imports/${started.body.connectorJobId}`).set(alice).expect(200)).body;
}

describe('incremental Drive sync', () => {
  it('imports only the files added under the folder after the stored changes token, ignoring removed and outside files', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const drive = world.google.state.drive;
    const folder = drive.addFolder({ name: 'Watched' });
    const sub = drive.addFolder({ name: 'sub', parents: [folder.id] });
    const old = drive.addFile({ name: 'old.pdf', mimeType: 'application/pdf', bytes: pdf('old'), parents: [folder.id] });
    const doomed = drive.addFile({ name: 'doomed.pdf', mimeType: 'application/pdf', bytes: pdf('doomed'), parents: [folder.id] });

    await world.api.post(`/v1/jobs/${jobId}/imports/drive/sync`).set(alice).send({ accountId, folderId: folder.id }).expect(409);
    const first = await run(world, `/v1/jobs/${jobId}/imports/drive`, { accountId, folderIds: [folder.id] });
    expect(first.counts).toEqual({ imported: 2, skipped: 0, failed: 0 });

    const fresh = drive.addFile({ name: 'new.pdf', mimeType: 'application/pdf', bytes: pdf('new'), parents: [folder.id] });
    const deep = drive.addGoogleDoc({ name: 'new doc', text: 'x', parents: [sub.id] });
    drive.addFile({ name: 'elsewhere.pdf', mimeType: 'application/pdf', bytes: pdf('elsewhere') });
    drive.remove(doomed.id);
    drive.trash(old.id);
    const tokenBefore = (await world.platform.database.db.selectFrom('integration_accounts').select('drive_page_token').where('id', '=', accountId).executeTakeFirstOrThrow()).drive_page_token;

    const sync = await run(world, `/v1/jobs/${jobId}/imports/drive/sync`, { accountId, folderId: folder.id });

    expect(sync).toMatchObject({ status: 'success', jobType: 'incremental_sync', counts: { imported: 2, skipped: 0, failed: 0 } });
    expect(sync.files.map((f: { externalId: string }) => f.externalId).sort()).toEqual([deep.id, fresh.id].sort());
    expect((await importedFiles(world, jobId, 'gdrive')).map((r) => r.external_id).sort()).toEqual([old.id, doomed.id, fresh.id, deep.id].sort());
    const tokenAfter = (await world.platform.database.db.selectFrom('integration_accounts').select('drive_page_token').where('id', '=', accountId).executeTakeFirstOrThrow()).drive_page_token;
    expect(Number(tokenAfter)).toBeGreaterThan(Number(tokenBefore));

    // Nothing changed since: a second sync imports nothing.
    const quiet = await run(world, `/v1/jobs/${jobId}/imports/drive/sync`, { accountId, folderId: folder.id });
    expect(quiet.counts).toEqual({ imported: 0, skipped: 0, failed: 0 });
  });
});
