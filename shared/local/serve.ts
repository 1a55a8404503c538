/**
 * `npm run serve -- --target=<function>`: serves ONE built function (from `npm run build`)
 * with the functions framework on Node 24, as `functions-framework --target` would, but
 * with the local stack's platform instead of Google Cloud's: the database of DATABASE_URL
 * or PGlite in DATA_DIR, blobs in the data folder, the local extractor, the simulated Google
 * account and the in-process dispatcher, whose messages the stack's stages handle. Without
 * it a built function needs every Google Cloud setting (README "Google Cloud") and answers
 * 500 to data requests on a laptop.
 *
 * Do not point it at the DATA_DIR of a running `npm start`: PGlite allows one process.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalStack } from './stack.js';

const { values } = parseArgs({ options: { target: { type: 'string' }, port: { type: 'string' } }, allowPositionals: false });
const FUNCTIONS = ['api', 'oauth-callback', 'extraction', 'cleanup', 'run-initializer', 'drive-import', 'gmail-import', 'export', 'export-on-run-completed', 'gmail-push'];
const target = values.target ?? process.env.FUNCTION_TARGET;
if (!target || !FUNCTIONS.includes(target)) {
  console.error(`--target must name a function: ${FUNCTIONS.join(', ')}`);
  process.exit(2);
}
const port = Number(values.port ?? process.env.PORT ?? 8080);

const dist = path.resolve('dist');
if (await firstExisting([path.join(dist, 'functions', target, 'index.mjs')])) {
  console.error(`dist/functions/${target}/index.mjs is a per-function bundle that installs the production platform inside itself;`
    + ' npm run serve cannot give it the local one yet. Compile with `npx tsc -p tsconfig.json` to serve from dist/, or see README "Build and deploy".');
  process.exit(2);
}
const entry = await firstExisting([path.join(dist, 'functions', target, 'index.js'), path.join(dist, 'functions', 'index.js')]);
const platformModule = await firstExisting([path.join(path.dirname(entry ?? dist), 'platform.js'), path.join(dist, 'shared', 'platform.js')]);
if (!entry || !platformModule) {
  console.error('No build in dist/: run npm run build first');
  process.exit(2);
}

// The stack supplies the platform (and handles the messages the function publishes); the
// build's own copy of shared/platform.ts is where its functions look for it.
const stack = await startLocalStack({ port: 0 });
const build = await import(pathToFileURL(platformModule).href) as { installPlatform(p: unknown): void };
build.installPlatform(stack.platform);
await import(pathToFileURL(entry).href);
const { getTestServer } = await import('@google-cloud/functions-framework/testing');
const server = getTestServer(target);
server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  console.log(`${target} from ${path.relative(process.cwd(), entry)} on http://${process.env.HOST ?? '127.0.0.1'}:${port}/ (Node ${process.versions.node})`);
  console.log(`  platform: the local stack's (${stack.databaseLabel}; simulated Google ${stack.googleUrl}; its other functions at ${stack.url})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    stack.close().then(() => process.exit(0), () => process.exit(1));
  });
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const p of paths) {
    try {
      await access(p);
      return p;
    } catch {
      // try the next layout
    }
  }
  return undefined;
}
