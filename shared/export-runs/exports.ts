import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, JobExports } from '../db/index.js';
import { HttpError } from '../errors.js';
import type { ExportFileType } from '../exports/index.js';
import { requireGmailEnabled } from '../google/gmail-feature.js';
import { DRIVE_FILE, GMAIL_SEND } from '../google/scopes.js';
import { addToOutbox, topicMessage } from '../outbox/outbox.js';
import { isUsableAccountStatus, usableAccountStatuses } from '../google/credentials.js';

/** Where an export goes (`job_exports.dest_type`). */
export type ExportDestination = 'download' | 'gdrive' | 'gmail';
export const exportDestinations = ['download', 'gdrive', 'gmail'] as const satisfies readonly ExportDestination[];
export const exportFileTypes = ['csv', 'xlsx'] as const satisfies readonly ExportFileType[];
export type ExportStatus = 'pending' | 'in_progress' | 'completed' | 'failed';

/** Destination options stored on the row (`job_exports.options`). */
export interface ExportOptions {
  /** Drive: the folder the file goes into (My Drive's root when absent). */
  folderId?: string;
  /** Gmail: the recipient (the account's own address when absent, filled in at request time). */
  to?: string;
  /** Gmail: the subject; "<job> run #<n> results" when absent. */
  subject?: string;
}

/** What the user (or an automation) asks for. */
export interface ExportRequest extends ExportOptions {
  destType: ExportDestination;
  fileType: ExportFileType;
  /** Drive and Gmail: the connected Google account to use (the user's only one when absent). */
  accountId?: string;
}

/** An export as the api shows it. */
export interface ExportView {
  id: string;
  runId: string;
  destType: ExportDestination;
  fileType: ExportFileType;
  status: ExportStatus;
  accountId: string | null;
  automationId: string | null;
  options: ExportOptions;
  fileName: string | null;
  rowsExported: number | null;
  /** Drive file id, Gmail message id, or the object name of a download. */
  externalId: string | null;
  errorMessage: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

type ExportRow = Selectable<JobExports>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The api view of a `job_exports` row. */
export function toExportView(row: ExportRow): ExportView {
  return {
    id: row.id, runId: row.run_id, destType: row.dest_type as ExportDestination, fileType: row.file_type as ExportFileType,
    status: row.status as ExportStatus, accountId: row.account_id, automationId: row.automation_id,
    options: (row.options ?? {}) as ExportOptions, fileName: row.file_name, rowsExported: row.rows_exported,
    externalId: row.external_id, errorMessage: row.error_message, attempts: row.attempts,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(), completedAt: iso(row.completed_at),
  };
}

const SCOPE_FOR: Record<Exclude<ExportDestination, 'download'>, { scope: string; service: string }> = {
  gdrive: { scope: DRIVE_FILE, service: 'Google Drive' },
  gmail: { scope: GMAIL_SEND, service: 'Gmail' },
};

/**
 * The Google account a Drive or Gmail export of `userId` uses: the one named (404 when it is
 * not theirs), else their only connected Google account. 422 when it is not connected or was
 * not granted the scope the destination needs (`drive.file`, `gmail.send`).
 */
export async function resolveExportAccount(
  db: Kysely<Database>, userId: string, destType: Exclude<ExportDestination, 'download'>, accountId: string | undefined,
): Promise<{ id: string; email: string | null }> {
  const accounts = await db.selectFrom('integration_accounts').select(['id', 'email', 'status', 'scopes'])
    .where('user_id', '=', userId).where('provider', '=', 'google')
    .$if(accountId !== undefined, (qb) => qb.where('id', '=', accountId!))
    .$if(accountId === undefined, (qb) => qb.where('status', 'in', usableAccountStatuses))
    .execute();
  if (accountId !== undefined && accounts.length === 0) throw new HttpError(404, 'not_found', 'Google account not found');
  if (accounts.length === 0) throw new HttpError(422, 'no_google_account', `Connect a Google account to export to ${SCOPE_FOR[destType].service}`);
  if (accounts.length > 1) throw new HttpError(422, 'account_required', 'Several Google accounts are connected: say which one with accountId');
  const account = accounts[0]!;
  if (!isUsableAccountStatus(account.status)) throw new HttpError(422, 'account_not_connected', `The Google account is ${account.status}: reconnect it`);
  const { scope, service } = SCOPE_FOR[destType];
  if (!account.scopes.includes(scope)) {
    throw new HttpError(422, 'scope_missing', `The Google account did not grant ${service} access (${scope}): reconnect it and tick ${service}`);
  }
  return { id: account.id, email: account.email };
}

/** A run of `userId`'s that can be exported, or 404 / 409. */
async function exportableRun(db: Kysely<Database>, userId: string, runId: string): Promise<{ id: string; status: string }> {
  const run = await db.selectFrom('job_runs as r').innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
    .select(['r.id', 'r.status']).where('r.id', '=', runId).where('j.user_id', '=', userId).executeTakeFirst();
  if (!run) throw new HttpError(404, 'not_found', 'Run not found');
  if (run.status === 'failed' || run.status === 'cancelled') throw new HttpError(409, 'nothing_to_export', `The run ${run.status === 'failed' ? 'failed' : 'was cancelled'}: it has no results to export`);
  if (run.status !== 'completed' && run.status !== 'partially_completed') throw new HttpError(409, 'run_not_finished', 'The run has not finished yet: export it once it has');
  return run;
}

/**
 * Creates a pending export of a finished run of `userId`'s and writes `export.requested` to
 * the outbox in the same transaction; relay the returned ids after commit.
 */
export async function requestExport(
  db: Kysely<Database>, userId: string, runId: string, request: ExportRequest, options: { gmailEnabled: boolean },
): Promise<{ export: ExportView; outboxIds: number[] }> {
  if (request.destType === 'gmail') requireGmailEnabled(options.gmailEnabled, 'Gmail exports');
  return db.transaction().execute(async (trx) => {
    await exportableRun(trx, userId, runId);
    const account = request.destType === 'download' ? undefined : await resolveExportAccount(trx, userId, request.destType, request.accountId);
    const row = await insertExport(trx, runId, request, account, null);
    const outboxIds = await addToOutbox(trx, [exportRequestedMessage(row!.id)]);
    return { export: toExportView(row!), outboxIds };
  });
}

/** The outbox entry that asks the export stage to deliver `exportId`. */
export function exportRequestedMessage(exportId: string) {
  return topicMessage('export.requested', { exportId }, `export.requested:${exportId}`);
}

/**
 * Inserts the export row; with an automation, at most once per run and automation (answers
 * undefined when it exists already).
 */
export async function insertExport(
  db: Kysely<Database>, runId: string, request: ExportRequest, account: { id: string; email: string | null } | undefined, automationId: string | null,
): Promise<ExportRow | undefined> {
  const options: ExportOptions = {};
  if (request.destType === 'gdrive' && request.folderId) options.folderId = request.folderId;
  if (request.destType === 'gmail') {
    const to = request.to ?? account?.email ?? undefined;
    if (!to) throw new HttpError(422, 'recipient_required', 'The Google account has no address on record: give a recipient in `to`');
    options.to = to;
    if (request.subject) options.subject = request.subject;
  }
  return db.insertInto('job_exports')
    .values({
      run_id: runId, dest_type: request.destType, file_type: request.fileType, account_id: account?.id ?? null,
      options: JSON.stringify(options), automation_id: automationId,
    })
    .$if(automationId !== null, (qb) => qb.onConflict((oc) => oc.columns(['run_id', 'automation_id']).where('automation_id', 'is not', null).doNothing()))
    .returningAll()
    .executeTakeFirst();
}

/** An export of `userId`'s, or 404 exactly as for a missing one. */
export async function findExport(db: Kysely<Database>, userId: string, exportId: string): Promise<ExportView> {
  const row = await ownedExports(db, userId).where('e.id', '=', exportId).executeTakeFirst();
  if (!row) throw new HttpError(404, 'not_found', 'Export not found');
  return toExportView(row);
}

/** The exports of a run of `userId`'s, newest first (404 when the run is not theirs). */
export async function listExports(db: Kysely<Database>, userId: string, runId: string, opts: { limit: number; before?: { createdAt: string; id: string } }): Promise<ExportView[]> {
  const run = await db.selectFrom('job_runs as r').innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
    .select('r.id').where('r.id', '=', runId).where('j.user_id', '=', userId).executeTakeFirst();
  if (!run) throw new HttpError(404, 'not_found', 'Run not found');
  const rows = await ownedExports(db, userId)
    .where('e.run_id', '=', runId)
    .$if(opts.before !== undefined, (qb) => qb.where(sql<boolean>`(e.created_at, e.id) < (${new Date(opts.before!.createdAt)}, ${opts.before!.id}::uuid)`))
    .orderBy('e.created_at', 'desc').orderBy('e.id', 'desc')
    .limit(opts.limit)
    .execute();
  return rows.map(toExportView);
}

function ownedExports(db: Kysely<Database>, userId: string) {
  return db.selectFrom('job_exports as e')
    .innerJoin('job_runs as r', 'r.id', 'e.run_id')
    .innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
    .selectAll('e')
    .where('j.user_id', '=', userId);
}
