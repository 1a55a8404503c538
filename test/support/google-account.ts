import type { GoogleDouble } from '../../shared/local/google/index.js';
import type { Platform } from '../../shared/platform.js';
import { encryptToken, tokenBinding } from '../../shared/secrets/token-cipher.js';

/**
 * A connected Google account of `userId`, its tokens issued by the double and stored
 * encrypted as the connections module stores them (tests that are not about connecting).
 */
export async function connectGoogleAccount(
  platform: Platform, google: GoogleDouble, userId: string, email: string,
  options: { scopes: string[]; expired?: boolean },
): Promise<string> {
  google.state.addUser({ email });
  const tokens = google.state.issueTokens({ email, scopes: options.scopes, clientId: platform.google.clientId, offline: true });
  const db = platform.database.db;
  await db.insertInto('users').values({ id: userId, email: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const row = await db.insertInto('integration_accounts').values({
    user_id: userId, provider: 'google', provider_account_id: `sub-${email}`, email, status: 'connected', scopes: options.scopes,
    expires_at: new Date(Date.now() + (options.expired ? -60_000 : tokens.expires_in * 1000)),
  }).returning('id').executeTakeFirstOrThrow();
  const keyring = await platform.google.tokenKeyring();
  await db.updateTable('integration_accounts').set({
    access_token: encryptToken(keyring, tokens.access_token, tokenBinding('integration_accounts', row.id, 'access_token')),
    refresh_token: encryptToken(keyring, tokens.refresh_token!, tokenBinding('integration_accounts', row.id, 'refresh_token')),
  }).where('id', '=', row.id).execute();
  return row.id;
}
