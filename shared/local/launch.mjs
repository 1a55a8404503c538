/**
 * `npm start`'s launcher (`node shared/local/launch.mjs shared/local/start.ts`): runs a
 * TypeScript entry of the local stack from ONE file that esbuild bundled from its sources
 * and that is kept until one of them changes, instead of through tsx, which resolves and
 * transforms each of the stack's ~180 modules at every start (issue 13: 2.4 s of CPU of a
 * 4.5 s start went there). Plain JavaScript, so Node runs it without a loader.
 *
 * - The bundle holds the project's own modules; packages stay imports Node resolves from
 *   node_modules as it would for tsx. `import.meta.url` of each source file keeps its own
 *   file's URL (samples, console and sql/ are found next to their sources).
 * - Cache: `node_modules/.cache/bytereview-launch/<entry>.mjs` and `.json`, the list of
 *   its inputs with their size and modification time (and esbuild's version and this
 *   file's). A start stats them (~200 files, a few ms); any difference rebuilds (0.3-0.7 s).
 * - Node's compile cache (`module.enableCompileCache`, same folder) keeps V8's code of the
 *   bundle and of the packages between starts; source maps point stack traces at the
 *   TypeScript sources.
 * - First start of a data folder: PGlite creates its cluster (initdb, about 4.5 s of CPU)
 *   in a worker thread while this thread bundles and loads the stack, on the other core;
 *   the stack opens the database once it is created (`embeddedDatabaseCreated` in
 *   ./stack.ts waits for the promise left under `bytereview.pglite-created`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'bytereview-launch');
const SELF = fileURLToPath(import.meta.url);

/** Each project source keeps its own `import.meta.url` inside the bundle (it finds files next to it). */
const ownMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.')) return undefined;
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

const entry = process.argv[2];
if (!entry || !entry.endsWith('.ts')) {
  console.error('usage: node shared/local/launch.mjs <entry.ts> [arguments...]');
  process.exit(2);
}
// The entry sees its own arguments, as under tsx.
process.argv.splice(1, 2, path.resolve(entry));

createEmbeddedDatabaseAside();
module.enableCompileCache?.(path.join(CACHE, 'v8'));
process.setSourceMapsEnabled(true);

const name = path.relative(ROOT, path.resolve(entry)).replace(/[\\/]/g, '__').replace(/\.ts$/, '');
const out = path.join(CACHE, `${name}.mjs`);
const manifest = path.join(CACHE, `${name}.json`);
if (!(await fresh(manifest))) await bundle(path.resolve(entry), out, manifest);
await import(pathToFileURL(out).href);

/**
 * When the stack will use PGlite (no DATABASE_URL, no CLOUD_SQL_INSTANCE) in a data folder
 * that has none yet, creates the cluster in a worker thread and leaves the promise of its
 * end, with the folder, for the stack. PGlite allows one instance per folder: the worker
 * closes it before the promise resolves.
 */
function createEmbeddedDatabaseAside() {
  if (process.env.DATABASE_URL || process.env.CLOUD_SQL_INSTANCE) return;
  const dataDir = path.resolve(process.env.DATA_DIR || '.data', 'pglite');
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dataDir, { recursive: true });
  const worker = new Worker(
    "import { PGlite } from '@electric-sql/pglite'; import { workerData } from 'node:worker_threads';"
    + ' const pglite = new PGlite(workerData); await pglite.waitReady; await pglite.close();',
    { eval: true, workerData: dataDir },
  );
  const created = new Promise((resolve, reject) => {
    worker.once('error', (error) => reject(new Error(`Creating the PGlite database in ${dataDir} failed: ${error.message}`, { cause: error })));
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`Creating the PGlite database in ${dataDir} stopped (exit ${code})`))));
  });
  created.catch(() => {});
  globalThis[Symbol.for('bytereview.pglite-created')] = { dataDir, created };
}

/** Size and modification time of a file, as the manifest keeps them; null when it is gone. */
async function fingerprint(file) {
  try {
    const s = await stat(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/** True when the bundle was built by this launcher and esbuild from the inputs as they are now. */
async function fresh(manifestFile) {
  let recorded;
  try {
    recorded = JSON.parse(await readFile(manifestFile, 'utf8'));
  } catch {
    return false;
  }
  if (recorded.esbuild !== await esbuildVersion()) return false;
  const files = Object.keys(recorded.inputs);
  const now = await Promise.all(files.map((file) => fingerprint(path.join(ROOT, file))));
  return files.every((file, i) => now[i] === recorded.inputs[file]);
}

async function esbuildVersion() {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8'));
  return pkg.version;
}

/** Bundles `entryFile` to `outFile` (written beside, then renamed: a concurrent start reads a whole file) and records its inputs. */
async function bundle(entryFile, outFile, manifestFile) {
  const { build } = await import('esbuild');
  await mkdir(CACHE, { recursive: true });
  const temporary = `${outFile}.${process.pid}.tmp.mjs`;
  const result = await build({
    entryPoints: [entryFile],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile: temporary,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [ownMetaUrl],
  });
  const inputs = { [path.relative(ROOT, SELF)]: await fingerprint(SELF) };
  for (const input of Object.keys(result.metafile.inputs)) inputs[input] = await fingerprint(path.join(ROOT, input));
  await rename(`${temporary}.map`, `${outFile}.map`);
  const code = (await readFile(temporary, 'utf8')).replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${path.basename(outFile)}.map`);
  await writeFile(temporary, code);
  await rename(temporary, outFile);
  await writeFile(manifestFile, JSON.stringify({ esbuild: await esbuildVersion(), inputs }));
}
