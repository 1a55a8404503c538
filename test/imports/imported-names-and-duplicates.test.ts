import { afterEach, describe, expect, it } from 'vitest';
import { buildZip } from '../archives/zip-fixtures.js';
import { alice, connectAccount, createJob, importedFiles, pdf, startImportWorld, type ImportWorld } from './fixtures.js';

let world: ImportWorld;
afterEach(() => world?.close());

// 'Ünïcode 中文' written decomposed (U+0308 combining diaeresis), as macOS file systems hand it over.
const decomposed = 'U\u0308ni\u0308code 中文';
const composed = 'Ünïcode 中文';

describe('imported file names and members', () => {
  it('a ZIP holding two different same.pdf keeps both, and names arrive NFC-normalised, and an empty attachment says it is empty', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const zip = await buildZip([{ name: 'same.pdf', data: pdf('first copy') }, { name: 'same.pdf', data: pdf('second copy, other bytes') }]);
    const message = world.google.state.gmail.addMessage({
      from: 'supplier@example.test', subject: 'Invoices', attachments: [
        { filename: 'bundle.zip', mimeType: 'application/zip', bytes: zip },
        { filename: `${decomposed}.pdf`, mimeType: 'application/pdf', bytes: pdf('named') },
        { filename: 'empty.pdf', mimeType: 'application/pdf', bytes: Buffer.alloc(0) },
      ],
    });
    const [bundle, named, empty] = message.attachments.map((a) => a.attachmentId);
    const attachments = [bundle, named, empty].map((attachmentId) => ({ messageId: message.id, attachmentId }));
    await world.api.post(`/v1/jobs/${jobId}/imports/gmail`).set(alice).send({ accountId, attachments }).expect(202);
    await world.platform.dispatcher.drain();

    const rows = await importedFiles(world, jobId, 'gmail');
    const byId = new Map(rows.map((r) => [r.external_id!, r]));
    const first = byId.get(`${message.id}:${bundle}/same.pdf`);
    const second = byId.get(`${message.id}:${bundle}/same.pdf#2`);
    expect(first).toMatchObject({ status: 'uploaded', original_filename: 'same.pdf' });
    expect(second).toMatchObject({ status: 'uploaded', original_filename: 'same.pdf' });
    expect(first!.checksum_sha256).not.toBe(second!.checksum_sha256);
    expect(byId.get(`${message.id}:${named}`)).toMatchObject({ status: 'uploaded', original_filename: `${composed}.pdf` });
    expect(byId.get(`${message.id}:${empty}`)).toMatchObject({ status: 'failed', error_message: 'The file is empty (0 bytes): there is nothing to extract' });

    // The api shows the same names; a second import of the same message adds nothing.
    const files = (await world.api.get(`/v1/jobs/${jobId}/files`).set(alice).expect(200)).body.items as { filename: string }[];
    expect(files.filter((f) => f.filename === 'same.pdf')).toHaveLength(2);
    expect(files.map((f) => f.filename)).toContain(`${composed}.pdf`);
    await world.api.post(`/v1/jobs/${jobId}/imports/gmail`).set(alice).send({ accountId, attachments }).expect(202);
    await world.platform.dispatcher.drain();
    expect(await importedFiles(world, jobId, 'gmail')).toHaveLength(rows.length);
  });

  it('a Drive file name arrives NFC-normalised, exactly otherwise', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    const file = world.google.state.drive.addFile({ name: `${decomposed} (2).pdf`, mimeType: 'application/pdf', bytes: pdf('drive') });
    await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, fileIds: [file.id] }).expect(202);
    await world.platform.dispatcher.drain();
    const [row] = await importedFiles(world, jobId, 'gdrive');
    expect(row).toMatchObject({ status: 'uploaded', original_filename: `${composed} (2).pdf` });
  });
});
