/** Exports of runs: the api's requests, the export stage and its destinations, automation exports, retention. */
export { exportRun, type ExportRunOptions } from './export-run.js';
export { exportAutomationRun, automationExportConfig } from './automation-exports.js';
export {
  findExport, listExports, requestExport, resolveExportAccount, exportDestinations, exportFileTypes,
  type ExportDestination, type ExportOptions, type ExportRequest, type ExportStatus, type ExportView,
} from './exports.js';
export { DRIVE_EXPORT_KEY, exportMessageId, exportObjectName, GMAIL_ATTACHMENT_LIMIT_BYTES } from './destinations.js';
export { deleteExpiredDownloadExport, deleteExpiredDownloadExports, findExpiredDownloadExports, DEFAULT_EXPORT_RETENTION_DAYS } from './retention.js';
export { sweepStuckExports } from './sweep.js';
export { EXPORT_LEASE_SECONDS, MAX_EXPORT_ATTEMPTS } from './claim.js';
