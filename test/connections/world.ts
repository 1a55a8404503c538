import express from 'express';
import request from 'supertest';
import { createApiApp } from '../../functions/api/app.js';
import { oauthCallbackHandler } from '../../functions/oauth-callback/handler.js';
import { DRIVE_FILE, DRIVE_READONLY, GMAIL_READONLY, GMAIL_SEND } from '../../shared/google/scopes.js';
import { startGoogleDouble, type GoogleDouble } from '../../shared/local/google/index.js';
import { createLogger } from '../../shared/log.js';
import { tokenBinding, decryptToken } from '../../shared/secrets/token-cipher.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

export { DRIVE_FILE, DRIVE_READONLY, GMAIL_READONLY, GMAIL_SEND };

/**
 * A platform wired to the Google double, the api and the oauth-callback function served
 * over HTTP, and every log line captured.
 */
export interface ConnectionsWorld {
  platform: TestPlatform;
  google: GoogleDouble;
  http: ReturnType<typeof request>;
  logLines: string[];
  close(): Promise<void>;
}

export async function createWorld(): Promise<ConnectionsWorld> {
  const google = await startGoogleDouble();
  const platform = await createTestPlatform({ extractor: scriptedExtractor(), googleEndpoints: google.endpoints });
  google.state.oauth.registerClient(platform.google.clientId, platform.google.clientSecret);
  const logLines: string[] = [];
  platform.log = createLogger('test', (line) => logLines.push(line));
  const app = express();
  app.set('query parser', 'simple');
  app.get('/oauth-callback', oauthCallbackHandler(async () => platform));
  app.use(createApiApp(async () => platform));
  return {
    platform,
    google,
    http: request(app),
    logLines,
    close: async () => {
      await platform.close();
      await google.close();
    },
  };
}

/** The `Authorization` header of the dev identity `uid`. */
export const as = (uid: string) => ({ Authorization: `Bearer dev:${uid}` });

/** Asks the api for a consent URL and lets the double's simulated user answer it; returns the callback's query string. */
export async function consent(world: ConnectionsWorld, uid: string, scopes: ('drive' | 'gmail')[], body: { redirectAfter?: string } = {}): Promise<string> {
  const res = await world.http.post('/v1/integrations/google/connect').set(as(uid)).send({ scopes, ...body }).expect(200);
  return followConsent(res.body.authorizationUrl as string);
}

/** Follows a consent URL at the double; answers the query Google sends back to the redirect URI. */
export async function followConsent(authorizationUrl: string): Promise<string> {
  const answer = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`the consent screen answered ${answer.status}`);
  return new URL(location).search;
}

/**
 * Calls the oauth-callback function with Google's query, then does what the frontend does
 * with a `status=consented` landing: `POST /v1/integrations/google/complete` as `uid`.
 * Answers the page the user ends on: the completion's `redirectTo`
 * (`status=connected&account=<id>`), the callback's own error redirect, or the frontend
 * page with `status=error&reason=<error code>` when the completion is refused.
 */
export async function callback(world: ConnectionsWorld, search: string, uid = 'ann'): Promise<URL> {
  const landed = await landing(world, search);
  if (landed.searchParams.get('status') !== 'consented') return landed;
  const done = await world.http.post('/v1/integrations/google/complete').set(as(uid)).send({ code: landed.searchParams.get('code') });
  if (done.status === 200) return new URL(done.body.redirectTo as string);
  const refused = new URL(landed.origin + landed.pathname);
  refused.search = new URLSearchParams({ status: 'error', reason: done.body.error.code as string }).toString();
  return refused;
}

/** Calls the oauth-callback function with Google's query; answers where it redirected the browser. */
export async function landing(world: ConnectionsWorld, search: string): Promise<URL> {
  const res = await world.http.get(`/oauth-callback${search}`).expect(302);
  return new URL(res.headers.location as string);
}

/** Connects `uid` end to end; answers the new account's id. */
export async function connect(world: ConnectionsWorld, uid: string, scopes: ('drive' | 'gmail')[] = ['drive']): Promise<string> {
  const back = await callback(world, await consent(world, uid, scopes), uid);
  const account = back.searchParams.get('account');
  if (back.searchParams.get('status') !== 'connected' || !account) throw new Error(`connect failed: ${back.search}`);
  return account;
}

/** The stored row of an account. */
export function accountRow(world: ConnectionsWorld, id: string) {
  return world.platform.database.db.selectFrom('integration_accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The account's tokens, decrypted the way the credential provider does. */
export async function storedTokens(world: ConnectionsWorld, id: string): Promise<{ access: string | null; refresh: string | null }> {
  const row = await accountRow(world, id);
  const keyring = await world.platform.google.tokenKeyring();
  return {
    access: row.access_token && decryptToken(keyring, row.access_token, tokenBinding('integration_accounts', id, 'access_token')),
    refresh: row.refresh_token && decryptToken(keyring, row.refresh_token, tokenBinding('integration_accounts', id, 'refresh_token')),
  };
}

/** Makes the stored access token look expired to us and to the double. */
export async function expireStoredToken(world: ConnectionsWorld, id: string): Promise<void> {
  world.google.state.expireAccessTokens();
  await world.platform.database.db.updateTable('integration_accounts').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
}

/** The user's activity events of one kind, oldest first. */
export function events(world: ConnectionsWorld, uid: string, kind?: string) {
  let q = world.platform.database.db.selectFrom('activity_events').selectAll().where('user_id', '=', uid);
  if (kind) q = q.where('kind', '=', kind);
  return q.orderBy('created_at').execute();
}

/** Every token the double ever issued (access and refresh). */
export function issuedTokens(google: GoogleDouble): string[] {
  return [...google.state.oauth.accessTokens.keys(), ...google.state.oauth.refreshTokens.keys()];
}
