import * as functions from '@google-cloud/functions-framework';
import { exportRun } from '../../shared/export-runs/export-run.js';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';

/**
 * `export` (Pub/Sub `export.requested`): streams a run's results as CSV or XLSX into the
 * download bucket, a Drive folder or a Gmail message, and records the outcome. Its
 * second trigger, `export-on-run-completed`, is its own module (`on-run-completed.ts`).
 */
export const exportStage = pubsubHandler('export.requested', async (message) => exportRun(await getPlatform(), message));

functions.cloudEvent('export', exportStage);
