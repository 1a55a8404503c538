import { lookup } from 'node:dns/promises';

/** One resolved address of a webhook host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** How webhooks are delivered where this process runs (`Platform.webhooks`). */
export interface WebhookSettings {
  /** Only `https://` endpoints (production). */
  requireHttps: boolean;
  /** Loopback addresses (127.0.0.0/8, ::1) are allowed: the local stack only (WEBHOOKS_ALLOW_LOOPBACK). */
  allowLoopback: boolean;
  /** Every A/AAAA record of a host; the system resolver unless a test injects one. */
  resolveHost(hostname: string): Promise<ResolvedAddress[]>;
  /** Seconds before each retry after the first attempt; a delivery gives up after the last. */
  retryDelaysSeconds: readonly number[];
  /** Failed attempts in a row (across deliveries) after which the endpoint is disabled. */
  disableAfterFailures: number;
  /** How long one attempt may take, connect to last byte. */
  timeoutMs: number;
}

/**
 * The Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 8 h, 8 h after the
 * first attempt, eight attempts over 23 h 35 min ("retried for a day").
 */
export const defaultRetryDelaysSeconds = [5, 300, 1800, 7200, 18_000, 28_800, 28_800] as const;

/** The system resolver: every address `getaddrinfo` gives, IPv4 and IPv6. */
export async function resolveWithSystem(hostname: string): Promise<ResolvedAddress[]> {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/** Settings for production: https only, no loopback, system DNS, the default schedule. */
export function productionWebhookSettings(): WebhookSettings {
  return {
    requireHttps: true, allowLoopback: false, resolveHost: resolveWithSystem,
    retryDelaysSeconds: defaultRetryDelaysSeconds, disableAfterFailures: 20, timeoutMs: 15_000,
  };
}

/**
 * Settings for the local stack: http allowed, and loopback receivers (`http://127.0.0.1:...`)
 * unless `WEBHOOKS_ALLOW_LOOPBACK=false`; private and link-local addresses stay refused.
 */
export function localWebhookSettings(env: NodeJS.ProcessEnv): WebhookSettings {
  return { ...productionWebhookSettings(), requireHttps: false, allowLoopback: (env.WEBHOOKS_ALLOW_LOOPBACK ?? 'true') === 'true' };
}
