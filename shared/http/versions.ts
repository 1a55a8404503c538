import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';

/**
 * Optimistic concurrency for what users edit (jobs with their fields, templates,
 * automations, settings): each row has a `version` (migration 000010) that every change
 * bumps; answers carry it as a strong `ETag: "<version>"`, and a PATCH, PUT or DELETE
 * with `If-Match` changes the row only while its version is one of those named.
 *
 * `undefined` means no precondition (no `If-Match`, or `If-Match: *` on a row that
 * exists); otherwise the versions the request accepts, possibly none (a weak or foreign
 * tag never matches: If-Match compares strongly, RFC 9110 §13.1.1).
 */
export type IfMatch = readonly number[] | undefined;

/** The `ETag` of a version. */
export function versionTag(version: number): string {
  return `"${version}"`;
}

/** Reads an `If-Match` header: `"3"`, `"3", "4"`, `*`. */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined || header.trim() === '*') return undefined;
  const versions: number[] = [];
  for (const tag of header.split(',')) {
    const match = /^"(\d{1,9})"$/.exec(tag.trim());
    if (match) versions.push(Number(match[1]));
  }
  return versions;
}

/**
 * The SQL condition "the row's version is one the request accepts", for the WHERE of the
 * UPDATE or DELETE that makes the change, so the check and the change are one statement.
 */
export function versionMatches(ifMatch: readonly number[]): RawBuilder<boolean> {
  return ifMatch.length > 0 ? sql<boolean>`version in (${sql.join(ifMatch)})` : sql<boolean>`false`;
}

/** A change refused because the object moved on: 412 with the current version as `ETag` and in the body. */
export function staleVersion(what: string, currentVersion: number): HttpError {
  return new HttpError(412, 'version_mismatch', `${what} was changed since you read it; it is now at version ${currentVersion}: read it again and reapply your change`, {
    headers: { ETag: versionTag(currentVersion) },
    details: { currentVersion },
  });
}

/**
 * After an UPDATE or DELETE guarded by `If-Match` touched no row of `table`: 404 when the
 * row is not the user's (or gone), else 412 with the version it has now.
 */
export async function refuseChange(db: Kysely<Database>, table: OwnedVersionedTable, what: string, userId: string, id: string): Promise<never> {
  const row = await db.selectFrom(table).select('version').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (row === undefined) throw new HttpError(404, 'not_found', `${what} not found`);
  throw staleVersion(what, row.version);
}

/** The tables whose rows are one user's objects with a `version`. */
type OwnedVersionedTable = 'extraction_jobs' | 'templates' | 'automations';

