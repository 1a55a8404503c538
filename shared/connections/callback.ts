import { recordConnectFailed, recordConnectSucceeded } from '../activity/connector-events.js';
import { verifyOAuthState, type OAuthStateClaims } from '../auth/oauth-state.js';
import { PermanentError, errorMessage } from '../errors.js';
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
  status: 'connected' | 'error';
  reason?: string;
  accountId?: string;
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

/**
 * The oauth-callback function's work: checks the signed state, consumes its nonce once,
 * exchanges the code with the stored PKCE verifier, records the scopes actually granted and
 * the Google identity, stores the tokens encrypted on ONE account row per user and Google
 * account, starts the Gmail watch when Gmail may be read, and answers where to redirect:
 * `frontendUrl?status=connected&account=<id>` or `?status=error&reason=<code>`.
 *
 * Every failure (denied consent, bad, expired or reused state, rejected code) stores
 * nothing and, when the state names the user, writes `connector_connect_failed`.
 */
export async function completeGoogleConnection(platform: Platform, query: OAuthCallbackQuery): Promise<OAuthCallbackOutcome> {
  let attempt: VerifiedAttempt | undefined;
  let claims: OAuthStateClaims | undefined;
  try {
    claims = await verifyState(platform, query.state);
    attempt = await consumeState(platform, claims);
    if (typeof query.error === 'string' && query.error !== '') {
      const reason = /^[a-z_]{1,64}$/.test(query.error) ? query.error : 'google_error';
      throw new ConnectFailure(reason, reason === 'access_denied' ? 'consent was not given on Google\'s screen' : `Google answered ${reason}`);
    }
    if (typeof query.code !== 'string' || query.code === '') throw new ConnectFailure('missing_code', 'Google sent no authorization code');
    const accountId = await storeConnection(platform, attempt, query.code);
    return { status: 'connected', accountId, redirectTo: frontendRedirect(platform, attempt.redirectAfter, { status: 'connected', account: accountId }) };
  } catch (error) {
    const failure = error instanceof ConnectFailure ? error : new ConnectFailure('internal', 'something went wrong while connecting');
    if (!(error instanceof ConnectFailure)) platform.log.error('oauth callback failed', { error: errorMessage(error) });
    if (claims) {
      await recordConnectFailed(platform.database.db, {
        userId: claims.userId, errorCode: failure.reason, errorMessage: failure.message,
        dedupeKey: `connector_connect_failed:${claims.nonce}:${failure.reason}`,
      }).catch((e: unknown) => platform.log.warn('could not record connector_connect_failed', { error: errorMessage(e) }));
    }
    return { status: 'error', reason: failure.reason, redirectTo: frontendRedirect(platform, attempt?.redirectAfter ?? null, { status: 'error', reason: failure.reason }) };
  }
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

/** Deletes the state's row and returns it: a second use of the same state finds nothing. */
async function consumeState(platform: Platform, claims: OAuthStateClaims): Promise<VerifiedAttempt> {
  const row = await platform.database.db
    .deleteFrom('oauth_states')
    .where('nonce', '=', claims.nonce)
    .where('user_id', '=', claims.userId)
    .where('provider', '=', 'google')
    .returning(['code_verifier', 'redirect_after', 'expires_at'])
    .executeTakeFirst();
  if (!row) throw new ConnectFailure('state_used', 'this sign-in link was already used; start again');
  if (new Date(row.expires_at).getTime() <= Date.now()) throw new ConnectFailure('expired_state', 'the sign-in link has expired; start again');
  return { claims, codeVerifier: row.code_verifier, redirectAfter: row.redirect_after };
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
