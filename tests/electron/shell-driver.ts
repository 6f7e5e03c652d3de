import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import type { PreloadApi } from '../../shared/contracts/ipc.js';
import { REPO_ROOT } from './server-process.js';

const BUILT_MAIN = join(REPO_ROOT, 'out/main/index.js');
const BUILT_PRELOAD = join(REPO_ROOT, 'out/preload/index.cjs');

/**
 * The page globals the driver touches. The node-side tsconfig has no DOM lib, and `evaluate`
 * callbacks are serialized into the page, so they cast `globalThis` inline.
 */
interface PageScope {
  gridcommand?: PreloadApi;
  open(url: string): object | null;
  location: { href: string };
}

/** Drives the real Electron shell; specs talk to it only through these methods. */
export class ShellDriver {
  /** Errors the console logged or threw; the fixture fails the test on any. */
  readonly consoleErrors: string[] = [];
  private readonly shellLog: string[] = [];

  private constructor(
    private readonly app: ElectronApplication,
    readonly window: Page,
  ) {
    window.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
    window.on('pageerror', (error) => this.consoleErrors.push(error.message));
  }

  static async launch(opts: { executablePath: string; serverUrl: string }): Promise<ShellDriver> {
    for (const file of [BUILT_MAIN, BUILT_PRELOAD]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:electron\` first`);
    }
    const env = Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE'),
    );
    const app = await electron.launch({
      executablePath: opts.executablePath,
      // Chromium refuses to start its OS sandbox as root (CI containers); the renderer sandbox
      // this suite checks (no Node in the page, isolated preload) does not depend on it.
      args: [BUILT_MAIN, `--server-url=${opts.serverUrl}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      cwd: REPO_ROOT,
      env,
    });
    const driver = new ShellDriver(app, await app.firstWindow());
    app.process().stdout?.on('data', (chunk: Buffer) => driver.shellLog.push(...chunk.toString().split('\n')));
    return driver;
  }

  async whenConsoleLoaded(): Promise<void> {
    await this.window.waitForLoadState('load');
    await this.window.locator('#root > *').first().waitFor();
  }

  /** URL of the window's main frame, as the main process sees it. */
  currentUrl(): Promise<string> {
    return this.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.getURL() ?? '');
  }

  windowTitle(): Promise<string> {
    return this.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '');
  }

  windowCount(): Promise<number> {
    return this.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
  }

  /** Each own property of `window.gridcommand` with its `typeof`. */
  exposedApi(): Promise<Record<string, string>> {
    return this.window.evaluate(() => {
      const api = (globalThis as unknown as PageScope).gridcommand ?? {};
      return Object.fromEntries(Object.entries(api).map(([key, value]) => [key, typeof value]));
    });
  }

  async callApi(): Promise<{ platform: string; serverUrl: string; version: string }> {
    return this.window.evaluate(async () => {
      const api = (globalThis as unknown as PageScope).gridcommand;
      if (!api) throw new Error('window.gridcommand is missing');
      return { platform: api.platform, serverUrl: await api.getServerUrl(), version: await api.getVersion() };
    });
  }

  /** `typeof` of the Node globals a page must never see. */
  nodeGlobals(): Promise<Record<string, string>> {
    return this.window.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return Object.fromEntries(['require', 'process', 'module', 'Buffer', 'global'].map((name) => [name, typeof scope[name]]));
    });
  }

  /** What `window.open(url)` returned to the page: true when the page got a window handle. */
  openWindow(url: string): Promise<boolean> {
    return this.window.evaluate((target) => (globalThis as unknown as PageScope).open(target) !== null, url);
  }

  /** Asks the page to navigate its main frame to `url`. */
  async navigateTo(url: string): Promise<void> {
    await this.window.evaluate((target) => {
      (globalThis as unknown as PageScope).location.href = target;
    }, url);
  }

  /** Waits until the main process logged a line containing `text`. */
  async waitForShellLog(text: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.shellLog.some((line) => line.includes(text))) {
      if (Date.now() > deadline) throw new Error(`shell never logged "${text}"; it logged:\n${this.shellLog.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
