import { settleAutomationRuns } from '../automations/chain.js';
import { exportAutomationRun } from '../export-runs/automation-exports.js';
import type { MessageOf } from '../messaging/contracts.js';
import { relayAfterCommit } from '../outbox/outbox.js';
import type { Platform } from '../platform.js';
import { emitRunCompleted } from '../webhooks/events.js';

/**
 * `run.completed` (export-on-run-completed): the automation's export, its chain settled
 * (`automation.failed` for a failed run), and the `run.completed` webhook.
 */
export async function runCompletedStage(platform: Platform, message: MessageOf<'run.completed'>): Promise<void> {
  await relayAfterCommit(platform, await exportAutomationRun(platform.database.db, message));
  await relayAfterCommit(platform, await settleAutomationRuns(platform.database.db, message));
  await relayAfterCommit(platform, await emitRunCompleted(platform.database.db, message));
}
