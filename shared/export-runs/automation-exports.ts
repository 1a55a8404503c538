import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { recordActivity } from '../activity/activity.js';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import type { MessageOf } from '../messaging/contracts.js';
import { addToOutbox } from '../outbox/outbox.js';
import { emitWebhookEvent } from '../webhooks/events.js';
import { exportDestinations, exportFileTypes, exportRequestedMessage, insertExport, resolveExportAccount, type ExportRequest } from './exports.js';

/** `automations.export_config` (seed 000 §3.6): `{ dest, fileType, folderId?, accountId?, to?, subject? }`. */
export const automationExportConfig = z.object({
  dest: z.enum(exportDestinations),
  fileType: z.enum(exportFileTypes),
  folderId: z.string().min(1).optional(),
  accountId: z.guid().optional(),
  to: z.email().optional(),
  subject: z.string().min(1).max(300).optional(),
});

/**
 * On `run.completed`: when an automation started the run (an `automation_runs` row names it)
 * and has an `export_config`, creates that export and writes `export.requested`, once per run
 * and automation (a unique index; a redelivered `run.completed` finds the row). A config that
 * cannot be used (bad shape, account gone) gives a failed export with the reason, so the user
 * sees why. Runs that failed, were cancelled, or were started by hand export nothing.
 * Returns the outbox ids to relay after commit.
 */
export async function exportAutomationRun(db: Kysely<Database>, message: MessageOf<'run.completed'>): Promise<number[]> {
  if (message.status !== 'completed' && message.status !== 'partially_completed') return [];
  const automations = await db.selectFrom('automation_runs as ar')
    .innerJoin('automations as a', 'a.id', 'ar.automation_id')
    .select(['a.id', 'a.name', 'a.user_id', 'a.export_config'])
    .where('ar.run_id', '=', message.runId)
    .where('a.export_config', 'is not', null)
    .execute();
  const outboxIds: number[] = [];
  for (const automation of automations) {
    if (automation.user_id !== message.userId) continue;
    outboxIds.push(...await db.transaction().execute(async (trx) => {
      const parsed = automationExportConfig.safeParse(automation.export_config);
      if (!parsed.success) {
        return failedAutomationExport(trx, message, automation, `the automation's export settings are invalid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
      }
      const config = parsed.data;
      const request: ExportRequest = { destType: config.dest, fileType: config.fileType, folderId: config.folderId, accountId: config.accountId, to: config.to, subject: config.subject };
      let account: { id: string; email: string | null } | undefined;
      try {
        if (request.destType !== 'download') account = await resolveExportAccount(trx, message.userId, request.destType, request.accountId);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        return failedAutomationExport(trx, message, automation, error.message, request);
      }
      const row = await insertExport(trx, message.runId, request, account, automation.id);
      return row ? addToOutbox(trx, [exportRequestedMessage(row.id)]) : [];
    }));
  }
  return outboxIds;
}

/** A failed export row with the reason (once per run and automation) and its `export_failed` event. */
async function failedAutomationExport(
  trx: Kysely<Database>, message: MessageOf<'run.completed'>, automation: { id: string; name: string }, reason: string, request?: ExportRequest,
): Promise<number[]> {
  const row = await trx.insertInto('job_exports')
    .values({
      run_id: message.runId, automation_id: automation.id, dest_type: request?.destType ?? 'download', file_type: request?.fileType ?? 'csv',
      status: 'failed', error_code: 'automation_export_invalid', error_message: reason, updated_at: sql`now()`,
    })
    .onConflict((oc) => oc.columns(['run_id', 'automation_id']).where('automation_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) {
    await recordActivity(trx, {
      userId: message.userId, kind: 'export_failed',
      context: { exportId: row.id, runId: message.runId, jobId: message.jobId, automationId: automation.id, errorCode: 'automation_export_invalid' },
      description: `Automation "${automation.name}" could not export its run - ${reason}`,
      dedupeKey: `export_failed:${row.id}`,
    });
    return emitWebhookEvent(trx, {
      userId: message.userId, type: 'export.failed', eventKey: `export.failed:${row.id}`,
      data: { exportId: row.id, runId: message.runId, jobId: message.jobId, automationId: automation.id, errorCode: 'automation_export_invalid', error: reason },
    });
  }
  return [];
}
