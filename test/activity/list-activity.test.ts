import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { recordActivity } from '../../shared/activity/activity.js';
import { upsertUser } from '../../shared/jobs/jobs.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
let api: ReturnType<typeof request>;
const as = (uid: string) => ({ Authorization: `Bearer dev:${uid}` });
const kinds = ['connector_sync_started', 'connector_sync_completed', 'run_started', 'run_completed', 'export_completed'] as const;

beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  api = request(createApiApp(async () => platform));
  const db = platform.database.db;
  await upsertUser(db, { uid: 'ann' });
  await upsertUser(db, { uid: 'bob' });
  // 25 events for ann, one statement each (so each has its own created_at), and one for bob.
  for (let i = 0; i < 25; i++) {
    await recordActivity(db, { userId: 'ann', kind: kinds[i % kinds.length]!, context: { n: i }, description: `event ${i}` });
  }
  await recordActivity(db, { userId: 'bob', kind: 'run_started', context: { n: 99 }, description: 'bob\'s event' });
});
afterAll(() => platform.close());

async function all(query: Record<string, string>, uid = 'ann'): Promise<{ n: number; kind: string }[]> {
  const seen: { n: number; kind: string }[] = [];
  let cursor: string | null = null;
  do {
    const res: request.Response = await api.get('/v1/activity').query({ ...query, ...(cursor ? { cursor } : {}) }).set(as(uid)).expect(200);
    seen.push(...res.body.items.map((e: { context: { n: number }; kind: string }) => ({ n: e.context.n, kind: e.kind })));
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

describe('the activity log in the api', () => {
  it('lists newest first with id, kind, description, context and createdAt', async () => {
    const res: request.Response = await api.get('/v1/activity').query({ limit: 2 }).set(as('ann')).expect(200);
    expect(res.body.items).toEqual([
      { id: expect.any(String), kind: kinds[24 % 5], description: 'event 24', context: { n: 24 }, createdAt: expect.any(String) },
      { id: expect.any(String), kind: kinds[23 % 5], description: 'event 23', context: { n: 23 }, createdAt: expect.any(String) },
    ]);
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });

  it('pages through every event once, in order, with the cursor', async () => {
    const pages: number[] = [];
    let cursor: string | null = null;
    const seen: number[] = [];
    do {
      const res: request.Response = await api.get('/v1/activity').query({ limit: 10, ...(cursor ? { cursor } : {}) }).set(as('ann')).expect(200);
      pages.push(res.body.items.length);
      seen.push(...res.body.items.map((e: { context: { n: number } }) => e.context.n));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual([10, 10, 5]);
    expect(seen).toEqual([...Array(25).keys()].reverse());
  });

  it('lists events of the same instant in the order they were written, across pages', async () => {
    // One transaction: now() is the same for every event, so only the write order can tell them
    // apart. 80 events after the 26 above: their seqs cross from 2 digits to 3, where an
    // order on seq's text ("99" after "100") would differ from the order of the numbers.
    await platform.database.db.transaction().execute(async (trx) => {
      await upsertUser(trx, { uid: 'cy' });
      for (let i = 0; i < 80; i++) await recordActivity(trx, { userId: 'cy', kind: 'run_started', context: { n: i }, description: `same instant ${i}` });
    });
    const seen = (await all({ limit: '7' }, 'cy')).map((e) => e.n);
    expect(seen).toEqual([...Array(80).keys()].reverse());
  });

  it('lists in write order even when a later event carries an earlier time, and pages through each once', async () => {
    // created_at is the writing transaction's start: a transaction that began earlier but
    // wrote later, or a clock that stepped back, gives a later event an earlier time.
    const db = platform.database.db;
    await upsertUser(db, { uid: 'dee' });
    const start = Date.parse('2026-06-01T12:00:00Z');
    for (let i = 0; i < 12; i++) {
      const at = new Date(start + (i < 6 ? i : i - 3600) * 1000);
      await db.insertInto('activity_events').values({ user_id: 'dee', kind: 'run_started', context: JSON.stringify({ n: i }), description: `event ${i}`, created_at: at }).execute();
    }
    const seen = (await all({ limit: '5' }, 'dee')).map((e) => e.n);
    expect(seen).toEqual([...Array(12).keys()].reverse());
  });

  it('still takes a cursor issued before the order was by write sequence alone', async () => {
    const first: request.Response = await api.get('/v1/activity').query({ limit: 10 }).set(as('ann')).expect(200);
    const { seq } = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString('utf8')) as { seq: string };
    const old = Buffer.from(JSON.stringify({ at: '2026-06-01 12:00:00.123456+00', seq })).toString('base64url');
    const next: request.Response = await api.get('/v1/activity').query({ limit: 10, cursor: old }).set(as('ann')).expect(200);
    expect(next.body.items.map((e: { context: { n: number } }) => e.context.n)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
  });

  it('filters by one kind, by a comma list, and by a prefix', async () => {
    expect((await all({ kind: 'run_completed' })).map((e) => e.n)).toEqual([23, 18, 13, 8, 3]);
    expect(new Set((await all({ kinds: 'run_started,export_completed' })).map((e) => e.kind))).toEqual(new Set(['run_started', 'export_completed']));
    const connector = await all({ kind: 'connector_', limit: '3' });
    expect(connector).toHaveLength(10);
    expect(connector.every((e) => e.kind.startsWith('connector_'))).toBe(true);
  });

  it('refuses an unknown kind and a cursor it did not issue', async () => {
    expect((await api.get('/v1/activity').query({ kind: 'nope' }).set(as('ann')).expect(400)).body.error.code).toBe('invalid_request');
    expect((await api.get('/v1/activity').query({ kinds: 'run_,bogus_' }).set(as('ann')).expect(400)).body.error.code).toBe('invalid_request');
    expect((await api.get('/v1/activity').query({ cursor: 'garbage' }).set(as('ann')).expect(400)).body.error.code).toBe('invalid_cursor');
  });

  it('another user\'s events are invisible', async () => {
    expect(await all({}, 'bob')).toEqual([{ n: 99, kind: 'run_started' }]);
    expect((await all({})).some((e) => e.n === 99)).toBe(false);
    expect(await all({}, 'carol')).toEqual([]);
  });
});
