import { APP_CONSOLE_URL, APP_ORIGIN } from './app-url.js';
import type { ConsoleSource } from './security-policy.js';
import { InvalidServerUrlError, resolveServerUrl } from './server-url.js';

export const PACKAGED_CONSOLE_FLAG = '--packaged-console';

/** What the shell loads and whom it trusts, decided once at start-up. */
export interface ShellConfig {
  /** The companion server the console talks to (REST and socket). */
  serverUrl: URL;
  source: ConsoleSource;
  /** The URL the window opens. */
  consoleUrl: string;
  /**
   * The one origin the shell trusts: navigation stays on it, only its frames get IPC answers and
   * permissions. The server's origin in server mode, `app://gridcommand` in packaged mode.
   */
  consoleOrigin: string;
}

/**
 * The console comes from the server unless the shell runs packaged or is started with
 * `--packaged-console`; then it loads its own copy on `app://gridcommand` and the server URL
 * (`--server-url=`, `GRIDCOMMAND_SERVER_URL` or the default) names only the server to talk to.
 *
 * A packaged console needs an https server unless the server is on this machine: `app:` is
 * registered as a secure scheme, so Chromium blocks its plain-http requests (mixed content) except
 * to loopback, and its bearer token would otherwise cross the network in clear text.
 * Throws `InvalidServerUrlError` like `resolveServerUrl`.
 */
export function resolveShellConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
): ShellConfig {
  const serverUrl = resolveServerUrl(argv, env);
  if (isPackaged || argv.includes(PACKAGED_CONSOLE_FLAG)) {
    if (serverUrl.protocol !== 'https:' && !isLoopbackHost(serverUrl.hostname)) {
      throw new InvalidServerUrlError(
        `the packaged console reaches a server over plain http only on this machine; use https for ${serverUrl.origin}`,
      );
    }
    return { serverUrl, source: 'packaged', consoleUrl: APP_CONSOLE_URL, consoleOrigin: APP_ORIGIN };
  }
  return { serverUrl, source: 'server', consoleUrl: serverUrl.href, consoleOrigin: serverUrl.origin };
}

/** Hosts Chromium treats as trustworthy over plain http: localhost, 127.0.0.0/8 and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}
