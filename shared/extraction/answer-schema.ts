import { Type, type Schema } from '@google/genai';
import { PermanentError } from '../errors.js';
import { fieldKeys, type AnswerOptions } from './answer-rows.js';
import type { FieldSpec, FieldType } from './types.js';

/**
 * How much one request's `responseSchema` may hold. Vertex publishes no numeric limit:
 * it refuses a schema whose constraint "has too many states for serving" and names long
 * property or enum names, long array length limits, nested arrays and many optional
 * properties as the causes. Reports of real refusals: about 100 properties on
 * gemini-1.5-pro (2024), a cumulative `maxItems` of about 960 on gemini-3-flash (2026).
 * So the row schema uses none of enums, `minItems`/`maxItems` or formats, its keys are
 * at most 40 characters, and these budgets (our assumption, kept well inside the
 * reported refusals) split a bigger job into several requests for the same document.
 */
export const SCHEMA_LIMITS = {
  /** Properties in one request's row object; a cited field counts 4 (its object, value, page, quote). */
  propertiesPerRequest: 100,
  /** Characters of one request's schema as JSON: it counts against the input tokens. */
  charactersPerRequest: 60_000,
  /** Requests one document may take: each one bills the whole document again. */
  requestsPerDocument: 8,
} as const;

/** A field's description as the schema carries it; the api accepts at most this many characters. */
const MAX_DESCRIPTION_LENGTH = 2_000;

/** One request for part of a job's fields: which fields, their keys and the schema to send. */
export interface AnswerRequest {
  fields: FieldSpec[];
  keys: string[];
  schema: Schema;
}

/**
 * The requests that extract `fields` from one document: consecutive groups of the
 * fields in job order, each within SCHEMA_LIMITS, with keys unique across the whole job.
 * Most jobs take one. Throws PermanentError('too_many_fields') when the job needs more
 * than `requestsPerDocument` requests.
 */
export function planAnswerRequests(fields: readonly FieldSpec[], options: AnswerOptions = {}): AnswerRequest[] {
  const keys = fieldKeys(fields);
  const overhead = JSON.stringify(buildResponseSchema([], options, [])).length;
  const groups: number[][] = [];
  let group: number[] = [];
  let properties = 0;
  let characters = overhead;
  fields.forEach((field, i) => {
    const weight = options.citations ? 4 : 1;
    // The key appears in `properties`, `propertyOrdering` and `required`, quoted, with a comma.
    const size = JSON.stringify(propertySchema(field, options)).length + 3 * (keys[i]!.length + 3);
    if (group.length > 0 && (properties + weight > SCHEMA_LIMITS.propertiesPerRequest || characters + size > SCHEMA_LIMITS.charactersPerRequest)) {
      groups.push(group);
      group = [];
      properties = 0;
      characters = overhead;
    }
    group.push(i);
    properties += weight;
    characters += size;
  });
  if (group.length > 0) groups.push(group);
  if (groups.length > SCHEMA_LIMITS.requestsPerDocument) {
    const perRequest = SCHEMA_LIMITS.propertiesPerRequest / (options.citations ? 4 : 1);
    throw new PermanentError(
      `This job has ${fields.length} fields: Gemini would need ${groups.length} requests per document, ` +
        `and at most ${SCHEMA_LIMITS.requestsPerDocument} are made (about ${perRequest} fields each${options.citations ? ' with citations' : ''}). ` +
        `Split the fields into two jobs.`,
      'too_many_fields',
    );
  }
  return groups.map((indexes) => {
    const groupFields = indexes.map((i) => fields[i]!);
    const groupKeys = indexes.map((i) => keys[i]!);
    return { fields: groupFields, keys: groupKeys, schema: buildResponseSchema(groupFields, options, groupKeys) };
  });
}

/**
 * The Gemini `responseSchema` (Vertex's OpenAPI subset) for rows of `fields`:
 * `{ rows: [ { <key>: value } ] }`, one property per field in field order
 * (`propertyOrdering`), each typed by its field, nullable, described with the field's
 * name, description and expected format, and `required` for the required fields. With
 * `citations`, each property is `{ value, page, quote }`.
 */
export function buildResponseSchema(fields: readonly FieldSpec[], options: AnswerOptions = {}, keys = fieldKeys(fields)): Schema {
  const required = keys.filter((_, i) => fields[i]!.required);
  const row: Schema = {
    type: Type.OBJECT,
    properties: Object.fromEntries(fields.map((field, i) => [keys[i]!, propertySchema(field, options)])),
    propertyOrdering: keys,
    ...(required.length > 0 ? { required } : {}),
  };
  return {
    type: Type.OBJECT,
    properties: {
      rows: {
        type: Type.ARRAY,
        description: 'One object per record in the document (an invoice or a receipt is one record); repeated records such as statement lines are one object each, in document order.',
        items: row,
      },
    },
    required: ['rows'],
    propertyOrdering: ['rows'],
  };
}

function propertySchema(field: FieldSpec, options: AnswerOptions): Schema {
  if (!options.citations) return { ...valueSchema(field.type), description: describeField(field), nullable: true };
  return {
    type: Type.OBJECT,
    description: describeField(field),
    properties: {
      value: { ...valueSchema(field.type), nullable: true },
      page: { type: Type.INTEGER, nullable: true, description: 'The page the value is printed on, counted from 1; null when the value is null.' },
      quote: { type: Type.STRING, nullable: true, description: 'The words on that page the value was read from, copied exactly; null when the value is null.' },
    },
    required: ['value', 'page', 'quote'],
    propertyOrdering: ['value', 'page', 'quote'],
  };
}

function valueSchema(type: FieldType): Schema {
  switch (type) {
    case 'text':
    case 'date':
      return { type: Type.STRING };
    case 'number':
    case 'currency':
      return { type: Type.NUMBER };
    case 'boolean':
      return { type: Type.BOOLEAN };
    case 'list':
      return { type: Type.ARRAY, items: { type: Type.STRING } };
  }
}

const HOW_TO_WRITE: Record<FieldType, string> = {
  text: 'Text as printed in the document.',
  date: 'A date, written YYYY-MM-DD (ISO 8601), for example 2025-03-12.',
  number: 'A plain JSON number, without units or thousands separators.',
  currency: 'An amount as a plain JSON number, without currency symbol or thousands separators.',
  boolean: 'true or false.',
  list: 'One string per item, in document order.',
};

/** `"Invoice date" (date, required): <the user's description> <how to write a date>`. */
function describeField(field: FieldSpec): string {
  const own = field.description?.trim().slice(0, MAX_DESCRIPTION_LENGTH);
  const absent = field.required ? 'required' : 'optional, null when the document does not show it';
  return `"${field.name}" (${field.type}, ${absent}).${own ? ` ${own}` : ''} ${HOW_TO_WRITE[field.type]}`;
}
