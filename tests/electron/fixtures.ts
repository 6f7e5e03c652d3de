import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { findElectronBinary } from '../../server/src/cli/electron-launch.js';
import { startForeignSite, startServer, type ForeignSite, type RunningServer } from './server-process.js';
import { ShellDriver, type LaunchOptions } from './shell-driver.js';

export const electronBinary = findElectronBinary();

export const SKIP_WITHOUT_ELECTRON =
  'Electron binary not installed (cannot be downloaded on this machine); Electron e2e skipped — the console itself is covered by tests/e2e in Chromium';

/** How a spec file wants the shell started; set per file with `test.use({ shellOptions })`. */
export interface ShellOptions {
  /** `--packaged-console`: the shell serves its own console on app://gridcommand. */
  packagedConsole: boolean;
  /** More command-line arguments, e.g. `--password-store=basic`. */
  extraArgs: string[];
}

type Launch = (overrides?: Partial<Omit<LaunchOptions, 'executablePath' | 'userDataDir'>>) => Promise<ShellDriver>;

/**
 * `server` and `foreignSite` live per worker (the server seeds its own data folder once).
 * Per test: a fresh user-data folder, and `launchShell` for each Electron start (a test may restart
 * the shell on the same folder); `shell` is the first start with the file's options. Every window
 * fails the test on any console error.
 */
export const test = base.extend<
  { shellOptions: ShellOptions; userDataDir: string; launchShell: Launch; shell: ShellDriver },
  { server: RunningServer; foreignSite: ForeignSite }
>({
  server: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern; `{}` means none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  foreignSite: [
    // eslint-disable-next-line no-empty-pattern -- no dependencies, as above
    async ({}, use) => {
      const site = await startForeignSite();
      await use(site);
      await site.stop();
    },
    { scope: 'worker' },
  ],
  shellOptions: [{ packagedConsole: false, extraArgs: [] }, { option: true }],
  // eslint-disable-next-line no-empty-pattern -- no dependencies, as above
  userDataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'gridcommand-shell-profile-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  launchShell: async ({ server, shellOptions, userDataDir }, use) => {
    if (electronBinary === null) throw new Error(SKIP_WITHOUT_ELECTRON);
    const started: ShellDriver[] = [];
    await use(async (overrides = {}) => {
      const shell = await ShellDriver.launch({
        executablePath: electronBinary,
        serverUrl: server.url,
        userDataDir,
        ...shellOptions,
        ...overrides,
      });
      started.push(shell);
      return shell;
    });
    for (const shell of started) await shell.close();
    for (const shell of started) expect(shell.consoleErrors, 'console errors in the Electron window').toEqual([]);
  },
  shell: async ({ launchShell }, use) => {
    await use(await launchShell());
  },
});

export { expect };
