import { describe, expect, it } from 'vitest';
import { exportContentType, exportFileName } from '../../shared/exports/naming.js';
import { neutralizeFormula } from '../../shared/exports/cells.js';

describe('exportFileName', () => {
  it('keeps a plain job name readable and adds the run and extension', () => {
    expect(exportFileName('Invoices Q3', 12, 'xlsx')).toBe('Invoices Q3 - run 12.xlsx');
    expect(exportFileName('Factures été 日本', 1, 'csv')).toBe('Factures été 日本 - run 1.csv');
  });

  it('replaces path separators, reserved and control characters, so no name escapes its folder', () => {
    const name = exportFileName('../../etc/passwd: a<b>|c?*"\u0000\n', 2, 'csv');
    expect(name).toBe('etc-passwd- a-b--c--- - run 2.csv');
    expect(name).not.toMatch(/[/\\<>:"|?*\u0000-\u001f]/);
  });

  it('never starts with a dot, is never empty, and stays short without splitting a character', () => {
    expect(exportFileName('.hidden', 1, 'csv')).toBe('hidden - run 1.csv');
    expect(exportFileName('  ...  ', 1, 'csv')).toBe('export - run 1.csv');
    const long = exportFileName('日本'.repeat(100) + '😀', 4, 'xlsx');
    expect(Array.from(long.replace(' - run 4.xlsx', ''))).toHaveLength(80);
    expect(long.isWellFormed()).toBe(true);
  });
});

describe('exportContentType', () => {
  it('names CSV as UTF-8 text/csv and XLSX by its OOXML type', () => {
    expect(exportContentType('csv')).toBe('text/csv; charset=utf-8');
    expect(exportContentType('xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });
});

describe('neutralizeFormula', () => {
  it('prefixes only text that a spreadsheet would start a formula with', () => {
    for (const text of ['=1', '+1', '-1', '@a', '\tx', '\rx', '＝1', '＋1', '－1', '＠a']) expect(neutralizeFormula(text)).toBe(`'${text}`);
    for (const text of ['1', 'a=b', " '=x", '', 'é', '日本']) expect(neutralizeFormula(text)).toBe(text);
  });
});
