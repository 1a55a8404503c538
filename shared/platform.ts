import type { BlobStore } from './blobs/blob-store.js';
import type { DatabaseHandle } from './db/index.js';
import type { Extractor } from './extraction/types.js';
import type { GoogleSettings } from './google/settings.js';
import type { Identity } from './http/route.js';
import type { MessageBus } from './messaging/bus.js';
import type { Logger } from './log.js';
import type { WebhookSettings } from './webhooks/settings.js';

/**
 * Everything a stage needs from the outside world, behind the seams (shared/ARCHITECTURE.md "Platform
 * seams"). Cloud Functions build the production platform from the environment; the local
 * stack and the tests build theirs and install it with `installPlatform`.
 */
export interface Platform {
  database: DatabaseHandle;
  bus: MessageBus;
  blobs: BlobStore;
  extractor: Extractor;
  /** Verifies an `Authorization` header (Firebase ID token; the dev identity only outside production). */
  authenticate(authorizationHeader: string | undefined): Promise<Identity>;
  /** OAuth client, endpoints, feature flag and token keys for Google Drive and Gmail. */
  google: GoogleSettings;
  /** The model a run uses unless the user chose another. */
  defaultModel: string;
  /** Names this process in task claims. */
  workerId: string;
  log: Logger;
  /** Operator limits and timings; the defaults when absent (README "Settings"). */
  limits?: PlatformLimits;
  /** Webhook delivery rules; production's (https only, no loopback) when absent. */
  webhooks?: WebhookSettings;
}

export interface PlatformLimits {
  /** Api requests per user per minute before 429 (API_RATE_LIMIT_PER_MINUTE, 600). */
  apiRequestsPerMinute?: number;
  /** Seconds an auto-run waits for more files before it starts (AUTO_RUN_DEBOUNCE_SECONDS, 30). */
  autoRunDebounceSeconds?: number;
}

let installed: Promise<Platform> | undefined;
let factory: (() => Promise<Platform>) | undefined;

/** Installs the platform every function of this process uses (local stack, tests). */
export function installPlatform(platform: Platform | Promise<Platform>): void {
  installed = Promise.resolve(platform);
}

/** Registers how to build the platform on first use when none was installed (production). */
export function setPlatformFactory(build: () => Promise<Platform>): void {
  factory = build;
}

/** The process's platform, built once and reused by every invocation. */
export function getPlatform(): Promise<Platform> {
  if (!installed) {
    if (!factory) throw new Error('No platform installed and no factory registered');
    installed = factory();
    installed.catch(() => {
      installed = undefined;
    });
  }
  return installed;
}

/**
 * Where a local launcher (`npm run serve`, shared/local/serve.ts) offers its platform to a
 * built function it is about to import. A bundle holds its own copy of this module, so
 * `installPlatform` from outside cannot reach it; a registered global symbol can, and only
 * code already running in the same process can set it: no setting, file or request does.
 * The deployed entry point (`installStartupPlatform` in ./production.ts) takes the offer
 * outside production and refuses to start when one is made in production.
 */
const LAUNCHER_PLATFORM = Symbol.for('bytereview.launcher-platform');

/** Offers `platform` to the built function the caller imports next (the local launcher only). */
export function offerLauncherPlatform(platform: Platform | Promise<Platform>): void {
  (globalThis as Record<symbol, unknown>)[LAUNCHER_PLATFORM] = platform;
}

/** The platform a launcher offered to this process, if any (read by the deployed entry point). */
export function launcherPlatformOffer(): Platform | Promise<Platform> | undefined {
  return (globalThis as Record<symbol, unknown>)[LAUNCHER_PLATFORM] as Platform | Promise<Platform> | undefined;
}

/** Forgets the installed platform (tests). */
export function resetPlatform(): void {
  installed = undefined;
}
