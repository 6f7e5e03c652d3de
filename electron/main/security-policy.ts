/**
 * Pure security decisions for the shell. `security.ts` wires them into Electron; keeping them here
 * lets them be unit-tested without Electron.
 */

/** Permissions the console may be granted; everything else (camera, geolocation, …) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

/**
 * Origins whose https links may be opened in the system browser. Empty on purpose: the console has
 * no outbound links yet; add an origin here only together with the feature that needs it.
 */
export const EXTERNAL_ORIGIN_ALLOW_LIST: readonly string[] = [];

/** True when `candidate` is a URL (or origin) whose origin equals `origin` exactly. */
export function isSameOrigin(candidate: string | null | undefined, origin: string): boolean {
  if (!candidate) return false;
  const parsed = tryParseUrl(candidate);
  // Opaque origins (data:, blob: with a null origin, about:) serialize as "null" and never match.
  return parsed !== null && parsed.origin !== 'null' && parsed.origin === origin;
}

/** Only the console's own origin may hold a permission, and only an allow-listed one. */
export function isPermissionAllowed(permission: string, requestingUrl: string | null | undefined, serverOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isSameOrigin(requestingUrl, serverOrigin);
}

/** A URL may leave the app for the system browser only over https and to an allow-listed origin. */
export function isAllowedExternalUrl(url: string, allowList: readonly string[]): boolean {
  const parsed = tryParseUrl(url);
  if (parsed === null || parsed.protocol !== 'https:') return false;
  return allowList.some((entry) => tryParseUrl(entry)?.origin === parsed.origin);
}

/**
 * The CSP the shell applies to the console when the server sends none. `connect-src` names the
 * server's websocket origin explicitly for the Socket.IO connection; `worker-src blob:` is needed by
 * MapLibre's worker and `style-src 'unsafe-inline'` by its inline element styles.
 */
export function buildContentSecurityPolicy(serverOrigin: string): string {
  const server = new URL(serverOrigin);
  const socketOrigin = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${socketOrigin}`,
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
