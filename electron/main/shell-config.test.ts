import { describe, expect, it } from 'vitest';
import { isLoopbackHost, PACKAGED_CONSOLE_FLAG, resolveShellConfig } from './shell-config.js';
import { InvalidServerUrlError, SERVER_URL_ENV } from './server-url.js';

const ARGV = ['electron', 'out/main/index.js'];

describe('resolveShellConfig', () => {
  it('loads the console from the server and trusts its origin by default', () => {
    const config = resolveShellConfig([...ARGV, '--server-url=http://10.0.0.5:8600/'], {}, false);
    expect(config).toMatchObject({
      source: 'server',
      consoleUrl: 'http://10.0.0.5:8600/',
      consoleOrigin: 'http://10.0.0.5:8600',
    });
    expect(config.serverUrl.href).toBe('http://10.0.0.5:8600/');
  });

  it('serves its own console on app://gridcommand with --packaged-console and still talks to the configured server', () => {
    const config = resolveShellConfig([...ARGV, PACKAGED_CONSOLE_FLAG], { [SERVER_URL_ENV]: 'https://command.example.gov.cn/' }, false);
    expect(config).toMatchObject({
      source: 'packaged',
      consoleUrl: 'app://gridcommand/index.html',
      consoleOrigin: 'app://gridcommand',
    });
    expect(config.serverUrl.origin).toBe('https://command.example.gov.cn');
  });

  it('uses the packaged console whenever the app runs packaged', () => {
    const config = resolveShellConfig([...ARGV, '--server-url=https://10.0.0.5:8600/'], {}, true);
    expect(config.source).toBe('packaged');
    expect(config.consoleOrigin).toBe('app://gridcommand');
    expect(config.serverUrl.origin).toBe('https://10.0.0.5:8600');
  });

  it('lets the packaged console use plain http only for a server on this machine', () => {
    for (const url of ['http://127.0.0.1:8600/', 'http://localhost:8600/', 'http://[::1]:8600/', 'http://127.8.9.10/']) {
      expect(resolveShellConfig([...ARGV, PACKAGED_CONSOLE_FLAG, `--server-url=${url}`], {}, false).serverUrl.href).toBe(url);
    }
    expect(() => resolveShellConfig([...ARGV, '--server-url=http://10.0.0.5:8600/'], {}, true)).toThrow(
      'the packaged console reaches a server over plain http only on this machine; use https for http://10.0.0.5:8600',
    );
    expect(() => resolveShellConfig([...ARGV, PACKAGED_CONSOLE_FLAG], { [SERVER_URL_ENV]: 'http://command.example.gov.cn/' }, false)).toThrow(
      InvalidServerUrlError,
    );
    // The server-served console is same-origin with its server; nothing changes there.
    expect(resolveShellConfig([...ARGV, '--server-url=http://10.0.0.5:8600/'], {}, false).source).toBe('server');
  });

  it('takes the flag only as a whole argument', () => {
    expect(resolveShellConfig([...ARGV, '--packaged-console=no'], {}, false).source).toBe('server');
    expect(resolveShellConfig([...ARGV, '--packaged-consoles'], {}, false).source).toBe('server');
  });

  describe('isLoopbackHost', () => {
    it.each(['localhost', 'LOCALHOST', 'console.localhost', '127.0.0.1', '127.255.0.9', '[::1]'])('%s is loopback', (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    });

    it.each(['10.0.0.5', '128.0.0.1', '127.0.0.1.evil.example', 'localhost.evil.example', '[::2]', '0.0.0.0', 'command.example.gov.cn'])(
      '%s is not',
      (host) => {
        expect(isLoopbackHost(host)).toBe(false);
      },
    );
  });

  it('still refuses an invalid server URL in packaged mode', () => {
    expect(() => resolveShellConfig([...ARGV, PACKAGED_CONSOLE_FLAG, '--server-url=file:///etc/passwd'], {}, false)).toThrow(
      InvalidServerUrlError,
    );
  });
});
