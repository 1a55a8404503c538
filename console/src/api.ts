import createClient from 'openapi-fetch';
import type { components, paths } from './api-types.js';

export type Schemas = components['schemas'];

const IDENTITY_KEY = 'bytereview.identity';

/** The development identity the console signs in as (`Authorization: Bearer dev:<name>`). */
export const identity = {
  get: (): string | null => localStorage.getItem(IDENTITY_KEY),
  set: (name: string) => localStorage.setItem(IDENTITY_KEY, name),
  clear: () => localStorage.removeItem(IDENTITY_KEY),
};

/** The public api, typed from functions/api/openapi.json (`npm run openapi` regenerates api-types.ts). */
export const api = createClient<paths>({ baseUrl: '/api' });
api.use({
  onRequest({ request }) {
    const name = identity.get();
    if (name) request.headers.set('Authorization', `Bearer dev:${name}`);
    return request;
  },
});

/** An api answer that was not a success, with the api's own message. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfter: string | null) {
    super(message);
  }
}

/** The data of an openapi-fetch answer, or an ApiError carrying the api's message. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const message = (error as Schemas['Error'] | undefined)?.error?.message ?? `${response.status} ${response.statusText}`;
  throw new ApiError(response.status, message, response.headers.get('retry-after'));
}

/** Where the simulated Google account (the local double) listens; set by `npm start` in the page. */
export const googleDoubleUrl = document.querySelector<HTMLMetaElement>('meta[name="google-double"]')?.content ?? '';
