import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/** What the Gmail destination sends: a short text body and the export file attached. */
export interface ExportEmail {
  from: string;
  to: string | string[];
  /** Contains the job name; may be non-ASCII (sent RFC 2047 encoded). */
  subject: string;
  text: string;
  attachment: {
    filename: string;
    contentType: string;
    content: Buffer | Readable;
  };
}

/**
 * Builds the RFC 822 message (multipart/mixed: the UTF-8 text body, then the file as a
 * base64 attachment) with nodemailer's MailComposer, which encodes a non-ASCII subject per
 * RFC 2047 and a non-ASCII file name per RFC 2231. A Readable attachment is consumed.
 *
 * @example const raw = toGmailRaw(await buildExportEmail({ from, to, subject, text, attachment }))
 */
export async function buildExportEmail(email: ExportEmail): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    attachments: [
      {
        filename: email.attachment.filename,
        contentType: email.attachment.contentType,
        content: email.attachment.content,
        contentDisposition: 'attachment',
      },
    ],
  });
  return composer.compile().build();
}

/** The `raw` field of Gmail's users.messages.send: the message in base64url, no padding. */
export function toGmailRaw(message: Buffer): string {
  return message.toString('base64url');
}
