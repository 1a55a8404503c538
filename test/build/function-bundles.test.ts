import { beforeAll, describe, expect, it } from 'vitest';
import type { Metafile } from 'esbuild';
import { buildAllInOnePass, buildFunction, deployedFunctions, type DeployedFunction } from '../../build/functions.js';
import { importGraph, packagesOf, type ImportGraph } from '../../build/import-graph.js';

// What each deployed function's bundle must not hold (issue 11, CONVENTIONS "Cold starts"),
// read from esbuild's metafile of the real build, so a stray import that would bring the
// weight back fails here. Timings are the benchmark's (`npm run bench:coldstart`), not this test's.
const names = Object.keys(deployedFunctions) as DeployedFunction[];
const graphs = new Map<DeployedFunction, ImportGraph>();

/** Cloud clients every function imports on first use only, never before it is registered. */
const CLOUD_CLIENTS = ['@google-cloud/pubsub', '@google-cloud/tasks', '@google-cloud/storage', '@google-cloud/secret-manager', '@google-cloud/cloud-sql-connector', '@google/genai'];
/**
 * Never in a deployed bundle: the embedded database, the local stack's own parts and the
 * local extractor's OCR (tesseract.js, its traineddata, the canvas scans are rendered on,
 * the TIFF decoder; shared/extraction/ocr.ts), which only `npm start` and the tests load.
 */
const NEVER_DEPLOYED = [
  '@electric-sql/pglite', 'kysely-pglite-dialect',
  'tesseract.js', 'tesseract.js-core', '@tesseract.js-data/eng', '@tesseract.js-data/deu', '@tesseract.js-data/fra', '@tesseract.js-data/nld', '@tesseract.js-data/spa', '@napi-rs/canvas', 'utif2',
];
/**
 * The PDF libraries: deployed extraction reads long PDFs in page windows and checks
 * citations against the text layer (shared/extraction/page-windows.ts), loading them with
 * Gemini on the first extraction, never at start.
 */
const PDF_LIBRARIES = ['unpdf', 'pdf-lib'];

const everything = (graph: ImportGraph) => new Set([...graph.atStart, ...graph.onFirstUse]);
/** The packages of `inputs` that are in `list`. */
const among = (inputs: Iterable<string>, list: string[]) => packagesOf(inputs).filter((name) => list.includes(name));

// Every function from one esbuild pass (each module parsed once: a fifth of the CPU of eleven
// builds); the last test checks that a function built alone, as deployed, holds the same.
let allInOnePass: Metafile;
beforeAll(async () => {
  allInOnePass = await buildAllInOnePass();
  for (const name of names) graphs.set(name, importGraph(allInOnePass, name));
}, 300_000);

describe('each deployed function bundles its own code path only', () => {
  it.each(names)('%s holds neither PGlite nor the local stack, and loads no Cloud client before it is registered', (name) => {
    const graph = graphs.get(name)!;
    expect(among(everything(graph), NEVER_DEPLOYED)).toEqual([]);
    expect([...everything(graph)].filter((input) => input.startsWith('shared/local/') || input.startsWith('test/'))).toEqual([]);
    expect([...everything(graph)].filter((input) => /^shared\/extraction\/(ocr|scanned-pages|local)\.ts$/.test(input))).toEqual([]);
    expect(among(graph.atStart, CLOUD_CLIENTS)).toEqual([]);
    expect(among(graph.atStart, PDF_LIBRARIES)).toEqual([]);
  });

  it('only export holds exceljs and the mail builder', () => {
    for (const name of names) {
      expect(among(everything(graphs.get(name)!), ['exceljs', 'nodemailer']), name).toEqual(name === 'export' ? ['exceljs', 'nodemailer'] : []);
    }
  });

  it('export registers before loading the XLSX writer, the mail builder or the Drive and Gmail clients: each loads on its first use', () => {
    const graph = graphs.get('export')!;
    const heavy = ['exceljs', 'nodemailer', '@googleapis/drive', '@googleapis/gmail'];
    expect(among(graph.atStart, heavy)).toEqual([]);
    expect(among(graph.onFirstUse, heavy)).toEqual(heavy.toSorted());
  });

  it('api holds neither exceljs nor yauzl nor the export stage', () => {
    const api = everything(graphs.get('api')!);
    expect(among(api, ['exceljs', 'yauzl', 'nodemailer', 'd3-dsv'])).toEqual([]);
    expect([...api].filter((input) => input.startsWith('shared/export-runs/export-run') || input.startsWith('shared/exports/xlsx'))).toEqual([]);
  });

  it('oauth-callback loads nothing but the database, the token keys and Google OAuth: no Drive, no import or export code', () => {
    const graph = graphs.get('oauth-callback')!;
    expect(among(graph.atStart, ['@googleapis/drive', 'yauzl', 'exceljs'])).toEqual([]);
    expect([...graph.atStart].filter((input) => /^shared\/(imports\/(drive|gmail)-import|export-runs\/|runs\/)/.test(input))).toEqual([]);
  });

  it('only extraction reaches Gemini, and only on its first extraction', () => {
    for (const name of names) {
      const graph = graphs.get(name)!;
      expect(packagesOf(graph.atStart), name).not.toContain('@google/genai');
      // Gemini is reached through the production platform's lazy extractor, which every
      // function's platform holds; what matters is that none but extraction calls it.
      if (name !== 'extraction') expect([...graph.atStart].filter((input) => input.startsWith('shared/runs/extract-task')), name).toEqual([]);
    }
    expect([...graphs.get('extraction')!.onFirstUse].some((input) => input.includes('node_modules/@google/genai/'))).toBe(true);
  });

  it('one copy of google-auth-library is bundled', () => {
    for (const name of names) {
      const copies = new Set([...everything(graphs.get(name)!)].map((input) => /^(.*node_modules\/google-auth-library)\//.exec(input)?.[1]).filter(Boolean));
      expect(copies.size, name).toBe(1);
    }
  });

  // The one pass may count a few more modules than a function built alone: a module the
  // function imports but uses nothing of is dropped by tree-shaking alone, and kept (for the
  // others) in a chunk the function's entry still reaches. So the checks above see at least
  // what the deployed bundle holds, never less.
  it('a function built alone, as it is deployed, holds nothing the one-pass build did not show', async () => {
    const own = (graph: ImportGraph) => ({ atStart: [...graph.atStart].filter((input) => !input.startsWith('deploy')), all: [...everything(graph)].filter((input) => !input.startsWith('deploy')) });
    for (const name of ['oauth-callback', 'export'] as const) {
      const alone = own(importGraph(await buildFunction(name, { write: false })));
      const fromPass = graphs.get(name)!;
      expect(alone.atStart.filter((input) => !fromPass.atStart.has(input)), name).toEqual([]);
      expect(alone.all.filter((input) => !everything(fromPass).has(input)), name).toEqual([]);
      expect(alone.atStart.length, name).toBeGreaterThan(100);
    }
  }, 120_000);
});
