import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CONSOLE_URL, APP_ORIGIN, contentTypeFor, isInside, resolveAppPath } from './app-url.js';

const ROOT = resolve('/opt/gridcommand/out/renderer');
const at = (...segments: string[]) => join(ROOT, ...segments);

describe('resolveAppPath', () => {
  it.each([
    ['app://gridcommand/index.html', at('index.html')],
    ['app://gridcommand/', at('index.html')],
    ['app://gridcommand/?lang=en#events', at('index.html')],
    ['app://gridcommand/favicon.svg', at('favicon.svg')],
    ['app://gridcommand/assets/index-Dx49eJQE.js', at('assets', 'index-Dx49eJQE.js')],
    ['app://gridcommand/assets/maplibre-gl-worker-DX6FIJ71.js?v=1', at('assets', 'maplibre-gl-worker-DX6FIJ71.js')],
    ['app://gridcommand/assets/vendor_7CE~36ga@2x+x.css', at('assets', 'vendor_7CE~36ga@2x+x.css')],
    // One decoding: an encoded plain character is the same file.
    ['app://gridcommand/assets/%69ndex.js', at('assets', 'index.js')],
  ])('maps %s into the console folder', (url, expected) => {
    expect(resolveAppPath(ROOT, url)).toBe(expected);
  });

  it('opens the console at index.html on its own origin', () => {
    expect(APP_CONSOLE_URL).toBe(`${APP_ORIGIN}/index.html`);
    expect(resolveAppPath(ROOT, APP_CONSOLE_URL)).toBe(at('index.html'));
  });

  describe('refuses path traversal', () => {
    it.each([
      'app://gridcommand/../etc/passwd',
      'app://gridcommand/assets/../../etc/passwd',
      'app://gridcommand/..',
      'app://gridcommand/.',
      'app://gridcommand/./index.html',
      'app://gridcommand/%2e%2e/etc/passwd',
      'app://gridcommand/%2E%2E/etc/passwd',
      'app://gridcommand/.%2e/etc/passwd',
      'app://gridcommand/%2e./etc/passwd',
      'app://gridcommand/%2e',
      // Chromium normalises literal dot segments before the handler; encoded slashes it leaves alone.
      'app://gridcommand/..%2f..%2fetc%2fpasswd',
      'app://gridcommand/assets%2f..%2f..%2fsecret.txt',
      'app://gridcommand/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'app://gridcommand/%252e%252e/etc/passwd',
      'app://gridcommand/%252e%252e%252fetc%252fpasswd',
    ])('%s', (url) => {
      expect(resolveAppPath(ROOT, url)).toBeNull();
    });
  });

  describe('refuses backslashes, absolute paths, NUL and odd names', () => {
    it.each([
      'app://gridcommand/..\\..\\windows\\win.ini',
      'app://gridcommand/assets\\index.js',
      'app://gridcommand/%5c..%5c..%5cwindows%5cwin.ini',
      'app://gridcommand/%5Cetc%5Cpasswd',
      'app://gridcommand//etc/passwd',
      'app://gridcommand/%2fetc%2fpasswd',
      'app://gridcommand/C:/Windows/win.ini',
      'app://gridcommand/C%3a%5cWindows%5cwin.ini',
      'app://gridcommand/%5c%5cserver%5cshare%5cx',
      'app://gridcommand/index.html%00.js',
      'app://gridcommand/index.html\u0000.js',
      'app://gridcommand/assets/',
      'app://gridcommand/assets//index.js',
      'app://gridcommand/.env',
      'app://gridcommand/assets/.hidden.js',
      'app://gridcommand/index.html.',
      'app://gridcommand/nul.js',
      'app://gridcommand/assets/CON',
      'app://gridcommand/assets/com1.txt',
      'app://gridcommand/index%20copy.html',
      'app://gridcommand/%E7%BD%91%E6%A0%BC.html',
      'app://gridcommand/%',
      'app://gridcommand/%zz',
      'app://gridcommand/%E7%BD',
      `app://gridcommand/${'a'.repeat(129)}.js`,
      `app://gridcommand/${'a/'.repeat(300)}x.js`,
    ])('%j', (url) => {
      expect(resolveAppPath(ROOT, url)).toBeNull();
    });
  });

  describe('refuses URLs that are not the console origin', () => {
    it.each([
      'file:///opt/gridcommand/out/renderer/index.html',
      'http://gridcommand/index.html',
      'app://evil/index.html',
      'app://gridcommand.evil.example/index.html',
      'app://gridcommand:8080/index.html',
      'app://user@gridcommand/index.html',
      'app://GRIDCOMMAND/index.html',
      'APP://gridcommand/index.html',
      'app:/gridcommand/index.html',
      'app:gridcommand/index.html',
      'app://gridcommand',
      'app://gridcommandindex.html',
      '/etc/passwd',
      '',
    ])('%j', (url) => {
      expect(resolveAppPath(ROOT, url)).toBeNull();
    });
  });

  it('never answers for a relative root', () => {
    expect(resolveAppPath('out/renderer', 'app://gridcommand/index.html')).toBeNull();
  });

  it('keeps every answer strictly inside the root', () => {
    const urls = ['app://gridcommand/', 'app://gridcommand/assets/a.js', 'app://gridcommand/a/b/c/d.css'];
    for (const url of urls) {
      const path = resolveAppPath(ROOT, url);
      expect(path).not.toBeNull();
      expect(isInside(ROOT, path!)).toBe(true);
    }
  });
});

describe('isInside', () => {
  it('is true only strictly below the parent', () => {
    expect(isInside(ROOT, at('index.html'))).toBe(true);
    expect(isInside(ROOT, at('assets', 'x.js'))).toBe(true);
    expect(isInside(ROOT, ROOT)).toBe(false);
    expect(isInside(ROOT, resolve(ROOT, '..'))).toBe(false);
    expect(isInside(ROOT, resolve(ROOT, '../renderer-evil/x.js'))).toBe(false);
    expect(isInside(ROOT, resolve('/etc/passwd'))).toBe(false);
  });

  it('does not mistake a name starting with two dots for the parent folder', () => {
    expect(isInside(ROOT, at('..hidden.js'))).toBe(true);
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-Dx49eJQE.js', 'text/javascript; charset=utf-8'],
    ['assets/worker.MJS', 'text/javascript; charset=utf-8'],
    ['assets/index.css', 'text/css; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
    ['fonts/wqy-microhei.woff2', 'font/woff2'],
    ['regions.json', 'application/json; charset=utf-8'],
    ['tiles/0.pbf', 'application/x-protobuf'],
    ['module.wasm', 'application/wasm'],
  ])('%s → %s', (path, type) => {
    expect(contentTypeFor(path)).toBe(type);
  });

  it('sends unknown and extension-less files as an opaque download type', () => {
    expect(contentTypeFor('notes.exe')).toBe('application/octet-stream');
    expect(contentTypeFor('LICENSE')).toBe('application/octet-stream');
  });
});
