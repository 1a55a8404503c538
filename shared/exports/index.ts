/** The export file layer: typed CSV/XLSX writers, file naming, and the email envelope. */
export type { ExportCitation, ExportColumn, ExportFileType, ExportRow, ExportSummary, FieldType, SourceType } from './types.js';
export { LIST_SEPARATOR, SOURCE_COLUMNS, neutralizeFormula } from './cells.js';
export { writeCsv } from './csv.js';
export { safeSheetName, writeXlsx } from './xlsx.js';
export { exportContentType, exportFileName } from './naming.js';
export { buildExportEmail, toGmailRaw, type ExportEmail } from './mime.js';
