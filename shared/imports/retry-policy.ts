/**
 * When a connector job that failed as a whole (5xx, 429, network) runs again: seed 002 §4.1
 * gives 15 s -> 60 s -> 5 min; a `Retry-After` from Google is honoured when longer, and
 * never past 5 min (the seed's bound on a rate-limit back-off).
 */
export interface ImportRetryPolicy {
  /** Delay after failed attempt 1, 2, 3, ...; the last entry repeats. */
  backoffSeconds: readonly number[];
  /** Upper bound of any delay, `Retry-After` included. */
  maxDelaySeconds: number;
}

export const defaultImportRetryPolicy: ImportRetryPolicy = { backoffSeconds: [15, 60, 300], maxDelaySeconds: 300 };

let current: ImportRetryPolicy = defaultImportRetryPolicy;

/** The policy the import stages use now. */
export function importRetryPolicy(): ImportRetryPolicy {
  return current;
}

/**
 * Replaces the policy for this process (tests keep their delays short); returns a function
 * that restores the previous one.
 *
 * @example const restore = setImportRetryPolicy({ backoffSeconds: [0.05, 0.1, 0.2], maxDelaySeconds: 1 });
 */
export function setImportRetryPolicy(policy: ImportRetryPolicy): () => void {
  const previous = current;
  current = policy;
  return () => {
    current = previous;
  };
}

/** Seconds to wait after failed attempt `attempt` (1-based), at least `retryAfterSeconds`, bounded. */
export function importRetryDelay(policy: ImportRetryPolicy, attempt: number, retryAfterSeconds = 0): number {
  const steps = policy.backoffSeconds;
  const backoff = steps[Math.min(Math.max(attempt, 1), steps.length) - 1] ?? 0;
  return Math.min(policy.maxDelaySeconds, Math.max(backoff, retryAfterSeconds));
}
