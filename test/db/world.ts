import { sql, type Kysely } from 'kysely';
import type { Database } from '../../shared/db/index.js';

/** One valid row in every table, linked together; returns their ids. */
export async function insertWorld(db: Kysely<Database>, userId = 'alice') {
  await db.insertInto('users').values({ id: userId, email: `${userId}@example.com` }).execute();
  const template = await db.insertInto('templates').values({ user_id: userId, name: 'Invoices' }).returning('id').executeTakeFirstOrThrow();
  const job = await db.insertInto('extraction_jobs').values({ user_id: userId, name: 'Job', template_id: template.id }).returning('id').executeTakeFirstOrThrow();
  const field = await db.insertInto('job_fields').values({ job_id: job.id, field_name: 'Total', data_type_id: 'currency' }).returning('id').executeTakeFirstOrThrow();
  const file = await db.insertInto('source_files').values({ job_id: job.id, original_filename: 'a.pdf', gcs_object_name: 'o/a.pdf', file_type: 'application/pdf', file_size_bytes: 10 }).returning('id').executeTakeFirstOrThrow();
  const operation = await db.insertInto('operations').values({ user_id: userId, kind: 'run' }).returning('id').executeTakeFirstOrThrow();
  const step = await db.insertInto('operation_steps').values({ operation_id: operation.id, step_name: 'extract', step_key: 'extract', event_status: 'started' }).returning('id').executeTakeFirstOrThrow();
  const run = await db.insertInto('job_runs').values({ job_id: job.id, run_number: 1, operation_id: operation.id }).returning('id').executeTakeFirstOrThrow();
  const task = await db.insertInto('extraction_tasks').values({ run_id: run.id, source_file_id: file.id }).returning('id').executeTakeFirstOrThrow();
  const result = await db.insertInto('extraction_results').values({ run_id: run.id, task_id: task.id, extracted_data: JSON.stringify({ columns: [], results: [] }), engine: 'local-text-v1', input_tokens: 1, output_tokens: 1 }).returning('id').executeTakeFirstOrThrow();
  const exportRow = await db.insertInto('job_exports').values({ run_id: run.id, dest_type: 'download', file_type: 'csv' }).returning('id').executeTakeFirstOrThrow();
  const automation = await db.insertInto('automations').values({ user_id: userId, name: 'Auto', trigger_type: 'gmail_attachment', job_id: job.id }).returning('id').executeTakeFirstOrThrow();
  const automationRun = await db.insertInto('automation_runs').values({ automation_id: automation.id, run_id: run.id }).returning('id').executeTakeFirstOrThrow();
  const account = await db.insertInto('integration_accounts').values({ user_id: userId, provider: 'google', provider_account_id: `sub-${userId}`, scopes: ['openid'] }).returning('id').executeTakeFirstOrThrow();
  const connectorJob = await db.insertInto('connector_jobs').values({ integration_account_id: account.id, job_id: job.id, job_type: 'drive_import' }).returning('id').executeTakeFirstOrThrow();
  const event = await db.insertInto('activity_events').values({ user_id: userId, kind: 'run_started', description: 'Run #1 started' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('oauth_states').values({ nonce: `nonce-${userId}`, user_id: userId, provider: 'google', code_verifier: 'v', expires_at: new Date(Date.now() + 60_000) }).execute();
  await db.insertInto('user_settings').values({ user_id: userId }).execute();
  await db.insertInto('usage_daily').values({ user_id: userId, day: sql<Date>`current_date` }).execute();
  await db.insertInto('api_request_windows').values({ user_id: userId, window_start: new Date(), requests: 1 }).execute();
  await db.insertInto('idempotency_keys').values({ user_id: userId, route: 'POST /v1/jobs', key: `key-${userId}`, request_id: 'req-1' }).execute();
  const outbox = await db.insertInto('outbox').values({ kind: 'topic', name: 'run.requested', payload: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
  const prompt = await db.selectFrom('system_prompts').select('id').executeTakeFirstOrThrow();
  const webhook = await db.insertInto('webhook_endpoints').values({ user_id: userId, url: 'https://hooks.example.com/in', events: ['run.completed'], secret: Buffer.from([1]) }).returning('id').executeTakeFirstOrThrow();
  const deliveryId = `msg_${userId}`;
  await db.insertInto('webhook_deliveries').values({ id: deliveryId, endpoint_id: webhook.id, event_type: 'run.completed', event_key: `run.completed:${run.id}`, payload: JSON.stringify({}) }).execute();
  return {
    userId, templateId: template.id, jobId: job.id, fieldId: field.id, fileId: file.id, operationId: operation.id, stepId: step.id,
    runId: run.id, taskId: task.id, resultId: result.id, exportId: exportRow.id, automationId: automation.id,
    automationRunId: automationRun.id, accountId: account.id, connectorJobId: connectorJob.id, eventId: event.id,
    nonce: `nonce-${userId}`, outboxId: outbox.id, promptId: prompt.id, idempotencyKey: `key-${userId}`, webhookId: webhook.id, deliveryId,
  };
}
