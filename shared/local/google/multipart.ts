/** One part of a `multipart/related` body. */
export interface BodyPart {
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Splits a `multipart/related` (or `multipart/mixed`) body into its parts, binary-safe,
 * decoding `Content-Transfer-Encoding: base64` parts.
 */
export function parseMultipart(body: Buffer, contentType: string): BodyPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: BodyPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    let from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === '--') break;
    if (body.subarray(from, from + 2).toString() === '\r\n') from += 2;
    const end = body.indexOf(delimiter, from);
    if (end === -1) break;
    let chunk = body.subarray(from, end);
    if (chunk.subarray(-2).toString() === '\r\n') chunk = chunk.subarray(0, -2);
    parts.push(parsePart(chunk));
    start = end;
  }
  return parts;
}

function parsePart(chunk: Buffer): BodyPart {
  const split = chunk.indexOf('\r\n\r\n');
  const head = split === -1 ? '' : chunk.subarray(0, split).toString('utf8');
  let body = split === -1 ? chunk : chunk.subarray(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['content-transfer-encoding']?.toLowerCase() === 'base64') body = Buffer.from(body.toString('ascii'), 'base64');
  return { headers, body };
}
