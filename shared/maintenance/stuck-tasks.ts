import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { addToOutbox, queueTask } from '../outbox/outbox.js';
import { leaseLapsed } from '../runs/tasks.js';

/**
 * Re-enqueues the tasks of in-progress runs that nothing is working on: `running` under a
 * lapsed lease (the worker died, or a legacy task never had one), or `pending` and
 * untouched for `idleSeconds` (their message was lost or exhausted). A task that is in fact being handled ignores the extra
 * message (claims are exclusive). Returns the outbox ids to relay.
 */
export async function sweepStuckTasks(db: Kysely<Database>, opts: { idleSeconds?: number; limit?: number } = {}): Promise<number[]> {
  const idle = opts.idleSeconds ?? 900;
  return db.transaction().execute(async (trx) => {
    const stuck = await trx
      .selectFrom('extraction_tasks as t')
      .innerJoin('job_runs as r', 'r.id', 't.run_id')
      .select(['t.id', 't.run_id', 't.attempts'])
      .where('r.status', '=', 'in_progress')
      .where((eb) => eb.or([
        eb.and([eb('t.status', '=', 'running'), leaseLapsed(eb)]),
        eb.and([eb('t.status', '=', 'pending'), eb('t.updated_at', '<', sql<Date>`now() - make_interval(secs => ${idle})`),
          eb.or([eb('t.next_retry_at', 'is', null), eb('t.next_retry_at', '<', sql<Date>`now()`)])]),
      ]))
      .orderBy('t.updated_at')
      .limit(opts.limit ?? 500)
      .forUpdate('t')
      .skipLocked()
      .execute();
    if (stuck.length === 0) return [];
    await trx.updateTable('extraction_tasks').set({ updated_at: sql`now()` }).where('id', 'in', stuck.map((t) => t.id)).execute();
    const stamp = Math.floor(Date.now() / 1000);
    return addToOutbox(trx, stuck.map((t) => queueTask('extraction', { taskId: t.id, runId: t.run_id }, { dedupeKey: `extract-${t.id}-s${stamp}` })));
  });
}
