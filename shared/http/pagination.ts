import { HttpError } from '../errors.js';
import { z } from './zod.js';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Page size (1-100)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'The `nextCursor` of the previous page' }),
});

/** Opaque cursors: base64url JSON, so clients never build them by hand. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'query.cursor: not a cursor this API returned');
  }
}
