import { createHash, randomBytes } from 'node:crypto';
import { recordConnectFailed, recordConnectSucceeded } from '../activity/connector-events.js';
import { verifyOAuthState, type OAuthStateClaims } from '../auth/oauth-state.js';
import { HttpError, PermanentError, errorMessage } from '../errors.js';
import { oauthClient } from '../google/credentials.js';
import { startGmailWatch } from '../google/gmail-watch.js';
import { canReadGmail, servicesGranted } from '../google/scopes.js';
import { googleErrorInfo } from '../imports/google-errors.js';
import type { Platform } from '../platform.js';
import { createTokenCipher, tokenBinding } from '../secrets/token-cipher.js';

/** Google's userinfo endpoint (OpenID Connect), unless the double's is configured. */
const GOOGLE_USERINFO_URL = 'https://openidconnect.googleapis.com/v1/userinfo';

/** What Google sends the browser back with. */
export interface OAuthCallbackQuery {
  state?: unknown;
  code?: unknown;
  error?: unknown;
}

/** Where to send the browser, and what happened (for logs and tests). */
export interface OAuthCallbackOutcome {
  redirectTo: string;
  status: 'consented' | 'error';
  reason?: string;
}

/** A failure of the callback: `reason` goes into the redirect, `message` into the event. */
class ConnectFailure extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

interface VerifiedAttempt {
  claims: OAuthStateClaims;
  codeVerifier: string;
  redirectAfter: string | null;
}

/** How long the frontend has to finish a consented connection (Google's codes live about as long). */
export const COMPLETION_TTL_SECONDS = 600;

const completionHash = (code: string) => createHash('sha256').update(code).digest('hex');
const codeBinding = (nonce: string) => tokenBinding('oauth_states', nonce, 'authorization_code');

/**
 * The oauth-callback function's work. It links nothing: whoever's browser arrives here
 * may not be the user who started (a consent link can be sent to anyone). It checks the
 * signed state, marks it used once, keeps Google's authorization code encrypted on the
 * state's row under the hash of a fresh one-time completion code, and sends the browser
 * to `frontendUrl?status=consented&code=<completion code>`. The frontend then calls
 * `POST /v1/integrations/google/complete` with its own ID token (`finishGoogleConnection`),
 * which links the account only for the user who started the flow.
 *
 * Every failure (denied consent, bad, expired or reused state) stores nothing, redirects
 * with `status=error&reason=<code>` and, when the state names the user, writes
 * `connector_connect_failed`.
 */
export async function acceptGoogleConsent(platform: Platform, query: OAuthCallbackQuery): Promise<OAuthCallbackOutcome> {
  let claims: OAuthStateClaims | undefined;
  let redirectAfter: string | null = null;
  try {
    claims = await verifyState(platform, query.state);
    const row = await platform.database.db.selectFrom('oauth_states').select(['redirect_after', 'used_at', 'expires_at'])
      .where('nonce', '=', claims.nonce).where('user_id', '=', claims.userId).where('provider', '=', 'google').executeTakeFirst();
    if (!row || row.used_at) throw new ConnectFailure('state_used', 'this sign-in link was already used; start again');
    redirectAfter = row.redirect_after;
    if (typeof query.error === 'string' && query.error !== '') {
      await deleteState(platform, claims.nonce);
      const reason = /^[a-z_]{1,64}$/.test(query.error) ? query.error : 'google_error';
      throw new ConnectFailure(reason, reason === 'access_denied' ? 'consent was not given on Google\'s screen' : `Google answered ${reason}`);
    }
    if (new Date(row.expires_at).getTime() <= Date.now()) {
      await deleteState(platform, claims.nonce);
      throw new ConnectFailure('expired_state', 'the sign-in link has expired; start again');
    }
    if (typeof query.code !== 'string' || query.code === '' || query.code.length > 2048) throw new ConnectFailure('missing_code', 'Google sent no authorization code');
    const completionCode = randomBytes(32).toString('base64url');
    const cipher = createTokenCipher(await platform.google.tokenKeyring());
    const marked = await platform.database.db.updateTable('oauth_states')
      .set({
        used_at: new Date(), authorization_code: cipher.encrypt(query.code, codeBinding(claims.nonce)), completion_code_hash: completionHash(completionCode),
        expires_at: new Date(Date.now() + COMPLETION_TTL_SECONDS * 1000),
      })
      .where('nonce', '=', claims.nonce).where('used_at', 'is', null)
      .returning('nonce').executeTakeFirst();
    if (!marked) throw new ConnectFailure('state_used', 'this sign-in link was already used; start again');
    return { status: 'consented', redirectTo: frontendRedirect(platform, redirectAfter, { status: 'consented', code: completionCode }) };
  } catch (error) {
    const failure = error instanceof ConnectFailure ? error : new ConnectFailure('internal', 'something went wrong while connecting');
    if (!(error instanceof ConnectFailure)) platform.log.error('oauth callback failed', { error: errorMessage(error) });
    if (claims) await recordFailure(platform, claims, failure);
    return { status: 'error', reason: failure.reason, redirectTo: frontendRedirect(platform, redirectAfter, { status: 'error', reason: failure.reason }) };
  }
}

/**
 * `POST /v1/integrations/google/complete`: links the account Google consented to, for
 * `userId` only if `userId` started the flow. The completion code is consumed whoever
 * presents it, so a code that reached the wrong user (the account-linking attack) is
 * dead: 403 `not_your_connection`, nothing linked, an event for the user who started it.
 * Then the code is exchanged with the stored PKCE verifier, the scopes actually granted
 * and the Google identity are recorded, and the tokens are stored encrypted on ONE account
 * row per user and Google account (the Gmail watch starts when Gmail may be read).
 */
export async function finishGoogleConnection(platform: Platform, input: { userId: string; completionCode: string }): Promise<{ accountId: string; redirectTo: string }> {
  const row = await platform.database.db.deleteFrom('oauth_states')
    .where('completion_code_hash', '=', completionHash(input.completionCode)).where('provider', '=', 'google')
    .returning(['nonce', 'user_id', 'code_verifier', 'redirect_after', 'expires_at', 'authorization_code'])
    .executeTakeFirst();
  if (!row || !row.authorization_code) {
    throw new HttpError(404, 'connection_not_found', 'No Google connection is waiting under this code: it was used, has expired or was never issued; start connecting again');
  }
  const claims: OAuthStateClaims = { userId: row.user_id, provider: 'google', nonce: row.nonce, expiresAt: Math.floor(new Date(row.expires_at).getTime() / 1000) };
  if (row.user_id !== input.userId) {
    platform.log.warn('a Google consent was presented by a user other than the one who started it', { nonce: row.nonce });
    await recordFailure(platform, claims, new ConnectFailure('not_your_connection', 'the consent was completed by another signed-in user; nothing was connected'));
    throw new HttpError(403, 'not_your_connection', 'This Google consent was started by another account: nothing was connected. Start connecting again while signed in as yourself.');
  }
  if (new Date(row.expires_at).getTime() <= Date.now()) {
    await recordFailure(platform, claims, new ConnectFailure('expired_state', 'the connection was not completed in time'));
    throw new HttpError(409, 'expired_state', 'The connection was not completed in time: start connecting again');
  }
  const code = createTokenCipher(await platform.google.tokenKeyring()).decrypt(row.authorization_code, codeBinding(row.nonce));
  try {
    const accountId = await storeConnection(platform, { claims, codeVerifier: row.code_verifier, redirectAfter: row.redirect_after }, code);
    return { accountId, redirectTo: frontendRedirect(platform, row.redirect_after, { status: 'connected', account: accountId }) };
  } catch (error) {
    const failure = error instanceof ConnectFailure ? error : new ConnectFailure('internal', 'something went wrong while connecting');
    if (!(error instanceof ConnectFailure)) platform.log.error('completing a Google connection failed', { error: errorMessage(error) });
    await recordFailure(platform, claims, failure);
    if (failure.reason === 'internal') throw error;
    throw new HttpError(422, failure.reason, `Google account not connected: ${failure.message}`);
  }
}

async function recordFailure(platform: Platform, claims: OAuthStateClaims, failure: ConnectFailure): Promise<void> {
  await recordConnectFailed(platform.database.db, {
    userId: claims.userId, errorCode: failure.reason, errorMessage: failure.message,
    dedupeKey: `connector_connect_failed:${claims.nonce}:${failure.reason}`,
  }).catch((e: unknown) => platform.log.warn('could not record connector_connect_failed', { error: errorMessage(e) }));
}

async function deleteState(platform: Platform, nonce: string): Promise<void> {
  await platform.database.db.deleteFrom('oauth_states').where('nonce', '=', nonce).execute();
}

async function verifyState(platform: Platform, state: unknown): Promise<OAuthStateClaims> {
  if (typeof state !== 'string' || state === '' || state.length > 4096) throw new ConnectFailure('bad_state', 'the sign-in link is invalid');
  try {
    const claims = await verifyOAuthState(state, { secret: platform.google.stateSecret });
    if (claims.provider !== 'google') throw new ConnectFailure('bad_state', 'the sign-in link is invalid');
    return claims;
  } catch (error) {
    if (error instanceof PermanentError) throw new ConnectFailure(error.code, error.message);
    throw error;
  }
}

/** Exchanges the code, reads the identity, and upserts the account with encrypted tokens. */
async function storeConnection(platform: Platform, attempt: VerifiedAttempt, code: string): Promise<string> {
  const client = oauthClient(platform);
  let tokens;
  try {
    ({ tokens } = await client.getToken({ code, codeVerifier: attempt.codeVerifier }));
  } catch (error) {
    // Never pass the error on: its request body holds the code and the verifier.
    const info = googleErrorInfo(error);
    if (info.oauthError === 'invalid_grant') throw new ConnectFailure('invalid_grant', 'Google rejected the authorization code (used twice or expired)');
    throw new ConnectFailure('token_exchange_failed', `Google did not exchange the authorization code (${info.oauthError ?? info.status ?? 'network'})`);
  }
  if (!tokens.access_token || !tokens.refresh_token) {
    throw new ConnectFailure('no_refresh_token', 'Google did not grant offline access');
  }
  const scopes = (tokens.scope ?? '').split(/\s+/).filter(Boolean);
  const services = servicesGranted(scopes);
  if (services.length === 0) throw new ConnectFailure('no_scopes_granted', 'neither Drive nor Gmail access was granted');

  client.setCredentials(tokens);
  let identity: { sub?: unknown; email?: unknown };
  try {
    ({ data: identity } = await client.request<{ sub?: unknown; email?: unknown }>({ url: platform.google.endpoints?.userinfoUrl ?? GOOGLE_USERINFO_URL }));
  } catch (error) {
    throw new ConnectFailure('userinfo_failed', `Google did not say which account was connected (${googleErrorInfo(error).status ?? 'network'})`);
  }
  if (typeof identity.sub !== 'string' || identity.sub === '') throw new ConnectFailure('userinfo_failed', 'Google did not say which account was connected');
  const email = typeof identity.email === 'string' ? identity.email : null;

  const userId = attempt.claims.userId;
  const cipher = createTokenCipher(await platform.google.tokenKeyring());
  const now = new Date();
  const accountId = await platform.database.db.transaction().execute(async (trx) => {
    const reset = {
      scopes, email, status: 'connected', expires_at: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
      last_error_at: null, last_error_code: null, last_error_message: null, updated_at: now,
    } as const;
    const { id } = await trx
      .insertInto('integration_accounts')
      .values({ user_id: userId, provider: 'google', provider_account_id: identity.sub as string, ...reset })
      .onConflict((oc) => oc.columns(['user_id', 'provider', 'provider_account_id']).doUpdateSet(reset))
      .returning('id')
      .executeTakeFirstOrThrow();
    // Tokens are bound to the row's id, so they are written once the id is known.
    await trx
      .updateTable('integration_accounts')
      .set((eb) => ({
        access_token: cipher.encrypt(tokens.access_token!, tokenBinding('integration_accounts', id, 'access_token')),
        refresh_token: cipher.encrypt(tokens.refresh_token!, tokenBinding('integration_accounts', id, 'refresh_token')),
        token_version: eb('token_version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    await recordConnectSucceeded(trx, { userId, accountId: id, email: email ?? identity.sub as string, services, nonce: attempt.claims.nonce });
    return id;
  });
  platform.log.info('google account connected', { accountId, services });

  if (canReadGmail(scopes) && platform.google.gmailEnabled) {
    try {
      await startGmailWatch(platform, accountId);
    } catch (error) {
      // The connection stands; the watch is renewed by cleanup. The api shows the error.
      platform.log.warn('gmail watch did not start', { accountId, error: errorMessage(error) });
      await platform.database.db
        .updateTable('integration_accounts')
        .set({ last_error_code: 'gmail_watch_failed', last_error_message: 'Gmail notifications could not be started; they will be retried', last_error_at: new Date() })
        .where('id', '=', accountId)
        .execute();
    }
  }
  return accountId;
}

/** The frontend URL (or the same-site `redirectAfter` path on its origin) with the outcome. */
function frontendRedirect(platform: Platform, redirectAfter: string | null, outcome: Record<string, string>): string {
  const base = new URL(platform.google.frontendUrl);
  const target = redirectAfter ? new URL(redirectAfter, base.origin) : base;
  if (target.origin !== base.origin) return frontendRedirect(platform, null, outcome);
  for (const [key, value] of Object.entries(outcome)) target.searchParams.set(key, value);
  return target.toString();
}
