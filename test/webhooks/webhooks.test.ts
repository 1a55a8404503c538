import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { stageHandler } from '../../shared/stages.js';
import { emitWebhookEvent } from '../../shared/webhooks/events.js';
import { alice, bob, connectAccount, DOCUMENTS, exportThroughApi, seedRun, startExportWorld, type ExportWorld } from '../export-runs/fixtures.js';
import { waitFor } from '../support/wait.js';
import { startReceiver, testWebhookSettings, type Receiver } from './receiver.js';
import type { ResolvedAddress, WebhookSettings } from '../../shared/webhooks/settings.js';

let world: ExportWorld | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await world?.close();
  await receiver?.close();
  world = undefined;
  receiver = undefined;
});

const allEvents = ['run.completed', 'export.completed', 'export.failed', 'automation.failed', 'account.revoked'];
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

async function setUp(answers: number[] = [], settings: Partial<WebhookSettings> = {}, dns = new Map<string, ResolvedAddress[]>()) {
  world = await startExportWorld();
  receiver = await startReceiver(answers);
  world.platform.webhooks = testWebhookSettings(dns, settings);
  return { world, receiver };
}

async function createHook(w: ExportWorld, url: string, events = allEvents) {
  const created = await w.api.post('/v1/webhooks').set(alice).send({ url, events }).expect(201);
  return created.body as { id: string; secret: string; url: string; events: string[]; status: string };
}

/** A job with one uploaded PDF, run through the pipeline to the end. */
async function completeARun(w: ExportWorld): Promise<string> {
  const job = await w.api.post('/v1/jobs').set(alice).send({ name: 'Invoices', fields: [{ name: 'Total', type: 'currency' }] }).expect(201);
  await w.api.post(`/v1/jobs/${job.body.id}/files`).set(alice).attach('file', pdf('a'), 'a.pdf').expect(201);
  const run = await w.api.post(`/v1/jobs/${job.body.id}/runs`).set(alice).expect(202);
  await w.platform.dispatcher.drain();
  return run.body.runId as string;
}

const deliveries = async (w: ExportWorld, hookId: string) => (await w.api.get(`/v1/webhooks/${hookId}/deliveries`).set(alice).expect(200)).body.items;

describe('webhook endpoints', () => {
  it('the signing secret is shown once at creation, stored encrypted, and never listed; only the owner sees or deletes it', async () => {
    const { world: w, receiver: r } = await setUp();
    const hook = await createHook(w, r.url, ['run.completed']);
    expect(hook).toMatchObject({ url: r.url, events: ['run.completed'], status: 'enabled', secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/) });

    const listed = await w.api.get('/v1/webhooks').set(alice).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: hook.id, url: r.url })]);
    expect(JSON.stringify(listed.body)).not.toContain(hook.secret);
    const stored = await w.platform.database.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', hook.id).executeTakeFirstOrThrow();
    expect(stored.secret.toString('latin1')).not.toContain(hook.secret.slice(6));

    expect((await w.api.get('/v1/webhooks').set(bob).expect(200)).body.items).toEqual([]);
    await w.api.get(`/v1/webhooks/${hook.id}/deliveries`).set(bob).expect(404);
    await w.api.delete(`/v1/webhooks/${hook.id}`).set(bob).expect(404);
    await w.api.delete(`/v1/webhooks/${hook.id}`).set(alice).expect(204);
    expect((await w.api.get('/v1/webhooks').set(alice).expect(200)).body.items).toEqual([]);
  });

  it('a repeated create with the same Idempotency-Key answers the same endpoint and secret, and the kept answer holds no secret', async () => {
    const { world: w, receiver: r } = await setUp();
    const send = () => w.api.post('/v1/webhooks').set(alice).set('Idempotency-Key', 'hook-1').send({ url: r.url, events: ['run.completed'] });
    const first = await send().expect(201);
    const again = await send().expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(first.body.secret).toMatch(/^whsec_/);
    expect((await w.api.get('/v1/webhooks').set(alice).expect(200)).body.items).toHaveLength(1);
    const kept = await w.platform.database.db.selectFrom('idempotency_keys').select('response_body').executeTakeFirstOrThrow();
    expect(kept.response_body).toMatchObject({ id: first.body.id });
    expect(JSON.stringify(kept.response_body)).not.toContain(first.body.secret.slice(6));

    await w.api.delete(`/v1/webhooks/${first.body.id}`).set(alice).expect(204);
    const gone = await send().expect(404);
    expect(gone.body.error.message).toContain('was deleted');
  });

  it('an unknown event kind or a missing URL is a 400 naming the field', async () => {
    const { world: w } = await setUp();
    const bad = await w.api.post('/v1/webhooks').set(alice).send({ url: 'https://example.com/h', events: ['run.started'] }).expect(400);
    expect(bad.body.error.message).toContain('body.events');
    const none = await w.api.post('/v1/webhooks').set(alice).send({ events: ['run.completed'] }).expect(400);
    expect(none.body.error.message).toContain('body.url');
  });
});

describe('webhook deliveries', () => {
  it('a completed run is delivered once, signed so that the standardwebhooks verifier accepts it', async () => {
    const { world: w, receiver: r } = await setUp();
    const hook = await createHook(w, r.url);
    const runId = await completeARun(w);

    expect(r.received).toHaveLength(1);
    const [delivery] = r.received;
    const verified = new Webhook(hook.secret).verify(delivery!.body, delivery!.headers as Record<string, string>);
    expect(verified).toMatchObject({ type: 'run.completed', data: { runId, status: 'completed', tasksTotal: 1, tasksCompleted: 1, tasksFailed: 0 } });
    expect(delivery!.headers['webhook-id']).toMatch(/^msg_/);
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 7).toString('base64')}`).verify(delivery!.body, delivery!.headers as Record<string, string>)).toThrow();

    expect(await deliveries(w, hook.id)).toEqual([expect.objectContaining({
      id: delivery!.headers['webhook-id'], eventType: 'run.completed', status: 'succeeded', attempts: 1, lastStatusCode: 200, lastError: null,
    })]);
  });

  it('a receiver that fails twice then succeeds gets the same webhook-id three times, each validly signed', async () => {
    const { world: w, receiver: r } = await setUp([500, 503]);
    const hook = await createHook(w, r.url, ['run.completed']);
    await completeARun(w);
    await w.platform.dispatcher.drain();

    expect(r.received).toHaveLength(3);
    const ids = r.received.map((d) => d.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    for (const d of r.received) expect(new Webhook(hook.secret).verify(d.body, d.headers as Record<string, string>)).toMatchObject({ type: 'run.completed' });
    expect(await deliveries(w, hook.id)).toEqual([expect.objectContaining({ id: ids[0], status: 'succeeded', attempts: 3, lastStatusCode: 200 })]);
  });

  it('a failed attempt is retried on the schedule, and the log shows the next attempt', async () => {
    const { world: w, receiver: r } = await setUp([500], { retryDelaysSeconds: [3600] });
    const hook = await createHook(w, r.url, ['run.completed']);
    const { jobId, runId } = await seedRun(w, { documents: DOCUMENTS });
    // No drain: the retry is scheduled an hour away (closing the world cancels it).
    await stageHandler('run.completed')(w.platform, { runId, jobId, userId: 'alice', status: 'completed' });
    let logged: Record<string, string | number | null> | undefined;
    await waitFor(() => r.received.length === 1);
    for (let i = 0; i < 100 && logged?.attempts !== 1; i++) [logged] = await deliveries(w, hook.id);
    expect(logged).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'the receiver answered 500' });
    const wait = new Date(logged!.nextAttemptAt!).getTime() - new Date(logged!.lastAttemptAt!).getTime();
    expect(wait).toBeGreaterThanOrEqual(3590_000);
    expect(wait).toBeLessThanOrEqual(3610_000);
  });

  it('a delivery whose task was lost is sent by the cleanup sweep, with its id', async () => {
    const { world: w, receiver: r } = await setUp();
    const hook = await createHook(w, r.url, ['export.completed']);
    const db = w.platform.database.db;
    await db.transaction().execute((trx) => emitWebhookEvent(trx, { userId: 'alice', type: 'export.completed', eventKey: 'export.completed:lost', data: { exportId: 'lost' } }));
    // The task never reached the queue: its outbox row is gone and the attempt is long overdue.
    await db.deleteFrom('outbox').execute();
    await db.updateTable('webhook_deliveries').set({ next_attempt_at: new Date(Date.now() - 3600_000) }).execute();

    expect(await runCleanup(w.platform)).toMatchObject({ overdueWebhooksRequeued: 1 });
    await w.platform.dispatcher.drain();
    expect(r.received).toHaveLength(1);
    const [logged] = await deliveries(w, hook.id);
    expect(logged).toMatchObject({ id: r.received[0]!.headers['webhook-id'], status: 'succeeded', attempts: 1 });
    expect(await runCleanup(w.platform)).toMatchObject({ overdueWebhooksRequeued: 0 });
  });

  it('a redirect is not followed: it is a failed attempt', async () => {
    const { world: w, receiver: r } = await setUp([302], { retryDelaysSeconds: [] });
    const hook = await createHook(w, r.url, ['run.completed']);
    await completeARun(w);
    expect(r.received).toHaveLength(1);
    expect(await deliveries(w, hook.id)).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, lastStatusCode: 302, lastError: 'the receiver answered 302 (redirects are not followed)' })]);
  });

  it('repeated failures disable the endpoint, with an activity event, and nothing more is sent to it', async () => {
    const { world: w, receiver: r } = await setUp([500, 500, 500, 500, 500, 500], { disableAfterFailures: 3 });
    const hook = await createHook(w, r.url, ['run.completed']);
    await completeARun(w);
    await w.platform.dispatcher.drain();

    expect(r.received).toHaveLength(3);
    const listed = (await w.api.get('/v1/webhooks').set(alice).expect(200)).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: hook.id, status: 'disabled', disabledReason: expect.stringContaining('3 failed deliveries in a row') })]);
    expect(await deliveries(w, hook.id)).toEqual([expect.objectContaining({ status: 'failed', attempts: 3, lastStatusCode: 500 })]);
    const events = await w.api.get('/v1/activity').set(alice).expect(200);
    const disabled = events.body.items.filter((e: { kind: string }) => e.kind === 'webhook_disabled');
    expect(disabled).toEqual([expect.objectContaining({ description: expect.stringContaining(`Webhook to 127.0.0.1:${r.port} disabled after 3 failed deliveries in a row`) })]);

    await completeARun(w);
    expect(r.received).toHaveLength(3);
    expect(await deliveries(w, hook.id)).toHaveLength(1);
  });
});

describe('no request forgery', () => {
  it.each([
    ['http://10.0.0.7/hook', '10.0.0.7, a private address'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254, a linkLocal address'],
    ['http://[::ffff:192.168.1.1]/h', 'a private address'],
    ['http://[fd00::1]/h', 'a uniqueLocal address'],
    ['http://0.0.0.0:8080/h', 'an unspecified address'],
    ['http://internal.test/h', '10.1.2.3, a private address'],
    ['http://nowhere.test/h', 'does not resolve'],
    ['ftp://example.com/h', 'it must use https or http'],
    ['http://user:pw@public.test/h', 'user name or password'],
  ])('%s is refused at creation', async (url, why) => {
    const dns = new Map<string, ResolvedAddress[]>([
      ['internal.test', [{ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }]],
      ['public.test', [{ address: '93.184.216.34', family: 4 }]],
    ]);
    const { world: w } = await setUp([], {}, dns);
    const refused = await w.api.post('/v1/webhooks').set(alice).send({ url, events: ['run.completed'] }).expect(422);
    expect(refused.body.error).toMatchObject({ code: 'webhook_url_refused', message: expect.stringContaining(why.replace(/^an? /, '')) });
  });

  it('production settings take https only and refuse loopback', async () => {
    const { world: w, receiver: r } = await setUp([], { requireHttps: true, allowLoopback: false });
    const plain = await w.api.post('/v1/webhooks').set(alice).send({ url: r.url, events: ['run.completed'] }).expect(422);
    expect(plain.body.error.message).toContain('it must use https');
    const loopback = await w.api.post('/v1/webhooks').set(alice).send({ url: `https://127.0.0.1:${r.port}/h`, events: ['run.completed'] }).expect(422);
    expect(loopback.body.error.message).toContain('127.0.0.1, a loopback address');
  });

  it('the vetted address is the one connected to, and a host that resolves to a private address at delivery time gets nothing', async () => {
    const dns = new Map<string, ResolvedAddress[]>([['hooks.customer.test', [{ address: '127.0.0.1', family: 4 }]]]);
    const { world: w, receiver: r } = await setUp([], { retryDelaysSeconds: [] }, dns);
    // A name the system resolver does not know: the request reaches the receiver only through the pinned address.
    const hook = await createHook(w, `http://hooks.customer.test:${r.port}/hooks`, ['run.completed']);
    await completeARun(w);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.headers.host).toBe(`hooks.customer.test:${r.port}`);

    dns.set('hooks.customer.test', [{ address: '127.0.0.1', family: 4 }, { address: '169.254.169.254', family: 4 }]);
    await completeARun(w);
    expect(r.received).toHaveLength(1);
    const [latest] = await deliveries(w, hook.id);
    expect(latest).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null, lastError: expect.stringContaining('resolves to 169.254.169.254, a linkLocal address') });
  });
});

describe('each event kind comes from the stage that causes it', () => {
  const typesReceived = (r: Receiver) => r.received.map((d) => (JSON.parse(d.body) as { type: string }).type).sort();

  it('a download export that completes sends export.completed', async () => {
    const { world: w, receiver: r } = await setUp();
    await createHook(w, r.url, ['export.completed', 'export.failed']);
    const { runId } = await seedRun(w, { documents: DOCUMENTS });
    const { export: done } = await exportThroughApi(w, runId, { destType: 'download', fileType: 'csv' });
    await w.platform.dispatcher.drain();
    expect(r.received.map((d) => JSON.parse(d.body))).toEqual([expect.objectContaining({
      type: 'export.completed', data: expect.objectContaining({ exportId: done.id, runId, rows: 6, destType: 'download' }),
    })]);
  });

  it('a Drive export with a revoked account sends account.revoked and export.failed', async () => {
    const { world: w, receiver: r } = await setUp();
    const hook = await createHook(w, r.url);
    const accountId = await connectAccount(w, 'alice', 'alice@example.com');
    const { runId } = await seedRun(w, { documents: DOCUMENTS });
    w.google.state.revokeRefreshTokens('alice@example.com');
    w.google.state.expireAccessTokens('alice@example.com');
    const { export: failed } = await exportThroughApi(w, runId, { destType: 'gdrive', fileType: 'csv' });
    await w.platform.dispatcher.drain();
    expect(typesReceived(r)).toEqual(['account.revoked', 'export.failed']);
    const bodies = r.received.map((d) => new Webhook(hook.secret).verify(d.body, d.headers as Record<string, string>));
    expect(bodies).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'account.revoked', data: expect.objectContaining({ accountId, email: 'alice@example.com' }) }),
      expect.objectContaining({ type: 'export.failed', data: expect.objectContaining({ exportId: failed.id, errorCode: 'account_revoked' }) }),
    ]));
  });

  it('an automation whose run failed sends run.completed and automation.failed, once however often run.completed arrives', async () => {
    const { world: w, receiver: r } = await setUp();
    await createHook(w, r.url);
    const db = w.platform.database.db;
    const { jobId, runId } = await seedRun(w, { documents: DOCUMENTS, status: 'failed' });
    const automation = await db.insertInto('automations').values({ user_id: 'alice', name: 'Vendor invoices', trigger_type: 'gmail_attachment', job_id: jobId })
      .returning('id').executeTakeFirstOrThrow();
    await db.insertInto('automation_runs').values({ automation_id: automation.id, run_id: runId }).execute();
    const message = { runId, jobId, userId: 'alice', status: 'failed' as const };
    await stageHandler('run.completed')(w.platform, message);
    await stageHandler('run.completed')(w.platform, message);
    await w.platform.dispatcher.drain();
    expect(typesReceived(r)).toEqual(['automation.failed', 'run.completed']);
    const failed = r.received.map((d) => JSON.parse(d.body)).find((b) => b.type === 'automation.failed');
    expect(failed.data).toMatchObject({ automationId: automation.id, runId, error: 'The run ended failed' });
  });

  it("another user's events are not sent to an endpoint", async () => {
    const { world: w, receiver: r } = await setUp();
    await createHook(w, r.url);
    const { runId, jobId } = await seedRun(w, { userId: 'bob', documents: DOCUMENTS });
    await stageHandler('run.completed')(w.platform, { runId, jobId, userId: 'bob', status: 'completed' });
    await w.platform.dispatcher.drain();
    expect(r.received).toEqual([]);
  });
});
