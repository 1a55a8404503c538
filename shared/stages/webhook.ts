import type { MessageOf } from '../messaging/contracts.js';
import type { Platform } from '../platform.js';
import { deliverWebhook } from '../webhooks/deliver.js';

/** `webhook` (Cloud Tasks): one attempt of one delivery (shared/webhooks/deliver.ts). */
export async function webhookStage(platform: Platform, message: MessageOf<'webhook'>): Promise<void> {
  await deliverWebhook(platform, message);
}
