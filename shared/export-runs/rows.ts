import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { ExportCitation, ExportColumn, ExportRow, SourceType } from '../exports/index.js';
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

/** One row of a page: a task of the run with one of its results (none: result columns null). */
interface PageRow {
  task_id: string;
  source_type: string | null;
  file_name: string;
  result_id: string | null;
  /** The answer's column list as JSON text (parsed once per distinct text, see `answerPositions`). */
  columns: string | null;
  /** The answer's rows as JSON text, parsed when the page is used (see `readPage`). */
  results: string | null;
  citations?: unknown;
}

/** Where the keyset resumes: after this task in export order. */
interface PageKey {
  name: string;
  taskId: string;
}

/**
 * One page in one query: the next `batchSize` tasks of the run on the export-order index
 * (migration 000018), each joined laterally to its results through the results' task id
 * index (LEFT: a task with no result still moves the keyset). The lateral subquery's
 * ORDER BY keeps the planner from flattening it into a join against a scan of every
 * result. Only the answer's `columns` and `results` leave the database, and with
 * `withCitations` the citations. Both come as JSON text, not parsed by the driver: the page
 * read ahead then waits as a few strings rather than thousands of small objects, which
 * every young-generation GC would copy while it waits.
 */
function readPage(db: Kysely<Database>, runId: string, after: PageKey | undefined, batchSize: number, withCitations: boolean): Promise<PageRow[]> {
  const page = db.selectFrom('extraction_tasks')
    .select(['id', 'source_type', sql<string>`coalesce(source_filename, '')`.as('file_name')])
    .where('run_id', '=', runId)
    .$if(after !== undefined, (qb) => qb.where(sql<boolean>`(${taskFileNameKey}, id) > (${after!.name} COLLATE "C", ${after!.taskId}::uuid)`))
    .orderBy(taskFileNameKey)
    .orderBy('id')
    .limit(batchSize);
  return db.selectFrom(page.as('t'))
    .leftJoinLateral(
      (eb) => eb.selectFrom('extraction_results as x')
        .select(['x.id', sql<string>`(x.extracted_data->'columns')::text`.as('columns'), sql<string>`(x.extracted_data->'results')::text`.as('results')])
        .$if(withCitations, (qb) => qb.select('x.citations'))
        .whereRef('x.task_id', '=', 't.id')
        .orderBy('x.id')
        .as('r'),
      (join) => join.onTrue(),
    )
    .select(['t.id as task_id', 't.source_type', 't.file_name', 'r.id as result_id', 'r.columns', 'r.results'])
    .$if(withCitations, (qb) => qb.select('r.citations'))
    .orderBy(sql`t.file_name COLLATE "C"`)
    .orderBy('t.id')
    .orderBy('r.id')
    .execute() as Promise<PageRow[]>;
}

/**
 * The sheet rows of a run, batch by batch: one per row of each document's answer, values in
 * the snapshot's field order (matched by column name, by position when the answer has no
 * column list), with the document's file name and source type.
 *
 * Keyset pagination over the run's tasks by (file name, task id), one query per page (see
 * `readPage`), not a cursor: PGlite cannot stream a cursor and a pooled connection should
 * not be held for the whole upload. The next page's query is sent as soon as a page
 * arrives, so the database reads it while this one is written (two pages in memory at
 * most, as with a cursor that fetches ahead); a round trip per page is then hidden rather
 * than waited for. Rows come out ordered by file name (byte order, the same on every server
 * whatever its locale), then task id, then result id.
 *
 * @example await writeCsv(exportColumns(fields), exportRowBatches(db, runId, fields), out)
 */
export async function* exportRowBatches(
  db: Kysely<Database>, runId: string, fields: readonly FieldSpec[], opts: { batchSize?: number; signal?: AbortSignal; withCitations?: boolean } = {},
): AsyncGenerator<ExportRow[]> {
  const batchSize = opts.batchSize ?? EXPORT_BATCH_DOCUMENTS;
  const withCitations = opts.withCitations === true;
  const positionsOf = answerPositions(fields);
  let next: Promise<PageRow[]> | undefined = readPage(db, runId, undefined, batchSize, withCitations);
  try {
    while (next) {
      opts.signal?.throwIfAborted();
      const page = await next;
      next = undefined;
      let tasks = 0;
      for (let i = 0; i < page.length; i++) if (i === 0 || page[i]!.task_id !== page[i - 1]!.task_id) tasks++;
      if (tasks === batchSize) {
        const last = page[page.length - 1]!;
        next = readPage(db, runId, { name: last.file_name, taskId: last.task_id }, batchSize, withCitations);
        // Awaited on the next turn; until then a failure must not count as unhandled.
        next.catch(() => undefined);
      }
      const rows: ExportRow[] = [];
      for (const row of page) if (row.result_id !== null) appendDocumentRows(rows, fields.length, positionsOf(row.columns), row);
      if (rows.length > 0) yield rows;
    }
  } finally {
    // Stopped early (an error, an abort): let the page read ahead finish before returning,
    // so no query of this export outlives it.
    await next?.catch(() => undefined);
  }
}

/**
 * For each field, where its value sits in an answer row given the answer's column list as
 * JSON text: by name, by position when there is no list, -1 when the list lacks it. The
 * documents of a run nearly always share one list, so the last text's answer is kept.
 */
function answerPositions(fields: readonly FieldSpec[]): (columnsJson: string | null) => number[] {
  let lastJson: string | null | undefined;
  let lastPositions: number[] = [];
  return (columnsJson) => {
    if (columnsJson === lastJson) return lastPositions;
    const parsed: unknown = columnsJson === null ? null : JSON.parse(columnsJson);
    const columns = Array.isArray(parsed) ? parsed.map(String) : [];
    lastPositions = fields.map((field, i) => {
      const at = columns.indexOf(field.name);
      return at >= 0 ? at : columns.length === 0 ? i : -1;
    });
    lastJson = columnsJson;
    return lastPositions;
  };
}

const isIdentity = (positions: readonly number[]) => positions.every((at, i) => at === i);

function appendDocumentRows(out: ExportRow[], fieldCount: number, positions: readonly number[], result: PageRow): void {
  const answerRows: unknown = result.results === null ? null : JSON.parse(result.results);
  if (!Array.isArray(answerRows)) return;
  const sourceType = sourceTypes.has(result.source_type as SourceType) ? (result.source_type as SourceType) : 'upload';
  const citations = 'citations' in result ? (Array.isArray(result.citations) ? (result.citations as unknown[]) : []) : undefined;
  // An answer row already in field order, one value per field, is the row's values as is
  // (JSON arrays hold no undefined, so `?? null` would change nothing).
  const identity = isIdentity(positions);
  answerRows.forEach((answerRow: unknown, r: number) => {
    if (!Array.isArray(answerRow)) return;
    const row: ExportRow = {
      values: identity && answerRow.length === fieldCount ? answerRow : positions.map((at) => (at >= 0 ? answerRow[at] ?? null : null)),
      sourceFileName: result.file_name,
      sourceType,
    };
    if (citations) {
      const cited = Array.isArray(citations[r]) ? (citations[r] as (ExportCitation | null)[]) : [];
      row.citations = positions.map((at) => (at >= 0 ? cited[at] ?? null : null));
    }
    out.push(row);
  });
}

/** How many sheet rows the run gives (the rows of a file delivered by an earlier attempt). */
export async function countExportRows(db: Kysely<Database>, runId: string): Promise<number> {
  const row = await db.selectFrom('extraction_results')
    .select(sql<string>`coalesce(sum(CASE WHEN jsonb_typeof(extracted_data->'results') = 'array' THEN jsonb_array_length(extracted_data->'results') ELSE 0 END), 0)`.as('rows'))
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return Number(row.rows);
}
