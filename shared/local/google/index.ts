/**
 * The local Google double: OAuth 2.0, Drive v3 and Gmail v1 served from memory on 127.0.0.1,
 * for tests (with faults) and for `npm start` (seeded with the demo account).
 *
 * Point the real clients at it with `double.endpoints`:
 * - `new OAuth2Client({ clientId, clientSecret, redirectUri, endpoints: double.endpoints.oauth2 })`
 * - `drive({ version: 'v3', auth, rootUrl: double.endpoints.rootUrl })`, and for media uploads
 *   also `files.create(params, { rootUrl })`: googleapis-common does not apply the client-level
 *   rootUrl to upload URLs.
 * - `gmail({ version: 'v1', auth, rootUrl: double.endpoints.rootUrl })`
 */
export { clientEndpoints, startGoogleDouble, type GoogleClientEndpoints, type GoogleDouble, type GoogleDoubleOptions } from './server.js';
export { GoogleDoubleState, type RecordedRequest } from './state.js';
export { FaultPlan, type FaultSpec } from './faults.js';
export { DEMO_ACCOUNT, seedDemoAccount, type DemoAccount, type SamplePdf } from './seed-demo.js';
export { FOLDER_MIME, GOOGLE_DOC_MIME, SHORTCUT_MIME, type DriveFile } from './drive-state.js';
export { EXPORT_LIMIT_BYTES } from './drive-routes.js';
export type { GmailMessage, GmailWatchNotification, NewGmailMessage } from './gmail-state.js';
export type { GoogleAccount, TokenAnswer } from './oauth-state.js';
export { renderTextPdf } from './pdf.js';
