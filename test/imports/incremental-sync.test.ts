import { afterEach, describe, expect, it } from 'vitest';
import { alice, connectAccount, createJob, importedFiles, pdf, startImportWorld, type ImportWorld } from './fixtures.js';

let world: ImportWorld;
afterEach(() => world?.close());

async function run(world: ImportWorld, path: string, body: object) {
  const started = await world.api.post(path).set(alice).send(body).expect(202);
  await world.platform.dispatcher.drain();
  return (await world.api.get(`/v1/imports/${started.body.connectorJobId}`).set(alice).expect(200)).body;
}

async function folderToken(world: ImportWorld, jobId: string, folderId: string): Promise<string | undefined> {
  const row = await world.platform.database.db.selectFrom('drive_sync_folders').select('page_token').where('job_id', '=', jobId).where('folder_id', '=', folderId).executeTakeFirst();
  return row?.page_token;
}

async function readObject(world: ImportWorld, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of world.platform.blobs.read('uploads', name)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
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
    const tokenBefore = await folderToken(world, jobId, folder.id);

    const sync = await run(world, `/v1/jobs/${jobId}/imports/drive/sync`, { accountId, folderId: folder.id });

    expect(sync).toMatchObject({ status: 'success', jobType: 'incremental_sync', counts: { imported: 2, skipped: 0, failed: 0 } });
    expect(sync.files.map((f: { externalId: string }) => f.externalId).sort()).toEqual([deep.id, fresh.id].sort());
    expect((await importedFiles(world, jobId, 'gdrive')).map((r) => r.external_id).sort()).toEqual([old.id, doomed.id, fresh.id, deep.id].sort());
    const tokenAfter = await folderToken(world, jobId, folder.id);
    expect(Number(tokenAfter)).toBeGreaterThan(Number(tokenBefore));

    // Nothing changed since: a second sync imports nothing.
    const quiet = await run(world, `/v1/jobs/${jobId}/imports/drive/sync`, { accountId, folderId: folder.id });
    expect(quiet.counts).toEqual({ imported: 0, skipped: 0, failed: 0 });
  });

  it('each folder keeps its own changes token: syncing folder A neither hides nor takes the changes in folder B', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const drive = world.google.state.drive;
    const a = drive.addFolder({ name: 'A' });
    const b = drive.addFolder({ name: 'B' });
    await run(world, `/v1/jobs/${jobId}/imports/drive`, { accountId, folderIds: [a.id] });
    await run(world, `/v1/jobs/${jobId}/imports/drive`, { accountId, folderIds: [b.id] });
    const inA = drive.addFile({ name: 'in-a.pdf', mimeType: 'application/pdf', bytes: pdf('a'), parents: [a.id] });
    const inB = drive.addFile({ name: 'in-b.pdf', mimeType: 'application/pdf', bytes: pdf('b'), parents: [b.id] });

    const syncA = await run(world, `/v1/jobs/${jobId}/imports/drive/sync`, { accountId, folderId: a.id });
    expect(syncA.files.map((f: { externalId: string }) => f.externalId)).toEqual([inA.id]);
    const syncB = await run(world, `/v1/jobs/${jobId}/imports/drive/sync`, { accountId, folderId: b.id });
    expect(syncB.files.map((f: { externalId: string }) => f.externalId)).toEqual([inB.id]);

    // A folder never imported into this job has no token of its own: its sync is refused.
    const otherJob = await createJob(world);
    const refused = await world.api.post(`/v1/jobs/${otherJob}/imports/drive/sync`).set(alice).send({ accountId, folderId: a.id }).expect(409);
    expect(refused.body.error.code).toBe('no_sync_token');
  });

  it('a file edited after its import is imported again as a new version of its source file, and a re-run reads the new content', async () => {
    world = await startImportWorld();
    const db = world.platform.database.db;
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const drive = world.google.state.drive;
    const folder = drive.addFolder({ name: 'Watched' });
    const file = drive.addFile({ name: 'price-list.pdf', mimeType: 'application/pdf', bytes: pdf('prices v1'), parents: [folder.id] });
    await run(world, `/v1/jobs/${jobId}/imports/drive`, { accountId, folderIds: [folder.id] });
    const [before] = await importedFiles(world, jobId, 'gdrive');
    await world.api.post(`/v1/jobs/${jobId}/runs`).set(alice).send({}).expect(202);
    await world.platform.dispatcher.drain();

    drive.update(file.id, { bytes: pdf('prices v2') });
    const sync = await run(world, `/v1/jobs/${jobId}/imports/drive/sync`, { accountId, folderId: folder.id });

    expect(sync.files).toEqual([expect.objectContaining({ externalId: file.id, outcome: 'imported', sourceFileId: before!.id })]);
    const [after] = await importedFiles(world, jobId, 'gdrive');
    expect(after).toMatchObject({ id: before!.id, status: 'uploaded' });
    expect(after!.gcs_object_name).not.toBe(before!.gcs_object_name);
    expect(after!.checksum_sha256).not.toBe(before!.checksum_sha256);

    await world.api.post(`/v1/jobs/${jobId}/runs`).set(alice).send({}).expect(202);
    await world.platform.dispatcher.drain();
    const tasks = await db.selectFrom('extraction_tasks as t').innerJoin('job_runs as r', 'r.id', 't.run_id')
      .select(['r.run_number', 'r.status', 't.object_name']).orderBy('r.run_number').execute();
    expect(tasks.map((t) => [t.run_number, t.status])).toEqual([[1, 'completed'], [2, 'completed']]);
    expect(await readObject(world, tasks[1]!.object_name!)).toContain('prices v2');
    // Run #1 keeps the content it read.
    expect(await readObject(world, tasks[0]!.object_name!)).toContain('prices v1');

    // Unchanged since: the next sync skips it.
    const quiet = await run(world, `/v1/jobs/${jobId}/imports/drive/sync`, { accountId, folderId: folder.id });
    expect(quiet.counts).toEqual({ imported: 0, skipped: 0, failed: 0 });
  });
});
