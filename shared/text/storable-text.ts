/**
 * Text PostgreSQL can store. A `text` value may not hold NUL (U+0000): PostgreSQL refuses
 * it ("invalid byte sequence"), and a lone UTF-16 surrogate has no UTF-8 form at all.
 * Requests are checked once, at the api's edge (`shared/http/route.ts`), so every route,
 * including the ones added later, answers 400 naming the field instead of a 500.
 */

export type TextProblem = 'nul' | 'lone_surrogate';

export const textProblemMessages: Record<TextProblem, string> = {
  nul: 'must not contain the NUL character (\\u0000)',
  lone_surrogate: 'must be well-formed Unicode (it holds a lone surrogate)',
};

/** What is wrong with `text` for storage, or null when it can be stored as it is. */
export function textProblem(text: string): TextProblem | null {
  if (text.includes('\u0000')) return 'nul';
  if (!text.isWellFormed()) return 'lone_surrogate';
  return null;
}

/**
 * The first string (value or object key) in a parsed JSON-like value that cannot be
 * stored, with its path (`['fields', 1, 'name']`), or null when all of it can.
 */
export function findUnstorableText(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; problem: TextProblem } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: [...path, key.toWellFormed().replaceAll('\u0000', '\\u0000')], problem: keyProblem };
      const found = findUnstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A file name as it is stored and shown (uploads, Drive and Gmail files, ZIP members):
 * Unicode NFC, each NUL replaced by U+FFFD and each lone surrogate by U+FFFD, so a name
 * round-trips exactly unless it held a character PostgreSQL cannot store.
 */
export function storableFileName(name: string): string {
  return name.toWellFormed().replaceAll('\u0000', '\uFFFD').normalize('NFC');
}
