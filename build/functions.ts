/**
 * `npm run build`: one deployable source per Cloud Function in `dist/functions/<name>/`,
 * the folder the deployment zips and uploads as that function's source. Each holds its
 * function's code bundled by esbuild (`index.mjs`, the module its own `package.json`
 * names as `main`, plus the chunks it imports on first use) and a `package.json` whose
 * dependencies are the functions framework (and express where the code uses it), which the
 * runtime installs and which must stay one module shared by the bundle and the framework.
 *
 * Each bundle starts from `functions/startup.ts` (the start-up check of the settings and
 * the production platform) and the function's own module, so it holds that function's
 * code path only; modules some requests need (Pub/Sub, Cloud Tasks, Storage, Gemini, the
 * Cloud SQL connector, Secret Manager) are dynamic imports, split into chunks loaded on
 * first use. The embedded database (PGlite) is never part of a bundle.
 * `build/meta/<name>.json` is esbuild's metafile of each bundle: what it holds and which
 * inputs load at start.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { deployedFunctions, type DeployedFunction } from './deployed-functions.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * Left out of the bundles and installed by the runtime from each function's package.json:
 * the functions framework must be the one module its loader and the bundle register with,
 * and express is the framework's own (the api's routes run on the framework's app).
 */
const EXTERNAL = ['@google-cloud/functions-framework', 'express'];

export { deployedFunctions, type DeployedFunction };

/**
 * The embedded database stays out of every bundle: `openDatabase`'s PGlite branch
 * imports `./pglite.js`, which a deployed function answers with this error instead.
 */
const withoutEmbeddedDatabase: Plugin = {
  name: 'without-embedded-database',
  setup(b) {
    b.onResolve({ filter: /^\.\/pglite\.js$/ }, (args) =>
      args.importer.endsWith(path.join('shared', 'db', 'connect.ts')) ? { path: 'embedded-database', namespace: 'without-pglite' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'without-pglite' }, () => ({
      contents: `const refuse = async () => { throw new Error('The embedded PGlite database is not part of a deployed function: set DATABASE_URL or CLOUD_SQL_INSTANCE'); };
export const openPgliteDatabase = refuse;
export const openMemoryPglite = refuse;`,
      loader: 'js',
    }));
  },
};

/**
 * Cloud Tasks' ES module build reads its protos and client config at run time from paths
 * next to its own file (`getJSON(path.join(dirname, ...))`), which a bundle moves: those
 * reads become JSON imports, bundled like the static `require('./x.json')` of the other
 * Google clients (Pub/Sub, Secret Manager), so the function's folder needs no proto files.
 */
const withGapicJsonInlined: Plugin = {
  name: 'gapic-json-inlined',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]@google-cloud[\\/].*_client\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('getJSON(path.join(dirname')) return undefined;
      const imports: string[] = [];
      const contents = source.replace(/getJSON\(path\.join\(dirname((?:,\s*'[^']*')+)\)\)/g, (_call, parts: string) => {
        const file = path.join(path.dirname(args.path), ...[...parts.matchAll(/'([^']*)'/g)].map((part) => part[1]!));
        imports.push(`import gapicJson${imports.length} from ${JSON.stringify(file)};`);
        return `gapicJson${imports.length - 1}`;
      });
      return { contents: `${imports.join('\n')}\n${contents}`, loader: 'js' };
    });
  },
};

// CommonJS packages inside an ES module bundle still call require() for Node's built-ins
// and read __dirname; chunks sit beside index.mjs, so __dirname is the function's folder.
const BANNER = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "import { dirname as __pathDirname } from 'node:path';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join('\n');

/**
 * Bundles one function; writes its folder (`dist/functions/<name>`, or `outdir`) unless
 * `write` is false. Returns esbuild's metafile.
 */
export async function buildFunction(name: DeployedFunction, options: { write?: boolean; outdir?: string } = {}): Promise<Metafile> {
  const write = options.write ?? true;
  const outdir = options.outdir ?? path.join(ROOT, 'dist', 'functions', name);
  // Chunks are named by content hash: without this, an earlier build's chunks would stay
  // beside the new ones in dist/ (bench:export loads every chunk of the folder; a deploy
  // zips it). A folder the caller names is the caller's: left as it is.
  if (write && options.outdir === undefined) await rm(outdir, { recursive: true, force: true });
  const result = await build({
    ...BUILD_OPTIONS,
    stdin: { contents: entrySource(name), resolveDir: ROOT, sourcefile: `deploy-${name}.ts`, loader: 'ts' },
    outdir,
    entryNames: 'index',
    write,
  });
  if (write) await writePackageJson(name, outdir, externalPackages(result.metafile));
  return result.metafile;
}

/** A function's bundle starts from the start-up check and the function's own module. */
const entrySource = (name: DeployedFunction) => `import './functions/startup.ts';\nexport * from './${deployedFunctions[name]}';\n`;

/** What every bundle is built with (`buildFunction`, `buildAllInOnePass`). */
const BUILD_OPTIONS = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  external: EXTERNAL,
  plugins: [withoutEmbeddedDatabase, withGapicJsonInlined],
  banner: { js: BANNER },
  // Smaller files parse faster; identifiers are kept, so stack traces still name functions.
  // No source maps: they would triple the uploaded source for traces that already read.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
} satisfies BuildOptions;

/**
 * Every function bundled in one esbuild pass, written nowhere: one metafile in which each
 * function's entry is `<name>/index.mjs`. esbuild parses each module once instead of once per
 * function (the Google clients are most of the work), and splits chunks by the set of entries
 * (static and dynamic) that reach them, so what a function's entry reaches, and how, is what its
 * own bundle holds: `importGraph(metafile, name)` reads it. For checks of the import graphs; a
 * deployed function is always built alone (`buildFunction`), never sharing chunks.
 */
export async function buildAllInOnePass(): Promise<Metafile> {
  const names = Object.keys(deployedFunctions) as DeployedFunction[];
  const result = await build({
    ...BUILD_OPTIONS,
    entryPoints: names.map((name) => ({ in: `deploy:${name}`, out: `${name}/index` })),
    plugins: [...BUILD_OPTIONS.plugins, {
      name: 'deploy-entries',
      setup(b) {
        b.onResolve({ filter: /^deploy:/ }, (args) => ({ path: args.path.slice('deploy:'.length), namespace: 'deploy' }));
        b.onLoad({ filter: /.*/, namespace: 'deploy' }, (args) => ({ contents: entrySource(args.path as DeployedFunction), resolveDir: ROOT, loader: 'ts' }));
      },
    }],
    outdir: path.join(ROOT, 'dist', 'all-in-one-pass'),
    write: false,
  });
  return result.metafile;
}

/** The packages a bundle imports from node_modules at run time (of `EXTERNAL`). */
function externalPackages(metafile: Metafile): string[] {
  const imported = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));
  return EXTERNAL.filter((name) => imported.some((path) => path === name || path.startsWith(`${name}/`)));
}

async function writePackageJson(name: DeployedFunction, outdir: string, externals: string[]): Promise<void> {
  const root = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  const manifest = {
    name: `bytereview-${name}`,
    version: root.version,
    private: true,
    description: `ByteReview's ${name} Cloud Function (built by npm run build; entry point ${name}).`,
    main: 'index.mjs',
    engines: { node: '>=24' },
    dependencies: Object.fromEntries(externals.map((dependency) => [dependency, root.dependencies[dependency]])),
  };
  await writeFile(path.join(outdir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function main(): Promise<void> {
  await rm(path.join(ROOT, 'dist'), { recursive: true, force: true });
  await mkdir(path.join(ROOT, 'build', 'meta'), { recursive: true });
  for (const name of Object.keys(deployedFunctions) as DeployedFunction[]) {
    const metafile = await buildFunction(name);
    await writeFile(path.join(ROOT, 'build', 'meta', `${name}.json`), JSON.stringify(metafile));
    const bytes = Object.values(metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    console.log(`dist/functions/${name}/: ${Object.keys(metafile.inputs).length} modules, ${(bytes / 1e6).toFixed(1)} MB`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
