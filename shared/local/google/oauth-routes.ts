import type { ServerResponse } from 'node:http';
import { OAuthError, parseFormBody, sendJson } from './http.js';
import type { GoogleAccount } from './oauth-state.js';
import type { Route, RouteContext } from './route.js';

/** The identity platform: consent (simulated), token, revoke, userinfo, tokeninfo. */
export const oauthRoutes: Route[] = [
  { method: 'GET', pattern: /^\/o\/oauth2\/v2\/auth$/, api: 'oauth', handle: authorize },
  { method: 'POST', pattern: /^\/token$/, api: 'oauth', handle: token },
  { method: 'POST', pattern: /^\/revoke$/, api: 'oauth', handle: revoke },
  { method: ['GET', 'POST'], pattern: /^\/tokeninfo$/, api: 'oauth', handle: tokenInfo },
  { method: 'GET', pattern: /^\/oauth2\/v[123]\/userinfo$/, api: 'oauth', needs: 'identity', handle: userInfo },
];

const BANNER = 'Simulated Google consent screen — local double, not Google';

/**
 * GET /o/oauth2/v2/auth. No page is shown unless `simulate=screen`: by default the simulated
 * user approves at once and is redirected back with `code` and `state`. `simulate=deny` (or
 * `state.oauth.consent.decision = 'deny'`) answers `error=access_denied`; `simulate_scopes`
 * (space-separated) or `consent.grantScopes` grants only some of the requested scopes.
 */
function authorize({ query, state, res, url }: RouteContext): void {
  const clientId = query.client_id;
  const redirectUri = query.redirect_uri;
  if (!clientId || !redirectUri) return errorPage(res, 'Missing required parameter: ' + (clientId ? 'redirect_uri' : 'client_id'));
  if ((query.response_type ?? 'code') !== 'code') return errorPage(res, 'Unsupported response_type: ' + query.response_type);
  if (!query.scope) return errorPage(res, 'Missing required parameter: scope');
  const method = query.code_challenge_method ?? (query.code_challenge ? 'plain' : undefined);
  if (method !== undefined && method !== 'S256' && method !== 'plain') return errorPage(res, 'Invalid code_challenge_method');

  const consent = state.oauth.consent;
  const simulate = query.simulate ?? consent.decision;
  if (simulate === 'screen') return consentScreen(res, url);
  const back = new URL(redirectUri);
  if (query.state !== undefined) back.searchParams.set('state', query.state);
  if (simulate === 'deny') {
    back.searchParams.set('error', 'access_denied');
    return redirect(res, back);
  }
  const account = chooseAccount(state.oauth.accounts, consent.email ?? query.login_hint);
  if (!account) return errorPage(res, 'The double has no simulated account: call state.addUser({ email }) first.');
  const requested = query.scope.split(/\s+/).filter(Boolean);
  const allowed = query.simulate_scopes?.split(/\s+/) ?? consent.grantScopes;
  const granted = allowed ? requested.filter((s) => allowed.includes(s)) : requested;
  const code = state.oauth.issueCode({
    email: account.email,
    clientId,
    redirectUri,
    scopes: granted,
    offline: query.access_type === 'offline',
    codeChallenge: query.code_challenge,
    codeChallengeMethod: method,
  });
  back.searchParams.set('code', code);
  back.searchParams.set('scope', granted.join(' '));
  back.searchParams.set('authuser', '0');
  back.searchParams.set('prompt', 'consent');
  redirect(res, back);
}

/** POST /token: `authorization_code` (with PKCE) and `refresh_token` grants. */
function token({ req, body, state, res }: RouteContext): void {
  const form = parseFormBody(body, req.headers['content-type']);
  const basic = basicCredentials(req.headers.authorization);
  const clientId = form.client_id ?? basic?.id;
  const clientSecret = form.client_secret ?? basic?.secret;
  state.oauth.checkClient(clientId, clientSecret);
  let answer;
  if (form.grant_type === 'authorization_code') {
    if (!form.code) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
    answer = state.oauth.redeemCode({ code: form.code, clientId: clientId!, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
  } else if (form.grant_type === 'refresh_token') {
    if (!form.refresh_token) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    answer = state.oauth.refresh(form.refresh_token, clientId!);
  } else {
    throw new OAuthError(400, 'unsupported_grant_type', 'Invalid grant_type: ' + (form.grant_type ?? ''));
  }
  sendJson(res, 200, answer, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' });
}

/** POST /revoke?token=... (or token in the form body). */
function revoke({ req, body, query, state, res }: RouteContext): void {
  const tokenValue = query.token ?? parseFormBody(body, req.headers['content-type']).token;
  if (!tokenValue) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: token');
  state.oauth.revoke(tokenValue);
  sendJson(res, 200, {});
}

/** GET|POST /tokeninfo?access_token=...: what `OAuth2Client.getTokenInfo` reads. */
function tokenInfo({ req, body, query, state, res }: RouteContext): void {
  const value = query.access_token ?? parseFormBody(body, req.headers['content-type']).access_token;
  const grant = state.oauth.authenticate(value);
  if (typeof grant === 'string') throw new OAuthError(400, 'invalid_token', 'Invalid Value');
  const account = state.oauth.accounts.get(grant.email)!;
  const expiresIn = Math.floor((grant.expiresAt - Date.now()) / 1000);
  sendJson(res, 200, {
    azp: grant.clientId,
    aud: grant.clientId,
    sub: account.sub,
    scope: grant.scopes.join(' '),
    exp: String(Math.floor(grant.expiresAt / 1000)),
    expires_in: String(expiresIn),
    email: account.email,
    email_verified: 'true',
    access_type: grant.refreshToken ? 'offline' : 'online',
  });
}

/** GET /oauth2/v3/userinfo: a simple, unsigned identity for the bearer token's account. */
function userInfo({ account, res }: RouteContext): void {
  sendJson(res, 200, { sub: account!.sub, name: account!.name, email: account!.email, email_verified: true });
}

function chooseAccount(accounts: Map<string, GoogleAccount>, hint: string | undefined): GoogleAccount | undefined {
  if (hint && accounts.has(hint)) return accounts.get(hint);
  return accounts.values().next().value;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return id ? { id, secret: secret ?? '' } : undefined;
}

function redirect(res: ServerResponse, to: URL): void {
  res.writeHead(302, { location: to.toString(), 'x-simulated': 'google-double' });
  res.end();
}

function errorPage(res: ServerResponse, message: string): void {
  const html = `<!doctype html><title>Error 400: invalid_request</title><p><strong>${BANNER}</strong></p><h1>Error 400: invalid_request</h1><p>${escapeHtml(message)}</p>`;
  res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

function consentScreen(res: ServerResponse, url: URL): void {
  const link = (decision: string) => {
    const next = new URL(url);
    next.searchParams.set('simulate', decision);
    return escapeHtml(next.pathname + next.search);
  };
  const scopes = (url.searchParams.get('scope') ?? '').split(/\s+/).map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  const html = `<!doctype html><title>${BANNER}</title><h1>${BANNER}</h1>
<p>This page is served by ByteReview's local Google double. No Google account is involved.</p>
<p>The application asks for:</p><ul>${scopes}</ul>
<p><a href="${link('approve')}">Allow</a> · <a href="${link('deny')}">Deny</a></p>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
