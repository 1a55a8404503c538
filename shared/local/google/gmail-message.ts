import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { GmailMessage } from './gmail-state.js';

type Header = { name: string; value: string };

/** A `MessagePart` as Gmail v1 answers it. */
export interface GmailPart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: Header[];
  body: { size: number; data?: string; attachmentId?: string };
  parts?: GmailPart[];
}

/** The top-level headers Gmail shows for a message. */
export function messageHeaders(m: GmailMessage): Header[] {
  return [
    { name: 'MIME-Version', value: '1.0' },
    { name: 'Date', value: new Date(m.internalDate).toUTCString().replace('GMT', '+0000') },
    { name: 'Message-ID', value: m.messageId },
    { name: 'Subject', value: m.subject },
    { name: 'From', value: m.from },
    { name: 'To', value: m.to },
  ];
}

/**
 * The `payload` of `messages.get?format=full`: `text/plain` alone, or `multipart/mixed` with
 * the text (or a `multipart/alternative` of text and HTML) followed by one part per attachment
 * carrying `filename`, `body.attachmentId` and `body.size`.
 */
export function messagePayload(m: GmailMessage): GmailPart {
  const textPart = (partId: string, mimeType: string, text: string): GmailPart => ({
    partId,
    mimeType,
    filename: '',
    headers: [{ name: 'Content-Type', value: `${mimeType}; charset="UTF-8"` }],
    body: { size: Buffer.byteLength(text), data: Buffer.from(text).toString('base64url') },
  });
  const top = messageHeaders(m);
  if (m.attachments.length === 0 && !m.html) {
    const part = textPart('', 'text/plain', m.text);
    return { ...part, headers: [...top, ...part.headers] };
  }
  const boundary = randomBytes(12).toString('hex');
  const body: GmailPart = m.html
    ? {
        partId: '0',
        mimeType: 'multipart/alternative',
        filename: '',
        headers: [{ name: 'Content-Type', value: `multipart/alternative; boundary="${boundary}a"` }],
        body: { size: 0 },
        parts: [textPart('0.0', 'text/plain', m.text), textPart('0.1', 'text/html', m.html)],
      }
    : textPart('0', 'text/plain', m.text);
  if (m.attachments.length === 0) return { ...body, partId: '', headers: [...top, ...body.headers] };
  const attachments = m.attachments.map((a, i): GmailPart => ({
    partId: String(i + 1),
    mimeType: a.mimeType,
    filename: a.filename,
    headers: [
      { name: 'Content-Type', value: `${a.mimeType}; name="${a.filename}"` },
      { name: 'Content-Disposition', value: `attachment; filename="${a.filename}"` },
      { name: 'Content-Transfer-Encoding', value: 'base64' },
      { name: 'X-Attachment-Id', value: `f_${i}` },
    ],
    body: { attachmentId: a.attachmentId, size: a.bytes.length },
  }));
  return {
    partId: '',
    mimeType: 'multipart/mixed',
    filename: '',
    headers: [...top, { name: 'Content-Type', value: `multipart/mixed; boundary="${boundary}"` }],
    body: { size: 0 },
    parts: [body, ...attachments],
  };
}

/** The RFC 822 bytes of a message (`format=raw`): as sent, or composed from the stored parts. */
export async function messageRaw(m: GmailMessage): Promise<Buffer> {
  if (m.raw) return m.raw;
  return new MailComposer({
    from: m.from,
    to: m.to,
    subject: m.subject,
    date: new Date(m.internalDate),
    messageId: m.messageId,
    text: m.text,
    html: m.html,
    attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.mimeType, content: a.bytes })),
  })
    .compile()
    .build();
}

/** Reads a sent RFC 822 message into the mailbox's shape (labels `SENT`), keeping the raw bytes. */
export async function parseSentMessage(raw: Buffer, id: string, threadId: string | undefined): Promise<GmailMessage> {
  const mail = await simpleParser(raw);
  const addresses = (value: typeof mail.to) => (Array.isArray(value) ? value.map((v) => v.text).join(', ') : value?.text ?? '');
  return {
    id,
    threadId: threadId ?? id,
    labelIds: ['SENT'],
    historyId: 0,
    internalDate: Date.now(),
    from: mail.from?.text ?? '',
    to: addresses(mail.to),
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? `<${id}@bytereview.local>`,
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : undefined,
    attachments: mail.attachments.map((a, i) => ({
      attachmentId: `ANGjdJ${randomBytes(48).toString('base64url')}`,
      filename: a.filename ?? `attachment-${i + 1}`,
      mimeType: a.contentType,
      bytes: a.content,
    })),
    raw,
  };
}

/** Gmail's `snippet`: the start of the plain text. */
export function snippetOf(m: GmailMessage): string {
  return m.text.replace(/\s+/g, ' ').trim().slice(0, 100);
}
