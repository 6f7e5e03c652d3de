/**
 * Pure security decisions for the shell. `security.ts` wires them into Electron; keeping them here
 * lets them be unit-tested without Electron.
 */
import { APP_SCHEME } from './app-url.js';

/** Permissions the console may be granted; everything else (camera, geolocation, …) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

/**
 * Origins whose https links may be opened in the system browser. Empty on purpose: the console has
 * no outbound links yet; add an origin here only together with the feature that needs it.
 */
export const EXTERNAL_ORIGIN_ALLOW_LIST: readonly string[] = [];

/**
 * The origin of a URL as Chromium sees it, or null when it has none. Node's parser gives every
 * scheme it does not know an opaque origin, but the shell registers `app:` as a standard scheme,
 * so there `app://gridcommand/x` has the origin `app://gridcommand`. Opaque origins (data:,
 * about:, blob: of an opaque page) are null and never match anything.
 */
export function originOf(candidate: string | null | undefined): string | null {
  if (!candidate) return null;
  const parsed = tryParseUrl(candidate);
  if (parsed === null) return null;
  if (parsed.protocol === `${APP_SCHEME}:`) {
    const plainHost = parsed.host !== '' && parsed.username === '' && parsed.password === '' && parsed.port === '';
    return plainHost ? `${parsed.protocol}//${parsed.host}` : null;
  }
  return parsed.origin === 'null' ? null : parsed.origin;
}

/** True when `candidate` is a URL (or origin) whose origin equals `origin` exactly. */
export function isSameOrigin(candidate: string | null | undefined, origin: string): boolean {
  const candidateOrigin = originOf(candidate);
  return candidateOrigin !== null && candidateOrigin === origin;
}

/** Only the console's own origin may hold a permission, and only an allow-listed one. */
export function isPermissionAllowed(permission: string, requestingUrl: string | null | undefined, consoleOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isSameOrigin(requestingUrl, consoleOrigin);
}

/** A URL may leave the app for the system browser only over https and to an allow-listed origin. */
export function isAllowedExternalUrl(url: string, allowList: readonly string[]): boolean {
  const parsed = tryParseUrl(url);
  if (parsed === null || parsed.protocol !== 'https:') return false;
  return allowList.some((entry) => tryParseUrl(entry)?.origin === parsed.origin);
}

/**
 * Where the console comes from: `server` — the companion server serves it (its origin is the
 * server's); `packaged` — the shell serves its own copy on `app://gridcommand`, and the console
 * talks to the server cross-origin.
 */
export type ConsoleSource = 'server' | 'packaged';

/**
 * The console's CSP: the header on `app://` responses in packaged mode, and the fallback when the
 * server sends none in server mode. `connect-src` names exactly the server's http and websocket
 * origins (in server mode the http origin is `'self'`); `worker-src blob:` is needed by MapLibre's
 * worker and `style-src 'unsafe-inline'` by its inline element styles.
 */
export function buildContentSecurityPolicy(serverOrigin: string, source: ConsoleSource = 'server'): string {
  const server = new URL(serverOrigin);
  const socketOrigin = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}`;
  const connect = source === 'packaged' ? `'self' ${server.origin} ${socketOrigin}` : `'self' ${socketOrigin}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Header names are case-insensitive; the server's own CSP, in any spelling, takes precedence. */
export function hasContentSecurityPolicy(headers: Readonly<Record<string, unknown>> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'content-security-policy');
}

function tryParseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
