import { test as base, expect } from '@playwright/test';
import { findElectronBinary } from '../../server/src/cli/electron-launch.js';
import { startForeignSite, startServer, type ForeignSite, type RunningServer } from './server-process.js';
import { ShellDriver } from './shell-driver.js';

export const electronBinary = findElectronBinary();

export const SKIP_WITHOUT_ELECTRON =
  'Electron binary not installed (cannot be downloaded on this machine); Electron e2e skipped — the console itself is covered by tests/e2e in Chromium';

/**
 * `server` and `foreignSite` live per worker (the server seeds its own data folder once);
 * `shell` is a fresh Electron app per test, which fails the test on any console error.
 */
export const test = base.extend<{ shell: ShellDriver }, { server: RunningServer; foreignSite: ForeignSite }>({
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
  shell: async ({ server }, use) => {
    if (electronBinary === null) throw new Error(SKIP_WITHOUT_ELECTRON);
    const shell = await ShellDriver.launch({ executablePath: electronBinary, serverUrl: server.url });
    await use(shell);
    await shell.close();
    expect(shell.consoleErrors, 'console errors in the Electron window').toEqual([]);
  },
});

export { expect };
