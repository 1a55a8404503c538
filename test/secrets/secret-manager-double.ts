import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback double of the Secret Manager REST API (v1), enough for
 * `projects/*\/secrets/*\/versions/*:access`. It stores payloads by version name and records
 * every request it saw.
 */
export interface SecretManagerDouble {
  /** `http://127.0.0.1:<port>`, for the client's REST transport. */
  endpoint: string;
  requests: { method: string; path: string; authorization: string | undefined }[];
  setPayload(versionName: string, payload: string): void;
  close(): Promise<void>;
}

export async function startSecretManagerDouble(): Promise<SecretManagerDouble> {
  const payloads = new Map<string, string>();
  const requests: SecretManagerDouble['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization });
    const match = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/:]+):access$/.exec(url.pathname);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !match) return answer(404, { error: { code: 404, message: 'no such method', status: 'NOT_FOUND' } });
    if (!req.headers.authorization?.startsWith('Bearer ')) {
      return answer(401, { error: { code: 401, message: 'missing credentials', status: 'UNAUTHENTICATED' } });
    }
    const payload = payloads.get(match[1]!);
    if (payload === undefined) {
      return answer(404, { error: { code: 404, message: `Secret [${match[1]}] not found or has no versions.`, status: 'NOT_FOUND' } });
    }
    answer(200, { name: match[1], payload: { data: Buffer.from(payload).toString('base64') } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    setPayload: (name, payload) => payloads.set(name, payload),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
