import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/index.js';

/**
 * The step audit trail (seed 004 `processing_audit_log`, `operation_steps`): one row per
 * attempt of a step of an operation, with its start, duration, retry count and outcome.
 * Each row is keyed per operation (`step_key`) with the attempt in the key, so a
 * redelivered message writes no second row (shared/ARCHITECTURE.md, "Step audit trail").
 *
 * | step name | operation | key |
 * | --- | --- | --- |
 * | `run.initialize` | run | `initialize` |
 * | `extract` | run | `extract:<task>:a<attempt>` |
 * | `import` | drive_import / gmail_import | `import:a<attempt>` |
 * | `export` | export | `export:a<attempt>` |
 * | `automation.fire` | the automation's gmail_import | `automation.fire` |
 * | `automation.run_requested` | the automation's run | `automation.run_requested` |
 */
export type StepStatus = 'started' | 'completed' | 'failed' | 'retried';

export interface StepRecord {
  operationId: string;
  key: string;
  name: string;
  status: StepStatus;
  /** When the step began; now() (the transaction's start) when not given. */
  startedAt?: Date | RawBuilder<Date>;
  durationMs?: number | RawBuilder<number>;
  retryCount?: number;
  errorMessage?: string | null;
  data?: Record<string, unknown>;
}

/** Records one step, once per (operation, key): a second call with the same key changes nothing. */
export async function recordStep(db: Kysely<Database>, step: StepRecord): Promise<void> {
  await db.insertInto('operation_steps').values({
    operation_id: step.operationId,
    step_key: step.key.slice(0, 200),
    step_name: step.name.slice(0, 100),
    event_status: step.status,
    started_at: step.startedAt ?? sql<Date>`now()`,
    duration_ms: step.durationMs === undefined ? null : typeof step.durationMs === 'number' ? Math.max(0, Math.round(step.durationMs)) : step.durationMs,
    retry_count: Math.max(0, step.retryCount ?? 0),
    error_message: step.errorMessage?.slice(0, 2000) ?? null,
    data: step.data ? JSON.stringify(step.data) : null,
  }).onConflict((oc) => oc.columns(['operation_id', 'step_key']).doNothing()).execute();
}

/** Milliseconds from `since` to the statement's own clock (clock_timestamp: inside a long transaction, not its start). */
export function millisecondsSince(since: RawBuilder<Date> | Date): RawBuilder<number> {
  return sql<number>`greatest(0, round(extract(epoch from (clock_timestamp() - ${since})) * 1000))::int`;
}

/** A step as `GET /v1/operations/{id}` shows it. */
export interface StepView {
  name: string;
  status: StepStatus;
  startedAt: string | null;
  durationMs: number | null;
  retryCount: number;
  errorMessage: string | null;
  data: Record<string, unknown> | null;
}

/** The steps of an operation, in the order they started; at most `limit` (a 1,000-file run has 1,000+). */
export async function listSteps(db: Kysely<Database>, operationId: string, limit = 500): Promise<StepView[]> {
  const rows = await db.selectFrom('operation_steps')
    .select(['step_name', 'event_status', 'started_at', 'duration_ms', 'retry_count', 'error_message', 'data'])
    .where('operation_id', '=', operationId)
    .orderBy(sql`coalesce(started_at, created_at)`).orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    name: r.step_name, status: r.event_status as StepStatus, startedAt: r.started_at?.toISOString() ?? null, durationMs: r.duration_ms,
    retryCount: r.retry_count, errorMessage: r.error_message, data: (r.data ?? null) as Record<string, unknown> | null,
  }));
}

/** Where a run's time went, summed over its extraction attempts (milliseconds). */
export interface RunTiming {
  attempts: number;
  queueWaitMs: number;
  modelMs: number;
  writeMs: number;
  /** The initializer: from the request to the tasks being written. */
  initializeMs: number | null;
}

/** Sums the run's `extract` steps: waiting in the queue, waiting for the model, and the rest (reading, writing). */
export async function runTiming(db: Kysely<Database>, operationId: string): Promise<RunTiming> {
  const row = await db.selectFrom('operation_steps')
    .select([
      sql<number>`count(*) filter (where step_name = 'extract')::int`.as('attempts'),
      sql<number>`coalesce(sum((data->>'queueWaitMs')::bigint) filter (where step_name = 'extract'), 0)::bigint`.as('queue_wait_ms'),
      sql<number>`coalesce(sum((data->>'modelMs')::bigint) filter (where step_name = 'extract'), 0)::bigint`.as('model_ms'),
      sql<number>`coalesce(sum((data->>'writeMs')::bigint) filter (where step_name = 'extract'), 0)::bigint`.as('write_ms'),
      sql<number | null>`max(duration_ms) filter (where step_name = 'run.initialize')`.as('initialize_ms'),
    ])
    .where('operation_id', '=', operationId)
    .executeTakeFirstOrThrow();
  return {
    attempts: Number(row.attempts), queueWaitMs: Number(row.queue_wait_ms), modelMs: Number(row.model_ms), writeMs: Number(row.write_ms),
    initializeMs: row.initialize_ms === null ? null : Number(row.initialize_ms),
  };
}
