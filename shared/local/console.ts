import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

/**
 * The console page of `npm start` (development only: no deployed function serves it).
 * Its Preact source in `console/src` is bundled by esbuild in memory on the first request
 * (about 0.1 s), so starting the stack costs nothing when nobody opens the page.
 */
export function consoleRouter(options: { googleUrl: string }): Router {
  const router = express.Router();
  let bundle: Promise<{ js: string; css: string }> | undefined;
  const built = () => (bundle ??= buildConsole().catch((error: unknown) => {
    bundle = undefined;
    throw error;
  }));
  router.get('/', (_req, res) => {
    res.type('html').set('cache-control', 'no-store').send(page(options.googleUrl));
  });
  router.get('/console/app.js', async (_req, res, next) => {
    try {
      res.type('js').set('cache-control', 'no-store').send((await built()).js);
    } catch (error) {
      next(error);
    }
  });
  router.get('/console/style.css', async (_req, res, next) => {
    try {
      res.type('css').set('cache-control', 'no-store').send((await built()).css);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** Bundles console/src/main.tsx (and its CSS) with esbuild; esbuild is a development dependency, like this page. */
export async function buildConsole(): Promise<{ js: string; css: string }> {
  const esbuild = await import('esbuild');
  const root = fileURLToPath(new URL('../../console/', import.meta.url));
  const result = await esbuild.build({
    entryPoints: [`${root}src/main.tsx`],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'silent',
  });
  return { js: result.outputFiles[0]!.text, css: await readFile(`${root}style.css`, 'utf8') };
}

function page(googleUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="google-double" content="${googleUrl.replace(/"/g, '')}">
<title>ByteReview console (local)</title>
<link rel="stylesheet" href="/console/style.css">
</head>
<body>
<div id="app"><p>Loading the console…</p></div>
<noscript>The console needs JavaScript.</noscript>
<script type="module" src="/console/app.js"></script>
</body>
</html>
`;
}
