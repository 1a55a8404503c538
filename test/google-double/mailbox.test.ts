import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGoogleDouble, type GmailWatchNotification, type GoogleDouble } from '../../shared/local/google/index.js';

let google: GoogleDouble;
beforeAll(async () => {
  google = await startGoogleDouble();
  google.state.addUser({ email: 'demo@bytereview.local' });
});
afterAll(() => google?.close());

const post = (address: string, form: FormData) => fetch(`${google.url}/local/mailbox/${address}/messages`, { method: 'POST', body: form });

it('delivers a posted message with its attachments to the account\'s INBOX and fires the watch', async () => {
  google.state.gmail.startWatch({ emailAddress: 'demo@bytereview.local', topicName: 'projects/p/topics/t', labelIds: ['INBOX'], labelFilterAction: 'include' });
  const notified: GmailWatchNotification[] = [];
  google.state.gmail.onWatchNotification((n) => notified.push(n));
  const form = new FormData();
  form.append('from', 'billing@supplier.example');
  form.append('subject', 'Invoice 9');
  form.append('file', new Blob([Buffer.from('%PDF-1.4 nine')], { type: 'application/pdf' }), 'invoice-9.pdf');
  const res = await post('demo@bytereview.local', form);
  expect(res.status).toBe(201);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const body = await res.json() as { id: string; labelIds: string[]; attachments: { filename: string; size: number }[] };
  expect(body.labelIds).toEqual(['INBOX', 'UNREAD']);
  expect(body.attachments).toEqual([expect.objectContaining({ filename: 'invoice-9.pdf', mimeType: 'application/pdf', size: 13 })]);
  const stored = google.state.gmail.messages.get(body.id)!;
  expect(stored).toMatchObject({ from: 'billing@supplier.example', to: 'demo@bytereview.local', subject: 'Invoice 9' });
  expect(stored.attachments[0]!.bytes.toString()).toBe('%PDF-1.4 nine');
  expect(notified).toEqual([{ emailAddress: 'demo@bytereview.local', historyId: stored.historyId, topicName: 'projects/p/topics/t' }]);
});

it('refuses a message without a sender or subject, for an unknown account, or not as a form', async () => {
  const noFrom = new FormData();
  noFrom.append('subject', 'x');
  const missing = await post('demo@bytereview.local', noFrom);
  expect(missing.status).toBe(400);
  expect(((await missing.json()) as { error: { message: string } }).error.message).toContain("'from'");
  const form = new FormData();
  form.append('from', 'a@b.example');
  form.append('subject', 'x');
  expect((await post('nobody@example.com', form)).status).toBe(404);
  const json = await fetch(`${google.url}/local/mailbox/demo@bytereview.local/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(json.status).toBe(400);
});
