import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { usageDay } from './usage.js';

/** Per-user limits when the user never set theirs (user_settings defaults). */
export const DEFAULT_MAX_RUNS_PER_DAY = 200;
export const DEFAULT_MAX_PAGES_PER_MONTH = 20_000;

/** A limit that stops a new run: which one, said so the user can act, and when it resets. */
export interface LimitReached {
  code: 'run_limit_reached' | 'page_limit_reached';
  message: string;
  retryAfterSeconds: number;
}

async function userLimits(db: Kysely<Database>, userId: string) {
  const row = await db.selectFrom('user_settings').select(['max_runs_per_day', 'max_pages_per_month']).where('user_id', '=', userId).executeTakeFirst();
  return { runsPerDay: row?.max_runs_per_day ?? DEFAULT_MAX_RUNS_PER_DAY, pagesPerMonth: row?.max_pages_per_month ?? DEFAULT_MAX_PAGES_PER_MONTH };
}

const secondsTo = (boundary: string) => sql<number>`ceil(extract(epoch from (${sql.raw(boundary)} - (now() at time zone 'UTC'))))::int`;

/**
 * The pages-per-month limit (settings `maxPagesPerMonth`): reached when the pages processed
 * this UTC month are at the limit. A run that starts under it finishes; the next is refused.
 */
async function pageLimitReached(db: Kysely<Database>, userId: string, pagesPerMonth: number): Promise<LimitReached | null> {
  const month = await db.selectFrom('usage_daily')
    .select([
      sql<number>`coalesce(sum(pages_processed), 0)::bigint`.as('pages'),
      secondsTo(`date_trunc('month', now() at time zone 'UTC') + interval '1 month'`).as('reset_in'),
    ])
    .where('user_id', '=', userId)
    .where('day', '>=', sql<Date>`date_trunc('month', now() at time zone 'UTC')::date`)
    .executeTakeFirstOrThrow();
  if (Number(month.pages) < pagesPerMonth) return null;
  return {
    code: 'page_limit_reached', retryAfterSeconds: Math.max(1, Number(month.reset_in)),
    message: `Monthly page limit reached: ${Number(month.pages)} pages processed this month, your limit is ${pagesPerMonth} pages per month (setting maxPagesPerMonth); it resets on the 1st (UTC)`,
  };
}

function runLimitMessage(started: number, runsPerDay: number): string {
  return `Daily run limit reached: ${started} runs started today, your limit is ${runsPerDay} runs per day (setting maxRunsPerDay); it resets at midnight UTC`;
}

/** Seconds until the next UTC midnight (the Retry-After of the daily run limit). */
async function secondsToMidnight(db: Kysely<Database>): Promise<number> {
  const row = await db.selectNoFrom(secondsTo(`date_trunc('day', now() at time zone 'UTC') + interval '1 day'`).as('s')).executeTakeFirstOrThrow();
  return Math.max(1, Number(row.s));
}

/**
 * The api's check before asking for a run: 429 naming the limit (runs per day, pages per
 * month) with `Retry-After` until it resets. The initializer checks again when it starts
 * the run (`startRunWithinLimits`), which is exact under concurrent requests.
 */
export async function assertRunAllowed(db: Kysely<Database>, userId: string): Promise<void> {
  const limits = await userLimits(db, userId);
  const today = await db.selectFrom('usage_daily').select('runs_started').where('user_id', '=', userId).where('day', '=', usageDay).executeTakeFirst();
  const started = today?.runs_started ?? 0;
  if (started >= limits.runsPerDay) {
    throw new HttpError(429, 'run_limit_reached', runLimitMessage(started, limits.runsPerDay), { retryAfterSeconds: await secondsToMidnight(db) });
  }
  const pages = await pageLimitReached(db, userId, limits.pagesPerMonth);
  if (pages) throw new HttpError(429, pages.code, pages.message, { retryAfterSeconds: pages.retryAfterSeconds });
}

/**
 * Counts a run as started today, in the transaction that creates it, unless a limit is
 * reached: then nothing is counted and the limit is answered, for the run to fail with it.
 * The usage row's lock serialises concurrent starts of one user, so the limit is exact.
 */
export async function startRunWithinLimits(trx: Kysely<Database>, userId: string): Promise<LimitReached | null> {
  const limits = await userLimits(trx, userId);
  const pages = await pageLimitReached(trx, userId, limits.pagesPerMonth);
  if (pages) return pages;
  const counted = await trx.insertInto('usage_daily').values({ user_id: userId, day: usageDay, runs_started: 1 })
    .onConflict((oc) => oc.columns(['user_id', 'day']).doUpdateSet({ runs_started: sql`usage_daily.runs_started + 1` }))
    .returning('runs_started').executeTakeFirstOrThrow();
  if (counted.runs_started <= limits.runsPerDay) return null;
  await trx.updateTable('usage_daily').set({ runs_started: sql`runs_started - 1` }).where('user_id', '=', userId).where('day', '=', usageDay).execute();
  return { code: 'run_limit_reached', message: runLimitMessage(counted.runs_started - 1, limits.runsPerDay), retryAfterSeconds: await secondsToMidnight(trx) };
}
