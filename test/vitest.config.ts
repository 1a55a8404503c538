import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Three files at a time on two cores: many files wait (the Pub/Sub emulator's redelivery,
    // the auto-run debounce, child processes starting), so a third keeps both cores busy.
    // Measured on this 2-core machine, quiet, PGlite: 2 workers 206 s, 3 workers 184 s, 4 181 s.
    maxWorkers: 3,
    // Test files share their worker's module cache instead of importing the Google clients,
    // Kysely and PGlite afresh for each of ~75 files: measured on this 2-core machine, the
    // imports of 14 files fell from 104 s to 18 s and the CPU time of the run by a fifth.
    // Nothing in the suite changes process.env or module state without restoring it.
    isolate: false,
  },
});
