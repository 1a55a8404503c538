import { describe, expect, it } from 'vitest';
import { coerceCell } from '../../shared/extraction/cells.js';

describe('coerceCell', () => {
  it.each([
    ['$1,234.50', 1234.5],
    ['€ 1.234,50', 1234.5],
    ['1.234.567', 1234567],
    ['USD 99.90', 99.9],
    ['12,5', 12.5],
    ['1,234', 1234],
    ['(12.00)', -12],
    ['-3', -3],
    ['£0.00', 0],
    ['Rs 1939', 1939],
    ['Rs. 1,250.00', 1250],
    ['Rsx 12', null],
    ['eighty', null],
    ['1.2.3', null],
  ])('reads the currency %s as %s', (raw, value) => {
    expect(coerceCell('currency', raw)).toBe(value);
  });

  it('reads a percentage as its number', () => {
    expect(coerceCell('number', '19%')).toBe(19);
  });

  it.each([
    ['12/03/2025', '2025-12-03'],
    ['2025-03-12', '2025-03-12'],
    ['2025/3/1', '2025-03-01'],
    ['25/03/2025', '2025-03-25'],
    ['11.03.2025', '2025-03-11'],
    ['March 3, 2025', '2025-03-03'],
    ['3rd Mar 2025', '2025-03-03'],
    ['12-Sep-2025', '2025-09-12'],
    ['02/30/2025', null],
    ['next Tuesday', null],
  ])('reads the date %s as %s', (raw, value) => {
    expect(coerceCell('date', raw)).toBe(value);
  });

  it('reads an ambiguous date day first when told to', () => {
    expect(coerceCell('date', '12/03/2025', { dayFirst: true })).toBe('2025-03-12');
  });

  it.each([
    ['yes', true],
    ['PAID', true],
    ['True', true],
    ['No', false],
    ['Unpaid', false],
    ['maybe', null],
  ])('reads the boolean %s as %s', (raw, value) => {
    expect(coerceCell('boolean', raw)).toBe(value);
  });

  it('splits lists on semicolons before commas', () => {
    expect(coerceCell('list', 'chair; desk, oak; lamp')).toEqual(['chair', 'desk, oak', 'lamp']);
    expect(coerceCell('list', 'chair, desk')).toEqual(['chair', 'desk']);
  });

  it('keeps text as written, trimmed, and reads empty text as null for every type', () => {
    expect(coerceCell('text', '  INV-0042 ')).toBe('INV-0042');
    for (const type of ['text', 'number', 'date', 'currency', 'boolean', 'list'] as const) {
      expect(coerceCell(type, '   ')).toBeNull();
    }
  });
});
