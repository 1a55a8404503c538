import { DriveState } from './drive-state.js';
import { GmailState } from './gmail-state.js';
import type { GoogleApi } from './http.js';
import { OAuthState, type GoogleAccount, type TokenAnswer } from './oauth-state.js';

/** One request the double received, for assertions on counts (e.g. quota use). */
export interface RecordedRequest {
  api: GoogleApi;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The answer's status, set once it is sent. */
  status?: number;
  /** `grant_type` of token requests. */
  grantType?: string;
  at: number;
}

/** Everything the double holds in memory: accounts and tokens, one Drive, one mailbox, the request log. */
export class GoogleDoubleState {
  readonly oauth: OAuthState;
  readonly drive = new DriveState();
  readonly gmail = new GmailState();
  readonly requests: RecordedRequest[] = [];

  constructor(options: { accessTokenTtlSeconds?: number } = {}) {
    this.oauth = new OAuthState(options.accessTokenTtlSeconds);
  }

  /** Adds a simulated Google account (the consent screen signs in as the first one by default). */
  addUser(input: { email: string; sub?: string; name?: string }): GoogleAccount {
    return this.oauth.addUser(input);
  }

  /**
   * Issues tokens for an account without the consent round trip.
   *
   * @example const { access_token, refresh_token } = state.issueTokens({ email, scopes: [DRIVE_READONLY] });
   */
  issueTokens(input: { email: string; scopes: string[]; clientId?: string; offline?: boolean }): TokenAnswer {
    return this.oauth.issueTokens(input);
  }

  /** The user revoked the app: refreshing answers `invalid_grant`, live access tokens 401. */
  revokeRefreshTokens(email: string): void {
    this.oauth.revokeRefreshTokens(email);
  }

  /** Every access token (of one account, or all) expires now; API calls with them answer 401. */
  expireAccessTokens(email?: string): void {
    this.oauth.expireAccessTokens(email);
  }

  /** Recorded requests to one surface, optionally only those whose path contains `pathIncludes`. */
  requestsTo(api: GoogleApi, pathIncludes?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.api === api && (pathIncludes === undefined || r.path.includes(pathIncludes)));
  }
}
