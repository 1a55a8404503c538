import * as functions from '@google-cloud/functions-framework';
import { tasksHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { extractionStage } from '../../shared/stages/extraction.js';

/** `extraction` (Cloud Tasks HTTP target): one task, one Gemini call, one result row. */
export const extraction = tasksHandler('extraction', async (task, delivery) => extractionStage(await getPlatform(), task, delivery.signal));

functions.http('extraction', extraction);
