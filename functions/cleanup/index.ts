import * as functions from '@google-cloud/functions-framework';
import type { Request, Response } from 'express';
import { googleCallerCheckFromEnv, requireGoogleCaller } from '../../shared/auth/google-oidc.js';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { getPlatform } from '../../shared/platform.js';

/**
 * `cleanup` (Cloud Scheduler, HTTP): outbox sweep and stuck-task sweep; answers what it
 * did. In production only the scheduler's OIDC token (audience CLEANUP_URL, email
 * CLEANUP_INVOKER_SERVICE_ACCOUNT) gets past the door.
 */
export const cleanup = requireGoogleCaller(googleCallerCheckFromEnv('cleanup'), async (_req: Request, res: Response): Promise<void> => {
  const platform = await getPlatform();
  const report = await runCleanup(platform);
  platform.log.info('cleanup finished', { ...report });
  res.status(200).json(report);
});

functions.http('cleanup', cleanup);
