import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * Structured logs: one JSON object per line, which Cloud Logging parses (severity,
 * message, fields). Never pass tokens, keys or document contents as fields.
 *
 * Every line written inside a log context carries its trace as
 * `logging.googleapis.com/trace` (`projects/<project>/traces/<trace id>`) and its
 * `requestId`, so one search shows a request's whole path through every stage. The api
 * opens the context from the request's headers; messages and tasks carry it on (outbox
 * `log_context`, Pub/Sub attributes, Cloud Tasks headers) and each stage's edge reopens it.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What travels with a unit of work: the trace (32 hex digits) and the api's request id. */
export interface LogContext {
  trace?: string;
  requestId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to the current log context; every line it logs, however deep, awaited or not, carries it. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** The log context of the running unit of work (empty outside one). */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/** Adds to the running context in place (the api sets its request id once it knows it). */
export function extendLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A new random trace id, for work that arrives without one (a Gmail notification, a sweep). */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The trace id of an incoming request or task: W3C `traceparent`
 * (`00-<trace>-<span>-<flags>`), else `X-Cloud-Trace-Context` (`<trace>/<span>;o=1`).
 * Anything malformed or all zeros is ignored.
 */
export function traceFromHeaders(get: (name: string) => string | undefined): string | undefined {
  const parent = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(get('traceparent')?.trim().toLowerCase() ?? '');
  const cloud = /^([0-9a-f]{32})(?:\/|;|$)/.exec(get('x-cloud-trace-context')?.trim().toLowerCase() ?? '');
  const trace = parent?.[1] ?? cloud?.[1];
  return trace && TRACE_ID.test(trace) && !/^0+$/.test(trace) ? trace : undefined;
}

/** The log context an incoming request or task carries in its headers (a new trace when it has none). */
export function logContextFromHeaders(get: (name: string) => string | undefined): LogContext {
  const requestId = get('x-request-id')?.trim();
  return { trace: traceFromHeaders(get) ?? newTraceId(), ...(requestId && REQUEST_ID.test(requestId) ? { requestId } : {}) };
}

/** The headers that hand `context` to the next stage (Cloud Tasks HTTP targets). */
export function logContextHeaders(context: LogContext): Record<string, string> {
  const headers: Record<string, string> = {};
  if (context.trace) headers.traceparent = `00-${context.trace}-${randomBytes(8).toString('hex')}-01`;
  if (context.requestId) headers['X-Request-Id'] = context.requestId;
  return headers;
}

/** Pub/Sub attribute names that carry the log context. */
export const logContextAttributes = { trace: 'trace', requestId: 'requestId' } as const;

/** The log context from Pub/Sub attributes or a stored `log_context` (a new trace when it has none). */
export function logContextFrom(source: Record<string, unknown> | null | undefined): LogContext {
  const trace = typeof source?.trace === 'string' && TRACE_ID.test(source.trace) ? source.trace : newTraceId();
  const requestId = typeof source?.requestId === 'string' && REQUEST_ID.test(source.requestId) ? source.requestId : undefined;
  return { trace, ...(requestId ? { requestId } : {}) };
}

/** The fields every line in `context` carries. */
export function logContextFields(context: LogContext = currentLogContext(), project = process.env.GOOGLE_CLOUD_PROJECT || 'local'): Record<string, string> {
  const fields: Record<string, string> = {};
  if (context.trace) fields['logging.googleapis.com/trace'] = `projects/${project}/traces/${context.trace}`;
  if (context.requestId) fields.requestId = context.requestId;
  return fields;
}

export function createLogger(component: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), project?: string): Logger {
  const emit = (severity: string, message: string, fields?: Record<string, unknown>) => {
    const entry: Record<string, unknown> = { severity, component, message, ...logContextFields(currentLogContext(), project), ...fields };
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
