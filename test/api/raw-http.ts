import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  text: string;
  json: unknown;
}

/**
 * One HTTP request with exactly the bytes and headers given (no client-side fixing of
 * encodings, lengths or URLs, unlike fetch or supertest), answered as text and JSON.
 */
export function rawRequest(method: string, url: string, options: { headers: Record<string, string>; body?: Buffer }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({
      method, host: target.hostname, port: target.port, path: url.slice(url.indexOf('/', 'http://'.length)),
      headers: { ...(options.body && !options.headers['content-length'] ? { 'content-length': String(options.body.length) } : {}), ...options.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
