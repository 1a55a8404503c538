import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { MessageBus } from '../messaging/bus.js';
import { parseMessage, type MessageOf, type Queue, type Topic } from '../messaging/contracts.js';
import { errorMessage } from '../errors.js';

/** A message waiting in the outbox, written in the same transaction as the change it announces. */
export type OutboxEntry =
  | { kind: 'topic'; name: Topic; payload: unknown; dedupeKey?: string; delaySeconds?: number }
  | { kind: 'queue'; name: Queue; payload: unknown; dedupeKey?: string; delaySeconds?: number };

/**
 * An outbox entry for a topic; the payload is checked against the topic's contract now, not
 * at relay time. `delaySeconds` makes it due that long after the commit (a scheduled retry).
 */
export function topicMessage<T extends Topic>(topic: T, message: MessageOf<T>, dedupeKey?: string, opts: { delaySeconds?: number } = {}): OutboxEntry {
  parseMessage(topic, message);
  return { kind: 'topic', name: topic, payload: message, dedupeKey, delaySeconds: opts.delaySeconds ?? 0 };
}

/** An outbox entry for a task queue, optionally delayed; the dedupe key names the task. */
export function queueTask<Q extends Queue>(queue: Q, task: MessageOf<Q>, opts: { dedupeKey?: string; delaySeconds?: number } = {}): OutboxEntry {
  parseMessage(queue, task);
  return { kind: 'queue', name: queue, payload: task, dedupeKey: opts.dedupeKey, delaySeconds: opts.delaySeconds ?? 0 };
}

/**
 * Writes messages to the outbox. Call it inside the transaction that makes the change they
 * announce: both commit or neither does. Returns the ids to hand to `relayOutbox` after commit.
 */
export async function addToOutbox(db: Kysely<Database>, entries: OutboxEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  const rows = await db
    .insertInto('outbox')
    .values(entries.map((e) => ({
      kind: e.kind,
      name: e.name,
      payload: JSON.stringify(e.payload),
      dedupe_key: e.dedupeKey ?? null,
      delay_seconds: Math.max(0, Math.ceil(e.delaySeconds ?? 0)),
    })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export interface RelayOptions {
  /** Relay only these rows (right after the commit that wrote them). */
  ids?: number[];
  /** The sweep: relay rows written at least this long ago that nobody relayed. */
  olderThanSeconds?: number;
  limit?: number;
}

// A relay that crashed mid-way leaves its claim behind; after this long another takes over.
const CLAIM_SECONDS = 60;

/**
 * Sends unrelayed outbox rows through the bus and marks them relayed. Safe to run
 * concurrently (rows are claimed with SKIP LOCKED) and to repeat after a crash: a row sent
 * but not yet marked is sent again, which every handler tolerates (at-least-once).
 */
export async function relayOutbox(db: Kysely<Database>, bus: MessageBus, options: RelayOptions = {}): Promise<{ relayed: number; failed: number }> {
  if (options.ids && options.ids.length === 0) return { relayed: 0, failed: 0 };
  // Every id the caller names is relayed (a run of 1,000 files writes 1,000 task messages),
  // `limit` rows per claim; the sweep (no ids) relays one batch of `limit` per call.
  const limit = options.limit ?? DEFAULT_BATCH;
  if (options.ids && options.ids.length > limit) {
    const total = { relayed: 0, failed: 0 };
    for (let start = 0; start < options.ids.length; start += limit) {
      const batch = await relayBatch(db, bus, { ...options, ids: options.ids.slice(start, start + limit) });
      total.relayed += batch.relayed;
      total.failed += batch.failed;
    }
    return total;
  }
  return relayBatch(db, bus, options);
}

const DEFAULT_BATCH = 500;

async function relayBatch(db: Kysely<Database>, bus: MessageBus, options: RelayOptions): Promise<{ relayed: number; failed: number }> {
  const claimed = await claimOutboxRows(db, options);
  if (claimed.length === 0) return { relayed: 0, failed: 0 };

  const sent: number[] = [];
  const failures: { id: number; error: string }[] = [];
  await Promise.all(
    claimed.map(async (row) => {
      try {
        if (row.kind === 'topic') {
          await bus.publish(row.name as Topic, row.payload as never, { dedupeKey: row.dedupe_key ?? undefined, delaySeconds: row.remaining_delay });
        } else {
          await bus.enqueue(row.name as Queue, row.payload as never, {
            dedupeKey: row.dedupe_key ?? undefined,
            delaySeconds: row.remaining_delay,
          });
        }
        sent.push(row.id);
      } catch (error) {
        failures.push({ id: row.id, error: errorMessage(error).slice(0, 1000) });
      }
    }),
  );
  if (sent.length > 0) {
    await db.updateTable('outbox').set({ relayed_at: sql`now()`, claimed_until: null, last_error: null }).where('id', 'in', sent).execute();
  }
  for (const failure of failures) {
    // Leave it for the sweep, a little later each time.
    await db
      .updateTable('outbox')
      .set({ last_error: failure.error, claimed_until: sql`now() + make_interval(secs => least(300, 5 * power(2, least(attempts, 6))))` })
      .where('id', '=', failure.id)
      .execute();
  }
  return { relayed: sent.length, failed: failures.length };
}

async function claimOutboxRows(db: Kysely<Database>, options: RelayOptions) {
  const limit = options.limit ?? DEFAULT_BATCH;
  const candidates = db
    .selectFrom('outbox')
    .select('id')
    .where('relayed_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]))
    .$if(options.ids !== undefined, (qb) => qb.where('id', 'in', options.ids!))
    .$if(options.olderThanSeconds !== undefined, (qb) =>
      qb.where('created_at', '<', sql<Date>`now() - make_interval(secs => ${options.olderThanSeconds!})`))
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('outbox')
    .set((eb) => ({ claimed_until: sql`now() + make_interval(secs => ${CLAIM_SECONDS})`, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', candidates)
    .returning([
      'id', 'kind', 'name', 'payload', 'dedupe_key',
      // A delayed task relayed late keeps its original due time.
      sql<number>`greatest(0, ceil(delay_seconds - extract(epoch from (now() - created_at))))::int`.as('remaining_delay'),
    ])
    .execute();
}

/**
 * Relays what a just-committed transaction wrote, right away. Never throws: the change is
 * committed, and whatever is not relayed now the sweep relays later.
 */
export async function relayAfterCommit(
  platform: { database: { db: Kysely<Database> }; bus: MessageBus; log: { warn(message: string, fields?: Record<string, unknown>): void } },
  ids: number[],
): Promise<void> {
  if (ids.length === 0) return;
  try {
    const { failed } = await relayOutbox(platform.database.db, platform.bus, { ids });
    if (failed > 0) platform.log.warn('outbox relay left messages for the sweep', { failed });
  } catch (error) {
    platform.log.warn('outbox relay failed; the sweep will retry', { error });
  }
}
