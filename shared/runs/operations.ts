import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { listSteps, runTiming, type RunTiming, type StepView } from '../operations/steps.js';

export interface OperationProgress {
  id: string;
  kind: string;
  subjectId: string | null;
  status: string;
  pct: number;
  stage: string | null;
  errorMessage: string | null;
  updatedAt: string;
  steps: StepView[];
  timing: RunTiming | null;
}

/**
 * Progress of one of `userId`'s operations, with its step audit trail (and, for a run,
 * where its time went). A run's progress is read from its counters
 * (so finishing a task costs no extra write); other operations store pct and stage.
 */
export async function findOperation(db: Kysely<Database>, userId: string, operationId: string): Promise<OperationProgress> {
  const op = await db.selectFrom('operations').selectAll().where('id', '=', operationId).where('user_id', '=', userId).executeTakeFirst();
  if (!op) throw new HttpError(404, 'not_found', 'Operation not found');
  const view: OperationProgress = {
    id: op.id, kind: op.kind, subjectId: op.subject_id, status: op.status, pct: op.pct, stage: op.stage, errorMessage: op.error_message, updatedAt: op.updated_at.toISOString(),
    steps: await listSteps(db, op.id), timing: op.kind === 'run' ? await runTiming(db, op.id) : null,
  };
  if (op.kind === 'run' && op.status === 'in_progress' && op.subject_id) {
    const run = await db.selectFrom('job_runs').select(['tasks_total', 'tasks_completed', 'tasks_failed']).where('id', '=', op.subject_id).executeTakeFirst();
    if (run && run.tasks_total > 0) {
      const done = run.tasks_completed + run.tasks_failed;
      view.pct = Math.min(99, Math.floor((done / run.tasks_total) * 100));
      view.stage = `Extracting: ${done} of ${run.tasks_total} files done${run.tasks_failed ? ` (${run.tasks_failed} failed)` : ''}`;
    }
  }
  return view;
}
