/**
 * The extraction seam (shared/ARCHITECTURE.md, "Platform seams"): one interface, a Gemini
 * implementation for production and a deterministic local one, side by side. How the
 * stage treats each error: shared/ARCHITECTURE.md, "Retry matrix".
 */

import { recognisedAcrossCopies } from '../errors.js';
import type { Citation } from './answer-rows.js';

export type FieldType = 'text' | 'number' | 'date' | 'currency' | 'boolean' | 'list';

/** One column the user asked for, as snapshotted on the run. */
export interface FieldSpec {
  name: string;
  type: FieldType;
  description?: string | null;
  required: boolean;
}

export interface ExtractionRequest {
  fields: FieldSpec[];
  /** `uri` is a `gs://` URI in production, whatever the blob seam hands out locally. */
  file: {
    uri: string;
    mimeType: string;
    filename: string;
    /**
     * The bytes to read instead of `uri`, when the caller holds them: a page window of a
     * long PDF (`page-windows.ts`), its pages counted from 1 again.
     */
    bytes?: Buffer;
  };
  /** Versioned so a run records which prompt produced its rows (seed 002 §4.3). */
  systemPrompt: { version: string; text: string };
  model: string;
  signal?: AbortSignal;
}

/** Seed 002 §4.3's `{ columns, results }`, converted from the keyed answer (`answer-rows.ts`), plus who answered and at what cost. */
export interface ExtractionAnswer {
  columns: string[];
  results: unknown[][];
  /** Where each cell was read, parallel to `results`: null for a null cell (`citations.ts`). */
  citations?: (Citation | null)[][];
  /**
   * The text OCR read on each page of the file it was given that had no text layer (the
   * local extractor's scans and images); citations on those pages are verified against it.
   */
  ocrPages?: Array<{ page: number; text: string }>;
  /** The page windows a long PDF was read in, in page order (`page-windows.ts`); absent for one window. */
  windows?: PageWindowReport[];
  /** Which engine produced the rows (`gemini-vertex`, `local-text-v1`), stored with them. */
  engine: string;
  model: string;
  usage: { inputTokens: number | null; outputTokens: number | null };
}

export interface Extractor {
  readonly engine: string;
  /**
   * Extracts one document. Throws PermanentError (retrying cannot help), RetryAfterError
   * (quota), TransientError (network, 5xx) or InvalidAnswerError (off-schema answer).
   */
  extract(request: ExtractionRequest): Promise<ExtractionAnswer>;
}

/** One page window of a document: its pages, and whether its answer was kept or split for overflowing. */
export interface PageWindowReport {
  firstPage: number;
  lastPage: number;
  outcome: 'completed' | 'split';
  /** Rows the window answered (completed windows). */
  rows?: number;
  durationMs: number;
}

/**
 * The model answered, but not with JSON that fits the schema built from the fields.
 * Seed 002 §4.3: the extraction stage retries it twice, then fails the task with this
 * message, so the message names the row, column and problem.
 */
export class InvalidAnswerError extends Error {
  override readonly name: string = 'InvalidAnswerError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The model stopped at its output token limit (`finishReason` MAX_TOKENS), whether or not
 * what it wrote parses: a cut answer is never complete. `page-windows.ts` splits the
 * window and asks again; an extractor used without windows treats it as any invalid answer.
 */
export class AnswerCutOffError extends InvalidAnswerError {
  override readonly name = 'AnswerCutOffError';
}

// A local launcher's extractor (npm run serve) is another copy of this module than the built function's.
recognisedAcrossCopies(InvalidAnswerError, 'InvalidAnswerError');
recognisedAcrossCopies(AnswerCutOffError, 'AnswerCutOffError');
