import * as functions from '@google-cloud/functions-framework';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { runConnectorJob } from '../../shared/imports/import-stage.js';

/** `drive-import` (Pub/Sub `drive.import.requested`): imports a connector job's Drive files and folders, or syncs a folder's changes. */
export const driveImport = pubsubHandler('drive.import.requested', async (message) => runConnectorJob(await getPlatform(), 'drive.import.requested', message));

functions.cloudEvent('drive-import', driveImport);
