import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createAuthenticator } from './auth/identity.js';
import { googleCallerSettings } from './auth/google-oidc.js';
import { lazyBlobStore } from './blobs/lazy.js';
import { gcsObjectUri } from './blobs/object-names.js';
import { appEnvSchema, ConfigError, isProduction, parseEnv } from './config.js';
import { productionDatabaseEnv } from './db/config.js';
import { getDatabase } from './db/index.js';
import { pageWindowEnv } from './extraction/page-window-settings.js';
import type { Extractor } from './extraction/types.js';
import { processGoogleAuth } from './google/process-auth.js';
import { lazy } from './lazy.js';
import { createLogger } from './log.js';
import { cloudMessagingConfigFromEnv, cloudMessagingEnv, createCloudMessageBus } from './messaging/cloud.js';
import { installPlatform, launcherPlatformOffer, setPlatformFactory, type Platform } from './platform.js';
import { secretManagerKeyringSource } from './secrets/keyring-source.js';
import { productionWebhookSettings } from './webhooks/settings.js';

export const productionEnv = appEnvSchema.extend(pageWindowEnv.shape).extend({
  GOOGLE_CLOUD_PROJECT: z.string().min(1),
  UPLOADS_BUCKET: z.string().min(3),
  EXPORTS_BUCKET: z.string().min(3),
  VERTEX_LOCATION: z.string().min(1).default('us-central1'),
  GEMINI_MODEL: z.string().min(1).default('gemini-2.5-flash'),
  FIREBASE_PROJECT_ID: z.string().min(1).optional(),
  GOOGLE_OAUTH_CLIENT_ID: z.string().min(1),
  GOOGLE_OAUTH_CLIENT_SECRET: z.string().min(1),
  OAUTH_REDIRECT_URI: z.url(),
  FRONTEND_URL: z.url(),
  OAUTH_STATE_SECRET: z.string().min(32, 'must be at least 32 characters'),
  TOKEN_KEYS_SECRET_VERSION: z.string().regex(/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/, 'must be projects/<p>/secrets/<s>/versions/<v>'),
  GMAIL_ENABLED: z.enum(['true', 'false']).default('false'),
  GMAIL_WATCH_TOPIC: z.string().regex(/^projects\/[^/]+\/topics\/[^/]+$/, 'must be projects/<p>/topics/<t>'),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  AUTO_RUN_DEBOUNCE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
});

/**
 * Every setting a deployed function's production configuration reads, as the schemas that
 * validate them: the platform's, messaging's, the database's (a server, never PGlite) and,
 * for `extraction` and `cleanup`, who may call them. Terraform's cross-check test derives
 * what each function must be given from these, so a new required setting is caught there.
 */
export function productionSettingsOf(functionName: string | undefined): z.ZodType[] {
  const caller = functionName !== undefined && Object.hasOwn(googleCallerSettings, functionName)
    ? [googleCallerSettings[functionName as keyof typeof googleCallerSettings]]
    : [];
  return [productionEnv, cloudMessagingEnv, productionDatabaseEnv, ...caller];
}

/**
 * Validates the production configuration of `functionName` (all of it, every problem
 * listed), throwing ConfigError that names each bad variable and never its value.
 */
export function validateProductionEnv(functionName: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const problems: string[] = [];
  for (const schema of productionSettingsOf(functionName)) {
    try {
      parseEnv(schema, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.message.split('\n').slice(1));
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

/**
 * The deployed entry point's start-up: in production (on Google Cloud, whatever APP_ENV
 * says) the configuration of the function this instance serves (`FUNCTION_TARGET`) is
 * validated now, at module load, so a bad deployment fails its start-up check with one
 * log line naming the variables instead of answering 500 to every request. Then the
 * production platform is registered, built on first use.
 */
export function registerProductionPlatform(env: NodeJS.ProcessEnv = process.env): void {
  if (isProduction(env)) {
    try {
      validateProductionEnv(env.FUNCTION_TARGET, env);
    } catch (error) {
      if (error instanceof ConfigError) {
        const variables = error.message.split('\n').slice(1).map((line) => line.trim().split(':')[0]);
        console.error(JSON.stringify({ severity: 'CRITICAL', component: 'startup', message: error.message, variables, function: env.FUNCTION_TARGET }));
      }
      throw error;
    }
  }
  setPlatformFactory(() => createProductionPlatform(env));
}

/**
 * What the deployed entry point (functions/startup.ts) runs before any function module:
 * the production platform (`registerProductionPlatform`), unless a local launcher
 * (`npm run serve`) offered its own platform in this process (`offerLauncherPlatform`),
 * which is installed instead. In production (on Google Cloud, or APP_ENV=production) such
 * an offer stops the start-up: a deployed function never runs on a local platform (PGlite,
 * the simulated Google account, the development identity), whoever set the hook.
 */
export function installStartupPlatform(env: NodeJS.ProcessEnv = process.env): void {
  const offered = launcherPlatformOffer();
  if (offered === undefined) {
    registerProductionPlatform(env);
    return;
  }
  if (isProduction(env)) {
    const message = `A local platform was offered to ${env.FUNCTION_TARGET ?? 'this function'} in production (K_SERVICE or APP_ENV=production): refused; npm run serve is for a laptop only`;
    console.error(JSON.stringify({ severity: 'CRITICAL', component: 'startup', message, function: env.FUNCTION_TARGET }));
    throw new ConfigError(message);
  }
  installPlatform(offered);
}

/**
 * The platform of a Cloud Function, from its environment (Terraform sets it; README
 * "Settings"): Cloud SQL or DATABASE_URL, Pub/Sub and Cloud Tasks, Cloud Storage, Gemini
 * on Vertex AI, Firebase ID tokens. Built once per instance, on first use. The Cloud
 * clients are imported when a request first needs them and kept, so each function loads
 * only the ones its requests use (Storage, Pub/Sub, Tasks and Gemini cost 0.1-0.45 s of
 * import each); all of them share the process's one Google credential.
 */
export async function createProductionPlatform(env: NodeJS.ProcessEnv = process.env): Promise<Platform> {
  const e = parseEnv(productionEnv, env);
  const auth = processGoogleAuth();
  const buckets = { uploads: e.UPLOADS_BUCKET, exports: e.EXPORTS_BUCKET };
  const tokenKeyring = lazy(() => secretManagerKeyringSource({ secretVersion: e.TOKEN_KEYS_SECRET_VERSION, auth }).loadKeyring());
  const blobs = lazyBlobStore(
    async () => new (await import('./blobs/gcs.js')).GcsBlobStore({ buckets, storage: { authClient: auth } }),
    (bucket, name) => gcsObjectUri(buckets[bucket], name),
  );
  return {
    database: await getDatabase(),
    bus: createCloudMessageBus(cloudMessagingConfigFromEnv(env, auth)),
    blobs,
    // Each PDF is downloaded once to count its pages and check its citations; Gemini reads
    // one of a window or less by its gs:// URI, a longer one's windows inline. Citations always on.
    extractor: lazyExtractor(async () => {
      const [{ createGeminiExtractor }, { withPageWindows }] = await Promise.all([import('./extraction/gemini.js'), import('./extraction/page-windows.js')]);
      const gemini = createGeminiExtractor({
        project: e.GOOGLE_CLOUD_PROJECT,
        location: e.VERTEX_LOCATION,
        googleAuthOptions: { authClient: await auth.getClient() },
        citations: true,
      });
      return withPageWindows(gemini, { readFile: (uri) => blobs.readAll(uri), windowPages: e.EXTRACTION_WINDOW_PAGES });
    }),
    google: {
      clientId: e.GOOGLE_OAUTH_CLIENT_ID,
      clientSecret: e.GOOGLE_OAUTH_CLIENT_SECRET,
      redirectUri: e.OAUTH_REDIRECT_URI,
      stateSecret: e.OAUTH_STATE_SECRET,
      frontendUrl: e.FRONTEND_URL,
      gmailEnabled: e.GMAIL_ENABLED === 'true',
      gmailWatchTopic: e.GMAIL_WATCH_TOPIC,
      tokenKeyring: tokenKeyring.get,
    },
    authenticate: createAuthenticator({ mode: isProduction(env) ? 'production' : 'development', firebaseProjectId: e.FIREBASE_PROJECT_ID ?? e.GOOGLE_CLOUD_PROJECT }, env),
    defaultModel: e.GEMINI_MODEL,
    workerId: `${env.K_SERVICE ?? 'function'}-${randomUUID().slice(0, 8)}`,
    log: createLogger(env.K_SERVICE ?? 'bytereview', undefined, e.GOOGLE_CLOUD_PROJECT),
    limits: { apiRequestsPerMinute: e.API_RATE_LIMIT_PER_MINUTE, autoRunDebounceSeconds: e.AUTO_RUN_DEBOUNCE_SECONDS },
    // https only and public addresses only; WEBHOOKS_ALLOW_LOOPBACK is a local-stack setting.
    webhooks: productionWebhookSettings(),
  };
}

/** Gemini's SDK is imported by the first extraction, so only the extraction function loads it. */
function lazyExtractor(load: () => Promise<Extractor>): Extractor {
  const extractor = lazy(load);
  return {
    engine: 'gemini-vertex',
    extract: async (request) => (await extractor.get()).extract(request),
  };
}
