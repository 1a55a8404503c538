/**
 * `attachment; filename="..."; filename*=UTF-8''...` for a user-facing file name: the
 * quoted form is an ASCII fallback with quotes, backslashes and control characters
 * replaced, the starred form (RFC 6266 / 8187) carries the exact name.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
