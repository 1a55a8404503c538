import { connectAccount, createJob, pdf, startImportWorld, type ImportWorld } from '../imports/fixtures.js';

export { alice, bob, pdf } from '../imports/fixtures.js';
export type { ImportWorld };

/**
 * An import world (the Google double behind the real clients, the api, the in-process
 * dispatcher wired to every stage) with alice's job, her connected account whose Gmail
 * watch starts now (`gmail_history_id` = the mailbox's current history id), and an
 * automation created through the api.
 */
export async function startAutomationWorld(options: { duplicateDelivery?: boolean; exportConfig?: object | null; mimeTypes?: string[] } = {}) {
  const world = await startImportWorld({ duplicateDelivery: options.duplicateDelivery });
  const email = 'alice@example.test';
  const jobId = await createJob(world);
  const accountId = await connectAccount(world, 'alice', email);
  await world.platform.database.db.updateTable('integration_accounts')
    .set({ gmail_history_id: String(world.google.state.gmail.historyId()) }).where('id', '=', accountId).execute();
  const created = await world.api.post('/v1/automations').set({ Authorization: 'Bearer dev:alice' }).send({
    name: 'Vendor invoices', jobId, accountId,
    trigger: { query: 'from:vendor@example.test has:attachment', mimeTypes: options.mimeTypes ?? ['application/pdf'] },
    ...(options.exportConfig === null ? {} : { export: options.exportConfig ?? { destType: 'download', fileType: 'csv' } }),
  }).expect(201);
  return { world, email, jobId, accountId, automationId: created.body.id as string };
}

/** Delivers what Gmail publishes to the watch topic for the mailbox's current history id, and lets every stage run. */
export async function push(world: ImportWorld, emailAddress: string, historyId = String(world.google.state.gmail.historyId())): Promise<void> {
  await world.platform.bus.publish('gmail.notification', { emailAddress, historyId });
  await world.platform.dispatcher.drain();
}

/** A message from the vendor with a PDF invoice attached. */
export function vendorInvoice(world: ImportWorld, options: { from?: string; filename?: string; mimeType?: string } = {}) {
  return world.google.state.gmail.addMessage({
    from: options.from ?? 'vendor@example.test', subject: 'Invoice 42', body: 'Please find the invoice attached.',
    attachments: [{ filename: options.filename ?? 'invoice-42.pdf', mimeType: options.mimeType ?? 'application/pdf', bytes: pdf('invoice 42') }],
  });
}

export async function counts(world: ImportWorld) {
  const db = world.platform.database.db;
  const n = async (table: 'automation_runs' | 'connector_jobs' | 'job_runs' | 'job_exports') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { automationRuns: await n('automation_runs'), imports: await n('connector_jobs'), runs: await n('job_runs'), exports: await n('job_exports') };
}
