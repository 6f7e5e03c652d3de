import type { PreloadApi } from '../../../shared/contracts/ipc.js';

declare global {
  interface Window {
    /** Present only inside the Electron shell, from its preload script. */
    gridcommand?: PreloadApi;
  }
}

export interface Platform {
  kind: 'electron' | 'browser';
  /** Origin of the companion server, without a trailing slash. */
  serverUrl: string;
  appVersion: string | null;
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
  if (!preload) return { kind: 'browser', serverUrl: httpOrigin ?? '', appVersion: null };
  const [serverUrl, appVersion] = await Promise.all([
    httpOrigin ? Promise.resolve(httpOrigin) : preload.getServerUrl(),
    preload.getVersion().catch(() => null),
  ]);
  return { kind: 'electron', serverUrl: serverUrl.replace(/\/+$/, ''), appVersion };
}
