/**
 * The export path users wait for, from the database (part of `npm run bench:export`): a
 * run's results in PostgreSQL read page by page on the export's keyset
 * (`exportRowBatches`) and written by `writeCsv` and `writeXlsx`, side by side with
 * `COPY (<the same values>) TO STDOUT (FORMAT csv)` over the same connection, the floor for
 * getting those rows out of PostgreSQL as CSV. The three take turns, `repeat` rounds, and
 * each keeps its fastest.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { fromPool, pgTypes } from '../../shared/db/connect.js';
import { migrateToLatest } from '../../shared/db/migrate.js';
import { exportColumns, exportRowBatches } from '../../shared/export-runs/rows.js';
import { writeCsv } from '../../shared/exports/csv.js';
import { writeXlsx } from '../../shared/exports/xlsx.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { adminQuery, withDatabase } from '../support/global-setup.js';

/** Sheet rows per document: invoices answer a few line items each. */
const ROWS_PER_DOCUMENT = 5;
const SEED_DOCUMENTS_PER_INSERT = 1_000;

export interface DatabaseExportFigures {
  rows: number;
  documents: number;
  copy_csv_seconds: number;
  csv_e2e_seconds: number;
  xlsx_e2e_seconds: number;
  /** Our CSV from the database against COPY's, fastest against fastest (target <= 2). */
  csv_e2e_vs_copy: number;
  runs: { copy: number[]; csv: number[]; xlsx: number[] };
}

/**
 * Seeds a finished run of `rows` sheet rows (`benchRow`'s values, ROWS_PER_DOCUMENT per
 * result) into a fresh database, then times COPY, CSV and XLSX `repeat` times each.
 */
export async function benchDatabaseExport(options: {
  adminUrl: string;
  rows: number;
  repeat: number;
  dir: string;
  fields: FieldSpec[];
  row: (i: number) => { values: unknown[]; sourceType: string };
}): Promise<DatabaseExportFigures> {
  const dbName = `br_export_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(options.adminUrl, `CREATE DATABASE ${dbName}`);
  // One connection: the export's queries and COPY run on the same session.
  const pool = new pg.Pool({ connectionString: withDatabase(options.adminUrl, dbName), max: 1, types: pgTypes });
  const database = fromPool(pool);
  try {
    await migrateToLatest(database);
    const runId = await seedRun(database.db, options);
    // Statistics as autovacuum leaves them on a live database (a fresh one has none yet).
    await sql`ANALYZE`.execute(database.db);
    const columns = exportColumns(options.fields);
    const copySql = sameValuesAsCsv(runId, options.fields.length);
    const runs = { copy: [] as number[], csv: [] as number[], xlsx: [] as number[] };
    const timed = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return (performance.now() - started) / 1000;
    };
    for (let round = 0; round < options.repeat; round++) {
      runs.copy.push(await timed(async () => {
        const client = await pool.connect();
        try {
          await pipeline(client.query(copyTo(copySql)), createWriteStream(`${options.dir}/copy.csv`));
        } finally {
          client.release();
        }
      }));
      runs.csv.push(await timed(() => writeCsv(columns, exportRowBatches(database.db, runId, options.fields), createWriteStream(`${options.dir}/e2e.csv`))));
      runs.xlsx.push(await timed(() => writeXlsx(columns, exportRowBatches(database.db, runId, options.fields), createWriteStream(`${options.dir}/e2e.xlsx`))));
    }
    const fastest = (list: number[]) => Math.min(...list);
    return {
      rows: options.rows,
      documents: Math.ceil(options.rows / ROWS_PER_DOCUMENT),
      copy_csv_seconds: fastest(runs.copy),
      csv_e2e_seconds: fastest(runs.csv),
      xlsx_e2e_seconds: fastest(runs.xlsx),
      csv_e2e_vs_copy: fastest(runs.csv) / fastest(runs.copy),
      runs,
    };
  } finally {
    await database.close();
    await adminQuery(options.adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

/**
 * The sheet rows `exportRowBatches` reads, as one SELECT in the same order: each answer
 * row's values by position, then file name and source type. The run id is a uuid the
 * benchmark made (COPY takes no parameters).
 */
function sameValuesAsCsv(runId: string, fieldCount: number): string {
  if (!/^[0-9a-f-]{36}$/.test(runId)) throw new Error('not a uuid');
  const values = Array.from({ length: fieldCount }, (_, i) => `r.value->>${i}`).join(', ');
  return `COPY (SELECT ${values}, coalesce(t.source_filename, ''), t.source_type
    FROM extraction_results x
    JOIN extraction_tasks t ON t.id = x.task_id
    CROSS JOIN LATERAL jsonb_array_elements(x.extracted_data->'results') WITH ORDINALITY AS r(value, n)
    WHERE x.run_id = '${runId}'
    ORDER BY coalesce(t.source_filename, '') COLLATE "C", t.id, x.id, r.n) TO STDOUT (FORMAT csv)`;
}

async function seedRun(
  db: ReturnType<typeof fromPool>['db'],
  options: { rows: number; fields: FieldSpec[]; row: (i: number) => { values: unknown[]; sourceType: string } },
): Promise<string> {
  const documents = Math.ceil(options.rows / ROWS_PER_DOCUMENT);
  await db.insertInto('users').values({ id: 'bench', email: 'bench@example.com' }).execute();
  const job = await db.insertInto('extraction_jobs').values({ user_id: 'bench', name: 'Export benchmark' }).returning('id').executeTakeFirstOrThrow();
  const run = await db.insertInto('job_runs').values({
    job_id: job.id, run_number: 1, status: 'completed', fields_snapshot: JSON.stringify(options.fields),
    tasks_total: documents, tasks_completed: documents, completed_at: new Date(),
  }).returning('id').executeTakeFirstOrThrow();
  const names = options.fields.map((field) => field.name);
  for (let first = 0; first < documents; first += SEED_DOCUMENTS_PER_INSERT) {
    const batch = Array.from({ length: Math.min(SEED_DOCUMENTS_PER_INSERT, documents - first) }, (_, k) => first + k);
    const fileName = (d: number) => `document-${String(d).padStart(6, '0')}.pdf`;
    const files = await db.insertInto('source_files').values(batch.map((d) => ({
      job_id: job.id, original_filename: fileName(d), gcs_object_name: `o/${fileName(d)}`, file_type: 'application/pdf', file_size_bytes: 10,
      source_type: options.row(d * ROWS_PER_DOCUMENT).sourceType,
    }))).returning('id').execute();
    const tasks = await db.insertInto('extraction_tasks').values(batch.map((d, k) => ({
      run_id: run.id, source_file_id: files[k]!.id, status: 'completed', source_filename: fileName(d), source_type: options.row(d * ROWS_PER_DOCUMENT).sourceType,
    }))).returning('id').execute();
    await db.insertInto('extraction_results').values(batch.map((d, k) => {
      const rows = [];
      for (let i = d * ROWS_PER_DOCUMENT; i < Math.min(options.rows, (d + 1) * ROWS_PER_DOCUMENT); i++) rows.push(options.row(i).values);
      return { run_id: run.id, task_id: tasks[k]!.id, engine: 'bench', extracted_data: JSON.stringify({ columns: names, results: rows }) };
    })).execute();
  }
  return run.id;
}
