import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountRow, as, connect, createWorld, events, storedTokens, type ConnectionsWorld } from './world.js';

let world: ConnectionsWorld;
beforeEach(async () => {
  world = await createWorld();
  world.google.state.addUser({ email: 'ann@example.com' });
});
afterEach(() => world.close());

describe('disconnecting an account', () => {
  it('stops the Gmail watch, revokes the grant at Google, deletes the tokens and records started then succeeded', async () => {
    const id = await connect(world, 'ann', ['drive', 'gmail']);
    const { refresh } = await storedTokens(world, id);
    expect(world.google.state.gmail.watch).toBeDefined();

    const res = await world.http.delete(`/v1/integrations/${id}`).set(as('ann')).expect(200);
    expect(res.body).toMatchObject({ id, status: 'disconnected', gmailWatchExpiresAt: null, needsReconnect: false });
    expect(world.google.state.gmail.watch).toBeUndefined();
    expect(world.google.state.oauth.refreshTokens.get(refresh!)?.revoked).toBe(true);
    expect(world.google.state.requestsTo('oauth', '/revoke').map((r) => r.status)).toEqual([200]);
    expect(await accountRow(world, id)).toMatchObject({ status: 'disconnected', access_token: null, refresh_token: null, expires_at: null });

    const kinds = (await events(world, 'ann')).map((e) => e.kind).filter((k) => k.startsWith('connector_disconnect'));
    expect(kinds).toEqual(['connector_disconnect_started', 'connector_disconnect_succeeded']);
    expect((await events(world, 'ann', 'connector_disconnect_succeeded'))[0]?.description).toBe('Disconnected Google account ann@example.com');
  });

  it('a failure to revoke at Google is logged, and the account is disconnected anyway', async () => {
    const id = await connect(world, 'ann');
    world.google.faults.add({ api: 'oauth', pathIncludes: '/revoke', status: 400, error: 'invalid_token' });
    await world.http.delete(`/v1/integrations/${id}`).set(as('ann')).expect(200);
    expect(await accountRow(world, id)).toMatchObject({ status: 'disconnected', access_token: null, refresh_token: null });
    expect(world.logLines.some((l) => l.includes('revoking the Google grant failed'))).toBe(true);
    expect((await events(world, 'ann', 'connector_disconnect_succeeded'))[0]?.context).toMatchObject({ error_code: 'revoke_failed' });
  });

  it('disconnecting twice is harmless and calls Google once', async () => {
    const id = await connect(world, 'ann');
    await world.http.delete(`/v1/integrations/${id}`).set(as('ann')).expect(200);
    await world.http.delete(`/v1/integrations/${id}`).set(as('ann')).expect(200);
    expect(world.google.state.requestsTo('oauth', '/revoke')).toHaveLength(1);
    expect(await events(world, 'ann', 'connector_disconnect_succeeded')).toHaveLength(1);
  });

  it('a revoked account is disconnected without calling Google', async () => {
    const id = await connect(world, 'ann');
    await world.platform.database.db.updateTable('integration_accounts').set({ status: 'revoked', access_token: null, refresh_token: null }).execute();
    const mark = world.google.state.requests.length;
    await world.http.delete(`/v1/integrations/${id}`).set(as('ann')).expect(200);
    expect(world.google.state.requests.length).toBe(mark);
    expect((await accountRow(world, id)).status).toBe('disconnected');
  });
});

describe('account health in the api', () => {
  it('lists the user\'s accounts with status, scopes, last sync and last error', async () => {
    const id = await connect(world, 'ann');
    const at = new Date('2025-01-02T03:04:05.000Z');
    await world.platform.database.db.updateTable('integration_accounts')
      .set({ status: 'error', last_sync_at: at, last_error_code: 'insufficient_scope', last_error_message: 'Drive access was not granted', last_error_at: at })
      .execute();
    const res = await world.http.get('/v1/integrations').set(as('ann')).expect(200);
    expect(res.body.items).toEqual([{
      id, provider: 'google', email: 'ann@example.com', scopes: expect.arrayContaining(['openid', 'email']), services: ['drive'],
      status: 'error', lastSyncAt: at.toISOString(), lastError: { code: 'insufficient_scope', message: 'Drive access was not granted', at: at.toISOString() },
      gmailWatchExpiresAt: null, needsReconnect: true, createdAt: expect.any(String), updatedAt: expect.any(String),
    }]);
    expect(JSON.stringify(res.body)).not.toMatch(/token/i);
  });

  it('another user\'s account is invisible: 404 to get and to delete, absent from the list', async () => {
    const id = await connect(world, 'ann');
    await world.http.get(`/v1/integrations/${id}`).set(as('mallory')).expect(404);
    await world.http.delete(`/v1/integrations/${id}`).set(as('mallory')).expect(404);
    expect((await world.http.get('/v1/integrations').set(as('mallory')).expect(200)).body).toEqual({ items: [] });
    expect((await accountRow(world, id)).status).toBe('connected');
    expect(world.google.state.requestsTo('oauth', '/revoke')).toHaveLength(0);
  });
});
