import type { Keyring } from '../secrets/token-cipher.js';

/** Where Google's APIs answer: Google itself (unset) or the local double (`clientEndpoints(url)`). */
export interface GoogleEndpoints {
  /** Root for googleapis clients, e.g. `http://127.0.0.1:8090/`; pass it on media uploads too. */
  rootUrl: string;
  /** google-auth-library `OAuth2Client` `endpoints` option. */
  oauth2: { oauth2AuthBaseUrl: string; oauth2TokenUrl: string; oauth2RevokeUrl: string; tokenInfoUrl: string };
  userinfoUrl: string;
}

/** Everything the Google connections need, one object on the platform. */
export interface GoogleSettings {
  clientId: string;
  clientSecret: string;
  /** The oauth-callback function's URL, registered with the OAuth client. */
  redirectUri: string;
  /** Unset in production (Google's own endpoints); the double's locally and in tests. */
  endpoints?: GoogleEndpoints;
  /** HMAC secret for the OAuth `state` (>= 32 bytes). */
  stateSecret: string;
  /** Where oauth-callback sends the browser back, with the outcome in the query. */
  frontendUrl: string;
  /** Gmail is behind a feature flag (seed 001 §5). */
  gmailEnabled: boolean;
  /** Pub/Sub topic the Gmail watch publishes to (`projects/p/topics/t`). */
  gmailWatchTopic: string;
  /**
   * Keys that encrypt OAuth tokens at rest (AES-256-GCM, key id stored with each token).
   * Loaded on first use and kept: functions that never touch a token (run-initializer,
   * extraction) never read the secret.
   */
  tokenKeyring(): Promise<Keyring>;
}
