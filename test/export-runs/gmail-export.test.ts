import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { exportMessageId, exportRun } from '../../shared/export-runs/index.js';
import { GMAIL_SEND } from '../../shared/google/scopes.js';
import { activity, alice, connectAccount, DOCUMENTS, exportThroughApi, readExportObject, seedRun, simulateCrashedClaim, startExportWorld, type ExportWorld } from './fixtures.js';

let world: ExportWorld;
afterEach(() => world?.close());

const exportRow = (exportId: string) =>
  world.platform.database.db.selectFrom('job_exports').selectAll().where('id', '=', exportId).executeTakeFirstOrThrow();

describe('Gmail exports', () => {
  it('sends one message that parses into the text body and an attachment whose bytes equal the exported file', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS, jobName: 'Rechnungen März' });
    const { export: sent } = await exportThroughApi(world, runId, { destType: 'gmail', fileType: 'csv', to: 'books@example.org' });
    const { export: download } = await exportThroughApi(world, runId, { destType: 'download', fileType: 'csv' });

    const messages = world.google.state.gmail.sentMessages();
    expect(messages).toHaveLength(1);
    expect(sent).toMatchObject({ status: 'completed', externalId: messages[0]!.id, rowsExported: 6, options: { to: 'books@example.org' } });
    const raw = messages[0]!.raw;
    // RFC 2047: the non-ASCII subject travels encoded, and decodes to the job name.
    expect(raw.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?/m);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Rechnungen März run #1 results');
    expect(mail.messageId).toBe(exportMessageId(sent.id));
    expect(mail.from?.text).toBe('alice@example.com');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('books@example.org');
    expect(mail.text).toContain('Rechnungen März - run 1.csv is attached: 6 rows');
    expect(mail.attachments).toHaveLength(1);
    const [attachment] = mail.attachments;
    expect(attachment!.filename).toBe('Rechnungen März - run 1.csv');
    expect(attachment!.contentType).toBe('text/csv');
    expect(attachment!.content.equals(await readExportObject(world, download.externalId))).toBe(true);
    expect(await activity(world, 'export_completed')).toContainEqual(expect.objectContaining({ description: 'Export of Rechnungen März run #1 as CSV emailed to books@example.org - 6 rows' }));
  });

  it('an XLSX attachment opens with the same typed cells, and the recipient defaults to the account itself', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: sent } = await exportThroughApi(world, runId, { destType: 'gmail', fileType: 'xlsx' });
    expect(sent.options).toEqual({ to: 'alice@example.com' });
    const mail = await simpleParser(world.google.state.gmail.sentMessages()[0]!.raw);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(mail.attachments[0]!.content, { type: 'buffer' }).Sheets.Invoices!, { header: 1 });
    expect(rows.find((row) => row[6] === 'acme-invoice.pdf')).toEqual(['Acme Office Supplies', 3, 45351, 1234.5, true, 'office; q3', 'acme-invoice.pdf', 'upload']);
  });

  it('a duplicate delivery of export.requested sends one email', async () => {
    world = await startExportWorld({ duplicateDelivery: true });
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: sent } = await exportThroughApi(world, runId, { destType: 'gmail', fileType: 'csv' });
    expect(sent.status).toBe('completed');
    expect(world.google.state.gmail.sentMessages()).toHaveLength(1);
  });

  it('a crash between the send and the commit sends no second email: the retry finds the message by its Message-ID', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const { export: sent } = await exportThroughApi(world, runId, { destType: 'gmail', fileType: 'csv' });
    // As the crashed worker left it: marker committed, message sent, completion never written.
    expect(await exportRow(sent.id)).toMatchObject({ delivery_key: exportMessageId(sent.id), delivery_started_at: expect.any(Date) });
    await simulateCrashedClaim(world, sent.id);

    await exportRun(world.platform, { exportId: sent.id }, { gmailSettleSeconds: 3600 });
    expect(world.google.state.gmail.sentMessages()).toHaveLength(1);
    expect(await exportRow(sent.id)).toMatchObject({ status: 'completed', external_id: sent.externalId, attempts: 2 });
  });

  it('a marker with no message found waits out the settle window, then sends exactly once', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const accountId = (await world.platform.database.db.selectFrom('integration_accounts').select('id').executeTakeFirstOrThrow()).id;
    const row = await world.platform.database.db.insertInto('job_exports').values({
      run_id: runId, dest_type: 'gmail', file_type: 'csv', account_id: accountId, options: JSON.stringify({ to: 'alice@example.com' }),
    }).returning('id').executeTakeFirstOrThrow();
    // An earlier attempt committed its marker and died before Gmail had the message.
    await simulateCrashedClaim(world, row.id, { delivery_key: exportMessageId(row.id), delivery_started_at: new Date() });

    await expect(exportRun(world.platform, { exportId: row.id }, { gmailSettleSeconds: 3600 })).rejects.toThrow(/waiting for Gmail/);
    expect(world.google.state.gmail.sentMessages()).toHaveLength(0);
    expect(await exportRow(row.id)).toMatchObject({ status: 'pending', error_code: 'retry_after' });

    await exportRun(world.platform, { exportId: row.id }, { gmailSettleSeconds: 0 });
    await exportRun(world.platform, { exportId: row.id }, { gmailSettleSeconds: 0 });
    expect(world.google.state.gmail.sentMessages()).toHaveLength(1);
    // The third call found the export completed and did nothing.
    expect(await exportRow(row.id)).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('with a marker set and no Gmail read access to check, the export fails rather than risk a second email', async () => {
    world = await startExportWorld();
    const accountId = await connectAccount(world, 'alice', 'alice@example.com', [GMAIL_SEND]);
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    const row = await world.platform.database.db.insertInto('job_exports').values({
      run_id: runId, dest_type: 'gmail', file_type: 'csv', account_id: accountId, options: JSON.stringify({ to: 'alice@example.com' }),
    }).returning('id').executeTakeFirstOrThrow();
    await simulateCrashedClaim(world, row.id, { delivery_key: exportMessageId(row.id), delivery_started_at: new Date(Date.now() - 3600_000) });

    await exportRun(world.platform, { exportId: row.id });
    expect(world.google.state.gmail.sentMessages()).toHaveLength(0);
    expect(await exportRow(row.id)).toMatchObject({ status: 'failed', error_code: 'delivery_unknown', error_message: expect.stringContaining('not sending again') });
  });

  it('a send Gmail refuses fails the export with the reason and clears the marker', async () => {
    world = await startExportWorld();
    await connectAccount(world, 'alice', 'alice@example.com');
    const { runId } = await seedRun(world, { documents: DOCUMENTS });
    world.google.faults.add({ api: 'gmail', pathIncludes: '/messages/send', status: 400 });
    const { export: failed } = await exportThroughApi(world, runId, { destType: 'gmail', fileType: 'csv' });
    expect(failed).toMatchObject({ status: 'failed', errorMessage: 'Bad Request' });
    expect(await exportRow(failed.id)).toMatchObject({ delivery_started_at: null, error_code: 'google_badRequest' });
    expect(world.google.state.gmail.sentMessages()).toHaveLength(0);
    expect(await activity(world, 'export_failed')).toEqual([expect.objectContaining({ description: 'Export of Invoices run #1 as CSV to Gmail failed - Bad Request' })]);
    const listed = await world.api.get(`/v1/runs/${runId}/exports`).set(alice).expect(200);
    expect(listed.body.items[0]).toMatchObject({ status: 'failed', errorMessage: 'Bad Request' });
  });
});
