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
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private state: LinkState = 'open';
  readonly stats = { accepted: 0, reset: 0, refused: 0 };

  private constructor(
    private readonly server: Server,
    private targetPort: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, targetPort);
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

  retarget(port: number): void {
    this.targetPort = port;
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
        this.dial(link);
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
    const link: Link = { client, upstream: null, held: [], closePending: false };
    this.links.add(link);
    client.setNoDelay(true);
    this.forward(link, client, 'upstream');
    if (this.state === 'blackhole') client.pause();
    else this.dial(link);
  }

  /** Opens the leg to the server; a server that is down refuses it, and so the proxy refuses the client. */
  private dial(link: Link): void {
    if (link.client.destroyed) {
      this.links.delete(link);
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    upstream.setNoDelay(true);
    link.upstream = upstream;
    this.forward(link, upstream, 'client');
    for (const { to, data } of link.held.splice(0)) if (to === 'upstream') upstream.write(data);
    link.client.resume();
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
