import { describe, expect, it } from 'vitest';
import { buildGoogleAuthorizationUrl } from '../../shared/auth/google-authorization-url.js';

const request = {
  clientId: 'client-123.apps.googleusercontent.com',
  redirectUri: 'https://api.bytereview.example/oauth-callback',
  scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/drive.readonly'],
  state: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
};

describe('Google authorization URL', () => {
  it('the URL carries every parameter of an offline, consented, incremental PKCE request', () => {
    const url = new URL(buildGoogleAuthorizationUrl({ ...request, loginHint: 'ada@example.com' }));
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toEqual({
      response_type: 'code',
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      scope: request.scopes.join(' '),
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      login_hint: 'ada@example.com',
    });
  });

  it('without a login hint the URL names no account', () => {
    const url = new URL(buildGoogleAuthorizationUrl(request));
    expect(url.searchParams.has('login_hint')).toBe(false);
  });

  it('an auth base URL override points the request at the local simulated account', () => {
    const url = new URL(buildGoogleAuthorizationUrl({ ...request, authBaseUrl: 'http://127.0.0.1:8089/o/oauth2/v2/auth' }));
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:8089/o/oauth2/v2/auth');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('a request without scopes is refused', () => {
    expect(() => buildGoogleAuthorizationUrl({ ...request, scopes: [] })).toThrow(/scope/);
  });
});
