import * as functions from '@google-cloud/functions-framework';
import { googleCallerCheckFromEnv, requireGoogleCaller } from '../../shared/auth/google-oidc.js';
import { tasksHandler } from '../../shared/messaging/edge.js';
import { getPlatform } from '../../shared/platform.js';
import { extractionStage } from '../../shared/stages/extraction.js';

/**
 * `extraction` (Cloud Tasks HTTP target): one task, one Gemini call, one result row. In
 * production only the queue's OIDC token (audience EXTRACTION_URL, email
 * TASKS_INVOKER_SERVICE_ACCOUNT) gets past the door; anyone else is answered 401/403.
 */
export const extraction = requireGoogleCaller(
  googleCallerCheckFromEnv('extraction'),
  tasksHandler('extraction', async (task, delivery) => extractionStage(await getPlatform(), task, delivery.signal)),
);

functions.http('extraction', extraction);
