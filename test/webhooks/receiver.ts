import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { productionWebhookSettings, type ResolvedAddress, type WebhookSettings } from '../../shared/webhooks/settings.js';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver on 127.0.0.1 answering each request with the next scripted status (then 200). */
export interface Receiver {
  url: string;
  port: number;
  received: ReceivedDelivery[];
  /** Statuses of the next answers, in order; 200 once they are used up. */
  answers: number[];
  close(): Promise<void>;
}

export async function startReceiver(answers: number[] = []): Promise<Receiver> {
  const received: ReceivedDelivery[] = [];
  const receiver = { answers: [...answers] } as Receiver;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = receiver.answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`, port, received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/**
 * Webhook settings for tests: http and loopback allowed (as in the local stack), retries at
 * once, and host names answered from `dns` (a name not in it does not resolve).
 */
export function testWebhookSettings(dns: Map<string, ResolvedAddress[]> = new Map(), overrides: Partial<WebhookSettings> = {}): WebhookSettings {
  return {
    ...productionWebhookSettings(),
    requireHttps: false,
    allowLoopback: true,
    resolveHost: async (host) => {
      const found = dns.get(host);
      if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return found;
    },
    retryDelaysSeconds: [0, 0, 0, 0, 0],
    timeoutMs: 5000,
    ...overrides,
  };
}
