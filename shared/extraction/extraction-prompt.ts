import type { FieldSpec } from './types.js';

/**
 * The user turn sent with the document: which columns to fill and how to write each
 * type. The system prompt (versioned, per user) carries the general instructions; this
 * part only describes the job's fields, so the same document and fields always produce
 * the same request.
 */
export function describeFieldsForModel(fields: readonly FieldSpec[]): string {
  const lines = fields.map((field) => {
    const description = field.description ? `: ${field.description}` : '';
    const required = field.required ? ' (required)' : ' (optional, null when absent)';
    return `- ${field.name} [${field.type}]${required}${description}`;
  });
  return [
    'Extract the following fields from the attached document.',
    ...lines,
    '',
    'Answer JSON with "columns" (exactly the field names above, in that order) and "results"',
    '(one row per record in the document, one cell per column).',
    'Write dates as YYYY-MM-DD, numbers and currency amounts as plain JSON numbers without',
    'symbols or thousands separators, booleans as true/false, lists as arrays of strings.',
  ].join('\n');
}
