import { describe, expect, it } from 'vitest';
import { clientAddresses, parseTrustProxy, TrustProxyError, trustProxyOf } from './client-address.js';

describe('parseTrustProxy', () => {
  it('takes addresses, CIDR ranges, IPv4 netmasks and the proxy-addr keywords', () => {
    expect(trustProxyOf('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,192.168.0.0/255.255.0.0,loopback,linklocal,uniquelocal')).toEqual([
      '127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '192.168.0.0/255.255.0.0', 'loopback', 'linklocal', 'uniquelocal',
    ]);
    expect(parseTrustProxy([])).toEqual([]);
  });

  it.each([
    ['nginx', 'a host name'],
    ['10', 'a shorthand address'],
    ['300.1.1.1', 'an octet out of range'],
    ['10.0.0.0/33', 'a prefix too long for IPv4'],
    ['10.0.0.0/0', 'a prefix that trusts everyone'],
    ['::1/129', 'a prefix too long for IPv6'],
    ['10.0.0.0/255.0.255.0', 'a netmask that is not contiguous'],
    ['fd00::/ffff::', 'an IPv6 netmask'],
    ['', 'an empty entry'],
    ['*', 'a wildcard'],
    ['Loopback', 'a keyword in the wrong case'],
  ])('refuses %j (%s), naming it', (entry) => {
    const attempt = () => trustProxyOf(`127.0.0.1,${entry}`);
    expect(attempt).toThrow(TrustProxyError);
    expect(attempt).toThrow(`trust-proxy: "${entry}" is not an IP address`);
  });
});

describe('clientAddresses', () => {
  const xff = (value: string) => ({ 'x-forwarded-for': value });

  it('trusting nothing: the peer, whatever the header says', () => {
    const none = clientAddresses([]);
    expect(none.fastifyOption).toEqual({});
    expect(none.of('127.0.0.1', xff('203.0.113.7'))).toBe('127.0.0.1');
    expect(none.of(undefined, {})).toBeNull();
  });

  it('a trusted peer: the first untrusted address from the right of the header', () => {
    const one = clientAddresses(['127.0.0.1']);
    expect(one.fastifyOption).toEqual({ trustProxy: ['127.0.0.1'] });
    expect(one.of('127.0.0.1', xff('203.0.113.7'))).toBe('203.0.113.7');
    // an address the client wrote itself, before the one the proxy appended, is not believed
    expect(one.of('127.0.0.1', xff('10.9.9.9, 203.0.113.7'))).toBe('203.0.113.7');
    // IPv4-mapped peer (a dual-stack listener) is the same peer
    expect(one.of('::ffff:127.0.0.1', xff('203.0.113.7'))).toBe('203.0.113.7');
    // no header: the proxy itself
    expect(one.of('127.0.0.1', {})).toBe('127.0.0.1');
  });

  it('an untrusted peer: its own address, a forged header ignored', () => {
    const one = clientAddresses(['127.0.0.1']);
    expect(one.of('198.51.100.5', xff('203.0.113.7'))).toBe('198.51.100.5');
  });

  it('a chain of trusted proxies is walked through', () => {
    const chain = clientAddresses(['loopback', '10.0.0.0/8']);
    expect(chain.of('127.0.0.1', xff('203.0.113.7, 10.1.1.1'))).toBe('203.0.113.7');
    expect(chain.of('127.0.0.1', xff('10.2.2.2, 10.1.1.1'))).toBe('10.2.2.2');
  });

  it('refuses a bad entry given in the configuration', () => {
    expect(() => clientAddresses(['127.0.0.1', 'proxy.local'])).toThrow('"proxy.local"');
  });
});
