import { defineConfig } from 'vitest/config';

// Three lanes, chosen by file name so each can run alone:
//   unit  *.test.ts            pure functions, no services
//   db    *.db.test.ts         real PostGIS (embedded PGlite, or DATABASE_URL)
//   e2e   *.e2e.test.ts        server + PostGIS + real Chromium
const slow = ['**/*.db.test.ts', '**/*.e2e.test.ts', '**/node_modules/**', '**/dist/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: slow,
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'db',
          include: ['packages/*/src/**/*.db.test.ts', 'apps/*/src/**/*.db.test.ts', 'test/**/*.db.test.ts'],
          // Keeps each migrated/seeded database state once per run, for files to start from (embedded lane).
          globalSetup: ['test/support/db-global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          // Imports and tiles the sample city once; each file's server starts on a copy (see the file).
          globalSetup: ['test/support/e2e-global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
