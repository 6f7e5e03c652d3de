import { defineConfig } from 'vitest/config';

/**
 * Integration files the PostgreSQL run leaves out, each with its reason: the parity tests
 * (`*-store`) already compare both stores in the SQLite run, and some tests are about SQLite itself.
 */
const POSTGRES_EXCLUDED = [
  // compare SQLite and PostgreSQL themselves, in the SQLite run
  'tests/integration/*-store.test.ts',
  'tests/integration/store.test.ts',
  'tests/integration/pg-schema-agreement.test.ts',
  'tests/integration/copy-to-postgres.test.ts',
  // about SQLite's file itself: its audit trail tampered with behind the server and verified on the
  // file (audit:verify -- --db is tested in audit-store), its backups, an old file's migration, and
  // the demo generator's files
  'tests/integration/audit-tamper.test.ts',
  'tests/integration/audit.test.ts',
  'tests/integration/backup.test.ts',
  'tests/integration/alerts-migration.test.ts',
  'tests/integration/demo-presets.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'renderer/src/**/*.test.ts', 'electron/**/*.test.ts', 'tests/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // integration tests start real servers on real ports and files; run files one at a time
          fileParallelism: false,
        },
      },
      {
        test: {
          // the same integration tests on PostgreSQL (docs/POSTGRES.md): one throwaway cluster for
          // the run, a database per test server holding a copy of the seeded county
          name: 'integration-pg',
          include: ['tests/integration/**/*.test.ts'],
          exclude: POSTGRES_EXCLUDED,
          env: { GRIDCOMMAND_TEST_DB: 'postgres' },
          globalSetup: ['tests/integration/pg-global-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // crash loop, network cuts, fuzzing, soak (docs/RELIABILITY.md): short by default (npm test),
          // long with GRIDCOMMAND_RELIABILITY=long (npm run test:reliability)
          name: 'reliability',
          include: ['tests/reliability/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20 * 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
