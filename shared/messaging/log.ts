/**
 * One structured log line (Cloud Logging reads `severity` and `message` from JSON on stderr).
 */
export function logMessaging(severity: 'INFO' | 'WARNING' | 'ERROR', message: string, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ severity, message, component: 'messaging', ...fields }));
}
