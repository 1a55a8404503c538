import { AsyncLocalStorage } from 'node:async_hooks';
import { PermanentError } from './errors.js';
import type { Logger } from './log.js';

/**
 * The one structured completion line each stage writes per unit of work (a message, a
 * task), which the log-based metrics read (shared/ARCHITECTURE.md, "Logs and traces"):
 *
 *   { "event": "unit_finished", "stage": "extraction", "outcome": "retried",
 *     "durationMs": 1840, "attempt": 2, "errorClass": "RetryAfterError",
 *     "inputTokens": 1200, "outputTokens": 85, "logging.googleapis.com/trace": "..." }
 *
 * The stage notes what it learns as it goes (`noteUnit`); `runUnitOfWork` times the unit
 * and writes the line once, also when the unit throws.
 */
export const UNIT_FINISHED_EVENT = 'unit_finished';

/** The stage (function) name each message's unit of work is logged under. */
export const stageNames = {
  'run.requested': 'run-initializer',
  extraction: 'extraction',
  'run.completed': 'export-on-run-completed',
  'export.requested': 'export',
  'drive.import.requested': 'drive-import',
  'gmail.import.requested': 'gmail-import',
  'gmail.notification': 'gmail-push',
  webhook: 'webhook',
} as const;

/** What a unit ended as: done, failed for good, rescheduled, nothing to do (duplicate), or threw (the platform retries). */
export type UnitOutcome = 'completed' | 'failed' | 'retried' | 'skipped' | 'error';

export interface UnitNote {
  outcome?: UnitOutcome;
  attempt?: number;
  errorClass?: string;
  inputTokens?: number;
  outputTokens?: number;
}

export interface UnitFinishedLine extends Required<Pick<UnitNote, 'outcome'>> {
  event: typeof UNIT_FINISHED_EVENT;
  stage: string;
  durationMs: number;
  attempt: number | null;
  errorClass: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

const notes = new AsyncLocalStorage<UnitNote>();

/** Records what the running unit of work has learnt (its attempt, outcome, tokens); a no-op outside one. */
export function noteUnit(note: UnitNote): void {
  const store = notes.getStore();
  if (store) Object.assign(store, note);
}

/**
 * Runs `fn` collecting what it notes into `note`: the edges add these fields to their one
 * delivery line (`attempt`, `errorClass`, `inputTokens`, `outputTokens`, and the stage's own
 * `unitOutcome`), so a delivery still writes exactly one line.
 */
export function collectUnitNotes<T>(note: UnitNote, fn: () => Promise<T>): Promise<T> {
  return notes.run(note, fn);
}

/** The note as fields of a log line. */
export function unitNoteFields(note: UnitNote) {
  return {
    event: UNIT_FINISHED_EVENT, unitOutcome: note.outcome ?? null, attempt: note.attempt ?? null, errorClass: note.errorClass ?? null,
    inputTokens: note.inputTokens ?? null, outputTokens: note.outputTokens ?? null,
  };
}

/**
 * Runs one unit of work of `stage` and writes its completion line: the outcome noted by
 * the stage (`completed` when it noted none), or `failed` (PermanentError) / `error` with
 * the error's class when it threw (rethrown: the edge decides what the platform does with it).
 */
export async function runUnitOfWork<T>(log: Logger, stage: string, fn: () => Promise<T>): Promise<T> {
  const note: UnitNote = {};
  const started = performance.now();
  const write = () => {
    const line: UnitFinishedLine = {
      event: UNIT_FINISHED_EVENT, stage, outcome: note.outcome ?? 'completed', durationMs: Math.round(performance.now() - started),
      attempt: note.attempt ?? null, errorClass: note.errorClass ?? null, inputTokens: note.inputTokens ?? null, outputTokens: note.outputTokens ?? null,
    };
    const severity = line.outcome === 'failed' || line.outcome === 'error' ? 'error' : line.outcome === 'retried' ? 'warn' : 'info';
    const { event, ...fields } = line;
    log[severity](`${stage} ${line.outcome}`, { event, ...fields });
  };
  try {
    const result = await notes.run(note, fn);
    write();
    return result;
  } catch (error) {
    // A PermanentError is acknowledged at the edge: the unit failed for good. Anything else is retried.
    Object.assign(note, { outcome: error instanceof PermanentError ? 'failed' : 'error', errorClass: error instanceof Error ? error.name : typeof error });
    write();
    throw error;
  }
}
