import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { errorMessage } from '../errors.js';
import { renewGmailWatch } from '../google/gmail-watch.js';
import { CONNECTOR_JOB_LEASE_SECONDS, connectorJobRoutes } from '../imports/connector-jobs.js';

import { addToOutbox, topicMessage } from '../outbox/outbox.js';
import type { Platform } from '../platform.js';
import { usableAccountStatuses } from '../google/credentials.js';

/**
 * Asks again for connector jobs nothing is working on: `running` under a lapsed lease
 * (the import's instance died), or `pending`, due, and untouched for `idleSeconds` (its
 * message was lost or given up). The claim is exclusive, so an extra message for a job
 * that is in fact being handled changes nothing. Returns the outbox ids to relay.
 */
export async function sweepStuckConnectorJobs(db: Kysely<Database>, opts: { idleSeconds?: number; limit?: number } = {}): Promise<number[]> {
  const idle = opts.idleSeconds ?? 900;
  return db.transaction().execute(async (trx) => {
    const stuck = await trx
      .selectFrom('connector_jobs')
      .select(['id', 'job_type'])
      .where('job_id', 'is not', null)
      .where((eb) => eb.or([
        eb.and([eb('status', '=', 'running'), eb('updated_at', '<', sql<Date>`now() - make_interval(secs => ${CONNECTOR_JOB_LEASE_SECONDS})`)]),
        eb.and([eb('status', '=', 'pending'), eb('updated_at', '<', sql<Date>`now() - make_interval(secs => ${idle})`),
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', sql<Date>`now()`)])]),
      ]))
      .orderBy('updated_at')
      .limit(opts.limit ?? 200)
      .forUpdate()
      .skipLocked()
      .execute();
    if (stuck.length === 0) return [];
    // Back to pending and due now (a lapsed claim is given up), touched so the next sweep
    // waits a full period before asking again.
    await trx.updateTable('connector_jobs').set({ status: 'pending', next_attempt_at: sql`now()`, updated_at: sql`now()` }).where('id', 'in', stuck.map((j) => j.id)).execute();
    const stamp = Math.floor(Date.now() / 1000);
    return addToOutbox(trx, stuck.map((j) =>
      topicMessage(connectorJobRoutes[j.job_type as keyof typeof connectorJobRoutes].topic, { connectorJobId: j.id }, `connector-job:${j.id}:s${stamp}`)));
  });
}

/**
 * Renews the Gmail watches that expire within `withinSeconds` (Gmail watches last 7 days;
 * the watch must be renewed at least daily per Google's guidance). One failing account
 * does not stop the others; a revoked one is marked by the credential provider.
 */
export async function renewExpiringGmailWatches(platform: Platform, opts: { withinSeconds?: number } = {}): Promise<{ renewed: number; failed: number }> {
  if (!platform.google.gmailEnabled) return { renewed: 0, failed: 0 };
  const accounts = await platform.database.db
    .selectFrom('integration_accounts')
    .select('id')
    .where('status', 'in', usableAccountStatuses)
    .where('gmail_watch_expires_at', 'is not', null)
    .where('gmail_watch_expires_at', '<', sql<Date>`now() + make_interval(secs => ${opts.withinSeconds ?? 86_400})`)
    .execute();
  let renewed = 0;
  let failed = 0;
  for (const account of accounts) {
    try {
      await renewGmailWatch(platform, account.id);
      renewed += 1;
    } catch (error) {
      failed += 1;
      platform.log.warn('gmail watch renewal failed', { accountId: account.id, reason: errorMessage(error) });
    }
  }
  return { renewed, failed };
}

/** Deletes OAuth states past their expiry that were never used (a consent abandoned). */
export async function deleteExpiredOAuthStates(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('oauth_states').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
