/**
 * Every function in one module, from source: registers all ten with the functions
 * framework (`tsx` runs it; the start-up check of production settings runs first). A
 * deployment does not use it: `npm run build` makes each function its own source, from
 * `functions/startup.ts` and that function's module (build/functions.ts).
 */
import './startup.js';

export { api } from './api/index.js';
export { runInitializer } from './run-initializer/index.js';
export { extraction } from './extraction/index.js';
export { driveImport } from './drive-import/index.js';
export { gmailImport } from './gmail-import/index.js';
export { gmailPush } from './gmail-push/index.js';
export { cleanup } from './cleanup/index.js';
export { exportStage } from './export/index.js';
export { exportOnRunCompleted } from './export/on-run-completed.js';
export { oauthCallback } from './oauth-callback/index.js';
export { webhook } from './webhook/index.js';
