import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, InvalidServerUrlError, parseServerUrl, resolveServerUrl, SERVER_URL_ENV } from './server-url.js';

describe('parseServerUrl', () => {
  it.each(['http://127.0.0.1:8600/', 'https://command.example.gov.cn/console/', ' http://localhost:9000 '])('accepts %j', (raw) => {
    expect(parseServerUrl(raw).href).toBe(new URL(raw.trim()).href);
  });

  it.each([
    ['file:///etc/passwd', /http or https/],
    ['javascript:alert(1)', /http or https/],
    ['ws://127.0.0.1:8600/', /http or https/],
    ['localhost:8600', /http or https/],
    ['127.0.0.1:8600', /not a valid URL/],
    ['not a url', /not a valid URL/],
    ['', /not a valid URL/],
    ['http://admin:secret@127.0.0.1:8600/', /credentials/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseServerUrl(raw)).toThrow(InvalidServerUrlError);
    expect(() => parseServerUrl(raw)).toThrow(message);
  });
});

describe('resolveServerUrl', () => {
  it('defaults to the local companion server', () => {
    expect(resolveServerUrl(['electron', 'out/main/index.js'], {}).href).toBe(DEFAULT_SERVER_URL);
  });

  it('takes the environment variable over the default', () => {
    expect(resolveServerUrl([], { [SERVER_URL_ENV]: 'http://10.0.0.5:8600/' }).origin).toBe('http://10.0.0.5:8600');
  });

  it('takes the last --server-url= argument over the environment', () => {
    const argv = ['electron', 'main.js', '--server-url=http://127.0.0.1:1111/', '--server-url=http://127.0.0.1:2222/'];
    expect(resolveServerUrl(argv, { [SERVER_URL_ENV]: 'http://10.0.0.5:8600/' }).origin).toBe('http://127.0.0.1:2222');
  });

  it('treats empty values as unset', () => {
    expect(resolveServerUrl(['--server-url='], { [SERVER_URL_ENV]: '  ' }).href).toBe(DEFAULT_SERVER_URL);
  });

  it('fails instead of falling back when the configured URL is invalid', () => {
    expect(() => resolveServerUrl(['--server-url=file:///tmp/console.html'], {})).toThrow(InvalidServerUrlError);
  });
});
