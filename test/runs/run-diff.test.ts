import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExportWorld, type ExportWorld } from '../export-runs/fixtures.js';

let world: ExportWorld;
const as = (uid: string) => ({ Authorization: `Bearer dev:${uid}` });
let jobId: string;
let run1: string;
let run2: string;
let otherJobRun: string;

type Doc = { file: string; fileId: string; rows: unknown[][] };

/** A completed run of `job` over these documents with these fields, as the pipeline stores one. */
async function seedRun(job: string, runNumber: number, fields: string[], docs: Doc[], failed: { file: string; reason: string }[] = []): Promise<string> {
  const db = world.platform.database.db;
  const run = await db.insertInto('job_runs').values({
    job_id: job, run_number: runNumber, status: 'completed', completed_at: new Date(),
    fields_snapshot: JSON.stringify(fields.map((name) => ({ name, type: 'text', required: false }))),
  }).returning('id').executeTakeFirstOrThrow();
  for (const doc of docs) {
    const task = await db.insertInto('extraction_tasks').values({ run_id: run.id, source_file_id: doc.fileId, status: 'completed', source_filename: doc.file })
      .returning('id').executeTakeFirstOrThrow();
    await db.insertInto('extraction_results').values({ run_id: run.id, task_id: task.id, engine: 'test', extracted_data: JSON.stringify({ columns: fields, results: doc.rows }) }).execute();
  }
  for (const f of failed) {
    await db.insertInto('extraction_tasks').values({ run_id: run.id, status: 'failed', source_filename: f.file, error_code: 'unreadable', error_message: f.reason, attempts: 3 }).execute();
  }
  return run.id;
}

async function newJob(userId: string, name: string): Promise<{ jobId: string; file: (n: string) => Promise<string> }> {
  const db = world.platform.database.db;
  await db.insertInto('users').values({ id: userId, email: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const job = await db.insertInto('extraction_jobs').values({ user_id: userId, name }).returning('id').executeTakeFirstOrThrow();
  return {
    jobId: job.id,
    file: async (n) => (await db.insertInto('source_files').values({ job_id: job.id, original_filename: n, gcs_object_name: `o/${n}`, file_type: 'application/pdf', file_size_bytes: 1 })
      .returning('id').executeTakeFirstOrThrow()).id,
  };
}

beforeAll(async () => {
  world = await startExportWorld();
  const job = await newJob('alice', 'Invoices');
  jobId = job.jobId;
  const [a, b, c] = [await job.file('a.pdf'), await job.file('b.pdf'), await job.file('c.pdf')];
  // Run 1: fields number, total, vendor; a.pdf has two rows, b.pdf one.
  run1 = await seedRun(jobId, 1, ['number', 'total', 'vendor'], [
    { file: 'a.pdf', fileId: a, rows: [['A-1', 10, 'Acme'], ['A-2', 20, 'Acme']] },
    { file: 'b.pdf', fileId: b, rows: [['B-1', 5, 'Bright']] },
  ]);
  // Run 2: vendor removed, date added; a.pdf's second row has another total, c.pdf is new, b.pdf failed.
  run2 = await seedRun(jobId, 2, ['number', 'total', 'date'], [
    { file: 'a.pdf', fileId: a, rows: [['A-1', 10, '2024-01-01'], ['A-2', 25, null]] },
    { file: 'c.pdf', fileId: c, rows: [['C-1', 1, '2024-02-02']] },
  ], [{ file: 'b.pdf', reason: 'The PDF has no text layer and no OCR engine read it' }]);
  const other = await newJob('alice', 'Receipts');
  otherJobRun = await seedRun(other.jobId, 1, ['number'], []);
}, 120_000);
afterAll(() => world?.close());

describe('differences between two runs of a job', () => {
  it('matches rows by source file and row index, and says per cell what was added, removed, changed or the same', async () => {
    const res = await world.api.get(`/v1/runs/${run2}/diff`).query({ against: run1 }).set(as('alice')).expect(200);
    expect(res.body.fields).toEqual({ added: ['date'], removed: ['vendor'], kept: ['number', 'total'] });
    const rows = res.body.items.map((r: { sourceFileName: string; rowIndex: number; status: string; cells: { field: string; status: string; before: unknown; after: unknown }[] }) =>
      [r.sourceFileName, r.rowIndex, r.status, Object.fromEntries(r.cells.map((c) => [c.field, [c.status, c.before, c.after]]))]);
    expect(rows).toEqual([
      ['a.pdf', 0, 'changed', { number: ['same', 'A-1', 'A-1'], total: ['same', 10, 10], date: ['added', null, '2024-01-01'], vendor: ['removed', 'Acme', null] }],
      ['a.pdf', 1, 'changed', { number: ['same', 'A-2', 'A-2'], total: ['changed', 20, 25], date: ['added', null, null], vendor: ['removed', 'Acme', null] }],
      ['b.pdf', 0, 'removed', { number: ['removed', 'B-1', null], total: ['removed', 5, null], vendor: ['removed', 'Bright', null] }],
      ['c.pdf', 0, 'added', { number: ['added', null, 'C-1'], total: ['added', null, 1], date: ['added', null, '2024-02-02'] }],
    ]);
    expect(res.body.summary).toEqual({
      rows: { added: 1, removed: 1, changed: 2, same: 0 },
      cells: { added: 5, removed: 5, changed: 1, same: 3 },
    });
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages the rows with the summary of all of them on every page', async () => {
    const first = await world.api.get(`/v1/runs/${run2}/diff`).query({ against: run1, limit: 3 }).set(as('alice')).expect(200);
    expect(first.body.items.map((r: { sourceFileName: string }) => r.sourceFileName)).toEqual(['a.pdf', 'a.pdf', 'b.pdf']);
    const second = await world.api.get(`/v1/runs/${run2}/diff`).query({ against: run1, limit: 3, cursor: first.body.nextCursor }).set(as('alice')).expect(200);
    expect(second.body.items.map((r: { sourceFileName: string }) => r.sourceFileName)).toEqual(['c.pdf']);
    expect(second.body.summary).toEqual(first.body.summary);
    expect(second.body.nextCursor).toBeNull();
  });

  it('is owner-only and compares runs of one job only', async () => {
    await world.api.get(`/v1/runs/${run2}/diff`).query({ against: run1 }).set(as('mallory')).expect(404);
    const other = await world.api.get(`/v1/runs/${run2}/diff`).query({ against: otherJobRun }).set(as('alice')).expect(422);
    expect(other.body.error.code).toBe('different_jobs');
    await world.api.get(`/v1/runs/${run2}/diff`).set(as('alice')).expect(400);
  });
});
