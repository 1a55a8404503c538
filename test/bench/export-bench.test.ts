import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// `npm run bench:export` at a small size: the script must keep working and keep ending with
// the JSON line its figures are read from. The figures themselves are measured by the
// script at full size, not asserted here.
describe('npm run bench:export', () => {
  it('ends with one JSON object holding the ratios to pandas and the peak RSS of the big run', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'test/bench/export.ts', '--rows', '1500', '--big-rows', '3000', '--db-rows', '1000', '--repeat', '1', '--csv-repeat', '1'],
      { cwd: new URL('../..', import.meta.url), maxBuffer: 1 << 20 },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({ rows: 1500, big_rows: 3000, repeat: 1 });
    for (const key of ['xlsx_vs_pandas', 'csv_vs_pandas', 'peak_rss_mb_1m_rows', 'peak_rss_mb_1m_rows_function_loaded', 'csv_e2e_vs_copy', 'xlsx_e2e_seconds']) expect(summary).toHaveProperty(key);
    expect(summary.peak_rss_mb_1m_rows_uncapped).toBeGreaterThan(0);
    expect(summary.csv_seconds).toBeGreaterThan(0);
    expect(summary.xlsx_seconds).toBeGreaterThan(0);
    // Where pandas is installed (Debian python3-pandas python3-xlsxwriter), the ratios are numbers.
    if (summary.pandas_csv_seconds !== null) expect(summary.csv_vs_pandas).toBeGreaterThan(0);
    // Where a memory cgroup can be made, the capped run saw the instance's limit.
    if (summary.peak_rss_mb_1m_rows !== null) expect(summary.instance_memory_mb).toBe(256);
    // ... and the run with the built export function loaded started from more than the writer alone.
    if (summary.peak_rss_mb_1m_rows_function_loaded !== null) expect(summary.function_loaded_rss_mb).toBeGreaterThan(0);
    // Where a PostgreSQL server answers, the export from the database was measured against COPY.
    if (summary.csv_e2e_vs_copy !== null) expect(summary).toMatchObject({ db_rows: 1000, csv_e2e_seconds: expect.any(Number), copy_csv_seconds: expect.any(Number) });
  }, 120_000);
});
