import { join } from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { resolveServerUrl } from './server-url.js';
import { hardenSession, hardenWebContents, registerIpcHandlers } from './security.js';

const WINDOW_TITLE = '网格智治指挥台 GridCommand';
/** Dark like the console (color-scheme: dark); shows while the page loads or the window resizes. */
const BACKGROUND_COLOR = '#0b1220';

const log = (message: string): void => console.log(`[gridcommand:shell] ${message}`);

function createWindow(consoleUrl: string): void {
  const mainWindow = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1600,
    height: 1000,
    minWidth: 1024,
    minHeight: 700,
    backgroundColor: BACKGROUND_COLOR,
    show: false,
    webPreferences: {
      // A sandboxed preload cannot be an ES module, hence the .cjs build. Electronegativity flags
      // every preload for manual review; reviewed: it exposes only PreloadApi's named functions
      // through contextBridge, runs sandboxed, and main re-checks the sender's origin on each call.
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
  let serverUrl: URL;
  try {
    serverUrl = resolveServerUrl(process.argv, process.env);
  } catch (error) {
    console.error(`[gridcommand:shell] ${(error as Error).message}`);
    app.exit(2);
    return;
  }
  const serverOrigin = serverUrl.origin;

  app.enableSandbox();
  hardenWebContents(serverOrigin, log);
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession, serverOrigin);
    registerIpcHandlers(
      { getServerUrl: () => serverUrl.href, getVersion: () => __GRIDCOMMAND_VERSION__ },
      serverOrigin,
      log,
    );
    createWindow(serverUrl.href);
    log(`loading the console from ${serverUrl.href}`);
  });
}

main();
