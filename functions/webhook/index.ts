import * as functions from '@google-cloud/functions-framework';
import { googleCallerCheckFromEnv, requireGoogleCaller } from '../../shared/auth/google-oidc.js';
import { tasksHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { webhookStage } from '../../shared/stages/webhook.js';

/**
 * `webhook` (Cloud Tasks HTTP target): one attempt of one webhook delivery. In production
 * only the queue's OIDC token (audience WEBHOOK_URL, email TASKS_INVOKER_SERVICE_ACCOUNT)
 * gets past the door.
 */
export const webhook = requireGoogleCaller(
  googleCallerCheckFromEnv('webhook'),
  tasksHandler('webhook', async (task) => webhookStage(await getPlatform(), task)),
);

functions.http('webhook', webhook);
