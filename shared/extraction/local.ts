import { PermanentError } from '../errors.js';
import { fieldKeys, toStoredAnswer, type Citation } from './answer-rows.js';
import { coerceCell, type CoerceOptions } from './cells.js';
import { readDocumentText, type DocumentText } from './document-text.js';
import { bestField, labelledLines, vocabularies, type LabelledLine } from './label-match.js';
import type { ExtractionAnswer, ExtractionRequest, Extractor, FieldSpec } from './types.js';

export const LOCAL_ENGINE = 'local-text-v1';

export interface LocalExtractorOptions {
  /** Bytes of the file at `request.file.uri` (the local blob seam). */
  readFile: (uri: string) => Promise<Buffer>;
  /** Read `03/04/2025` as 3 April (default: 4 March, month first). */
  dayFirst?: boolean;
}

/** Cells found for one row, and where each was read (null for a null cell). */
interface FoundRow {
  cells: unknown[];
  sources: (Citation | null)[];
}

/**
 * The embedded default for extraction: no model, no network. Reads a PDF's text layer,
 * a plain-text file or a CSV and fills each field from the line its label is on
 * ("Invoice No: INV-7" fills `invoice_number`), one row per document; a CSV with a
 * header row, or a PDF table under a header row of field labels printed in columns,
 * gives one row per record, the other fields repeated on each. Every value is cited:
 * the page (PDFs) and the line or table cell it was read from. Deterministic, and
 * labelled `local-text-v1` on every answer so its rows are never mistaken for Gemini's.
 *
 * @example
 * const local = createLocalExtractor({ readFile: (uri) => blobs.readAll(uri) });
 */
export function createLocalExtractor(options: LocalExtractorOptions): Extractor {
  const coerce: CoerceOptions = { dayFirst: options.dayFirst ?? false };
  return {
    engine: LOCAL_ENGINE,
    async extract(request: ExtractionRequest): Promise<ExtractionAnswer> {
      request.signal?.throwIfAborted();
      const { fields, file } = request;
      const document = await readDocumentText(file.bytes ?? (await options.readFile(file.uri)), file);
      const found = document.kind === 'lines' ? rowsFromLines(document, fields, coerce) : rowsFromCsv(document.rows, fields, coerce);
      for (const row of found) requireFields(row.cells, fields, file.filename);
      // The object form Gemini answers in, with citations, through the same conversion and checks.
      const keys = fieldKeys(fields);
      const rows = found.map((row) =>
        Object.fromEntries(keys.map((key, i) => [key, { value: row.cells[i], page: row.sources[i]?.page ?? null, quote: row.sources[i]?.quote ?? null }])),
      );
      const { columns, results, citations } = toStoredAnswer(fields, { rows }, { keys, citations: true });
      return { columns, results, citations, engine: LOCAL_ENGINE, model: LOCAL_ENGINE, usage: { inputTokens: null, outputTokens: null } };
    },
  };
}

type Lines = Extract<DocumentText, { kind: 'lines' }>;

/** The rows of a table under a header of field labels, the other fields from their labels; else one row from the labels. */
function rowsFromLines(document: Lines, fields: readonly FieldSpec[], coerce: CoerceOptions): FoundRow[] {
  const labelled = rowFromLines(document, fields, coerce);
  const records = document.cells ? tableRows(document, document.cells, fields, coerce) : [];
  if (records.length === 0) return [labelled];
  return records.map((record) => ({
    cells: record.cells.map((cell, i) => (record.sources[i] ? cell : labelled.cells[i]!)),
    sources: record.sources.map((source, i) => source ?? labelled.sources[i]!),
  }));
}

/** Each field from its best-labelled line whose value reads as the field's type, cited by that line. */
function rowFromLines(document: Lines, fields: readonly FieldSpec[], coerce: CoerceOptions): FoundRow {
  const { lines } = document;
  const hits = labelledLines(lines, fields);
  const row: FoundRow = { cells: [], sources: [] };
  for (const field of fields) {
    let found: { cell: unknown; index: number } | null = null;
    for (const hit of hits.get(field.name) ?? []) {
      const at = field.type === 'list' ? { text: '', index: hit.index } : valueAt(lines, hit);
      const cell = field.type === 'list' ? listAt(lines, hit) : coerceCell(field.type, at.text, coerce);
      if (cell !== null && !(Array.isArray(cell) && cell.length === 0)) {
        found = { cell, index: at.index };
        break;
      }
    }
    row.cells.push(found?.cell ?? null);
    row.sources.push(found ? { page: document.pages?.[found.index] ?? null, quote: lines[found.index]! } : null);
  }
  return row;
}

/** The value after the label, or on the next non-empty line when the label ends the line; and the line it is on. */
function valueAt(lines: readonly string[], hit: LabelledLine): { text: string; index: number } {
  if (hit.value !== '' || !hit.colon) return { text: hit.value, index: hit.index };
  const next = lines.findIndex((line, i) => i > hit.index && line !== '');
  return next < 0 ? { text: '', index: hit.index } : { text: lines[next]!, index: next };
}

/**
 * A table printed in columns: a line whose two or more columns are each a different
 * field's label is a header, and each following line with as many columns is a record,
 * up to a line that has not (a header repeated on the next page starts again). Each
 * value is cited by its page and cell.
 */
function tableRows(document: Lines, cells: readonly string[][], fields: readonly FieldSpec[], coerce: CoerceOptions): FoundRow[] {
  const vocabs = vocabularies(fields);
  const records: FoundRow[] = [];
  let header: number[] | null = null;
  cells.forEach((columns, index) => {
    const matched = columns.length >= 2 ? columns.map((cell) => bestField(cell, vocabs)) : [];
    const fieldIndexes = matched.map((match) => (match ? fields.indexOf(match.field) : -1));
    if (fieldIndexes.length >= 2 && fieldIndexes.every((f) => f >= 0) && new Set(fieldIndexes).size === fieldIndexes.length) {
      header = fieldIndexes;
      return;
    }
    if (!header) return;
    if (columns.length !== header.length) {
      header = null;
      return;
    }
    const record: FoundRow = { cells: fields.map(() => null), sources: fields.map(() => null) };
    header.forEach((f, column) => {
      const cell = coerceCell(fields[f]!.type, columns[column]!, coerce);
      if (cell === null) return;
      record.cells[f] = cell;
      record.sources[f] = { page: document.pages?.[index] ?? null, quote: columns[column]! };
    });
    if (record.cells.some((cell) => cell !== null)) records.push(record);
  });
  return records;
}

/**
 * "Items: a; b" inline, or a table under a heading: each following line up to a blank
 * line or the next "Label:" line is an item, its trailing quantity and price columns cut.
 */
function listAt(lines: readonly string[], hit: LabelledLine): unknown {
  if (hit.colon && hit.value !== '') return coerceCell('list', hit.value);
  const items: string[] = [];
  for (const line of lines.slice(hit.index + 1)) {
    if (line === '' || line.includes(':')) break;
    const item = withoutTrailingFigures(line);
    if (item !== '') items.push(item);
  }
  return items;
}

function withoutTrailingFigures(line: string): string {
  const words = line.split(' ');
  while (words.length > 0 && /^[-+(]?[$€£¥]?\s?[\d.,]+%?\)?$|^[x×@$€£]$|^(USD|EUR|GBP)$/i.test(words.at(-1)!)) words.pop();
  return words.join(' ').trim();
}

/**
 * A CSV whose first row is all field labels is a table, one row per record; any other
 * CSV is read as `label,value` lines.
 */
function rowsFromCsv(rows: readonly string[][], fields: readonly FieldSpec[], coerce: CoerceOptions): FoundRow[] {
  const vocabs = vocabularies(fields);
  const [header = [], ...records] = rows;
  const headerFields = header.map((cell) => (cell === '' ? null : bestField(cell, vocabs)));
  const isTable = records.length > 0 && header.some((cell) => cell !== '') && headerFields.every((match, i) => match || header[i] === '');
  if (!isTable) {
    const lines = rows.map((row) => `${row[0] ?? ''}: ${row.slice(1).filter((cell) => cell !== '').join('; ')}`);
    return [rowFromLines({ kind: 'lines', lines }, fields, coerce)];
  }
  const columnOf = new Map<string, number>();
  headerFields.forEach((match, column) => {
    if (!match) return;
    const taken = columnOf.get(match.field.name);
    if (taken === undefined || match.score > headerFields[taken]!.score) columnOf.set(match.field.name, column);
  });
  return records.map((record) => {
    const row: FoundRow = { cells: [], sources: [] };
    for (const field of fields) {
      const column = columnOf.get(field.name);
      const cell = column === undefined ? null : coerceCell(field.type, record[column] ?? '', coerce);
      row.cells.push(cell);
      row.sources.push(cell === null ? null : { page: null, quote: record[column!]! });
    }
    return row;
  });
}

/** Retrying a deterministic reader cannot find a value it missed, so a gap is permanent. */
function requireFields(row: readonly unknown[], fields: readonly FieldSpec[], filename: string): void {
  const missing = fields.filter((field, i) => field.required && row[i] === null).map((field) => field.name);
  if (missing.length > 0) {
    throw new PermanentError(
      `The local extractor found no value for required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${filename}`,
      'required_field_missing',
    );
  }
}
