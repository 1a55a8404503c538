import * as functions from '@google-cloud/functions-framework';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { runConnectorJob } from '../../shared/imports/import-stage.js';

/** `gmail-import` (Pub/Sub `gmail.import.requested`): imports a connector job's Gmail attachments, unpacking ZIP archives. */
export const gmailImport = pubsubHandler('gmail.import.requested', async (message) => runConnectorJob(await getPlatform(), 'gmail.import.requested', message));

functions.cloudEvent('gmail-import', gmailImport);
