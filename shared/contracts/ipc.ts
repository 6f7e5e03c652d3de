/**
 * The preload's API, exposed on `window.gridcommand` inside Electron only.
 * Narrow on purpose: the renderer gets named functions, never `ipcRenderer`.
 */
export interface PreloadApi {
  readonly platform: 'electron';
  /** Base URL of the companion server the console talks to. */
  getServerUrl(): Promise<string>;
  /** App version of the shell. */
  getVersion(): Promise<string>;
}

/** IPC channel names, `area:verb`. Shared by main and preload. */
export const IPC_CHANNELS = {
  getServerUrl: 'config:get-server-url',
  getVersion: 'app:get-version',
} as const;
