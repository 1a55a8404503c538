import { HttpError, PermanentError } from '../errors.js';

/**
 * The Gmail feature flag (`GMAIL_ENABLED`), one rule for every path that touches Gmail:
 * connecting, importing, exporting by email, automations (Gmail-triggered) and the push
 * handler. The api refuses with 403 `feature_disabled`; a stage fails the work with the
 * same reason instead of calling Gmail.
 */
export function requireGmailEnabled(gmailEnabled: boolean, what: string): void {
  if (!gmailEnabled) throw new HttpError(403, 'feature_disabled', `${what} are turned off (Gmail is not enabled)`);
}

/** The stage-side form of `requireGmailEnabled`: a PermanentError, so the work fails with the reason. */
export function gmailDisabledError(what: string): PermanentError {
  return new PermanentError(`${what} are turned off (Gmail is not enabled)`, 'feature_disabled');
}
