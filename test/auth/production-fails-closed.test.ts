import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../shared/auth/identity.js';
import { ConfigError, isProduction } from '../../shared/config.js';
import { loadDatabaseConfig } from '../../shared/db/config.js';
import { HttpError } from '../../shared/errors.js';
import { validateProductionEnv } from '../../shared/production.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** A complete production environment as Terraform sets it on `extraction` (values are samples). */
const deployed: Record<string, string> = {
  K_SERVICE: 'extraction',
  FUNCTION_TARGET: 'extraction',
  GOOGLE_CLOUD_PROJECT: 'bytereview-prod',
  UPLOADS_BUCKET: 'bytereview-prod-uploads',
  EXPORTS_BUCKET: 'bytereview-prod-exports',
  GOOGLE_OAUTH_CLIENT_ID: 'client-id.apps.googleusercontent.com',
  GOOGLE_OAUTH_CLIENT_SECRET: 'oauth-client-secret-value',
  OAUTH_REDIRECT_URI: 'https://europe-west1-bytereview-prod.cloudfunctions.net/oauth-callback',
  FRONTEND_URL: 'https://app.bytereview.example/integrations',
  OAUTH_STATE_SECRET: 'state-secret-value-0123456789abcdef0123',
  TOKEN_KEYS_SECRET_VERSION: 'projects/bytereview-prod/secrets/token-keys/versions/latest',
  GMAIL_WATCH_TOPIC: 'projects/bytereview-prod/topics/gmail-watch',
  TASKS_LOCATION: 'europe-west1',
  EXTRACTION_URL: 'https://europe-west1-bytereview-prod.cloudfunctions.net/extraction',
  WEBHOOK_URL: 'https://europe-west1-bytereview-prod.cloudfunctions.net/webhook',
  TASKS_INVOKER_SERVICE_ACCOUNT: 'tasks-invoker@bytereview-prod.iam.gserviceaccount.com',
  CLOUD_SQL_INSTANCE: 'bytereview-prod:europe-west1:bytereview',
  CLOUD_SQL_IAM_USER: 'fn-extraction@bytereview-prod.iam',
};

function without(...names: string[]): Record<string, string> {
  const env = { ...deployed };
  for (const name of names) delete env[name];
  return env;
}

describe('on Google Cloud the process is production whatever APP_ENV says', () => {
  it('K_SERVICE set and no APP_ENV is production', () => {
    expect(isProduction({ K_SERVICE: 'api' })).toBe(true);
    expect(isProduction({ K_SERVICE: 'api', APP_ENV: 'development' })).toBe(true);
    expect(isProduction({})).toBe(false);
  });

  it('a process with K_SERVICE set and no APP_ENV refuses Bearer dev:x', async () => {
    const env = { K_SERVICE: 'api' };
    expect(() => createAuthenticator({ mode: 'development' }, env)).toThrow(ConfigError);
    const authenticate = createAuthenticator({ mode: isProduction(env) ? 'production' : 'development', firebaseProjectId: 'bytereview-prod' }, env);
    const error = await authenticate('Bearer dev:x').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect([(error as HttpError).status, (error as HttpError).message]).toEqual([401, 'dev identity is refused in production']);
  });

  it('with no database setting production is an error naming CLOUD_SQL_INSTANCE, never the embedded PGlite', () => {
    expect(() => loadDatabaseConfig({ K_SERVICE: 'api' })).toThrow(/CLOUD_SQL_INSTANCE: required in production/);
    expect(() => loadDatabaseConfig({ K_SERVICE: 'api', APP_ENV: 'development' })).toThrow(ConfigError);
    expect(() => loadDatabaseConfig({ APP_ENV: 'production' })).toThrow(ConfigError);
    expect(loadDatabaseConfig({ K_SERVICE: 'api', DATABASE_URL: 'postgres://h/db' })).toMatchObject({ kind: 'postgres' });
    expect(loadDatabaseConfig({})).toMatchObject({ kind: 'pglite' });
  });
});

describe('the production configuration is validated at load', () => {
  it('a complete deployment passes, and every missing setting is named at once', () => {
    expect(() => validateProductionEnv('extraction', deployed)).not.toThrow();
    const error = (() => {
      try {
        validateProductionEnv('extraction', without('UPLOADS_BUCKET', 'CLOUD_SQL_INSTANCE', 'TASKS_INVOKER_SERVICE_ACCOUNT'));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/UPLOADS_BUCKET/);
    expect(error!.message).toMatch(/CLOUD_SQL_INSTANCE/);
    expect(error!.message).toMatch(/TASKS_INVOKER_SERVICE_ACCOUNT/);
  });

  it('cleanup also needs its own URL and its caller; api does not', () => {
    expect(() => validateProductionEnv('cleanup', deployed)).toThrow(/CLEANUP_URL[\s\S]*CLEANUP_INVOKER_SERVICE_ACCOUNT/);
    expect(() => validateProductionEnv('api', deployed)).not.toThrow();
  });

  it('loading the deployed entry point with a missing or bad setting exits, logging the variables and never their values', async () => {
    const secretish = 'short-state-secret';
    const env: NodeJS.ProcessEnv = { ...process.env, ...without('GOOGLE_OAUTH_CLIENT_ID'), OAUTH_STATE_SECRET: secretish, FUNCTION_TARGET: 'api', K_SERVICE: 'api' };
    delete env.APP_ENV;
    const failure = await run(process.execPath, ['--import', 'tsx', 'functions/index.ts'], { cwd: root, env }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).not.toBe(0);
    const line = failure!.stderr.split('\n').find((l) => l.includes('"severity":"CRITICAL"'));
    expect(line).toBeDefined();
    const log = JSON.parse(line!) as { variables: string[]; message: string; function: string };
    expect(log.function).toBe('api');
    expect(log.variables.sort()).toEqual(['GOOGLE_OAUTH_CLIENT_ID', 'OAUTH_STATE_SECRET']);
    expect(failure!.stderr).not.toContain(secretish);
  });
});
