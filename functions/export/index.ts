import * as functions from '@google-cloud/functions-framework';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { stageHandler } from '../../shared/stages.js';

/**
 * `export` (Pub/Sub `export.requested`): streams a run's results as CSV or XLSX into the
 * download bucket, a Drive folder or a Gmail message, and records the outcome.
 */
export const exportStage = pubsubHandler('export.requested', async (message) => stageHandler('export.requested')(await getPlatform(), message));

/**
 * `export-on-run-completed` (Pub/Sub `run.completed`): when an automation started the run,
 * creates the export its `export_config` asks for. A second trigger, so a second function
 * from this folder: one Cloud Function has one event trigger.
 */
export const exportOnRunCompleted = pubsubHandler('run.completed', async (message) => stageHandler('run.completed')(await getPlatform(), message));

functions.cloudEvent('export', exportStage);
functions.cloudEvent('export-on-run-completed', exportOnRunCompleted);
