import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import type { FieldSpec } from '../extraction/types.js';

export type CellChange = 'added' | 'removed' | 'changed' | 'same';

export interface DiffCell {
  field: string;
  status: CellChange;
  before: unknown;
  after: unknown;
}

export interface DiffRow {
  sourceFileName: string;
  rowIndex: number;
  /** `added`/`removed`: the row is in one run only; `changed`: some cell differs; `same`: none does. */
  status: CellChange;
  cells: DiffCell[];
}

type Counts = Record<CellChange, number>;

export interface RunDiff {
  runId: string;
  againstRunId: string;
  fields: { added: string[]; removed: string[]; kept: string[] };
  summary: { rows: Counts; cells: Counts };
  items: DiffRow[];
  nextCursor: number | null;
}

interface RunRows {
  fields: string[];
  /** `key` -> the row's values by field name; keys sort into source file then row order. */
  rows: Map<string, { sourceFileName: string; rowIndex: number; values: Map<string, unknown> }>;
}

/**
 * The differences of run `runId` from run `againstRunId` of the same job, both `userId`'s
 * (404 as for a missing run otherwise). Rows are matched by source file and row index
 * within the file; a field in only one run's snapshot is added or removed in every row.
 * The summary counts every row and cell; `items` is the page from `offset`.
 */
export async function diffRuns(db: Kysely<Database>, userId: string, runId: string, againstRunId: string, page: { offset: number; limit: number }): Promise<RunDiff> {
  const [after, before] = await Promise.all([loadRun(db, userId, runId), loadRun(db, userId, againstRunId)]);
  if (after.jobId !== before.jobId) throw new HttpError(422, 'different_jobs', 'query.against: the two runs belong to different jobs');
  const [afterRows, beforeRows] = await Promise.all([loadRows(db, runId, after.fields), loadRows(db, againstRunId, before.fields)]);

  const kept = afterRows.fields.filter((f) => beforeRows.fields.includes(f));
  const added = afterRows.fields.filter((f) => !beforeRows.fields.includes(f));
  const removed = beforeRows.fields.filter((f) => !afterRows.fields.includes(f));
  const fields = [...kept, ...added, ...removed];

  const keys = [...new Set([...beforeRows.rows.keys(), ...afterRows.rows.keys()])].sort();
  const summary = { rows: zeroCounts(), cells: zeroCounts() };
  const rows: DiffRow[] = keys.map((key) => {
    const a = afterRows.rows.get(key);
    const b = beforeRows.rows.get(key);
    const cells = fields.map((field): DiffCell => {
      const inAfter = a !== undefined && afterRows.fields.includes(field);
      const inBefore = b !== undefined && beforeRows.fields.includes(field);
      const cellAfter = inAfter ? (a.values.get(field) ?? null) : null;
      const cellBefore = inBefore ? (b.values.get(field) ?? null) : null;
      const status: CellChange = inAfter && !inBefore ? 'added' : !inAfter && inBefore ? 'removed'
        : !inAfter && !inBefore ? 'same' : sameValue(cellAfter, cellBefore) ? 'same' : 'changed';
      return { field, status, before: cellBefore, after: cellAfter };
    }).filter((c) => c.status !== 'same' || (a !== undefined && b !== undefined));
    const status: CellChange = !b ? 'added' : !a ? 'removed' : cells.some((c) => c.status !== 'same') ? 'changed' : 'same';
    summary.rows[status] += 1;
    for (const cell of cells) summary.cells[cell.status] += 1;
    const row = (a ?? b)!;
    return { sourceFileName: row.sourceFileName, rowIndex: row.rowIndex, status, cells };
  });
  const items = rows.slice(page.offset, page.offset + page.limit);
  return {
    runId, againstRunId, fields: { added, removed, kept }, summary, items,
    nextCursor: page.offset + page.limit < rows.length ? page.offset + page.limit : null,
  };
}

async function loadRun(db: Kysely<Database>, userId: string, runId: string): Promise<{ jobId: string; fields: string[] }> {
  const run = await db.selectFrom('job_runs as r').innerJoin('extraction_jobs as j', 'j.id', 'r.job_id')
    .select(['r.job_id', 'r.fields_snapshot']).where('r.id', '=', runId).where('j.user_id', '=', userId).executeTakeFirst();
  if (!run) throw new HttpError(404, 'not_found', 'Run not found');
  return { jobId: run.job_id, fields: (run.fields_snapshot as unknown as FieldSpec[]).map((f) => f.name) };
}

async function loadRows(db: Kysely<Database>, runId: string, snapshotFields: string[]): Promise<RunRows> {
  const results = await db.selectFrom('extraction_results as x')
    .innerJoin('extraction_tasks as t', 't.id', 'x.task_id')
    .select(['t.source_file_id', 't.source_filename', 'x.extracted_data'])
    .where('x.run_id', '=', runId)
    .execute();
  const rows: RunRows['rows'] = new Map();
  for (const result of results) {
    const data = result.extracted_data as { columns?: string[]; results?: unknown[][] };
    const columns = data.columns ?? snapshotFields;
    const sourceFileName = result.source_filename ?? '';
    // The file name leads the key so pages read in file order; the id keeps two files of one name apart.
    const file = `${sourceFileName}\u0000${result.source_file_id ?? ''}`;
    (data.results ?? []).forEach((values, rowIndex) => {
      rows.set(`${file}\u0000${String(rowIndex).padStart(8, '0')}`, {
        sourceFileName, rowIndex, values: new Map(columns.map((c, i) => [c, values[i] ?? null])),
      });
    });
  }
  return { fields: snapshotFields, rows };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function zeroCounts(): Counts {
  return { added: 0, removed: 0, changed: 0, same: 0 };
}
