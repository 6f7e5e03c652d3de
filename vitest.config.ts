import { defineConfig } from 'vitest/config';

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
