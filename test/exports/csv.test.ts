import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeCsv } from '../../shared/exports/csv.js';
import type { ExportRow } from '../../shared/exports/types.js';
import { COLUMNS, FORMULA_LIKE, countingBatches, formulaRows, inBatches, memorySink, sampleRows, settled, stalledSink } from './fixtures.js';

async function csvOf(rows: ExportRow[]): Promise<{ bytes: Buffer; rows: number }> {
  const { out, done } = memorySink();
  const summary = await writeCsv(COLUMNS, inBatches(rows), out);
  return { bytes: await done, rows: summary.rows };
}

function parsed(bytes: Buffer): string[][] {
  return parse(bytes, { bom: true, relax_column_count: false }) as string[][];
}

describe('writeCsv', () => {
  it('writes a UTF-8 byte order mark, then CRLF-terminated records', async () => {
    const { bytes } = await csvOf(sampleRows().slice(0, 2));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(4); // header, two rows, and the empty tail
  });

  it('reads back with csv-parse cell by cell: fields in order, then source file and type', async () => {
    const { bytes, rows } = await csvOf(sampleRows());
    expect(rows).toBe(5);
    expect(parsed(bytes)).toEqual([
      ['Vendor', 'Quantity', 'Invoice date', 'Total', 'Paid', 'Tags', 'Source file', 'Source type'],
      ['Café Müller', '3', '2024-02-29', '1234.5', 'TRUE', 'office; q3', 'invoice-é.pdf', 'upload'],
      ['株式会社日本', '-2', '1999-12-31', '-0.75', 'FALSE', '', 'invoice-é.pdf', 'upload'],
      ['Acme, "Inc."\nSecond line', '0', '', '', '', '', '請求書.pdf', 'gmail'],
      ["'-42", '1e+21', '2023-02-29', '10', 'TRUE', 'one', '請求書.pdf', 'gmail'],
      ['', '0.1', '2025-01-01', '0', 'FALSE', "'=x; y", 'Scan 7.pdf', 'gdrive'],
    ]);
  });

  it('quotes a field with a comma, quote or line break and doubles its quotes (RFC 4180)', async () => {
    const { bytes } = await csvOf(sampleRows().slice(2, 3));
    expect(bytes.toString('utf8')).toContain('"Acme, ""Inc.""\nSecond line"');
  });

  it('prefixes every formula-like text cell with a quote and leaves negative numbers bare', async () => {
    const { bytes } = await csvOf(formulaRows());
    const records = parsed(bytes).slice(1);
    expect(records).toHaveLength(FORMULA_LIKE.length);
    records.forEach((record, i) => {
      const [, expected] = FORMULA_LIKE[i]!;
      expect(record[0]).toBe(expected);
      expect(record[5]).toBe(expected); // a one-item list
      expect(record[6]).toBe(expected); // the source file name
      expect(record[1]).toBe('-5');
      expect(record[3]).toBe('-12.34');
    });
  });

  it('keeps a value that does not fit its column as neutralized, quoted text', async () => {
    const { out, done } = memorySink();
    const rows: ExportRow[] = [
      { values: [42, 'many', 17, 'unpaid', 'yes', 'not a list'], sourceFileName: 'a,b.pdf', sourceType: 'upload' },
      { values: [{ a: 1 }, '-3', '2024-13-01', true, 1, ['x', null, '', 'y,z']], sourceFileName: 'b.pdf', sourceType: 'gmail' },
      { values: ['=1,2', Number.NaN, '', null, null, [null]], sourceFileName: '-x.pdf', sourceType: 'gdrive' },
    ];
    await writeCsv(COLUMNS, inBatches(rows), out);
    const text = (await done).toString('utf8');
    expect(text).toContain('"\'=1,2"'); // prefixed, then quoted for its comma
    expect(parsed(Buffer.from(text)).slice(1)).toEqual([
      ['42', 'many', '17', 'unpaid', 'yes', 'not a list', 'a,b.pdf', 'upload'],
      ['{"a":1}', "'-3", '2024-13-01', 'true', '1', 'x; ; y,z', 'b.pdf', 'gmail'],
      ["'=1,2", 'NaN', '', '', '', '', "'-x.pdf", 'gdrive'],
    ]);
  });

  it('writes a lone surrogate as U+FFFD and every other character as its UTF-8', async () => {
    const { out, done } = memorySink();
    const rows: ExportRow[] = [
      { values: ['a\uD800b', 1, null, null, null, null], sourceFileName: '日本 😀.pdf', sourceType: 'upload' },
      { values: ['Café', 2, null, null, null, null], sourceFileName: 'plain.pdf', sourceType: 'upload' },
    ];
    await writeCsv(COLUMNS, inBatches(rows), out);
    const bytes = await done;
    expect(bytes.includes(Buffer.from('a\uFFFDb', 'utf8'))).toBe(true);
    expect(parsed(bytes).slice(1).map((record) => [record[0], record[6]])).toEqual([
      ['a\uFFFDb', '日本 😀.pdf'],
      ['Café', 'plain.pdf'],
    ]);
  });

  it('neutralizes a formula-like field name in the header', async () => {
    const { out, done } = memorySink();
    await writeCsv([{ name: '=HYPERLINK("x")', type: 'text' }], inBatches([]), out);
    expect(parsed(await done)).toEqual([['\'=HYPERLINK("x")', 'Source file', 'Source type']]);
  });

  it('writes only the header when the run has no rows, and skips empty batches', async () => {
    const { out, done } = memorySink();
    async function* empty() {
      yield [];
      yield [];
    }
    const summary = await writeCsv(COLUMNS, empty(), out);
    expect(summary.rows).toBe(0);
    expect(parsed(await done)).toHaveLength(1);
  });

  it('stops pulling batches while the destination is stalled, then finishes when it drains', async () => {
    const many = Array.from({ length: 200 }, () => sampleRows()).flat();
    const { out, release, bytes } = stalledSink();
    const { batches, pulled } = countingBatches(inBatches(many, 100)); // about 7 kB of CSV each
    const writing = writeCsv(COLUMNS, batches, out);
    expect(await settled(pulled)).toBeLessThan(5); // 16 kB of high-water mark: 3 batches
    release();
    expect((await writing).rows).toBe(1000);
    expect(bytes()).toBeGreaterThan(50_000);
  });

  it('destroys the destination and rejects when the rows fail mid-way', async () => {
    const { out, done } = memorySink();
    const destinationSaw = expect(done).rejects.toThrow('cursor lost');
    async function* failing() {
      yield sampleRows();
      throw new Error('cursor lost');
    }
    await expect(writeCsv(COLUMNS, failing(), out)).rejects.toThrow('cursor lost');
    await destinationSaw;
    expect(out.destroyed).toBe(true);
  });
});
