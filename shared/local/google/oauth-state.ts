import { createHash, randomBytes } from 'node:crypto';
import { OAuthError } from './http.js';

/** A simulated Google account. */
export interface GoogleAccount {
  email: string;
  sub: string;
  name: string;
}

/** An issued access token and what it may do. */
export interface AccessGrant {
  token: string;
  email: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  refreshToken?: string;
  revoked: boolean;
}

/** An issued refresh token (the long-lived grant). */
export interface RefreshGrant {
  token: string;
  email: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

interface AuthorizationCode {
  email: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  offline: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
  used: boolean;
}

/** What the simulated consent screen does when no `simulate=` parameter says otherwise. */
export interface ConsentBehaviour {
  decision: 'approve' | 'deny';
  /** Grant only these of the requested scopes (Google's granular consent); all when omitted. */
  grantScopes?: string[];
  /** Which account "signs in"; `login_hint`, then the first account, when omitted. */
  email?: string;
}

/** The token answer Google's `/token` endpoint gives. */
export interface TokenAnswer {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  scope: string;
  refresh_token?: string;
}

const CODE_TTL_MS = 10 * 60_000;

/** Accounts, authorization codes and tokens of the simulated Google identity platform. */
export class OAuthState {
  readonly accounts = new Map<string, GoogleAccount>();
  readonly accessTokens = new Map<string, AccessGrant>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly clients = new Map<string, string>();
  consent: ConsentBehaviour = { decision: 'approve' };

  constructor(public accessTokenTtlSeconds = 3600) {}

  /** Adds (or returns) an account; `sub` defaults to a stable number derived from the email. */
  addUser(input: { email: string; sub?: string; name?: string }): GoogleAccount {
    const existing = this.accounts.get(input.email);
    if (existing) return existing;
    const sub = input.sub ?? BigInt('0x' + createHash('sha256').update(input.email).digest('hex').slice(0, 15)).toString();
    const account = { email: input.email, sub, name: input.name ?? input.email.split('@')[0]! };
    this.accounts.set(input.email, account);
    return account;
  }

  /** Registers an OAuth client; once any client is registered, unknown clients or wrong secrets get `invalid_client`. */
  registerClient(clientId: string, clientSecret: string): void {
    this.clients.set(clientId, clientSecret);
  }

  /** Checks client credentials the way Google's token endpoint does. */
  checkClient(clientId: string | undefined, clientSecret: string | undefined): void {
    if (!clientId) throw new OAuthError(400, 'invalid_request', 'Could not determine client ID from request.');
    if (this.clients.size === 0) return;
    const secret = this.clients.get(clientId);
    if (secret === undefined) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (clientSecret !== undefined && clientSecret !== secret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
  }

  /** Issues a one-time authorization code for the consent just given. */
  issueCode(input: Omit<AuthorizationCode, 'expiresAt' | 'used'>): string {
    const code = `4/0${opaque(40)}`;
    this.codes.set(code, { ...input, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /** Redeems a code (checking client, redirect URI and PKCE) for tokens; a second use is `invalid_grant`. */
  redeemCode(input: { code: string; clientId: string; redirectUri?: string; codeVerifier?: string }): TokenAnswer {
    const code = this.codes.get(input.code);
    if (!code || code.used || code.expiresAt < Date.now()) throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
    code.used = true;
    if (code.clientId !== input.clientId) throw new OAuthError(400, 'invalid_grant', 'The authorization code was issued to another client.');
    if (code.redirectUri !== input.redirectUri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (code.codeChallenge !== undefined) {
      if (!input.codeVerifier) throw new OAuthError(400, 'invalid_grant', 'Missing code verifier.');
      const expected = code.codeChallengeMethod === 'plain'
        ? input.codeVerifier
        : createHash('sha256').update(input.codeVerifier).digest('base64url');
      if (expected !== code.codeChallenge) throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
    } else if (input.codeVerifier) {
      throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    return this.issueTokens({ email: code.email, clientId: code.clientId, scopes: code.scopes, offline: code.offline });
  }

  /**
   * Issues tokens directly, skipping the consent screen (for tests and the local stack).
   * A refresh token comes only with `offline: true`, as with Google's `access_type=offline`.
   */
  issueTokens(input: { email: string; clientId?: string; scopes: string[]; offline?: boolean }): TokenAnswer {
    const clientId = input.clientId ?? 'local-client';
    this.addUser({ email: input.email });
    let refreshToken: string | undefined;
    if (input.offline ?? true) {
      refreshToken = `1//0${opaque(60)}`;
      this.refreshTokens.set(refreshToken, { token: refreshToken, email: input.email, clientId, scopes: input.scopes, revoked: false });
    }
    const answer = this.issueAccessToken(input.email, clientId, input.scopes, refreshToken);
    return refreshToken ? { ...answer, refresh_token: refreshToken } : answer;
  }

  /** Answers `grant_type=refresh_token`: a revoked, unknown or foreign refresh token is `invalid_grant`. */
  refresh(refreshToken: string, clientId: string): TokenAnswer {
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.revoked) throw new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    if (grant.clientId !== clientId) throw new OAuthError(401, 'unauthorized_client', 'Unauthorized');
    return this.issueAccessToken(grant.email, grant.clientId, grant.scopes, refreshToken);
  }

  /** Revokes an access or refresh token; revoking either ends the whole grant, as Google does. */
  revoke(token: string): void {
    const access = this.accessTokens.get(token);
    const refreshToken = access?.refreshToken ?? (this.refreshTokens.has(token) ? token : undefined);
    if (!access && !refreshToken) throw new OAuthError(400, 'invalid_token', 'Token expired or revoked');
    if (access) access.revoked = true;
    if (refreshToken) this.revokeGrant(refreshToken);
  }

  /** Revokes every refresh token (and its access tokens) of an account: the user removed the app's access. */
  revokeRefreshTokens(email: string): void {
    for (const grant of this.refreshTokens.values()) if (grant.email === email) this.revokeGrant(grant.token);
  }

  /** Makes every access token (of one account, or all) expire now. */
  expireAccessTokens(email?: string): void {
    for (const grant of this.accessTokens.values()) if (!email || grant.email === email) grant.expiresAt = 0;
  }

  /** The live grant for a bearer token, or the reason it is refused. */
  authenticate(token: string | undefined): AccessGrant | 'missing' | 'invalid' | 'expired' {
    if (!token) return 'missing';
    const grant = this.accessTokens.get(token);
    if (!grant || grant.revoked) return 'invalid';
    if (grant.expiresAt <= Date.now()) return 'expired';
    return grant;
  }

  private revokeGrant(refreshToken: string): void {
    const grant = this.refreshTokens.get(refreshToken);
    if (grant) grant.revoked = true;
    for (const access of this.accessTokens.values()) if (access.refreshToken === refreshToken) access.revoked = true;
  }

  private issueAccessToken(email: string, clientId: string, scopes: string[], refreshToken?: string): TokenAnswer {
    const token = `ya29.local-${opaque(48)}`;
    const grant: AccessGrant = { token, email, clientId, scopes, refreshToken, revoked: false, expiresAt: Date.now() + this.accessTokenTtlSeconds * 1000 };
    this.accessTokens.set(token, grant);
    return { access_token: token, expires_in: this.accessTokenTtlSeconds, token_type: 'Bearer', scope: scopes.join(' ') };
  }
}

function opaque(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}
