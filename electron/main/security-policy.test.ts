import { describe, expect, it } from 'vitest';
import {
  buildContentSecurityPolicy,
  EXTERNAL_ORIGIN_ALLOW_LIST,
  hasContentSecurityPolicy,
  isAllowedExternalUrl,
  isPermissionAllowed,
  isSameOrigin,
  originOf,
} from './security-policy.js';
import { APP_ORIGIN } from './app-url.js';

const SERVER = 'http://127.0.0.1:8600';

describe('isSameOrigin', () => {
  it.each(['http://127.0.0.1:8600/', 'http://127.0.0.1:8600/events?id=1#map', 'http://127.0.0.1:8600'])('trusts %s', (url) => {
    expect(isSameOrigin(url, SERVER)).toBe(true);
  });

  it.each([
    'http://127.0.0.1:8601/',
    'https://127.0.0.1:8600/',
    'http://localhost:8600/',
    'http://127.0.0.1:8600.evil.example/',
    'http://evil.example/?next=http://127.0.0.1:8600/',
    'file:///work/out/renderer/index.html',
    'data:text/html,<h1>x</h1>',
    'about:blank',
    'not a url',
    '',
    null,
    undefined,
  ])('does not trust %s', (url) => {
    expect(isSameOrigin(url, SERVER)).toBe(false);
  });
});

describe('the packaged console origin (app://gridcommand)', () => {
  it.each(['app://gridcommand/index.html', 'app://gridcommand/', 'app://gridcommand/assets/index.js?x#y', 'app://gridcommand'])(
    'trusts %s',
    (url) => {
      expect(originOf(url)).toBe(APP_ORIGIN);
      expect(isSameOrigin(url, APP_ORIGIN)).toBe(true);
    },
  );

  it.each([
    'app://evil/index.html',
    'app://gridcommand.evil.example/',
    'app://gridcommand:1/index.html',
    'app://user:pw@gridcommand/index.html',
    'app:///index.html',
    'app:gridcommand/index.html',
    'http://gridcommand/',
    'http://127.0.0.1:8600/',
    'file:///work/out/renderer/index.html',
  ])('does not trust %s', (url) => {
    expect(isSameOrigin(url, APP_ORIGIN)).toBe(false);
  });

  it('does not let the packaged origin stand in for the server or the reverse', () => {
    expect(isSameOrigin('app://gridcommand/index.html', SERVER)).toBe(false);
    expect(isSameOrigin('http://127.0.0.1:8600/', APP_ORIGIN)).toBe(false);
  });

  it('gives opaque and unparsable URLs no origin', () => {
    expect(originOf('data:text/html,x')).toBeNull();
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('javascript:alert(1)')).toBeNull();
    expect(originOf('not a url')).toBeNull();
    expect(originOf(undefined)).toBeNull();
  });

  it('grants permissions to the packaged console only in its own origin', () => {
    expect(isPermissionAllowed('notifications', 'app://gridcommand/index.html', APP_ORIGIN)).toBe(true);
    expect(isPermissionAllowed('notifications', 'http://127.0.0.1:8600/', APP_ORIGIN)).toBe(false);
    expect(isPermissionAllowed('media', 'app://gridcommand/index.html', APP_ORIGIN)).toBe(false);
  });
});

describe('isPermissionAllowed', () => {
  it('allows notifications for the console origin', () => {
    expect(isPermissionAllowed('notifications', 'http://127.0.0.1:8600/', SERVER)).toBe(true);
  });

  it.each(['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown'])('denies %s', (permission) => {
    expect(isPermissionAllowed(permission, 'http://127.0.0.1:8600/', SERVER)).toBe(false);
  });

  it('denies notifications to any other origin', () => {
    expect(isPermissionAllowed('notifications', 'https://evil.example/', SERVER)).toBe(false);
    expect(isPermissionAllowed('notifications', undefined, SERVER)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  const allowList = ['https://docs.example.gov.cn'];

  it('allows https URLs on an allow-listed origin', () => {
    expect(isAllowedExternalUrl('https://docs.example.gov.cn/manual#dispatch', allowList)).toBe(true);
  });

  it.each([
    'http://docs.example.gov.cn/manual',
    'https://docs.example.gov.cn.evil.example/',
    'https://evil.example/?u=https://docs.example.gov.cn',
    'https://docs.example.gov.cn:8443/',
    'file:///etc/passwd',
    'smb://docs.example.gov.cn/share',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url, allowList)).toBe(false);
  });

  it('refuses everything with the shipped (empty) allow list', () => {
    expect(EXTERNAL_ORIGIN_ALLOW_LIST).toEqual([]);
    expect(isAllowedExternalUrl('https://docs.example.gov.cn/', EXTERNAL_ORIGIN_ALLOW_LIST)).toBe(false);
  });
});

describe('buildContentSecurityPolicy', () => {
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));

  it('locks the console to its own origin', () => {
    const csp = directives(buildContentSecurityPolicy(SERVER));
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'connect-src': "'self' ws://127.0.0.1:8600",
      'worker-src': "'self' blob:",
      'font-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
  });

  it('uses wss for an https server and keeps a non-default port', () => {
    expect(directives(buildContentSecurityPolicy('https://command.example.gov.cn')).get('connect-src')).toBe(
      "'self' wss://command.example.gov.cn",
    );
    expect(directives(buildContentSecurityPolicy('https://command.example.gov.cn:9443')).get('connect-src')).toBe(
      "'self' wss://command.example.gov.cn:9443",
    );
  });

  it('lets the packaged console connect to exactly the server origin and its websocket origin', () => {
    const csp = directives(buildContentSecurityPolicy(SERVER, 'packaged'));
    expect(csp.get('connect-src')).toBe("'self' http://127.0.0.1:8600 ws://127.0.0.1:8600");
    expect(directives(buildContentSecurityPolicy('https://command.example.gov.cn:9443/api/', 'packaged')).get('connect-src')).toBe(
      "'self' https://command.example.gov.cn:9443 wss://command.example.gov.cn:9443",
    );
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('default-src')).toBe("'self'");
  });

  it('never allows inline or eval scripts', () => {
    for (const source of ['server', 'packaged'] as const) {
      expect(buildContentSecurityPolicy(SERVER, source)).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    }
  });
});

describe('hasContentSecurityPolicy', () => {
  it('finds the header in any spelling', () => {
    expect(hasContentSecurityPolicy({ 'Content-Security-Policy': ["default-src 'self'"] })).toBe(true);
    expect(hasContentSecurityPolicy({ 'content-security-policy': ["default-src 'self'"] })).toBe(true);
  });

  it('is false without the header (report-only does not count)', () => {
    expect(hasContentSecurityPolicy({ 'Content-Security-Policy-Report-Only': ["default-src 'self'"] })).toBe(false);
    expect(hasContentSecurityPolicy({})).toBe(false);
    expect(hasContentSecurityPolicy(undefined)).toBe(false);
  });
});
