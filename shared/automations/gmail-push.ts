import type { gmail_v1 } from '@googleapis/gmail';
import { sql } from 'kysely';
import { PermanentError } from '../errors.js';
import { googleClientFor } from '../google/credentials.js';
import type { GmailAttachmentRef } from '../imports/gmail-import.js';
import { classifyGoogleError, googleErrorInfo } from '../imports/google-errors.js';
import { gmailApi } from '../imports/import-context.js';
import type { MessageOf } from '../messaging/contracts.js';
import { relayAfterCommit } from '../outbox/outbox.js';
import type { Platform } from '../platform.js';
import { gmailTriggerConfig, type GmailTriggerConfig } from './automations.js';
import { fireAutomation } from './chain.js';
import { usableAccountStatuses } from '../google/credentials.js';

/**
 * The gmail-push stage (seed 002 §4.5): Gmail's watch says the mailbox of `emailAddress`
 * changed. For each `connected` account of that address with enabled `gmail_attachment`
 * automations: the messages added since the stored `gmail_history_id` (`history.list`; a
 * history too old to list (404) falls back to each automation's search over the last day),
 * matched per automation with `messages.list(q = trigger query)` and the attachment types,
 * and each match fired once (`fireAutomation`). The account's history id moves forward
 * afterwards, so a redelivered notification finds nothing new; a fire is idempotent anyway.
 *
 * With the Gmail flag off the notification is acknowledged and nothing fires.
 * Accounts that are not `connected` (revoked, disconnected) are skipped without a call to
 * Google. Google's 5xx / 429 are thrown (TransientError / RetryAfterError): the push is
 * redelivered, and the history id has not moved, so nothing is missed.
 */
export async function handleGmailNotification(platform: Platform, message: MessageOf<'gmail.notification'>): Promise<void> {
  if (!platform.google.gmailEnabled) {
    // Acknowledged, not retried: with Gmail off no automation fires (shared/google/gmail-feature.ts).
    platform.log.info('gmail notification ignored: Gmail is not enabled');
    return;
  }
  const db = platform.database.db;
  const notifiedHistoryId = String(message.historyId);
  const accounts = await db.selectFrom('integration_accounts')
    .select(['id', 'user_id', 'gmail_history_id'])
    .where('provider', '=', 'google').where('status', 'in', usableAccountStatuses)
    .where(sql<string>`lower(email)`, '=', message.emailAddress.toLowerCase())
    .execute();
  for (const account of accounts) {
    await processAccount(platform, account, notifiedHistoryId);
  }
}

interface PushAccount {
  id: string;
  user_id: string;
  gmail_history_id: string | null;
}

interface EnabledAutomation {
  id: string;
  jobId: string;
  trigger: GmailTriggerConfig;
}

const MAX_HISTORY_PAGES = 20;
const MAX_SEARCH_PAGES = 5;

async function processAccount(platform: Platform, account: PushAccount, notifiedHistoryId: string): Promise<void> {
  const db = platform.database.db;
  const rows = await db.selectFrom('automations')
    .select(['id', 'job_id', 'trigger_config'])
    .where('user_id', '=', account.user_id).where('is_enabled', '=', true).where('trigger_type', '=', 'gmail_attachment')
    .where(sql<string>`trigger_config->>'accountId'`, '=', account.id)
    .orderBy('created_at').execute();
  const automations: EnabledAutomation[] = [];
  for (const row of rows) {
    const trigger = gmailTriggerConfig.safeParse(row.trigger_config);
    if (trigger.success) automations.push({ id: row.id, jobId: row.job_id, trigger: trigger.data });
    else platform.log.warn('automation with an unusable trigger_config skipped', { automationId: row.id });
  }
  if (automations.length === 0) {
    // Nothing listens: only remember how far the mailbox is, so a later automation starts from here.
    await advanceHistory(platform, account.id, notifiedHistoryId);
    return;
  }

  let api: gmail_v1.Gmail;
  try {
    api = gmailApi(platform, await googleClientFor(platform, account.id));
  } catch (error) {
    if (error instanceof PermanentError) {
      platform.log.warn('gmail push for an account that cannot be used: automations not fired', { accountId: account.id, code: error.code });
      return;
    }
    throw error;
  }

  let newIds: Set<string> | undefined;
  let reachedHistoryId = notifiedHistoryId;
  if (account.gmail_history_id) {
    const history = await newMessagesSince(api, account.gmail_history_id);
    if (history) {
      newIds = history.ids;
      reachedHistoryId = maxHistoryId(history.historyId, notifiedHistoryId);
    }
  }
  // newIds undefined: no usable history (never stored, or too old): each automation's search over the last day.
  if (newIds?.size === 0) {
    await advanceHistory(platform, account.id, reachedHistoryId);
    return;
  }

  for (const automation of automations) {
    const q = newIds ? automation.trigger.query : `(${automation.trigger.query}) newer_than:1d`;
    const matches = await search(api, q, newIds);
    for (const messageId of matches) {
      const attachments = await matchingAttachments(api, messageId, automation.trigger.mimeTypes);
      if (attachments.length === 0) continue;
      const fired = await fireAutomation(db, {
        automationId: automation.id, userId: account.user_id, jobId: automation.jobId, accountId: account.id, gmailMessageId: messageId, attachments,
      });
      if (fired.fired) platform.log.info('automation fired', { automationId: automation.id, automationRunId: fired.automationRunId, gmailMessageId: messageId });
      await relayAfterCommit(platform, fired.outboxIds);
    }
  }
  await advanceHistory(platform, account.id, reachedHistoryId);
}

/** Ids of messages added since `startHistoryId` and the mailbox's history id; undefined when Gmail no longer has that history (404). */
async function newMessagesSince(api: gmail_v1.Gmail, startHistoryId: string): Promise<{ ids: Set<string>; historyId: string } | undefined> {
  const ids = new Set<string>();
  let historyId = startHistoryId;
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
    let data: gmail_v1.Schema$ListHistoryResponse;
    try {
      ({ data } = await api.users.history.list({ userId: 'me', startHistoryId, historyTypes: ['messageAdded'], maxResults: 500, ...(pageToken ? { pageToken } : {}) }));
    } catch (error) {
      if (googleErrorInfo(error).status === 404) return undefined;
      throw classifyGoogleError(error);
    }
    for (const record of data.history ?? []) {
      for (const added of record.messagesAdded ?? []) if (added.message?.id) ids.add(added.message.id);
    }
    if (data.historyId) historyId = maxHistoryId(historyId, String(data.historyId));
    pageToken = data.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  return { ids, historyId };
}

/** The ids `q` finds, limited to `within` when given. */
async function search(api: gmail_v1.Gmail, q: string, within: Set<string> | undefined): Promise<string[]> {
  const found: string[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_SEARCH_PAGES; page += 1) {
    let data: gmail_v1.Schema$ListMessagesResponse;
    try {
      ({ data } = await api.users.messages.list({ userId: 'me', q, maxResults: 500, ...(pageToken ? { pageToken } : {}) }));
    } catch (error) {
      throw classifyGoogleError(error);
    }
    for (const m of data.messages ?? []) if (m.id && (!within || within.has(m.id))) found.push(m.id);
    pageToken = data.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  return found.reverse(); // oldest first
}

/** The message's attachments whose type is one of `mimeTypes` (any attachment when empty). */
async function matchingAttachments(api: gmail_v1.Gmail, messageId: string, mimeTypes: string[]): Promise<GmailAttachmentRef[]> {
  let message: gmail_v1.Schema$Message;
  try {
    ({ data: message } = await api.users.messages.get({ userId: 'me', id: messageId, format: 'full', fields: 'id,payload' }));
  } catch (error) {
    if (googleErrorInfo(error).status === 404) return []; // deleted meanwhile
    throw classifyGoogleError(error);
  }
  const wanted = new Set(mimeTypes.map((t) => t.toLowerCase()));
  const refs: GmailAttachmentRef[] = [];
  const walk = (part: gmail_v1.Schema$MessagePart | undefined): void => {
    if (!part) return;
    const attachmentId = part.body?.attachmentId;
    if (attachmentId && part.filename && (wanted.size === 0 || wanted.has((part.mimeType ?? '').toLowerCase()))) {
      refs.push({ messageId, attachmentId });
    }
    for (const child of part.parts ?? []) walk(child);
  };
  walk(message.payload);
  return refs;
}

function maxHistoryId(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}

/** Stores the history id reached, never moving it back (pushes can arrive out of order). */
async function advanceHistory(platform: Platform, accountId: string, historyId: string): Promise<void> {
  await platform.database.db.updateTable('integration_accounts')
    .set({ gmail_history_id: historyId, updated_at: sql`now()` })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('gmail_history_id', 'is', null), eb(sql`gmail_history_id::numeric`, '<', sql`${historyId}::numeric`)]))
    .execute();
}
