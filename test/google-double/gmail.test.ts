import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTextPdf, startGoogleDouble, type GoogleDouble } from '../../shared/local/google/index.js';
import { GMAIL_READONLY, GMAIL_SEND, gmailClient, signedInClient } from './clients.js';

type GaxiosError = Error & { status?: number; response?: { data?: unknown } };
type Part = { filename?: string | null; mimeType?: string | null; body?: { attachmentId?: string | null; size?: number | null } | null; parts?: Part[] | null };

let google: GoogleDouble;
let api: ReturnType<typeof gmailClient>;
const invoice = renderTextPdf(['Invoice INV-7', 'Total: 42.00 EUR']);

beforeAll(async () => {
  google = await startGoogleDouble();
  api = gmailClient(google, signedInClient(google, 'ada@example.test', [GMAIL_READONLY, GMAIL_SEND]));
  const mail = google.state.gmail;
  mail.addMessage({ from: 'Billing <billing@supplier.example>', subject: 'Invoice INV-7', body: 'See attached.', attachments: [{ filename: 'INV-7.pdf', mimeType: 'application/pdf', bytes: invoice }] });
  mail.addMessage({ from: 'friend@example.test', subject: 'Lunch?', body: 'Pizza at noon' });
  mail.addMessage({ from: 'billing@supplier.example', subject: 'Archive', body: 'Zipped', attachments: [{ filename: 'q3.zip', mimeType: 'application/zip', bytes: Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1') }] });
});
afterAll(() => google.close());

const attachmentParts = (part: Part): Part[] => [...(part.body?.attachmentId ? [part] : []), ...(part.parts ?? []).flatMap(attachmentParts)];

describe('the Gmail v1 double', () => {
  it('answers the profile with the token\'s address and the current history id', async () => {
    const { data } = await api.users.getProfile({ userId: 'me' });
    expect(data.emailAddress).toBe('ada@example.test');
    expect(Number(data.historyId)).toBe(google.state.gmail.historyId());
  });

  it('lists messages matching from:, has:attachment, filename: and subject: queries', async () => {
    const subjects = async (q: string) => {
      const { data } = await api.users.messages.list({ userId: 'me', q });
      const found = await Promise.all((data.messages ?? []).map((m) => api.users.messages.get({ userId: 'me', id: m.id!, format: 'metadata', metadataHeaders: ['Subject'] })));
      return found.map((r) => r.data.payload?.headers?.[0]?.value).sort();
    };
    expect(await subjects('from:billing@supplier.example has:attachment')).toEqual(['Archive', 'Invoice INV-7']);
    expect(await subjects('from:billing@supplier.example filename:pdf')).toEqual(['Invoice INV-7']);
    expect(await subjects('filename:zip')).toEqual(['Archive']);
    expect(await subjects('subject:lunch')).toEqual(['Lunch?']);
    expect(await subjects('pizza')).toEqual(['Lunch?']);
    expect(await subjects('has:attachment -filename:zip')).toEqual(['Invoice INV-7']);
    const none = await api.users.messages.list({ userId: 'me', q: 'from:nobody@example.test' });
    expect(none.data).toEqual({ resultSizeEstimate: 0 });
  });

  it('pages messages.list with maxResults and pageToken', async () => {
    const first = await api.users.messages.list({ userId: 'me', maxResults: 2 });
    expect(first.data.messages).toHaveLength(2);
    const second = await api.users.messages.list({ userId: 'me', maxResults: 2, pageToken: first.data.nextPageToken! });
    expect(second.data.messages).toHaveLength(1);
    expect(second.data.nextPageToken).toBeUndefined();
  });

  it('gets a full message with headers and attachment parts, and the attachment bytes round-trip', async () => {
    const { data: list } = await api.users.messages.list({ userId: 'me', q: 'filename:pdf' });
    const { data: message } = await api.users.messages.get({ userId: 'me', id: list.messages![0]!.id!, format: 'full' });
    const headers = Object.fromEntries(message.payload!.headers!.map((h) => [h.name, h.value]));
    expect(headers).toMatchObject({ From: 'Billing <billing@supplier.example>', To: 'me', Subject: 'Invoice INV-7' });
    expect(new Date(headers.Date!).getTime()).toBeGreaterThan(0);
    const [part] = attachmentParts(message.payload as Part);
    expect(part).toMatchObject({ filename: 'INV-7.pdf', mimeType: 'application/pdf', body: { size: invoice.length } });

    const { data: attachment } = await api.users.messages.attachments.get({ userId: 'me', messageId: message.id!, id: part!.body!.attachmentId! });
    expect(attachment.size).toBe(invoice.length);
    expect(Buffer.from(attachment.data!, 'base64url').equals(invoice)).toBe(true);
  });

  it('serves a message as raw RFC 822 that a MIME parser reads back', async () => {
    const { data: list } = await api.users.messages.list({ userId: 'me', q: 'filename:pdf' });
    const { data } = await api.users.messages.get({ userId: 'me', id: list.messages![0]!.id!, format: 'raw' });
    const mail = await simpleParser(Buffer.from(data.raw!, 'base64url'));
    expect(mail.subject).toBe('Invoice INV-7');
    expect(mail.attachments[0]!.content.equals(invoice)).toBe(true);
  });

  it('lists messages added since a history id, and answers 404 once that history is gone', async () => {
    const { data: profile } = await api.users.getProfile({ userId: 'me' });
    const added = google.state.gmail.addMessage({ from: 'billing@supplier.example', subject: 'Invoice INV-8', attachments: [{ filename: 'INV-8.pdf', mimeType: 'application/pdf', bytes: invoice }] });
    const { data } = await api.users.history.list({ userId: 'me', startHistoryId: profile.historyId!, historyTypes: ['messageAdded'] });
    expect(data.history?.flatMap((h) => h.messagesAdded ?? []).map((a) => a.message?.id)).toEqual([added.id]);
    expect(data.historyId).toBe(String(added.historyId));

    google.state.gmail.forgetHistoryBefore();
    const error = (await api.users.history.list({ userId: 'me', startHistoryId: profile.historyId! }).catch((e: unknown) => e)) as GaxiosError;
    expect(error.status).toBe(404);
  });

  it('stores a message sent as raw base64url and reads it back, attachment included', async () => {
    const raw = await new MailComposer({
      from: 'ada@example.test',
      to: 'boss@example.test',
      subject: 'ByteReview export: Invoices (run 3)',
      text: 'Your export is attached.',
      attachments: [{ filename: 'run-3.csv', contentType: 'text/csv', content: 'a,b\n1,2\n' }],
    }).compile().build();
    const { data: sent } = await api.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url') } });
    expect(sent.labelIds).toEqual(['SENT']);
    expect(sent.threadId).toBeTruthy();

    const { data: back } = await api.users.messages.get({ userId: 'me', id: sent.id! });
    const subject = back.payload!.headers!.find((h) => h.name === 'Subject')?.value;
    expect(subject).toBe('ByteReview export: Invoices (run 3)');
    const [part] = attachmentParts(back.payload as Part);
    const { data: attachment } = await api.users.messages.attachments.get({ userId: 'me', messageId: sent.id!, id: part!.body!.attachmentId! });
    expect(Buffer.from(attachment.data!, 'base64url').toString()).toBe('a,b\n1,2\n');

    const [stored] = google.state.gmail.sentMessages();
    expect(stored!.raw.equals(raw)).toBe(true);
    expect((await api.users.messages.list({ userId: 'me', q: 'in:sent' })).data.messages?.map((m) => m.id)).toEqual([sent.id]);
  });

  it('refuses to send without the send scope', async () => {
    const readOnly = gmailClient(google, signedInClient(google, 'ada@example.test', [GMAIL_READONLY]));
    const error = (await readOnly.users.messages.send({ userId: 'me', requestBody: { raw: 'eA' } }).catch((e: unknown) => e)) as GaxiosError;
    expect(error.status).toBe(403);
  });

  it('starts a watch that answers historyId and expiration, notifies on new mail, and stops', async () => {
    const notifications: number[] = [];
    google.state.gmail.onWatchNotification((n) => notifications.push(n.historyId));
    const { data } = await api.users.watch({ userId: 'me', requestBody: { topicName: 'projects/local/topics/gmail-push', labelIds: ['INBOX'] } });
    expect(Number(data.historyId)).toBe(google.state.gmail.historyId());
    expect(Number(data.expiration)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    const added = google.state.gmail.addMessage({ from: 'x@example.test', subject: 'ping' });
    expect(notifications).toEqual([added.historyId]);

    await api.users.stop({ userId: 'me' });
    google.state.gmail.addMessage({ from: 'x@example.test', subject: 'pong' });
    expect(notifications).toHaveLength(1);
  });
});
