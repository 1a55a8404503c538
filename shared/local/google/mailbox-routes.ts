import { sendJson, GoogleApiError } from './http.js';
import { parseMultipart } from './multipart.js';
import type { Route, RouteContext } from './route.js';
import type { GmailAttachmentInput } from './gmail-state.js';

/**
 * Not a Google API: the way to write to the simulated mailbox from outside the process.
 * `POST /local/mailbox/<address>/messages` with a `multipart/form-data` body (`from`,
 * `subject`, optional `body`, any number of `file` parts) delivers a message to that
 * account's INBOX, which fires the Gmail watch notification as a real arrival would.
 *
 * @example curl -F from=billing@supplier.example -F subject='Invoice 7' -F file=@invoice.pdf \
 *            http://127.0.0.1:<port>/local/mailbox/demo@bytereview.local/messages
 */
export const mailboxRoutes: Route[] = [
  { method: 'POST', pattern: /^\/local\/mailbox\/([^/]+)\/messages$/, api: 'other', handle: deliverToInbox },
  { method: 'OPTIONS', pattern: /^\/local\/mailbox\/([^/]+)\/messages$/, api: 'other', handle: ({ res }) => void res.writeHead(204, corsHeaders).end() },
];

// A browser page on another port (the console of `npm start`) may post here: the double holds no one's data but its own.
const corsHeaders = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' };

const MAX_ATTACHMENTS = 20;

function deliverToInbox({ req, params, body, state, res }: RouteContext): void {
  const address = params[0]!;
  if (!state.oauth.accounts.has(address)) throw new GoogleApiError(404, 'notFound', `No simulated account ${address}`, corsHeaders);
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) throw new GoogleApiError(400, 'invalidArgument', 'Send multipart/form-data: from, subject, body and file parts', corsHeaders);
  const fields: Record<string, string> = {};
  const attachments: GmailAttachmentInput[] = [];
  for (const part of parseMultipart(body, contentType)) {
    const disposition = part.headers['content-disposition'] ?? '';
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
    if (filename !== undefined) {
      attachments.push({ filename, mimeType: part.headers['content-type'] ?? 'application/octet-stream', bytes: part.body });
    } else if (name) {
      fields[name] = part.body.toString('utf8');
    }
  }
  if (!fields.from?.trim()) throw new GoogleApiError(400, 'invalidArgument', "'from' is required", corsHeaders);
  if (!fields.subject?.trim()) throw new GoogleApiError(400, 'invalidArgument', "'subject' is required", corsHeaders);
  if (attachments.length > MAX_ATTACHMENTS) throw new GoogleApiError(400, 'invalidArgument', `At most ${MAX_ATTACHMENTS} attachments`, corsHeaders);
  const message = state.gmail.addMessage({
    from: fields.from.trim(), to: address, subject: fields.subject.trim(), body: fields.body ?? '', attachments, labelIds: ['INBOX', 'UNREAD'],
  });
  sendJson(res, 201, {
    id: message.id, threadId: message.threadId, labelIds: message.labelIds, historyId: String(message.historyId),
    attachments: message.attachments.map((a) => ({ attachmentId: a.attachmentId, filename: a.filename, mimeType: a.mimeType, size: a.bytes.length })),
  }, corsHeaders);
}
