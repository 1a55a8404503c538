import { PassThrough, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExportColumn, ExportRow } from '../../shared/exports/types.js';

/** One field of each type, as a run's field snapshot. */
export const COLUMNS: ExportColumn[] = [
  { name: 'Vendor', type: 'text' },
  { name: 'Quantity', type: 'number' },
  { name: 'Invoice date', type: 'date' },
  { name: 'Total', type: 'currency' },
  { name: 'Paid', type: 'boolean' },
  { name: 'Tags', type: 'list' },
];

/** The text values a spreadsheet could take for formulas, with what must be written. */
export const FORMULA_LIKE: [string, string][] = [
  ['=SUM(A1)', "'=SUM(A1)"],
  ['+1', "'+1"],
  ['-2+3', "'-2+3"],
  ['@cmd', "'@cmd"],
  ['\tx', "'\tx"],
  ['\rx', "'\rx"],
  ['＝1+1', "'＝1+1"],
];

/** Rows of two documents (several rows each), non-ASCII text, negatives, nulls, quoting. */
export function sampleRows(): ExportRow[] {
  return [
    { values: ['Café Müller', 3, '2024-02-29', 1234.5, true, ['office', 'q3']], sourceFileName: 'invoice-é.pdf', sourceType: 'upload' },
    { values: ['株式会社日本', -2, '1999-12-31', -0.75, false, []], sourceFileName: 'invoice-é.pdf', sourceType: 'upload' },
    { values: ['Acme, "Inc."\nSecond line', 0, null, null, null, null], sourceFileName: '請求書.pdf', sourceType: 'gmail' },
    { values: ['-42', 1e21, '2023-02-29', 10, true, ['one']], sourceFileName: '請求書.pdf', sourceType: 'gmail' },
    { values: [null, 0.1, '2025-01-01', 0, false, ['=x', 'y']], sourceFileName: 'Scan 7.pdf', sourceType: 'gdrive' },
  ];
}

/** Rows whose text cells hold each formula-like value, in a text column and as a file name. */
export function formulaRows(): ExportRow[] {
  return FORMULA_LIKE.map(([text]) => ({
    values: [text, -5, '2024-01-02', -12.34, true, [text]],
    sourceFileName: text,
    sourceType: 'upload',
  }));
}

/** Yields `rows` in batches of `size`, as a database cursor would. */
export async function* inBatches(rows: ExportRow[], size = 2): AsyncGenerator<ExportRow[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** A destination that keeps everything written, and the whole file once finished. */
export function memorySink(): { out: PassThrough; done: Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    out.on('end', () => resolve(Buffer.concat(chunks)));
    out.on('error', reject);
  });
  return { out, done };
}

/** A destination that accepts nothing until `release()`: a stalled upload. */
export function stalledSink(): { out: Writable; release: () => void; bytes: () => number } {
  let released = false;
  let waiting: (() => void)[] = [];
  let bytes = 0;
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (released) callback();
      else waiting.push(() => callback());
    },
  });
  return {
    out,
    release: () => {
      released = true;
      for (const resume of waiting) resume();
      waiting = [];
    },
    bytes: () => bytes,
  };
}

/** Counts how many batches a writer has pulled from `source`. */
export function countingBatches(source: AsyncIterable<ExportRow[]>): { batches: AsyncIterable<ExportRow[]>; pulled: () => number } {
  let pulled = 0;
  async function* counted() {
    for await (const batch of source) {
      pulled += 1;
      yield batch;
    }
  }
  return { batches: counted(), pulled: () => pulled };
}

/** Waits until `count()` has not moved for half a second (at most 10 s), then returns it. */
export async function settled(count: () => number): Promise<number> {
  for (let waited = 0; waited < 10_000; waited += 500) {
    const before = count();
    await sleep(500);
    if (count() === before) return before;
  }
  return count();
}
