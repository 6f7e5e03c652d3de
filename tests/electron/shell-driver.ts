import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import type { PreloadApi } from '../../shared/contracts/ipc.js';
import { REPO_ROOT } from './server-process.js';

const BUILT_MAIN = join(REPO_ROOT, 'out/main/index.js');
const BUILT_PRELOAD = join(REPO_ROOT, 'out/preload/index.cjs');
const BUILT_CONSOLE = join(REPO_ROOT, 'out/renderer/index.html');

export interface LaunchOptions {
  executablePath: string;
  serverUrl: string;
  /**
   * The shell's user-data folder for this test. Set through XDG_CONFIG_HOME (where Electron puts
   * `userData` on Linux, these machines' platform); `launch` checks that it took effect, so a
   * test never writes into the real profile.
   */
  userDataDir: string;
  /** `--packaged-console`: the shell serves its own console on app://gridcommand. */
  packagedConsole: boolean;
  extraArgs: string[];
}

/** What a page-side `fetch` saw. */
export interface FetchOutcome {
  status: number;
  contentType: string | null;
  csp: string | null;
}

/**
 * The page globals the driver touches. The node-side tsconfig has no DOM lib, and `evaluate`
 * callbacks are serialized into the page, so they cast `globalThis` inline.
 */
interface PageScope {
  gridcommand?: PreloadApi;
  fetch(url: string): Promise<{ status: number; headers: { get(name: string): string | null } }>;
  open(url: string): object | null;
  location: { href: string };
}

/** Drives the real Electron shell; specs talk to it only through these methods. */
export class ShellDriver {
  /** Errors the console logged or threw; the fixture fails the test on any. */
  readonly consoleErrors: string[] = [];
  private readonly shellLog: string[] = [];
  private closed = false;

  private constructor(
    private readonly app: ElectronApplication,
    readonly window: Page,
  ) {
    window.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
    window.on('pageerror', (error) => this.consoleErrors.push(error.message));
  }

  static async launch(opts: LaunchOptions): Promise<ShellDriver> {
    const required = opts.packagedConsole ? [BUILT_MAIN, BUILT_PRELOAD, BUILT_CONSOLE] : [BUILT_MAIN, BUILT_PRELOAD];
    for (const file of required) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
    }
    const env = Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE'),
    );
    env.XDG_CONFIG_HOME = opts.userDataDir;
    const app = await electron.launch({
      executablePath: opts.executablePath,
      // Chromium refuses to start its OS sandbox as root (CI containers); the renderer sandbox
      // this suite checks (no Node in the page, isolated preload) does not depend on it.
      args: [
        BUILT_MAIN,
        `--server-url=${opts.serverUrl}`,
        ...(opts.packagedConsole ? ['--packaged-console'] : []),
        ...opts.extraArgs,
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
      cwd: REPO_ROOT,
      env,
    });
    const driver = new ShellDriver(app, await app.firstWindow());
    app.process().stdout?.on('data', (chunk: Buffer) => driver.shellLog.push(...chunk.toString().split('\n')));
    const userData = await driver.userDataPath();
    if (relative(opts.userDataDir, userData).startsWith('..')) {
      await driver.close();
      throw new Error(`the shell's userData is ${userData}, not inside the test's folder ${opts.userDataDir}`);
    }
    return driver;
  }

  async whenPageLoaded(): Promise<void> {
    await this.window.waitForLoadState('load');
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

  /** Calls one `window.gridcommand` function in the page; rejects with the page's error message. */
  callPreload<M extends Exclude<keyof PreloadApi, 'platform'>>(method: M, ...args: Parameters<PreloadApi[M]>): Promise<Awaited<ReturnType<PreloadApi[M]>>> {
    return this.window.evaluate(
      async ([name, callArgs]) => {
        const api = (globalThis as unknown as PageScope).gridcommand as unknown as Record<string, (...a: unknown[]) => Promise<unknown>> | undefined;
        if (!api) throw new Error('window.gridcommand is missing');
        return api[name]!(...callArgs);
      },
      [method, args as unknown[]] as const,
    ) as Promise<Awaited<ReturnType<PreloadApi[M]>>>;
  }

  /** `fetch(url)` from the page, as the console would. */
  fetchInPage(url: string): Promise<FetchOutcome> {
    return this.window.evaluate(async (target) => {
      const response = await (globalThis as unknown as PageScope).fetch(target);
      return { status: response.status, contentType: response.headers.get('content-type'), csp: response.headers.get('content-security-policy') };
    }, url);
  }

  userDataPath(): Promise<string> {
    return this.app.evaluate(({ app }) => app.getPath('userData'));
  }

  /** The Linux key-store backend behind safeStorage (`basic_text` means no real encryption); `os` elsewhere. */
  storageBackend(): Promise<string> {
    return this.app.evaluate(({ safeStorage }) => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'));
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

  /** Idempotent: a test may close the shell to restart it, and the fixture closes what is left. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.app.close();
  }
}
