import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from '@fastify/proxy-addr';

/**
 * The client address of a request: the TCP peer's, or — when that peer is a trusted proxy
 * (`--trust-proxy`, config `trustProxy`) — the address it forwarded in `X-Forwarded-For`.
 *
 * REST requests get it from Fastify (`req.ip`, with Fastify's `trustProxy` option set to the same
 * list); the Socket.IO handshake and the socket origin check get it from `clientAddresses()`
 * below, which uses the same library (@fastify/proxy-addr) the same way: walk the header from the
 * right while the hop is trusted, take the first untrusted one. A peer that is not trusted has its
 * header ignored, so a forged `X-Forwarded-For` from a resident counts against its own address.
 */

/** The `proxy-addr` keywords: 127.0.0.1/8 and ::1; 169.254.0.0/16 and fe80::/10; 10/8, 172.16/12, 192.168/16 and fc00::/7. */
export const TRUST_PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'] as const;

/** A `trustProxy` entry that is neither an address, a CIDR range nor a keyword. */
export class TrustProxyError extends Error {
  constructor(readonly entry: string) {
    super(`trust-proxy: "${entry}" is not an IP address, an address/prefix (CIDR) or one of ${TRUST_PROXY_KEYWORDS.join(', ')}`);
    this.name = 'TrustProxyError';
  }
}

/**
 * Checks the trusted proxies; each entry an IPv4/IPv6 address, an address with a prefix length
 * (`10.0.0.0/8`, `fd00::/8`) or an IPv4 netmask (`10.0.0.0/255.0.0.0`), or a keyword. Stricter than
 * proxy-addr alone (which also takes `10` for 0.0.0.10): addresses must be written out in full.
 * Throws TrustProxyError naming the first bad entry; answers the entries trimmed.
 */
export function parseTrustProxy(entries: readonly string[]): string[] {
  return entries.map((raw) => {
    const entry = raw.trim();
    if ((TRUST_PROXY_KEYWORDS as readonly string[]).includes(entry)) return entry;
    const slash = entry.lastIndexOf('/');
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const range = slash === -1 ? null : entry.slice(slash + 1);
    const family = isIP(address);
    if (family === 0) throw new TrustProxyError(entry);
    if (range !== null) {
      const max = family === 4 ? 32 : 128;
      const prefixOk = /^\d{1,3}$/.test(range) && Number(range) >= 1 && Number(range) <= max;
      const netmaskOk = family === 4 && isIP(range) === 4;
      if (!prefixOk && !netmaskOk) throw new TrustProxyError(entry);
    }
    try {
      proxyAddr.compile([entry]); // what Fastify will do with it (a netmask that is not contiguous, …)
    } catch {
      throw new TrustProxyError(entry);
    }
    return entry;
  });
}

/** `--trust-proxy LIST`: comma-separated entries; an empty entry (`a,,b`) is refused too. */
export const trustProxyOf = (list: string): string[] => parseTrustProxy(list.split(','));

export interface ClientAddresses {
  /** Fastify's `trustProxy` option: the list, or nothing when no proxy is trusted (Fastify's default, the socket's address). */
  readonly fastifyOption: { trustProxy?: string[] };
  /**
   * The client address given the TCP peer's address and the request's headers. For a socket the
   * peer is the address Engine.IO took when the connection opened (`handshake.address`): by the
   * time the namespace middleware runs, the first long-polling request's own TCP socket may be gone.
   */
  of(peer: string | undefined, headers: IncomingHttpHeaders): string | null;
  /** The same for a raw HTTP request (its TCP socket still open). */
  ofRequest(req: IncomingMessage): string | null;
}

export function clientAddresses(trustProxy: readonly string[]): ClientAddresses {
  const entries = parseTrustProxy(trustProxy);
  const trust = entries.length > 0 ? proxyAddr.compile(entries) : null;
  const of = (peer: string | undefined, headers: IncomingHttpHeaders): string | null => {
    if (!trust || peer === undefined) return peer ?? null;
    // proxy-addr reads only `socket.remoteAddress` and `headers['x-forwarded-for']`
    const addrs = proxyAddr.all({ socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage, trust);
    return addrs[addrs.length - 1] ?? peer;
  };
  return {
    fastifyOption: entries.length > 0 ? { trustProxy: entries } : {},
    of,
    ofRequest: (req) => of(req.socket.remoteAddress, req.headers),
  };
}
