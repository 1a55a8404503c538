import { settleAutomationRuns } from './automations/chain.js';
import { handleGmailNotification } from './automations/gmail-push.js';
import type { MessageName, MessageOf } from './messaging/contracts.js';
import { runConnectorJob } from './imports/import-stage.js';
import { exportAutomationRun } from './export-runs/automation-exports.js';
import { exportRun } from './export-runs/export-run.js';
import { relayAfterCommit } from './outbox/outbox.js';
import type { Platform } from './platform.js';
import { extractTask } from './runs/extract-task.js';
import { initializeRun } from './runs/initialize-run.js';
import { deliverWebhook } from './webhooks/deliver.js';
import { emitRunCompleted } from './webhooks/events.js';

/**
 * Which stage consumes which message, written once: the Cloud Functions in functions/
 * wrap these in their trigger's edge adapter, and the local stack subscribes them to the
 * in-process dispatcher. Each handler commits its change with the messages it causes
 * (outbox) and relays them before returning.
 */
export const stageHandlers: { [N in MessageName]?: (platform: Platform, message: MessageOf<N>, signal?: AbortSignal) => Promise<void> } = {
  'run.requested': async (platform, message) => {
    await relayAfterCommit(platform, await initializeRun(platform.database.db, message, platform.defaultModel));
  },
  extraction: async (platform, message, signal) => {
    const stage = { db: platform.database.db, blobs: platform.blobs, extractor: platform.extractor, workerId: platform.workerId };
    await relayAfterCommit(platform, await extractTask(stage, message, signal));
  },
  'run.completed': async (platform, message) => {
    await relayAfterCommit(platform, await exportAutomationRun(platform.database.db, message));
    await relayAfterCommit(platform, await settleAutomationRuns(platform.database.db, message));
    await relayAfterCommit(platform, await emitRunCompleted(platform.database.db, message));
  },
  'export.requested': async (platform, message, signal) => {
    await exportRun(platform, message, { signal });
  },
  'drive.import.requested': (platform, message) => runConnectorJob(platform, 'drive.import.requested', message),
  'gmail.import.requested': (platform, message) => runConnectorJob(platform, 'gmail.import.requested', message),
  'gmail.notification': (platform, message) => handleGmailNotification(platform, message),
  webhook: (platform, message) => deliverWebhook(platform, message),
};

/** The handler of `name`, or a clear error when no stage consumes it. */
export function stageHandler<N extends MessageName>(name: N): (platform: Platform, message: MessageOf<N>, signal?: AbortSignal) => Promise<void> {
  const handler = stageHandlers[name];
  if (!handler) throw new Error(`No stage consumes ${name}`);
  return handler as (platform: Platform, message: MessageOf<N>, signal?: AbortSignal) => Promise<void>;
}
