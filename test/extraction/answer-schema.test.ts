import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import { isSafeKey } from '../../shared/extraction/answer-rows.js';
import { buildResponseSchema, planAnswerRequests, SCHEMA_LIMITS } from '../../shared/extraction/answer-schema.js';
import type { FieldSpec, FieldType } from '../../shared/extraction/types.js';

const fields: FieldSpec[] = [
  { name: 'Vendor', type: 'text', required: true, description: 'Who issued the invoice' },
  { name: 'Total', type: 'currency', required: true },
  { name: 'Issued', type: 'date', required: false },
  { name: 'Paid', type: 'boolean', required: false },
  { name: 'Items', type: 'list', required: false },
  { name: 'Pages', type: 'number', required: false },
];

describe('the response schema sent to Gemini', () => {
  it('asks for rows as objects with one typed, nullable, described property per field, in field order', () => {
    const schema = buildResponseSchema(fields);
    expect(schema.type).toBe('OBJECT');
    expect(schema.required).toEqual(['rows']);
    const row = schema.properties!.rows!.items!;
    expect(row.type).toBe('OBJECT');
    expect(row.propertyOrdering).toEqual(['vendor', 'total', 'issued', 'paid', 'items', 'pages']);
    expect(row.required).toEqual(['vendor', 'total']);
    const types = Object.fromEntries(Object.entries(row.properties!).map(([key, property]) => [key, property.type]));
    expect(types).toEqual({ vendor: 'STRING', total: 'NUMBER', issued: 'STRING', paid: 'BOOLEAN', items: 'ARRAY', pages: 'NUMBER' });
    expect(row.properties!.items!.items).toEqual({ type: 'STRING' });
    for (const property of Object.values(row.properties!)) expect(property.nullable).toBe(true);
    expect(row.properties!.vendor!.description).toContain('"Vendor" (text, required). Who issued the invoice');
    expect(row.properties!.issued!.description).toContain('YYYY-MM-DD');
    expect(row.properties!.total!.description).toContain('without currency symbol');
  });

  it('uses none of the constructs Vertex names as making a schema too complex', () => {
    const json = JSON.stringify(buildResponseSchema(fields, { citations: true }));
    for (const construct of ['enum', 'minItems', 'maxItems', 'format', 'anyOf', 'pattern']) expect(json).not.toContain(`"${construct}"`);
  });

  it('with citations, asks for each value as { value, page, quote }', () => {
    const row = buildResponseSchema(fields, { citations: true }).properties!.rows!.items!;
    const total = row.properties!.total!;
    expect(total.type).toBe('OBJECT');
    expect(total.propertyOrdering).toEqual(['value', 'page', 'quote']);
    expect(total.properties!.value).toEqual({ type: 'NUMBER', nullable: true });
    expect(total.properties!.page!.type).toBe('INTEGER');
    expect(total.properties!.quote!.type).toBe('STRING');
  });
});

function manyFields(count: number): FieldSpec[] {
  const types: FieldType[] = ['text', 'number', 'date', 'currency', 'boolean', 'list'];
  return Array.from({ length: count }, (_, i) => ({
    name: `Field ${i + 1}: ${types[i % types.length]} value printed in box ${i + 1}`,
    type: types[i % types.length]!,
    required: i % 7 === 0,
    description: `What box ${i + 1} of the form holds, as the user described it for the model in a sentence or two.`,
  }));
}

function rowProperties(schema: ReturnType<typeof buildResponseSchema>): Record<string, unknown> {
  return schema.properties!.rows!.items!.properties!;
}

describe('a job with many fields', () => {
  it('fits a 200-field job into requests within the schema limits, covering every field once, in order', () => {
    const job = manyFields(200);
    const requests = planAnswerRequests(job);
    expect(requests).toHaveLength(2);
    expect(requests.flatMap((request) => request.fields)).toEqual(job);
    const keys = requests.flatMap((request) => request.keys);
    expect(new Set(keys).size).toBe(200);
    for (const request of requests) {
      expect(Object.keys(rowProperties(request.schema))).toEqual(request.keys);
      expect(request.keys.length).toBeLessThanOrEqual(SCHEMA_LIMITS.propertiesPerRequest);
      expect(JSON.stringify(request.schema).length).toBeLessThanOrEqual(SCHEMA_LIMITS.charactersPerRequest);
      for (const key of request.keys) expect(isSafeKey(key), key).toBe(true);
    }
  });

  it('keeps a job that fits in one schema to one request', () => {
    const requests = planAnswerRequests(manyFields(SCHEMA_LIMITS.propertiesPerRequest));
    expect(requests).toHaveLength(1);
  });

  it('counts a cited field as four properties', () => {
    const requests = planAnswerRequests(manyFields(200), { citations: true });
    expect(requests).toHaveLength(8);
    for (const request of requests) expect(request.keys.length * 4).toBeLessThanOrEqual(SCHEMA_LIMITS.propertiesPerRequest);
  });

  it('splits by size too when descriptions are long', () => {
    const wordy = manyFields(60).map((field) => ({ ...field, description: 'x'.repeat(1_990) }));
    const requests = planAnswerRequests(wordy);
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) expect(JSON.stringify(request.schema).length).toBeLessThanOrEqual(SCHEMA_LIMITS.charactersPerRequest);
  });

  it('refuses a job too big for the requests one document may take, saying how many fields it has and what fits', () => {
    const fieldCount = SCHEMA_LIMITS.propertiesPerRequest * SCHEMA_LIMITS.requestsPerDocument + 1;
    let error: unknown;
    try {
      planAnswerRequests(manyFields(fieldCount));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('too_many_fields');
    expect((error as Error).message).toContain(`This job has ${fieldCount} fields`);
    expect((error as Error).message).toContain(`at most ${SCHEMA_LIMITS.requestsPerDocument} are made`);
  });
});
