import { OAuth2Client } from 'google-auth-library';
import type { Kysely, Selectable } from 'kysely';
import { recordAccountError, recordAccountRevoked } from '../activity/connector-events.js';
import type { Database, IntegrationAccounts } from '../db/index.js';
import { PermanentError, TransientError } from '../errors.js';
import { classifyGoogleError, googleErrorInfo } from '../imports/google-errors.js';
import type { Platform } from '../platform.js';
import { relayAfterCommit } from '../outbox/outbox.js';
import { emitWebhookEvent } from '../webhooks/events.js';
import { createTokenCipher, tokenBinding, type TokenCipher } from '../secrets/token-cipher.js';

/**
 * OAuth credentials of a connected Google account, for every stage that calls Google
 * (drive-import, gmail-import, export, gmail-push).
 *
 * Tokens live encrypted in `integration_accounts` (AES-256-GCM, bound to row and column).
 * The client this module hands out holds only the access token: when it expires, or Google
 * answers 401, google-auth-library calls back here (its `refreshHandler`), and the refresh
 * happens in one place that:
 *  - re-reads the row and adopts a token another function stored meanwhile;
 *  - otherwise refreshes at Google and stores the new token encrypted only over the
 *    `token_version` it read (optimistic concurrency; no lock held across the call). The
 *    loser of a race re-reads and uses the winner's token, so the row never ends stale;
 *  - on `invalid_grant` marks the account `revoked` (tokens deleted, `last_error_*` set,
 *    a `connector_account_revoked` event) and throws PermanentError `account_revoked`.
 *    Nothing calls Google for that account again until the user reconnects: loading
 *    credentials of an account that is not usable (`connected`, or `error`: failing lately
 *    but still tried, see `recordAccountFailure`) fails at once.
 *
 * Automations are NOT disabled when their account is revoked (`automations.is_enabled`
 * stays what the user chose): whatever fires them loads credentials here first, and gets
 * PermanentError `account_revoked` / `account_not_connected` without a call to Google.
 * Check `isUsableAccountStatus(account.status)` (or catch these codes) before starting work.
 */

/**
 * Statuses whose credentials load: `connected`, and `error` (recent imports failed for other
 * reasons than the grant; the next success moves it back to `connected`).
 */
export const usableAccountStatuses = ['connected', 'error'] as const;

export function isUsableAccountStatus(status: string): boolean {
  return (usableAccountStatuses as readonly string[]).includes(status);
}

/** Refresh this long before expiry; the same threshold google-auth-library applies. */
const EAGER_REFRESH_MS = 5 * 60_000;

const ACCOUNT_COLUMNS = ['id', 'user_id', 'email', 'status', 'access_token', 'refresh_token', 'expires_at', 'token_version'] as const;
type AccountTokens = Pick<Selectable<IntegrationAccounts>, (typeof ACCOUNT_COLUMNS)[number]>;

/** The access token a client holds, and the row version it came from. */
interface Session {
  accessToken: string;
  expiryDate: number;
  version: number;
}

/**
 * A google-auth-library client authorised as the account, for `drive(...)` / `gmail(...)`.
 * Throws PermanentError `account_revoked` or `account_not_connected` (no call to Google)
 * when the account cannot be used, and refreshes an expired token first.
 *
 * The client refreshes by itself when its token expires and once after a 401 (then the
 * 401 is final). Map failures with `classifyGoogleError`, or use `withGoogleRetry`.
 *
 * @example const auth = await googleClientFor(platform, accountId);
 *          const api = drive({ version: 'v3', auth, rootUrl: platform.google.endpoints?.rootUrl });
 */
export async function googleClientFor(platform: Platform, accountId: string): Promise<OAuth2Client> {
  const db = platform.database.db;
  const cipher = createTokenCipher(await platform.google.tokenKeyring());
  let session = await currentSession(platform, cipher, await loadUsableAccount(db, accountId));
  const client = oauthClient(platform);
  client.forceRefreshOnFailure = true;
  client.eagerRefreshThresholdMillis = EAGER_REFRESH_MS;
  client.refreshHandler = async () => {
    const row = await loadUsableAccount(db, accountId);
    session = row.token_version !== session.version && isFresh(row)
      ? sessionOf(cipher, row)
      : await refreshSession(platform, cipher, row);
    return { access_token: session.accessToken, expiry_date: session.expiryDate };
  };
  client.setCredentials({ access_token: session.accessToken, expiry_date: session.expiryDate, token_type: 'Bearer' });
  return client;
}

/**
 * Runs `call` with the account's client and maps what fails onto the error taxonomy
 * (`classifyGoogleError`): a 401 has already been retried once after a refresh by then.
 *
 * @example const files = await withGoogleRetry(platform, accountId, (auth) =>
 *   drive({ version: 'v3', auth, rootUrl }).files.list({ q }));
 */
export async function withGoogleRetry<T>(platform: Platform, accountId: string, call: (client: OAuth2Client) => Promise<T>): Promise<T> {
  const client = await googleClientFor(platform, accountId);
  try {
    return await call(client);
  } catch (error) {
    throw classifyGoogleError(error);
  }
}

/** A bare OAuth client of the app (no account), pointed at the double when one is configured. */
export function oauthClient(platform: Platform): OAuth2Client {
  const { clientId, clientSecret, redirectUri, endpoints } = platform.google;
  return new OAuth2Client({ clientId, clientSecret, redirectUri, ...(endpoints ? { endpoints: endpoints.oauth2 } : {}) });
}

/** The account's tokens, refusing (PermanentError) an account that is missing or not `connected`. */
async function loadUsableAccount(db: Kysely<Database>, accountId: string): Promise<AccountTokens> {
  const row = await db.selectFrom('integration_accounts').select(ACCOUNT_COLUMNS).where('id', '=', accountId).executeTakeFirst();
  if (!row) throw new PermanentError('the Google account is not connected (it was removed)', 'account_not_connected');
  if (row.status === 'revoked') throw new PermanentError('Google revoked access to this account: reconnect it', 'account_revoked');
  if (!isUsableAccountStatus(row.status)) throw new PermanentError(`the Google account is ${row.status}: reconnect it`, 'account_not_connected');
  if (!row.refresh_token) throw new PermanentError('the Google account has no stored grant: reconnect it', 'account_not_connected');
  return row;
}

async function currentSession(platform: Platform, cipher: TokenCipher, row: AccountTokens): Promise<Session> {
  return isFresh(row) ? sessionOf(cipher, row) : refreshSession(platform, cipher, row);
}

function isFresh(row: AccountTokens): boolean {
  return row.access_token !== null && row.expires_at !== null && new Date(row.expires_at).getTime() > Date.now() + EAGER_REFRESH_MS;
}

function sessionOf(cipher: TokenCipher, row: AccountTokens): Session {
  return {
    accessToken: cipher.decrypt(row.access_token!, tokenBinding('integration_accounts', row.id, 'access_token')),
    expiryDate: new Date(row.expires_at!).getTime(),
    version: row.token_version,
  };
}

/**
 * Refreshes at Google and stores the new access token over the version read; when another
 * refresh won meanwhile, answers the winner's token instead.
 */
async function refreshSession(platform: Platform, cipher: TokenCipher, row: AccountTokens): Promise<Session> {
  const db = platform.database.db;
  const refreshToken = cipher.decrypt(row.refresh_token!, tokenBinding('integration_accounts', row.id, 'refresh_token'));
  const fresh = await refreshAtGoogle(platform, row, refreshToken);
  const version = row.token_version + 1;
  const stored = await db
    .updateTable('integration_accounts')
    .set({
      access_token: cipher.encrypt(fresh.accessToken, tokenBinding('integration_accounts', row.id, 'access_token')),
      expires_at: new Date(fresh.expiryDate),
      // Google may rotate the refresh token; keep the new one when it does.
      ...(fresh.refreshToken && fresh.refreshToken !== refreshToken
        ? { refresh_token: cipher.encrypt(fresh.refreshToken, tokenBinding('integration_accounts', row.id, 'refresh_token')) }
        : {}),
      token_version: version,
      updated_at: new Date(),
    })
    .where('id', '=', row.id)
    .where('token_version', '=', row.token_version)
    .where('status', 'in', usableAccountStatuses)
    .returning('id')
    .executeTakeFirst();
  if (stored) return { accessToken: fresh.accessToken, expiryDate: fresh.expiryDate, version };

  // Another function stored a token first: use its token, not ours (ours stays unused).
  const winner = await loadUsableAccount(db, row.id);
  if (isFresh(winner)) return sessionOf(cipher, winner);
  throw new TransientError('the Google token changed while it was being refreshed; try again');
}

async function refreshAtGoogle(platform: Platform, row: AccountTokens, refreshToken: string): Promise<{ accessToken: string; expiryDate: number; refreshToken?: string }> {
  const client = oauthClient(platform);
  client.setCredentials({ refresh_token: refreshToken });
  try {
    const { token } = await client.getAccessToken();
    const expiryDate = client.credentials.expiry_date;
    if (!token || !expiryDate) throw new TransientError('Google answered a refresh without an access token');
    return { accessToken: token, expiryDate, refreshToken: client.credentials.refresh_token ?? undefined };
  } catch (error) {
    if (error instanceof TransientError) throw error;
    // The library's error carries the request (with the refresh token in its body): only
    // its status and OAuth code go further, never the error itself.
    const info = googleErrorInfo(error);
    if (info.oauthError === 'invalid_grant') {
      await markAccountRevoked(platform, row);
      throw new PermanentError('Google revoked access to this account: reconnect it', 'account_revoked');
    }
    if (info.status === undefined || info.status >= 500 || info.status === 429) {
      throw new TransientError(`refreshing the Google token failed (${info.status ?? 'network'})`);
    }
    throw new PermanentError(`Google refused to refresh the token (${info.oauthError ?? info.status})`, 'token_refresh_refused');
  }
}

/**
 * Marks a connected account `revoked` after `invalid_grant`: tokens deleted, last error
 * set, one activity event and the `account.revoked` webhook. Only the call that moves it from `connected` writes the event.
 */
export async function markAccountRevoked(platform: Platform, account: { id: string }): Promise<void> {
  const now = new Date();
  const message = 'Google refused the stored grant (invalid_grant): access was revoked or has expired. Reconnect the account.';
  const revoked = await platform.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('integration_accounts')
      .set({
        status: 'revoked', access_token: null, refresh_token: null, expires_at: null,
        last_error_code: 'account_revoked', last_error_message: message, last_error_at: now,
        token_version: (eb) => eb('token_version', '+', 1), updated_at: now,
      })
      .where('id', '=', account.id)
      .where('status', 'in', usableAccountStatuses)
      .returning(['id', 'user_id', 'email', 'provider', 'token_version'])
      .executeTakeFirst();
    if (!row) return null;
    await recordAccountRevoked(trx, { userId: row.user_id, accountId: row.id, email: row.email, errorMessage: message, dedupeKey: `account_revoked:${row.id}:${row.token_version}` });
    return emitWebhookEvent(trx, {
      userId: row.user_id, type: 'account.revoked', eventKey: `account.revoked:${row.id}:${row.token_version}`,
      data: { accountId: row.id, provider: row.provider, email: row.email, revokedAt: now.toISOString() },
    });
  });
  if (revoked) {
    platform.log.warn('google account revoked: automations using it stop until it is reconnected', { accountId: account.id, reason: 'invalid_grant' });
    await relayAfterCommit(platform, revoked);
  }
}

/** Consecutive connector jobs failed for other reasons than the grant, after which an account shows `error`. */
export const ACCOUNT_ERROR_AFTER_FAILURES = 3;

/**
 * Counts a connector job that failed for good for another reason than the grant (Google
 * kept answering 5xx or 429, a quota, ...): `consecutive_failures` goes up and `last_error_*`
 * says why; the failure that reaches ACCOUNT_ERROR_AFTER_FAILURES marks the account `error`
 * (`markAccountError`). Grant problems are not counted: they revoke the account instead.
 */
export async function recordAccountFailure(db: Kysely<Database>, accountId: string, error: { code: string; message: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const now = new Date();
    const row = await trx.updateTable('integration_accounts')
      .set((eb) => ({
        consecutive_failures: eb('consecutive_failures', '+', 1),
        last_error_code: error.code.slice(0, 100), last_error_message: error.message.slice(0, 1000), last_error_at: now, updated_at: now,
      }))
      .where('id', '=', accountId).where('status', 'in', usableAccountStatuses)
      .returning(['status', 'consecutive_failures'])
      .executeTakeFirst();
    if (row && row.status === 'connected' && row.consecutive_failures >= ACCOUNT_ERROR_AFTER_FAILURES) await markAccountError(trx, accountId, error);
  });
}

/**
 * Marks a connected account `error` with the reason, and writes `connector_account_error`.
 * Its credentials still load: the next successful import (`markAccountSynced`) clears it.
 */
export async function markAccountError(db: Kysely<Database>, accountId: string, error: { code: string; message: string }): Promise<void> {
  const now = new Date();
  const row = await db.updateTable('integration_accounts')
    .set({ status: 'error', last_error_code: error.code.slice(0, 100), last_error_message: error.message.slice(0, 1000), last_error_at: now, updated_at: now })
    .where('id', '=', accountId).where('status', '=', 'connected')
    .returning(['user_id', 'email', 'consecutive_failures', 'token_version'])
    .executeTakeFirst();
  if (!row) return;
  await recordAccountError(db, {
    userId: row.user_id, accountId, email: row.email, errorCode: error.code, errorMessage: error.message, failures: row.consecutive_failures,
    dedupeKey: `account_error:${accountId}:${now.getTime()}`,
  });
}

/**
 * Records a successful import: `last_sync_at`, the failure count back to 0, and an account
 * in `error` back to `connected` with its last error cleared (the api shows it healthy).
 */
export async function markAccountSynced(db: Kysely<Database>, accountId: string, at: Date = new Date()): Promise<void> {
  await db.updateTable('integration_accounts')
    .set((eb) => ({
      last_sync_at: at, updated_at: at, consecutive_failures: 0, status: 'connected',
      last_error_code: eb.case().when('status', '=', 'error').then(null).else(eb.ref('last_error_code')).end(),
      last_error_message: eb.case().when('status', '=', 'error').then(null).else(eb.ref('last_error_message')).end(),
      last_error_at: eb.case().when('status', '=', 'error').then(null).else(eb.ref('last_error_at')).end(),
    }))
    .where('id', '=', accountId).where('status', 'in', usableAccountStatuses)
    .execute();
}
