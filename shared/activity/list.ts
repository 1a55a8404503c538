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

/** Where the previous page ended: the exact `created_at` (as PostgreSQL prints it) and the event's write sequence. */
export interface ActivityCursor {
  at: string;
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
 * The user's events, newest first, `limit` at a time, after `after` (keyset pagination on
 * `(created_at, seq)`, the order of `idx_activity_events_user`: events of the same instant
 * come newest-written first, never in the order of their random ids).
 */
export async function listActivity(db: Kysely<Database>, userId: string, options: ListActivityOptions): Promise<{ items: ActivityView[]; next: ActivityCursor | null }> {
  const kinds = options.kinds ?? [];
  const exact = kinds.filter((k) => !k.endsWith('_'));
  const prefixes = activityKinds.filter((a) => kinds.some((k) => k.endsWith('_') && a.startsWith(k)));
  const wanted = [...new Set([...exact, ...prefixes])];

  let query = db
    .selectFrom('activity_events')
    .select(['id', 'kind', 'description', 'context', 'created_at', sql<string>`created_at::text`.as('at'), sql<string>`seq::text`.as('seq')])
    .where('user_id', '=', userId);
  if (wanted.length > 0) query = query.where('kind', 'in', wanted);
  if (options.after) {
    const { at, seq } = options.after;
    query = query.where(sql<boolean>`(created_at, seq) < (${at}::timestamptz, ${seq}::bigint)`);
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(options.limit + 1).execute();

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
    next: rows.length > options.limit && last ? { at: last.at, seq: last.seq } : null,
  };
}
