import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// `npm run bench:extraction` on a few documents: the script must keep working and keep ending
// with the JSON line its figures are read from. The figures themselves are measured by the
// script on the full corpus, not asserted here.
describe('npm run bench:extraction', () => {
  it('scores the local extractor on every layout and ends with one JSON object of figures', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/extraction.ts', '--count', '20', '--seed', '3'], {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, EXTRACTOR: 'local' },
      maxBuffer: 1 << 20,
    });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      documents: number;
      layouts: number;
      engines: Record<string, { failed: number; row_recall: number; by_type: Record<string, unknown>; by_layout: Record<string, unknown> }>;
    };
    expect(summary).toMatchObject({ documents: 20, layouts: 10, seed: 3 });
    const local = summary.engines['local-text-v1']!;
    expect(Object.keys(local.by_type).sort()).toEqual(['currency', 'date', 'list', 'text']);
    expect(Object.keys(local.by_layout)).toHaveLength(10);
    for (const figures of Object.values(local.by_type)) {
      expect(Object.keys(figures as object).sort()).toEqual(['exact_match', 'precision', 'recall']);
    }
    expect(local.row_recall).toBeGreaterThanOrEqual(0);
    expect(local.row_recall).toBeLessThanOrEqual(1);
  }, 120_000);
});
