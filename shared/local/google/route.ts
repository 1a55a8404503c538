import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GoogleApi } from './http.js';
import type { AccessGrant, GoogleAccount } from './oauth-state.js';
import type { GoogleDoubleState } from './state.js';

/** What a route may be called with: the coarse scope families Google checks per method. */
export type ScopeNeed = 'identity' | 'drive.read' | 'drive.write' | 'gmail.read' | 'gmail.send';

const AUTH = 'https://www.googleapis.com/auth/';

/** Scopes that satisfy each need (a simplification of Google's per-method scope lists). */
export const SCOPES_FOR: Record<Exclude<ScopeNeed, 'identity'>, string[]> = {
  'drive.read': [`${AUTH}drive`, `${AUTH}drive.readonly`, `${AUTH}drive.file`, `${AUTH}drive.metadata.readonly`],
  'drive.write': [`${AUTH}drive`, `${AUTH}drive.file`],
  'gmail.read': [`${AUTH}gmail.readonly`, `${AUTH}gmail.modify`, `${AUTH}gmail.metadata`, 'https://mail.google.com/'],
  'gmail.send': [`${AUTH}gmail.send`, `${AUTH}gmail.compose`, `${AUTH}gmail.modify`, 'https://mail.google.com/'],
};

/** Everything a handler gets about one request. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  query: Record<string, string>;
  /** Path parameters captured by the route pattern, URL-decoded. */
  params: string[];
  body: Buffer;
  state: GoogleDoubleState;
  /** Where the double listens, e.g. `http://127.0.0.1:8090`. */
  baseUrl: string;
  /** Set on authenticated routes. */
  grant?: AccessGrant;
  account?: GoogleAccount;
}

/** One endpoint of the double. */
export interface Route {
  method: string | string[];
  pattern: RegExp;
  api: GoogleApi;
  /** Omit for public endpoints (the OAuth ones); a function when it depends on the query. */
  needs?: ScopeNeed | ((query: Record<string, string>) => ScopeNeed | undefined);
  handle(ctx: RouteContext): void | Promise<void>;
}
