import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { buildZip } from '../archives/zip-fixtures.js';
import { alice, counts, pdf, push, startAutomationWorld, vendorInvoice, type ImportWorld } from './world.js';

let world: ImportWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function readBlob(w: ImportWorld, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of w.platform.blobs.read('exports', name)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('gmail-push: automations fire on new Gmail messages', () => {
  it('an email matching the query with a PDF, pushed twice (and delivered twice), gives one automation run, one import, one run and one export with the rows', async () => {
    const setup = await startAutomationWorld({ duplicateDelivery: true });
    world = setup.world;
    const db = world.platform.database.db;
    const message = vendorInvoice(world);

    await push(world, setup.email);
    await push(world, setup.email);
    // Replaying the history (the stored position lost its progress) still fires nothing twice.
    const before = (await db.selectFrom('integration_accounts').select('gmail_history_id').where('id', '=', setup.accountId).executeTakeFirstOrThrow()).gmail_history_id;
    expect(before).toBe(String(message.historyId));
    await db.updateTable('integration_accounts').set({ gmail_history_id: String(message.historyId - 1) }).where('id', '=', setup.accountId).execute();
    await push(world, setup.email);

    expect(await counts(world)).toEqual({ automationRuns: 1, imports: 1, runs: 1, exports: 1 });
    const imported = await db.selectFrom('source_files').select(['external_id', 'original_filename', 'status']).where('job_id', '=', setup.jobId).execute();
    expect(imported).toEqual([{ external_id: `${message.id}:${message.attachments[0]!.attachmentId}`, original_filename: 'invoice-42.pdf', status: 'uploaded' }]);
    const run = await db.selectFrom('job_runs').selectAll().executeTakeFirstOrThrow();
    expect(run).toMatchObject({ job_id: setup.jobId, trigger: 'automation', status: 'completed' });

    const runs = (await world.api.get(`/v1/automations/${setup.automationId}/runs`).set(alice).expect(200)).body.items;
    expect(runs).toEqual([expect.objectContaining({ status: 'completed', runId: run.id, error: null })]);
    const automation = (await world.api.get(`/v1/automations/${setup.automationId}`).set(alice).expect(200)).body;
    expect(automation.lastFiredAt).not.toBeNull();

    const exported = await db.selectFrom('job_exports').selectAll().executeTakeFirstOrThrow();
    expect(exported).toMatchObject({ run_id: run.id, automation_id: setup.automationId, dest_type: 'download', file_type: 'csv', status: 'completed' });
    const rows = parse(await readBlob(world, exported.external_id!), { bom: true }) as string[][];
    expect(rows[0]).toContain('File');
    expect(rows.slice(1)).toEqual([expect.arrayContaining(['invoice-42.pdf'])]);
  });

  it('a message that does not match the query, or has no attachment of the wanted type, fires nothing (and the history moves on)', async () => {
    const setup = await startAutomationWorld();
    world = setup.world;
    vendorInvoice(world, { from: 'someone-else@example.test' });
    vendorInvoice(world, { filename: 'notes.txt', mimeType: 'text/plain' });
    await push(world, setup.email);

    expect(await counts(world)).toEqual({ automationRuns: 0, imports: 0, runs: 0, exports: 0 });
    const account = await world.platform.database.db.selectFrom('integration_accounts').select('gmail_history_id').where('id', '=', setup.accountId).executeTakeFirstOrThrow();
    expect(account.gmail_history_id).toBe(String(world.google.state.gmail.historyId()));
  });

  it('a revoked account fires nothing and calls no Google API', async () => {
    const setup = await startAutomationWorld();
    world = setup.world;
    const db = world.platform.database.db;
    await db.updateTable('integration_accounts').set({ status: 'revoked', access_token: null, refresh_token: null }).where('id', '=', setup.accountId).execute();
    vendorInvoice(world);
    const requests = world.google.state.requests.length;
    await push(world, setup.email);

    expect(world.google.state.requests.length).toBe(requests);
    expect(await counts(world)).toEqual({ automationRuns: 0, imports: 0, runs: 0, exports: 0 });
    const automation = await db.selectFrom('automations').select(['is_enabled', 'last_fired_at']).where('id', '=', setup.automationId).executeTakeFirstOrThrow();
    expect(automation).toEqual({ is_enabled: true, last_fired_at: null });
  });

  it('a disabled automation fires nothing', async () => {
    const setup = await startAutomationWorld();
    world = setup.world;
    await world.api.patch(`/v1/automations/${setup.automationId}`).set(alice).send({ isEnabled: false }).expect(200);
    vendorInvoice(world);
    await push(world, setup.email);
    expect(await counts(world)).toEqual({ automationRuns: 0, imports: 0, runs: 0, exports: 0 });
  });

  it('a history Gmail no longer has (404) falls back to the query over the last day', async () => {
    const setup = await startAutomationWorld({ exportConfig: null });
    world = setup.world;
    const message = vendorInvoice(world);
    world.google.state.gmail.forgetHistoryBefore();
    await push(world, setup.email);

    expect(await counts(world)).toEqual({ automationRuns: 1, imports: 1, runs: 1, exports: 0 });
    const runs = (await world.api.get(`/v1/automations/${setup.automationId}/runs`).set(alice).expect(200)).body.items;
    expect(runs).toEqual([expect.objectContaining({ status: 'completed' })]);
    expect(world.google.state.requestsTo('gmail', '/messages').some((r) => r.path.includes(message.id))).toBe(true);
  });

  it("Gmail's own push (historyId as a JSON number) is accepted at the edge", async () => {
    const setup = await startAutomationWorld();
    const w = setup.world;
    world = w;
    vendorInvoice(w);
    const delivered: unknown[] = [];
    const handler = pubsubHandler('gmail.notification', async (message) => {
      delivered.push(message);
      await w.platform.bus.publish('gmail.notification', { ...message, historyId: String(message.historyId) });
    });
    const data = Buffer.from(JSON.stringify({ emailAddress: setup.email, historyId: w.google.state.gmail.historyId() })).toString('base64');
    await handler({ data: { message: { data, messageId: '1' }, subscription: 'projects/p/subscriptions/gmail-push' } } as Parameters<typeof handler>[0]);
    await w.platform.dispatcher.drain();
    expect(delivered).toEqual([{ emailAddress: setup.email, historyId: w.google.state.gmail.historyId() }]);
    expect(await counts(w)).toMatchObject({ automationRuns: 1, imports: 1 });
  });

  it('a Gmail 5xx while reading the history is retried by redelivery, and the message fires once', async () => {
    const setup = await startAutomationWorld({ exportConfig: null });
    world = setup.world;
    vendorInvoice(world);
    world.google.faults.add({ api: 'gmail', pathIncludes: '/history', status: 503, times: 1 });
    await push(world, setup.email);
    expect(await counts(world)).toEqual({ automationRuns: 1, imports: 1, runs: 1, exports: 0 });
  });

  it('an import that fails, or imports no file, fails the automation run with the reason and starts no run', async () => {
    const setup = await startAutomationWorld();
    world = setup.world;
    world.google.faults.add({ api: 'gmail', pathIncludes: '/attachments/', status: 503, times: Infinity });
    vendorInvoice(world);
    await push(world, setup.email);
    world.google.faults.clear();
    world.google.faults.add({ api: 'gmail', pathIncludes: '/attachments/', status: 404, times: Infinity });
    vendorInvoice(world, { filename: 'invoice-43.pdf' });
    await push(world, setup.email);

    expect(await counts(world)).toEqual({ automationRuns: 2, imports: 2, runs: 0, exports: 0 });
    const runs = (await world.api.get(`/v1/automations/${setup.automationId}/runs`).set(alice).expect(200)).body.items as { status: string; error: string }[];
    expect(runs.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(runs.map((r) => r.error).sort()).toEqual([expect.stringMatching(/^The Gmail import failed: /), 'The Gmail import left no file to extract']);
  });
});

describe('an automation run covers only what its email brought', () => {
  it("the second invoice email's run extracts its own PDF and ZIP members only, its export holds only those rows, and a manual run still covers every file", async () => {
    const setup = await startAutomationWorld({ mimeTypes: ['application/pdf', 'application/zip'] });
    world = setup.world;
    const db = world.platform.database.db;
    vendorInvoice(world, { filename: 'invoice-41.pdf' });
    await push(world, setup.email);
    const bundle = await buildZip([{ name: 'march/a-receipt.pdf', data: pdf('receipt a') }, { name: 'b-receipt.pdf', data: pdf('receipt b') }]);
    world.google.state.gmail.addMessage({
      from: 'vendor@example.test', subject: 'Invoice 43 and receipts', body: 'Attached.',
      attachments: [
        { filename: 'invoice-43.pdf', mimeType: 'application/pdf', bytes: pdf('invoice 43') },
        { filename: 'receipts.zip', mimeType: 'application/zip', bytes: bundle },
      ],
    });
    await push(world, setup.email);

    const runs = await db.selectFrom('job_runs').select(['id', 'run_number', 'status', 'tasks_total']).orderBy('run_number').execute();
    expect(runs.map((r) => [r.run_number, r.status, r.tasks_total])).toEqual([[1, 'completed', 1], [2, 'completed', 3]]);
    const taskFiles = async (runId: string) => (await db.selectFrom('extraction_tasks').select('source_filename').where('run_id', '=', runId).execute())
      .map((t) => t.source_filename).sort();
    expect(await taskFiles(runs[1]!.id)).toEqual(['a-receipt.pdf', 'b-receipt.pdf', 'invoice-43.pdf']);

    const exports = await db.selectFrom('job_exports').select(['run_id', 'external_id', 'status']).orderBy('created_at').execute();
    expect(exports.map((e) => [e.run_id, e.status])).toEqual([[runs[0]!.id, 'completed'], [runs[1]!.id, 'completed']]);
    const rows = parse(await readBlob(world, exports[1]!.external_id!), { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(['a-receipt.pdf', 'b-receipt.pdf', 'invoice-43.pdf']);

    await world.api.post(`/v1/jobs/${setup.jobId}/runs`).set(alice).send({}).expect(202);
    await world.platform.dispatcher.drain();
    const manual = await db.selectFrom('job_runs').select(['id', 'trigger', 'tasks_total']).where('run_number', '=', 3).executeTakeFirstOrThrow();
    expect(manual.trigger).toBe('manual');
    expect(await taskFiles(manual.id)).toEqual(['a-receipt.pdf', 'b-receipt.pdf', 'invoice-41.pdf', 'invoice-43.pdf']);
  });
});
