import { PermanentError } from '../errors.js';
import { fieldKeys, toStoredAnswer } from './answer-rows.js';
import { coerceCell, type CoerceOptions } from './cells.js';
import { readDocumentText } from './document-text.js';
import { bestField, labelledLines, vocabularies, type LabelledLine } from './label-match.js';
import type { ExtractionAnswer, ExtractionRequest, Extractor, FieldSpec } from './types.js';

export const LOCAL_ENGINE = 'local-text-v1';

export interface LocalExtractorOptions {
  /** Bytes of the file at `request.file.uri` (the local blob seam). */
  readFile: (uri: string) => Promise<Buffer>;
  /** Read `03/04/2025` as 3 April (default: 4 March, month first). */
  dayFirst?: boolean;
}

/**
 * The embedded default for extraction: no model, no network. Reads a PDF's text layer,
 * a plain-text file or a CSV and fills each field from the line its label is on
 * ("Invoice No: INV-7" fills `invoice_number`), one row per document; a CSV with a
 * header row gives one row per record. Deterministic, and labelled `local-text-v1` on
 * every answer so its rows are never mistaken for Gemini's.
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
      const document = await readDocumentText(await options.readFile(file.uri), file);
      const cells =
        document.kind === 'lines' ? [rowFromLines(document.lines, fields, coerce)] : rowsFromCsv(document.rows, fields, coerce);
      for (const row of cells) requireFields(row, fields, file.filename);
      // The object form Gemini answers in, through the same conversion and checks.
      const keys = fieldKeys(fields);
      const rows = cells.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]])));
      const { columns, results } = toStoredAnswer(fields, { rows }, { keys });
      return { columns, results, engine: LOCAL_ENGINE, model: LOCAL_ENGINE, usage: { inputTokens: null, outputTokens: null } };
    },
  };
}

/** Each field from its best-labelled line whose value reads as the field's type. */
function rowFromLines(lines: readonly string[], fields: readonly FieldSpec[], coerce: CoerceOptions): unknown[] {
  const hits = labelledLines(lines, fields);
  return fields.map((field) => {
    for (const hit of hits.get(field.name) ?? []) {
      const cell = field.type === 'list' ? listAt(lines, hit) : coerceCell(field.type, valueAt(lines, hit), coerce);
      if (cell !== null && !(Array.isArray(cell) && cell.length === 0)) return cell;
    }
    return null;
  });
}

/** The value after the label, or on the next non-empty line when the label ends the line. */
function valueAt(lines: readonly string[], hit: LabelledLine): string {
  if (hit.value !== '' || !hit.colon) return hit.value;
  return lines.slice(hit.index + 1).find((line) => line !== '') ?? '';
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
function rowsFromCsv(rows: readonly string[][], fields: readonly FieldSpec[], coerce: CoerceOptions): unknown[][] {
  const vocabs = vocabularies(fields);
  const [header = [], ...records] = rows;
  const headerFields = header.map((cell) => (cell === '' ? null : bestField(cell, vocabs)));
  const isTable = records.length > 0 && header.some((cell) => cell !== '') && headerFields.every((match, i) => match || header[i] === '');
  if (!isTable) {
    const lines = rows.map((row) => `${row[0] ?? ''}: ${row.slice(1).filter((cell) => cell !== '').join('; ')}`);
    return [rowFromLines(lines, fields, coerce)];
  }
  const columnOf = new Map<string, number>();
  headerFields.forEach((match, column) => {
    if (!match) return;
    const taken = columnOf.get(match.field.name);
    if (taken === undefined || match.score > headerFields[taken]!.score) columnOf.set(match.field.name, column);
  });
  return records.map((record) =>
    fields.map((field) => {
      const column = columnOf.get(field.name);
      return column === undefined ? null : coerceCell(field.type, record[column] ?? '', coerce);
    }),
  );
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
