/** The type of one field of a job, as snapshotted on the run being exported. */
export type FieldType = 'text' | 'number' | 'date' | 'currency' | 'boolean' | 'list';

/** One field column of the export, in the run's field order. */
export interface ExportColumn {
  name: string;
  type: FieldType;
}

/** Where the document behind a row came from. */
export type SourceType = 'upload' | 'gdrive' | 'gmail';

/**
 * One result row as stored in JSON: `values` holds one entry per field column (numbers,
 * 'YYYY-MM-DD' strings, booleans, string arrays, null). A document may yield several rows.
 */
export interface ExportRow {
  values: unknown[];
  sourceFileName: string;
  sourceType: SourceType;
  /** Where each value was read, parallel to `values`, when the export asked for sources. */
  citations?: (ExportCitation | null)[];
}

/** A value's citation as stored (`extraction_results.citations`). */
export interface ExportCitation {
  page: number | null;
  quote: string | null;
  verified?: boolean | null;
}

/** The file formats an export can be written in. */
export type ExportFileType = 'csv' | 'xlsx';

/** What a writer reports once the file is flushed. */
export interface ExportSummary {
  /** Data rows written, the header row not counted. */
  rows: number;
}
