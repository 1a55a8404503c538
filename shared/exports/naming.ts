import type { ExportFileType } from './types.js';

const CONTENT_TYPES: Record<ExportFileType, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The MIME content type of an export file (GCS object, Drive upload, email attachment). */
export function exportContentType(fileType: ExportFileType): string {
  return CONTENT_TYPES[fileType];
}

const MAX_JOB_NAME_CHARACTERS = 80;

/**
 * A readable file name that is safe on every file system and in Content-Disposition:
 * the job name with path separators, Windows-reserved and control characters replaced,
 * whitespace collapsed, at most 80 characters (never splitting a character), then the run.
 *
 * @example exportFileName('Invoices: Q3/2025', 12, 'xlsx') // 'Invoices- Q3-2025 - run 12.xlsx'
 */
export function exportFileName(jobName: string, runNumber: number, fileType: ExportFileType): string {
  const cleaned = jobName
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[<>:"/\\|?*]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  const job = Array.from(cleaned)
    .slice(0, MAX_JOB_NAME_CHARACTERS)
    .join('')
    .replace(/^[.\s-]+|[.\s]+$/g, '');
  const run = Number.isSafeInteger(runNumber) && runNumber > 0 ? runNumber : 0;
  return `${job || 'export'} - run ${run}.${fileType}`;
}
