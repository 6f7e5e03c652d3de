import type { PreloadApi, SavePdfResult } from '../../../shared/contracts/ipc.js';

declare global {
  interface Window {
    /** Present only inside the Electron shell, from its preload script. */
    gridcommand?: PreloadApi;
  }
}

/**
 * Where the session's bearer token is kept between reloads. Only the token: who it belongs to
 * is asked of the server again (`GET /api/v1/auth/me`), so nothing personal is stored.
 */
export interface TokenVault {
  read(): Promise<string | null>;
  write(token: string): Promise<void>;
  clear(): Promise<void>;
}

/** Whether desktop notifications may be shown: `default` until the user is asked (after a gesture). */
export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

/** Desktop notifications: native in Electron, the Notification API in a browser. */
export interface DesktopNotifier {
  permission(): NotificationPermissionState;
  /** Asks the user; call from a click, browsers refuse it otherwise. */
  request(): Promise<NotificationPermissionState>;
  /** Shows one, replacing an earlier one with the same tag; a click brings the console forward and runs `onClick`. */
  show(notification: { title: string; body: string; tag: string; urgent: boolean; onClick(): void }): void;
}

export interface Platform {
  kind: 'electron' | 'browser';
  /** Origin of the companion server, without a trailing slash. */
  serverUrl: string;
  appVersion: string | null;
  tokenVault: TokenVault;
  notifications: DesktopNotifier;
  /**
   * Prints the page as it stands to a PDF the user saves (Electron's printToPDF with a save
   * dialog); null in a browser, where the page's own print dialog does it.
   */
  savePdf: ((fileName: string) => Promise<SavePdfResult>) | null;
}

/**
 * The HTML Notification API. Inside Electron the same API shows native OS notifications, and
 * the main process grants the permission to the console's own origin only (electron/main/
 * security-policy.ts); in a browser the user grants it after a click.
 */
function htmlNotifier(): DesktopNotifier {
  const api = (): typeof Notification | null => (typeof window !== 'undefined' && 'Notification' in window ? window.Notification : null);
  return {
    permission: () => api()?.permission ?? 'unsupported',
    request: async () => {
      const N = api();
      if (!N) return 'unsupported';
      try {
        return await N.requestPermission();
      } catch {
        return N.permission;
      }
    },
    show: ({ title, body, tag, urgent, onClick }) => {
      const N = api();
      if (!N || N.permission !== 'granted') return;
      try {
        const shown = new N(title, { body, tag, requireInteraction: urgent, silent: true });
        shown.onclick = () => {
          window.focus();
          onClick();
          shown.close();
        };
      } catch {
        // Some hosts allow the permission but not the constructor (service-worker only); the banner and the sound still speak.
      }
    },
  };
}

const TOKEN_KEY = 'gridcommand.token';

/**
 * The tab's `sessionStorage`: the token survives a reload but not closing the tab, and is never
 * shared with other tabs. Where storage is refused (a locked-down profile) the token lives in
 * memory and a reload asks for the password again.
 */
function tabTokenVault(): TokenVault {
  let memory: string | null = null;
  const storage = (): Storage | null => {
    try {
      return window.sessionStorage;
    } catch {
      return null;
    }
  };
  return {
    read: async () => {
      try {
        return storage()?.getItem(TOKEN_KEY) ?? memory;
      } catch {
        return memory;
      }
    },
    write: async (token) => {
      memory = token;
      try {
        storage()?.setItem(TOKEN_KEY, token);
      } catch {
        // kept in memory only
      }
    },
    clear: async () => {
      memory = null;
      try {
        storage()?.removeItem(TOKEN_KEY);
      } catch {
        // nothing stored
      }
    },
  };
}

/**
 * Inside Electron the token is kept by the main process, encrypted with the OS key store
 * (safeStorage). Where the OS offers no key store it stays in memory for this run only:
 * never in plain text on disk.
 */
function shellTokenVault(preload: PreloadApi): TokenVault {
  let memory: string | null = null;
  return {
    read: async () => memory ?? (await preload.loadToken().catch(() => null)),
    write: async (token) => {
      memory = token;
      await preload.storeToken(token).catch(() => undefined);
    },
    clear: async () => {
      memory = null;
      await preload.clearToken().catch(() => undefined);
    },
  };
}

/**
 * The one place that knows whether the console runs in Electron or a browser.
 * Both load the console from the companion server, so its origin is the server's; only a shell
 * that loads the console from a file (no http origin) is asked for the server URL.
 */
export async function detectPlatform(): Promise<Platform> {
  const preload = window.gridcommand;
  const origin = window.location.origin;
  const httpOrigin = origin.startsWith('http://') || origin.startsWith('https://') ? origin : null;
  if (!preload) return { kind: 'browser', serverUrl: httpOrigin ?? '', appVersion: null, tokenVault: tabTokenVault(), notifications: htmlNotifier(), savePdf: null };
  const [serverUrl, appVersion] = await Promise.all([
    httpOrigin ? Promise.resolve(httpOrigin) : preload.getServerUrl(),
    preload.getVersion().catch(() => null),
  ]);
  return {
    kind: 'electron',
    serverUrl: serverUrl.replace(/\/+$/, ''),
    appVersion,
    tokenVault: shellTokenVault(preload),
    notifications: htmlNotifier(),
    savePdf: (fileName) => preload.saveBriefingPdf(fileName),
  };
}
