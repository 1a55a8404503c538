import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { usageDay } from './usage.js';

/** Requests per user per minute the api answers when the deployment sets nothing (API_RATE_LIMIT_PER_MINUTE). */
export const DEFAULT_API_REQUESTS_PER_MINUTE = 600;

/**
 * Counts one api request of `userId` (today's `api_requests` usage and the current
 * one-minute window) and answers 429 `rate_limited` with `Retry-After` (seconds to the end
 * of the window) once the window holds more than `perMinute`.
 *
 * Why PostgreSQL: the api runs as many function instances, so a counter in memory would
 * let each instance allow the whole limit; the card has no Redis, and the database is
 * already on every request's path. One statement (two upserts in data-modifying CTEs) per
 * request, on one row per user (`api_request_windows`, a fixed window reset in place, so
 * the table never grows). A fixed window lets a burst of up to twice the limit straddle a
 * minute boundary; that is the accepted price of one row per user.
 */
export async function countApiRequest(db: Kysely<Database>, userId: string, perMinute: number): Promise<void> {
  const { rows } = await sql<{ requests: number; retry_after: number }>`
    WITH w AS (
      INSERT INTO api_request_windows AS w (user_id, window_start, requests)
      VALUES (${userId}, date_trunc('minute', now()), 1)
      ON CONFLICT (user_id) DO UPDATE SET
        requests = CASE WHEN w.window_start = excluded.window_start THEN w.requests + 1 ELSE 1 END,
        window_start = excluded.window_start
      RETURNING requests, window_start
    ), u AS (
      INSERT INTO usage_daily AS u (user_id, day, api_requests) VALUES (${userId}, ${usageDay}, 1)
      ON CONFLICT (user_id, day) DO UPDATE SET api_requests = u.api_requests + 1
    )
    SELECT requests, ceil(extract(epoch from (window_start + interval '1 minute' - now())))::int AS retry_after FROM w`.execute(db);
  const window = rows[0]!;
  if (window.requests > perMinute) {
    throw new HttpError(429, 'rate_limited', `Too many requests: your limit is ${perMinute} requests per minute; try again in a moment`, {
      retryAfterSeconds: Math.max(1, Number(window.retry_after)),
    });
  }
}
