import { messageHeaders, messagePayload, messageRaw, parseSentMessage, snippetOf } from './gmail-message.js';
import { compileGmailQuery } from './gmail-query.js';
import { gmailId, type GmailMessage } from './gmail-state.js';
import { GoogleApiError, intParam, parseJsonBody, sendJson } from './http.js';
import type { Route, RouteContext } from './route.js';

const USER = '/gmail/v1/users/([^/]+)';
const route = (method: string, path: string, needs: 'gmail.read' | 'gmail.send', handle: (ctx: RouteContext) => void | Promise<void>): Route =>
  ({ method, pattern: new RegExp(`^${USER}${path}$`), api: 'gmail', needs, handle: (ctx) => (checkUser(ctx), handle(ctx)) });

/** Gmail v1: profile, messages (list, get, attachments, send), history, watch and stop. */
export const gmailRoutes: Route[] = [
  route('GET', '/profile', 'gmail.read', profile),
  route('GET', '/messages', 'gmail.read', listMessages),
  route('GET', '/messages/([^/]+)', 'gmail.read', getMessage),
  route('GET', '/messages/([^/]+)/attachments/([^/]+)', 'gmail.read', getAttachment),
  route('POST', '/messages/send', 'gmail.send', sendMessage),
  route('GET', '/history', 'gmail.read', listHistory),
  route('POST', '/watch', 'gmail.read', watch),
  route('POST', '/stop', 'gmail.read', stop),
];

/** `userId` must be `me` or the token's own address. */
function checkUser({ params, account }: RouteContext): void {
  const userId = params[0]!;
  if (userId !== 'me' && userId !== account!.email) throw new GoogleApiError(403, 'forbidden', `Delegation denied for ${account!.email}`);
}

function profile({ state, account, res }: RouteContext): void {
  const messages = [...state.gmail.messages.values()];
  sendJson(res, 200, {
    emailAddress: account!.email,
    messagesTotal: messages.length,
    threadsTotal: new Set(messages.map((m) => m.threadId)).size,
    historyId: String(state.gmail.historyId()),
  });
}

/** messages.list: newest first, `q` and `labelIds` filters, spam and trash left out unless asked. */
function listMessages({ state, query, url, res }: RouteContext): void {
  const search = compileGmailQuery(query.q ?? '');
  const labelIds = url.searchParams.getAll('labelIds');
  const includeSpamTrash = query.includeSpamTrash === 'true' || search.includesSpamTrash;
  const maxResults = intParam(query.maxResults, 100, 500, 'maxResults');
  const offset = decodePageToken(query.pageToken);
  const matching = [...state.gmail.messages.values()]
    .filter((m) => includeSpamTrash || !m.labelIds.some((l) => l === 'SPAM' || l === 'TRASH'))
    .filter((m) => labelIds.every((l) => m.labelIds.includes(l)))
    .filter(search.matches)
    .sort((a, b) => b.internalDate - a.internalDate || b.historyId - a.historyId);
  const page = matching.slice(offset, offset + maxResults);
  const body: Record<string, unknown> = { resultSizeEstimate: matching.length };
  if (page.length > 0) body.messages = page.map((m) => ({ id: m.id, threadId: m.threadId }));
  if (offset + maxResults < matching.length) body.nextPageToken = encodePageToken(offset + maxResults);
  sendJson(res, 200, body);
}

/** messages.get with `format=full` (default), `metadata`, `minimal` or `raw`. */
async function getMessage(ctx: RouteContext): Promise<void> {
  const m = messageOr404(ctx, ctx.params[1]!);
  const format = ctx.query.format ?? 'full';
  const base = {
    id: m.id,
    threadId: m.threadId,
    labelIds: m.labelIds,
    snippet: snippetOf(m),
    historyId: String(m.historyId),
    internalDate: String(m.internalDate),
    sizeEstimate: 512 + m.text.length + m.attachments.reduce((n, a) => n + Math.ceil(a.bytes.length * 4 / 3), 0),
  };
  switch (format) {
    case 'minimal':
      return sendJson(ctx.res, 200, base);
    case 'raw':
      return sendJson(ctx.res, 200, { ...base, raw: (await messageRaw(m)).toString('base64url') });
    case 'metadata': {
      const wanted = ctx.url.searchParams.getAll('metadataHeaders').map((h) => h.toLowerCase());
      const headers = messageHeaders(m).filter((h) => wanted.length === 0 || wanted.includes(h.name.toLowerCase()));
      return sendJson(ctx.res, 200, { ...base, payload: { mimeType: messagePayload(m).mimeType, headers } });
    }
    case 'full':
      return sendJson(ctx.res, 200, { ...base, payload: messagePayload(m) });
    default:
      throw new GoogleApiError(400, 'invalidArgument', `Invalid value at 'format' (${format})`);
  }
}

function getAttachment(ctx: RouteContext): void {
  const m = messageOr404(ctx, ctx.params[1]!);
  const attachment = m.attachments.find((a) => a.attachmentId === ctx.params[2]);
  if (!attachment) throw new GoogleApiError(400, 'invalidArgument', 'Invalid attachment token');
  sendJson(ctx.res, 200, { attachmentId: attachment.attachmentId, size: attachment.bytes.length, data: attachment.bytes.toString('base64url') });
}

/** messages.send with a `raw` base64url RFC 822 message: stored with label `SENT`. */
async function sendMessage(ctx: RouteContext): Promise<void> {
  const body = parseJsonBody(ctx.body);
  if (typeof body.raw !== 'string' || body.raw.length === 0) throw new GoogleApiError(400, 'invalidArgument', "'raw' RFC822 payload message string or uploading message via /upload/* URL required");
  const raw = Buffer.from(body.raw, 'base64url');
  const threadId = typeof body.threadId === 'string' ? body.threadId : undefined;
  const message = ctx.state.gmail.store(await parseSentMessage(raw, gmailId(), threadId));
  sendJson(ctx.res, 200, { id: message.id, threadId: message.threadId, labelIds: message.labelIds });
}

/** history.list: `messagesAdded` since `startHistoryId`; a forgotten id is 404, as at Gmail. */
function listHistory({ state, query, res }: RouteContext): void {
  if (query.startHistoryId === undefined) throw new GoogleApiError(400, 'invalidArgument', 'Missing startHistoryId');
  const start = Number(query.startHistoryId);
  if (!Number.isInteger(start) || start < 0) throw new GoogleApiError(400, 'invalidArgument', 'Invalid startHistoryId');
  if (!state.gmail.hasHistorySince(start)) throw new GoogleApiError(404, 'notFound', 'Requested entity was not found.');
  const types = query.historyTypes;
  const maxResults = intParam(query.maxResults, 100, 500, 'maxResults');
  const offset = decodePageToken(query.pageToken);
  const records = types && types !== 'messageAdded'
    ? []
    : state.gmail.history
        .filter((h) => h.id > start)
        .map((h) => ({ record: h, message: state.gmail.messages.get(h.messageId) }))
        .filter((r): r is { record: typeof r.record; message: GmailMessage } => r.message !== undefined)
        .filter((r) => !query.labelId || r.message.labelIds.includes(query.labelId));
  const page = records.slice(offset, offset + maxResults);
  const body: Record<string, unknown> = { historyId: String(state.gmail.historyId()) };
  if (page.length > 0) {
    body.history = page.map(({ record, message }) => ({
      id: String(record.id),
      messages: [{ id: message.id, threadId: message.threadId }],
      messagesAdded: [{ message: { id: message.id, threadId: message.threadId, labelIds: message.labelIds } }],
    }));
  }
  if (offset + maxResults < records.length) body.nextPageToken = encodePageToken(offset + maxResults);
  sendJson(res, 200, body);
}

/** users.watch: needs a `topicName`; answers `historyId` and `expiration` (ms, as a string). */
function watch({ state, body, account, res }: RouteContext): void {
  const request = parseJsonBody(body);
  if (typeof request.topicName !== 'string' || !/^projects\/[^/]+\/topics\/[^/]+$/.test(request.topicName)) {
    throw new GoogleApiError(400, 'invalidArgument', 'Invalid topicName does not match projects/SOME-PROJECT/topics/TOPIC-NAME');
  }
  const labelIds = Array.isArray(request.labelIds) ? request.labelIds.map(String) : [];
  const labelFilterAction = request.labelFilterAction === 'exclude' || request.labelFilterBehavior === 'EXCLUDE' ? 'exclude' : 'include';
  sendJson(res, 200, state.gmail.startWatch({ emailAddress: account!.email, topicName: request.topicName, labelIds, labelFilterAction }));
}

function stop({ state, res }: RouteContext): void {
  state.gmail.watch = undefined;
  res.writeHead(204).end();
}

function messageOr404(ctx: RouteContext, id: string): GmailMessage {
  const m = ctx.state.gmail.messages.get(id);
  if (!m) throw new GoogleApiError(404, 'notFound', 'Requested entity was not found.');
  return m;
}

function encodePageToken(offset: number): string {
  return Buffer.from(String(offset)).toString('base64url');
}

function decodePageToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw new GoogleApiError(400, 'invalidArgument', 'Invalid pageToken');
  return offset;
}
