import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';

/** Every kind of event the activity log records (seed 001 §3 plus the pipeline's own). */
export const activityKinds = [
  'connector_connect_started', 'connector_connect_succeeded', 'connector_connect_failed',
  'connector_disconnect_started', 'connector_disconnect_succeeded', 'connector_disconnect_failed',
  'connector_sync_started', 'connector_sync_completed', 'connector_sync_failed',
  'connector_job_scheduled', 'connector_job_retried', 'connector_account_revoked', 'connector_account_error',
  'run_started', 'run_completed', 'run_failed',
  'export_completed', 'export_failed',
  'webhook_disabled',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export interface ActivityEvent {
  userId: string;
  kind: ActivityKind;
  context: Record<string, unknown>;
  /** What the frontend shows, e.g. "Google Drive sync completed - 37 files imported". */
  description: string;
  /** Makes the write idempotent: the same key is recorded once, however often it is written. */
  dedupeKey?: string;
}

/** Records an event in the activity log (inside the caller's transaction, if any). */
export async function recordActivity(db: Kysely<Database>, event: ActivityEvent): Promise<void> {
  await db
    .insertInto('activity_events')
    .values({
      user_id: event.userId,
      kind: event.kind,
      context: JSON.stringify(event.context),
      description: event.description,
      dedupe_key: event.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}
