import { recordConnectStarted } from '../activity/connector-events.js';
import { buildGoogleAuthorizationUrl } from '../auth/google-authorization-url.js';
import { createOAuthState } from '../auth/oauth-state.js';
import { HttpError } from '../errors.js';
import { requireGmailEnabled } from '../google/gmail-feature.js';
import { scopesFor, type GoogleService } from '../google/scopes.js';
import type { Platform } from '../platform.js';

/** How long the user has to finish Google's consent screen. */
export const STATE_TTL_SECONDS = 600;

export interface StartConnectionInput {
  userId: string;
  services: readonly GoogleService[];
  /** A same-site path the frontend returns to after the callback. */
  redirectAfter?: string;
}

/**
 * Starts "connect Google": a signed, one-time state whose nonce, PKCE verifier and
 * redirect are stored in `oauth_states`, a `connector_connect_started` event, and Google's
 * consent URL (offline access, consent prompt, incremental scopes, PKCE S256).
 * Gmail is refused with 403 `feature_disabled` while the Gmail flag is off.
 *
 * @example const { authorizationUrl } = await startGoogleConnection(platform, { userId, services: ['drive'] });
 */
export async function startGoogleConnection(platform: Platform, input: StartConnectionInput): Promise<{ authorizationUrl: string }> {
  const services = [...new Set(input.services)];
  if (services.length === 0) throw new HttpError(400, 'invalid_request', 'body.scopes: choose at least one of drive, gmail');
  if (services.includes('gmail')) requireGmailEnabled(platform.google.gmailEnabled, 'Gmail connections');
  const now = new Date();
  let created;
  try {
    created = await createOAuthState({
      userId: input.userId, provider: 'google', secret: platform.google.stateSecret, ttlSeconds: STATE_TTL_SECONDS, now,
      ...(input.redirectAfter ? { redirectAfter: input.redirectAfter } : {}),
    });
  } catch {
    throw new HttpError(400, 'invalid_request', 'body.redirectAfter: must be a path on this site, like /integrations');
  }
  await platform.database.db.transaction().execute(async (trx) => {
    await trx.insertInto('oauth_states').values({
      nonce: created.nonce,
      user_id: input.userId,
      provider: 'google',
      code_verifier: created.codeVerifier,
      redirect_after: input.redirectAfter ?? null,
      expires_at: new Date(now.getTime() + STATE_TTL_SECONDS * 1000),
    }).execute();
    await recordConnectStarted(trx, { userId: input.userId, nonce: created.nonce, services });
  });
  const authorizationUrl = buildGoogleAuthorizationUrl({
    clientId: platform.google.clientId,
    redirectUri: platform.google.redirectUri,
    scopes: scopesFor(services),
    state: created.state,
    codeChallenge: created.codeChallenge,
    ...(platform.google.endpoints ? { authBaseUrl: platform.google.endpoints.oauth2.oauth2AuthBaseUrl } : {}),
  });
  return { authorizationUrl };
}
