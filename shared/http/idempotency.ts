import canonicalize from 'canonicalize';
import { sql, type Kysely } from 'kysely';
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';

/**
 * `Idempotency-Key` for the api's POSTs (shared/ARCHITECTURE.md, "Idempotency keys"): the
 * first request with a key does the work and its answer is kept in `idempotency_keys` for
 * 24 hours; a later request with the same key, user and route gets that answer again
 * (status, body, ETag) without the work being done twice, as long as it is the same
 * request (fingerprint); a different one is refused with 422. While the first is still
 * working, a second waits for its answer, then gives up with 409 and `Retry-After`.
 */

/** A key is one user's, for one route (`POST /v1/jobs/:jobId/runs`). */
export interface KeyScope {
  userId: string;
  route: string;
  key: string;
}

/** An answer as sent, kept to replay. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  /** The JSON body; absent for 204. */
  body?: unknown;
}

/** What a request offers to be compared with the one that used its key first. */
export interface IdempotentRequest {
  scope: KeyScope;
  requestId: string;
  /** The fingerprint, when it is known without reading more of the request (a JSON body). */
  fingerprint(): string | undefined;
  /** The fingerprint, reading what is left of the request if need be (an upload's file). */
  readFingerprint(): Promise<string>;
}

export const idempotencyKeyHours = 24;
/** How long a claim holds before another request may take the key over: longer than the api's function timeout. */
const claimSeconds = 600;
/** How long a request waits for the one holding its key before answering 409. */
const defaultWaitMs = 5_000;

/** The key of an `Idempotency-Key` header (`abc` or the structured-field string `"abc"`), or undefined when absent. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = /^"(.*)"$/.exec(header.trim())?.[1] ?? header.trim();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new HttpError(400, 'invalid_request', 'Idempotency-Key: 1 to 255 visible ASCII characters, e.g. a UUID');
  }
  return key;
}

/** SHA-256 (hex) of the JSON canonical form (RFC 8785) of `request`: key order and spacing do not matter. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalize(request) ?? 'null').digest('hex');
}

/** Whether an answer is kept and replayed: finished answers are; 5xx, 409 and 429 say "try again", so the key is freed. */
export function isKeptAnswer(status: number): boolean {
  return status < 500 && status !== 409 && status !== 429;
}

/**
 * Answers `request` once per key: runs `execute` when the key is new (or its claim lapsed),
 * replays the kept answer when the key was used for the same request, refuses a different
 * request with 422, and waits for (then 409s) a request still holding the key. An answer
 * that is not kept (see `isKeptAnswer`), or a thrown error, frees the key.
 */
export async function answerOnce(
  db: Kysely<Database>,
  request: IdempotentRequest,
  execute: () => Promise<StoredAnswer>,
  opts: { waitMs?: number } = {},
): Promise<{ answer: StoredAnswer; replayed: boolean }> {
  const deadline = Date.now() + (opts.waitMs ?? defaultWaitMs);
  for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
    const claim = await claimKey(db, request.scope, request.fingerprint(), request.requestId);
    if ('token' in claim) return { answer: await executeClaimed(db, request, claim.token, execute), replayed: false };
    if (claim.status === 'completed') {
      if ((await request.readFingerprint()) !== claim.fingerprint) throw keyReused();
      return { answer: claim.answer!, replayed: true };
    }
    const mine = request.fingerprint();
    if (mine !== undefined && claim.fingerprint !== null && mine !== claim.fingerprint) throw keyReused();
    if (Date.now() + pause > deadline) {
      throw new HttpError(409, 'request_in_progress', 'A request with this Idempotency-Key is still being answered; ask again in a moment', {
        headers: { 'Retry-After': '1' },
      });
    }
    await sleep(pause);
  }
}

async function executeClaimed(db: Kysely<Database>, request: IdempotentRequest, token: string, execute: () => Promise<StoredAnswer>): Promise<StoredAnswer> {
  let answer: StoredAnswer;
  try {
    answer = await execute();
  } catch (error) {
    await releaseKey(db, request.scope, token);
    throw error;
  }
  // An upload refused before its file was read is read to its end to be fingerprinted; a body that cannot be read frees the key.
  const fingerprint = isKeptAnswer(answer.status) ? await request.readFingerprint().catch(() => undefined) : undefined;
  if (fingerprint === undefined) await releaseKey(db, request.scope, token);
  else await completeKey(db, request.scope, token, fingerprint, answer);
  return answer;
}

function keyReused(): HttpError {
  return new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different request (another body or path); use a new key for a new request');
}

type Claim =
  | { token: string }
  | { status: 'in_progress' | 'completed'; fingerprint: string | null; answer?: StoredAnswer };

/**
 * Claims the key in one statement: a new key, one older than 24 hours, or one whose claim
 * lapsed (its request died) is ours; otherwise the row as it stands.
 */
async function claimKey(db: Kysely<Database>, scope: KeyScope, fingerprint: string | undefined, requestId: string): Promise<Claim> {
  const token = randomUUID();
  const fresh = {
    status: 'in_progress', fingerprint: fingerprint ?? null, locked_by: token, locked_until: sql<Date>`now() + make_interval(secs => ${claimSeconds})`,
    request_id: requestId, response_status: null, response_headers: null, response_body: null, created_at: sql<Date>`now()`, completed_at: null,
  };
  for (;;) {
    const claimed = await db.insertInto('idempotency_keys').values({ user_id: scope.userId, route: scope.route, key: scope.key, ...fresh })
      .onConflict((oc) => oc.columns(['user_id', 'route', 'key']).doUpdateSet(fresh).where((eb) => eb.or([
        eb('idempotency_keys.created_at', '<', sql<Date>`now() - make_interval(hours => ${idempotencyKeyHours})`),
        eb.and([eb('idempotency_keys.status', '=', 'in_progress'), eb('idempotency_keys.locked_until', '<', sql<Date>`now()`)]),
      ])))
      .returning('locked_by').executeTakeFirst();
    if (claimed?.locked_by === token) return { token };
    const row = await db.selectFrom('idempotency_keys').select(['status', 'fingerprint', 'response_status', 'response_headers', 'response_body'])
      .where('user_id', '=', scope.userId).where('route', '=', scope.route).where('key', '=', scope.key).executeTakeFirst();
    // Freed between the two statements (its request failed): claim again.
    if (!row) continue;
    if (row.status !== 'completed') return { status: 'in_progress', fingerprint: row.fingerprint };
    return {
      status: 'completed', fingerprint: row.fingerprint,
      answer: {
        status: row.response_status!, headers: (row.response_headers ?? {}) as Record<string, string>,
        ...(row.response_body !== null ? { body: row.response_body } : {}),
      },
    };
  }
}

/** Keeps the answer under the key; only the request holding the claim can. */
async function completeKey(db: Kysely<Database>, scope: KeyScope, token: string, fingerprint: string, answer: StoredAnswer): Promise<void> {
  await db.updateTable('idempotency_keys').set({
    status: 'completed', fingerprint, locked_by: null, locked_until: null, completed_at: sql<Date>`now()`,
    response_status: answer.status, response_headers: JSON.stringify(answer.headers),
    response_body: answer.body === undefined ? null : JSON.stringify(answer.body),
  }).where('user_id', '=', scope.userId).where('route', '=', scope.route).where('key', '=', scope.key).where('locked_by', '=', token).execute();
}

async function releaseKey(db: Kysely<Database>, scope: KeyScope, token: string): Promise<void> {
  await db.deleteFrom('idempotency_keys')
    .where('user_id', '=', scope.userId).where('route', '=', scope.route).where('key', '=', scope.key).where('locked_by', '=', token).execute();
}

/** Cleanup: forgets keys older than 24 hours; returns how many. */
export async function deleteExpiredIdempotencyKeys(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${idempotencyKeyHours})`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
