import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleDouble, type GoogleDouble } from '../../shared/local/google/index.js';
import { CLIENT, DRIVE_READONLY, GMAIL_READONLY, driveClient, gmailClient, oauthClient, signedInClient } from './clients.js';

type GaxiosError = Error & { status?: number; response?: { data?: unknown; headers?: Headers } };

let google: GoogleDouble;

beforeAll(async () => {
  google = await startGoogleDouble();
  google.state.addUser({ email: 'ada@example.test' });
});
afterEach(() => google.faults.clear());
afterAll(() => google.close());

const drive = () => driveClient(google, signedInClient(google, 'ada@example.test', [DRIVE_READONLY]));
const callsSince = (api: 'drive' | 'gmail' | 'oauth', mark: number) => google.state.requests.slice(mark).filter((r) => r.api === api);

describe('faults injected into the Google double', () => {
  it('answers 429 with Retry-After, then succeeds once the fault is spent', async () => {
    google.faults.add({ api: 'drive', status: 429, retryAfterSeconds: 7, times: 1 });
    const api = drive();
    const error = (await api.files.list({}, { retry: false }).catch((e: unknown) => e)) as GaxiosError;
    expect(error.status).toBe(429);
    expect(error.response?.headers?.get('retry-after')).toBe('7');
    expect(error.response?.data).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded' }] } });

    const { status } = await api.files.list({}, { retry: false });
    expect(status).toBe(200);
  });

  it('lets the client library retry through two 429s, and every attempt is recorded', async () => {
    const mark = google.state.requests.length;
    const fault = google.faults.add({ api: 'gmail', pathIncludes: '/messages', status: 429, retryAfterSeconds: 1, times: 2 });
    const api = gmailClient(google, signedInClient(google, 'ada@example.test', [GMAIL_READONLY]));
    const { status } = await api.users.messages.list({ userId: 'me' });
    expect(status).toBe(200);
    expect(fault.hits).toBe(2);
    expect(callsSince('gmail', mark).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('hits only the requests it targets by path and method', async () => {
    const doc = google.state.drive.addGoogleDoc({ name: 'Doc' });
    google.faults.add({ api: 'drive', pathIncludes: '/export', method: 'GET', status: 403, times: Infinity });
    const api = drive();
    expect((await api.files.get({ fileId: doc.id })).status).toBe(200);
    const error = (await api.files.export({ fileId: doc.id, mimeType: 'application/pdf' }).catch((e: unknown) => e)) as GaxiosError;
    expect(error.status).toBe(403);
    expect(google.faults.pending()).toBe(1);
  });

  it('surfaces invalid_grant on refresh as the library\'s error with invalid_grant', async () => {
    const auth = oauthClient(google);
    const tokens = google.state.issueTokens({ email: 'ada@example.test', scopes: [DRIVE_READONLY], clientId: CLIENT.clientId });
    auth.setCredentials({ ...tokens, expiry_date: Date.now() - 1000 }); // stale: the library refreshes first
    google.faults.add({ api: 'oauth', grantType: 'refresh_token', error: 'invalid_grant' });
    const error = (await driveClient(google, auth).files.list({}).catch((e: unknown) => e)) as GaxiosError;
    expect(error.message).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.response?.data).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers invalid_grant for real once the user revoked the app', async () => {
    const auth = oauthClient(google);
    const tokens = google.state.issueTokens({ email: 'ada@example.test', scopes: [DRIVE_READONLY], clientId: CLIENT.clientId });
    auth.setCredentials({ refresh_token: tokens.refresh_token });
    google.state.revokeRefreshTokens('ada@example.test');
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as GaxiosError;
    expect(error.message).toBe('invalid_grant');
  });

  it('a 500 is retried by the library and the call succeeds', async () => {
    const mark = google.state.requests.length;
    google.faults.add({ api: 'drive', status: 500 });
    expect((await drive().files.list({})).status).toBe(200);
    expect(callsSince('drive', mark).map((r) => r.status)).toEqual([500, 200]);
  });

  it('a 401 makes the library refresh its token once and retry', async () => {
    const auth = oauthClient(google);
    const tokens = google.state.issueTokens({ email: 'ada@example.test', scopes: [DRIVE_READONLY], clientId: CLIENT.clientId });
    auth.setCredentials({ access_token: tokens.access_token, refresh_token: tokens.refresh_token });
    const mark = google.state.requests.length;
    google.faults.add({ api: 'drive', status: 401 });
    expect((await driveClient(google, auth).files.list({})).status).toBe(200);
    expect(google.state.requests.slice(mark).map((r) => `${r.api} ${r.status}`)).toEqual(['drive 401', 'oauth 200', 'drive 200']);
  });

  it('slows an answer down by delayMs and then serves it normally', async () => {
    google.faults.add({ api: 'drive', delayMs: 300 });
    const started = Date.now();
    expect((await drive().files.list({})).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
