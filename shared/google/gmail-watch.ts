import type { gmail_v1 } from '@googleapis/gmail';
import { lazy } from '../lazy.js';
import type { Platform } from '../platform.js';
import { googleClientFor } from './credentials.js';
import { classifyGoogleError } from '../imports/google-errors.js';

// Gmail's API client is imported by the first watch started or stopped and kept: the api,
// oauth-callback and cleanup functions need it on few requests. A CommonJS package: its
// exports are `default` both in Node and in a bundle's chunk.
const gmailClient = lazy(async () => (await import('@googleapis/gmail')).default.gmail);

async function gmailApiFor(platform: Platform, accountId: string): Promise<gmail_v1.Gmail> {
  const [gmail, auth] = await Promise.all([gmailClient.get(), googleClientFor(platform, accountId)]);
  return gmail({ version: 'v1', auth, ...(platform.google.endpoints ? { rootUrl: platform.google.endpoints.rootUrl } : {}) });
}

/**
 * The Gmail watch of a connected account: Gmail publishes to `platform.google.gmailWatchTopic`
 * when the mailbox changes, and gmail-push reads the history since the stored
 * `gmail_history_id`. A watch lasts 7 days; cleanup renews it (`renewGmailWatch`).
 */

export interface GmailWatch {
  historyId: string;
  expiresAt: Date;
}

/**
 * Starts (or restarts) the account's watch and stores its `historyId` and expiry. On connect
 * the history starts now; `keepHistoryId` (renewal) keeps the point gmail-push has reached.
 * Errors are classified (`classifyGoogleError`).
 */
export async function startGmailWatch(platform: Platform, accountId: string, options: { keepHistoryId?: boolean } = {}): Promise<GmailWatch> {
  const api = await gmailApiFor(platform, accountId);
  let answer;
  try {
    ({ data: answer } = await api.users.watch({ userId: 'me', requestBody: { topicName: platform.google.gmailWatchTopic, labelIds: ['INBOX'], labelFilterBehavior: 'INCLUDE' } }));
  } catch (error) {
    throw classifyGoogleError(error);
  }
  if (!answer.historyId || !answer.expiration) throw new Error('Gmail answered users.watch without historyId or expiration');
  const watch = { historyId: String(answer.historyId), expiresAt: new Date(Number(answer.expiration)) };
  await platform.database.db
    .updateTable('integration_accounts')
    .set((eb) => ({
      gmail_history_id: options.keepHistoryId ? eb.fn.coalesce('gmail_history_id', eb.val(watch.historyId)) : watch.historyId,
      gmail_watch_expires_at: watch.expiresAt,
      updated_at: new Date(),
    }))
    .where('id', '=', accountId)
    .execute();
  return watch;
}

/** Renews a watch before it lapses, keeping the stored history position. */
export function renewGmailWatch(platform: Platform, accountId: string): Promise<GmailWatch> {
  return startGmailWatch(platform, accountId, { keepHistoryId: true });
}

/** Stops the account's watch at Gmail and forgets its expiry. Errors are classified. */
export async function stopGmailWatch(platform: Platform, accountId: string): Promise<void> {
  const api = await gmailApiFor(platform, accountId);
  try {
    await api.users.stop({ userId: 'me' });
  } catch (error) {
    throw classifyGoogleError(error);
  }
  await platform.database.db
    .updateTable('integration_accounts')
    .set({ gmail_watch_expires_at: null, updated_at: new Date() })
    .where('id', '=', accountId)
    .execute();
}
