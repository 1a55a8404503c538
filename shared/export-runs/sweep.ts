import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { addToOutbox, topicMessage } from '../outbox/outbox.js';
import { EXPORT_LEASE_SECONDS } from './claim.js';

/**
 * Asks again for exports nobody is working on: in progress under a lapsed lease (the worker
 * died), or pending and untouched for `idleSeconds` (their message was given up). The export
 * stage tolerates the duplicate. Returns the outbox ids to relay.
 */
export async function sweepStuckExports(db: Kysely<Database>, opts: { idleSeconds?: number; limit?: number } = {}): Promise<number[]> {
  const idle = opts.idleSeconds ?? 900;
  return db.transaction().execute(async (trx) => {
    const stuck = await trx.selectFrom('job_exports')
      .select('id')
      .where((eb) => eb.or([
        eb.and([eb('status', '=', 'in_progress'), eb('locked_at', '<', sql<Date>`now() - make_interval(secs => ${EXPORT_LEASE_SECONDS})`)]),
        eb.and([eb('status', '=', 'pending'), eb('updated_at', '<', sql<Date>`now() - make_interval(secs => ${idle})`)]),
      ]))
      .orderBy('updated_at')
      .limit(opts.limit ?? 200)
      .forUpdate()
      .skipLocked()
      .execute();
    if (stuck.length === 0) return [];
    await trx.updateTable('job_exports').set({ updated_at: sql`now()` }).where('id', 'in', stuck.map((e) => e.id)).execute();
    const stamp = Math.floor(Date.now() / 1000);
    return addToOutbox(trx, stuck.map((e) => topicMessage('export.requested', { exportId: e.id }, `export.requested:${e.id}:s${stamp}`)));
  });
}
