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
  /**
   * Keeps the session's bearer token on disk, encrypted with the operating system's key store
   * (Electron `safeStorage`), for the configured server only. Never stores it in plain text: when
   * no OS encryption is available the result says so and nothing is written. Rejects a token that
   * is not 1–{@link SESSION_TOKEN_MAX_LENGTH} base64url characters.
   */
  storeToken(token: string): Promise<StoreTokenResult>;
  /** The stored token for the configured server, or null (none, unreadable, or another server's). */
  loadToken(): Promise<string | null>;
  /** Forgets the stored token (sign-out). Resolves also when there was none. */
  clearToken(): Promise<void>;
  /**
   * Prints the calling page to an A4 PDF with Chromium's print path (`webContents.printToPDF`,
   * the page's own print stylesheet and page size) after asking the user where to save it,
   * offering `fileName`: the shift briefing's PDF export. Only the caller's own page is printed.
   * Rejects a name that is not 1–{@link PDF_FILE_NAME_MAX_LENGTH} characters ending in `.pdf`, or
   * that holds a path separator or a control character.
   */
  saveBriefingPdf(fileName: string): Promise<SavePdfResult>;
}

/** Outcome of {@link PreloadApi.saveBriefingPdf}: the name it was saved under (not the folder), or that the user cancelled. */
export type SavePdfResult = { saved: true; fileName: string } | { saved: false; reason: 'canceled' };

/** Longest file name `saveBriefingPdf` accepts. */
export const PDF_FILE_NAME_MAX_LENGTH = 120;

/**
 * Outcome of {@link PreloadApi.storeToken}. `encryption-unavailable`: the OS offers no key store
 * (e.g. Linux without a keyring), so the token can live only in memory for this run.
 */
export type StoreTokenResult = { stored: true } | { stored: false; reason: 'encryption-unavailable' };

/** Longest token `storeToken` accepts. The server's tokens are 43 characters (32 bytes, base64url). */
export const SESSION_TOKEN_MAX_LENGTH = 200;

/** The preload functions that cross to the main process (everything but `platform`). */
export type IpcMethod = Exclude<keyof PreloadApi, 'platform'>;

/** IPC channel names, `area:verb`. Shared by main and preload; one per {@link IpcMethod}. */
export const IPC_CHANNELS = {
  getServerUrl: 'config:get-server-url',
  getVersion: 'app:get-version',
  storeToken: 'session:store-token',
  loadToken: 'session:load-token',
  clearToken: 'session:clear-token',
  saveBriefingPdf: 'briefing:save-pdf',
} as const satisfies Record<IpcMethod, string>;
