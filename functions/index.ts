/**
 * The deployed entry point (package.json "main"): registers every function with the
 * functions framework, so `npx functions-framework --target=<name>` serves any of them
 * from the build. In production the configuration of the served function is checked now,
 * at load, and the production platform is built on first use.
 */
import './startup.js';

export { api } from './api/index.js';
export { runInitializer } from './run-initializer/index.js';
export { extraction } from './extraction/index.js';
export { driveImport } from './drive-import/index.js';
export { gmailImport } from './gmail-import/index.js';
export { gmailPush } from './gmail-push/index.js';
export { cleanup } from './cleanup/index.js';
export { exportStage, exportOnRunCompleted } from './export/index.js';
export { oauthCallback } from './oauth-callback/index.js';
export { webhook } from './webhook/index.js';
