/**
 * `npm run serve -- --target=<function>`: serves ONE built function (the bundle `npm run
 * build` wrote to dist/functions/<function>/, or `--source=<folder>`) with the functions
 * framework on Node 24, as `functions-framework --source --target` would, but with the
 * local stack's platform instead of Google Cloud's: the database of DATABASE_URL or PGlite
 * in DATA_DIR, blobs in the data folder, the local extractor, the simulated Google account
 * and the in-process dispatcher, whose messages the stack's stages handle. Without it a
 * built function needs every Google Cloud setting (README "Google Cloud") and answers 500
 * to data requests on a laptop.
 *
 * The bundle holds its own copy of shared/platform.ts, so the platform is offered through
 * the process-wide hook (`offerLauncherPlatform`) before the bundle is imported; its entry
 * point takes it outside production and refuses to start with it on Google Cloud.
 *
 * Do not point it at the DATA_DIR of a running `npm start`: PGlite allows one process.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { deployedFunctions } from '../../build/deployed-functions.js';
import { offerLauncherPlatform } from '../platform.js';
import { startLocalStack } from './stack.js';

const { values } = parseArgs({
  options: { target: { type: 'string' }, port: { type: 'string' }, source: { type: 'string' } },
  allowPositionals: false,
});
const FUNCTIONS = Object.keys(deployedFunctions);
const target = values.target ?? process.env.FUNCTION_TARGET;
if (!target || !FUNCTIONS.includes(target)) {
  fail(`--target must name a function: ${FUNCTIONS.join(', ')}`);
}
const port = Number(values.port ?? process.env.PORT ?? 8080);
const source = path.resolve(values.source ?? path.join('dist', 'functions', target));
const entry = await builtEntry(source);

// The function's own settings as the framework sets them; the stack supplies the rest.
process.env.FUNCTION_TARGET = target;
const stack = await startLocalStack({ port: 0 });
offerLauncherPlatform(stack.platform);
try {
  await import(pathToFileURL(entry).href);
} catch (error) {
  await stack.close();
  fail(`${path.relative(process.cwd(), entry)} did not start: ${(error as Error).message}`);
}
const { getTestServer } = await import('@google-cloud/functions-framework/testing');
const server = getTestServer(target);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  const { port: listening } = server.address() as { port: number };
  console.log(`${target} from ${path.relative(process.cwd(), entry)} on http://${host}:${listening}/ (Node ${process.versions.node})`);
  console.log(`  platform: the local stack's (${stack.databaseLabel}; simulated Google ${stack.googleUrl}; its other functions at ${stack.url})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    stack.close().then(() => process.exit(0), () => process.exit(1));
  });
}

/** The module the framework would load from `folder`: its package.json's `main` (a bundle's `index.mjs`). */
async function builtEntry(folder: string): Promise<string> {
  let manifest: { main?: string };
  try {
    manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as { main?: string };
  } catch {
    return fail(`No built function in ${path.relative(process.cwd(), folder) || '.'} (no package.json): run npm run build first`);
  }
  if (!manifest.main) return fail(`${path.relative(process.cwd(), folder)}/package.json names no main module`);
  return path.join(folder, manifest.main);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
