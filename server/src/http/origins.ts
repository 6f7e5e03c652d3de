import { networkInterfaces } from 'node:os';

/**
 * The browser origins the server itself serves the console from: loopback names, the configured
 * listen address, and, when it listens on every interface, each interface's address. Built from
 * configuration and the machine, never from a request's `Host` header: a page from a hostile
 * name that resolves to this server (DNS rebinding) sends that name as Host and Origin alike, so
 * comparing Origin with Host would let it in.
 */
export function ownOrigins(host: string, port: number, interfaces: () => string[] = interfaceAddresses): string[] {
  const hosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (host === '0.0.0.0' || host === '::') for (const a of interfaces()) hosts.add(a.includes(':') ? `[${a}]` : a);
  else hosts.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  return [...hosts].flatMap((h) => [`http://${h}:${port}`, `https://${h}:${port}`]);
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address] : []));
}

/**
 * Whether a socket handshake may proceed: non-browser clients send no Origin (they still need a
 * token); browsers must come from one of the server's own origins or a configured one.
 */
export function originAllowed(origin: string | undefined, own: readonly string[], configured: readonly string[]): boolean {
  return origin === undefined || own.includes(origin) || configured.includes(origin);
}
