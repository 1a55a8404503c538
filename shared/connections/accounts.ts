import type { Kysely, Selectable } from 'kysely';
import { recordDisconnect } from '../activity/connector-events.js';
import type { Database, IntegrationAccounts } from '../db/index.js';
import { HttpError, errorMessage } from '../errors.js';
import { isUsableAccountStatus, oauthClient } from '../google/credentials.js';
import { stopGmailWatch } from '../google/gmail-watch.js';
import { servicesGranted, type GoogleService } from '../google/scopes.js';
import type { Platform } from '../platform.js';
import { createTokenCipher, tokenBinding } from '../secrets/token-cipher.js';

/** What the api shows of a connected account: health, never tokens. */
export interface AccountView {
  id: string;
  provider: string;
  email: string | null;
  scopes: string[];
  services: GoogleService[];
  status: 'connected' | 'error' | 'revoked' | 'disconnected';
  lastSyncAt: string | null;
  lastError: { code: string | null; message: string | null; at: string | null } | null;
  gmailWatchExpiresAt: string | null;
  /** The user must connect the account again (Google revoked it, or it is in error). */
  needsReconnect: boolean;
  createdAt: string;
  updatedAt: string;
}

const VIEW_COLUMNS = [
  'id', 'provider', 'email', 'scopes', 'status', 'last_sync_at', 'last_error_at', 'last_error_code', 'last_error_message',
  'gmail_watch_expires_at', 'created_at', 'updated_at',
] as const;
type ViewRow = Pick<Selectable<IntegrationAccounts>, (typeof VIEW_COLUMNS)[number]>;

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function viewOf(row: ViewRow): AccountView {
  const status = row.status as AccountView['status'];
  const hasError = row.last_error_code !== null || row.last_error_message !== null;
  return {
    id: row.id,
    provider: row.provider,
    email: row.email,
    scopes: row.scopes,
    services: servicesGranted(row.scopes),
    status,
    lastSyncAt: iso(row.last_sync_at),
    lastError: hasError ? { code: row.last_error_code, message: row.last_error_message, at: iso(row.last_error_at) } : null,
    gmailWatchExpiresAt: iso(row.gmail_watch_expires_at),
    needsReconnect: status === 'revoked' || status === 'error',
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

/** The user's accounts, newest first. */
export async function listAccounts(db: Kysely<Database>, userId: string): Promise<AccountView[]> {
  const rows = await db.selectFrom('integration_accounts').select(VIEW_COLUMNS).where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(viewOf);
}

/** One of the user's accounts; 404 when it does not exist or is someone else's. */
export async function findAccount(db: Kysely<Database>, userId: string, accountId: string): Promise<AccountView> {
  const row = await db.selectFrom('integration_accounts').select(VIEW_COLUMNS).where('id', '=', accountId).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw new HttpError(404, 'not_found', 'No such integration account');
  return viewOf(row);
}

/**
 * Disconnects an account: stops its Gmail watch, revokes the grant at Google (a failure to
 * revoke is logged, not fatal: the tokens are deleted either way), deletes the tokens and
 * marks it `disconnected`, with `connector_disconnect_*` events. Disconnecting twice is
 * harmless.
 */
export async function disconnectAccount(platform: Platform, userId: string, accountId: string): Promise<AccountView> {
  const db = platform.database.db;
  const row = await db
    .selectFrom('integration_accounts')
    .select(['id', 'email', 'status', 'scopes', 'access_token', 'refresh_token', 'gmail_watch_expires_at'])
    .where('id', '=', accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new HttpError(404, 'not_found', 'No such integration account');
  if (row.status === 'disconnected') return findAccount(db, userId, accountId);
  const who = { userId, accountId, email: row.email };
  await recordDisconnect(db, 'started', who);

  try {
    if (isUsableAccountStatus(row.status) && row.gmail_watch_expires_at !== null) {
      await stopGmailWatch(platform, accountId).catch((error: unknown) => {
        platform.log.warn('gmail watch was not stopped', { accountId, error: errorMessage(error) });
      });
    }
    const revokedAtGoogle = await revokeGrant(platform, row);
    const now = new Date();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('integration_accounts')
        .set((eb) => ({
          status: 'disconnected', access_token: null, refresh_token: null, expires_at: null, gmail_watch_expires_at: null,
          token_version: eb('token_version', '+', 1), updated_at: now,
        }))
        .where('id', '=', accountId)
        .execute();
      await recordDisconnect(trx, 'succeeded', { ...who, ...(revokedAtGoogle ? {} : { errorCode: 'revoke_failed', errorMessage: 'Google was not told; remove ByteReview in your Google account settings' }) });
    });
  } catch (error) {
    await recordDisconnect(db, 'failed', { ...who, errorCode: 'internal', errorMessage: 'the account could not be disconnected; try again' });
    throw error;
  }
  return findAccount(db, userId, accountId);
}

/** Revokes the stored grant at Google (revoking the refresh token ends the whole grant). */
async function revokeGrant(platform: Platform, row: { id: string; access_token: Buffer | null; refresh_token: Buffer | null }): Promise<boolean> {
  const column = row.refresh_token ? 'refresh_token' : row.access_token ? 'access_token' : undefined;
  if (!column) return true; // nothing left to revoke (already revoked by Google)
  try {
    const cipher = createTokenCipher(await platform.google.tokenKeyring());
    const token = cipher.decrypt(row[column]!, tokenBinding('integration_accounts', row.id, column));
    await oauthClient(platform).revokeToken(token);
    return true;
  } catch (error) {
    const status = (error as { response?: { status?: number } }).response?.status;
    platform.log.warn('revoking the Google grant failed; the tokens are deleted anyway', { accountId: row.id, status: status ?? 'network' });
    return false;
  }
}
