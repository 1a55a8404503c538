import * as functions from '@google-cloud/functions-framework';
import { pubsubHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { handleGmailNotification } from '../../shared/automations/gmail-push.js';

/**
 * `gmail-push` (Pub/Sub push from the Gmail watch topic, `gmail.notification`): reads the
 * mailbox history since the stored `historyId`, matches the account's automations and
 * starts their import -> run -> export chains (`shared/automations/gmail-push.ts`).
 */
export const gmailPush = pubsubHandler('gmail.notification', async (message) => handleGmailNotification(await getPlatform(), message));

functions.cloudEvent('gmail-push', gmailPush);
