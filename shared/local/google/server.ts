import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { driveRoutes } from './drive-routes.js';
import { faultError, FaultPlan, sleep } from './faults.js';
import { gmailRoutes } from './gmail-routes.js';
import { GoogleApiError, OAuthError, parseFormBody, queryOf, readBody, sendJson, type GoogleApi } from './http.js';
import { mailboxRoutes } from './mailbox-routes.js';
import { oauthRoutes } from './oauth-routes.js';
import { SCOPES_FOR, type Route, type RouteContext, type ScopeNeed } from './route.js';
import { GoogleDoubleState, type RecordedRequest } from './state.js';

/** How to start the double. */
export interface GoogleDoubleOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Lifetime of issued access tokens; default 3600. */
  accessTokenTtlSeconds?: number;
}

/** The exact options that point Google's client libraries at the double. */
export interface GoogleClientEndpoints {
  /** `drive({ version: 'v3', auth, rootUrl })`, `gmail({ version: 'v1', auth, rootUrl })`; ends with `/`. */
  rootUrl: string;
  /** `new OAuth2Client({ clientId, clientSecret, redirectUri, endpoints })`. */
  oauth2: { oauth2AuthBaseUrl: string; oauth2TokenUrl: string; oauth2RevokeUrl: string; tokenInfoUrl: string };
  /** GET with the bearer token: `{ sub, email }`. */
  userinfoUrl: string;
}

/** A running double. */
export interface GoogleDouble {
  url: string;
  endpoints: GoogleClientEndpoints;
  state: GoogleDoubleState;
  faults: FaultPlan;
  close(): Promise<void>;
}

const ROUTES: Route[] = [...oauthRoutes, ...driveRoutes, ...gmailRoutes, ...mailboxRoutes];

/**
 * Starts the local Google double (OAuth 2.0, Drive v3, Gmail v1) on 127.0.0.1.
 *
 * @example
 * const google = await startGoogleDouble();
 * const auth = new OAuth2Client({ clientId: 'c', clientSecret: 's', endpoints: google.endpoints.oauth2 });
 * const api = drive({ version: 'v3', auth, rootUrl: google.endpoints.rootUrl });
 */
export async function startGoogleDouble(options: GoogleDoubleOptions = {}): Promise<GoogleDouble> {
  const state = new GoogleDoubleState({ accessTokenTtlSeconds: options.accessTokenTtlSeconds });
  const faults = new FaultPlan();
  const host = options.host ?? '127.0.0.1';
  let baseUrl = '';
  const server = createServer((req, res) => {
    serve(req, res, { state, faults, baseUrl }).catch((error: unknown) => {
      console.error('google double: unexpected error', error);
      if (!res.headersSent) sendJson(res, 500, new GoogleApiError(500, 'backendError', 'Backend Error').toBody());
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host}:${port}`;
  return {
    url: baseUrl,
    endpoints: clientEndpoints(baseUrl),
    state,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The client options for a double listening at `url`. */
export function clientEndpoints(url: string): GoogleClientEndpoints {
  return {
    rootUrl: `${url}/`,
    oauth2: {
      oauth2AuthBaseUrl: `${url}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${url}/token`,
      oauth2RevokeUrl: `${url}/revoke`,
      tokenInfoUrl: `${url}/tokeninfo`,
    },
    userinfoUrl: `${url}/oauth2/v3/userinfo`,
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, env: { state: GoogleDoubleState; faults: FaultPlan; baseUrl: string }): Promise<void> {
  const url = new URL(req.url ?? '/', env.baseUrl);
  const method = req.method ?? 'GET';
  const api = apiOf(url.pathname);
  const body = await readBody(req);
  const query = queryOf(url);
  const record: RecordedRequest = { api, method, path: url.pathname, query, at: Date.now() };
  if (url.pathname === '/token') record.grantType = parseFormBody(body, req.headers['content-type']).grant_type;
  env.state.requests.push(record);
  res.on('finish', () => (record.status = res.statusCode));

  try {
    const fault = env.faults.take({ api, method, path: url.pathname, grantType: record.grantType });
    if (fault?.delayMs) await sleep(fault.delayMs);
    const injected = fault && faultError(fault, api);
    if (injected) throw injected;

    const match = findRoute(method, url.pathname);
    if (!match) throw new GoogleApiError(404, 'notFound', `The double does not serve ${method} ${url.pathname}`);
    const ctx: RouteContext = { req, res, url, query, params: match.params, body, state: env.state, baseUrl: env.baseUrl };
    const needs = typeof match.route.needs === 'function' ? match.route.needs(query) : match.route.needs;
    if (needs) authorize(ctx, needs, req.headers.authorization ?? (query.access_token && `Bearer ${query.access_token}`));
    await match.route.handle(ctx);
  } catch (error) {
    if (error instanceof GoogleApiError || error instanceof OAuthError) {
      if (res.headersSent) return void res.destroy();
      return sendJson(res, error.status, error.toBody(), error.headers);
    }
    throw error;
  }
}

/** Checks the bearer token and its scopes, answering 401/403 the way Google does. */
function authorize(ctx: RouteContext, needs: ScopeNeed, authorization: string | undefined): void {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  const grant = ctx.state.oauth.authenticate(token);
  if (typeof grant === 'string') {
    const message = grant === 'missing'
      ? 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.'
      : 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';
    throw new GoogleApiError(401, grant === 'missing' ? 'required' : 'authError', message, {
      'www-authenticate': `Bearer realm="https://accounts.google.com/"${grant === 'missing' ? '' : ', error="invalid_token"'}`,
    });
  }
  if (needs !== 'identity' && !grant.scopes.some((s) => SCOPES_FOR[needs].includes(s))) {
    throw new GoogleApiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', {
      'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${SCOPES_FOR[needs].join(' ')}"`,
    });
  }
  ctx.grant = grant;
  ctx.account = ctx.state.oauth.accounts.get(grant.email);
}

function findRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes(method)) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

function apiOf(path: string): GoogleApi {
  if (path.startsWith('/drive/') || path.startsWith('/upload/drive/')) return 'drive';
  if (path.startsWith('/gmail/') || path.startsWith('/upload/gmail/')) return 'gmail';
  if (path.startsWith('/o/oauth2') || path.startsWith('/oauth2/') || ['/token', '/revoke', '/tokeninfo'].includes(path)) return 'oauth';
  return 'other';
}
