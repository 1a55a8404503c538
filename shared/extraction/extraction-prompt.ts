import type { AnswerOptions } from './answer-rows.js';
import type { FieldSpec } from './types.js';

/**
 * The user turn sent with the document: which keys to fill, for which fields, and how to
 * write each type. The system prompt (versioned, per user) carries the general
 * instructions and the response schema carries each field's description; this part
 * names the fields of one request, so the same document and fields always produce the
 * same request.
 */
export function describeFieldsForModel(fields: readonly FieldSpec[], keys: readonly string[], options: AnswerOptions = {}): string {
  const lines = fields.map((field, i) => {
    const required = field.required ? 'required' : 'optional';
    return `- ${keys[i]}: "${field.name}" (${field.type}, ${required})`;
  });
  return [
    'Extract the following fields from the attached document.',
    ...lines,
    '',
    'Answer JSON {"rows": [...]}: one object per record in the document (an invoice or a receipt is',
    'one record), keyed by the keys above; leave out or set to null a value the document does not show.',
    'Write dates as YYYY-MM-DD, numbers and currency amounts as plain JSON numbers without',
    'symbols or thousands separators, booleans as true/false, lists as arrays of strings.',
    ...(options.citations
      ? ['Give each value as {"value": ..., "page": ..., "quote": ...}: the page it is printed on (from 1)', 'and the words on that page it was read from, copied exactly.']
      : []),
  ].join('\n');
}
