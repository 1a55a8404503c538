import { afterEach, describe, expect, it } from 'vitest';
import { buildZip, random, renameEntry, setFlagBits } from '../archives/zip-fixtures.js';
import { activity, alice, connectAccount, createJob, importedFiles, pdf, startImportWorld, type ImportWorld } from './fixtures.js';

let world: ImportWorld;
afterEach(() => world?.close());

async function hostileBundle(): Promise<Buffer> {
  const l3 = await buildZip([{ name: 'too-deep.pdf', data: pdf('too deep') }]);
  const l2 = await buildZip([{ name: 'l3.zip', data: l3, compress: false }, { name: 'level2.pdf', data: pdf('level 2') }]);
  const l1 = await buildZip([{ name: 'l2.zip', data: l2, compress: false }]);
  const traversal = 'P'.repeat('../../etc/passwd'.length);
  let zip = await buildZip([
    { name: 'good.pdf', data: pdf('good') },
    { name: 'zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) },
    { name: traversal, data: random(300) },
    { name: 'secret.pdf', data: pdf('secret') },
    { name: 'l1.zip', data: l1, compress: false },
    { name: 'notes.txt', data: Buffer.from('Total: 12\n') },
  ]);
  zip = renameEntry(zip, traversal, '../../etc/passwd');
  return setFlagBits(zip, 'secret.pdf', 0x1);
}

describe('gmail-import', () => {
  it('a hostile ZIP set gives each bad member or archive its own clear error and leaves the other files of the import intact', async () => {
    world = await startImportWorld({ duplicateDelivery: true });
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const bundle = await hostileBundle();
    const truncated = (await buildZip([{ name: 'a.pdf', data: pdf('a') }, { name: 'b.pdf', data: pdf('b') }])).subarray(0, 120);
    const message = world.google.state.gmail.addMessage({
      from: 'supplier@example.test', subject: 'Invoices', attachments: [
        { filename: 'invoice.pdf', mimeType: 'application/pdf', bytes: pdf('invoice') },
        { filename: 'bundle.zip', mimeType: 'application/zip', bytes: bundle },
        { filename: 'truncated.zip', mimeType: 'application/zip', bytes: truncated },
      ],
    });
    const [invoice, zip, broken] = message.attachments.map((a) => a.attachmentId);

    const started = await world.api.post(`/v1/jobs/${jobId}/imports/gmail`).set(alice)
      .send({ accountId, attachments: [invoice, zip, broken, zip].map((attachmentId) => ({ messageId: message.id, attachmentId })) }).expect(202);
    await world.platform.dispatcher.drain();
    const view = (await world.api.get(`/v1/imports/${started.body.connectorJobId}`).set(alice).expect(200)).body;

    const rows = await importedFiles(world, jobId, 'gmail');
    const byId = new Map(rows.map((r) => [r.external_id!, r]));
    expect(rows).toHaveLength(rows.length && new Set(rows.map((r) => r.external_id)).size); // no duplicates
    const key = (att: string | undefined, member?: string) => `${message.id}:${att}${member ? `/${member}` : ''}`;
    expect(byId.get(key(invoice))).toMatchObject({ status: 'uploaded', file_type: 'application/pdf', original_filename: 'invoice.pdf', parent_file_id: null });
    const archive = byId.get(key(zip))!;
    expect(archive).toMatchObject({ status: 'unpacked', file_type: 'archive', original_filename: 'bundle.zip' });
    const member = (path: string) => byId.get(key(zip, path));
    expect(member('good.pdf')).toMatchObject({ status: 'uploaded', file_type: 'application/pdf', parent_file_id: archive.id });
    expect(member('notes.txt')).toMatchObject({ status: 'uploaded', file_type: 'text/plain' });
    expect(member('l1.zip/l2.zip/level2.pdf')).toMatchObject({ status: 'uploaded' });
    expect(member('zeros.bin')!.error_message).toMatch(/compression ratio .* over the limit/);
    expect(member('../../etc/passwd')!.error_message).toMatch(/unsafe name, it contains a '\.\.' segment/);
    expect(member('secret.pdf')!.error_message).toMatch(/encrypted, cannot be read/);
    expect(member('l1.zip/l2.zip/l3.zip')!.error_message).toMatch(/nested deeper than the limit of 2 levels/);
    for (const bad of ['zeros.bin', '../../etc/passwd', 'secret.pdf', 'l1.zip/l2.zip/l3.zip']) {
      expect(member(bad)).toMatchObject({ status: 'failed', parent_file_id: archive.id });
    }
    expect(byId.get(key(broken))).toMatchObject({ status: 'failed', error_message: expect.stringMatching(/^truncated\.zip: the archive cannot be opened/) });
    // Object names come from ids, never from a member's name.
    for (const row of rows) expect(row.gcs_object_name).toMatch(/^alice\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    expect(member('good.pdf')!.checksum_sha256).toMatch(/^[0-9a-f]{64}$/);

    expect(view).toMatchObject({ status: 'success', counts: { imported: 4, skipped: 0, failed: 5 } });
    expect((await activity(world, 'connector_sync_completed'))[0]!.description).toBe('Gmail sync completed - 4 files imported');
    // messages.get once for the three attachments; attachments.get once each.
    expect(world.google.state.requestsTo('gmail', '/attachments/')).toHaveLength(3);
    expect(world.google.state.requestsTo('gmail').filter((r) => !r.path.includes('/attachments/'))).toHaveLength(1);
  });

  it('a 429 rateLimitExceeded from Gmail reschedules the import honouring Retry-After', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const message = world.google.state.gmail.addMessage({ from: 'x@example.test', subject: 's', attachments: [{ filename: 'a.pdf', mimeType: 'application/pdf', bytes: pdf('a') }] });
    world.google.faults.add({ api: 'gmail', status: 429, retryAfterSeconds: 1, times: 1 });

    const t0 = Date.now();
    const started = await world.api.post(`/v1/jobs/${jobId}/imports/gmail`).set(alice)
      .send({ accountId, attachments: [{ messageId: message.id, attachmentId: message.attachments[0]!.attachmentId }] }).expect(202);
    await world.platform.dispatcher.drain();
    const view = (await world.api.get(`/v1/imports/${started.body.connectorJobId}`).set(alice).expect(200)).body;
    expect(view).toMatchObject({ status: 'success', attempts: 2, counts: { imported: 1 } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000); // Retry-After: 1 over the 50 ms backoff
  });
});
