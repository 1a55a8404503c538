import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { ExportColumn, ExportRow, SourceType } from '../exports/index.js';
import type { FieldSpec } from '../extraction/types.js';

/** Documents (tasks and their results) fetched per query; each may give several sheet rows. */
export const EXPORT_BATCH_DOCUMENTS = 1_000;

/** The export's field columns: the run's field snapshot, in order. */
export function exportColumns(fields: readonly FieldSpec[]): ExportColumn[] {
  return fields.map((field) => ({ name: field.name, type: field.type }));
}

// Byte order ("C"), not the database's locale: the same file on PGlite and on any server.
const taskFileNameKey = sql`coalesce(source_filename, '') COLLATE "C"`;

const sourceTypes = new Set<SourceType>(['upload', 'gdrive', 'gmail']);

/**
 * The sheet rows of a run, batch by batch: one per row of each document's answer, values in
 * the snapshot's field order (matched by column name, by position when the answer has no
 * column list), with the document's file name and source type.
 *
 * Keyset pagination over the run's tasks by (file name, task id), not a cursor: PGlite cannot
 * stream a cursor and a pooled connection should not be held for the whole upload. The key
 * is the index `idx_extraction_tasks_export_order` (migration 000018), so each batch is one
 * short range scan over the run's tasks, then those tasks' results by task id, not a sort of
 * the whole run's results; rows come out ordered by file name (byte order, the same on every
 * server whatever its locale). Only the answer's `columns` and `results` leave the database.
 *
 * @example await writeCsv(exportColumns(fields), exportRowBatches(db, runId, fields), out)
 */
export async function* exportRowBatches(
  db: Kysely<Database>, runId: string, fields: readonly FieldSpec[], opts: { batchSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<ExportRow[]> {
  const batchSize = opts.batchSize ?? EXPORT_BATCH_DOCUMENTS;
  let after: { name: string; taskId: string } | undefined;
  for (;;) {
    opts.signal?.throwIfAborted();
    const tasks = await db.selectFrom('extraction_tasks')
      .select(['id', 'source_type', sql<string>`coalesce(source_filename, '')`.as('file_name')])
      .where('run_id', '=', runId)
      .$if(after !== undefined, (qb) => qb.where(sql<boolean>`(${taskFileNameKey}, id) > (${after!.name} COLLATE "C", ${after!.taskId}::uuid)`))
      .orderBy(taskFileNameKey)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (tasks.length === 0) return;
    // A second query, not a join: the planner would join the page to a scan of all results.
    const results = await db.selectFrom('extraction_results')
      .select(['task_id', sql<unknown>`extracted_data->'columns'`.as('columns'), sql<unknown>`extracted_data->'results'`.as('results')])
      .where(sql<boolean>`task_id = any(${tasks.map((task) => task.id)}::uuid[])`)
      .orderBy('id')
      .execute();
    const byTask = Map.groupBy(results, (result) => result.task_id);
    const rows: ExportRow[] = [];
    for (const task of tasks) {
      for (const result of byTask.get(task.id) ?? []) appendDocumentRows(rows, fields, { ...result, source_type: task.source_type, file_name: task.file_name });
    }
    if (rows.length > 0) yield rows;
    if (tasks.length < batchSize) return;
    const last = tasks[tasks.length - 1]!;
    after = { name: last.file_name, taskId: last.id };
  }
}

function appendDocumentRows(out: ExportRow[], fields: readonly FieldSpec[], result: { columns: unknown; results: unknown; source_type: string | null; file_name: string }): void {
  if (!Array.isArray(result.results)) return;
  const columns = Array.isArray(result.columns) ? result.columns.map(String) : [];
  // Where each field's value sits in the answer's rows.
  const positions = fields.map((field, i) => {
    const at = columns.indexOf(field.name);
    return at >= 0 ? at : columns.length === 0 ? i : -1;
  });
  const sourceType = sourceTypes.has(result.source_type as SourceType) ? (result.source_type as SourceType) : 'upload';
  for (const answerRow of result.results) {
    if (!Array.isArray(answerRow)) continue;
    out.push({
      values: positions.map((at) => (at >= 0 ? answerRow[at] ?? null : null)),
      sourceFileName: result.file_name,
      sourceType,
    });
  }
}

/** How many sheet rows the run gives (the rows of a file delivered by an earlier attempt). */
export async function countExportRows(db: Kysely<Database>, runId: string): Promise<number> {
  const row = await db.selectFrom('extraction_results')
    .select(sql<string>`coalesce(sum(CASE WHEN jsonb_typeof(extracted_data->'results') = 'array' THEN jsonb_array_length(extracted_data->'results') ELSE 0 END), 0)`.as('rows'))
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return Number(row.rows);
}
