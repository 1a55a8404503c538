import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';

export interface GoogleAuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  /** The signed state from `createOAuthState`. */
  state: string;
  /** The S256 PKCE challenge from `createOAuthState`. */
  codeChallenge: string;
  /** Pre-selects the account (the user's email). */
  loginHint?: string;
  /** Authorization endpoint override (the local simulated Google account). */
  authBaseUrl?: string;
}

/**
 * The Google consent URL for "connect Google": offline access (a refresh token), consent
 * prompted every time (so Google issues a fresh refresh token), incremental scopes, PKCE S256.
 *
 * @example res.redirect(buildGoogleAuthorizationUrl({ clientId, redirectUri, scopes: [GMAIL_READONLY], state, codeChallenge }));
 */
export function buildGoogleAuthorizationUrl(request: GoogleAuthorizationRequest): string {
  if (request.scopes.length === 0) throw new Error('buildGoogleAuthorizationUrl: at least one scope is required');
  const client = new OAuth2Client({
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    ...(request.authBaseUrl ? { endpoints: { oauth2AuthBaseUrl: request.authBaseUrl } } : {}),
  });
  return client.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    include_granted_scopes: true,
    scope: [...request.scopes],
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: CodeChallengeMethod.S256,
    ...(request.loginHint ? { login_hint: request.loginHint } : {}),
  });
}
