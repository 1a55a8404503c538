import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/database.js';
import { insertWorld } from './world.js';

let database: TestDatabase;
let world: Awaited<ReturnType<typeof insertWorld>>;
beforeAll(async () => {
  database = await createTestDatabase();
  world = await insertWorld(database.db);
});
afterAll(() => database.close());

type Key = keyof typeof world;
/** [constraint, table, row key (column = value of world[key]), column, a value it must refuse]. */
const violations: [string, string, string, Key, string, unknown][] = [
  ['data_types_base_json_type_check', 'data_types', 'id', 'userId', 'base_json_type', 'object'],
  ['extraction_jobs_status_check', 'extraction_jobs', 'id', 'jobId', 'status', 'done'],
  ['extraction_jobs_tasks_total_check', 'extraction_jobs', 'id', 'jobId', 'tasks_total', -1],
  ['extraction_jobs_tasks_completed_check', 'extraction_jobs', 'id', 'jobId', 'tasks_completed', -1],
  ['extraction_jobs_tasks_failed_check', 'extraction_jobs', 'id', 'jobId', 'tasks_failed', -1],
  ['source_files_file_size_bytes_check', 'source_files', 'id', 'fileId', 'file_size_bytes', -5],
  ['source_files_status_check', 'source_files', 'id', 'fileId', 'status', 'lost'],
  ['source_files_source_type_check', 'source_files', 'id', 'fileId', 'source_type', 'dropbox'],
  ['extraction_tasks_processing_mode_check', 'extraction_tasks', 'id', 'taskId', 'processing_mode', 'batch'],
  ['extraction_tasks_status_check', 'extraction_tasks', 'id', 'taskId', 'status', 'processing'],
  ['extraction_tasks_attempts_check', 'extraction_tasks', 'id', 'taskId', 'attempts', -1],
  ['extraction_tasks_max_attempts_check', 'extraction_tasks', 'id', 'taskId', 'max_attempts', 0],
  ['extraction_tasks_invalid_answers_check', 'extraction_tasks', 'id', 'taskId', 'invalid_answers', -1],
  ['extraction_tasks_source_type_check', 'extraction_tasks', 'id', 'taskId', 'source_type', 'ftp'],
  ['extraction_results_input_tokens_check', 'extraction_results', 'id', 'resultId', 'input_tokens', -1],
  ['extraction_results_output_tokens_check', 'extraction_results', 'id', 'resultId', 'output_tokens', -1],
  ['integration_accounts_provider_check', 'integration_accounts', 'id', 'accountId', 'provider', 'yahoo'],
  ['integration_accounts_status_check', 'integration_accounts', 'id', 'accountId', 'status', 'asleep'],
  ['integration_accounts_consecutive_failures_check', 'integration_accounts', 'id', 'accountId', 'consecutive_failures', -1],
  ['job_runs_run_number_check', 'job_runs', 'id', 'runId', 'run_number', 0],
  ['job_runs_status_check', 'job_runs', 'id', 'runId', 'status', 'running'],
  ['job_runs_trigger_check', 'job_runs', 'id', 'runId', 'trigger', 'cron'],
  ['job_runs_tasks_total_check', 'job_runs', 'id', 'runId', 'tasks_total', -1],
  ['job_runs_tasks_completed_check', 'job_runs', 'id', 'runId', 'tasks_completed', -1],
  ['job_runs_tasks_failed_check', 'job_runs', 'id', 'runId', 'tasks_failed', -1],
  ['job_runs_tasks_within_total_check', 'job_runs', 'id', 'runId', 'tasks_completed', 1_000_000],
  ['job_exports_dest_type_check', 'job_exports', 'id', 'exportId', 'dest_type', 'ftp'],
  ['job_exports_file_type_check', 'job_exports', 'id', 'exportId', 'file_type', 'pdf'],
  ['job_exports_status_check', 'job_exports', 'id', 'exportId', 'status', 'sent'],
  ['job_exports_rows_exported_check', 'job_exports', 'id', 'exportId', 'rows_exported', -1],
  ['job_exports_attempts_check', 'job_exports', 'id', 'exportId', 'attempts', -1],
  ['automations_trigger_type_check', 'automations', 'id', 'automationId', 'trigger_type', 'cron'],
  ['automation_runs_status_check', 'automation_runs', 'id', 'automationRunId', 'status', 'running'],
  ['connector_jobs_job_type_check', 'connector_jobs', 'id', 'connectorJobId', 'job_type', 'full_sync'],
  ['connector_jobs_status_check', 'connector_jobs', 'id', 'connectorJobId', 'status', 'done'],
  ['connector_jobs_attempts_check', 'connector_jobs', 'id', 'connectorJobId', 'attempts', -1],
  ['connector_jobs_max_attempts_check', 'connector_jobs', 'id', 'connectorJobId', 'max_attempts', 0],
  ['connector_jobs_backoff_seconds_check', 'connector_jobs', 'id', 'connectorJobId', 'backoff_seconds', -1],
  ['activity_events_kind_check', 'activity_events', 'id', 'eventId', 'kind', 'something_happened'],
  ['oauth_states_provider_check', 'oauth_states', 'nonce', 'nonce', 'provider', 'yahoo'],
  ['operations_kind_check', 'operations', 'id', 'operationId', 'kind', 'upload'],
  ['operations_status_check', 'operations', 'id', 'operationId', 'status', 'done'],
  ['operations_pct_check', 'operations', 'id', 'operationId', 'pct', 101],
  ['operation_steps_event_status_check', 'operation_steps', 'id', 'stepId', 'event_status', 'skipped'],
  ['operation_steps_duration_ms_check', 'operation_steps', 'id', 'stepId', 'duration_ms', -1],
  ['operation_steps_retry_count_check', 'operation_steps', 'id', 'stepId', 'retry_count', -1],
  ['user_settings_max_upload_bytes_check', 'user_settings', 'user_id', 'userId', 'max_upload_bytes', 0],
  ['user_settings_export_retention_days_check', 'user_settings', 'user_id', 'userId', 'export_retention_days', 366],
  ['user_settings_activity_retention_days_check', 'user_settings', 'user_id', 'userId', 'activity_retention_days', 0],
  ['system_prompts_version_check', 'system_prompts', 'id', 'promptId', 'version', 0],
  ['outbox_kind_check', 'outbox', 'id', 'outboxId', 'kind', 'email'],
  ['outbox_delay_seconds_check', 'outbox', 'id', 'outboxId', 'delay_seconds', -1],
  ['outbox_attempts_check', 'outbox', 'id', 'outboxId', 'attempts', -1],
  ['user_settings_max_runs_per_day_check', 'user_settings', 'user_id', 'userId', 'max_runs_per_day', 0],
  ['user_settings_max_pages_per_month_check', 'user_settings', 'user_id', 'userId', 'max_pages_per_month', 0],
  ...(['runs_started', 'documents_processed', 'pages_processed', 'input_tokens', 'output_tokens', 'exports_download', 'exports_gdrive', 'exports_gmail', 'imported_bytes', 'api_requests'] as const)
    .map((column): [string, string, string, Key, string, unknown] => [`usage_daily_${column}_check`, 'usage_daily', 'user_id', 'userId', column, -1]),
  ['api_request_windows_requests_check', 'api_request_windows', 'user_id', 'userId', 'requests', -1],
  ['webhook_endpoints_url_check', 'webhook_endpoints', 'id', 'webhookId', 'url', `https://example.com/${'a'.repeat(2000)}`],
  ['webhook_endpoints_events_check', 'webhook_endpoints', 'id', 'webhookId', 'events', []],
  ['webhook_endpoints_status_check', 'webhook_endpoints', 'id', 'webhookId', 'status', 'paused'],
  ['webhook_deliveries_status_check', 'webhook_deliveries', 'id', 'deliveryId', 'status', 'sent'],
  ['idempotency_keys_status_check', 'idempotency_keys', 'key', 'idempotencyKey', 'status', 'done'],
  // A kept answer has its fingerprint and status.
  ['idempotency_keys_completed_check', 'idempotency_keys', 'key', 'idempotencyKey', 'status', 'completed'],
];

describe(`CHECK constraints on ${testEngine}`, () => {
  it('every CHECK constraint in the schema has a case below', async () => {
    const { rows } = await sql<{ conname: string }>`
      SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE n.nspname = 'public' AND c.contype = 'c' ORDER BY conname`.execute(database.db);
    expect(rows.map((r) => r.conname).sort()).toEqual(violations.map((v) => v[0]).sort());
  });

  it.each(violations)('%s refuses a bad value with an error naming it', async (constraint, table, keyColumn, key, column, bad) => {
    // data_types rows are keyed by their own id, not the user's.
    const keyValue = table === 'data_types' ? 'text' : world[key];
    const attempt = sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${bad} WHERE ${sql.ref(keyColumn)} = ${keyValue}`.execute(database.db);
    await expect(attempt).rejects.toMatchObject({
      code: '23514',
      message: expect.stringContaining(`violates check constraint "${constraint}"`),
    });
    // Nothing changed.
    const { rows } = await sql<{ v: unknown }>`SELECT ${sql.ref(column)} AS v FROM ${sql.table(table)} WHERE ${sql.ref(keyColumn)} = ${keyValue}`.execute(database.db);
    expect(rows[0]!.v).not.toEqual(bad);
  });

  it('an external item (Drive id, Gmail attachment) is one source file per job', async () => {
    const file = { job_id: world.jobId, original_filename: 'd.pdf', gcs_object_name: 'o/d', file_type: 'application/pdf', file_size_bytes: 1, source_type: 'gdrive', external_id: 'drive-file-1' };
    await database.db.insertInto('source_files').values(file).execute();
    await expect(database.db.insertInto('source_files').values({ ...file, gcs_object_name: 'o/d2' }).execute())
      .rejects.toMatchObject({ code: '23505', message: expect.stringContaining('source_files_external_key') });
    // Uploads carry no external id and are not constrained.
    const upload = { job_id: world.jobId, original_filename: 'u.pdf', gcs_object_name: 'o/u', file_type: 'application/pdf', file_size_bytes: 1 };
    await database.db.insertInto('source_files').values([upload, { ...upload, gcs_object_name: 'o/u2' }]).execute();
  });

  it('run numbers are unique per job', async () => {
    const again = database.db.insertInto('job_runs').values({ job_id: world.jobId, run_number: 1 }).execute();
    await expect(again).rejects.toMatchObject({ code: '23505', message: expect.stringContaining('job_runs_job_id_run_number_key') });
  });
});
