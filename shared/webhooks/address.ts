import ipaddr from 'ipaddr.js';
import { PermanentError } from '../errors.js';
import type { ResolvedAddress, WebhookSettings } from './settings.js';

/** A webhook URL whose host resolved only to addresses we may connect to; connect to `address`. */
export interface VettedTarget {
  url: URL;
  address: ResolvedAddress;
}

/**
 * Checks a webhook URL before it is stored and again before every attempt: `https:` (or
 * `http:` where the settings allow it), no credentials in it, and every A/AAAA record of
 * its host a public unicast address (ipaddr.js's `range()` is `unicast`; loopback only when
 * the settings allow it). Returns the first address, to which the caller connects, so a
 * DNS answer that changes between this check and the connection cannot redirect it.
 * Throws PermanentError `webhook_url_refused` naming the problem.
 */
export async function vetWebhookUrl(raw: string, settings: Pick<WebhookSettings, 'requireHttps' | 'allowLoopback' | 'resolveHost'>): Promise<VettedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('it is not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !settings.requireHttps)) {
    throw refused(settings.requireHttps ? 'it must use https' : 'it must use https or http');
  }
  if (url.username || url.password) throw refused('it must not carry a user name or password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await settings.resolveHost(host);
    } catch {
      throw refused(`its host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw refused(`its host ${host} does not resolve`);
  }
  for (const a of addresses) {
    const range = addressRange(a.address);
    if (range === 'unicast' || (range === 'loopback' && settings.allowLoopback)) continue;
    throw refused(`its host ${host} resolves to ${a.address}, a ${range} address`);
  }
  return { url, address: addresses[0]! };
}

/** ipaddr.js's range name of an address; an IPv4-mapped IPv6 address is judged as its IPv4. */
function addressRange(address: string): string {
  const parsed = ipaddr.process(address);
  return parsed.range();
}

function refused(why: string): PermanentError {
  return new PermanentError(`The webhook URL is refused: ${why}`, 'webhook_url_refused');
}
