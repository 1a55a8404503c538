import { HttpError } from '../errors.js';
import { findUnstorableText } from '../text/storable-text.js';
import { z } from './zod.js';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Page size (1-100)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'The `nextCursor` of the previous page' }),
});

/**
 * A timestamp inside a cursor: ISO (`toISOString`) or PostgreSQL's text form, four-digit
 * year, so a forged cursor is a 400 here and never an SQL error.
 */
export const cursorTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/);

/** A run number inside a cursor: an int4 like the column. */
export const cursorInt = z.number().int().min(0).max(2_147_483_647);

/** Opaque cursors: base64url JSON, so clients never build them by hand. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (findUnstorableText(value)) throw new Error('unstorable text');
    return schema.parse(value);
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'query.cursor: not a cursor this API returned');
  }
}
