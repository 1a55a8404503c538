import * as functions from '@google-cloud/functions-framework';
import type { Request, Response } from 'express';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { getPlatform } from '../../shared/platform.js';

/** `cleanup` (Cloud Scheduler, HTTP): outbox sweep and stuck-task sweep; answers what it did. */
export async function cleanup(_req: Request, res: Response): Promise<void> {
  const platform = await getPlatform();
  const report = await runCleanup(platform);
  platform.log.info('cleanup finished', { ...report });
  res.status(200).json(report);
}

functions.http('cleanup', cleanup);
