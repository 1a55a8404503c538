/**
 * Sets the `Message-ID` header of an RFC 822 message: the one MailComposer generated (random)
 * is replaced, so every attempt of an export sends the same id and a retry can find an
 * earlier send by it. Only the header block is touched, never the body.
 *
 * (`buildExportEmail` takes no message id yet; once it does, pass it there instead.)
 */
export function withMessageId(message: Buffer, messageId: string): Buffer {
  if (!/^<[^<>\s]+@[^<>\s]+>$/.test(messageId)) throw new Error(`Not a Message-ID: ${messageId}`);
  const end = message.indexOf('\r\n\r\n');
  const headerEnd = end < 0 ? message.length : end;
  const headers = message.subarray(0, headerEnd).toString('latin1');
  // A header and its folded continuation lines.
  const existing = /(^|\r\n)Message-ID:[^\r\n]*(?:\r\n[ \t][^\r\n]*)*/i;
  const replaced = existing.test(headers)
    ? headers.replace(existing, (_m, lead: string) => `${lead}Message-ID: ${messageId}`)
    : `Message-ID: ${messageId}\r\n${headers}`;
  return Buffer.concat([Buffer.from(replaced, 'latin1'), message.subarray(headerEnd)]);
}
