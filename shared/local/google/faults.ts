import type { GoogleApi } from './http.js';
import { GoogleApiError, OAuthError } from './http.js';

/** One fault to inject; the first matching, unexhausted fault wins. */
export interface FaultSpec {
  /** Which surface it hits; `'*'` is any. */
  api: Exclude<GoogleApi, 'other'> | '*';
  /** Only requests whose path contains this. */
  pathIncludes?: string;
  /** Only this HTTP method (case-insensitive). */
  method?: string;
  /** Only token requests with this `grant_type` (oauth only), e.g. `'refresh_token'`. */
  grantType?: string;
  /** Answer with this status (Google-shaped body). Omit with `delayMs` for a slow but normal answer. */
  status?: number;
  /** For OAuth faults: the `error` code, e.g. `'invalid_grant'` (status defaults to 400). */
  error?: string;
  /** Adds a `Retry-After` header (seconds). */
  retryAfterSeconds?: number;
  /** Waits this long before answering (or before serving normally). */
  delayMs?: number;
  /** How many requests it hits; default 1, `Infinity` for all. */
  times?: number;
}

/** What a request looks like to the fault matcher. */
export interface FaultTarget {
  api: GoogleApi;
  method: string;
  path: string;
  grantType?: string;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
  hits: number;
}

/** The errors a fault answers with, per surface. */
const REASONS: Record<number, [string, string]> = {
  400: ['badRequest', 'Bad Request'],
  401: ['authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'],
  403: ['rateLimitExceeded', 'Rate Limit Exceeded'],
  404: ['notFound', 'Requested entity was not found.'],
  429: ['rateLimitExceeded', 'Rate Limit Exceeded'],
  500: ['backendError', 'Backend Error'],
  503: ['backendError', 'The service is currently unavailable.'],
};

/** Faults on demand: `faults.add({ api: 'drive', status: 429, retryAfterSeconds: 1, times: 2 })`. */
export class FaultPlan {
  private readonly armed: ArmedFault[] = [];

  /** Arms a fault; returns a handle telling how many requests it has hit so far. */
  add(spec: FaultSpec): { readonly hits: number } {
    const fault: ArmedFault = { ...spec, remaining: spec.times ?? 1, hits: 0 };
    this.armed.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
    };
  }

  /** Disarms every fault. */
  clear(): void {
    this.armed.length = 0;
  }

  /** How many armed faults still have hits left. */
  pending(): number {
    return this.armed.filter((f) => f.remaining > 0).length;
  }

  /** Consumes and returns the fault for this request, if any. */
  take(target: FaultTarget): FaultSpec | undefined {
    const fault = this.armed.find((f) => f.remaining > 0 && matches(f, target));
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    return fault;
  }
}

function matches(fault: FaultSpec, target: FaultTarget): boolean {
  if (fault.api !== '*' && fault.api !== target.api) return false;
  if (fault.pathIncludes !== undefined && !target.path.includes(fault.pathIncludes)) return false;
  if (fault.method !== undefined && fault.method.toUpperCase() !== target.method) return false;
  if (fault.grantType !== undefined && fault.grantType !== target.grantType) return false;
  return true;
}

/** The error a fault answers with, or undefined when the fault only delays. */
export function faultError(fault: FaultSpec, api: GoogleApi): GoogleApiError | OAuthError | undefined {
  if (fault.status === undefined && fault.error === undefined) return undefined;
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (api === 'oauth' || fault.error !== undefined) {
    const code = fault.error ?? (fault.status! >= 500 ? 'internal_failure' : 'invalid_request');
    const description = code === 'invalid_grant' ? 'Token has been expired or revoked.' : 'Simulated fault';
    return new OAuthError(fault.status ?? 400, code, description, headers);
  }
  const [reason, message] = REASONS[fault.status!] ?? ['simulatedFault', 'Simulated fault'];
  const domain = fault.status === 429 || fault.status === 403 ? 'usageLimits' : 'global';
  if (fault.status === 401) headers['www-authenticate'] = 'Bearer realm="https://accounts.google.com/", error="invalid_token"';
  return new GoogleApiError(fault.status!, reason, message, headers, domain);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
