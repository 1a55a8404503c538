import { afterEach, describe, expect, it } from 'vitest';
import { renderTextPdf } from '../../shared/local/google/index.js';
import { activity, alice, connectAccount, createJob, importedFiles, pdf, startImportWorld, type ImportWorld } from './fixtures.js';

let world: ImportWorld;
afterEach(() => world?.close());

/**
 * 200 files: a folder with 3 subfolders of 2 levels, 180 PDFs and 20 Google Docs, a
 * shortcut back to the top folder (a cycle), a shortcut to a file already in the tree.
 */
function buildTwoHundredFileTree(world: ImportWorld) {
  const drive = world.google.state.drive;
  const top = drive.addFolder({ name: 'Invoices' });
  const folders = [top.id];
  for (let i = 0; i < 3; i++) {
    const sub = drive.addFolder({ name: `Q${i + 1}`, parents: [top.id] });
    const deeper = drive.addFolder({ name: 'archive', parents: [sub.id] });
    folders.push(sub.id, deeper.id);
  }
  const fileIds: string[] = [];
  for (let i = 0; i < 200; i++) {
    const parent = folders[i % folders.length]!;
    const file = i % 10 === 0
      ? drive.addGoogleDoc({ name: `doc-${i}`, text: `Invoice ${i}`, parents: [parent] })
      : drive.addFile({ name: `invoice-${i}.pdf`, mimeType: 'application/pdf', bytes: pdf(`invoice ${i}`), parents: [parent] });
    fileIds.push(file.id);
  }
  drive.addShortcut({ name: 'back to top', targetId: top.id, parents: [folders[2]!] });
  drive.addShortcut({ name: 'again', targetId: fileIds[7]!, parents: [folders[5]!] });
  return { top, folders, fileIds };
}

async function waitForImport(world: ImportWorld, connectorJobId: string) {
  await world.platform.dispatcher.drain();
  return (await world.api.get(`/v1/imports/${connectorJobId}`).set(alice).expect(200)).body;
}

describe('drive-import', () => {
  it('a 200-file folder tree imports every file exactly once, even when every message is delivered twice, and progress reaches 100 %', async () => {
    world = await startImportWorld({ duplicateDelivery: true });
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const { top, folders, fileIds } = buildTwoHundredFileTree(world);

    // The same file and a subfolder given again on top of the folder that holds them.
    const started = await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice)
      .send({ accountId, folderIds: [top.id, folders[3]], fileIds: [fileIds[4], fileIds[4]] }).expect(202);
    const view = await waitForImport(world, started.body.connectorJobId);

    expect(view).toMatchObject({ status: 'success', attempts: 1, counts: { imported: 200, skipped: 0, failed: 0 }, lastError: null });
    const rows = await importedFiles(world, jobId, 'gdrive');
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.external_id))).toEqual(new Set(fileIds));
    expect(rows.every((r) => r.status === 'uploaded' && r.file_type === 'application/pdf' && r.checksum_sha256?.length === 64)).toBe(true);
    expect(rows.filter((r) => r.original_filename.startsWith('doc-')).every((r) => r.original_filename.endsWith('.pdf'))).toBe(true);
    // Each binary downloaded once, each Doc exported once.
    expect(world.google.state.requestsTo('drive').filter((r) => r.query.alt === 'media')).toHaveLength(180);
    expect(world.google.state.requestsTo('drive', '/export')).toHaveLength(20);

    const op = await world.api.get(`/v1/operations/${started.body.operationId}`).set(alice).expect(200);
    expect(op.body).toMatchObject({ kind: 'drive_import', status: 'completed', pct: 100 });
    const completed = await activity(world, 'connector_sync_completed');
    expect(completed.map((e) => e.description)).toEqual(['Google Drive sync completed - 200 files imported']);
    const account = await world.platform.database.db.selectFrom('integration_accounts').select(['last_sync_at']).where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(account.last_sync_at).not.toBeNull();
    const token = await world.platform.database.db.selectFrom('drive_sync_folders').select(['page_token']).where('job_id', '=', jobId).where('folder_id', '=', top.id).executeTakeFirstOrThrow();
    expect(token.page_token).toMatch(/^\d+$/);

    // Importing the same folder again stores nothing twice and downloads nothing again.
    const again = await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, folderIds: [top.id] }).expect(202);
    const second = await waitForImport(world, again.body.connectorJobId);
    expect(second.counts).toEqual({ imported: 0, skipped: 200, failed: 0 });
    expect(await importedFiles(world, jobId, 'gdrive')).toHaveLength(200);
    expect(world.google.state.requestsTo('drive').filter((r) => r.query.alt === 'media')).toHaveLength(180);
  });

  it('writes "Importing n of m files" on the operation while it works', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const drive = world.google.state.drive;
    const folder = drive.addFolder({ name: 'Slow' });
    for (let i = 0; i < 6; i++) drive.addFile({ name: `s-${i}.pdf`, mimeType: 'application/pdf', bytes: pdf(`s ${i}`), parents: [folder.id] });
    world.google.faults.add({ api: 'drive', pathIncludes: '/files/', delayMs: 150, times: Infinity });

    const started = await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, folderIds: [folder.id] }).expect(202);
    const stages = new Set<string>();
    const poll = setInterval(() => {
      void world.api.get(`/v1/operations/${started.body.operationId}`).set(alice).then((r) => r.body.stage && stages.add(r.body.stage));
    }, 40);
    await world.platform.dispatcher.drain();
    clearInterval(poll);
    expect([...stages].some((s) => /^Importing \d of 6 files$/.test(s))).toBe(true);
  });

  it('a Google Doc over Google\'s 10 MB export limit fails with a message naming the limit while the rest import', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const drive = world.google.state.drive;
    const folder = drive.addFolder({ name: 'Mixed' });
    const huge = drive.addGoogleDoc({ name: 'Annual report', text: 'big', exportSizeBytes: 11 * 1024 * 1024, parents: [folder.id] });
    const doc = drive.addGoogleDoc({ name: 'Small doc', text: 'Total: 12', parents: [folder.id] });
    const file = drive.addFile({ name: 'a.pdf', mimeType: 'application/pdf', bytes: renderTextPdf(['a']), parents: [folder.id] });
    const binary = drive.addFile({ name: 'tool.bin', mimeType: 'application/octet-stream', bytes: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]), parents: [folder.id] });

    const started = await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, folderIds: [folder.id], fileIds: ['missing-id'] }).expect(202);
    const view = await waitForImport(world, started.body.connectorJobId);

    expect(view).toMatchObject({ status: 'success', counts: { imported: 2, skipped: 0, failed: 3 } });
    const byId = new Map((await importedFiles(world, jobId, 'gdrive')).map((r) => [r.external_id, r]));
    expect(byId.get(huge.id)).toMatchObject({ status: 'failed', original_filename: 'Annual report.pdf' });
    expect(byId.get(huge.id)!.error_message).toContain('10 MB');
    expect(byId.get(doc.id)).toMatchObject({ status: 'uploaded', file_type: 'application/pdf' });
    expect(byId.get(file.id)).toMatchObject({ status: 'uploaded' });
    expect(byId.get(binary.id)!.error_message).toMatch(/^Unsupported file type/);
    expect(byId.get('missing-id')!.error_message).toBe('Drive file missing-id was not found, or is not shared with this Google account');
    expect(view.files.find((f: { externalId: string }) => f.externalId === huge.id)).toMatchObject({ outcome: 'failed', error: expect.stringContaining('10 MB') });
    // A refused file leaves no object behind.
    expect(await world.platform.blobs.exists('uploads', byId.get(binary.id)!.gcs_object_name)).toBe(false);
  });
});
