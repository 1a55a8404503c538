import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { VettedTarget } from './address.js';

/** What one attempt got: the receiver's status, or why there was none. */
export type AttemptOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/**
 * POSTs `body` to the vetted target, connecting to its vetted address only (the socket's
 * DNS lookup is answered with it; TLS still checks the certificate against the host name).
 * Redirects are not followed: a 3xx is a failed attempt like any non-2xx answer.
 */
export function postToVettedTarget(target: VettedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<AttemptOutcome> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const { address, family } = target.address;
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      signal: AbortSignal.timeout(timeoutMs),
    }, (response) => {
      const status = response.statusCode ?? 0;
      // The body is not read beyond what arrives; only the status counts.
      response.resume();
      response.on('error', () => {});
      if (status >= 200 && status < 300) resolve({ ok: true, status });
      else resolve({ ok: false, status, error: status >= 300 && status < 400 ? `the receiver answered ${status} (redirects are not followed)` : `the receiver answered ${status}` });
    });
    request.on('error', (error: Error) => {
      const reason = error.name === 'AbortError' || error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `could not reach the receiver (${(error as NodeJS.ErrnoException).code ?? error.message})`;
      resolve({ ok: false, status: null, error: reason });
    });
    request.end(body);
  });
}
