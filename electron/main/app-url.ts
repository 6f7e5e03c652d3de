/**
 * The `app://gridcommand/…` scheme that serves the packaged console from out/renderer instead of
 * `file://` (which would give the console an opaque origin, every local file as a neighbour, and
 * no CSP header). Pure: no Electron and no file system, so the path checks are unit-tested.
 */
import { extname, isAbsolute, join, relative, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'gridcommand';
/**
 * The console's origin in packaged mode. Node's URL parser gives custom schemes an opaque
 * ("null") origin, so main compares against this constant instead (see `originOf`).
 */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_CONSOLE_URL = `${APP_ORIGIN}/index.html`;

const MAX_PATH_LENGTH = 512;
/**
 * What a file or folder name in the packaged console may look like: Vite's output (`index-Dx49eJQE.js`)
 * and the public folder. An allow-list rather than a deny-list: no `%`, `\`, `:`, NUL, spaces or
 * non-ASCII, and no leading dot (so no `.`/`..` segments and no hidden files).
 */
const SEGMENT = /^[A-Za-z0-9_~@+-][A-Za-z0-9._~@+-]{0,127}$/;
/** Names Windows maps to devices in any folder (`nul.js` opens NUL); never part of a build. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\.|$)/i;

/**
 * Maps an `app://gridcommand/<path>` URL to the file under `root` it names, or null when the URL
 * is not ours or its path could leave `root` or name something other than a plain file name.
 *
 * Refuses rather than normalises: Chromium already resolves `..` and `%2e%2e` before the handler
 * sees a URL, so any dot segment still present (e.g. hidden behind an encoded `/`) is an attack,
 * not a link. The query and fragment are ignored; `/` means `index.html`. Symlinks are the
 * caller's job (`serveAppFile` checks the real path), since they need the file system.
 */
export function resolveAppPath(root: string, url: string): string | null {
  if (!isAbsolute(root)) return null;
  const prefix = `${APP_ORIGIN}/`;
  if (!url.startsWith(prefix)) return null;
  const rawPath = url.slice(prefix.length).split(/[?#]/, 1)[0] ?? '';
  if (rawPath.length > MAX_PATH_LENGTH) return null;

  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded === '') decoded = 'index.html';
  const segments = decoded.split('/');
  if (!segments.every((segment) => SEGMENT.test(segment) && !WINDOWS_DEVICE.test(segment) && !segment.endsWith('.'))) {
    return null;
  }

  const candidate = join(root, ...segments);
  return isInside(root, candidate) ? candidate : null;
}

/** True when `child` is strictly inside the folder `parent` (both absolute, same style). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pbf': 'application/x-protobuf',
};

/**
 * Content type by extension. Module scripts and workers load only with a JavaScript type (strict
 * MIME checking); anything unknown goes out as an opaque download type, never sniffed.
 */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
