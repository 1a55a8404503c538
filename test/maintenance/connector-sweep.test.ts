import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { sweepStuckConnectorJobs } from '../../shared/maintenance/connector-sweep.js';
import { stageHandler } from '../../shared/stages.js';
import { as, connect, createWorld, type ConnectionsWorld } from '../connections/world.js';

let world: ConnectionsWorld;
afterEach(() => world?.close());

it('an import whose worker died is asked for again after its lease, and finishes', async () => {
  world = await createWorld();
  world.google.state.addUser({ email: 'ann@example.com' });
  const db = world.platform.database.db;
  const accountId = await connect(world, 'alice', ['drive']);
  const folder = world.google.state.drive.addFolder({ name: 'Invoices' });
  world.google.state.drive.addFile({ name: 'a.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 a'), parents: [folder.id] });
  const job = await world.http.post('/v1/jobs').set(as('alice')).send({ name: 'J' }).expect(201);
  // The import was scheduled, then its instance died mid-way: running, lease lapsed, message gone.
  await world.platform.dispatcher.close();
  const imp = await world.http.post(`/v1/jobs/${job.body.id}/imports/drive`).set(as('alice')).send({ accountId, folderIds: [folder.id] }).expect(202);
  await db.updateTable('outbox').set({ relayed_at: sql`now()` }).execute();
  await db.updateTable('connector_jobs').set({ status: 'running', attempts: 1, updated_at: sql`now() - interval '11 minutes'` }).execute();
  expect(await sweepStuckConnectorJobs(db)).toHaveLength(1);
  // Asked again only once per period.
  expect(await sweepStuckConnectorJobs(db)).toHaveLength(0);
  const message = await db.selectFrom('outbox').select(['name', 'payload']).where('relayed_at', 'is', null).executeTakeFirstOrThrow();
  expect(message).toEqual({ name: 'drive.import.requested', payload: { connectorJobId: imp.body.connectorJobId } });
  // Its delivery claims the job again and finishes the import.
  await stageHandler('drive.import.requested')(world.platform, message.payload as never);
  const finished = await db.selectFrom('connector_jobs').select(['status', 'attempts']).executeTakeFirstOrThrow();
  expect(finished).toEqual({ status: 'success', attempts: 2 });
  const files = await db.selectFrom('source_files').select(['original_filename', 'source_type']).execute();
  expect(files).toEqual([{ original_filename: 'a.pdf', source_type: 'gdrive' }]);
});

it('cleanup renews Gmail watches that expire within a day and forgets abandoned OAuth states', async () => {
  world = await createWorld();
  world.google.state.addUser({ email: 'ann@example.com' });
  const db = world.platform.database.db;
  const accountId = await connect(world, 'alice', ['gmail']);
  await db.updateTable('integration_accounts').set({ gmail_watch_expires_at: sql`now() + interval '2 hours'` }).where('id', '=', accountId).execute();
  await world.http.post('/v1/integrations/google/connect').set(as('alice')).send({ scopes: ['drive'] }).expect(200);
  await db.updateTable('oauth_states').set({ expires_at: sql`now() - interval '1 minute'` }).execute();
  const watchesBefore = world.google.state.requestsTo('gmail', '/watch').length;

  const report = await runCleanup(world.platform, { outboxAgeSeconds: 0 });
  expect(report).toMatchObject({ gmailWatchesRenewed: 1, gmailWatchRenewalsFailed: 0, expiredOAuthStatesDeleted: 1 });
  expect(world.google.state.requestsTo('gmail', '/watch').length).toBe(watchesBefore + 1);
  const account = await db.selectFrom('integration_accounts').select('gmail_watch_expires_at').where('id', '=', accountId).executeTakeFirstOrThrow();
  expect(account.gmail_watch_expires_at!.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  // Nothing left to renew on the next pass.
  expect((await runCleanup(world.platform, { outboxAgeSeconds: 0 })).gmailWatchesRenewed).toBe(0);
});
