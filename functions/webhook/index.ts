import * as functions from '@google-cloud/functions-framework';
import { tasksHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { stageHandler } from '../../shared/stages.js';

/** `webhook` (Cloud Tasks HTTP target): one attempt of one webhook delivery. */
export const webhook = tasksHandler('webhook', async (task) => stageHandler('webhook')(await getPlatform(), task));

functions.http('webhook', webhook);
