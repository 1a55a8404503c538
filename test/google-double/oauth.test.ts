import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleDouble, type GoogleDouble } from '../../shared/local/google/index.js';
import { CLIENT, DRIVE_READONLY, GMAIL_READONLY, driveClient, oauthClient } from './clients.js';

/** The shape of the error the Google libraries throw (several gaxios copies exist, so no instanceof). */
type GaxiosError = Error & { status?: number; response?: { data?: unknown } };

let google: GoogleDouble;

beforeAll(async () => {
  google = await startGoogleDouble();
  google.state.addUser({ email: 'ada@example.test', sub: '1001' });
});
afterAll(() => google.close());

/** Follows the generated authorization URL like a browser would, without following the redirect. */
async function consent(url: string): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

async function authorize(scopes: string[], extra: Record<string, string> = {}) {
  const auth = oauthClient(google);
  const { codeVerifier, codeChallenge } = await auth.generateCodeVerifierAsync();
  const url = auth.generateAuthUrl({
    access_type: 'offline',
    scope: scopes,
    state: 'signed-state',
    code_challenge: codeChallenge,
    code_challenge_method: 'S256' as never,
    ...extra,
  });
  return { auth, codeVerifier, callback: await consent(url) };
}

describe('the simulated OAuth 2.0 platform', () => {
  it('approves by default, redirecting back with a code, the state and the granted scopes', async () => {
    const { callback } = await authorize([DRIVE_READONLY, GMAIL_READONLY]);
    expect(callback.origin + callback.pathname).toBe(CLIENT.redirectUri);
    expect(callback.searchParams.get('state')).toBe('signed-state');
    expect(callback.searchParams.get('code')).toMatch(/^4\/0/);
    expect(callback.searchParams.get('scope')).toBe(`${DRIVE_READONLY} ${GMAIL_READONLY}`);
  });

  it('exchanges the code with the PKCE verifier for tokens whose scope is what was granted', async () => {
    const { auth, codeVerifier, callback } = await authorize([DRIVE_READONLY]);
    const { tokens } = await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope).toBe(DRIVE_READONLY);
    expect(tokens.expiry_date).toBeGreaterThan(Date.now());
    expect(tokens.id_token).toBeUndefined();
  });

  it('refuses a reused code with invalid_grant', async () => {
    const { auth, codeVerifier, callback } = await authorize([DRIVE_READONLY]);
    const code = callback.searchParams.get('code')!;
    await auth.getToken({ code, codeVerifier });
    const error = await auth.getToken({ code, codeVerifier }).catch((e: unknown) => e);
    expect((error as GaxiosError).status).toBe(400);
    expect((error as GaxiosError).message).toBe('invalid_grant');
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const { auth, callback } = await authorize([DRIVE_READONLY]);
    const other = await auth.generateCodeVerifierAsync();
    const error = await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier: other.codeVerifier }).catch((e: unknown) => e);
    expect((error as GaxiosError).response?.data).toMatchObject({ error: 'invalid_grant', error_description: 'Invalid code verifier.' });
  });

  it('gives no refresh token without access_type=offline, as Google does', async () => {
    const { auth, codeVerifier, callback } = await authorize([DRIVE_READONLY], { access_type: 'online' });
    const { tokens } = await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('answers access_denied when the simulated user denies', async () => {
    const { callback } = await authorize([DRIVE_READONLY], { simulate: 'deny' } as never);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('signed-state');
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('grants only some scopes when configured to, and the token says so', async () => {
    google.state.oauth.consent = { decision: 'approve', grantScopes: [DRIVE_READONLY] };
    try {
      const { auth, codeVerifier, callback } = await authorize([DRIVE_READONLY, GMAIL_READONLY]);
      expect(callback.searchParams.get('scope')).toBe(DRIVE_READONLY);
      const { tokens } = await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier });
      expect(tokens.scope).toBe(DRIVE_READONLY);
    } finally {
      google.state.oauth.consent = { decision: 'approve' };
    }
  });

  it('shows a clearly labelled consent page when asked for one', async () => {
    const auth = oauthClient(google);
    const page = await fetch(auth.generateAuthUrl({ scope: [DRIVE_READONLY] }) + '&simulate=screen');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('local double, not Google');
  });

  it('refreshes an access token, and a revoked refresh token then answers invalid_grant', async () => {
    const { auth, codeVerifier, callback } = await authorize([DRIVE_READONLY]);
    const { tokens } = await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier });
    auth.setCredentials({ refresh_token: tokens.refresh_token });
    const refreshed = await auth.refreshAccessToken();
    expect(refreshed.credentials.access_token).toBeTruthy();
    expect(refreshed.credentials.access_token).not.toBe(tokens.access_token);

    await auth.revokeToken(tokens.refresh_token!);
    const error = await auth.refreshAccessToken().catch((e: unknown) => e);
    expect((error as GaxiosError).message).toBe('invalid_grant');
    expect((error as GaxiosError).response?.data).toMatchObject({ error: 'invalid_grant' });
  });

  it('serves the signed-in identity at userinfo', async () => {
    const { auth, codeVerifier, callback } = await authorize(['openid', 'email', DRIVE_READONLY]);
    const { tokens } = await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier });
    auth.setCredentials(tokens);
    const { data } = await auth.request<{ sub: string; email: string }>({ url: google.endpoints.userinfoUrl });
    expect(data).toMatchObject({ sub: '1001', email: 'ada@example.test' });
  });

  it('answers 401 to an expired access token, and the library refreshes once and succeeds', async () => {
    const { auth, codeVerifier, callback } = await authorize([DRIVE_READONLY]);
    const { tokens } = await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier });
    // Without a known expiry the library learns of it from the 401 (it refreshes on 401 only then).
    auth.setCredentials({ access_token: tokens.access_token, refresh_token: tokens.refresh_token });
    google.state.expireAccessTokens('ada@example.test');
    const before = google.state.requestsTo('oauth', '/token').length;

    const { data } = await driveClient(google, auth).files.list({ q: "trashed = false" });

    expect(data.files).toBeDefined();
    expect(google.state.requestsTo('oauth', '/token').length).toBe(before + 1);
    const listCalls = google.state.requestsTo('drive', '/drive/v3/files').slice(-2);
    expect(listCalls.map((r) => r.status)).toEqual([401, 200]);
  });

  it('refuses an API call whose token lacks the scope, with 403 insufficientPermissions', async () => {
    const { auth, codeVerifier, callback } = await authorize([GMAIL_READONLY]);
    auth.setCredentials((await auth.getToken({ code: callback.searchParams.get('code')!, codeVerifier })).tokens);
    const error = await driveClient(google, auth).files.list({}).catch((e: unknown) => e);
    expect((error as GaxiosError).status).toBe(403);
    expect((error as GaxiosError).message).toBe('Request had insufficient authentication scopes.');
  });
});
