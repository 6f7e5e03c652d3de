import { Menu, screen, type BrowserWindow, type BrowserWindowConstructorOptions, type Display, type MenuItemConstructorOptions } from 'electron';
import { chooseWallDisplay, displayLabel, type WallDisplayChoice } from './wall-display.js';

export interface WallWindowOptions {
  /** The wall's address (`wallUrl`). */
  url: string;
  title: string;
  backgroundColor: string;
  /** Makes a window of the console, with the same locked-down web preferences as the desk's. */
  createWindow(options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>): BrowserWindow;
  log(message: string): void;
}

/**
 * The wall (大屏) window: one at most, full-screen on the display chosen for it, with no frame
 * and no menu bar (nobody at the wall uses them). Opening it again moves it to the display asked for.
 */
export class WallWindow {
  private window: BrowserWindow | null = null;

  constructor(private readonly options: WallWindowOptions) {}

  /** Opens the wall on the display the choice names; says so in the log when it names none. */
  openOn(choice: WallDisplayChoice): void {
    const displays = screen.getAllDisplays();
    const display = chooseWallDisplay(displays, screen.getPrimaryDisplay().id, choice);
    if (!display) {
      this.options.log(`no display ${JSON.stringify(choice)} among ${displays.length}: the wall was not opened`);
      return;
    }
    this.open(display);
  }

  open(display: Display): void {
    const { bounds } = display;
    const existing = this.window;
    if (existing && !existing.isDestroyed()) {
      // A full-screen window keeps its display: leave full screen, move, and fill the new one.
      existing.setFullScreen(false);
      existing.setBounds(bounds);
      existing.setFullScreen(true);
      return;
    }
    const window = this.options.createWindow({
      title: this.options.title,
      ...bounds,
      fullscreen: true,
      frame: false,
      autoHideMenuBar: true,
      backgroundColor: this.options.backgroundColor,
      show: false,
    });
    this.window = window;
    window.setMenuBarVisibility(false);
    window.on('page-title-updated', (event) => event.preventDefault());
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    window.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (isMainFrame) this.options.log(`the wall could not load ${url}: ${description} (${code})`);
    });
    window.loadURL(this.options.url).catch(() => {
      // Reported by did-fail-load above; the window stays so the wall shows the failure.
    });
    this.options.log(`wall opened on display ${display.id} (${bounds.width}×${bounds.height} at ${bounds.x},${bounds.y})`);
  }

  close(): void {
    if (this.window && !this.window.isDestroyed()) this.window.close();
  }

  /** The 大屏 menu: open the wall on each display there is now, or close it. */
  menu(): MenuItemConstructorOptions {
    const primary = screen.getPrimaryDisplay().id;
    const displays = screen.getAllDisplays();
    return {
      label: '大屏 Wall',
      submenu: [
        ...displays.map(
          (display, i): MenuItemConstructorOptions => ({ label: `在显示器 ${displayLabel(display, i, primary)} 上打开 / Open on display`, click: () => this.open(display) }),
        ),
        { type: 'separator' },
        { label: '关闭大屏 / Close the wall', click: () => this.close() },
      ],
    };
  }
}

/**
 * The application menu: the usual ones by role (so copy, paste and reload keep their keys) and
 * the 大屏 menu, rebuilt whenever a display comes or goes.
 */
export function installApplicationMenu(wall: WallWindow): void {
  const build = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate([
        ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
        { role: 'fileMenu' },
        { role: 'editMenu' },
        { role: 'viewMenu' },
        wall.menu(),
        { role: 'windowMenu' },
      ]),
    );
  build();
  screen.on('display-added', build);
  screen.on('display-removed', build);
}
