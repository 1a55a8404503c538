/**
 * The Google scopes "connect Google" asks for, per service the user ticks, and the services
 * a granted scope set allows. Users may untick scopes on Google's consent screen, so what an
 * account can do is read from the scopes it was actually granted, never from what was asked.
 */

const AUTH = 'https://www.googleapis.com/auth/';

export const DRIVE_READONLY = `${AUTH}drive.readonly`;
export const DRIVE_FILE = `${AUTH}drive.file`;
export const GMAIL_READONLY = `${AUTH}gmail.readonly`;
export const GMAIL_SEND = `${AUTH}gmail.send`;
/** Identity scopes: who the account is (userinfo `sub` and `email`). */
export const IDENTITY_SCOPES = ['openid', 'email'] as const;

/** What a user connects a Google account for. */
export type GoogleService = 'drive' | 'gmail';
export const googleServices = ['drive', 'gmail'] as const satisfies readonly GoogleService[];

/** Scopes each service asks for: read to import, write to export results back. */
export const SCOPES_BY_SERVICE: Record<GoogleService, readonly string[]> = {
  drive: [DRIVE_READONLY, DRIVE_FILE],
  gmail: [GMAIL_READONLY, GMAIL_SEND],
};

/** The full scope list for an authorization request: identity plus each service's scopes. */
export function scopesFor(services: readonly GoogleService[]): string[] {
  return [...new Set([...IDENTITY_SCOPES, ...services.flatMap((s) => SCOPES_BY_SERVICE[s])])];
}

/** The services a granted scope set allows at least in part (any of the service's scopes). */
export function servicesGranted(scopes: readonly string[]): GoogleService[] {
  return googleServices.filter((s) => SCOPES_BY_SERVICE[s].some((scope) => scopes.includes(scope)));
}

/** True when the account may read Gmail (and so a Gmail watch can start). */
export function canReadGmail(scopes: readonly string[]): boolean {
  return scopes.includes(GMAIL_READONLY);
}
