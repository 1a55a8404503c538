import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ACCOUNT, renderTextPdf, seedDemoAccount, startGoogleDouble, type GoogleDouble } from '../../shared/local/google/index.js';
import { DRIVE_READONLY, GMAIL_READONLY, driveClient, gmailClient, oauthClient } from './clients.js';

let google: GoogleDouble;

beforeAll(async () => {
  google = await startGoogleDouble();
});
afterAll(() => google.close());

it('the seeded demo account signs in through consent and sees its Invoices folder and a PDF in Gmail', async () => {
  const sample = { name: 'sample-invoice.pdf', bytes: renderTextPdf(['Sample']) };
  const demo = seedDemoAccount(google.state, [sample]);
  expect(demo.account.name).toContain('not Google');

  const auth = oauthClient(google);
  const { codeVerifier, codeChallenge } = await auth.generateCodeVerifierAsync();
  const url = auth.generateAuthUrl({ access_type: 'offline', scope: [DRIVE_READONLY, GMAIL_READONLY], code_challenge: codeChallenge, code_challenge_method: 'S256' as never });
  const callback = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
  auth.setCredentials((await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier })).tokens);

  const { data: me } = await auth.request<{ email: string }>({ url: google.endpoints.userinfoUrl });
  expect(me.email).toBe(DEMO_ACCOUNT.email);
  const { data: folders } = await driveClient(google, auth).files.list({ q: "name = 'Invoices' and mimeType = 'application/vnd.google-apps.folder' and trashed = false" });
  expect(folders.files?.map((f) => f.id)).toEqual([demo.invoicesFolder.id]);
  const { data: inFolder } = await driveClient(google, auth).files.list({ q: `'${demo.invoicesFolder.id}' in parents`, fields: 'files(name)' });
  expect(inFolder.files?.map((f) => f.name)).toContain('sample-invoice.pdf');
  const { data: mail } = await gmailClient(google, auth).users.messages.list({ userId: 'me', q: 'has:attachment filename:pdf' });
  expect(mail.messages?.map((m) => m.id)).toEqual([demo.message.id]);
});
