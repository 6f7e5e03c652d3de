/**
 * The app's version from package.json, inlined by electron-vite at build time. Electron's own
 * `app.getVersion()` reports the Electron version when the shell is started as `electron <file>`.
 */
declare const __GRIDCOMMAND_VERSION__: string;
