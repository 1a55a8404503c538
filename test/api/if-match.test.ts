import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GMAIL_READONLY } from '../../shared/google/scopes.js';
import { alice, startExportWorld, type ExportWorld } from '../export-runs/fixtures.js';
import { connectGoogleAccount } from '../support/google-account.js';

let world: ExportWorld;
let accountId: string;
beforeAll(async () => {
  world = await startExportWorld();
  accountId = await connectGoogleAccount(world.platform, world.google, 'alice', 'alice@example.com', { scopes: [GMAIL_READONLY] });
});
afterAll(() => world?.close());

/** An object users edit: how to make one, where it lives, a change, and whether it can be deleted. */
interface Versioned {
  what: string;
  create(): Promise<Response>;
  path(created: Response): string;
  change(n: number): Record<string, unknown>;
  deletable: boolean;
}

const objects: Versioned[] = [
  {
    what: 'a job (its name and fields)',
    create: () => world.api.post('/v1/jobs').set(alice).send({ name: 'Invoices', fields: [{ name: 'Total', type: 'currency' }] }).expect(201),
    path: (c) => `/v1/jobs/${c.body.id}`,
    change: (n) => ({ name: `Invoices ${n}`, fields: [{ name: `Total ${n}`, type: 'currency' }] }),
    deletable: true,
  },
  {
    what: 'a template',
    create: () => world.api.post('/v1/templates').set(alice).send({ name: 'Receipts', fields: [{ name: 'Shop', type: 'text' }] }).expect(201),
    path: (c) => `/v1/templates/${c.body.id}`,
    change: (n) => ({ name: `Receipts ${n}` }),
    deletable: true,
  },
  {
    what: 'an automation',
    create: async () => {
      const job = await world.api.post('/v1/jobs').set(alice).send({ name: 'Mail' }).expect(201);
      return world.api.post('/v1/automations').set(alice).send({ name: 'Vendor', jobId: job.body.id, accountId, trigger: { query: 'from:vendor@example.org' } }).expect(201);
    },
    path: (c) => `/v1/automations/${c.body.id}`,
    change: (n) => ({ name: `Vendor ${n}`, isEnabled: n % 2 === 0 }),
    deletable: true,
  },
  {
    what: "the user's settings",
    create: () => world.api.get('/v1/settings').set(alice).expect(200),
    path: () => '/v1/settings',
    change: (n) => ({ exportRetentionDays: 10 + n }),
    deletable: false,
  },
];

describe('ETag and If-Match on what users edit', () => {
  it.each(objects)('$what: answers carry its version as ETag; a stale If-Match is 412 with the current version and changes nothing', async (o) => {
    const created = await o.create();
    const path = o.path(created);
    const read = await world.api.get(path).set(alice).expect(200);
    const v = read.body.version as number;
    expect(read.headers.etag).toBe(`"${v}"`);
    if (created.status === 201) expect(created.headers.etag).toBe(`"${v}"`);

    const changed = await world.api.patch(path).set(alice).set('If-Match', `"${v}"`).send(o.change(1)).expect(200);
    expect(changed.body.version).toBe(v + 1);
    expect(changed.headers.etag).toBe(`"${v + 1}"`);

    // The other tab still holds version v.
    const stale = await world.api.patch(path).set(alice).set('If-Match', `"${v}"`).send(o.change(2)).expect(412);
    expect(stale.headers.etag).toBe(`"${v + 1}"`);
    expect(stale.body.error).toMatchObject({ code: 'version_mismatch', currentVersion: v + 1, requestId: stale.headers['x-request-id'] });
    expect((await world.api.get(path).set(alice).expect(200)).body).toEqual(changed.body);

    // Weak tags never match (If-Match compares strongly); a list matches when one of its tags does; * matches what exists.
    await world.api.patch(path).set(alice).set('If-Match', `W/"${v + 1}"`).send(o.change(2)).expect(412);
    const listed = await world.api.patch(path).set(alice).set('If-Match', `"${v}", "${v + 1}"`).send(o.change(3)).expect(200);
    expect(listed.body.version).toBe(v + 2);
    await world.api.patch(path).set(alice).set('If-Match', '*').send(o.change(4)).expect(200);
    // Without If-Match, as before: the last write wins, and the version still moves.
    const blind = await world.api.patch(path).set(alice).send(o.change(5)).expect(200);
    expect(blind.body.version).toBe(v + 4);

    if (!o.deletable) return;
    await world.api.delete(path).set(alice).set('If-Match', `"${v}"`).expect(412);
    await world.api.get(path).set(alice).expect(200);
    await world.api.delete(path).set(alice).set('If-Match', `"${v + 4}"`).expect(204);
    await world.api.get(path).set(alice).expect(404);
    await world.api.delete(path).set(alice).set('If-Match', `"${v + 4}"`).expect(404);
  });

  it('two tabs editing the same job at once: one change is made, the other is told so, and no write is lost silently', async () => {
    const job = await world.api.post('/v1/jobs').set(alice).send({ name: 'Shared', fields: [{ name: 'A', type: 'text' }] }).expect(201);
    const tag = job.headers.etag!;
    const [a, b] = await Promise.all([
      world.api.patch(`/v1/jobs/${job.body.id}`).set(alice).set('If-Match', tag).send({ fields: [{ name: 'From tab A', type: 'text' }] }),
      world.api.patch(`/v1/jobs/${job.body.id}`).set(alice).set('If-Match', tag).send({ fields: [{ name: 'From tab B', type: 'text' }] }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? a : b;
    const now = await world.api.get(`/v1/jobs/${job.body.id}`).set(alice).expect(200);
    expect(now.body.fields.map((f: { name: string }) => f.name)).toEqual(winner.body.fields.map((f: { name: string }) => f.name));
    expect(now.body.version).toBe(job.body.version + 1);
  });

  it('settings never changed are version 0: If-Match "0" creates them, once', async () => {
    const fresh = { Authorization: 'Bearer dev:settings-newcomer' };
    const read = await world.api.get('/v1/settings').set(fresh).expect(200);
    expect(read.headers.etag).toBe('"0"');
    await world.api.patch('/v1/settings').set(fresh).set('If-Match', '"1"').send({ exportRetentionDays: 7 }).expect(412);
    const first = await world.api.patch('/v1/settings').set(fresh).set('If-Match', '"0"').send({ exportRetentionDays: 7 }).expect(200);
    expect(first.body).toMatchObject({ exportRetentionDays: 7, version: 1 });
    const second = await world.api.patch('/v1/settings').set(fresh).set('If-Match', '"0"').send({ exportRetentionDays: 8 }).expect(412);
    expect(second.body.error.currentVersion).toBe(1);
    expect((await world.api.get('/v1/settings').set(fresh).expect(200)).body.exportRetentionDays).toBe(7);
  });

  it("someone else's object is 404 whatever If-Match says", async () => {
    const job = await world.api.post('/v1/jobs').set(alice).send({ name: 'Private' }).expect(201);
    await world.api.patch(`/v1/jobs/${job.body.id}`).set({ Authorization: 'Bearer dev:mallory' }).set('If-Match', job.headers.etag!).send({ name: 'x' }).expect(404);
    await world.api.delete(`/v1/jobs/${job.body.id}`).set({ Authorization: 'Bearer dev:mallory' }).set('If-Match', '"999"').expect(404);
  });
});
