import { z } from 'zod';

/**
 * Reads and validates configuration from the environment once, at start-up.
 * A bad value stops the process with a message naming the variable, never its value
 * (values may be secrets).
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    // A rule across variables (no path) names them in its own message.
    return issue.path.length > 0 ? `  ${issue.path.join('.')}: ${issue.message}` : `  ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Empty strings in the environment mean "not set". */
export const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** `APP_ENV=production` is the Cloud configuration: development shortcuts are refused there. */
export const appEnvSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
});

/**
 * True on Google Cloud: Cloud Run, and so Cloud Functions 2nd gen, sets `K_SERVICE` in
 * every instance. There the process is production whatever `APP_ENV` says, so a
 * deployment that forgot `APP_ENV` (or set it to `development`) fails closed.
 */
export function runsOnGoogleCloud(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.K_SERVICE);
}

/** Production: `APP_ENV=production`, or running on Google Cloud (`K_SERVICE` set) whatever `APP_ENV` says. */
export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return runsOnGoogleCloud(env) || parseEnv(appEnvSchema, env).APP_ENV === 'production';
}
