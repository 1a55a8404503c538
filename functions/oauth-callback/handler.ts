import type { Request, Response } from 'express';
import { acceptGoogleConsent } from '../../shared/connections/callback.js';
import type { Platform } from '../../shared/platform.js';

/**
 * The `oauth-callback` handler (HTTPS, Google's redirect after consent): accepts the
 * consent and sends the browser back to the frontend with a one-time completion code
 * (`status=consented&code=<code>`, or `status=error&reason=<code>`); the frontend finishes
 * with `POST /v1/integrations/google/complete` as the signed-in user. Always a 302: the
 * browser, not a retrying platform, is on the other end.
 */
export function oauthCallbackHandler(platform: () => Promise<Platform>) {
  return async (req: Request, res: Response): Promise<void> => {
    if (req.method !== 'GET') {
      res.status(405).set('Allow', 'GET').end();
      return;
    }
    const outcome = await acceptGoogleConsent(await platform(), {
      state: req.query.state, code: req.query.code, error: req.query.error,
    });
    // The code and state are in this request's URL: keep them out of referrers and caches.
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.redirect(302, outcome.redirectTo);
  };
}
