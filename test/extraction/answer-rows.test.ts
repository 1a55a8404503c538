import { describe, expect, it } from 'vitest';
import { fieldKeys, isSafeKey, joinStoredAnswers, MAX_KEY_LENGTH, toStoredAnswer } from '../../shared/extraction/answer-rows.js';
import { InvalidAnswerError, type FieldSpec } from '../../shared/extraction/types.js';

const fields: FieldSpec[] = [
  { name: 'Vendor', type: 'text', required: true },
  { name: 'Total', type: 'currency', required: true },
  { name: 'Issued', type: 'date', required: false },
  { name: 'Paid', type: 'boolean', required: false },
  { name: 'Items', type: 'list', required: false },
  { name: 'Pages', type: 'number', required: false },
];
const columns = fields.map((field) => field.name);

function problemWith(answer: unknown, options: { citations?: boolean } = {}, over: FieldSpec[] = fields): string {
  try {
    toStoredAnswer(over, answer, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAnswerError);
    return (error as Error).message;
  }
  throw new Error('the answer was accepted');
}

describe('keys derived from field names', () => {
  const awkward: FieldSpec[] = [
    { name: 'Invoice date', type: 'date', required: true },
    { name: 'Date d’échéance', type: 'date', required: false },
    { name: 'vendor.name', type: 'text', required: false },
    { name: '2nd address line', type: 'text', required: false },
    { name: 'Straße Nr.', type: 'text', required: false },
    { name: 'Montant TTC (€)', type: 'currency', required: false },
    { name: '金额', type: 'currency', required: false },
    { name: '日期', type: 'date', required: false },
    { name: 'Total', type: 'currency', required: false },
    { name: 'total.', type: 'currency', required: false },
    { name: 'A very long field name that goes on and on well past forty characters', type: 'text', required: false },
    { name: 'A very long field name that goes on and on well past forty characters, again', type: 'text', required: false },
  ];

  it('are readable, Vertex-safe and unique for spaces, accents, dots, leading digits and scripts without Latin letters', () => {
    const keys = fieldKeys(awkward);
    expect(keys.slice(0, 6)).toEqual(['invoice_date', 'date_d_echeance', 'vendor_name', 'f_2nd_address_line', 'strasse_nr', 'montant_ttc_e']);
    expect(keys.slice(6, 10)).toEqual(['field', 'field_2', 'total', 'total_2']);
    for (const key of keys) {
      expect(isSafeKey(key), key).toBe(true);
      expect(key.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
    }
    expect(new Set(keys).size).toBe(awkward.length);
  });

  it('are the same every time for the same fields', () => {
    expect(fieldKeys(awkward)).toEqual(fieldKeys(structuredClone(awkward)));
  });

  it('map an answer keyed by them back to the field names, in field order', () => {
    const keys = fieldKeys(awkward);
    const values = awkward.map((field, i) => (field.type === 'date' ? `2025-03-${String(10 + i).padStart(2, '0')}` : field.type === 'currency' ? i : `v${i}`));
    // The model wrote the keys in reverse: the stored row is still in field order.
    const row = Object.fromEntries(keys.map((key, i) => [key, values[i]]).reverse());
    expect(toStoredAnswer(awkward, { rows: [row] })).toEqual({ columns: awkward.map((field) => field.name), results: [values] });
  });
});

describe('converting an answer to the stored shape', () => {
  it('stores typed rows in field order, a missing optional key as null, and an empty answer as no rows', () => {
    const answer = {
      rows: [
        { vendor: 'Acme', total: 1010.68, issued: '2025-03-12', paid: false, items: ['chair', 'desk'], pages: 3 },
        { pages: null, total: 0, vendor: 'Globex' },
      ],
    };
    expect(toStoredAnswer(fields, answer)).toEqual({
      columns,
      results: [
        ['Acme', 1010.68, '2025-03-12', false, ['chair', 'desk'], 3],
        ['Globex', 0, null, null, null, null],
      ],
    });
    expect(toStoredAnswer(fields, { rows: [] })).toEqual({ columns, results: [] });
  });

  it('keeps two dates apart by their keys, whatever order the model writes them in', () => {
    const dates: FieldSpec[] = [
      { name: 'Invoice date', type: 'date', required: true },
      { name: 'Due date', type: 'date', required: true },
    ];
    const stored = toStoredAnswer(dates, { rows: [{ due_date: '2025-04-11', invoice_date: '2025-03-12' }] });
    expect(stored.results).toEqual([['2025-03-12', '2025-04-11']]);
  });

  it('names what is wrong with an answer that is not { rows: [...] }', () => {
    expect(problemWith([1, 2])).toBe('The answer is [1,2], not an object with "rows"');
    expect(problemWith({ columns, results: [] })).toBe('The answer has the key "columns"; only "rows" is expected');
    expect(problemWith({ rows: 'none' })).toBe('The answer\'s "rows" is "none", not an array');
    expect(problemWith({ rows: [['Acme', 5]] })).toBe('Row 1 is ["Acme",5], not an object keyed by field');
  });

  it('refuses a key that is none of the fields', () => {
    expect(problemWith({ rows: [{ vendor: 'Acme', total: 5, customer: 'Globex' }] })).toBe(
      'Row 1 has the key "customer", which is none of the job\'s fields\' keys',
    );
  });

  it('refuses a row without a required field, and a null one, naming the field', () => {
    expect(problemWith({ rows: [{ vendor: 'Acme', total: 1 }, { vendor: 'Globex' }] })).toBe(
      'Row 2, field "Total": required field is missing (key "total")',
    );
    expect(problemWith({ rows: [{ vendor: 'Acme', total: null }] })).toBe('Row 1, field "Total": required field is null');
  });

  it.each([
    ['a currency written as text', { total: '$5.00' }, 'Row 1, field "Total" (currency): expected a finite number'],
    ['a date not in ISO form', { issued: '03/12/2025' }, 'Row 1, field "Issued" (date): expected an ISO date'],
    ['a date that is not a calendar day', { issued: '2025-02-30' }, 'Row 1, field "Issued" (date)'],
    ['a boolean written as text', { paid: 'yes' }, 'Row 1, field "Paid" (boolean): expected a boolean'],
    ['a list holding numbers', { items: ['a', 2] }, 'Row 1, field "Items" (list): expected an array of strings'],
    ['text given as a number', { vendor: 42 }, 'Row 1, field "Vendor" (text): expected a string'],
  ])('refuses %s and names the field', (_, wrong, message) => {
    expect(problemWith({ rows: [{ vendor: 'Acme', total: 5, ...wrong }] })).toContain(message);
  });
});

describe('answers with citations', () => {
  const cited: FieldSpec[] = [
    { name: 'Invoice number', type: 'text', required: true },
    { name: 'Total', type: 'currency', required: false },
  ];

  it('store the values in the rows and the page and quote beside them', () => {
    const answer = { rows: [{ invoice_number: { value: 'INV-7', page: 1, quote: 'Invoice No: INV-7' }, total: { value: null, page: null, quote: null } }] };
    expect(toStoredAnswer(cited, answer, { citations: true })).toEqual({
      columns: ['Invoice number', 'Total'],
      results: [['INV-7', null]],
      citations: [[{ page: 1, quote: 'Invoice No: INV-7' }, null]],
    });
  });

  it('refuse a bare value, a page that is not a page number and a wrong-typed value inside', () => {
    expect(problemWith({ rows: [{ invoice_number: 'INV-7' }] }, { citations: true }, cited)).toBe(
      'Row 1, field "Invoice number": expected { value, page, quote }, got "INV-7"',
    );
    expect(problemWith({ rows: [{ invoice_number: { value: 'INV-7', page: 0, quote: 'x' } }] }, { citations: true }, cited)).toContain('page must be a page number from 1');
    expect(problemWith({ rows: [{ invoice_number: { value: 7, page: 1, quote: '7' } }] }, { citations: true }, cited)).toContain(
      'Row 1, field "Invoice number" (text): expected a string',
    );
  });
});

describe('joining the answers for groups of one job\'s fields', () => {
  it('puts the groups\' columns and rows side by side', () => {
    const left = { columns: ['A', 'B'], results: [[1, 2], [3, 4]] };
    const right = { columns: ['C'], results: [['x'], ['y']] };
    expect(joinStoredAnswers([left, right])).toEqual({ columns: ['A', 'B', 'C'], results: [[1, 2, 'x'], [3, 4, 'y']] });
  });

  it('refuses groups that found different numbers of rows in the same document', () => {
    const left = { columns: ['A'], results: [[1], [2]] };
    const right = { columns: ['B'], results: [[3]] };
    expect(() => joinStoredAnswers([left, right])).toThrow(InvalidAnswerError);
    expect(() => joinStoredAnswers([left, right])).toThrow('The answer for fields "A" has 2 row(s) but the answer for fields "B" has 1');
  });
});
