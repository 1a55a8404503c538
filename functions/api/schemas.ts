import { fieldTypes } from '../../shared/jobs/fields.js';
import { z } from '../../shared/http/zod.js';

export const uuid = z.uuid();
export const timestamp = z.string().openapi({ format: 'date-time' });
/** The version of an object users edit (shared/http/versions.ts). */
export const version = z.number().int().min(0).openapi({ description: 'Bumped by every change you make; also the ETag. Send it back in If-Match to change only this version' });

export const fieldInput = z.object({
  name: z.string().trim().min(1).max(255),
  type: z.enum(fieldTypes),
  description: z.string().max(2000).nullish(),
  required: z.boolean().optional(),
}).openapi('FieldInput');

export const field = z.object({
  name: z.string(),
  type: z.enum(fieldTypes),
  description: z.string().nullish(),
  required: z.boolean(),
}).openapi('Field');

export const job = z.object({
  id: uuid,
  name: z.string(),
  templateId: uuid.nullable(),
  fields: z.array(field.extend({ id: uuid })),
  fileCount: z.number().int(),
  autoRun: z.boolean().openapi({ description: 'Files added by upload or import start a run of just those files after a short debounce' }),
  lastRun: z.object({ id: uuid, runNumber: z.number().int(), status: z.string() }).nullable(),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
}).openapi('Job');

export const template = z.object({
  id: uuid,
  name: z.string(),
  description: z.string().nullable(),
  fields: z.array(field),
  isPublic: z.boolean(),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
}).openapi('Template');

export const sourceFile = z.object({
  id: uuid,
  jobId: uuid,
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sourceType: z.enum(['upload', 'gdrive', 'gmail']),
  externalId: z.string().nullable(),
  status: z.string(),
  errorMessage: z.string().nullable(),
  createdAt: timestamp,
}).openapi('SourceFile');

export const runStatus = z.enum(['pending', 'in_progress', 'partially_completed', 'completed', 'failed', 'cancelled']);

export const runTiming = z.object({
  attempts: z.number().int().openapi({ description: 'Extraction attempts counted' }),
  queueWaitMs: z.number().int().openapi({ description: 'Summed time tasks waited in the queue past their due time' }),
  modelMs: z.number().int().openapi({ description: 'Summed time waiting for the model' }),
  writeMs: z.number().int().openapi({ description: 'Summed time of the rest of each attempt: reading, recording results' }),
  initializeMs: z.number().int().nullable().openapi({ description: 'The run initializer\'s own time' }),
}).openapi('RunTiming');

export const run = z.object({
  id: uuid,
  jobId: z.string(),
  runNumber: z.number().int().nullable().openapi({ description: 'null until the run initializer has numbered the run' }),
  status: runStatus,
  trigger: z.string(),
  tasksTotal: z.number().int(),
  tasksCompleted: z.number().int(),
  tasksFailed: z.number().int(),
  operationId: uuid.nullable(),
  errorMessage: z.string().nullable(),
  startedAt: timestamp.nullable(),
  completedAt: timestamp.nullable(),
  createdAt: timestamp,
  timing: runTiming.optional().openapi({ description: 'Where the run\'s time went (GET /v1/runs/{runId} only)' }),
}).openapi('Run');

export const operation = z.object({
  id: uuid,
  kind: z.string(),
  subjectId: z.string().nullable(),
  status: z.string(),
  pct: z.number().int().min(0).max(100),
  stage: z.string().nullable(),
  errorMessage: z.string().nullable(),
  updatedAt: timestamp,
  steps: z.array(z.object({
    name: z.string(),
    status: z.enum(['started', 'completed', 'failed', 'retried']),
    startedAt: timestamp.nullable(),
    durationMs: z.number().int().nullable(),
    retryCount: z.number().int(),
    errorMessage: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
  }).openapi('OperationStep')).openapi({ description: 'The audit trail: one entry per attempt of each step, in the order they started (at most 500)' }),
  timing: runTiming.nullable().openapi({ description: 'For a run: where its time went' }),
}).openapi('Operation');

export const citation = z.object({
  page: z.number().int().min(1).nullable().openapi({ description: 'The page the value is printed on, from 1; null for a file without pages (CSV, plain text)' }),
  quote: z.string().nullable().openapi({ description: 'The words the value was read from, as quoted by the extractor' }),
  verified: z.boolean().nullable().openapi({ description: "true when the quote is on that page of the PDF's text layer, or, for a page or image the local extractor read by OCR, of its OCR text (whitespace and case ignored), false when it is not; null when there is no text to check" }),
}).openapi('Citation');

export const resultRow = z.object({
  taskId: uuid,
  sourceFileName: z.string(),
  sourceType: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  citations: z.array(z.array(citation.nullable())).nullable().openapi({
    description: 'Where each value was read, parallel to rows (null for a null value); null for results extracted before citations were kept',
  }),
  engine: z.string().nullable(),
  model: z.string().nullable(),
}).openapi('ResultRow');

export const taskStatus = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']);

export const task = z.object({
  taskId: uuid,
  status: taskStatus,
  sourceFileId: uuid.nullable().openapi({ description: 'The file the task reads (null once the file was deleted)' }),
  sourceFileName: z.string(),
  sourceType: z.string(),
  attempts: z.number().int(),
  errorCode: z.string().nullable().openapi({ description: 'failed: a short machine-readable reason, e.g. unreadable_file' }),
  errorMessage: z.string().nullable().openapi({ description: 'failed: why the file could not be extracted' }),
  processedAt: timestamp.nullable(),
}).openapi('Task');

const cellChange = z.enum(['added', 'removed', 'changed', 'same']);
const changeCounts = z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int(), same: z.number().int() });

export const runDiff = z.object({
  runId: uuid,
  againstRunId: uuid,
  fields: z.object({
    added: z.array(z.string()).openapi({ description: 'In this run\'s field snapshot only' }),
    removed: z.array(z.string()).openapi({ description: 'In the other run\'s field snapshot only' }),
    kept: z.array(z.string()),
  }),
  summary: z.object({ rows: changeCounts, cells: changeCounts }).openapi({ description: 'Counts over every row, not just this page' }),
  items: z.array(z.object({
    sourceFileName: z.string(),
    rowIndex: z.number().int().openapi({ description: 'The row within its source file, from 0' }),
    status: cellChange,
    cells: z.array(z.object({ field: z.string(), status: cellChange, before: z.unknown(), after: z.unknown() })),
  })),
  nextCursor: z.string().nullable(),
}).openapi('RunDiff');

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const jobParams = z.object({ jobId: uuid });
export const runParams = z.object({ runId: uuid });
