/**
 * Export benchmark: `npm run bench:export -- [--rows 100000] [--big-rows 1000000] [--db-rows <rows>]
 * [--repeat 5] [--csv-repeat 15]`.
 *
 * Generates the same deterministic 12-column rows (10 fields + source file + source type)
 * in batches of 1,000, as a cursor would deliver them, and writes them with writeXlsx and
 * writeCsv, each run in its own Node process (this file compiled to JavaScript, as
 * production runs) so its peak RSS (`maxRSS`) is its own. The same rows go through pandas
 * + xlsxwriter (the seed's `df.to_excel(engine='xlsxwriter')`, `df.to_csv`) when
 * /usr/bin/python3 has them, one write per Python process. Our wall time includes
 * generating the rows batch by batch (`generate_seconds` alone); pandas's includes
 * building the DataFrame (dates parsed, lists joined) but not generating the Python lists.
 * Ours and pandas's runs alternate `--repeat` times (`--csv-repeat` for CSV) and each
 * side's figure is its fastest run: the host is shared and its speed swings by half within
 * a minute. The 1,000,000-row XLSX is run inside a 256 MB memory cgroup, as a Cloud
 * Functions instance of that size runs the export function, and again uncapped; the capped
 * run first loads the built `export` function whole (`dist/functions/export/`: its entry
 * and every chunk it may import on first use), as an instance holds it while it writes.
 * Then the path from the database (`export-db.ts`): a 100,000-row run's results in
 * PostgreSQL through the export's cursor to CSV and XLSX, beside COPY ... TO STDOUT of
 * the same values. The last line of output is one JSON object.
 * Environment: BENCH_DATABASE_URL (admin connection; default the local trust server).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { writeCsv } from '../../shared/exports/csv.js';
import type { ExportColumn, ExportRow } from '../../shared/exports/types.js';
import { writeXlsx } from '../../shared/exports/xlsx.js';
import { benchDatabaseExport } from './export-db.js';

const BATCH_SIZE = 1_000;
const PYTHON = '/usr/bin/python3';
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const BENCH_COLUMNS: ExportColumn[] = [
  { name: 'Vendor', type: 'text' },
  { name: 'Invoice number', type: 'text' },
  { name: 'Quantity', type: 'number' },
  { name: 'Unit price', type: 'number' },
  { name: 'Total', type: 'currency' },
  { name: 'Invoice date', type: 'date' },
  { name: 'Due date', type: 'date' },
  { name: 'Paid', type: 'boolean' },
  { name: 'Tags', type: 'list' },
  { name: 'Description', type: 'text' },
];

const DAYS = 3650;
const DATES = Array.from({ length: DAYS }, (_, d) => new Date(Date.UTC(2015, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const VENDORS = ['Acme GmbH', 'Café Müller', '株式会社日本', 'Globex Ltd', 'Initech', 'Umbrella plc', 'Soylent', 'Hooli'];
const TAGS = [['office'], ['travel', 'q3'], ['software', 'annual', 'renewal'], []];
const SOURCES = ['upload', 'gdrive', 'gmail'] as const;

/** Row `i` of the benchmark data; `generate_row` in the Python script mirrors it exactly. */
export function benchRow(i: number): ExportRow {
  return {
    values: [
      VENDORS[i % 8],
      `INV-${100000 + i}`,
      i % 100,
      (i % 1000) / 8,
      ((i * 7919) % 200000) / 100 - 500,
      DATES[i % DAYS],
      DATES[(i + 30) % DAYS],
      i % 3 === 0,
      TAGS[i % 4],
      i % 5 === 0 ? null : `Line item ${i % 97} for order ${i >> 2}, net 30`,
    ],
    sourceFileName: `document-${Math.floor(i / 3)}.pdf`,
    sourceType: SOURCES[i % 3]!,
  };
}

/** The benchmark rows in batches of 1,000: only one batch exists at a time. */
export async function* benchBatches(rows: number): AsyncGenerator<ExportRow[]> {
  for (let start = 0; start < rows; start += BATCH_SIZE) {
    const batch: ExportRow[] = [];
    for (let i = start; i < Math.min(rows, start + BATCH_SIZE); i++) batch.push(benchRow(i));
    yield batch;
  }
}

// One timed pandas write per process, like ours: `python3 -c SCRIPT <rows> <xlsx|csv> <path>`.
const PANDAS_SCRIPT = String.raw`
import json, resource, sys, time, datetime
import pandas as pd
rows_n, kind, out_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
base = datetime.date(2015, 1, 1)
DAYS = 3650
DATES = [(base + datetime.timedelta(days=d)).isoformat() for d in range(DAYS)]
VENDORS = ['Acme GmbH', 'Café Müller', '株式会社日本', 'Globex Ltd', 'Initech', 'Umbrella plc', 'Soylent', 'Hooli']
TAGS = [['office'], ['travel', 'q3'], ['software', 'annual', 'renewal'], []]
SOURCES = ['upload', 'gdrive', 'gmail']
def generate_row(i):
    return [VENDORS[i % 8], 'INV-%d' % (100000 + i), i % 100, (i % 1000) / 8,
            ((i * 7919) % 200000) / 100 - 500, DATES[i % DAYS], DATES[(i + 30) % DAYS],
            i % 3 == 0, TAGS[i % 4], None if i % 5 == 0 else 'Line item %d for order %d, net 30' % (i % 97, i >> 2),
            'document-%d.pdf' % (i // 3), SOURCES[i % 3]]
names = ['Vendor', 'Invoice number', 'Quantity', 'Unit price', 'Total', 'Invoice date', 'Due date',
         'Paid', 'Tags', 'Description', 'Source file', 'Source type']
rows = [generate_row(i) for i in range(rows_n)]
wall, cpu = time.perf_counter(), time.process_time()
df = pd.DataFrame(rows, columns=names)
for c in ('Invoice date', 'Due date'):
    df[c] = pd.to_datetime(df[c], format='%Y-%m-%d')
df['Tags'] = df['Tags'].str.join('; ')
if kind == 'xlsx':
    df.to_excel(out_path, index=False, engine='xlsxwriter')
else:
    df.to_csv(out_path, index=False, encoding='utf-8-sig', lineterminator='\r\n')
print(json.dumps({'seconds': time.perf_counter() - wall, 'cpu_seconds': time.process_time() - cpu,
                  'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'pandas': pd.__version__}))
`;

interface CaseResult {
  seconds: number;
  cpu_seconds: number;
  peak_rss_mb: number;
  bytes: number;
  /** The memory limit Node saw (process.constrainedMemory()), null when there is none. */
  memory_limit_mb?: number | null;
  /** RSS once the built export function was loaded, before writing (`--with-function`). */
  function_loaded_rss_mb?: number;
}

/** The memory limit of this process's cgroup in MB, null when it has none. */
function memoryLimitMb(): number | null {
  const limit = process.constrainedMemory();
  return limit > 0 && limit < totalmem() ? Math.round(limit / 2 ** 20) : null;
}

/**
 * Loads a built function whole: its entry (which registers it) and every chunk beside it,
 * the Cloud clients it imports on first use included. Returns the RSS after.
 */
async function loadBuiltFunction(dir: string): Promise<number> {
  await import(pathToFileURL(path.join(dir, 'index.mjs')).href);
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.mjs')).sort()) await import(pathToFileURL(path.join(dir, file)).href);
  return process.memoryUsage().rss / 2 ** 20;
}

/** One case inside a child process: writes the file, reports time, size and peak RSS. */
async function runCase(kind: string, rows: number, file: string): Promise<CaseResult> {
  const batches = () => benchBatches(rows);
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (kind === 'xlsx') await writeXlsx(BENCH_COLUMNS, batches(), createWriteStream(file));
  else if (kind === 'csv') await writeCsv(BENCH_COLUMNS, batches(), createWriteStream(file));
  else for await (const batch of batches()) void batch; // 'generate': the rows alone
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    seconds,
    cpu_seconds: (used.user + used.system) / 1e6,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    bytes: kind === 'generate' ? 0 : statSync(file).size,
    memory_limit_mb: memoryLimitMb(),
  };
}

function runChild(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code}`))));
  });
}

const lastJsonLine = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').at(-1)!) as T;

/**
 * This file compiled to JavaScript, as the export function runs in production (`dist/`):
 * under tsx every child would also carry tsx's loader thread, about 30 MB of RSS.
 */
async function compileSelf(): Promise<string> {
  const outfile = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'bytereview-bench', 'export.mjs');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * A memory cgroup (v1, where this machine's memory controller is) that caps a child at
 * `limitMb`, as a Cloud Functions instance of that size caps the export function. Node
 * reads the cap (process.constrainedMemory()) and V8 sizes its heap for it, as it does on
 * Cloud Run. Null when no cgroup can be made here (not root, no v1 memory controller).
 */
async function memoryCgroup(limitMb: number): Promise<{ dir: string; remove: () => Promise<void> } | null> {
  try {
    const own = (await readFile('/proc/self/cgroup', 'utf8')).split('\n').find((line) => /^\d+:memory:/.test(line));
    if (!own) return null;
    const dir = path.join('/sys/fs/cgroup/memory', own.split(':')[2]!, `bytereview-bench-${process.pid}`);
    await mkdir(dir);
    await writeFile(path.join(dir, 'memory.limit_in_bytes'), String(limitMb * 1024 * 1024));
    return { dir, remove: () => rmdir(dir).catch(() => undefined) };
  } catch {
    return null;
  }
}

interface Runner {
  script: string;
  /** The cgroup directory a child joins before it starts, if any. */
  cgroup?: string;
}

/** One case in a fresh Node process (inside `runner.cgroup` when given). */
async function nodeCase(runner: Runner, kind: string, rows: number, file: string, withFunction?: string): Promise<CaseResult> {
  const args = [runner.script, '--case', kind, '--rows', String(rows), '--out', file, ...(withFunction ? ['--with-function', withFunction] : [])];
  if (!runner.cgroup) return lastJsonLine<CaseResult>(await runChild(process.execPath, args));
  // The shell joins the cgroup, then becomes node, so node starts already capped.
  const quoted = [process.execPath, ...args].map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(' ');
  const script = `echo $$ > '${path.join(runner.cgroup, 'cgroup.procs')}' && exec ${quoted}`;
  return lastJsonLine<CaseResult>(await runChild('/bin/sh', ['-c', script]));
}

async function postgresAvailable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function pandasAvailable(): Promise<boolean> {
  try {
    await runChild(PYTHON, ['-c', 'import pandas, xlsxwriter']);
    return true;
  } catch {
    return false;
  }
}

/** One pandas write in a fresh Python process. */
async function pandasCase(kind: 'xlsx' | 'csv', rows: number, file: string): Promise<CaseResult & { pandas: string }> {
  const result = lastJsonLine<CaseResult & { pandas: string }>(await runChild(PYTHON, ['-c', PANDAS_SCRIPT, String(rows), kind, file]));
  return { ...result, bytes: statSync(file).size };
}

/** The fastest run's times with the highest peak RSS of all runs. */
function best<T extends CaseResult>(runs: T[]): T {
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...fastest, peak_rss_mb: Math.max(...runs.map((run) => run.peak_rss_mb)) };
}

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (ours: number, theirs: number | undefined) => (theirs ? round(ours / theirs) : null);
const describe = (label: string, run: CaseResult) =>
  `${label}: ${round(run.seconds)} s (cpu ${round(run.cpu_seconds)} s), peak RSS ${round(run.peak_rss_mb, 1)} MB, ${run.bytes} bytes`;

/** The memory of the Cloud Functions instance the 1M-row run is capped at (the target). */
const INSTANCE_MEMORY_MB = 256;

async function main(): Promise<void> {
  const kind = argument('case', '');
  if (kind) {
    const functionDir = argument('with-function', '');
    const loadedRss = functionDir ? await loadBuiltFunction(functionDir) : undefined;
    const result = await runCase(kind, Number(argument('rows', '100000')), argument('out', '/dev/null'));
    console.log(JSON.stringify({ ...result, ...(loadedRss === undefined ? {} : { function_loaded_rss_mb: loadedRss }) }));
    return;
  }
  const rows = Number(argument('rows', '100000'));
  const bigRows = Number(argument('big-rows', '1000000'));
  const dbRows = Number(argument('db-rows', String(rows)));
  const repeat = Number(argument('repeat', '5'));
  // A CSV run takes half a second, short enough to fall wholly inside one of the host's slow
  // spells, and a pair costs about 3 s: CSV takes three times as many turns as XLSX.
  const csvRepeat = Number(argument('csv-repeat', String(repeat * 3)));
  const dir = await mkdtemp(path.join(tmpdir(), 'export-bench-'));
  const loadBefore = loadavg()[0]!;
  const host: Runner = { script: await compileSelf() };
  // The parent alone builds (the compiled children never import the build script).
  await (await import('../../build/functions.js')).buildFunction('export');
  const exportFunctionDir = path.join(PROJECT_ROOT, 'dist', 'functions', 'export');
  try {
    const generate = await nodeCase(host, 'generate', rows, '/dev/null');
    console.log(`generate ${rows} rows batch by batch: ${round(generate.seconds)} s, peak RSS ${round(generate.peak_rss_mb, 1)} MB (node + modules baseline)`);
    const withPandas = await pandasAvailable();
    if (!withPandas) console.log('pandas unavailable: /usr/bin/python3 cannot import pandas and xlsxwriter');

    // Ours and pandas take turns, each run in a fresh process, so a slow spell of the shared
    // host falls on both; each side's figure is its fastest run.
    const runs = { xlsx: [] as CaseResult[], csv: [] as CaseResult[], pandasXlsx: [] as CaseResult[], pandasCsv: [] as CaseResult[] };
    let pandasVersion = '';
    for (let attempt = 0; attempt < repeat; attempt++) {
      runs.xlsx.push(await nodeCase(host, 'xlsx', rows, path.join(dir, 'ours.xlsx')));
      if (withPandas) {
        const run = await pandasCase('xlsx', rows, path.join(dir, 'pandas.xlsx'));
        pandasVersion = run.pandas;
        runs.pandasXlsx.push(run);
      }
    }
    for (let attempt = 0; attempt < csvRepeat; attempt++) {
      runs.csv.push(await nodeCase(host, 'csv', rows, path.join(dir, 'ours.csv')));
      if (withPandas) runs.pandasCsv.push(await pandasCase('csv', rows, path.join(dir, 'pandas.csv')));
    }
    const xlsx = best(runs.xlsx);
    const csv = best(runs.csv);
    const pandasXlsx = withPandas ? best(runs.pandasXlsx) : undefined;
    const pandasCsv = withPandas ? best(runs.pandasCsv) : undefined;
    const seconds = (list: CaseResult[]) => list.map((run) => round(run.seconds, 2)).join(' ');
    console.log(`${describe(`writeXlsx ${rows} x 12`, xlsx)}; runs ${seconds(runs.xlsx)}`);
    if (pandasXlsx) console.log(`${describe(`pandas ${pandasVersion} to_excel(xlsxwriter) incl. DataFrame build`, pandasXlsx)}; runs ${seconds(runs.pandasXlsx)}`);
    console.log(`${describe(`writeCsv  ${rows} x 12`, csv)}; runs ${seconds(runs.csv)}`);
    if (pandasCsv) console.log(`${describe(`pandas ${pandasVersion} to_csv incl. DataFrame build`, pandasCsv)}; runs ${seconds(runs.pandasCsv)}`);

    // 1,000,000 rows: inside a memory cgroup the size of a small Cloud Functions instance,
    // where V8 sizes its heap as it does in production, and on this host with no cap, where
    // V8 lets its young generation grow to 2 x 64 MB because 24 GB allow it.
    const cgroup = await memoryCgroup(INSTANCE_MEMORY_MB);
    let big: CaseResult | null = null;
    let bigWithFunction: CaseResult | null = null;
    if (cgroup) {
      try {
        big = await nodeCase({ ...host, cgroup: cgroup.dir }, 'xlsx', bigRows, path.join(dir, 'big.xlsx'));
        if (big.memory_limit_mb !== INSTANCE_MEMORY_MB) throw new Error(`the capped run saw a memory limit of ${big.memory_limit_mb} MB`);
        console.log(describe(`writeXlsx ${bigRows} x 12 in a ${INSTANCE_MEMORY_MB} MB memory cgroup`, big));
        bigWithFunction = await nodeCase({ ...host, cgroup: cgroup.dir }, 'xlsx', bigRows, path.join(dir, 'big.xlsx'), exportFunctionDir);
        console.log(`${describe(`the same with the built export function loaded whole`, bigWithFunction)} (${round(bigWithFunction.function_loaded_rss_mb ?? 0, 1)} MB once loaded)`);
      } finally {
        await cgroup.remove();
      }
    } else {
      console.log(`no memory cgroup could be made here: the ${bigRows}-row run is measured uncapped only`);
    }
    const bigUncapped = await nodeCase(host, 'xlsx', bigRows, path.join(dir, 'big.xlsx'));
    console.log(describe(`writeXlsx ${bigRows} x 12 uncapped (${Math.round(totalmem() / 2 ** 30)} GB host)`, bigUncapped));

    const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const fromDatabase = await postgresAvailable(adminUrl)
      ? await benchDatabaseExport({ adminUrl, rows: dbRows, repeat, dir, fields: BENCH_COLUMNS.map((column) => ({ ...column, required: false })), row: benchRow })
      : null;
    if (fromDatabase) {
      const list = (values: number[]) => values.map((value) => round(value, 2)).join(' ');
      console.log(`from PostgreSQL, ${dbRows} rows (${fromDatabase.documents} results): COPY TO STDOUT csv ${round(fromDatabase.copy_csv_seconds)} s (runs ${list(fromDatabase.runs.copy)}); ` +
        `export cursor -> writeCsv ${round(fromDatabase.csv_e2e_seconds)} s (runs ${list(fromDatabase.runs.csv)}); -> writeXlsx ${round(fromDatabase.xlsx_e2e_seconds)} s (runs ${list(fromDatabase.runs.xlsx)})`);
    } else {
      console.log('no PostgreSQL server answers BENCH_DATABASE_URL (default the local one): the export from the database is not measured');
    }
    console.log(
      JSON.stringify({
        rows,
        xlsx_vs_pandas: ratio(xlsx.seconds, pandasXlsx?.seconds),
        csv_vs_pandas: ratio(csv.seconds, pandasCsv?.seconds),
        peak_rss_mb_1m_rows: big ? round(big.peak_rss_mb, 1) : null,
        peak_rss_mb_1m_rows_function_loaded: bigWithFunction ? round(bigWithFunction.peak_rss_mb, 1) : null,
        function_loaded_rss_mb: bigWithFunction?.function_loaded_rss_mb === undefined ? null : round(bigWithFunction.function_loaded_rss_mb, 1),
        csv_e2e_vs_copy: fromDatabase ? round(fromDatabase.csv_e2e_vs_copy) : null,
        xlsx_e2e_seconds: fromDatabase ? round(fromDatabase.xlsx_e2e_seconds) : null,
        csv_e2e_seconds: fromDatabase ? round(fromDatabase.csv_e2e_seconds) : null,
        copy_csv_seconds: fromDatabase ? round(fromDatabase.copy_csv_seconds) : null,
        db_rows: fromDatabase ? dbRows : null,
        peak_rss_mb_1m_rows_uncapped: round(bigUncapped.peak_rss_mb, 1),
        instance_memory_mb: big ? INSTANCE_MEMORY_MB : null,
        xlsx_vs_pandas_cpu: ratio(xlsx.cpu_seconds, pandasXlsx?.cpu_seconds),
        csv_vs_pandas_cpu: ratio(csv.cpu_seconds, pandasCsv?.cpu_seconds),
        xlsx_seconds: round(xlsx.seconds),
        csv_seconds: round(csv.seconds),
        pandas_xlsx_seconds: pandasXlsx ? round(pandasXlsx.seconds) : null,
        pandas_csv_seconds: pandasCsv ? round(pandasCsv.seconds) : null,
        xlsx_peak_rss_mb: round(xlsx.peak_rss_mb, 1),
        csv_peak_rss_mb: round(csv.peak_rss_mb, 1),
        pandas_peak_rss_mb: pandasXlsx && pandasCsv ? round(Math.max(pandasXlsx.peak_rss_mb, pandasCsv.peak_rss_mb), 1) : null,
        baseline_rss_mb: round(generate.peak_rss_mb, 1),
        generate_seconds: round(generate.seconds),
        big_rows: bigRows,
        big_xlsx_seconds: round((big ?? bigUncapped).seconds),
        repeat,
        csv_repeat: csvRepeat,
        load_average: [round(loadBefore, 2), round(loadavg()[0]!, 2)],
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
