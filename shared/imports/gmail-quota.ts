/**
 * Pacing inside Gmail's per-user quota: 15,000 quota units per minute per user, each
 * method costing units (developers.google.com/gmail/api/reference/quota). A token bucket
 * per account in this process; what it cannot see (other instances, other stages using the
 * same account) Google answers with 429 / 403 `rateLimitExceeded`, which the import turns
 * into a rescheduled job honouring `Retry-After`.
 */

/** Quota units per call of the methods the pipeline uses. */
export const gmailQuotaUnits = {
  'messages.get': 5,
  'messages.attachments.get': 5,
  'messages.list': 5,
  'history.list': 2,
  'messages.send': 100,
} as const;

export type GmailMethod = keyof typeof gmailQuotaUnits;

export interface GmailQuotaOptions {
  /** Units a minute this process allows itself per account: 12,000, leaving a fifth of Google's 15,000 to the other stages. */
  unitsPerMinute?: number;
  /** Units that may be spent at once after a quiet spell: one second's worth by default. */
  burstUnits?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Bucket {
  units: number;
  updatedAt: number;
  /** Callers queue so that a large request is not starved by small ones. */
  tail: Promise<void>;
}

/** A token bucket per account: `take` waits until the call's units are available. */
export class GmailQuota {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: GmailQuotaOptions = {}) {
    const perMinute = options.unitsPerMinute ?? 12_000;
    this.perMs = perMinute / 60_000;
    this.burst = options.burstUnits ?? Math.max(gmailQuotaUnits['messages.send'], perMinute / 60);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits until `method` may be called for `accountId`, and spends its units. */
  take(accountId: string, method: GmailMethod): Promise<void> {
    const bucket = this.bucketOf(accountId);
    const units = Math.min(gmailQuotaUnits[method], this.burst);
    const turn = bucket.tail.then(async () => {
      for (;;) {
        this.refill(bucket);
        if (bucket.units >= units) {
          bucket.units -= units;
          return;
        }
        await this.sleep(Math.ceil((units - bucket.units) / this.perMs));
      }
    });
    bucket.tail = turn.catch(() => {});
    return turn;
  }

  private bucketOf(accountId: string): Bucket {
    let bucket = this.buckets.get(accountId);
    if (!bucket) {
      bucket = { units: this.burst, updatedAt: this.now(), tail: Promise.resolve() };
      this.buckets.set(accountId, bucket);
    }
    return bucket;
  }

  private refill(bucket: Bucket): void {
    const now = this.now();
    bucket.units = Math.min(this.burst, bucket.units + (now - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = now;
  }
}

/** The process's quota pacer, shared by every Gmail call of the import stage. */
export const gmailQuota = new GmailQuota();
