import * as functions from '@google-cloud/functions-framework';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { runCompletedStage } from '../../shared/stages/run-completed.js';

/**
 * `export-on-run-completed` (Pub/Sub `run.completed`): when an automation started the run,
 * creates the export its `export_config` asks for. A second trigger, so a second function
 * from this folder: one Cloud Function has one event trigger. Its own module, so its
 * deployed bundle leaves out the spreadsheet writers the `export` function needs.
 */
export const exportOnRunCompleted = pubsubHandler('run.completed', async (message) => runCompletedStage(await getPlatform(), message));

functions.cloudEvent('export-on-run-completed', exportOnRunCompleted);
