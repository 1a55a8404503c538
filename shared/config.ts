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
    const name = issue.path.join('.') || '(environment)';
    return `  ${name}: ${issue.message}`;
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

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return parseEnv(appEnvSchema, env).APP_ENV === 'production';
}
