import { sql, type Kysely } from 'kysely';
import { recordJobScheduled } from '../activity/connector-events.js';
import type { Database } from '../db/index.js';
import type { GmailAttachmentRef } from '../imports/gmail-import.js';
import { connectorJobRoutes } from '../imports/connector-jobs.js';
import type { MessageOf } from '../messaging/contracts.js';
import { recordStep } from '../operations/steps.js';
import { addToOutbox, relayAfterCommit, topicMessage } from '../outbox/outbox.js';
import type { Platform } from '../platform.js';
import { emitWebhookEvent } from '../webhooks/events.js';
import { extractableFileStatuses } from '../runs/request-run.js';
import { automationJobRunIdFor, automationRunIdFor, deterministicUuid } from './ids.js';

/**
 * The chain an automation fire starts: import -> run -> export, each link asked for by the
 * one before it, and each idempotent under a key derived from the fire:
 *
 * 1. `fireAutomation` (gmail-push): the `automation_runs` row (id from automation + Gmail
 *    message), the Gmail connector job (payload carries `automationRunId`), its operation,
 *    `connector_job_scheduled` and `gmail.import.requested`, in ONE transaction; a second
 *    fire of the same message conflicts on the row id and does nothing.
 * 2. `continueAutomationAfterImport` (gmail-import, after the job finished, and again on a
 *    redelivery of its message): `run.requested` with trigger `automation` under a run id
 *    derived from the automation run, covering only the files the email brought (its
 *    attachments and their ZIP members, listed in `run_files`), never the job's older files; the
 *    operation is looked up before it is created.
 *    A failed import, or one that left no file to extract, fails the automation run.
 * 3. `run.completed` -> the export (`automation-exports.ts`), and `settleAutomationRuns`
 *    marks the automation run `completed` (run completed / partially) or `failed`.
 */

export interface AutomationFire {
  automationId: string;
  userId: string;
  jobId: string;
  accountId: string;
  gmailMessageId: string;
  attachments: GmailAttachmentRef[];
}

/** Fires once per automation and message; answers whether this call fired, with the outbox ids to relay. */
export async function fireAutomation(db: Kysely<Database>, fire: AutomationFire): Promise<{ automationRunId: string; fired: boolean; outboxIds: number[] }> {
  const automationRunId = automationRunIdFor(fire.automationId, fire.gmailMessageId);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('automation_runs').values({ id: automationRunId, automation_id: fire.automationId, status: 'pending' })
      .onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    if (!inserted) return { automationRunId, fired: false, outboxIds: [] };
    await trx.updateTable('automations').set({ last_fired_at: sql`now()` }).where('id', '=', fire.automationId).execute();
    const route = connectorJobRoutes.gmail_import;
    const connectorJobId = deterministicUuid('automation-import', automationRunId);
    const operationId = deterministicUuid('automation-import-operation', automationRunId);
    await trx.insertInto('operations').values({
      id: operationId, user_id: fire.userId, kind: route.operationKind, subject_id: connectorJobId, status: 'pending', stage: 'Waiting to start',
    }).execute();
    const job = await trx.insertInto('connector_jobs').values({
      id: connectorJobId, integration_account_id: fire.accountId, job_id: fire.jobId, operation_id: operationId, job_type: 'gmail_import',
      status: 'pending', attempts: 0, max_attempts: 3, payload: JSON.stringify({ attachments: fire.attachments, automationRunId }),
    }).returning('scheduled_at').executeTakeFirstOrThrow();
    await recordJobScheduled(trx, { userId: fire.userId, accountId: fire.accountId, provider: route.provider, jobId: connectorJobId, jobType: 'gmail_import' }, { scheduledAt: job.scheduled_at });
    await recordStep(trx, {
      operationId, key: 'automation.fire', name: 'automation.fire', status: 'completed',
      data: { automationId: fire.automationId, automationRunId, gmailMessageId: fire.gmailMessageId, attachments: fire.attachments.length },
    });
    const outboxIds = await addToOutbox(trx, [topicMessage(route.topic, { connectorJobId }, `${route.topic}:${connectorJobId}:a0`)]);
    return { automationRunId, fired: true, outboxIds };
  });
}

/**
 * After a Gmail import finished (or a redelivery of its message found it finished): when an
 * automation scheduled it, asks for the run (success) or fails the automation run (failed).
 * Does nothing for other imports, or while the job is still pending or running.
 */
export async function continueAutomationAfterImport(platform: Platform, connectorJobId: string): Promise<void> {
  const db = platform.database.db;
  const job = await db.selectFrom('connector_jobs as c')
    .innerJoin('integration_accounts as a', 'a.id', 'c.integration_account_id')
    .select([
      'c.status', 'c.job_id', 'c.last_error_message', 'a.user_id', sql<string | null>`c.payload->>'automationRunId'`.as('automation_run_id'),
      sql<GmailAttachmentRef[] | null>`c.payload->'attachments'`.as('attachments'),
    ])
    .where('c.id', '=', connectorJobId).executeTakeFirst();
  if (!job?.automation_run_id || !job.job_id) return;
  const automationRunId = job.automation_run_id;
  if (job.status === 'failed' || job.status === 'cancelled') {
    const reason = `The Gmail import failed: ${job.last_error_message ?? job.status}`;
    await relayAfterCommit(platform, await db.transaction().execute((trx) => failAutomationRun(trx, automationRunId, reason)));
    return;
  }
  if (job.status !== 'success') return;
  const jobId = job.job_id;
  const userId = job.user_id;
  const outboxIds = await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('automation_runs').select(['status']).where('id', '=', automationRunId).forUpdate().executeTakeFirst();
    if (!row || row.status !== 'pending') return [];
    const runId = automationJobRunIdFor(automationRunId);
    const asked = await trx.selectFrom('operations').select('id').where('kind', '=', 'run').where('subject_id', '=', runId).executeTakeFirst();
    if (asked) return [];
    const fileIds = await filesOfAttachments(trx, jobId, job.attachments ?? []);
    if (fileIds.length === 0) return failAutomationRun(trx, automationRunId, 'The Gmail import left no file to extract');
    const operation = await trx.insertInto('operations')
      .values({ user_id: userId, kind: 'run', subject_id: runId, status: 'pending', stage: 'Waiting to start' })
      .returning('id').executeTakeFirstOrThrow();
    await recordStep(trx, {
      operationId: operation.id, key: 'automation.run_requested', name: 'automation.run_requested', status: 'completed',
      data: { automationRunId, connectorJobId },
    });
    await trx.insertInto('run_files').values(fileIds.map((id) => ({ operation_id: operation.id, source_file_id: id }))).execute();
    return addToOutbox(trx, [topicMessage('run.requested', { runId, jobId, userId, operationId: operation.id, trigger: 'automation', automationRunId, fileSet: 'listed' })]);
  });
  await relayAfterCommit(platform, outboxIds);
}

/**
 * The extractable files an import of `attachments` left in the job: each attachment's row
 * (`<msgId>:<attId>`) and, for a ZIP, its members' rows (`<msgId>:<attId>/<path>`), never
 * the job's other files. `starts_with`, not LIKE: attachment ids may hold `_`.
 */
async function filesOfAttachments(db: Kysely<Database>, jobId: string, attachments: readonly GmailAttachmentRef[]): Promise<string[]> {
  if (attachments.length === 0) return [];
  const keys = attachments.map((a) => `${a.messageId}:${a.attachmentId}`);
  const rows = await db.selectFrom('source_files').select('id')
    .where('job_id', '=', jobId).where('source_type', '=', 'gmail')
    .where('status', 'in', extractableFileStatuses).where('file_type', '<>', 'archive')
    .where((eb) => eb.or([
      eb('external_id', 'in', keys),
      ...keys.map((key) => sql<boolean>`starts_with(external_id, ${`${key}/`})`),
    ]))
    .orderBy('created_at').execute();
  return rows.map((r) => r.id);
}

/** Fails a pending automation run with its reason and emits `automation.failed`; answers the outbox ids to relay. */
async function failAutomationRun(trx: Kysely<Database>, automationRunId: string, reason: string): Promise<number[]> {
  const failed = await trx.updateTable('automation_runs').set({ status: 'failed', error_message: reason.slice(0, 1000), completed_at: sql`now()` })
    .where('id', '=', automationRunId).where('status', '=', 'pending')
    .returning(['id', 'automation_id', 'run_id', 'error_message']).execute();
  return emitAutomationsFailed(trx, failed);
}

async function emitAutomationsFailed(
  trx: Kysely<Database>, failed: { id: string; automation_id: string; run_id: string | null; error_message: string | null }[],
): Promise<number[]> {
  const outboxIds: number[] = [];
  for (const row of failed) {
    const automation = await trx.selectFrom('automations').select(['user_id', 'name']).where('id', '=', row.automation_id).executeTakeFirstOrThrow();
    outboxIds.push(...await emitWebhookEvent(trx, {
      userId: automation.user_id, type: 'automation.failed', eventKey: `automation.failed:${row.id}`,
      data: { automationId: row.automation_id, automationName: automation.name, automationRunId: row.id, runId: row.run_id, error: row.error_message },
    }));
  }
  return outboxIds;
}

/**
 * On `run.completed`: the automation runs that started this run end `completed` (run
 * completed or partially completed; the export follows on its own) or `failed`, with
 * `automation.failed` emitted for each failed one. Answers the outbox ids to relay.
 */
export async function settleAutomationRuns(db: Kysely<Database>, message: MessageOf<'run.completed'>): Promise<number[]> {
  const ok = message.status === 'completed' || message.status === 'partially_completed';
  return db.transaction().execute(async (trx) => {
    const settled = await trx.updateTable('automation_runs')
      .set({ status: ok ? 'completed' : 'failed', completed_at: sql`now()`, ...(ok ? {} : { error_message: `The run ended ${message.status}` }) })
      .where('run_id', '=', message.runId).where('status', '=', 'pending')
      .returning(['id', 'automation_id', 'run_id', 'error_message']).execute();
    return ok ? [] : emitAutomationsFailed(trx, settled);
  });
}
