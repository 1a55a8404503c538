import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVE_READONLY, GMAIL_READONLY } from '../../shared/google/scopes.js';
import { connectGoogleAccount } from '../support/google-account.js';
import { startExportWorld, type ExportWorld } from '../export-runs/fixtures.js';

let world: ExportWorld;
const as = (uid: string) => ({ Authorization: `Bearer dev:${uid}` });

beforeAll(async () => {
  world = await startExportWorld();
  const drive = world.google.state.drive;
  const invoices = drive.addFolder({ name: 'Invoices' });
  drive.addFolder({ name: '2024', parents: [invoices.id] });
  drive.addFolder({ name: "Tom's receipts" });
  drive.addFile({ name: 'loose.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4'), parents: [invoices.id] });
  world.google.state.gmail.addMessage({
    from: 'Billing <billing@supplier.example>', subject: 'Invoice 7', body: 'attached',
    attachments: [{ filename: 'invoice-7.pdf', mimeType: 'application/pdf', bytes: Buffer.alloc(1234, 1) }],
  });
  world.google.state.gmail.addMessage({ from: 'friend@example.com', subject: 'No files here', body: 'hello' });
  await connectGoogleAccount(world.platform, world.google, 'alice', 'alice@example.com', { scopes: [DRIVE_READONLY, GMAIL_READONLY] });
}, 120_000);
afterAll(() => world?.close());

describe('browsing Drive and Gmail through the connection', () => {
  it('lists the folders of My Drive, then of a folder, and finds folders by name', async () => {
    const root = await world.api.get('/v1/integrations/google/drive/folders').set(as('alice')).expect(200);
    expect(root.body.items.map((f: { name: string }) => f.name)).toEqual(['Invoices', "Tom's receipts"]);
    const invoices = root.body.items[0].id;
    const inside = await world.api.get('/v1/integrations/google/drive/folders').query({ parent: invoices }).set(as('alice')).expect(200);
    expect(inside.body).toMatchObject({ parent: invoices, items: [{ name: '2024' }], nextPageToken: null });
    const found = await world.api.get('/v1/integrations/google/drive/folders').query({ q: "Tom's" }).set(as('alice')).expect(200);
    expect(found.body.items.map((f: { name: string }) => f.name)).toEqual(["Tom's receipts"]);
  });

  it('searches messages with attachments and shows each attachment\'s name, type and size', async () => {
    const res = await world.api.get('/v1/integrations/google/gmail/messages').query({ q: 'from:billing@supplier.example' }).set(as('alice')).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({
      from: 'Billing <billing@supplier.example>', subject: 'Invoice 7',
      attachments: [{ attachmentId: expect.any(String), filename: 'invoice-7.pdf', mimeType: 'application/pdf', size: 1234 }],
    })]);
    const all = await world.api.get('/v1/integrations/google/gmail/messages').set(as('alice')).expect(200);
    expect(all.body.items.map((m: { subject: string }) => m.subject)).not.toContain('No files here');
  });

  it('answers Google\'s rate limits as 429 with its Retry-After, a 403 rate limit too', async () => {
    world.google.faults.add({ api: 'drive', status: 429, retryAfterSeconds: 7 });
    const limited = await world.api.get('/v1/integrations/google/drive/folders').set(as('alice')).expect(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.body.error.code).toBe('google_rate_limited');
    // google-auth-library refreshes and retries once after a 403, so Google answers it twice.
    world.google.faults.add({ api: 'gmail', status: 403, times: 2 });
    const forbidden = await world.api.get('/v1/integrations/google/gmail/messages').set(as('alice')).expect(429);
    expect(Number(forbidden.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('is owner-only: another user has no connection to browse, and cannot name alice\'s account', async () => {
    const none = await world.api.get('/v1/integrations/google/drive/folders').set(as('bob')).expect(409);
    expect(none.body.error.code).toBe('account_not_connected');
    const alice = (await world.api.get('/v1/integrations').set(as('alice')).expect(200)).body.items[0].id;
    await world.api.get('/v1/integrations/google/gmail/messages').query({ accountId: alice }).set(as('bob')).expect(404);
    await world.api.get('/v1/integrations/google/drive/folders').query({ parent: "x' or '1'='1" }).set(as('alice')).expect(400);
  });
});
