import type { gmail_v1 } from '@googleapis/gmail';
import { HttpError, PermanentError, RetryAfterError, errorMessage } from '../errors.js';
import { googleClientFor } from '../google/credentials.js';
import { servicesGranted, type GoogleService } from '../google/scopes.js';
import { driveApi, gmailApi } from '../imports/import-context.js';
import { gmailQuota } from '../imports/gmail-quota.js';
import { classifyGoogleError, googleErrorInfo } from '../imports/google-errors.js';
import type { Platform } from '../platform.js';

/**
 * What a frontend needs to pick what to import: Drive folders and Gmail messages with their
 * attachments, read through the user's own connection. Google's rate limits come back as
 * 429 with Retry-After; a revoked account as 409 naming the reconnect.
 */

export interface DriveFolder {
  id: string;
  name: string;
  modifiedTime: string | null;
}

export interface GmailMessageSummary {
  id: string;
  threadId: string;
  from: string;
  subject: string;
  date: string | null;
  snippet: string;
  attachments: { attachmentId: string; filename: string; mimeType: string; size: number }[];
}

const FOLDER = 'application/vnd.google-apps.folder';

/** The folders in `parent` (default: My Drive's root) whose name contains `q`, by name. */
export async function listDriveFolders(platform: Platform, userId: string, input: { accountId?: string; parent?: string; q?: string; pageToken?: string }): Promise<{ accountId: string; parent: string; items: DriveFolder[]; nextPageToken: string | null }> {
  const accountId = await connectedAccount(platform, userId, 'drive', input.accountId);
  const parent = input.parent ?? 'root';
  const terms = [`mimeType = '${FOLDER}'`, 'trashed = false'];
  // With a search, every folder the account sees matches; without one, only the parent's children.
  if (input.q) terms.push(`name contains '${driveLiteral(input.q)}'`);
  else terms.push(`'${driveLiteral(parent)}' in parents`);
  const answer = await callGoogle(async () => {
    const api = driveApi(platform, await googleClientFor(platform, accountId));
    return (await api.files.list({
      q: terms.join(' and '), fields: 'nextPageToken, files(id, name, modifiedTime)', orderBy: 'name', pageSize: 100,
      ...(input.pageToken ? { pageToken: input.pageToken } : {}),
    })).data;
  });
  return {
    accountId, parent,
    items: (answer.files ?? []).map((f) => ({ id: f.id!, name: f.name ?? '', modifiedTime: f.modifiedTime ?? null })),
    nextPageToken: answer.nextPageToken ?? null,
  };
}

/**
 * Messages matching a Gmail search (`has:attachment` added), newest first, each with its
 * attachments' names, types and sizes. Paced by the per-account Gmail quota like the imports.
 */
export async function searchGmailMessages(platform: Platform, userId: string, input: { accountId?: string; q?: string; pageToken?: string; limit: number }): Promise<{ accountId: string; items: GmailMessageSummary[]; nextPageToken: string | null }> {
  if (!platform.google.gmailEnabled) throw new HttpError(403, 'gmail_disabled', 'Gmail is not enabled on this deployment');
  const accountId = await connectedAccount(platform, userId, 'gmail', input.accountId);
  return callGoogle(async () => {
    const api = gmailApi(platform, await googleClientFor(platform, accountId));
    await gmailQuota.take(accountId, 'messages.list');
    const list = (await api.users.messages.list({
      userId: 'me', q: `has:attachment ${input.q ?? ''}`.trim(), maxResults: input.limit, ...(input.pageToken ? { pageToken: input.pageToken } : {}),
    })).data;
    const items = await Promise.all((list.messages ?? []).map(async ({ id }) => {
      await gmailQuota.take(accountId, 'messages.get');
      return summaryOf((await api.users.messages.get({ userId: 'me', id: id!, format: 'full' })).data);
    }));
    return { accountId, items, nextPageToken: list.nextPageToken ?? null };
  });
}

/** The account to browse: the one named, or the user's only connected account granting `service`. */
async function connectedAccount(platform: Platform, userId: string, service: GoogleService, accountId: string | undefined): Promise<string> {
  const rows = await platform.database.db.selectFrom('integration_accounts').select(['id', 'status', 'scopes'])
    .where('user_id', '=', userId).where('provider', '=', 'google')
    .$if(accountId !== undefined, (qb) => qb.where('id', '=', accountId!))
    .orderBy('created_at', 'desc').execute();
  if (accountId !== undefined && rows.length === 0) throw new HttpError(404, 'not_found', 'No such integration account');
  const usable = rows.filter((r) => r.status === 'connected' && servicesGranted(r.scopes).includes(service));
  if (usable.length === 0) {
    throw new HttpError(409, 'account_not_connected', `No connected Google account grants ${service}: connect one (POST /v1/integrations/google/connect)`);
  }
  if (usable.length > 1) throw new HttpError(400, 'account_ambiguous', `query.accountId: several connected accounts grant ${service}; name one`);
  return usable[0]!.id;
}

/** Runs Google calls, mapping their failures once: a refused input to 400, rate limits to 429, a dead grant to 409, anything else to 502. */
async function callGoogle<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (raw) {
    // Google refusing what we passed on (a bad pageToken, a query it cannot parse) is the caller's input.
    const info = googleErrorInfo(raw);
    if (info.status === 400) throw new HttpError(400, 'invalid_request', `query: Google refused the request: ${info.message}`);
    const error = classifyGoogleError(raw);
    if (error instanceof RetryAfterError) {
      throw new HttpError(429, 'google_rate_limited', 'Google asked to slow down; try again shortly', { headers: { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) } });
    }
    if (error instanceof PermanentError && error.code.startsWith('account_')) throw new HttpError(409, error.code, error.message);
    if (error instanceof PermanentError && error.code === 'google_notFound') throw new HttpError(404, 'not_found', 'No such folder or message at Google');
    throw new HttpError(502, 'google_unavailable', `Google did not answer as expected: ${errorMessage(error)}`);
  }
}

function summaryOf(message: gmail_v1.Schema$Message): GmailMessageSummary {
  const headers = message.payload?.headers ?? [];
  const header = (name: string) => headers.find((h) => h.name?.toLowerCase() === name)?.value ?? '';
  const attachments: GmailMessageSummary['attachments'] = [];
  const walk = (part: gmail_v1.Schema$MessagePart | undefined) => {
    if (!part) return;
    if (part.filename && part.body?.attachmentId) {
      attachments.push({ attachmentId: part.body.attachmentId, filename: part.filename, mimeType: part.mimeType ?? 'application/octet-stream', size: part.body.size ?? 0 });
    }
    for (const child of part.parts ?? []) walk(child);
  };
  walk(message.payload);
  const date = message.internalDate ? new Date(Number(message.internalDate)).toISOString() : null;
  return { id: message.id!, threadId: message.threadId ?? message.id!, from: header('from'), subject: header('subject'), date, snippet: message.snippet ?? '', attachments };
}

/** A Drive query string literal: backslashes and quotes escaped. */
function driveLiteral(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
