import { createHash } from 'node:crypto';

/**
 * A deterministic uuid (RFC 9562 version 5 layout: SHA-1 of a namespace and a name) for an
 * effect that must happen once per key: the same key always gives the same id, so an
 * insert `ON CONFLICT DO NOTHING` under it is the idempotency check.
 */
export function deterministicUuid(namespace: string, name: string): string {
  const hash = createHash('sha1').update(`bytereview:${namespace}\u0000${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The `automation_runs.id` of one automation fired by one Gmail message. */
export const automationRunIdFor = (automationId: string, gmailMessageId: string) => deterministicUuid('automation-run', `${automationId}:${gmailMessageId}`);

/** The run an automation run asks for (a redelivery asks for the same run, which the initializer finds). */
export const automationJobRunIdFor = (automationRunId: string) => deterministicUuid('automation-job-run', automationRunId);
