import * as functions from '@google-cloud/functions-framework';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { stageHandler } from '../../shared/stages.js';

/** `gmail-import` (Pub/Sub `gmail.import.requested`): imports a connector job's Gmail attachments, unpacking ZIP archives. */
export const gmailImport = pubsubHandler('gmail.import.requested', async (message) => stageHandler('gmail.import.requested')(await getPlatform(), message));

functions.cloudEvent('gmail-import', gmailImport);
