import { afterEach, describe, expect, it } from 'vitest';
import { alice, connectAccount, createJob, pdf, startImportWorld, type ImportWorld } from './fixtures.js';

let world: ImportWorld;
afterEach(() => world?.close());

describe('a job fed from every source', () => {
  it('an uploaded PDF, a Drive Google Doc and a Gmail attachment give result rows whose sourceType are upload, gdrive and gmail', async () => {
    world = await startImportWorld();
    const jobId = await createJob(world);
    const accountId = await connectAccount(world, 'alice', 'alice@example.test');
    await world.api.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', pdf('uploaded'), 'uploaded.pdf').expect(201);
    const doc = world.google.state.drive.addGoogleDoc({ name: 'From Drive', text: 'Total: 5' });
    const message = world.google.state.gmail.addMessage({ from: 'x@example.test', subject: 'Invoice', attachments: [{ filename: 'from-gmail.pdf', mimeType: 'application/pdf', bytes: pdf('gmail') }] });

    await world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).send({ accountId, fileIds: [doc.id] }).expect(202);
    await world.api.post(`/v1/jobs/${jobId}/imports/gmail`).set(alice)
      .send({ accountId, attachments: [{ messageId: message.id, attachmentId: message.attachments[0]!.attachmentId }] }).expect(202);
    await world.platform.dispatcher.drain();

    const run = await world.api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await world.platform.dispatcher.drain();
    const results = await world.api.get(`/v1/runs/${run.body.runId}/results`).set(alice).expect(200);
    const rows = results.body.items.map((r: { sourceFileName: string; sourceType: string }) => [r.sourceType, r.sourceFileName]).sort();
    expect(rows).toEqual([['gdrive', 'From Drive.pdf'], ['gmail', 'from-gmail.pdf'], ['upload', 'uploaded.pdf']]);
    const files = await world.api.get(`/v1/jobs/${jobId}/files`).set(alice).expect(200);
    expect(files.body.items ?? files.body).toHaveLength(3);
  });
});
