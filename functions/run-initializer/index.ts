import * as functions from '@google-cloud/functions-framework';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { runRequestedStage } from '../../shared/stages/run-requested.js';

/** `run-initializer` (Pub/Sub `run.requested`): numbers the run, snapshots it, creates and enqueues its tasks. */
export const runInitializer = pubsubHandler('run.requested', async (message) => runRequestedStage(await getPlatform(), message));

functions.cloudEvent('run-initializer', runInitializer);
