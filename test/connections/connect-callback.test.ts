import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pkceChallenge } from '../../shared/auth/oauth-state.js';
import {
  DRIVE_FILE, DRIVE_READONLY, GMAIL_READONLY, GMAIL_SEND, accountRow, as, callback, connect, consent, createWorld, events, followConsent, landing, storedTokens,
  type ConnectionsWorld,
} from './world.js';

let world: ConnectionsWorld;
beforeEach(async () => {
  world = await createWorld();
  world.google.state.addUser({ email: 'ann@example.com', sub: '1001' });
});
afterEach(() => world.close());

const accounts = () => world.platform.database.db.selectFrom('integration_accounts').selectAll().execute();
const tokenRequests = (grant: string) => world.google.state.requestsTo('oauth', '/token').filter((r) => r.grantType === grant);

describe('connecting a Google account', () => {
  it('the consent URL asks for offline access, a consent prompt, incremental scopes and PKCE S256, and the state is stored once', async () => {
    const res = await world.http.post('/v1/integrations/google/connect').set(as('ann')).send({ scopes: ['drive', 'gmail'] }).expect(200);
    const url = new URL(res.body.authorizationUrl);
    expect(url.origin + url.pathname).toBe(world.google.endpoints.oauth2.oauth2AuthBaseUrl);
    const q = url.searchParams;
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('include_granted_scopes')).toBe('true');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('redirect_uri')).toBe(world.platform.google.redirectUri);
    expect(q.get('scope')!.split(' ').sort()).toEqual(['email', 'openid', DRIVE_READONLY, DRIVE_FILE, GMAIL_READONLY, GMAIL_SEND].sort());

    const [state] = await world.platform.database.db.selectFrom('oauth_states').selectAll().execute();
    expect(state).toMatchObject({ user_id: 'ann', provider: 'google', used_at: null });
    expect(pkceChallenge(state!.code_verifier)).toBe(q.get('code_challenge'));
    expect(q.get('state')).not.toContain(state!.code_verifier);
    expect(await events(world, 'ann', 'connector_connect_started')).toHaveLength(1);
  });

  it('the callback stores one connected account whose tokens decrypt to the ones Google issued, and redirects with its id', async () => {
    const back = await callback(world, await consent(world, 'ann', ['drive']));
    expect(back.origin + back.pathname).toBe('http://frontend.test/integrations');
    expect(back.searchParams.get('status')).toBe('connected');
    const id = back.searchParams.get('account')!;

    const [row, ...others] = await accounts();
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({ id, user_id: 'ann', provider: 'google', provider_account_id: '1001', email: 'ann@example.com', status: 'connected', last_error_code: null });
    const tokens = await storedTokens(world, id);
    expect(world.google.state.oauth.accessTokens.get(tokens.access!)).toMatchObject({ email: 'ann@example.com', revoked: false });
    expect(world.google.state.oauth.refreshTokens.get(tokens.refresh!)).toMatchObject({ email: 'ann@example.com', revoked: false });
    expect(new Date(row!.expires_at!).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    const [succeeded] = await events(world, 'ann', 'connector_connect_succeeded');
    expect(succeeded).toMatchObject({ description: 'Connected Google account ann@example.com (Drive)', context: { provider: 'google', connector_account_id: id } });
  });

  it('records the scopes Google actually granted when the user unticked some', async () => {
    world.google.state.oauth.consent.grantScopes = ['openid', 'email', DRIVE_READONLY, GMAIL_READONLY];
    const id = await connect(world, 'ann', ['drive', 'gmail']);
    const row = await accountRow(world, id);
    expect([...row.scopes].sort()).toEqual(['email', 'openid', DRIVE_READONLY, GMAIL_READONLY].sort());
    const res = await world.http.get(`/v1/integrations/${id}`).set(as('ann')).expect(200);
    expect(res.body).toMatchObject({ services: ['drive', 'gmail'], needsReconnect: false, status: 'connected' });
  });

  it('a Gmail grant starts the watch on the configured topic and stores its history id and expiry', async () => {
    const id = await connect(world, 'ann', ['gmail']);
    expect(world.google.state.gmail.watch).toMatchObject({ topicName: 'projects/test/topics/gmail-watch', emailAddress: 'ann@example.com' });
    const row = await accountRow(world, id);
    expect(row.gmail_history_id).toMatch(/^\d+$/);
    expect(new Date(row.gmail_watch_expires_at!).getTime()).toBe(world.google.state.gmail.watch!.expiration);
    const res = await world.http.get('/v1/integrations').set(as('ann')).expect(200);
    expect(res.body.items[0].gmailWatchExpiresAt).toBe(new Date(world.google.state.gmail.watch!.expiration).toISOString());
  });

  it('a Drive-only grant starts no Gmail watch', async () => {
    const id = await connect(world, 'ann', ['drive']);
    expect(world.google.state.requestsTo('gmail')).toHaveLength(0);
    expect((await accountRow(world, id)).gmail_watch_expires_at).toBeNull();
  });

  it('Gmail is refused with 403 feature_disabled while the flag is off, and nothing is stored', async () => {
    world.platform.google.gmailEnabled = false;
    const res = await world.http.post('/v1/integrations/google/connect').set(as('ann')).send({ scopes: ['drive', 'gmail'] }).expect(403);
    expect(res.body.error.code).toBe('feature_disabled');
    expect(await world.platform.database.db.selectFrom('oauth_states').selectAll().execute()).toHaveLength(0);
  });

  it('a redirectAfter that is not a same-site path is refused', async () => {
    const res = await world.http.post('/v1/integrations/google/connect').set(as('ann')).send({ scopes: ['drive'], redirectAfter: '//evil.example/x' }).expect(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('returns to the redirectAfter path on the frontend', async () => {
    const back = await callback(world, await consent(world, 'ann', ['drive'], { redirectAfter: '/jobs/42?tab=sources' }));
    expect(back.origin + back.pathname).toBe('http://frontend.test/jobs/42');
    expect(back.searchParams.get('tab')).toBe('sources');
    expect(back.searchParams.get('status')).toBe('connected');
  });

  it('connecting the same Google account again updates its one row and clears the last error', async () => {
    const first = await connect(world, 'ann', ['drive']);
    await world.platform.database.db.updateTable('integration_accounts').set({ status: 'revoked', last_error_code: 'account_revoked', access_token: null, refresh_token: null }).execute();
    const second = await connect(world, 'ann', ['drive', 'gmail']);
    expect(second).toBe(first);
    const rows = await accounts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'connected', last_error_code: null, last_error_message: null });
    expect((await storedTokens(world, first)).refresh).not.toBeNull();
  });

  it('two Google accounts of one user are two rows', async () => {
    world.google.state.addUser({ email: 'ann.work@example.com', sub: '2002' });
    await connect(world, 'ann');
    world.google.state.oauth.consent.email = 'ann.work@example.com';
    await connect(world, 'ann');
    expect((await accounts()).map((a) => a.email).sort()).toEqual(['ann.work@example.com', 'ann@example.com']);
  });
});

describe('failed connections store nothing', () => {
  it('denied consent redirects with access_denied and records connector_connect_failed', async () => {
    world.google.state.oauth.consent.decision = 'deny';
    const back = await callback(world, await consent(world, 'ann', ['drive']));
    expect(back.searchParams.get('status')).toBe('error');
    expect(back.searchParams.get('reason')).toBe('access_denied');
    expect(await accounts()).toHaveLength(0);
    const [failed] = await events(world, 'ann', 'connector_connect_failed');
    expect(failed).toMatchObject({ context: { provider: 'google', connector_account_id: null, error_code: 'access_denied' } });
  });

  it('a reused state is refused before its code is exchanged', async () => {
    const res = await world.http.post('/v1/integrations/google/connect').set(as('ann')).send({ scopes: ['drive'] }).expect(200);
    // The same consent URL answered twice: two codes under one state.
    const first = await followConsent(res.body.authorizationUrl);
    const second = await followConsent(res.body.authorizationUrl);
    const id = (await callback(world, first)).searchParams.get('account')!;
    const before = await accountRow(world, id);
    const exchanges = tokenRequests('authorization_code').length;

    const back = await callback(world, second);
    expect(back.searchParams.get('status')).toBe('error');
    expect(back.searchParams.get('reason')).toBe('state_used');
    expect(tokenRequests('authorization_code')).toHaveLength(exchanges);
    expect(await accounts()).toHaveLength(1);
    expect(await accountRow(world, id)).toEqual(before);
    expect((await events(world, 'ann', 'connector_connect_failed'))[0]?.context).toMatchObject({ error_code: 'state_used' });
  });

  it('a reused code is refused by Google and stores nothing', async () => {
    const used = new URLSearchParams(await consent(world, 'ann', ['drive']));
    await callback(world, `?${used}`);
    const [before] = await accounts();
    // A fresh state with the code Google already redeemed.
    const fresh = new URLSearchParams(await consent(world, 'ann', ['drive']));
    fresh.set('code', used.get('code')!);
    const back = await callback(world, `?${fresh}`);
    expect(back.searchParams.get('reason')).toBe('invalid_grant');
    expect(await accounts()).toEqual([before]);
  });

  it('a first-time reused code leaves no account row and no tokens at all', async () => {
    world.google.state.addUser({ email: 'bob@example.com' });
    const search = new URLSearchParams(await consent(world, 'bob', ['drive']));
    // Someone else redeems the code first (it leaked): the callback's exchange gets invalid_grant.
    expect(() => world.google.state.oauth.redeemCode({ code: search.get('code')!, clientId: world.platform.google.clientId, redirectUri: world.platform.google.redirectUri, codeVerifier: 'x' })).toThrow();
    const back = await callback(world, `?${search}`, 'bob');
    expect(back.searchParams.get('reason')).toBe('invalid_grant');
    expect(await accounts()).toHaveLength(0);
  });

  it('a tampered state is bad_state and an expired one expired_state; an unknown user gets no event', async () => {
    const search = new URLSearchParams(await consent(world, 'ann', ['drive']));
    const state = search.get('state')!;
    search.set('state', `${state.slice(0, -3)}AAA`);
    expect((await callback(world, `?${search}`)).searchParams.get('reason')).toBe('bad_state');
    expect((await callback(world, '?code=abc')).searchParams.get('reason')).toBe('bad_state');

    await world.platform.database.db.updateTable('oauth_states').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    search.set('state', state);
    expect((await callback(world, `?${search}`)).searchParams.get('reason')).toBe('expired_state');
    expect(await accounts()).toHaveLength(0);
    expect((await events(world, 'ann', 'connector_connect_failed')).map((e) => (e.context as { error_code: string }).error_code)).toEqual(['expired_state']);
  });
});

describe('account linking is finished only by the user who started it (the linking CSRF)', () => {
  it("a consent link sent to someone else links nothing: the victim's completion is refused and the code is dead", async () => {
    // mallory starts "connect Google" and sends the consent link to ann, who consents as ann@example.com.
    const started = await world.http.post('/v1/integrations/google/connect').set(as('mallory')).send({ scopes: ['drive', 'gmail'] }).expect(200);
    const landed = await landing(world, await followConsent(started.body.authorizationUrl));
    expect(landed.searchParams.get('status')).toBe('consented');
    expect(landed.searchParams.get('account')).toBeNull();
    // The callback alone links nothing and exchanges nothing.
    expect(await accounts()).toHaveLength(0);
    expect(tokenRequests('authorization_code')).toHaveLength(0);

    // ann's browser lands on the frontend, signed in as ann: her frontend finishes with her own token.
    const code = landed.searchParams.get('code');
    const refused = await world.http.post('/v1/integrations/google/complete').set(as('ann')).send({ code }).expect(403);
    expect(refused.body.error.code).toBe('not_your_connection');
    // The code is consumed: mallory cannot use it either, had it leaked to her.
    const gone = await world.http.post('/v1/integrations/google/complete').set(as('mallory')).send({ code }).expect(404);
    expect(gone.body.error.code).toBe('connection_not_found');

    expect(await accounts()).toHaveLength(0);
    expect(tokenRequests('authorization_code')).toHaveLength(0);
    expect((await world.http.get('/v1/integrations').set(as('mallory')).expect(200)).body.items).toEqual([]);
    expect((await events(world, 'mallory', 'connector_connect_failed'))[0]?.context).toMatchObject({ error_code: 'not_your_connection' });
  });

  it('the user who started it finishes it once; a second completion with the same code finds nothing', async () => {
    const landed = await landing(world, await consent(world, 'ann', ['drive']));
    const code = landed.searchParams.get('code');
    const done = await world.http.post('/v1/integrations/google/complete').set(as('ann')).send({ code }).expect(200);
    expect(done.body.account).toMatchObject({ email: 'ann@example.com', status: 'connected', services: ['drive'] });
    expect(new URL(done.body.redirectTo).searchParams.get('account')).toBe(done.body.account.id);
    await world.http.post('/v1/integrations/google/complete').set(as('ann')).send({ code }).expect(404);
    expect(await accounts()).toHaveLength(1);
  });

  it('a completion after the time allowed is refused and links nothing', async () => {
    const landed = await landing(world, await consent(world, 'ann', ['drive']));
    await world.platform.database.db.updateTable('oauth_states').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    const late = await world.http.post('/v1/integrations/google/complete').set(as('ann')).send({ code: landed.searchParams.get('code') }).expect(409);
    expect(late.body.error.code).toBe('expired_state');
    expect(await accounts()).toHaveLength(0);
  });

  it('the authorization code is stored encrypted, never as sent', async () => {
    const search = new URLSearchParams(await consent(world, 'ann', ['drive']));
    await landing(world, `?${search}`);
    const [row] = await world.platform.database.db.selectFrom('oauth_states').selectAll().execute();
    expect(row!.authorization_code).not.toBeNull();
    expect(Buffer.from(row!.authorization_code!).includes(Buffer.from(search.get('code')!))).toBe(false);
  });
});
