import { drive } from '@googleapis/drive';
import { gmail } from '@googleapis/gmail';
import { OAuth2Client } from 'google-auth-library';
import type { GoogleDouble } from '../../shared/local/google/index.js';

export const DRIVE = 'https://www.googleapis.com/auth/drive';
export const DRIVE_READONLY = 'https://www.googleapis.com/auth/drive.readonly';
export const GMAIL_READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
export const GMAIL_SEND = 'https://www.googleapis.com/auth/gmail.send';

export const CLIENT = { clientId: 'bytereview-local.apps.googleusercontent.com', clientSecret: 'local-secret', redirectUri: 'http://127.0.0.1:9/oauth/callback' };

/** A real OAuth2Client pointed at the double. */
export function oauthClient(google: GoogleDouble): OAuth2Client {
  return new OAuth2Client({ ...CLIENT, endpoints: google.endpoints.oauth2 });
}

/** A real OAuth2Client holding fresh tokens for `email` (issued by the double, no consent round trip). */
export function signedInClient(google: GoogleDouble, email: string, scopes: string[]): OAuth2Client {
  const auth = oauthClient(google);
  const tokens = google.state.issueTokens({ email, scopes, clientId: CLIENT.clientId });
  auth.setCredentials({ ...tokens, expiry_date: Date.now() + tokens.expires_in * 1000 });
  return auth;
}

/** The real Drive v3 client, as production constructs it, plus `rootUrl`. */
export function driveClient(google: GoogleDouble, auth: OAuth2Client) {
  return drive({ version: 'v3', auth, rootUrl: google.endpoints.rootUrl });
}

/** The real Gmail v1 client, as production constructs it, plus `rootUrl`. */
export function gmailClient(google: GoogleDouble, auth: OAuth2Client) {
  return gmail({ version: 'v1', auth, rootUrl: google.endpoints.rootUrl });
}
