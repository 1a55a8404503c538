/**
 * The export's row source (`exportRowBatches`) against a real database: the order (file
 * name in byte order, then task id, then result id), the mapping of an answer's values onto
 * the run's fields, and the keyset paging that reads one page ahead, whatever the page size.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRowBatches } from '../../shared/export-runs/rows.js';
import type { ExportRow } from '../../shared/exports/index.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const FIELDS: FieldSpec[] = [
  { name: 'Vendor', type: 'text', required: true },
  { name: 'Total', type: 'currency', required: false },
  { name: 'Paid', type: 'boolean', required: false },
];
const NAMES = FIELDS.map((field) => field.name);

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface SeedTask {
  id: number;
  fileName: string | null;
  sourceType?: 'upload' | 'gdrive' | 'gmail' | null;
  /** Its results, each with an explicit id (the order within a task). */
  results: { id: number; data: unknown; citations?: unknown }[];
}

// Inserted in an order unlike the export's, so nothing passes by insertion order.
const TASKS: SeedTask[] = [
  { id: 9, fileName: 'b.pdf', sourceType: 'gdrive', results: [
    // Two results of one task: by result id.
    { id: 202, data: { columns: NAMES, results: [['b second', 2, true]] } },
    { id: 201, data: { columns: NAMES, results: [['b first', 1, false]] }, citations: [[{ page: 1, quote: 'b first', verified: true }, null, null]] },
  ] },
  { id: 3, fileName: 'é.pdf', sourceType: 'gmail', results: [
    // Columns in another order and one missing: by name, the missing one empty.
    { id: 301, data: { columns: ['Paid', 'Vendor'], results: [[true, 'accent']] } },
  ] },
  { id: 5, fileName: 'B.pdf', results: [
    // No column list: by position; a short row padded with null, a long one cut.
    { id: 501, data: { results: [['upper'], ['upper long', 5, false, 'extra']] } },
  ] },
  { id: 7, fileName: 'a.pdf', sourceType: null, results: [] }, // no result yet: no rows
  { id: 2, fileName: 'b.pdf', results: [
    // Same file name as task 9: by task id. A row that is not a list is skipped.
    { id: 601, data: { columns: NAMES, results: ['not a row', ['b by id', -0.5, null]] } },
  ] },
  { id: 4, fileName: null, results: [
    // No file name sorts first (as ''); results that are not a list give no rows.
    { id: 701, data: { columns: NAMES, results: { oops: true } } },
    { id: 702, data: { columns: NAMES, results: [['nameless', 0, true]] } },
  ] },
];

/** The rows in export order: '' < 'B.pdf' < 'a.pdf' < 'b.pdf' (task 2, task 9) < 'é.pdf'. */
const EXPECTED: ExportRow[] = [
  { values: ['nameless', 0, true], sourceFileName: '', sourceType: 'upload' },
  { values: ['upper', null, null], sourceFileName: 'B.pdf', sourceType: 'upload' },
  { values: ['upper long', 5, false], sourceFileName: 'B.pdf', sourceType: 'upload' },
  { values: ['b by id', -0.5, null], sourceFileName: 'b.pdf', sourceType: 'upload' },
  { values: ['b first', 1, false], sourceFileName: 'b.pdf', sourceType: 'gdrive' },
  { values: ['b second', 2, true], sourceFileName: 'b.pdf', sourceType: 'gdrive' },
  { values: ['accent', null, true], sourceFileName: 'é.pdf', sourceType: 'gmail' },
];

let database: TestDatabase;
let runId: string;

async function seed(db: TestDatabase['db']): Promise<string> {
  await db.insertInto('users').values({ id: 'alice', email: 'alice@example.com' }).execute();
  const job = await db.insertInto('extraction_jobs').values({ user_id: 'alice', name: 'Invoices' }).returning('id').executeTakeFirstOrThrow();
  const run = await db.insertInto('job_runs').values({
    job_id: job.id, run_number: 1, status: 'completed', fields_snapshot: JSON.stringify(FIELDS), tasks_total: TASKS.length, tasks_completed: TASKS.length, completed_at: new Date(),
  }).returning('id').executeTakeFirstOrThrow();
  // Another run's tasks sort among this one's and must not show.
  const other = await db.insertInto('job_runs').values({ job_id: job.id, run_number: 2, status: 'completed', fields_snapshot: JSON.stringify(FIELDS) }).returning('id').executeTakeFirstOrThrow();
  const stray = await db.insertInto('extraction_tasks').values({ run_id: other.id, status: 'completed', source_filename: 'b.pdf' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('extraction_results').values({ run_id: other.id, task_id: stray.id, extracted_data: JSON.stringify({ columns: NAMES, results: [['stray', 1, true]] }) }).execute();
  for (const task of TASKS) {
    await db.insertInto('extraction_tasks').values({ id: uuid(task.id), run_id: run.id, status: 'completed', source_filename: task.fileName, source_type: task.sourceType ?? null }).execute();
    for (const result of task.results) {
      await db.insertInto('extraction_results').values({
        id: uuid(result.id), run_id: run.id, task_id: uuid(task.id), extracted_data: JSON.stringify(result.data),
        citations: result.citations === undefined ? null : JSON.stringify(result.citations),
      }).execute();
    }
  }
  return run.id;
}

async function collect(batches: AsyncIterable<ExportRow[]>): Promise<ExportRow[][]> {
  const all: ExportRow[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describe('exportRowBatches', () => {
  beforeEach(async () => {
    database = await createTestDatabase();
    runId = await seed(database.db);
  });
  afterEach(async () => {
    await database.close();
  });

  it.each([1, 2, 3, 5, 1000])('gives the rows in byte order of file name, then task, then result, with pages of %i documents', async (batchSize) => {
    const batches = await collect(exportRowBatches(database.db, runId, FIELDS, { batchSize }));
    expect(batches.flat()).toEqual(EXPECTED);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
    // Six tasks, one without results: ceil(6 / size) pages at most, the empty ones not yielded.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(TASKS.length / batchSize));
  });

  it("with citations, each value's citation by the same mapping, null where there is none", async () => {
    const rows = (await collect(exportRowBatches(database.db, runId, FIELDS, { batchSize: 2, withCitations: true }))).flat();
    expect(rows.map((row) => row.values)).toEqual(EXPECTED.map((row) => row.values));
    expect(rows[4]!.citations).toEqual([{ page: 1, quote: 'b first', verified: true }, null, null]);
    expect(rows.filter((_, i) => i !== 4).every((row) => row.citations!.every((cited) => cited === null))).toBe(true);
    expect(rows.every((row) => row.citations!.length === FIELDS.length)).toBe(true);
  });

  it('a run with no tasks gives no batch', async () => {
    const empty = await database.db.insertInto('job_runs').values({ job_id: (await database.db.selectFrom('job_runs').select('job_id').where('id', '=', runId).executeTakeFirstOrThrow()).job_id, run_number: 3, status: 'completed', fields_snapshot: '[]' }).returning('id').executeTakeFirstOrThrow();
    expect(await collect(exportRowBatches(database.db, empty.id, FIELDS))).toEqual([]);
  });

  it('stopped after the first page, it waits for the page read ahead and leaves the database usable', async () => {
    for await (const batch of exportRowBatches(database.db, runId, FIELDS, { batchSize: 1 })) {
      expect(batch).toEqual([EXPECTED[0]]);
      break;
    }
    expect((await collect(exportRowBatches(database.db, runId, FIELDS, { batchSize: 2 }))).flat()).toEqual(EXPECTED);
  });

  it('an aborted signal stops it before the next page is used', async () => {
    const controller = new AbortController();
    const seen: ExportRow[][] = [];
    const reading = (async () => {
      for await (const batch of exportRowBatches(database.db, runId, FIELDS, { batchSize: 1, signal: controller.signal })) {
        seen.push(batch);
        controller.abort(new Error('export cancelled'));
      }
    })();
    await expect(reading).rejects.toThrow('export cancelled');
    expect(seen).toEqual([[EXPECTED[0]]]);
  });
});
