import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Structured logs: one JSON object per line, which Cloud Logging parses (severity,
 * message, fields). Never pass tokens, keys or document contents as fields.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * What every log line written while serving one request (or one message) carries: the
 * api's request id and the trace the work belongs to.
 */
export interface LogContext {
  trace?: string;
  requestId?: string;
}

const logContext = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to the current log context; every line it logs, however deep, carries it. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...context }, fn);
}

/** The log context of the code running now (empty outside any). */
export function currentLogContext(): LogContext {
  return logContext.getStore() ?? {};
}

export function createLogger(component: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const emit = (severity: string, message: string, fields?: Record<string, unknown>) => {
    const entry: Record<string, unknown> = { severity, component, message, ...currentLogContext(), ...fields };
    if (fields?.error instanceof Error) entry.error = { name: fields.error.name, message: fields.error.message, stack: fields.error.stack };
    write(JSON.stringify(entry));
  };
  return {
    info: (m, f) => emit('INFO', m, f),
    warn: (m, f) => emit('WARNING', m, f),
    error: (m, f) => emit('ERROR', m, f),
  };
}

/** A logger that keeps nothing (tests that assert no output use their own writer). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
