import { handleGmailNotification } from './automations/gmail-push.js';
import type { MessageName, MessageOf } from './messaging/contracts.js';
import { runConnectorJob } from './imports/import-stage.js';
import { exportRun } from './export-runs/export-run.js';
import type { Platform } from './platform.js';
import { extractionStage } from './stages/extraction.js';
import { runCompletedStage } from './stages/run-completed.js';
import { runRequestedStage } from './stages/run-requested.js';
import { webhookStage } from './stages/webhook.js';
import { runUnitOfWork, stageNames } from './unit-log.js';

/**
 * Which stage consumes which message, written once: the local stack subscribes these to
 * the in-process dispatcher. Each Cloud Function in functions/ imports its own stage's
 * module directly (not this table), so its deployed bundle holds that stage's code only.
 * Each handler commits its change with the messages it causes (outbox) and relays them
 * before returning.
 */
type StageHandlers = { [N in MessageName]?: (platform: Platform, message: MessageOf<N>, signal?: AbortSignal) => Promise<void> };

const handlers: StageHandlers = {
  'run.requested': runRequestedStage,
  extraction: extractionStage,
  'run.completed': runCompletedStage,
  'export.requested': async (platform, message, signal) => {
    await exportRun(platform, message, { signal });
  },
  'drive.import.requested': (platform, message) => runConnectorJob(platform, 'drive.import.requested', message),
  'gmail.import.requested': (platform, message) => runConnectorJob(platform, 'gmail.import.requested', message),
  'gmail.notification': (platform, message) => handleGmailNotification(platform, message),
  webhook: webhookStage,
};

/** The table, each handler writing its unit's completion line (shared/unit-log.ts), as the edges do in production. */
export const stageHandlers: StageHandlers = Object.fromEntries(
  Object.entries(handlers).map(([name, handler]) => [
    name,
    (platform: Platform, message: never, signal?: AbortSignal) =>
      runUnitOfWork(platform.log, stageNames[name as MessageName], () => handler(platform, message, signal)),
  ]),
) as StageHandlers;

/** The handler of `name`, or a clear error when no stage consumes it. */
export function stageHandler<N extends MessageName>(name: N): (platform: Platform, message: MessageOf<N>, signal?: AbortSignal) => Promise<void> {
  const handler = stageHandlers[name];
  if (!handler) throw new Error(`No stage consumes ${name}`);
  return handler as (platform: Platform, message: MessageOf<N>, signal?: AbortSignal) => Promise<void>;
}
