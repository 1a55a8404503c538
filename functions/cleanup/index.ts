import * as functions from '@google-cloud/functions-framework';
import type { Request, Response } from 'express';
import { logContextFromHeaders, withLogContext } from '../../shared/log.js';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { getPlatform } from '../../shared/platform.js';
import { runUnitOfWork } from '../../shared/unit-log.js';

/** `cleanup` (Cloud Scheduler, HTTP): outbox sweep, stuck work, retention, watch renewal; answers what it did. */
export async function cleanup(req: Request, res: Response): Promise<void> {
  await withLogContext(logContextFromHeaders((name) => req.get(name) ?? undefined), async () => {
    const platform = await getPlatform();
    const report = await runUnitOfWork(platform.log, 'cleanup', () => runCleanup(platform));
    platform.log.info('cleanup finished', { ...report });
    res.status(200).json(report);
  });
}

functions.http('cleanup', cleanup);
