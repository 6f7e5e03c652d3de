import { defineConfig } from '@playwright/test';

/**
 * Electron e2e: the real shell (out/main, out/preload) against the real companion server.
 * Skipped with a message where the Electron binary is not installed; see shell.spec.ts.
 */
export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results/electron',
  // One Electron window at a time: the shell is heavy and the machines have two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
});
