/**
 * Export benchmark: `npx tsx test/bench/export.ts [--rows 100000] [--big-rows 1000000] [--repeat 3]`.
 *
 * Generates the same deterministic 12-column rows (10 fields + source file + source type)
 * in batches of 1,000, as a cursor would deliver them, and writes them with writeXlsx and
 * writeCsv, each case in its own child process so its peak RSS (`maxRSS`) is its own. The
 * same rows go through pandas + xlsxwriter (the seed's `df.to_excel(engine='xlsxwriter')`,
 * `df.to_csv`) when /usr/bin/python3 has them. Our wall time includes generating the rows;
 * pandas's includes building the DataFrame (dates parsed, lists joined) but not generating
 * the Python lists. Each timing is the fastest of `--repeat` runs (the host is shared), with
 * CPU seconds next to wall seconds. The last line of output is one JSON object.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCsv } from '../../shared/exports/csv.js';
import type { ExportColumn, ExportRow } from '../../shared/exports/types.js';
import { writeXlsx } from '../../shared/exports/xlsx.js';

const BATCH_SIZE = 1_000;
const PYTHON = '/usr/bin/python3';

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

const PANDAS_SCRIPT = String.raw`
import json, resource, sys, time, datetime
import pandas as pd
rows_n, repeat, xlsx_path, csv_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
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
def build():
    df = pd.DataFrame(rows, columns=names)
    for c in ('Invoice date', 'Due date'):
        df[c] = pd.to_datetime(df[c], format='%Y-%m-%d')
    df['Tags'] = df['Tags'].str.join('; ')
    return df
def timed(write):
    wall, cpu = time.perf_counter(), time.process_time()
    write(build())
    return time.perf_counter() - wall, time.process_time() - cpu
xlsx = min(timed(lambda df: df.to_excel(xlsx_path, index=False, engine='xlsxwriter')) for _ in range(repeat))
csv = min(timed(lambda df: df.to_csv(csv_path, index=False, encoding='utf-8-sig', lineterminator='\r\n')) for _ in range(repeat))
print(json.dumps({'xlsx_seconds': xlsx[0], 'xlsx_cpu_seconds': xlsx[1], 'csv_seconds': csv[0], 'csv_cpu_seconds': csv[1],
                  'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  'pandas': pd.__version__}))
`;

interface CaseResult {
  seconds: number;
  cpu_seconds: number;
  peak_rss_mb: number;
  bytes: number;
}

interface PandasResult {
  xlsx_seconds: number;
  xlsx_cpu_seconds: number;
  csv_seconds: number;
  csv_cpu_seconds: number;
  peak_rss_mb: number;
  pandas: string;
}

/** One case inside a child process: writes the file, reports time, size and peak RSS. */
async function runCase(kind: string, rows: number, file: string): Promise<CaseResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (kind === 'xlsx') await writeXlsx(BENCH_COLUMNS, benchBatches(rows), createWriteStream(file));
  else if (kind === 'csv') await writeCsv(BENCH_COLUMNS, benchBatches(rows), createWriteStream(file));
  else for await (const batch of benchBatches(rows)) void batch; // 'generate': the rows alone
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    seconds,
    cpu_seconds: (used.user + used.system) / 1e6,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    bytes: kind === 'generate' ? 0 : statSync(file).size,
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

/** Runs a case `repeat` times, each in a fresh child: the fastest run, the highest peak RSS. */
async function childCase(kind: string, rows: number, file: string, repeat = 1, nodeFlags: string[] = []): Promise<CaseResult> {
  const self = fileURLToPath(import.meta.url);
  const runs: CaseResult[] = [];
  for (let i = 0; i < repeat; i++) {
    const stdout = await runChild(process.execPath, [...nodeFlags, '--import', 'tsx', self, '--case', kind, '--rows', String(rows), '--out', file]);
    runs.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as CaseResult);
  }
  const fastest = runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));
  return { ...fastest, peak_rss_mb: Math.max(...runs.map((run) => run.peak_rss_mb)) };
}

async function pandasCase(rows: number, repeat: number, dir: string): Promise<PandasResult | null> {
  try {
    await runChild(PYTHON, ['-c', 'import pandas, xlsxwriter']);
  } catch {
    return null;
  }
  const stdout = await runChild(PYTHON, ['-c', PANDAS_SCRIPT, String(rows), String(repeat), path.join(dir, 'pandas.xlsx'), path.join(dir, 'pandas.csv')]);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as PandasResult;
}

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (ours: number, theirs: number | undefined) => (theirs ? round(ours / theirs) : null);

// V8 sizes its young generation from the machine's memory: up to 3 x 32 MB semi-spaces on
// a large host, a few MB in a small Cloud Functions instance. The 1M-row run is measured
// with V8's defaults and again with the young generation capped, as NODE_OPTIONS would.
const CAPPED_YOUNG_GENERATION = ['--max-semi-space-size=16'];

async function main(): Promise<void> {
  const kind = argument('case', '');
  if (kind) {
    const result = await runCase(kind, Number(argument('rows', '100000')), argument('out', '/dev/null'));
    console.log(JSON.stringify(result));
    return;
  }
  const rows = Number(argument('rows', '100000'));
  const bigRows = Number(argument('big-rows', '1000000'));
  const repeat = Number(argument('repeat', '3'));
  const dir = await mkdtemp(path.join(tmpdir(), 'export-bench-'));
  const loadBefore = loadavg()[0]!;
  try {
    const generate = await childCase('generate', rows, '/dev/null');
    console.log(`generate ${rows} rows only: ${round(generate.seconds)} s, peak RSS ${round(generate.peak_rss_mb, 1)} MB (node + tsx + modules baseline)`);
    const xlsx = await childCase('xlsx', rows, path.join(dir, 'ours.xlsx'), repeat);
    console.log(`writeXlsx ${rows} x 12: ${round(xlsx.seconds)} s (cpu ${round(xlsx.cpu_seconds)} s), peak RSS ${round(xlsx.peak_rss_mb, 1)} MB, ${xlsx.bytes} bytes`);
    const csv = await childCase('csv', rows, path.join(dir, 'ours.csv'), repeat);
    console.log(`writeCsv  ${rows} x 12: ${round(csv.seconds)} s (cpu ${round(csv.cpu_seconds)} s), peak RSS ${round(csv.peak_rss_mb, 1)} MB, ${csv.bytes} bytes`);
    const pandas = await pandasCase(rows, repeat, dir);
    if (pandas) {
      console.log(`pandas ${pandas.pandas} to_excel(xlsxwriter) incl. DataFrame build: ${round(pandas.xlsx_seconds)} s (cpu ${round(pandas.xlsx_cpu_seconds)} s); to_csv incl. build: ${round(pandas.csv_seconds)} s (cpu ${round(pandas.csv_cpu_seconds)} s); peak RSS ${round(pandas.peak_rss_mb, 1)} MB`);
    } else {
      console.log('pandas unavailable: /usr/bin/python3 cannot import pandas and xlsxwriter');
    }
    const big = await childCase('xlsx', bigRows, path.join(dir, 'big.xlsx'));
    console.log(`writeXlsx ${bigRows} x 12: ${round(big.seconds)} s, peak RSS ${round(big.peak_rss_mb, 1)} MB, ${big.bytes} bytes`);
    const bigCapped = await childCase('xlsx', bigRows, path.join(dir, 'big.xlsx'), 1, CAPPED_YOUNG_GENERATION);
    console.log(`writeXlsx ${bigRows} x 12 with ${CAPPED_YOUNG_GENERATION.join(' ')}: ${round(bigCapped.seconds)} s, peak RSS ${round(bigCapped.peak_rss_mb, 1)} MB`);
    console.log(
      JSON.stringify({
        rows,
        xlsx_vs_pandas: ratio(xlsx.seconds, pandas?.xlsx_seconds),
        csv_vs_pandas: ratio(csv.seconds, pandas?.csv_seconds),
        peak_rss_mb_1m_rows: round(big.peak_rss_mb, 1),
        peak_rss_mb_1m_rows_capped_young_gen: round(bigCapped.peak_rss_mb, 1),
        xlsx_vs_pandas_cpu: ratio(xlsx.cpu_seconds, pandas?.xlsx_cpu_seconds),
        csv_vs_pandas_cpu: ratio(csv.cpu_seconds, pandas?.csv_cpu_seconds),
        xlsx_seconds: round(xlsx.seconds),
        csv_seconds: round(csv.seconds),
        pandas_xlsx_seconds: pandas ? round(pandas.xlsx_seconds) : null,
        pandas_csv_seconds: pandas ? round(pandas.csv_seconds) : null,
        xlsx_peak_rss_mb: round(xlsx.peak_rss_mb, 1),
        csv_peak_rss_mb: round(csv.peak_rss_mb, 1),
        pandas_peak_rss_mb: pandas ? round(pandas.peak_rss_mb, 1) : null,
        baseline_rss_mb: round(generate.peak_rss_mb, 1),
        big_rows: bigRows,
        big_xlsx_seconds: round(big.seconds),
        load_average: [round(loadBefore, 2), round(loadavg()[0]!, 2)],
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
