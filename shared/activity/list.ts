import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { activityKinds, type ActivityKind } from './activity.js';

/** One event as the frontend lists it. */
export interface ActivityView {
  id: string;
  kind: ActivityKind;
  description: string;
  context: Record<string, unknown>;
  createdAt: string;
}

/**
 * Where the previous page ended: the last event's write sequence. (Cursors issued before
 * migration 000020 also carry its `created_at` as `at`; it is ignored.)
 */
export interface ActivityCursor {
  seq: string;
}

export interface ListActivityOptions {
  /**
   * Kinds to keep: each an exact kind (`run_completed`) or a prefix ending in `_`
   * (`connector_`, `connector_sync_`); an event matching any is kept. Empty keeps all.
   */
  kinds?: readonly string[];
  limit: number;
  after?: ActivityCursor;
}

/**
 * Parses the filter of `GET /v1/activity`: `kind` (one kind or prefix) and `kinds` (a
 * comma list of either), united. Unknown kinds and prefixes that match no kind are 400.
 */
export function parseKindFilter(kind: string | undefined, kinds: string | undefined): string[] {
  const wanted = [...(kind ? [kind] : []), ...(kinds ? kinds.split(',') : [])].map((k) => k.trim()).filter(Boolean);
  for (const k of wanted) {
    const known = k.endsWith('_') ? activityKinds.some((a) => a.startsWith(k)) : (activityKinds as readonly string[]).includes(k);
    if (!known) throw new HttpError(400, 'invalid_request', `query.kind: "${k.slice(0, 64)}" is not an activity kind or a prefix of one`);
  }
  return [...new Set(wanted)];
}

/**
 * The user's events, newest first, `limit` at a time, after `after`: keyset pagination on
 * `seq` alone, the order events were written (`idx_activity_events_user`). Not on
 * `created_at`: that is the writing transaction's start, so an event written later can carry
 * an earlier time (a transaction that began earlier, a clock stepping back, PGlite's coarse
 * clock), and an order on it disagreed with the write order. `createdAt` is shown as stored.
 */
export async function listActivity(db: Kysely<Database>, userId: string, options: ListActivityOptions): Promise<{ items: ActivityView[]; next: ActivityCursor | null }> {
  const kinds = options.kinds ?? [];
  const exact = kinds.filter((k) => !k.endsWith('_'));
  const prefixes = activityKinds.filter((a) => kinds.some((k) => k.endsWith('_') && a.startsWith(k)));
  const wanted = [...new Set([...exact, ...prefixes])];

  let query = db
    .selectFrom('activity_events')
    .select(['id', 'kind', 'description', 'context', 'created_at', sql<string>`seq::text`.as('seq_text')])
    .where('user_id', '=', userId);
  if (wanted.length > 0) query = query.where('kind', 'in', wanted);
  if (options.after) query = query.where('seq', '<', sql<number>`${options.after.seq}::bigint`);
  // By the bigint column: an output column named `seq` (its text) would win in ORDER BY and
  // sort "9" after "10", as the old tie-breaker did, and disagree with the cursor's `<`.
  const rows = await query.orderBy('activity_events.seq', 'desc').limit(options.limit + 1).execute();

  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind as ActivityKind,
      description: row.description,
      context: (typeof row.context === 'string' ? JSON.parse(row.context) : row.context) as Record<string, unknown>,
      createdAt: new Date(row.created_at).toISOString(),
    })),
    next: rows.length > options.limit && last ? { seq: last.seq_text } : null,
  };
}
