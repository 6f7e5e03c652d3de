import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppFile, type AppRequest } from './app-files.js';
import { APP_ORIGIN } from './app-url.js';

const CSP = "default-src 'self'; connect-src 'self' http://127.0.0.1:8600 ws://127.0.0.1:8600";

/**
 * A real folder laid out like out/renderer, with a secret next to it and symlinks that point out
 * of it: the file-system half of the traversal defence (the URL half is in app-url.test.ts).
 */
let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'gridcommand-app-files-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export const x = 1;');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(base, 'secret.txt'), 'do not serve');
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'x.js'), 'alert(1)');
  symlinkSync(join(base, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(join(base, 'outside'), join(root, 'linked'));
  symlinkSync(join(root, 'index.html'), join(root, 'alias.html'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, extra: Partial<AppRequest> = {}) => serveAppFile({ method: 'GET', url, ...extra }, { root, csp: CSP });

describe('serveAppFile', () => {
  it('serves index.html for the origin root with the CSP and no sniffing', async () => {
    const response = await get('app://gridcommand/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('<!doctype html><title>console</title>');
  });

  it.each([
    ['app://gridcommand/assets/index-abc.js', 'text/javascript; charset=utf-8', 'export const x = 1;'],
    ['app://gridcommand/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://gridcommand/favicon.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
  ])('serves %s as %s', async (url, type, body) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await response.text()).toBe(body);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await serveAppFile({ method: 'HEAD', url: 'app://gridcommand/index.html' }, { root, csp: CSP });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it('serves requests from the console itself', async () => {
    expect((await get('app://gridcommand/assets/index-abc.js', { initiatorOrigin: APP_ORIGIN })).status).toBe(200);
  });

  it.each(['http://127.0.0.1:8600', 'https://evil.example', 'null', 'app://evil', 'file://'])(
    'refuses requests started by %s',
    async (initiatorOrigin) => {
      const response = await get('app://gridcommand/index.html', { initiatorOrigin });
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('');
    },
  );

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('refuses %s', async (method) => {
    const response = await serveAppFile({ method, url: 'app://gridcommand/index.html' }, { root, csp: CSP });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it.each([
    ['a symlink to a file outside the folder', 'app://gridcommand/leak.txt'],
    ['a file inside a symlinked outside folder', 'app://gridcommand/linked/x.js'],
    ['a folder', 'app://gridcommand/assets'],
    ['a missing file', 'app://gridcommand/missing.js'],
    ['an encoded traversal', 'app://gridcommand/..%2fsecret.txt'],
    ['a backslash traversal', 'app://gridcommand/%5c..%5csecret.txt'],
    ['another host', 'app://other/index.html'],
  ])('answers 404 with no body for %s', async (_what, url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(await response.text()).toBe('');
  });

  it('follows a symlink that stays inside the folder', async () => {
    const response = await get('app://gridcommand/alias.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>console</title>');
  });

  it('works when the folder itself is reached through a symlink', async () => {
    const linkedRoot = join(base, 'renderer-link');
    symlinkSync(root, linkedRoot);
    const response = await serveAppFile({ method: 'GET', url: 'app://gridcommand/index.html' }, { root: linkedRoot, csp: CSP });
    expect(response.status).toBe(200);
    expect((await serveAppFile({ method: 'GET', url: 'app://gridcommand/leak.txt' }, { root: linkedRoot, csp: CSP })).status).toBe(404);
  });
});

/**
 * The resolver's file-name allow-list must accept everything the build emits (a font or image
 * with a space or a Chinese name would otherwise be a silent 404 in the packaged console only).
 */
const BUILT_CONSOLE = resolve(import.meta.dirname, '../../out/renderer');

describe.skipIf(!existsSync(join(BUILT_CONSOLE, 'index.html')))('the built console in out/renderer (run `npm run build` first)', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));

  it('is served file by file, scripts as JavaScript', async () => {
    const built = files(BUILT_CONSOLE);
    expect(built.length).toBeGreaterThan(1);
    for (const file of built) {
      const url = `app://gridcommand/${relative(BUILT_CONSOLE, file).split(sep).join('/')}`;
      const response = await serveAppFile({ method: 'GET', url }, { root: BUILT_CONSOLE, csp: CSP });
      expect(response.status, url).toBe(200);
      if (file.endsWith('.js')) expect(response.headers.get('content-type'), url).toBe('text/javascript; charset=utf-8');
    }
  });
});
