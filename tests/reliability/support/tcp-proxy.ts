import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * One client connection and its leg to the server. While the proxy blackholes, neither side is
 * read (the kernel's buffers fill, as with a link that drops every packet), and a side that
 * closes meanwhile is not told to the other until the link heals — as with a real outage, where
 * the FIN or RST would be lost too.
 */
interface Link {
  client: Socket;
  upstream: Socket | null;
  /** The port of the server this link reached (null until one accepted). */
  upstreamPort: number | null;
  /** A leg to a server is being opened. */
  dialing: boolean;
  /** Bytes read just as the blackhole began, forwarded when it heals. */
  held: Array<{ to: 'client' | 'upstream'; data: Buffer }>;
  /** A side ended or failed during the blackhole: the other is closed on heal. */
  closePending: boolean;
}

export type LinkState = 'open' | 'blackhole' | 'reset';

/**
 * A TCP proxy the test controls, between consoles and the server: `blackhole()` stops
 * forwarding and keeps connections open (clients notice by their ping timeout), `reset()`
 * destroys every connection and refuses new ones, `heal()` restores the link. `retarget()`
 * points it at a restarted server.
 *
 * Given several servers (the failover test's nodes), each new connection goes to the first of
 * them, in the order given, that accepts it (a node that is down refuses, and the next is tried),
 * as a reverse proxy's `backup` upstream or a TCP balancer with health by connect does; a
 * connection stays with the node it reached, and a node that dies takes its connections with it.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private state: LinkState = 'open';
  /** `failedOver`: dials that a server refused and that went on to the next one. */
  readonly stats = { accepted: 0, reset: 0, refused: 0, failedOver: 0 };
  private targets: readonly number[];

  private constructor(
    private readonly server: Server,
    target: number | readonly number[],
  ) {
    this.targets = typeof target === 'number' ? [target] : [...target];
  }

  /** A proxy to one server, or to several in order of preference. */
  static async start(target: number | readonly number[]): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    server.on('connection', (socket) => proxy.accept(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  get link(): LinkState {
    return this.state;
  }

  /** Its state in one line, for the message of a run that hangs. */
  describe(): string {
    const links = [...this.links];
    return `${this.state}, ${links.length} links (${links.filter((l) => !l.upstream).length} not dialled, ${links.filter((l) => l.held.length).length} holding data, ${links.filter((l) => l.client.isPaused()).length} paused), ${JSON.stringify(this.stats)}`;
  }

  retarget(target: number | readonly number[]): void {
    this.targets = typeof target === 'number' ? [target] : [...target];
  }

  /** Open connections by the server port they reached. */
  linksByUpstream(): Map<number, number> {
    const by = new Map<number, number>();
    for (const l of this.links) if (l.upstreamPort !== null) by.set(l.upstreamPort, (by.get(l.upstreamPort) ?? 0) + 1);
    return by;
  }

  blackhole(): void {
    this.state = 'blackhole';
    for (const link of this.links) {
      link.client.pause();
      link.upstream?.pause();
    }
  }

  reset(): void {
    this.state = 'reset';
    for (const link of [...this.links]) this.drop(link, true);
  }

  heal(): void {
    this.state = 'open';
    for (const link of [...this.links]) {
      if (link.closePending) {
        this.drop(link, false);
        continue;
      }
      if (!link.upstream) {
        if (!link.dialing) this.dial(link);
        continue;
      }
      for (const { to, data } of link.held.splice(0)) (to === 'client' ? link.client : link.upstream).write(data);
      link.client.resume();
      link.upstream.resume();
    }
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) this.drop(link, false);
    this.server.close();
    await once(this.server, 'close');
  }

  private accept(client: Socket): void {
    this.stats.accepted++;
    if (this.state === 'reset') {
      this.stats.refused++;
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, upstream: null, upstreamPort: null, dialing: false, held: [], closePending: false };
    this.links.add(link);
    client.setNoDelay(true);
    this.forward(link, client, 'upstream');
    if (this.state === 'blackhole') client.pause();
    else this.dial(link);
  }

  /**
   * Opens the leg to the first server that accepts it, from the `index`th on; what the client sends
   * meanwhile is held. When every server refuses, so does the proxy: the client is closed.
   */
  private dial(link: Link, index = 0): void {
    if (link.client.destroyed) {
      this.links.delete(link);
      return;
    }
    const port = this.targets[index]!;
    link.dialing = true;
    const upstream = connect(port, '127.0.0.1');
    upstream.setNoDelay(true);
    const refused = () => {
      upstream.destroy();
      if (!this.links.has(link)) return;
      if (index + 1 < this.targets.length) {
        this.stats.failedOver++;
        this.dial(link, index + 1);
        return;
      }
      link.dialing = false;
      if (this.state === 'blackhole') link.closePending = true;
      else this.drop(link, false);
    };
    upstream.once('error', refused);
    upstream.once('connect', () => {
      upstream.off('error', refused);
      link.dialing = false;
      // the client went (or every link was reset) while the leg was being opened
      if (!this.links.has(link)) {
        upstream.destroy();
        return;
      }
      link.upstream = upstream;
      link.upstreamPort = port;
      this.forward(link, upstream, 'client');
      if (this.state !== 'open') {
        upstream.pause();
        return;
      }
      for (const { to, data } of link.held.splice(0)) if (to === 'upstream') upstream.write(data);
      link.client.resume();
    });
  }

  private forward(link: Link, from: Socket, to: 'client' | 'upstream'): void {
    from.on('data', (data: Buffer) => {
      const dest = to === 'client' ? link.client : link.upstream;
      if (this.state !== 'open' || !dest) {
        link.held.push({ to, data });
        from.pause();
        return;
      }
      dest.write(data);
    });
    const ended = () => {
      if (this.state === 'blackhole') link.closePending = true;
      else this.drop(link, false);
    };
    from.on('end', ended);
    from.on('close', ended);
    from.on('error', ended);
  }

  private drop(link: Link, reset: boolean): void {
    if (!this.links.delete(link)) return;
    if (reset) this.stats.reset++;
    for (const s of [link.client, link.upstream]) {
      if (!s || s.destroyed) continue;
      if (reset) s.resetAndDestroy();
      else s.destroy();
    }
  }
}
