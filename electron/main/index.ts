import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, session, type BrowserWindowConstructorOptions } from 'electron';
import { handleAppScheme, registerAppScheme } from './app-protocol.js';
import { saveCallerAsPdf } from './briefing-pdf.js';
import { createIpcDispatcher } from './ipc-dispatch.js';
import { safeStorageCipher } from './safe-storage.js';
import { hardenSession, hardenWebContents, registerIpcHandlers } from './security.js';
import { buildContentSecurityPolicy } from './security-policy.js';
import { resolveShellConfig, type ShellConfig } from './shell-config.js';
import { createTokenVault, TOKEN_FILE_NAME } from './token-vault.js';
import { InvalidWallDisplayError, wallDisplayFromStartup, wallUrl, type WallDisplayChoice } from './wall-display.js';
import { installApplicationMenu, WallWindow } from './wall-window.js';

const WINDOW_TITLE = '网格智治指挥台 GridCommand';
/** Dark like the console (color-scheme: dark); shows while the page loads or the window resizes. */
const BACKGROUND_COLOR = '#0b1220';
/** The console built by `npm run build` (out/renderer), beside this file's out/main. */
const PACKAGED_CONSOLE_ROOT = join(import.meta.dirname, '../renderer');

const log = (message: string): void => console.log(`[gridcommand:shell] ${message}`);

/** A window of the console, the desk's or the wall's: always these locked-down web preferences. */
function consoleWindow(options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      // A sandboxed preload cannot be an ES module, hence the .cjs build. Electronegativity flags
      // every preload for manual review; reviewed: it exposes only PreloadApi's named functions
      // through contextBridge (tested in electron/preload/api.test.ts), runs sandboxed, and main
      // re-checks the sender's origin and the arguments on each call.
      preload: join(import.meta.dirname, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // No `auxclick` events: a middle-click must not be a second way to open links.
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

function createWindow(consoleUrl: string): void {
  const mainWindow = consoleWindow({
    title: WINDOW_TITLE,
    width: 1600,
    height: 1000,
    minWidth: 1024,
    minHeight: 700,
    backgroundColor: BACKGROUND_COLOR,
    show: false,
  });
  // The product title stays fixed whatever the page's <title> says.
  mainWindow.on('page-title-updated', (event) => event.preventDefault());
  mainWindow.once('ready-to-show', () => mainWindow.show());
  mainWindow.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (isMainFrame) log(`could not load the console from ${url}: ${description} (${code}); is the server running?`);
  });
  mainWindow.loadURL(consoleUrl).catch(() => {
    // Reported by did-fail-load above; the window stays open so the operator sees it.
  });
}

function main(): void {
  let config: ShellConfig;
  try {
    config = resolveShellConfig(process.argv, process.env, app.isPackaged);
  } catch (error) {
    console.error(`[gridcommand:shell] ${(error as Error).message}`);
    app.exit(2);
    return;
  }
  if (config.source === 'packaged' && !existsSync(join(PACKAGED_CONSOLE_ROOT, 'index.html'))) {
    console.error(`[gridcommand:shell] the packaged console is missing (${PACKAGED_CONSOLE_ROOT}); run \`npm run build\``);
    app.exit(2);
    return;
  }
  let wallDisplay: WallDisplayChoice | null;
  try {
    wallDisplay = wallDisplayFromStartup(process.argv, process.env);
  } catch (error) {
    if (!(error instanceof InvalidWallDisplayError)) throw error;
    console.error(`[gridcommand:shell] ${error.message}`);
    app.exit(2);
    return;
  }
  const serverUrl = config.serverUrl.href;
  const csp = buildContentSecurityPolicy(config.serverUrl.origin, config.source);

  app.enableSandbox();
  // Privileged schemes can only be registered before `ready`.
  if (config.source === 'packaged') registerAppScheme();
  hardenWebContents(config.consoleOrigin, log);
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    if (config.source === 'packaged') handleAppScheme(PACKAGED_CONSOLE_ROOT, csp);
    hardenSession(session.defaultSession, config.consoleOrigin, csp);
    const tokens = createTokenVault({
      file: join(app.getPath('userData'), TOKEN_FILE_NAME),
      cipher: safeStorageCipher(),
      serverOrigin: config.serverUrl.origin,
    });
    const dispatch = createIpcDispatcher({
      handlers: {
        getServerUrl: () => serverUrl,
        getVersion: () => __GRIDCOMMAND_VERSION__,
        storeToken: (token) => tokens.store(token),
        loadToken: () => tokens.load(),
        clearToken: () => tokens.clear(),
        saveBriefingPdf: (fileName, caller) => saveCallerAsPdf(caller.contentsId, fileName),
      },
      consoleOrigin: config.consoleOrigin,
      log,
    });
    registerIpcHandlers(dispatch);
    // The wall (大屏): from the menu on any display, or at start on the one `--wall-display` names.
    const wall = new WallWindow({ url: wallUrl(config.consoleUrl, config.source), title: WINDOW_TITLE, backgroundColor: BACKGROUND_COLOR, createWindow: consoleWindow, log });
    installApplicationMenu(wall);
    createWindow(config.consoleUrl);
    if (wallDisplay) wall.openOn(wallDisplay);
    log(`loading the console from ${config.consoleUrl}${config.source === 'packaged' ? `; server ${serverUrl}` : ''}`);
  });
}

main();
