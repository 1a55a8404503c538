import { logContextFields } from '../log.js';

/**
 * One structured log line (Cloud Logging reads `severity` and `message` from JSON on
 * stderr), with the trace and request id of the running unit of work.
 */
export function logMessaging(severity: 'INFO' | 'WARNING' | 'ERROR', message: string, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ severity, message, component: 'messaging', ...logContextFields(), ...fields }));
}
