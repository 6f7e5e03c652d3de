import { protocol } from 'electron';
import { serveAppFile } from './app-files.js';
import { APP_SCHEME } from './app-url.js';

/**
 * Must run before `ready`. `standard` gives the console a real origin (`app://gridcommand`) so
 * root-relative asset URLs, storage and the origin checks work; `secure` makes it a secure
 * context; `supportFetchAPI` lets the console fetch its own files. `corsEnabled` stays false so
 * no other origin can read these files, and `bypassCSP` stays false so the console's CSP holds.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
  ]);
}

/** Serves `app://gridcommand/…` from `root` (after `ready`, on the default session). */
export function handleAppScheme(root: string, csp: string): void {
  protocol.handle(APP_SCHEME, (request) =>
    // Electron adds `initiatorOrigin` to the request it hands over (see ProtocolRequest).
    serveAppFile({ method: request.method, url: request.url, initiatorOrigin: (request as { initiatorOrigin?: string }).initiatorOrigin }, { root, csp }),
  );
}
