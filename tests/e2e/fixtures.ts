import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';
import { ConsoleDriver } from './driver';
import { startServer, type RunningServer } from './server-process';

interface ConsoleProblems {
  errors: string[];
  warnings: string[];
}

interface TestFixtures {
  /** Console messages that would not be tolerated: any error, and the page's own warnings. */
  consoleProblems: ConsoleProblems;
  /** Console errors (and the browser's network warnings) a test expects (e.g. refused connections once it stopped the server). */
  expectedConsoleErrors: RegExp[];
  /** The console, driven through its UI and the server's public API. */
  gc: ConsoleDriver;
  /**
   * A second console in its own browser context (its own session), for checks that another
   * dispatcher sees a change live. Held to the same console-error rule.
   */
  otherConsole: ConsoleDriver;
}

interface WorkerFixtures {
  /** The real companion server with a fresh demo county, one per worker. */
  server: RunningServer;
}

function describe(message: ConsoleMessage): string {
  const { url, lineNumber } = message.location();
  return `${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`;
}

/** Collects a page's console errors (but those expected) and our bundle's own warnings. */
function watchConsole(page: Page, expectedConsoleErrors: RegExp[]): ConsoleProblems {
  const problems: ConsoleProblems = { errors: [], warnings: [] };
  page.on('console', (message) => {
    const text = describe(message);
    if (message.type() === 'error' && !expectedConsoleErrors.some((re) => re.test(text))) problems.errors.push(text);
    // Warnings from our own bundle; Chromium's own notes (GPU, SwiftShader) are not ours.
    // Chromium reports some network events as a warning at the bundle line that opened the
    // connection ("WebSocket is closed before the connection is established" while the server is
    // down): a test that expects those errors expects them as warnings too.
    if (message.type() === 'warning' && /\/assets\//.test(message.location().url ?? '') && !expectedConsoleErrors.some((re) => re.test(text))) problems.warnings.push(text);
  });
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  return problems;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.dispose();
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  expectedConsoleErrors: [[], { option: true }],

  consoleProblems: [
    async ({ page, expectedConsoleErrors }, use) => {
      const problems = watchConsole(page, expectedConsoleErrors);
      await use(problems);
      expect(problems.errors, 'console errors').toEqual([]);
      expect(problems.warnings, 'console warnings from the console bundle').toEqual([]);
    },
    { auto: true },
  ],

  otherConsole: async ({ browser, server, expectedConsoleErrors }, use) => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const problems = watchConsole(page, expectedConsoleErrors);
    await use(new ConsoleDriver(page, server));
    await context.close();
    expect(problems.errors, 'console errors of the other console').toEqual([]);
    expect(problems.warnings, 'console warnings of the other console').toEqual([]);
  },

  gc: async ({ page, server }, use) => {
    await use(new ConsoleDriver(page, server));
  },
});

export { expect };
