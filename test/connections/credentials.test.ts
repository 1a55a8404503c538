import { drive } from '@googleapis/drive';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import { googleClientFor, withGoogleRetry } from '../../shared/google/credentials.js';
import { accountRow, as, connect, createWorld, events, expireStoredToken, issuedTokens, storedTokens, type ConnectionsWorld } from './world.js';

let world: ConnectionsWorld;
beforeEach(async () => {
  world = await createWorld();
  world.google.state.addUser({ email: 'ann@example.com' });
});
afterEach(() => world.close());

const listFiles = (auth: Awaited<ReturnType<typeof googleClientFor>>) => drive({ version: 'v3', auth, rootUrl: world.google.endpoints.rootUrl }).files.list({}, { retry: false });
const since = (mark: number) => world.google.state.requests.slice(mark).map((r) => `${r.api} ${r.grantType ?? r.path.split('/').pop()} ${r.status}`);
const refreshes = () => world.google.state.requestsTo('oauth', '/token').filter((r) => r.grantType === 'refresh_token');

describe('credentials of a connected account', () => {
  it('a fresh token is used as stored, without a refresh', async () => {
    const id = await connect(world, 'ann');
    const auth = await googleClientFor(world.platform, id);
    expect((await listFiles(auth)).status).toBe(200);
    expect(refreshes()).toHaveLength(0);
  });

  it('an expired access token is refreshed once and the new one is stored encrypted over a new token_version', async () => {
    const id = await connect(world, 'ann');
    const before = await accountRow(world, id);
    const old = await storedTokens(world, id);
    await expireStoredToken(world, id);

    const auth = await googleClientFor(world.platform, id);
    expect((await listFiles(auth)).status).toBe(200);
    expect(refreshes()).toHaveLength(1);
    const after = await accountRow(world, id);
    const now = await storedTokens(world, id);
    expect(after.token_version).toBe(before.token_version + 1);
    expect(now.access).not.toBe(old.access);
    expect(now.refresh).toBe(old.refresh);
    expect(auth.credentials.access_token).toBe(now.access);
    expect(new Date(after.expires_at!).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('two functions refreshing at once leave one valid token: the loser uses the winner\'s', async () => {
    const id = await connect(world, 'ann');
    const before = await accountRow(world, id);
    await expireStoredToken(world, id);
    // Both read the expired row before either answer comes back.
    world.google.faults.add({ api: 'oauth', grantType: 'refresh_token', delayMs: 300, times: 2 });

    const [a, b] = await Promise.all([googleClientFor(world.platform, id), googleClientFor(world.platform, id)]);
    expect(refreshes()).toHaveLength(2);
    const stored = await storedTokens(world, id);
    expect(a.credentials.access_token).toBe(stored.access);
    expect(b.credentials.access_token).toBe(stored.access);
    expect((await accountRow(world, id)).token_version).toBe(before.token_version + 1);
    expect((await listFiles(a)).status).toBe(200);
  });

  it('a 401 makes the client refresh once and retry, and the new token is stored', async () => {
    const id = await connect(world, 'ann');
    const auth = await googleClientFor(world.platform, id);
    const old = await storedTokens(world, id);
    world.google.faults.add({ api: 'drive', status: 401 });
    const mark = world.google.state.requests.length;
    expect((await listFiles(auth)).status).toBe(200);
    expect(since(mark)).toEqual(['drive files 401', 'oauth refresh_token 200', 'drive files 200']);
    expect((await storedTokens(world, id)).access).not.toBe(old.access);
  });

  it('a second 401 after the refresh fails as account_unauthorized, with no second refresh', async () => {
    const id = await connect(world, 'ann');
    world.google.faults.add({ api: 'drive', status: 401, times: 2 });
    const mark = world.google.state.requests.length;
    const error = await withGoogleRetry(world.platform, id, (auth) => listFiles(auth)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('account_unauthorized');
    expect(since(mark)).toEqual(['drive files 401', 'oauth refresh_token 200', 'drive files 401']);
  });

  it('a revoked grant marks the account revoked with its last error, writes one event, and then fails fast without calling Google', async () => {
    const id = await connect(world, 'ann');
    world.google.state.revokeRefreshTokens('ann@example.com');
    await expireStoredToken(world, id);

    const error = await googleClientFor(world.platform, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('account_revoked');
    const row = await accountRow(world, id);
    expect(row).toMatchObject({ status: 'revoked', last_error_code: 'account_revoked', access_token: null, refresh_token: null });
    expect(row.last_error_at).not.toBeNull();
    const revokedEvents = await events(world, 'ann', 'connector_account_revoked');
    expect(revokedEvents).toHaveLength(1);
    expect(revokedEvents[0]).toMatchObject({ context: { connector_account_id: id, error_code: 'account_revoked' } });
    expect(revokedEvents[0]!.description).toMatch(/revoked access to Google account ann@example.com/);

    const mark = world.google.state.requests.length;
    const again = await withGoogleRetry(world.platform, id, (auth) => listFiles(auth)).catch((e: unknown) => e);
    expect((again as PermanentError).code).toBe('account_revoked');
    expect(world.google.state.requests.length).toBe(mark);
    expect(await events(world, 'ann', 'connector_account_revoked')).toHaveLength(1);

    const res = await world.http.get('/v1/integrations').set(as('ann')).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ id, status: 'revoked', needsReconnect: true, lastError: expect.objectContaining({ code: 'account_revoked' }) })]);
  });

  it('invalid_grant surfacing as a 401 retry also revokes the account', async () => {
    const id = await connect(world, 'ann');
    const auth = await googleClientFor(world.platform, id);
    world.google.state.revokeRefreshTokens('ann@example.com');
    const error = await listFiles(auth).catch((e: unknown) => e);
    expect((error as PermanentError).code).toBe('account_revoked');
    expect((await accountRow(world, id)).status).toBe('revoked');
  });

  it('a disconnected account gives account_not_connected without calling Google; an account in error is still tried', async () => {
    const id = await connect(world, 'ann');
    const mark = world.google.state.requests.length;
    await world.platform.database.db.updateTable('integration_accounts').set({ status: 'disconnected' }).where('id', '=', id).execute();
    const error = await googleClientFor(world.platform, id).catch((e: unknown) => e);
    expect((error as PermanentError).code).toBe('account_not_connected');
    expect(world.google.state.requests.length).toBe(mark);

    // `error` says recent imports failed (not the grant): the next import may succeed and clear it.
    await world.platform.database.db.updateTable('integration_accounts').set({ status: 'error' }).where('id', '=', id).execute();
    await expect(listFiles(await googleClientFor(world.platform, id))).resolves.toBeDefined();
  });

  it('no plaintext token reaches any database column or log line', async () => {
    world.google.state.addUser({ email: 'bob@example.com' });
    const ann = await connect(world, 'ann', ['drive', 'gmail']);
    await expireStoredToken(world, ann);
    await listFiles(await googleClientFor(world.platform, ann));
    world.google.faults.add({ api: 'drive', status: 401 });
    await listFiles(await googleClientFor(world.platform, ann));
    world.google.state.oauth.consent.email = 'bob@example.com';
    const bob = await connect(world, 'bob');
    world.google.state.revokeRefreshTokens('bob@example.com');
    await expireStoredToken(world, bob);
    await googleClientFor(world.platform, bob).catch(() => undefined);
    await world.http.delete(`/v1/integrations/${ann}`).set(as('ann')).expect(200);

    const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(world.platform.database.db);
    let dump = '';
    for (const { tablename } of tables.rows) {
      const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(tablename)} t`.execute(world.platform.database.db);
      dump += rows.rows.map((r) => r.row).join('\n');
    }
    const logs = world.logLines.join('\n');
    const tokens = issuedTokens(world.google);
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    expect(dump).toContain('ann@example.com');
    expect(world.logLines.length).toBeGreaterThan(0);
    for (const token of tokens) {
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(Buffer.from(token).toString('hex'));
      expect(logs).not.toContain(token);
    }
  });
});
