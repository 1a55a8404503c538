import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import type { Automations, Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { resolveExportAccount } from '../export-runs/exports.js';
import { requireGmailEnabled } from '../google/gmail-feature.js';
import { refuseChange, staleVersion, versionMatches, type IfMatch } from '../http/versions.js';
import { automationExportConfig } from '../export-runs/automation-exports.js';
import type { ExportDestination } from '../export-runs/exports.js';
import type { ExportFileType } from '../exports/types.js';

/**
 * Automations (seed 000 §3.6): a trigger (first kind: `gmail_attachment`, a Gmail search
 * and attachment types, on one connected account) that chains import -> run -> export for
 * a job. Stored as `trigger_config { query, mimeTypes, accountId }` and `export_config`
 * in the shape `shared/export-runs/automation-exports.ts` reads.
 */

/** `automations.trigger_config` of a `gmail_attachment` automation. */
export const gmailTriggerConfig = z.object({
  query: z.string().min(1).max(1000),
  mimeTypes: z.array(z.string().min(1).max(255)).max(50).default([]),
  accountId: z.guid(),
});
export type GmailTriggerConfig = z.infer<typeof gmailTriggerConfig>;

export interface AutomationInput {
  name: string;
  jobId: string;
  accountId: string;
  trigger: { query: string; mimeTypes?: string[] };
  export?: { destType: ExportDestination; fileType: ExportFileType; folderId?: string; to?: string } | null;
}

export interface AutomationView {
  id: string;
  name: string;
  isEnabled: boolean;
  jobId: string;
  accountId: string | null;
  triggerType: string;
  trigger: { query: string; mimeTypes: string[] };
  export: { destType: ExportDestination; fileType: ExportFileType; folderId?: string; to?: string } | null;
  lastFiredAt: string | null;
  /** Bumped by every change the user makes (not by firing): the automation's ETag. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AutomationRunView {
  id: string;
  status: 'pending' | 'completed' | 'failed';
  runId: string | null;
  error: string | null;
  triggeredAt: string;
  completedAt: string | null;
}

function view(row: Selectable<Automations>): AutomationView {
  const trigger = gmailTriggerConfig.safeParse(row.trigger_config);
  const exported = automationExportConfig.safeParse(row.export_config);
  return {
    id: row.id, name: row.name, isEnabled: row.is_enabled, jobId: row.job_id, triggerType: row.trigger_type,
    accountId: trigger.success ? trigger.data.accountId : null,
    trigger: trigger.success ? { query: trigger.data.query, mimeTypes: trigger.data.mimeTypes } : { query: '', mimeTypes: [] },
    export: row.export_config && exported.success
      ? {
        destType: exported.data.dest, fileType: exported.data.fileType,
        ...(exported.data.folderId ? { folderId: exported.data.folderId } : {}), ...(exported.data.to ? { to: exported.data.to } : {}),
      }
      : null,
    lastFiredAt: row.last_fired_at?.toISOString() ?? null,
    version: row.version,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

async function checkOwned(db: Kysely<Database>, userId: string, jobId: string | undefined, accountId: string | undefined): Promise<void> {
  if (jobId) {
    const job = await db.selectFrom('extraction_jobs').select('id').where('id', '=', jobId).where('user_id', '=', userId).executeTakeFirst();
    if (!job) throw new HttpError(404, 'not_found', 'Extraction job not found');
  }
  if (accountId) {
    const account = await db.selectFrom('integration_accounts').select('provider')
      .where('id', '=', accountId).where('user_id', '=', userId).executeTakeFirst();
    if (!account || account.provider !== 'google') throw new HttpError(404, 'not_found', 'Google account not found');
  }
}

/**
 * `export_config` as automation-exports.ts reads it; Drive and Gmail exports use the
 * automation's account, checked now by the same rules as a manual export (connected,
 * granted `drive.file` / `gmail.send`: else 422), not when the automation first fires.
 */
async function exportConfigOf(db: Kysely<Database>, userId: string, input: AutomationInput['export'], accountId: string): Promise<string | null> {
  if (!input) return null;
  if (input.destType === 'gmail' && !input.to) throw new HttpError(400, 'invalid_request', 'A Gmail export needs `to`');
  if (input.destType !== 'download') await resolveExportAccount(db, userId, input.destType, accountId);
  const config = {
    dest: input.destType, fileType: input.fileType,
    ...(input.folderId ? { folderId: input.folderId } : {}),
    ...(input.destType !== 'download' ? { accountId } : {}),
    ...(input.to ? { to: input.to } : {}),
  };
  return JSON.stringify(automationExportConfig.parse(config));
}

async function ownedRow(db: Kysely<Database>, userId: string, id: string): Promise<Selectable<Automations>> {
  const row = await db.selectFrom('automations').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw new HttpError(404, 'not_found', 'Automation not found');
  return row;
}

/** Automations fire on Gmail messages: with the Gmail flag off they are refused (403), like Gmail imports. */
export async function createAutomation(db: Kysely<Database>, userId: string, input: AutomationInput, options: { gmailEnabled: boolean }): Promise<AutomationView> {
  requireGmailEnabled(options.gmailEnabled, 'Gmail automations');
  await checkOwned(db, userId, input.jobId, input.accountId);
  const trigger: GmailTriggerConfig = { query: input.trigger.query, mimeTypes: input.trigger.mimeTypes ?? [], accountId: input.accountId };
  const row = await db.insertInto('automations').values({
    user_id: userId, name: input.name, trigger_type: 'gmail_attachment', trigger_config: JSON.stringify(trigger),
    job_id: input.jobId, export_config: await exportConfigOf(db, userId, input.export, input.accountId),
  }).returningAll().executeTakeFirstOrThrow();
  return view(row);
}

export async function listAutomations(db: Kysely<Database>, userId: string): Promise<AutomationView[]> {
  const rows = await db.selectFrom('automations').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(view);
}

export async function getAutomation(db: Kysely<Database>, userId: string, id: string): Promise<AutomationView> {
  return view(await ownedRow(db, userId, id));
}

/** Changes an automation; with `ifMatch`, only while it is at one of those versions (else 412). */
export async function updateAutomation(
  db: Kysely<Database>, userId: string, id: string, patch: Partial<AutomationInput> & { isEnabled?: boolean },
  options: { gmailEnabled: boolean; ifMatch?: IfMatch },
): Promise<AutomationView> {
  const { ifMatch } = options;
  const row = await ownedRow(db, userId, id);
  requireGmailEnabled(options.gmailEnabled, 'Gmail automations');
  if (ifMatch !== undefined && !ifMatch.includes(row.version)) throw staleVersion('Automation', row.version);
  const current = view(row);
  const accountId = patch.accountId ?? current.accountId;
  if (!accountId) throw new HttpError(409, 'invalid_automation', 'The automation has no account: name one');
  await checkOwned(db, userId, patch.jobId, patch.accountId);
  const trigger: GmailTriggerConfig = {
    query: patch.trigger?.query ?? current.trigger.query,
    mimeTypes: patch.trigger ? patch.trigger.mimeTypes ?? [] : current.trigger.mimeTypes,
    accountId,
  };
  const exportInput = patch.export !== undefined ? patch.export : current.export;
  const updated = await db.updateTable('automations').set({
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.isEnabled !== undefined ? { is_enabled: patch.isEnabled } : {}),
    ...(patch.jobId !== undefined ? { job_id: patch.jobId } : {}),
    trigger_config: JSON.stringify(trigger),
    export_config: await exportConfigOf(db, userId, exportInput, accountId),
    updated_at: sql`now()`,
    version: sql`version + 1`,
  }).where('id', '=', id).where('user_id', '=', userId)
    // The version read above: the new config was computed from it (a change in between is a 412 with If-Match).
    .$if(ifMatch !== undefined, (qb) => qb.where(versionMatches([row.version])))
    .returningAll().executeTakeFirst();
  return updated ? view(updated) : refuseChange(db, 'automations', 'Automation', userId, id);
}

/** Deletes an automation; with `ifMatch`, only while it is at one of those versions. */
export async function deleteAutomation(db: Kysely<Database>, userId: string, id: string, ifMatch?: IfMatch): Promise<void> {
  const deleted = await db.deleteFrom('automations').where('id', '=', id).where('user_id', '=', userId)
    .$if(ifMatch !== undefined, (qb) => qb.where(versionMatches(ifMatch!)))
    .returning('id').executeTakeFirst();
  if (!deleted) await refuseChange(db, 'automations', 'Automation', userId, id);
}

/** The automation's fires, newest first (at most `limit`). */
export async function listAutomationRuns(db: Kysely<Database>, userId: string, id: string, limit = 100): Promise<AutomationRunView[]> {
  await ownedRow(db, userId, id);
  const rows = await db.selectFrom('automation_runs').selectAll().where('automation_id', '=', id)
    .orderBy('triggered_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, status: r.status as AutomationRunView['status'], runId: r.run_id, error: r.error_message,
    triggeredAt: r.triggered_at.toISOString(), completedAt: r.completed_at?.toISOString() ?? null,
  }));
}
