import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';

/**
 * Usage per user and UTC day (seed 004 usage metrics, `usage_daily`). Every counter moves in
 * the transaction of the change it measures (a task's completion, an export's, a stored
 * file's), guarded like that change, so a redelivered message counts nothing twice.
 */
export interface UsageCounts {
  runsStarted: number;
  documentsProcessed: number;
  pagesProcessed: number;
  inputTokens: number;
  outputTokens: number;
  exportsDownload: number;
  exportsGdrive: number;
  exportsGmail: number;
  importedBytes: number;
  apiRequests: number;
}

const columns = {
  runsStarted: 'runs_started', documentsProcessed: 'documents_processed', pagesProcessed: 'pages_processed', inputTokens: 'input_tokens',
  outputTokens: 'output_tokens', exportsDownload: 'exports_download', exportsGdrive: 'exports_gdrive', exportsGmail: 'exports_gmail',
  importedBytes: 'imported_bytes', apiRequests: 'api_requests',
} as const satisfies Record<keyof UsageCounts, string>;

/** Today in UTC, the day usage is counted under. */
export const usageDay = sql<Date>`(now() at time zone 'UTC')::date`;

/** Adds to today's usage of `userId`. Call it in the transaction of the change it counts. */
export async function addUsage(db: Kysely<Database>, userId: string, counts: Partial<UsageCounts>): Promise<void> {
  const entries = Object.entries(counts).filter(([, n]) => n !== undefined && n !== 0) as [keyof UsageCounts, number][];
  if (entries.length === 0) return;
  const values = Object.fromEntries(entries.map(([key, n]) => [columns[key], Math.max(0, Math.round(n))]));
  await db.insertInto('usage_daily')
    .values({ user_id: userId, day: usageDay, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'day']).doUpdateSet(Object.fromEntries(entries.map(([key]) => {
      const column = columns[key];
      return [column, sql`usage_daily.${sql.ref(column)} + excluded.${sql.ref(column)}`];
    }))))
    .execute();
}

/** One day of usage as `GET /v1/usage` answers it. */
export interface UsageDay {
  day: string;
  runsStarted: number;
  documentsProcessed: number;
  pagesProcessed: number;
  inputTokens: number;
  outputTokens: number;
  exports: { download: number; gdrive: number; gmail: number };
  importedBytes: number;
  apiRequests: number;
}

/** The user's usage per day from `from` to `to` (inclusive, `YYYY-MM-DD`, UTC), days without usage left out, with totals. */
export async function findUsage(db: Kysely<Database>, userId: string, range: { from: string; to: string }): Promise<{ from: string; to: string; days: UsageDay[]; totals: Omit<UsageDay, 'day'> }> {
  if (range.from > range.to) throw new HttpError(400, 'invalid_request', 'query.from: must be on or before query.to');
  const days = (Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000;
  if (days > 366) throw new HttpError(400, 'invalid_request', 'query: ask for at most 366 days at a time');
  const rows = await db.selectFrom('usage_daily').selectAll()
    .select(sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day_text'))
    .where('user_id', '=', userId)
    .where('day', '>=', sql<Date>`${range.from}::date`).where('day', '<=', sql<Date>`${range.to}::date`)
    .orderBy('day')
    .execute();
  const items: UsageDay[] = rows.map((r) => ({
    day: r.day_text, runsStarted: r.runs_started, documentsProcessed: r.documents_processed, pagesProcessed: r.pages_processed,
    inputTokens: Number(r.input_tokens), outputTokens: Number(r.output_tokens),
    exports: { download: r.exports_download, gdrive: r.exports_gdrive, gmail: r.exports_gmail },
    importedBytes: Number(r.imported_bytes), apiRequests: r.api_requests,
  }));
  const totals: Omit<UsageDay, 'day'> = {
    runsStarted: 0, documentsProcessed: 0, pagesProcessed: 0, inputTokens: 0, outputTokens: 0, exports: { download: 0, gdrive: 0, gmail: 0 }, importedBytes: 0, apiRequests: 0,
  };
  for (const d of items) {
    totals.runsStarted += d.runsStarted; totals.documentsProcessed += d.documentsProcessed; totals.pagesProcessed += d.pagesProcessed;
    totals.inputTokens += d.inputTokens; totals.outputTokens += d.outputTokens; totals.importedBytes += d.importedBytes; totals.apiRequests += d.apiRequests;
    totals.exports.download += d.exports.download; totals.exports.gdrive += d.exports.gdrive; totals.exports.gmail += d.exports.gmail;
  }
  return { from: range.from, to: range.to, days: items, totals };
}
