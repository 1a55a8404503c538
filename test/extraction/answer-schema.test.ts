import { describe, expect, it } from 'vitest';
import { buildResponseSchema, validateAnswer } from '../../shared/extraction/answer-schema.js';
import { InvalidAnswerError, type FieldSpec } from '../../shared/extraction/types.js';

const fields: FieldSpec[] = [
  { name: 'vendor', type: 'text', required: true },
  { name: 'total', type: 'currency', required: true },
  { name: 'issued', type: 'date', required: false },
  { name: 'paid', type: 'boolean', required: false },
  { name: 'items', type: 'list', required: false },
  { name: 'pages', type: 'number', required: false },
];
const columns = fields.map((field) => field.name);

function problemWith(parsed: unknown): string {
  try {
    validateAnswer(fields, parsed);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAnswerError);
    return (error as Error).message;
  }
  throw new Error('the answer was accepted');
}

describe('the response schema sent to Gemini', () => {
  it('asks for the field names as columns and one cell per field in each row', () => {
    const schema = buildResponseSchema(fields);
    expect(schema.type).toBe('OBJECT');
    expect(schema.required).toEqual(['columns', 'results']);
    expect(schema.properties!.columns!.items).toEqual({ type: 'STRING', enum: columns });
    const row = schema.properties!.results!.items!;
    expect(row.type).toBe('ARRAY');
    expect([row.minItems, row.maxItems]).toEqual(['6', '6']);
    expect(row.items!.anyOf!.map((cell) => cell.type).sort()).toEqual(['ARRAY', 'BOOLEAN', 'NUMBER', 'STRING']);
  });

  it('offers only the cell types the fields use', () => {
    const schema = buildResponseSchema([{ name: 'total', type: 'currency', required: true }]);
    expect(schema.properties!.results!.items!.items).toEqual({ type: 'NUMBER', nullable: true });
  });
});

describe('validating an answer', () => {
  it('accepts typed rows, nulls in optional fields and an empty result', () => {
    const answer = {
      columns,
      results: [
        ['Acme', 1010.68, '2025-03-12', false, ['chair', 'desk'], 3],
        ['Globex', 0, null, null, null, null],
      ],
    };
    expect(validateAnswer(fields, answer)).toEqual(answer);
    expect(validateAnswer(fields, { columns, results: [] })).toEqual({ columns, results: [] });
  });

  it('names what is missing from an answer that is not { columns, results }', () => {
    expect(problemWith({ columns })).toMatch(/results/);
    expect(problemWith([1, 2])).toMatch(/does not match/);
  });

  it('refuses columns that are not the fields in order', () => {
    expect(problemWith({ columns: [...columns].reverse(), results: [] })).toMatch(/not the job's fields/);
    expect(problemWith({ columns: columns.slice(1), results: [] })).toMatch(/not the job's fields/);
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(problemWith({ columns, results: [['Acme', 1]] })).toBe('Row 1 has 2 cells, expected 6 (one per column)');
  });

  it('refuses a null in a required field', () => {
    expect(problemWith({ columns, results: [['Acme', null, null, null, null, null]] })).toBe(
      'Row 1, column "total": required field is null',
    );
  });

  it.each([
    ['a currency written as text', ['Acme', '$5.00', null, null, null, null], 'Row 1, column "total" (currency): expected a finite number'],
    ['a date not in ISO form', ['Acme', 5, '03/12/2025', null, null, null], 'column "issued" (date): expected an ISO date'],
    ['a date that is not a calendar day', ['Acme', 5, '2025-02-30', null, null, null], 'column "issued" (date)'],
    ['a boolean written as text', ['Acme', 5, null, 'yes', null, null], 'column "paid" (boolean): expected a boolean'],
    ['a list holding numbers', ['Acme', 5, null, null, ['a', 2], null], 'column "items" (list): expected an array of strings'],
    ['text given as a number', [42, 5, null, null, null, null], 'column "vendor" (text): expected a string'],
  ])('refuses %s and names the cell', (_, row, message) => {
    expect(problemWith({ columns, results: [['Acme', 1, null, null, null, null], row] })).toContain(
      message.startsWith('Row') ? message.replace('Row 1', 'Row 2') : `Row 2, ${message}`,
    );
  });
});
