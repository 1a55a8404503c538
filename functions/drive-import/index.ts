import * as functions from '@google-cloud/functions-framework';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { stageHandler } from '../../shared/stages.js';

/** `drive-import` (Pub/Sub `drive.import.requested`): imports a connector job's Drive files and folders, or syncs a folder's changes. */
export const driveImport = pubsubHandler('drive.import.requested', async (message) => stageHandler('drive.import.requested')(await getPlatform(), message));

functions.cloudEvent('drive-import', driveImport);
