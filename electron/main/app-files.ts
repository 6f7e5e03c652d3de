/**
 * Answers `app://gridcommand/…` requests from the packaged console folder. Plain Node (fs and the
 * global Response), so it is tested against real files and symlinks; `app-protocol.ts` only hands
 * Electron's requests to it.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { APP_ORIGIN, contentTypeFor, isInside, resolveAppPath } from './app-url.js';

/** The parts of Electron's protocol request this needs. */
export interface AppRequest {
  readonly method: string;
  readonly url: string;
  /**
   * Origin of the page that issued the request; absent when the browser started it (the window's
   * own `loadURL`). Set by Chromium, not by the page, unlike `Referer`.
   */
  readonly initiatorOrigin?: string;
}

export interface AppFileOptions {
  /** Absolute path of the packaged console folder (out/renderer). */
  root: string;
  /** Content-Security-Policy sent with every response (documents and workers take theirs from it). */
  csp: string;
}

/**
 * Serves one file of the packaged console, refusing anything that resolves (lexically, or through
 * a symlink) outside `root`, any method but GET/HEAD, and requests started by another origin.
 * Refusals carry no detail: the reason is logged by the caller if at all, never shown to a page.
 */
export async function serveAppFile(request: AppRequest, options: AppFileOptions): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return refuse(405, options.csp, { Allow: 'GET, HEAD' });
  }
  if (request.initiatorOrigin !== undefined && request.initiatorOrigin !== APP_ORIGIN) return refuse(403, options.csp);

  const candidate = resolveAppPath(options.root, request.url);
  if (candidate === null) return refuse(404, options.csp);

  let file: string;
  try {
    // Both sides real: the root itself may sit behind a symlink (or inside app.asar).
    const [realRoot, realFile] = await Promise.all([realpath(options.root), realpath(candidate)]);
    if (!isInside(realRoot, realFile) || !(await stat(realFile)).isFile()) return refuse(404, options.csp);
    file = realFile;
  } catch {
    return refuse(404, options.csp);
  }

  const body = await readFile(file);
  const headers = { ...baseHeaders(options.csp), 'Content-Type': contentTypeFor(file), 'Content-Length': String(body.byteLength) };
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}

function baseHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // The files change only with the app; revalidating costs nothing on a local scheme.
    'Cache-Control': 'no-cache',
  };
}

function refuse(status: 403 | 404 | 405, csp: string, extra: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { ...baseHeaders(csp), ...extra } });
}
